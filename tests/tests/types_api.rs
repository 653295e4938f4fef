//! The generated types as a user meets them: the README's program, which
//! builds a Sandeza WhatsApp multi-product (MPM) template payload from the
//! types, validates it and serializes it; and the checks on the way.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use preflight::types::runtime::BoundedVec;
use preflight::types::{ConstraintError, Endpoint, Request, common, sandeza as s};

/// The README example.
fn mpm_request() -> Result<s::SendRequest, ConstraintError> {
    let section = s::MpmSection::new(
        common::ListSectionTitle::try_from("Dari Petani Langsung")?,
        vec![
            s::ProductItem::new("mangga-harum-001".parse()?),
            s::ProductItem::new("salak-pondoh-003".parse()?),
        ]
        .try_into()?,
    );
    let action = s::MpmAction::new("mangga-harum-001".parse()?, vec![section].try_into()?);
    let button = s::WhatsAppButtonMpm::new(
        common::ButtonIndex::try_from(0)?,
        BoundedVec::one(s::MpmActionParameter::new(action)),
    );
    let whatsapp =
        s::WhatsAppTemplateJson::new("6285798765123".parse()?, "produk_unggulan_mpm".parse()?)
            .with_button(s::WhatsAppTemplateJsonButton::Array(
                vec![s::WhatsAppTemplateButton::Mpm(button)].try_into()?,
            ));
    let channel = s::Channel::new().with_whatsapp(s::WhatsAppChannel::TemplateJson(whatsapp));
    Ok(s::SendRequest::new(
        "2d16493da7932efabaeef86022b15d4f56de186917b1898c1cada0f8c4e1ec64".parse()?,
        "1764135529".parse()?,
        s::SendRequestType::SendAll.into(),
        "kebunsegar".parse()?,
        "wa-mpm-000461".parse()?,
        "Produk Unggulan Minggu Ini".parse()?,
        "Kebun Segar".parse()?,
        channel,
    ))
}

#[test]
fn builds_validates_and_serializes_an_mpm_payload() {
    let request = mpm_request().unwrap();
    let report = request.validate();
    let errors: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == preflight::Severity::Error)
        .map(|d| format!("{} {}: {}", d.rule, d.pointer, d.message))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let json = serde_json::to_string_pretty(&request).unwrap();
    // Fields come out in the schema's order, the button index as given.
    assert!(json.find("\"signature\"").unwrap() < json.find("\"channel\"").unwrap());
    assert!(json.contains("\"index\": 0"));
    assert!(json.contains("\"type\": \"2\""));
    // And it parses back into the same request.
    let back = Request::parse(s::SendRequest::ENDPOINT, &json).unwrap();
    assert_eq!(back, Request::SandezaSend(request));
}

#[test]
fn constraints_are_checked_on_construction() {
    let e = s::SendRequestRefId::try_from("a".repeat(51).as_str()).unwrap_err();
    assert!(e.to_string().contains("at most 50"), "{e}");
    assert!(
        s::SendRequestRefId::try_from("Has Spaces").is_err(),
        "pattern ^[a-z0-9_-]+$"
    );
    assert!(
        common::ButtonIndex::try_from(10).is_err(),
        "buttons are indexed 0 to 9"
    );
    assert!(
        common::ButtonIndex::try_from("3").is_ok(),
        "the string form is accepted"
    );
    let none: Result<BoundedVec<s::ProductItem, 1, { usize::MAX }>, _> = Vec::new().try_into();
    assert!(none.is_err(), "a section needs at least one product");
}

#[test]
fn casings_are_accepted_and_kept() {
    let header = r#"{"type": "HEADER", "parameters": [{"type": "text", "text": "Promo"}]}"#;
    let parsed: s::WhatsAppTemplateHeader = serde_json::from_str(header).unwrap();
    let back = serde_json::to_value(&parsed).unwrap();
    assert_eq!(back["type"], "HEADER");
}
