//! Schema contract: every schema is valid 2020-12, every `$ref` resolves
//! offline, a second JSON Schema implementation (boon) accepts every schema and
//! every example, every property is described, and mutated examples are
//! rejected at the right pointer.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

/// The base every schema `$id` lives under (never fetched: `.invalid` is a
/// reserved domain).
const SCHEMA_BASE: &str = "https://preflight.invalid/schemas/";
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
        // Compiling the schema is the first thing validating does.
        preflight::validate(e.id, b"{}").unwrap_or_else(|err| panic!("{}: {err}", e.id));
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
        let uri = format!("{SCHEMA_BASE}{}.json", e.id);
        let index = compiler
            .compile(&uri, &mut schemas)
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
