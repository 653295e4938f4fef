//! `preflight schema ID --bundle` and `preflight schema --export DIR`: every
//! bundle stands alone (no `$ref` leaves the document, a standard validator
//! compiles it with nothing else to fetch) and gives the same verdicts as the
//! schemas it was made from, on the shipped examples and on the schema
//! keywords' rule cases; the export writes exactly the files it lists.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn preflight() -> Command {
    let mut cmd = Command::cargo_bin("preflight").unwrap();
    cmd.current_dir(root())
        .env_remove("PREFLIGHT_SANDEZA_PASSWORD")
        .env("NO_COLOR", "1");
    cmd
}

/// Every id `preflight schema` takes: the endpoints and the templates file.
fn ids() -> Vec<String> {
    let out = preflight().arg("endpoints").output().unwrap();
    let mut ids: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect();
    assert_eq!(ids.len(), 21);
    ids.push("meta/message-templates".to_string());
    ids
}

fn bundle(id: &str) -> Value {
    let out = preflight()
        .args(["schema", id, "--bundle"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{id}");
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Every `$ref` of a schema (values under `enum`, `const`, `examples` and
/// `default` are data, not schemas).
fn refs(node: &Value, out: &mut Vec<String>) {
    match node {
        Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("$ref", Value::String(r)) => out.push(r.clone()),
                    ("enum" | "const" | "examples" | "default", _) => {}
                    _ => refs(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

/// A validator with nothing but `schema`: no registry, and (without the
/// crate's `resolve-http`/`resolve-file` features) no retriever that could
/// fetch anything.
fn standalone(schema: &Value) -> jsonschema::Validator {
    jsonschema::options()
        .should_validate_formats(true)
        .build(schema)
        .unwrap_or_else(|e| panic!("{}: {e}", schema["$id"]))
}

/// The original: the endpoint's schema as written, with every file under
/// `schemas/` as a resource.
fn original(id: &str) -> jsonschema::Validator {
    let mut docs: Vec<(String, Arc<Value>)> = Vec::new();
    for dir in std::fs::read_dir(root().join("schemas")).unwrap() {
        let dir = dir.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(&dir).unwrap() {
            let file = file.unwrap().path();
            let doc: Value =
                serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
            let uri = doc["$id"].as_str().unwrap().to_string();
            docs.push((uri, Arc::new(doc)));
        }
    }
    let registry = Box::leak(Box::new(
        jsonschema::Registry::new()
            .extend(docs)
            .unwrap()
            .prepare()
            .unwrap(),
    ));
    jsonschema::options()
        .with_registry(registry)
        .should_validate_formats(true)
        .build(&serde_json::json!({
            "$ref": format!("https://preflight.invalid/schemas/{id}.json")
        }))
        .unwrap()
}

#[test]
fn every_bundle_is_self_contained() {
    for id in ids() {
        let bundle = bundle(&id);
        let mut all = Vec::new();
        refs(&bundle, &mut all);
        let outside: Vec<&String> = all.iter().filter(|r| !r.starts_with('#')).collect();
        assert!(
            outside.is_empty(),
            "{id}: refs outside the bundle: {outside:?}"
        );
        // Every ref points at a node of the bundle.
        for r in &all {
            let pointer = r.trim_start_matches('#');
            assert!(
                bundle.pointer(pointer).is_some() || pointer.contains('%'),
                "{id}: {r} points nowhere"
            );
        }
        standalone(&bundle);
    }
    // What the bundles brought in, under stable names; the vendor keywords stay.
    let oca = bundle("oca/push-message");
    assert!(oca["$defs"]["common.whatsapp.ButtonIndex"].is_object());
    assert!(oca.to_string().contains("\"x-"));
    let multiple = bundle("3dolphins/broadcast-multiple");
    assert!(multiple["$defs"]["3dolphins.broadcast.Broadcast"].is_object());
    assert!(multiple["$defs"]["common.whatsapp.Caption"].is_object());
    assert_eq!(
        multiple["$id"],
        "https://preflight.invalid/schemas/3dolphins/broadcast-multiple.json"
    );
}

/// Each payload of `files` (a `validate --format json` document) with its
/// endpoint: whole files, and NDJSON lines one by one.
fn payloads(report: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for f in report["files"].as_array().unwrap() {
        let (Some(path), Some(endpoint)) = (f["path"].as_str(), f["endpoint"].as_str()) else {
            continue;
        };
        let text = std::fs::read_to_string(root().join(path)).unwrap();
        if path.ends_with(".ndjson") || path.ends_with(".jsonl") {
            for line in text.lines().filter(|l| !l.trim().is_empty()) {
                if let Ok(v) = serde_json::from_str(line) {
                    out.push((path.to_string(), endpoint.to_string(), v));
                }
            }
        } else if let Ok(v) = serde_json::from_str(&text) {
            out.push((path.to_string(), endpoint.to_string(), v));
        }
    }
    out
}

fn report(paths: &[&str]) -> Value {
    let out = preflight()
        .args(["validate", "--format", "json"])
        .args(paths)
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Which rules preflight reported in the file at `path` of `report`.
fn rules_of<'r>(report: &'r Value, path: &str) -> Vec<&'r str> {
    report["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["path"] == path)
        .flat_map(|f| f["diagnostics"].as_array().unwrap())
        .filter(|d| d["severity"] == "error")
        .filter_map(|d| d["rule"].as_str())
        .collect()
}

#[test]
fn bundles_give_the_originals_verdicts() {
    let mut validators = std::collections::HashMap::new();
    let mut check = |endpoint: &str, payload: &Value| -> bool {
        let (bundled, original) = validators
            .entry(endpoint.to_string())
            .or_insert_with(|| (standalone(&bundle(endpoint)), original(endpoint)));
        let verdict = bundled.is_valid(payload);
        assert_eq!(verdict, original.is_valid(payload), "{endpoint}: {payload}");
        verdict
    };
    // The examples: real payloads, valid for the schemas.
    let examples = report(&["examples"]);
    let shipped = payloads(&examples);
    assert!(shipped.len() >= 30, "{}", shipped.len());
    for (path, endpoint, payload) in &shipped {
        assert!(check(endpoint, payload), "{path} fails its bundle");
    }
    // Rule cases of schema keywords: every invalid case preflight reports the
    // keyword in fails the bundle too; the valid ones agree with the original.
    let keywords = [
        "max-length",
        "min-length",
        "required",
        "type",
        "enum",
        "pattern",
        "max-items",
        "additional-properties",
    ];
    let mut failing = 0;
    for keyword in keywords {
        for kind in ["valid", "invalid"] {
            let dir = format!("validator/tests/cases/{keyword}/{kind}");
            let cases = report(&["--sandeza-password", "rahasia123", &dir]);
            for (path, endpoint, payload) in payloads(&cases) {
                let verdict = check(&endpoint, &payload);
                if kind == "invalid" && rules_of(&cases, &path).contains(&keyword) {
                    assert!(
                        !verdict,
                        "{path}: preflight reports {keyword}, the bundle passes it"
                    );
                    failing += 1;
                }
            }
        }
    }
    assert!(failing >= 10, "only {failing} failing cases checked");
}

#[test]
fn export_writes_every_bundle_and_the_config_schema() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("schemas");
    // Overwrites: a stale file in the way is replaced.
    std::fs::create_dir_all(target.join("sandeza")).unwrap();
    std::fs::write(target.join("sandeza/send.json"), "stale").unwrap();
    let out = preflight()
        .args(["schema", "--export"])
        .arg(&target)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let listed: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| l.strip_prefix("wrote ").unwrap().to_string())
        .collect();
    let mut expected: Vec<PathBuf> = ids()
        .iter()
        .map(|id| target.join(format!("{id}.json")))
        .collect();
    expected.push(target.join("preflight.schema.json"));
    assert_eq!(
        listed,
        expected
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
    );
    for id in ids() {
        let written: Value = serde_json::from_str(
            &std::fs::read_to_string(target.join(format!("{id}.json"))).unwrap(),
        )
        .unwrap();
        assert_eq!(written, bundle(&id), "{id}");
    }
    let config = preflight().arg("config-schema").output().unwrap().stdout;
    assert_eq!(
        std::fs::read(target.join("preflight.schema.json")).unwrap(),
        config
    );
}

#[test]
fn an_id_and_export_conflict() {
    let out = preflight()
        .args(["schema", "sandeza/send", "--export", "x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = preflight().args(["schema"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = preflight()
        .args(["schema", "sandeza/sned", "--bundle"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean 'sandeza/send'"));
}
