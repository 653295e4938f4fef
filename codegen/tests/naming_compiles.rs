//! The naming-collision fixture's generated code compiles against the real
//! runtime (and `cargo clippy --all-targets` lints it), and behaves: every
//! colliding name got a distinct, readable identifier.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

#[allow(
    missing_docs,
    dead_code,
    reason = "the fixture exercises naming; a test uses only part of it"
)]
mod generated {
    include!("fixtures/naming/generated.rs");
}

use generated::naming::{CollideItem, Item};

#[test]
fn colliding_names_are_distinct_and_round_trip() {
    let json = r#"{"type": "t", "Type": "T", "TYPE": "TT", "self": 1, "match": true,
        "Qiscus-App-Id": "a", "qiscus_app_id": "b", "sendingMode": "NOW", "sending_mode": 2,
        "SendingMode": "en-US", "1st": "x", "additional_properties": "y", "extra": 1,
        "items": [{"id": 1}], "variant": {"kind": "A", "value": "v"}, "either": null}"#;
    let value: serde_json::Value = serde_json::from_str(json).unwrap();
    let request = generated::Request::parse("naming/collide", json).unwrap();
    assert_eq!(serde_json::to_value(&request).unwrap(), value);
    let generated::Request::NamingCollide(r) = request;
    assert_eq!(r.r#type, "t");
    assert_eq!(r.type_pascal.as_deref(), Some("T"));
    assert_eq!(r.type_upper.as_deref(), Some("TT"));
    assert_eq!(r.self_, 1);
    assert_eq!(
        r.other_additional_properties.get("extra"),
        Some(&serde_json::json!(1))
    );
    let _: Option<Item> = r.item;
    let _: &CollideItem = &r.items[0];
}
