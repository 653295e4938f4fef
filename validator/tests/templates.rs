//! The shipped examples against the example account's templates
//! (`examples/templates/`, mapped by the root `preflight.toml`): every
//! example validates clean, and the templates file itself is clean.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod common;

use std::sync::Arc;

use common::{example_templates, root};

#[test]
fn every_example_is_clean_with_the_example_templates() {
    let mut options = preflight::Options::default();
    options.templates = Some(Arc::new(example_templates()));
    let mut checked = 0;
    let mut failures = Vec::new();
    for e in preflight::endpoints().unwrap() {
        let dir = root().join("examples").join(e.id);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for f in entries {
            let path = f.unwrap().path();
            let report =
                preflight::validate_with(e.id, &std::fs::read(&path).unwrap(), &options).unwrap();
            for d in &report.diagnostics {
                failures.push(format!(
                    "{}: {} at {}: {}",
                    path.display(),
                    d.rule,
                    d.pointer,
                    d.message
                ));
            }
            checked += 1;
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(checked > 80);
}

#[test]
fn the_example_templates_file_is_clean() {
    let bytes = std::fs::read(root().join("examples/templates/message_templates.json")).unwrap();
    let checked = preflight::templates::check_file(&bytes, &preflight::Options::default()).unwrap();
    let messages: Vec<&str> = checked
        .findings
        .iter()
        .map(|f| f.diagnostic.message.as_str())
        .collect();
    assert!(messages.is_empty(), "{messages:#?}");
}

#[test]
fn a_malformed_templates_file_is_a_finding_at_its_line_and_column() {
    let options = preflight::Options::default();
    let broken = b"{\"data\": [\n  {\"name\": \"otp_login\", \"language\": }\n]}";
    let checked = preflight::templates::check_file(broken, &options).unwrap();
    let d = &checked.findings[0].diagnostic;
    assert_eq!(d.rule, "parse-error");
    assert_eq!(d.start.map(|p| p.line), Some(2));
    let shapeless =
        b"{\"data\": [\n  {\"language\": \"id\", \"components\": [{\"type\": \"BODY\"}]}\n]}";
    let checked = preflight::templates::check_file(shapeless, &options).unwrap();
    let found: Vec<(&str, &str, Option<usize>)> = checked
        .findings
        .iter()
        .map(|f| {
            (
                f.diagnostic.rule.as_str(),
                f.diagnostic.pointer.as_str(),
                f.diagnostic.start.map(|p| p.line),
            )
        })
        .collect();
    assert!(
        found.contains(&("required", "/data/0/name", Some(2))),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|(r, p, _)| *r == "required" && p.starts_with("/data/0/components/0")),
        "{found:?}"
    );
}

#[test]
fn without_templates_nothing_changes() {
    // A send of a template no file has: no template rule speaks.
    let payload = std::fs::read(root().join("examples/oca/push-message/body-only.json")).unwrap();
    let text = String::from_utf8(payload)
        .unwrap()
        .replace("tagihan_jatuh_tempo_v2", "templat_tidak_terdaftar");
    let report = preflight::validate("oca/push-message", text.as_bytes()).unwrap();
    assert!(report.diagnostics.is_empty(), "{:#?}", report.diagnostics);
}

/// Every place of every template-sending example replaced by another kind of
/// value, checked against the example templates: no panic, and every
/// finding's span lies in the text on character boundaries.
#[test]
fn mutated_template_sends_never_panic() {
    fn places(v: &serde_json::Value, at: String, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(m) => {
                for (k, x) in m {
                    places(
                        x,
                        format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                        out,
                    );
                }
            }
            serde_json::Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    places(x, format!("{at}/{i}"), out);
                }
            }
            _ => {}
        }
        out.push(at);
    }
    let mut options = preflight::Options::default();
    options.templates = Some(Arc::new(example_templates()));
    let replacements = [
        serde_json::json!(null),
        serde_json::json!(""),
        serde_json::json!([]),
        serde_json::json!({}),
        serde_json::json!(7),
        serde_json::json!("{{1}} https://tokobaju.co.id/lacak/{{1}}||text:=:"),
    ];
    let mut checked = 0;
    for e in preflight::endpoints().unwrap() {
        let Ok(entries) = std::fs::read_dir(root().join("examples").join(e.id)) else {
            continue;
        };
        for f in entries {
            let path = f.unwrap().path();
            let value: serde_json::Value =
                serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
            if !value.to_string().contains("emplate") {
                continue;
            }
            let mut all = Vec::new();
            places(&value, String::new(), &mut all);
            for p in all.iter().filter(|p| !p.is_empty()) {
                for r in &replacements {
                    let mut changed = value.clone();
                    *changed.pointer_mut(p).unwrap() = r.clone();
                    let text = serde_json::to_string_pretty(&changed).unwrap();
                    let report = preflight::validate_with(e.id, text.as_bytes(), &options).unwrap();
                    for d in &report.diagnostics {
                        let span = d.span.clone().unwrap();
                        assert!(
                            span.end <= text.len()
                                && text.is_char_boundary(span.start)
                                && text.is_char_boundary(span.end),
                            "{}: {p}: {d:?}",
                            path.display()
                        );
                    }
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 1000, "{checked}");
}
