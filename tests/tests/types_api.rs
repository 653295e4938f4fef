//! The generated types as a user meets them: the README's programs, which
//! build a Sandeza WhatsApp multi-product (MPM) template payload and an
//! image-header template with a URL button with the builders, validate and
//! serialize them; the builders' errors (every missing or invalid field at
//! once, under its path); the required-argument constructors; and the checks
//! on the way.
//!
//! Two setters cannot be swapped by mistake: each is named as its field
//! (`.subject("…")`, `.sender_id("…")`), so there is no position to get
//! wrong, unlike `SendRequest::new`'s eight arguments, where `subject` and
//! `sender_id` are both `"…".parse()?`.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use preflight::types::runtime::BoundedVec;
use preflight::types::{ConstraintError, Endpoint, Request, common, oca, sandeza as s};

/// The README's multi-product program (`README.md` shows this file, as
/// written: `include!` keeps rustfmt's chain layout out of the README).
mod mpm {
    include!("../readme/typed/mpm.rs");
    pub(super) fn run() -> Result<(), Box<dyn std::error::Error>> {
        main()
    }
    pub(super) fn built() -> Result<s::SendRequest, BuildError> {
        request()
    }
}

/// The README's image-header, URL-button program.
mod image_url {
    include!("../readme/typed/image_header_url_button.rs");
    pub(super) fn run() -> Result<(), Box<dyn std::error::Error>> {
        main()
    }
    pub(super) fn built() -> Result<s::SendRequest, BuildError> {
        request()
    }
}

/// The same MPM request through `new`, which enforces the required fields at
/// compile time.
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

/// The fenced block after `after` in the README.
fn readme_block(after: &str) -> String {
    let text = std::fs::read_to_string(preflight_tests::root().join("README.md")).unwrap();
    let start = text
        .find(after)
        .unwrap_or_else(|| panic!("README lacks {after:?}"));
    let rest = &text[start..];
    let open = rest.find("```rust\n").unwrap() + "```rust\n".len();
    let end = rest[open..].find("\n```").unwrap();
    rest[open..open + end + 1].to_string()
}

#[test]
fn the_readme_shows_the_programs_these_tests_run() {
    for (after, file) in [
        ("A Sandeza multi-product message", "mpm.rs"),
        (
            "A Sandeza template with an image header and a URL button",
            "image_header_url_button.rs",
        ),
    ] {
        let program = std::fs::read_to_string(
            preflight_tests::root()
                .join("tests/readme/typed")
                .join(file),
        )
        .unwrap();
        assert_eq!(
            readme_block(after),
            program,
            "README block after {after:?} is not tests/readme/typed/{file}"
        );
    }
    mpm::run().unwrap();
    image_url::run().unwrap();
}

#[test]
fn the_builder_builds_what_new_builds() {
    let built = mpm::built().unwrap_or_else(|e| panic!("{e}"));
    let constructed = mpm_request().unwrap();
    assert_eq!(built, constructed);
    let report = built.validate();
    assert!(!report.has_errors(), "{:#?}", report.diagnostics);
}

#[test]
fn the_image_header_url_button_request_builds_and_serializes() {
    let request = image_url::built().unwrap_or_else(|e| panic!("{e}"));
    assert!(!request.validate().has_errors());
    let expected = serde_json::json!({
        "signature": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "time": "1764135600",
        "type": "2",
        "username": "kebunsegar",
        "ref_id": "wa-promo-000462",
        "subject": "Promo Akhir Tahun",
        "sender_id": "Kebun Segar",
        "channel": {"whatsapp": {
            "msisdn": "6281234567890",
            "template_id": "promo_akhir_tahun",
            "header": {"type": "header", "parameters": [
                {"type": "image", "image": {"link": "https://cdn.kebunsegar.co.id/promo/desember.jpg"}}
            ]},
            "button": [{"type": "BUTTON", "sub_type": "URL", "index": 0, "parameters": [
                {"type": "text", "text": "desember-2026"}
            ]}]
        }}
    });
    assert_eq!(serde_json::to_value(&request).unwrap(), expected);
    // Field order is the schema's.
    let text = serde_json::to_string(&request).unwrap();
    assert!(text.starts_with(r#"{"signature":"9f86"#), "{text}");
}

#[test]
fn a_build_reports_every_wrong_or_missing_field_at_once_with_its_path() {
    let err = s::SendRequest::builder()
        .time("1764135529")
        .r#type(s::SendRequestType::SendAll)
        .username("kebunsegar")
        .ref_id("a".repeat(58))
        .subject("Promo")
        .sender_id("Kebun Segar")
        .channel(
            s::Channel::builder().whatsapp(
                s::WhatsAppTemplateJson::builder()
                    .msisdn("0812 3456 7890")
                    .template_id("promo_akhir_tahun")
                    .header(
                        s::WhatsAppTemplateHeader::builder().parameters([
                            s::WhatsAppHeaderImage::builder().image(
                                s::TemplateImage::builder()
                                    .link("https://cdn.kebunsegar.co.id/promo/desember.webp"),
                            ),
                        ]),
                    )
                    .button([s::WhatsAppButtonUrl::builder().index(12)]),
            ),
        )
        .build()
        .unwrap_err();
    let lines: Vec<String> = err.to_string().lines().map(str::to_string).collect();
    // The types' problems, in field order, then the validator's on the rest.
    assert_eq!(lines[0], "signature: missing (required)", "{err}");
    assert_eq!(
        lines[1], "ref_id: 58 characters; Sandeza allows at most 50",
        "{err}"
    );
    assert!(
        err.at("channel.whatsapp.button[0].index")
            .is_some_and(|p| p.message == "12; Sandeza allows at most 9"),
        "{err}"
    );
    assert!(
        err.at("channel.whatsapp.button[0].parameters")
            .is_some_and(|p| p.message == "missing (required)"),
        "{err}"
    );
    let phone = err.at("channel.whatsapp.msisdn").expect("the phone number");
    // The type holds the provider's phone form, so the types report it.
    assert!(phone.message.contains("spaces"), "{err}");
    let link = err
        .at("channel.whatsapp.header.parameters[0].image.link")
        .expect("the .webp link");
    assert!(link.message.contains("webp"), "{err}");
    assert!(link.rule.is_some(), "{err}");
    assert_eq!(err.problems.len(), 6, "{err}");
    // The type names of ConstraintError are not the builder's business.
    assert!(!err.to_string().contains("SendRequestRefId"), "{err}");

    // An OCA number with spaces, and a missing message, in one error too.
    let err = oca::PushMessageRequest::builder()
        .phone_number("0812 3456 7890")
        .build()
        .unwrap_err();
    let message = err.at("message").expect("the missing message");
    assert_eq!(message.message, "missing (required)", "{err}");
    let phone = err.at("phone_number").expect("the OCA phone number");
    // The type holds OCA's phone form (country code, digits only).
    assert!(phone.message.contains("country code"), "{err}");
    assert_eq!(err.problems.len(), 2, "{err}");
}

#[test]
fn a_provider_rule_error_fails_the_build_with_the_rules_message() {
    let build = |text: &str| {
        s::SendRequest::builder()
            .signature("2d16493da7932efabaeef86022b15d4f56de186917b1898c1cada0f8c4e1ec64")
            .time("1764135529")
            .r#type(s::SendRequestType::SendAll)
            .username("kebunsegar")
            .ref_id("wa-tagihan-000463")
            .subject("Tagihan")
            .sender_id("Kebun Segar")
            .channel(
                s::Channel::builder().whatsapp(
                    s::WhatsAppTemplateJson::builder()
                        .msisdn("6285798765123")
                        .template_id("tagihan_bulanan")
                        .message(
                            s::WhatsAppTemplateBody::builder()
                                .parameters([s::TemplateBodyParameter::builder().text(text)]),
                        ),
                ),
            )
    };
    let err = build("Kak Siti,\nRp 150.000").build().unwrap_err();
    assert_eq!(err.problems.len(), 1, "{err}");
    let p = &err.problems[0];
    assert_eq!(p.path, "channel.whatsapp.message.parameters[0].text");
    assert_eq!(p.rule.as_deref(), Some("template-param-whitespace"));
    assert!(p.message.contains("line break"), "{err}");
    assert!(
        err.to_string()
            .starts_with("channel.whatsapp.message.parameters[0].text: "),
        "{err}"
    );
    // `build_with` takes the options: with the rule off, it builds.
    let mut options = preflight::Options::default();
    options
        .levels
        .insert("template-param-whitespace".into(), preflight::Level::Off);
    let request = build("Kak Siti,\nRp 150.000").build_with(&options).unwrap();
    // Without the validator's word, `validate()` still shows the finding.
    assert!(request.validate().has_errors());
    assert!(build("Kak Siti, Rp 150.000").build().is_ok());
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

#[test]
fn built_in_code_a_value_is_spelled_as_the_samples() {
    // Sandeza's URL-button samples send "BUTTON" / "URL".
    let button = s::WhatsAppButtonUrl::new(
        common::ButtonIndex::try_from(0).unwrap(),
        BoundedVec::one(s::UrlButtonTextParameter::new(
            "INV-2026-0042".parse().unwrap(),
        )),
    );
    let json = serde_json::to_value(&button).unwrap();
    assert_eq!(json["type"], "BUTTON");
    assert_eq!(json["sub_type"], "URL");
    // A parsed value keeps the spelling it was given.
    let given = r#"{"type": "button", "sub_type": "url", "index": 0, "parameters": [{"type": "text", "text": "INV-2026-0042"}]}"#;
    let parsed: s::WhatsAppButtonUrl = serde_json::from_str(given).unwrap();
    let back = serde_json::to_value(&parsed).unwrap();
    assert_eq!(back["type"], "button");
    assert_eq!(back["sub_type"], "url");
    assert_eq!(*parsed.sub_type, s::WhatsAppButtonUrlSubType::Url);
}

#[test]
fn a_signature_is_computed_from_the_request() {
    let username: s::SendRequestUsername = "kebunsegar".parse().unwrap();
    let time: s::UnixSeconds = "1764135529".parse().unwrap();
    let signature = s::signature(&username, &s::Password::new("rahasia123"), &time);
    // The README's example request carries this signature.
    assert_eq!(
        signature.as_str(),
        "2d16493da7932efabaeef86022b15d4f56de186917b1898c1cada0f8c4e1ec64"
    );
    // The validator agrees: no signature-mismatch with the password set.
    let request = mpm_request().unwrap();
    assert_eq!(request.signature, signature);
    let mut options = preflight::Options::default();
    options.sandeza_password = Some("rahasia123".into());
    let value = serde_json::to_value(&request).unwrap();
    let report = preflight::validate_value_with("sandeza/send", &value, &options).unwrap();
    assert!(
        report
            .diagnostics
            .iter()
            .all(|d| d.rule != "signature-mismatch"),
        "{:?}",
        report.diagnostics
    );
    // And a wrong password is reported.
    options.sandeza_password = Some("salah".into());
    let report = preflight::validate_value_with("sandeza/send", &value, &options).unwrap();
    assert!(
        report
            .diagnostics
            .iter()
            .any(|d| d.rule == "signature-mismatch")
    );
    // The request time is now, in seconds.
    let now = s::UnixSeconds::now();
    assert!(
        now.len() >= 10 && now.bytes().all(|b| b.is_ascii_digit()),
        "{now}"
    );
    assert_eq!(
        format!("{:?}", s::Password::new("rahasia123")),
        "Password(<redacted>)"
    );
}
