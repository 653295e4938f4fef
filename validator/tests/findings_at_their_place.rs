//! A mistake inside one variant of a `oneOf` is reported at its own place,
//! once, when the object's members say which variant it meant: here a
//! Sandeza WhatsApp template whose body (JSON format) has one mistake, or
//! several parts with one mistake each, or parts in the two formats mixed.
//!
//! Each payload is a correct example with one change (or three); the test
//! asserts the exact (rule, pointer) of every finding, so a vague `one-of`
//! at `/channel/whatsapp`, a second finding for one cause or a finding at
//! another place fails it.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use serde_json::{Value, json};
use std::path::Path;

fn example(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples/sandeza/send")
        .join(name);
    serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap()
}

/// The example with `changes` applied (pointer → new value; `None` removes).
fn changed(name: &str, changes: &[(&str, Option<Value>)]) -> Value {
    let mut payload = example(name);
    for (ptr, value) in changes {
        let (parent, key) = ptr.rsplit_once('/').unwrap();
        let target = payload.pointer_mut(parent).unwrap();
        match (target, value) {
            (Value::Object(map), Some(v)) => {
                map.insert(key.to_string(), v.clone());
            }
            (Value::Object(map), None) => {
                map.remove(key);
            }
            (Value::Array(items), Some(v)) => items[key.parse::<usize>().unwrap()] = v.clone(),
            (other, _) => panic!("{ptr}: cannot change {other}"),
        }
    }
    payload
}

fn findings(payload: &Value) -> Vec<(String, String, String)> {
    let report = preflight::validate_value("sandeza/send", payload).unwrap();
    report
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.rule.clone(),
                d.pointer.clone(),
                format!("{} | {}", d.message, d.help.clone().unwrap_or_default()),
            )
        })
        .collect()
}

/// Asserts exactly one finding, of `rule` at `pointer`, whose message and
/// help contain every one of `words`.
fn one(payload: &Value, rule: &str, pointer: &str, words: &[&str]) {
    let got = findings(payload);
    assert_eq!(
        got.iter()
            .map(|(r, p, _)| (r.as_str(), p.as_str()))
            .collect::<Vec<_>>(),
        vec![(rule, pointer)],
        "{got:#?}"
    );
    for word in words {
        assert!(got[0].2.contains(word), "{word:?} not in {:?}", got[0].2);
    }
}

const BODY_ONLY: &str = "whatsapp-json-dynamic-body.json";
const ALL_PARTS: &str = "whatsapp-json-button-url.json";

#[test]
fn the_examples_are_clean() {
    for name in [BODY_ONLY, ALL_PARTS, "whatsapp-json-carousel.json"] {
        assert_eq!(findings(&example(name)), vec![], "{name}");
    }
}

#[test]
fn a_body_type_other_than_body() {
    for name in [BODY_ONLY, ALL_PARTS] {
        let p = changed(
            name,
            &[("/channel/whatsapp/message/type", Some(json!("text")))],
        );
        one(
            &p,
            "enum",
            "/channel/whatsapp/message/type",
            &["`type` is \"text\"", "\"body\""],
        );
    }
}

#[test]
fn the_tables_spelling_parameter() {
    for name in [BODY_ONLY, ALL_PARTS] {
        let mut p = example(name);
        let params = p["channel"]["whatsapp"]["message"]
            .as_object_mut()
            .unwrap()
            .remove("parameters")
            .unwrap();
        p["channel"]["whatsapp"]["message"]["parameter"] = params;
        one(
            &p,
            "additional-properties",
            "/channel/whatsapp/message/parameter",
            &["did you mean `parameters`?"],
        );
    }
}

#[test]
fn an_empty_body_text() {
    for name in [BODY_ONLY, ALL_PARTS] {
        let p = changed(
            name,
            &[(
                "/channel/whatsapp/message/parameters/0/text",
                Some(json!("")),
            )],
        );
        one(
            &p,
            "min-length",
            "/channel/whatsapp/message/parameters/0/text",
            &["`text` is empty"],
        );
    }
}

#[test]
fn an_empty_parameters_array() {
    for name in [BODY_ONLY, ALL_PARTS] {
        let p = changed(
            name,
            &[("/channel/whatsapp/message/parameters", Some(json!([])))],
        );
        one(
            &p,
            "min-items",
            "/channel/whatsapp/message/parameters",
            &["`parameters` is empty", "add at least 1 item"],
        );
    }
}

#[test]
fn a_parameter_of_a_type_the_body_does_not_take() {
    for name in [BODY_ONLY, ALL_PARTS] {
        for param in [
            json!({"type": "image", "text": "Hendra Gunawan"}),
            json!({"type": "image", "image": {"link": "https://cdn.example.co.id/a.png"}}),
        ] {
            let p = changed(
                name,
                &[("/channel/whatsapp/message/parameters/0", Some(param))],
            );
            one(
                &p,
                "enum",
                "/channel/whatsapp/message/parameters/0/type",
                &["`type` is \"image\"", "write \"text\""],
            );
        }
    }
}

#[test]
fn a_json_body_mixed_with_a_delimiter_part() {
    let p = changed(
        BODY_ONLY,
        &[(
            "/channel/whatsapp/header",
            Some(json!("text:=:Pengingat Tagihan")),
        )],
    );
    one(
        &p,
        "one-of",
        "/channel/whatsapp/header",
        &[
            "delimiter format",
            "JSON format",
            "`message`",
            "write `header` in the JSON format",
        ],
    );
    let p = changed(
        ALL_PARTS,
        &[(
            "/channel/whatsapp/button",
            Some(json!("button:=:url:=:TB-88213")),
        )],
    );
    one(
        &p,
        "one-of",
        "/channel/whatsapp/button",
        &["`header` and `message` are in the JSON format"],
    );
    // Two parts in the delimiter format and one in JSON: the odd one is the
    // JSON part, and the one finding is there.
    let p = changed(
        ALL_PARTS,
        &[
            (
                "/channel/whatsapp/message",
                Some(json!("text:=:Andi Wijaya")),
            ),
            (
                "/channel/whatsapp/header",
                Some(json!("text:=:Paket Sedang Dikirim")),
            ),
        ],
    );
    one(
        &p,
        "one-of",
        "/channel/whatsapp/button",
        &[
            "`button` is in the JSON format",
            "write `button` in the delimiter format",
        ],
    );
    // The reverse: a delimiter body beside a JSON header.
    let p = changed(
        ALL_PARTS,
        &[
            (
                "/channel/whatsapp/message",
                Some(json!("text:=:Andi Wijaya")),
            ),
            ("/channel/whatsapp/button", None),
        ],
    );
    one(
        &p,
        "one-of",
        "/channel/whatsapp/message",
        &["`message` is in the delimiter format", "`header`"],
    );
}

#[test]
fn several_mistakes_one_finding_each() {
    let p = changed(
        ALL_PARTS,
        &[
            (
                "/channel/whatsapp/header/parameters/0/text",
                Some(json!("A".repeat(80))),
            ),
            ("/channel/whatsapp/button/0/index", Some(json!(12))),
            ("/channel/whatsapp/message/parameters", Some(json!([]))),
        ],
    );
    let mut got: Vec<(String, String)> = findings(&p)
        .into_iter()
        .map(|(r, ptr, _)| (r, ptr))
        .collect();
    got.sort();
    let want = [
        ("max-length", "/channel/whatsapp/header/parameters/0/text"),
        ("maximum", "/channel/whatsapp/button/0/index"),
        ("min-items", "/channel/whatsapp/message/parameters"),
    ];
    assert_eq!(
        got,
        want.iter()
            .map(|(r, p)| (r.to_string(), p.to_string()))
            .collect::<Vec<_>>()
    );
}

#[test]
fn carousel_card_bodies_alike() {
    let card = "/channel/whatsapp/carousel/cards/1/components/1";
    let carousel = "whatsapp-json-carousel.json";
    let p = changed(
        carousel,
        &[(
            &format!("{card}/parameters/0"),
            Some(json!({"type": "image", "image": {"link": "https://cdn.example.co.id/a.jpg"}})),
        )],
    );
    one(
        &p,
        "enum",
        &format!("{card}/parameters/0/type"),
        &["write \"text\""],
    );
    let p = changed(carousel, &[(&format!("{card}/type"), Some(json!("text")))]);
    one(&p, "enum", &format!("{card}/type"), &["write \"BODY\""]);
    let p = changed(
        carousel,
        &[(&format!("{card}/parameters"), Some(json!([])))],
    );
    one(&p, "min-items", &format!("{card}/parameters"), &[]);
    let p = changed(
        carousel,
        &[(&format!("{card}/parameters/0/text"), Some(json!("")))],
    );
    one(&p, "min-length", &format!("{card}/parameters/0/text"), &[]);
}
