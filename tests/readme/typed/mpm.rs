use preflight::types::{runtime::BuildError, sandeza as s};

fn request() -> Result<s::SendRequest, BuildError> {
    let products = ["mangga-harum-001", "salak-pondoh-003"]
        .map(|id| s::ProductItem::builder().product_retailer_id(id));
    let section = s::MpmSection::builder().title("Dari Petani Langsung").product_items(products);
    let action = s::MpmAction::builder()
        .thumbnail_product_retailer_id("mangga-harum-001").sections([section]);
    let mpm = s::WhatsAppButtonMpm::builder().index(0)
        .parameters([s::MpmActionParameter::builder().action(action)]);
    let whatsapp = s::WhatsAppTemplateJson::builder()
        .msisdn("6285798765123").template_id("produk_unggulan_mpm").button([mpm]);
    s::SendRequest::builder()
        .signature("2d16493da7932efabaeef86022b15d4f56de186917b1898c1cada0f8c4e1ec64")
        .time("1764135529").r#type(s::SendRequestType::SendAll).username("kebunsegar")
        .ref_id("wa-mpm-000461").subject("Produk Unggulan Minggu Ini").sender_id("Kebun Segar")
        .channel(s::Channel::builder().whatsapp(whatsapp))
        .build()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("{}", serde_json::to_string_pretty(&request()?)?);
    Ok(())
}
