//! Fixes on every rule case: applying a case's safe fixes removes the
//! findings they were made for, a second pass changes nothing, and unsafe
//! fixes are applied only when asked.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod common;

use std::path::{Path, PathBuf};

fn cases() -> Vec<(String, bool, PathBuf)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "json") {
                out.push(p);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut files = Vec::new();
    for rule in std::fs::read_dir(&root).unwrap() {
        let dir = rule.unwrap().path().join("invalid");
        if dir.is_dir() {
            walk(&dir, &mut files);
        }
    }
    files.sort();
    files
        .into_iter()
        .filter_map(|p| {
            let rel: Vec<String> = p
                .strip_prefix(&root)
                .unwrap()
                .iter()
                .map(|s| s.to_string_lossy().into_owned())
                .collect();
            // Templates files have no fixes.
            (rel[2] != "meta").then(|| {
                let with_templates = rel[0].starts_with("template-") || rel[4] == "with-templates";
                (format!("{}/{}", rel[2], rel[3]), with_templates, p)
            })
        })
        .collect()
}

fn options(with_templates: bool) -> preflight::Options {
    let mut o = preflight::Options::default();
    o.sandeza_password = Some("rahasia123".to_string());
    if with_templates {
        o.templates = Some(common::case_templates());
    }
    o
}

fn findings(endpoint: &(String, bool), text: &str) -> Vec<preflight::Diagnostic> {
    preflight::validate_with(&endpoint.0, text.as_bytes(), &options(endpoint.1))
        .unwrap()
        .diagnostics
}

#[test]
fn safe_fixes_remove_their_findings_and_settle() {
    let mut fixed_cases = 0;
    for (id, with_templates, path) in cases() {
        let endpoint = (id, with_templates);
        let text = std::fs::read_to_string(&path).unwrap();
        let before = findings(&endpoint, &text);
        let fixable: Vec<(String, String)> = before
            .iter()
            .filter(|d| d.fix.as_ref().is_some_and(|f| f.safe))
            .map(|d| (d.rule.clone(), d.pointer.clone()))
            .collect();
        if fixable.is_empty() {
            continue;
        }
        fixed_cases += 1;
        // Passes until nothing changes (overlapping fixes wait a pass).
        let mut current = text.clone();
        for _ in 0..5 {
            let ds = findings(&endpoint, &current);
            let fixes: Vec<&preflight::Fix> = ds.iter().filter_map(|d| d.fix.as_ref()).collect();
            let next = preflight::fix::apply(&current, &fixes, false).text;
            if next == current {
                break;
            }
            current = next;
        }
        let after = findings(&endpoint, &current);
        for (rule, pointer) in &fixable {
            assert!(
                !after
                    .iter()
                    .any(|d| d.rule == *rule && d.pointer == *pointer),
                "{}: `{rule}` at {pointer} is still reported after --fix:\n{current}",
                path.display()
            );
        }
        // Idempotent: a second --fix changes nothing.
        let fixes: Vec<&preflight::Fix> = after.iter().filter_map(|d| d.fix.as_ref()).collect();
        assert_eq!(
            preflight::fix::apply(&current, &fixes, false).text,
            current,
            "{}: a second --fix changed the file",
            path.display()
        );
        // Still JSON.
        assert!(
            serde_json::from_str::<serde_json::Value>(&current).is_ok(),
            "{}",
            path.display()
        );
    }
    assert!(fixed_cases >= 10, "{fixed_cases}");
}

#[test]
fn unsafe_fixes_apply_only_when_asked() {
    let mut seen = 0;
    for (id, with_templates, path) in cases() {
        let endpoint = (id, with_templates);
        let text = std::fs::read_to_string(&path).unwrap();
        let ds = findings(&endpoint, &text);
        let unsafe_only: Vec<&preflight::Fix> = ds
            .iter()
            .filter_map(|d| d.fix.as_ref())
            .filter(|f| !f.safe)
            .collect();
        if unsafe_only.is_empty() {
            continue;
        }
        seen += 1;
        assert_eq!(preflight::fix::apply(&text, &unsafe_only, false).text, text);
        let applied = preflight::fix::apply(&text, &unsafe_only, true);
        assert_ne!(applied.text, text, "{}", path.display());
        assert!(serde_json::from_str::<serde_json::Value>(&applied.text).is_ok());
    }
    assert!(seen >= 3, "{seen}");
}

#[test]
fn a_file_that_does_not_parse_has_no_fix() {
    let text = "{\"nohp\": \"0812-3456-7890\", \"pesan\": }";
    let endpoint = ("chatbot/sendwa".to_string(), false);
    assert!(findings(&endpoint, text).iter().all(|d| d.fix.is_none()));
}
