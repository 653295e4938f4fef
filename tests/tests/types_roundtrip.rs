//! The generated types against real payloads: every example and every doc
//! sample that fits its schema parses with `Request::parse` and serializes
//! back to an equal `serde_json::Value`; samples that do not fit are
//! rejected with an error naming the field.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use preflight_tests::{json_files, root};
use std::path::{Path, PathBuf};

use preflight::types::Request;
use serde_json::Value;

fn keyword_errors(endpoint: &str, value: &Value) -> Vec<String> {
    preflight::validate_value(endpoint, value)
        .unwrap()
        .diagnostics
        .iter()
        .filter(|d| {
            d.severity == preflight::Severity::Error
                && preflight::rules::get(&d.rule)
                    .is_ok_and(|r| r.kind() == preflight::rules::RuleKind::Keyword)
        })
        .map(|d| format!("{} {}: {}", d.rule, d.pointer, d.message))
        .collect()
}

fn all_errors(endpoint: &str, value: &Value) -> Vec<String> {
    preflight::validate_value(endpoint, value)
        .unwrap()
        .diagnostics
        .iter()
        .filter(|d| d.severity == preflight::Severity::Error)
        .map(|d| format!("{} {}: {}", d.rule, d.pointer, d.message))
        .collect()
}

fn round_trip(endpoint: &str, text: &str, what: &Path) {
    let value: Value = serde_json::from_str(text).unwrap();
    let request = Request::parse(endpoint, text)
        .unwrap_or_else(|e| panic!("{}: does not parse as {endpoint}: {e}", what.display()));
    assert_eq!(request.endpoint_id(), endpoint);
    // A parsed value is a payload preflight accepts.
    assert!(
        !request.validate().has_errors(),
        "{}: parsed with error findings",
        what.display()
    );
    let back = serde_json::to_value(&request).unwrap();
    assert_eq!(back, value, "{}: changed on the way back", what.display());
}

#[test]
fn every_example_round_trips() {
    let dir = root().join("examples");
    let mut count = 0;
    for path in json_files(&dir) {
        let rel = path.strip_prefix(&dir).unwrap();
        let parts: Vec<String> = rel
            .iter()
            .map(|s| s.to_string_lossy().into_owned())
            .collect();
        let [provider, endpoint, _file] = parts.as_slice() else {
            continue;
        };
        let id = format!("{provider}/{endpoint}");
        if !Request::ENDPOINTS.contains(&id.as_str()) {
            continue;
        }
        round_trip(&id, &std::fs::read_to_string(&path).unwrap(), &path);
        count += 1;
    }
    assert!(count > 0, "no example found under {}", dir.display());
}

/// The endpoint of a doc sample: the id named in its INDEX.md row, else the
/// provider's only endpoint.
fn sample_endpoint(provider: &str, file: &str, index: &str) -> Option<String> {
    let row = index
        .lines()
        .find(|l| l.starts_with('|') && l.contains(file))?;
    if let Some(id) = Request::ENDPOINTS
        .iter()
        .filter(|id| id.starts_with(&format!("{provider}/")))
        .filter(|id| {
            row.split('|')
                .any(|cell| cell.trim().trim_matches('`') == **id)
        })
        .max_by_key(|id| id.len())
    {
        return Some((*id).to_string());
    }
    let mine: Vec<&&str> = Request::ENDPOINTS
        .iter()
        .filter(|id| id.starts_with(&format!("{provider}/")))
        .collect();
    match mine.as_slice() {
        [only] => Some((**only).to_string()),
        _ => None,
    }
}

#[test]
fn doc_samples_round_trip_or_are_rejected_naming_the_field() {
    let dir = root().join("tests/doc-samples");
    let (mut fitting, mut rejected) = (0, 0);
    for provider_dir in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        let provider = provider_dir.file_name().to_string_lossy().into_owned();
        let index =
            std::fs::read_to_string(provider_dir.path().join("INDEX.md")).unwrap_or_default();
        for path in json_files(&provider_dir.path()) {
            let file = path.file_name().unwrap().to_string_lossy().into_owned();
            let Some(endpoint) = sample_endpoint(&provider, &file, &index) else {
                continue;
            };
            let text = std::fs::read_to_string(&path).unwrap();
            let Ok(value) = serde_json::from_str::<Value>(&text) else {
                continue;
            };
            let errors = all_errors(&endpoint, &value);
            match Request::parse(&endpoint, &text) {
                Ok(_) => {
                    round_trip(&endpoint, &text, &path);
                    fitting += 1;
                }
                Err(e) => {
                    // A sample the type rejects is one the validator rejects
                    // too, and the error names the field.
                    assert!(
                        !errors.is_empty(),
                        "{}: the type rejects a sample the validator accepts: {e}",
                        path.display()
                    );
                    let pointer = e.pointer().unwrap_or_default();
                    assert!(
                        !pointer.is_empty() || e.to_string().contains('`'),
                        "{}: the error does not name the field: {e}",
                        path.display()
                    );
                    rejected += 1;
                }
            }
            // And a sample with no schema-keyword error always parses.
            if keyword_errors(&endpoint, &value).is_empty() && errors.is_empty() {
                assert!(
                    Request::parse(&endpoint, &text).is_ok(),
                    "{}",
                    path.display()
                );
            }
        }
    }
    assert!(fitting > 0, "no doc sample fits its schema");
    eprintln!("{fitting} doc samples round-trip, {rejected} are rejected");
}

fn example(endpoint: &str) -> (PathBuf, Value) {
    let dir = root().join("examples").join(endpoint);
    let path = json_files(&dir).into_iter().next().unwrap();
    let value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    (path, value)
}

#[test]
fn forms_and_spellings_are_kept() {
    // Sandeza's `type` is "1" or 1 (the doc sends both): each keeps its form.
    let (path, mut value) = example("sandeza/send");
    for form in [Value::from(1), Value::from("2"), Value::from(2)] {
        value["type"] = form;
        round_trip("sandeza/send", &value.to_string(), &path);
    }
}

#[test]
fn empty_array_absent_and_null_stay_distinct() {
    // qiscus/broadcast-client `variables` is required: `[]` stays `[]`.
    let (path, mut value) = example("qiscus/broadcast-client");
    value["variables"] = Value::Array(vec![]);
    round_trip("qiscus/broadcast-client", &value.to_string(), &path);
    // An optional field given as null is rejected, not silently dropped.
    value["started_at"] = Value::Null;
    let e = Request::parse("qiscus/broadcast-client", &value.to_string()).unwrap_err();
    assert_eq!(e.pointer(), Some("/started_at"), "{e}");
}

#[test]
fn a_too_long_ref_id_is_rejected_naming_the_field() {
    let (_, mut value) = example("sandeza/send");
    value["ref_id"] = Value::from("a".repeat(51));
    let e = Request::parse("sandeza/send", &value.to_string()).unwrap_err();
    assert_eq!(e.pointer(), Some("/ref_id"), "{e}");
    assert!(e.to_string().contains("50"), "{e}");
}

#[test]
fn unknown_endpoint_and_bad_json_are_errors() {
    assert!(matches!(
        Request::parse("sandeza/nope", "{}"),
        Err(preflight::types::ParseError::UnknownEndpoint { .. })
    ));
    assert!(matches!(
        Request::parse("sandeza/send", "{"),
        Err(preflight::types::ParseError::Json { .. })
    ));
}
