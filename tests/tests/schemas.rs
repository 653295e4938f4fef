//! Schema contract: every schema is valid 2020-12, every `$ref` resolves
//! offline, a second JSON Schema implementation (boon) accepts every schema and
//! every example, every property is described, and mutated examples are
//! rejected at the right pointer.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use preflight::Registry;
use preflight::annotate::Annotations;
use preflight::endpoint::SCHEMA_BASE;
use preflight_tests::{json_files, root};
use serde_json::Value;
use std::path::PathBuf;

fn schema_files() -> Vec<(String, Value)> {
    let dir = root().join("schemas");
    json_files(&dir)
        .into_iter()
        .map(|p| {
            let rel = p.strip_prefix(&dir).unwrap().with_extension("");
            let text = std::fs::read_to_string(&p).unwrap();
            (
                rel.to_string_lossy().replace('\\', "/"),
                serde_json::from_str(&text).unwrap(),
            )
        })
        .collect()
}

fn examples(endpoint: &str) -> Vec<PathBuf> {
    json_files(&root().join("examples").join(endpoint))
}

#[test]
fn embedded_list_matches_the_files() {
    let on_disk: Vec<String> = schema_files().into_iter().map(|(p, _)| p).collect();
    let embedded: Vec<&str> = preflight::schemas::ENDPOINT_SCHEMAS
        .iter()
        .chain(preflight::schemas::COMMON_SCHEMAS)
        .map(|s| s.path)
        .collect();
    for p in &on_disk {
        assert!(
            embedded.contains(&p.as_str()),
            "schemas/{p}.json is not embedded (add it to validator/src/schemas.rs)"
        );
    }
    for p in &embedded {
        assert!(
            on_disk.iter().any(|d| d == p),
            "{p} is embedded but has no file"
        );
    }
    assert_eq!(preflight::schemas::ENDPOINT_SCHEMAS.len(), 21);
}

#[test]
fn every_schema_is_valid_2020_12_with_its_id() {
    for (path, schema) in schema_files() {
        assert_eq!(
            schema["$schema"], "https://json-schema.org/draft/2020-12/schema",
            "{path}"
        );
        assert_eq!(schema["$id"], format!("{SCHEMA_BASE}{path}.json"), "{path}");
        if let Err(e) = jsonschema::meta::validate(&schema) {
            panic!(
                "{path} is not a valid 2020-12 schema: {e} at {}",
                e.instance_path()
            );
        }
    }
}

#[test]
fn every_endpoint_compiles_offline_with_all_refs_resolved() {
    for e in preflight::endpoints().unwrap() {
        e.validator()
            .unwrap_or_else(|err| panic!("{}: {err}", e.id));
    }
}

/// boon: a second, independent 2020-12 implementation (Rust `regex` patterns,
/// format assertions on) must accept every schema and every example.
#[test]
fn a_second_implementation_accepts_schemas_and_examples() {
    let mut compiler = boon::Compiler::new();
    compiler.enable_format_assertions();
    for (path, schema) in schema_files() {
        compiler
            .add_resource(&format!("{SCHEMA_BASE}{path}.json"), schema)
            .unwrap_or_else(|e| panic!("{path}: {e}"));
    }
    let mut schemas = boon::Schemas::new();
    let mut checked = 0;
    for e in preflight::endpoints().unwrap() {
        let index = compiler
            .compile(&e.uri, &mut schemas)
            .unwrap_or_else(|err| panic!("boon rejects {}: {err:#}", e.id));
        for ex in examples(e.id) {
            let value: Value =
                serde_json::from_str(&std::fs::read_to_string(&ex).unwrap()).unwrap();
            if let Err(err) = schemas.validate(&value, index) {
                panic!("boon: {} fails {}: {err:#}", ex.display(), e.id);
            }
            checked += 1;
        }
    }
    assert!(checked >= 21);
}

#[test]
fn every_endpoint_has_examples_and_they_pass_with_no_finding() {
    for e in preflight::endpoints().unwrap() {
        let files = examples(e.id);
        assert!(!files.is_empty(), "{} has no example", e.id);
        for ex in files {
            let report = preflight::validate(e.id, &std::fs::read(&ex).unwrap()).unwrap();
            assert!(
                report.diagnostics.is_empty(),
                "{}: {:#?}",
                ex.display(),
                report.diagnostics
            );
        }
    }
}

#[test]
fn every_property_has_a_description() {
    fn walk(node: &Value, path: &str, missing: &mut Vec<String>) {
        match node {
            Value::Object(map) => {
                if let Some(Value::Object(props)) = map.get("properties") {
                    for (k, sub) in props {
                        if sub.is_object() && sub.get("description").is_none() {
                            missing.push(format!("{path}/properties/{k}"));
                        }
                    }
                }
                for (k, v) in map {
                    walk(v, &format!("{path}/{k}"), missing);
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    walk(v, &format!("{path}/{i}"), missing);
                }
            }
            _ => {}
        }
    }
    let mut missing = Vec::new();
    for (path, schema) in schema_files() {
        walk(&schema, &format!("{path}#"), &mut missing);
    }
    assert!(
        missing.is_empty(),
        "properties without a description: {missing:#?}"
    );
}

/// The first object in the payload whose schema requires fields, as
/// (pointer, first required field).
fn a_required_field(
    registry: &'static Registry,
    endpoint: &preflight::Endpoint,
    value: &Value,
) -> Option<(String, String)> {
    let annotations = Annotations::collect(registry, endpoint, value);
    for applied in annotations.iter() {
        let Some(required) = applied.node.get("required").and_then(Value::as_array) else {
            continue;
        };
        let Some(target) = value.pointer(applied.pointer).and_then(Value::as_object) else {
            continue;
        };
        if let Some(field) = required
            .iter()
            .filter_map(Value::as_str)
            .find(|f| target.contains_key(*f))
        {
            return Some((applied.pointer.to_string(), field.to_string()));
        }
    }
    None
}

/// A string in the payload whose schema gives it a maxLength, as (pointer, limit).
fn a_limited_string(
    registry: &'static Registry,
    endpoint: &preflight::Endpoint,
    value: &Value,
) -> Option<(String, usize)> {
    let annotations = Annotations::collect(registry, endpoint, value);
    annotations.iter().find_map(|a| {
        let limit = a.node.get("maxLength")?.as_u64()?;
        value.pointer(a.pointer)?.as_str()?;
        Some((a.pointer.to_string(), limit as usize))
    })
}

/// A string in the payload whose schema says `"type": "string"` only.
fn a_plain_string(
    registry: &'static Registry,
    endpoint: &preflight::Endpoint,
    value: &Value,
) -> Option<String> {
    let annotations = Annotations::collect(registry, endpoint, value);
    annotations.iter().find_map(|a| {
        (a.node.get("type")? == "string" && value.pointer(a.pointer)?.is_string())
            .then(|| a.pointer.to_string())
    })
}

#[test]
fn mutated_examples_are_rejected_at_the_right_pointer() {
    let registry = Registry::get().unwrap();
    for e in registry.endpoints() {
        let ex = &examples(e.id)[0];
        let value: Value = serde_json::from_str(&std::fs::read_to_string(ex).unwrap()).unwrap();
        let mut tested = 0;
        if let Some((ptr, field)) = a_required_field(registry, e, &value) {
            let mut broken = value.clone();
            broken
                .pointer_mut(&ptr)
                .unwrap()
                .as_object_mut()
                .unwrap()
                .shift_remove(&field);
            let report = preflight::validate_value(e.id, &broken).unwrap();
            let expected = format!("{ptr}/{}", field.replace('~', "~0").replace('/', "~1"));
            assert!(
                report
                    .diagnostics
                    .iter()
                    .any(|d| d.rule == "required" && d.pointer == expected),
                "{}: removing {expected} gave {:#?}",
                e.id,
                report.diagnostics
            );
            tested += 1;
        }
        if let Some((ptr, limit)) = a_limited_string(registry, e, &value) {
            let mut broken = value.clone();
            let current = broken.pointer(&ptr).unwrap().as_str().unwrap().to_string();
            let filler = if current.chars().all(|c| c.is_ascii_digit()) && !current.is_empty() {
                '7'
            } else {
                'a'
            };
            let long: String = std::iter::repeat_n(filler, limit + 1).collect();
            *broken.pointer_mut(&ptr).unwrap() = Value::String(long);
            let report = preflight::validate_value(e.id, &broken).unwrap();
            assert!(
                report
                    .diagnostics
                    .iter()
                    .any(|d| d.rule == "max-length" && d.pointer == ptr),
                "{}: {} characters at {ptr} gave {:#?}",
                e.id,
                limit + 1,
                report.diagnostics
            );
            tested += 1;
        }
        if let Some(ptr) = a_plain_string(registry, e, &value) {
            let mut broken = value.clone();
            *broken.pointer_mut(&ptr).unwrap() = Value::from(12345);
            let report = preflight::validate_value(e.id, &broken).unwrap();
            assert!(
                report
                    .diagnostics
                    .iter()
                    .any(|d| d.rule == "type" && d.pointer == ptr),
                "{}: a number at {ptr} gave {:#?}",
                e.id,
                report.diagnostics
            );
            tested += 1;
        }
        assert!(
            tested > 0,
            "{}: no mutation applies to {}",
            e.id,
            ex.display()
        );
    }
}
