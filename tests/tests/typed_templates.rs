//! The typed templates of `examples/templates/` (generated into
//! `preflight_tests::templates` by `tests/build/templates.rs`), used: every
//! template, built from its own examples, converted into a full payload for
//! every provider that can send it, validates with the templates loaded and
//! gives no finding (a template that is not APPROVED gives only
//! `template-not-approved`). The providers a template's type has no
//! conversion for are exactly the ones its `CANNOT_SEND` names, and every
//! template of the file has its type.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use preflight::templates::{TemplateSet, Templates};
use preflight_tests::templates::*;
use serde_json::{Value, json};

const PHONE: &str = "6281234567890";
const FILE: &str = "examples/templates/message_templates.json";

fn to_value<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap()
}

/// `pengingat_tagihan` → `Pengingat tagihan`.
fn title(name: &str) -> String {
    let spaced = name.replace(['_', '-'], " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => spaced,
    }
}

/// The Qiscus `template_detail_id` the test account gives a template.
fn detail_id(name: &str) -> u64 {
    10_000
        + name
            .bytes()
            .fold(0u64, |h, b| (h * 31 + u64::from(b)) % 90_000)
}

fn options() -> preflight::Options {
    let mut set = TemplateSet::new();
    set.add_path(&preflight_tests::root().join(FILE)).unwrap();
    let mut qiscus = HashMap::new();
    for t in set.iter() {
        qiscus.insert(detail_id(&t.name).to_string(), t.name.clone());
    }
    let mut templates = Templates::new(set);
    templates.ids.insert("qiscus".to_string(), qiscus);
    let mut options = preflight::Options::default();
    options.templates = Some(Arc::new(templates));
    options
}

/// A full Sandeza send of the parts (`channel.whatsapp`, JSON form).
fn sandeza(p: &SandezaParts) -> Value {
    let mut wa = serde_json::Map::new();
    wa.insert("msisdn".into(), json!(PHONE));
    wa.insert("template_id".into(), json!(p.template_id));
    if let Some(h) = &p.header {
        wa.insert("header".into(), to_value(h));
    }
    wa.insert(
        "message".into(),
        p.message.as_ref().map_or(json!(""), to_value),
    );
    if let Some(b) = &p.button {
        wa.insert("button".into(), to_value(b));
    }
    if let Some(c) = &p.carousel {
        wa.insert("carousel".into(), to_value(c));
    }
    wa.insert("attachment".into(), json!(""));
    wa.insert("backup_on".into(), json!(""));
    wa.insert("backup_exp".into(), json!(""));
    json!({
        "signature": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "time": "1764135118",
        "type": "2",
        "username": "tokobaju_cs",
        "ref_id": "wa-000001",
        "subject": title(p.template_id),
        "sender_id": "Toko Baju Nusantara",
        "budget_code": "CS-WA",
        "channel": {"whatsapp": wa},
    })
}

/// A full OCA push message with the template's `payload`.
fn oca(name: &str, payload: &[preflight::types::oca::TemplateComponent]) -> Value {
    json!({
        "message": {"type": "template", "template": {"template_code_id": name, "payload": to_value(&payload)}},
        "phone_number": PHONE,
    })
}

/// A full Qiscus broadcast-client request with the parts.
fn qiscus(p: &QiscusParts) -> Value {
    let mut v = json!({
        "channel_id": 4127,
        "name": title(p.template_name),
        "template_name": p.template_name,
        "template_detail_id": detail_id(p.template_name),
        "namespace": "a3f9c2d1_5b7e_4c80_9f1a_7d2e6b4c9a10",
        "language": p.language,
        "variables": to_value(&p.variables),
        "phone_number": PHONE,
    });
    if !p.button_params.is_empty() {
        v["button_params"] = to_value(&p.button_params);
    }
    v
}

/// A Qiscus send-broadcast of the template (its id only; the values are
/// in the uploaded CSV).
fn send_broadcast(name: &str) -> Value {
    json!({
        "template_detail_id": detail_id(name),
        "broadcast_file_id": 2290533,
        "name": title(name),
        "separator": ";",
    })
}

/// A 3Dolphins broadcast of the parts: to an uploaded recipient list, or
/// (`inline`) to `whatsappRecipient` rows.
fn dolphins(p: &DolphinsParts, inline: bool) -> Value {
    let mut b = serde_json::Map::new();
    b.insert("name".into(), json!(title(p.template_id)));
    b.insert("channel".into(), json!("2ada6f6e1b7c4d0e9f3a5b61"));
    b.insert("sendingMode".into(), json!("Now"));
    b.insert("templateId".into(), json!(p.template_id));
    if !inline {
        b.insert("recipient".into(), json!("6071c3e2a9b84f1d2c3e4a57"));
    }
    if !p.header_variables.is_empty() {
        b.insert("headerVariables".into(), json!(p.header_variables));
    }
    if !p.body_variables.is_empty() {
        b.insert("bodyVariables".into(), json!(p.body_variables));
    }
    b.insert("content".into(), json!(p.content));
    if inline {
        let mut row = serde_json::Map::new();
        row.insert("Recipient".into(), json!(PHONE));
        row.extend(p.row.clone());
        b.insert("whatsappRecipient".into(), json!([row]));
    }
    Value::Object(b)
}

/// One template's type, used: its payloads per endpoint.
struct Sent {
    name: &'static str,
    language: &'static str,
    status: &'static str,
    cannot: &'static [(&'static str, &'static str)],
    /// The providers its type converts into.
    providers: Vec<&'static str>,
    payloads: Vec<(&'static str, Value)>,
}

macro_rules! via {
    ($v:ident, $ty:ident, sandeza) => {
        vec![("sandeza/send", sandeza(&$v.to_sandeza().unwrap()))]
    };
    ($v:ident, $ty:ident, oca) => {
        vec![("oca/push-message", oca($ty::NAME, &$v.to_oca().unwrap()))]
    };
    ($v:ident, $ty:ident, qiscus) => {
        vec![
            ("qiscus/broadcast-client", qiscus(&$v.to_qiscus().unwrap())),
            ("qiscus/send-broadcast", send_broadcast($ty::NAME)),
        ]
    };
    ($v:ident, $ty:ident, dolphins) => {{
        let p = $v.to_3dolphins();
        vec![
            ("3dolphins/broadcast", dolphins(&p, false)),
            ("3dolphins/broadcast-multiple", json!([dolphins(&p, false)])),
            ("3dolphins/broadcast-whatsapp", dolphins(&p, true)),
        ]
    }};
}

/// `sent!(Type: value; providers…)`.
macro_rules! sent {
    ($ty:ident: $value:expr; $($p:ident)*) => {{
        let v: $ty = $value;
        let mut payloads = Vec::new();
        $( payloads.extend(via!(v, $ty, $p)); )*
        Sent {
            name: $ty::NAME,
            language: $ty::LANGUAGE,
            status: $ty::STATUS,
            cannot: $ty::CANNOT_SEND,
            providers: vec![$(match stringify!($p) { "dolphins" => "3dolphins", p => p }),*],
            payloads,
        }
    }};
}

fn location() -> preflight::types::sandeza::TemplateLocation {
    use preflight::types::common::{Latitude, Longitude};
    use preflight::types::sandeza::{CoordinateLatitude, CoordinateLongitude, TemplateLocation};
    TemplateLocation::new(
        CoordinateLatitude::Number(Latitude::from_f64(-6.1753924).unwrap()),
        CoordinateLongitude::Number(Longitude::from_f64(106.8271528).unwrap()),
    )
    .with_name("Toko Baju Nusantara Gambir")
    .with_address("Jl. Medan Merdeka Barat No. 5, Gambir, Jakarta Pusat")
}

fn products() -> preflight::types::sandeza::MpmAction {
    use preflight::types::runtime::BoundedVec;
    use preflight::types::sandeza::{MpmAction, MpmSection, ProductItem};
    let item = |id: &str| ProductItem::new(id.try_into().unwrap());
    let items = BoundedVec::try_from(vec![item("mangga-harum-001"), item("salak-pondoh-003")]);
    MpmAction::new(
        "mangga-harum-001".try_into().unwrap(),
        BoundedVec::one(MpmSection::new(
            "Produk Pilihan".try_into().unwrap(),
            items.unwrap(),
        )),
    )
}

fn every_send() -> Vec<Sent> {
    vec![
        sent!(LacakPengirimanDokumenId: LacakPengirimanDokumenId::example().unwrap(); sandeza oca qiscus),
        sent!(PengingatTagihanId: PengingatTagihanId::example().unwrap(); sandeza oca qiscus dolphins),
        sent!(InvoiceDokumenId: InvoiceDokumenId::example().unwrap(); sandeza oca qiscus dolphins),
        sent!(PromoGambar1212Id: PromoGambar1212Id::example().unwrap(); sandeza oca qiscus dolphins),
        sent!(UndanganLokasiTokoId: UndanganLokasiTokoId {
            header_location: location(),
            body_1: "Kak Maya".try_into().unwrap(),
            body_2: "Sabtu, 5 Des 2026 pukul 10.00 WIB".try_into().unwrap(),
        }; sandeza qiscus),
        sent!(StatusPesananTeksId: StatusPesananTeksId::example().unwrap(); sandeza oca qiscus dolphins),
        sent!(PanduanAktivasiVideoId: PanduanAktivasiVideoId::example().unwrap(); sandeza oca qiscus dolphins),
        sent!(OtpLoginId: OtpLoginId::example().unwrap(); sandeza oca qiscus),
        sent!(OtpLoginEnUs: OtpLoginEnUs::example().unwrap(); sandeza oca qiscus),
        sent!(OtpTransaksiId: OtpTransaksiId::example().unwrap(); sandeza oca qiscus),
        sent!(TerimakasihBelanjaId: TerimakasihBelanjaId::example().unwrap(); sandeza oca qiscus dolphins),
        sent!(LacakPengirimanUrlId: LacakPengirimanUrlId::example().unwrap(); sandeza oca qiscus),
        sent!(PromoAkhirTahunCarouselId: PromoAkhirTahunCarouselId::example().unwrap(); sandeza),
        sent!(KatalogBuahSegarId: KatalogBuahSegarId::example().unwrap(); sandeza oca qiscus dolphins),
        sent!(ProdukUnggulanMpmId: ProdukUnggulanMpmId {
            header_1: "Buah Pilihan Minggu Ini".try_into().unwrap(),
            body_1: "Ibu Ratna".try_into().unwrap(),
            button_0_products: products(),
        }; sandeza),
        sent!(TagihanJatuhTempoV2Id: TagihanJatuhTempoV2Id::example().unwrap(); sandeza oca qiscus dolphins),
        sent!(PengingatJanjiTemuKlinikId: PengingatJanjiTemuKlinikId::example().unwrap(); sandeza oca qiscus),
        sent!(KirimInvoiceBulananId: KirimInvoiceBulananId::example().unwrap(); sandeza oca qiscus dolphins),
        sent!(StatusPengirimanPaketId: StatusPengirimanPaketId::example().unwrap(); sandeza oca qiscus),
        sent!(PromoHarbolnas1212Id: PromoHarbolnas1212Id::example().unwrap(); sandeza oca qiscus dolphins),
        sent!(KonfirmasiPesanan01Id: KonfirmasiPesanan01Id::example().unwrap(); sandeza oca qiscus dolphins),
        sent!(TutorialAktivasiIndihomeId: TutorialAktivasiIndihomeId::example().unwrap(); sandeza oca qiscus dolphins),
        sent!(KonfirmasiPendaftaranId: KonfirmasiPendaftaranId::example().unwrap(); sandeza oca qiscus dolphins),
        sent!(InvoiceUpdateId: InvoiceUpdateId::example().unwrap(); sandeza oca qiscus),
        sent!(InfoTagihanTeksId: InfoTagihanTeksId::example().unwrap(); sandeza oca qiscus dolphins),
        sent!(BannerHarbolnasId: BannerHarbolnasId::example().unwrap(); sandeza oca qiscus dolphins),
        sent!(KoleksiLebaranVideoId: KoleksiLebaranVideoId::example().unwrap(); sandeza oca qiscus dolphins),
        sent!(JadwalKeberangkatanDokumenId: JadwalKeberangkatanDokumenId::example().unwrap(); sandeza oca qiscus dolphins),
        sent!(KonfirmasiKehadiranSeminarId: KonfirmasiKehadiranSeminarId::example().unwrap(); sandeza oca qiscus dolphins),
        sent!(SapaanGelarId: SapaanGelarId::example().unwrap(); sandeza oca qiscus dolphins),
        sent!(JadwalKeberangkatanPesertaId: JadwalKeberangkatanPesertaId::example().unwrap(); sandeza oca qiscus dolphins),
        sent!(InfoLiburTokoId: InfoLiburTokoId::example().unwrap(); sandeza oca qiscus dolphins),
        sent!(KatalogRamadanId: KatalogRamadanId::example().unwrap(); sandeza oca qiscus dolphins),
        sent!(SapaanPelangganSetiaId: SapaanPelangganSetiaId::example().unwrap(); sandeza oca qiscus dolphins),
        sent!(KonfirmasiWebinarId: KonfirmasiWebinarId::example().unwrap(); sandeza oca qiscus dolphins),
        sent!(GrandOpeningBandungId: GrandOpeningBandungId::example().unwrap(); sandeza oca qiscus dolphins),
        sent!(KuponBelanjaId: KuponBelanjaId::example().unwrap(); qiscus),
        sent!(PromoLama2025Id: PromoLama2025Id::example().unwrap(); sandeza oca qiscus dolphins),
        sent!(PemberitahuanDitolakId: PemberitahuanDitolakId::example().unwrap(); sandeza oca qiscus dolphins),
    ]
}

#[test]
fn every_template_of_the_file_has_its_type() {
    let mut set = TemplateSet::new();
    set.add_path(&preflight_tests::root().join(FILE)).unwrap();
    let in_file: BTreeSet<(String, String)> = set
        .iter()
        .map(|t| (t.name.clone(), t.language.clone()))
        .collect();
    let sends = every_send();
    let typed: BTreeSet<(String, String)> = sends
        .iter()
        .map(|s| (s.name.to_string(), s.language.to_string()))
        .collect();
    assert_eq!(typed.len(), sends.len(), "a template is listed twice");
    assert_eq!(typed, in_file);
}

#[test]
fn a_provider_without_a_conversion_is_one_cannot_send_names() {
    for s in every_send() {
        let cannot: BTreeSet<&str> = s
            .cannot
            .iter()
            .map(|(endpoint, reason)| {
                assert!(!reason.is_empty());
                endpoint.split('/').next().unwrap()
            })
            .collect();
        let converts: BTreeSet<&str> = s.providers.iter().copied().collect();
        assert!(cannot.is_disjoint(&converts), "{}: {cannot:?}", s.name);
        let all: BTreeSet<&str> = ["sandeza", "oca", "qiscus", "3dolphins"].into();
        assert_eq!(
            &cannot | &converts,
            all,
            "{} ({}): every provider either converts or says why not",
            s.name,
            s.language
        );
    }
}

#[test]
fn the_refusals_are_the_ones_templates_new_states() {
    let find = |name: &str, provider: &str| -> Option<&'static str> {
        every_send()
            .into_iter()
            .find(|s| s.name == name)
            .and_then(|s| {
                s.cannot
                    .iter()
                    .find(|(e, _)| e.starts_with(provider))
                    .map(|(_, r)| *r)
            })
    };
    assert!(
        find("kupon_belanja", "sandeza")
            .unwrap()
            .contains("COPY_CODE")
    );
    assert!(
        find("undangan_lokasi_toko", "oca")
            .unwrap()
            .contains("LOCATION")
    );
    assert!(
        find("promo_akhir_tahun_carousel", "qiscus")
            .unwrap()
            .contains("carousel")
    );
    assert!(
        find("lacak_pengiriman_url", "3dolphins")
            .unwrap()
            .contains("no button parameters")
    );
    assert_eq!(find("pengingat_tagihan", "3dolphins"), None);
}

#[test]
fn every_payload_validates_with_the_templates_loaded() {
    let options = options();
    let mut checked = 0;
    let mut failures = Vec::new();
    for s in every_send() {
        let expected: &[&str] = if s.status == "APPROVED" {
            &[]
        } else {
            &["template-not-approved"]
        };
        for (endpoint, payload) in &s.payloads {
            let report = preflight::validate_value_with(endpoint, payload, &options).unwrap();
            let rules: Vec<&str> = report.diagnostics.iter().map(|d| d.rule.as_str()).collect();
            if rules != expected {
                failures.push(format!(
                    "{} ({}) via {endpoint}: {:#?}\n{payload:#}",
                    s.name, s.language, report.diagnostics
                ));
            }
            checked += 1;
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(checked > 150, "{checked} payloads");
}

// The README's "Typed templates" usage example, run (the README shows the
// code from `fn send_tracking` on; `the_readme_shows_this_example` checks it).
use preflight_tests::templates::LacakPengirimanUrlId;

fn send_tracking() -> Result<(), Box<dyn std::error::Error>> {
    let send = LacakPengirimanUrlId {
        header_1: "Paket Sedang Dikirim".try_into()?,
        body_1: "Andi Wijaya".try_into()?,
        button_0_suffix: "TB-88213".try_into()?,
    };
    let payload = serde_json::json!({
        "phone_number": "6281234567890",
        "message": {"type": "template", "template": {
            "template_code_id": LacakPengirimanUrlId::NAME,
            "payload": send.to_oca()?,
        }},
    });
    assert!(preflight::validate_value("oca/push-message", &payload)?.is_clean());
    Ok(())
}

#[test]
fn the_readme_example_runs() {
    send_tracking().unwrap();
}

#[test]
fn the_readme_shows_this_example() {
    let readme = std::fs::read_to_string(preflight_tests::root().join("README.md")).unwrap();
    let section = &readme[readme.find("### Typed templates").unwrap()..];
    let start = section.find("fn send_tracking").unwrap();
    let end = start + section[start..].find("\n```").unwrap();
    let shown = &section[start..end];
    let this = include_str!("typed_templates.rs");
    assert!(
        this.contains(shown),
        "README's typed-templates example differs from tests/tests/typed_templates.rs:\n{shown}"
    );
}
