use preflight::types::{runtime::BuildError, sandeza as s};

fn request() -> Result<s::SendRequest, BuildError> {
    let image = s::TemplateImage::builder().link("https://cdn.kebunsegar.co.id/promo/desember.jpg");
    let header = s::WhatsAppTemplateHeader::builder()
        .parameters([s::WhatsAppHeaderImage::builder().image(image)]);
    let url = s::WhatsAppButtonUrl::builder().index(0)
        .parameters([s::UrlButtonTextParameter::builder().text("desember-2026")]);
    let whatsapp = s::WhatsAppTemplateJson::builder()
        .msisdn("6281234567890").template_id("promo_akhir_tahun").header(header).button([url]);
    s::SendRequest::builder()
        .signature("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
        .time("1764135600").r#type(s::SendRequestType::SendAll).username("kebunsegar")
        .ref_id("wa-promo-000462").subject("Promo Akhir Tahun").sender_id("Kebun Segar")
        .channel(s::Channel::builder().whatsapp(whatsapp))
        .build()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("{}", serde_json::to_string_pretty(&request()?)?);
    Ok(())
}
