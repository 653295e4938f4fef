//! The generator returns errors, never panics, on any schema: arbitrary
//! JSON documents built from the keywords it reads (with `$ref`s that
//! dangle, recurse, or point into nested `$defs`, contradictory `allOf`s,
//! odd names) are fed to it, and whatever comes out must be `Ok` with code
//! that parses, or an `Err` naming a file.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use preflight_codegen::{Options, SchemaSet, generate};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("type".to_string()),
        Just("Type".to_string()),
        Just("self".to_string()),
        Just("a-b".to_string()),
        Just("a_b".to_string()),
        Just("1".to_string()),
        Just(String::new()),
        Just("é".to_string()),
        "[a-zA-Z_-]{1,6}",
    ]
}

fn reference() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!("#")),
        Just(json!("#/$defs/A")),
        Just(json!("#/$defs/A/$defs/B")),
        Just(json!("#/$defs/Missing")),
        Just(json!("#anchor")),
        Just(json!("other.json#/$defs/X")),
        Just(json!("missing.json")),
        Just(json!("#/properties/a")),
        Just(json!(7)),
    ]
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!({"type": "string"})),
        Just(json!({"type": "string", "maxLength": 3, "minLength": 5})),
        Just(json!({"type": "integer", "minimum": 3, "maximum": 1})),
        Just(json!({"type": ["integer", "string"], "pattern": "^[0-9]$"})),
        Just(json!({"type": ["null", "number"]})),
        Just(json!({"type": []})),
        Just(json!({"type": "bogus"})),
        Just(json!({"enum": []})),
        Just(json!({"enum": ["a", "A", 1, "1", null, 1.5, {"x": 1}]})),
        Just(json!({"const": "x"})),
        Just(json!({"format": "email"})),
        Just(json!(true)),
        Just(json!(false)),
        Just(json!(null)),
        Just(json!({"prefixItems": []})),
        Just(json!({"$anchor": "anchor", "type": "boolean"})),
        reference().prop_map(|r| json!({ "$ref": r })),
    ]
}

fn schema() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(4, 48, 6, |inner| {
        let props = prop::collection::vec((name(), inner.clone()), 0..4);
        prop_oneof![
            (props, prop::collection::vec(name(), 0..3), any::<Option<bool>>()).prop_map(
                |(props, required, ap)| {
                    let mut m = Map::new();
                    m.insert("type".into(), json!("object"));
                    m.insert("properties".into(), Value::Object(props.into_iter().collect()));
                    m.insert("required".into(), json!(required));
                    if let Some(ap) = ap {
                        m.insert("additionalProperties".into(), json!(ap));
                    }
                    Value::Object(m)
                }
            ),
            (inner.clone(), 0usize..3, proptest::option::of(0usize..3))
                .prop_map(|(i, min, max)| json!({"type": "array", "items": i, "minItems": min, "maxItems": max})),
            prop::collection::vec(inner.clone(), 0..4).prop_map(|v| json!({ "oneOf": v })),
            prop::collection::vec(inner.clone(), 0..3).prop_map(|v| json!({ "anyOf": v })),
            prop::collection::vec(inner.clone(), 0..3).prop_map(|v| json!({ "allOf": v })),
            (inner.clone(), inner.clone(), inner.clone())
                .prop_map(|(a, b, c)| json!({"if": a, "then": b, "else": c})),
            (reference(), inner.clone()).prop_map(|(r, i)| json!({"$ref": r, "allOf": [i]})),
            (inner.clone(), inner).prop_map(|(a, b)| json!({"$defs": {"A": a, "B": b}, "type": "object"})),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn never_panics(root in schema(), defs in schema(), other in schema()) {
        let mut doc = match root {
            Value::Object(m) => m,
            other => {
                let mut m = Map::new();
                m.insert("allOf".into(), json!([other]));
                m
            }
        };
        doc.insert("$defs".into(), json!({ "A": defs.clone(), "Nested": { "$defs": { "B": defs } } }));
        let mut set = SchemaSet::new();
        let _ = set.add_value("fuzz/root.json", Value::Object(doc));
        let _ = set.add_value("fuzz/other.json", json!({ "$defs": { "X": other } }));
        match generate(&set, &Options::for_preflight()) {
            Ok(g) => {
                // Whatever is generated is a Rust file.
                let source = g.to_source();
                prop_assert!(source.is_ok(), "{:?}", source.err());
            }
            Err(e) => prop_assert!(!e.file.is_empty() || !e.reason.is_empty()),
        }
    }
}

/// Found by `never_panics`: a variant that is a `$ref` to the whole document
/// (`#`, absolute `…/root.json#` once resolved) gave that URI as a type name,
/// and building the identifier panicked.
#[test]
fn a_variant_referencing_the_whole_document_gets_a_name() {
    let defs = json!({
        "$defs": {
            "A": {"type": ["integer", "string"], "pattern": "^[0-9]$"},
            "B": {"$ref": "#", "allOf": [{"type": "string"}]}
        },
        "type": "object"
    });
    let mut set = SchemaSet::new();
    set.add_value(
        "fuzz/root.json",
        json!({
            "anyOf": [{"$ref": "#", "allOf": [{"enum": ["a", "A", 1, "1", null, 1.5, {"x": 1}]}]}],
            "$defs": {"A": defs.clone(), "Nested": {"$defs": {"B": defs}}}
        }),
    )
    .unwrap();
    set.add_value(
        "fuzz/other.json",
        json!({"$defs": {"X": {"type": "string"}}}),
    )
    .unwrap();
    match generate(&set, &Options::for_preflight()) {
        Ok(g) => assert!(g.to_source().is_ok()),
        Err(e) => assert!(!e.reason.is_empty()),
    }
}
