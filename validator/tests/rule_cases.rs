//! Rule cases: `tests/cases/<rule>/{valid,invalid}/<provider>/<endpoint>/*.json`.
//!
//! Cases of the rules on template sends (`template-*`), and any case in a
//! `with-templates/` folder below its endpoint, are checked against the
//! account's templates: the example account's (`examples/templates/`, with
//! the root `preflight.toml`'s id mapping) plus `tests/cases/templates.json`
//! (ids mapped in `tests/cases/templates.toml`).
//! Cases under `meta/message-templates/` are templates files, checked as
//! `preflight templates check` checks them.
//!
//! A `valid/` payload gets no finding at all (no rule, no keyword): a rule's
//! passing case proves it does not fire on a real payload. An `invalid/`
//! payload gets at least one finding, every one of them from this rule, and
//! its rendered text output is snapshotted beside the input. The rule name may
//! be a preflight rule or a schema keyword (`max-length`).

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod common;

use preflight::render::{self, FileResult, Finding, Format};
use preflight::rules::RuleKind;
use std::path::{Path, PathBuf};

use common::cases_dir;

/// (rule, endpoint id) of a case file.
fn case_parts(path: &Path) -> (String, String, bool) {
    let rel = path.strip_prefix(cases_dir()).unwrap();
    let parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    assert!(
        parts.len() == 5 || (parts.len() == 6 && parts[4] == "with-templates"),
        "case path must be <rule>/<valid|invalid>/<provider>/<endpoint>/[with-templates/]<name>.json: {}",
        rel.display()
    );
    (
        parts[0].clone(),
        format!("{}/{}", parts[2], parts[3]),
        parts[1] == "valid",
    )
}

fn check(path: &Path) -> (preflight::Report, String) {
    let (rule, endpoint, _) = case_parts(path);
    let bytes = std::fs::read(path).unwrap();
    let mut options = preflight::Options::default();
    // Cases for the signature rule use this password.
    options.sandeza_password = Some("rahasia123".to_string());
    let with_templates = rule.starts_with("template-")
        || path.parent().is_some_and(|p| p.ends_with("with-templates"));
    if with_templates {
        options.templates = Some(common::case_templates());
    }
    let report = if endpoint.starts_with("meta/") {
        let checked = preflight::templates::check_file(&bytes, &options).unwrap();
        let mut report = preflight::Report::default();
        report.diagnostics = checked.findings.into_iter().map(|f| f.diagnostic).collect();
        report
    } else {
        preflight::validate_with(&endpoint, &bytes, &options)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    };
    let text = String::from_utf8_lossy(&bytes).into_owned();
    (report, text)
}

/// The text and the JSON rendering of one case, as `preflight validate` prints them.
fn rendered(path: &Path, report: &preflight::Report, text: &str) -> String {
    let rel = path
        .strip_prefix(cases_dir())
        .unwrap()
        .display()
        .to_string();
    let findings = report
        .diagnostics
        .iter()
        .map(|d| Finding::new(d.clone(), text))
        .collect();
    let (_, endpoint, _) = case_parts(path);
    let file = FileResult {
        path: rel,
        endpoint: Some(endpoint),
        payloads: 1,
        findings,
    };
    let files = [file];
    format!(
        "{}\n{}",
        render::render(Format::Text, &files, false),
        render::render(Format::Json, &files, false)
    )
}

#[test]
fn invalid_cases_fire_only_their_rule() {
    insta::glob!("cases/*/invalid/**/*.json", |path| {
        let (rule, _, _) = case_parts(path);
        let (report, text) = check(path);
        assert!(
            report.diagnostics.iter().any(|d| d.rule == rule),
            "{}: expected a `{rule}` finding, got {:#?}",
            path.display(),
            report.diagnostics
        );
        let others: Vec<_> = report
            .diagnostics
            .iter()
            .filter(|d| d.rule != rule)
            .collect();
        assert!(
            others.is_empty(),
            "{}: findings of other rules: {others:#?}",
            path.display()
        );
        let out = rendered(path, &report, &text);
        insta::assert_snapshot!(format!("{text}\n----\n{out}"));
    });
}

#[test]
fn valid_cases_have_no_finding() {
    let mut count = 0;
    for rule_dir in std::fs::read_dir(cases_dir()).unwrap() {
        let valid = rule_dir.unwrap().path().join("valid");
        for entry in walk(&valid) {
            count += 1;
            let (report, _) = check(&entry);
            assert!(
                report.diagnostics.is_empty(),
                "{}: {:#?}",
                entry.display(),
                report.diagnostics
            );
        }
    }
    assert!(count > 0);
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries {
            let p = e.unwrap().path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else if p.extension().is_some_and(|x| x == "json") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_rule_is_documented_and_has_both_kinds_of_case() {
    let mut names = std::collections::HashSet::new();
    for info in preflight::rules::all().filter(|r| r.kind() != RuleKind::Keyword) {
        assert!(names.insert(info.name), "duplicate rule name {}", info.name);
        assert!(
            info.name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{} is not kebab-case",
            info.name
        );
        for heading in [
            "## What it does",
            "## Why is this bad?",
            "## Source",
            "## Example",
        ] {
            assert!(
                info.docs.contains(heading),
                "{}: docs lack {heading:?}",
                info.name
            );
        }
        // Rules about the run rather than one payload are covered by the CLI tests.
        // (`skipped-file` and `broken-link`: tests/inputs.rs; `unused-ignore`
        // and `unmatched-glob`, findings about preflight.toml:
        // tests/conventions.rs; `expectation-mismatch`, `preflight test`'s:
        // tests/test_command.rs; each both ways.)
        // Checks of whole HTTP requests: tests/http.rs, each both ways.
        if info.kind() == RuleKind::Request {
            continue;
        }
        if [
            "unknown-endpoint",
            "payload-too-large",
            "skipped-file",
            "broken-link",
            "unused-ignore",
            "unmatched-glob",
            "expectation-mismatch",
        ]
        .contains(&info.name)
        {
            continue;
        }
        let dir = cases_dir().join(info.name);
        assert!(
            !walk(&dir.join("invalid")).is_empty(),
            "{}: no invalid case",
            info.name
        );
        // Engine rules about text rather than values have no valid *payload* case of their own
        // beyond "any valid payload", which every valid case already is.
        let text_rules = [
            "parse-error",
            "byte-order-mark",
            "payload-too-large",
            "unknown-endpoint",
        ];
        if !text_rules.contains(&info.name) {
            assert!(
                !walk(&dir.join("valid")).is_empty(),
                "{}: no valid case",
                info.name
            );
        }
    }
    let keywords: Vec<&str> = preflight::rules::all()
        .filter(|r| r.kind() == RuleKind::Keyword)
        .map(|r| r.name)
        .collect();
    for entry in std::fs::read_dir(cases_dir()).unwrap() {
        let entry = entry.unwrap();
        if !entry.path().is_dir() {
            continue; // templates.json
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        assert!(
            names.contains(name.as_str()) || keywords.contains(&name.as_str()),
            "case folder {name} belongs to no rule"
        );
    }
}

/// Rule docs are Markdown files beside each rule (`include_str!`), never
/// long string literals in the rule's code; a summary is one line.
#[test]
fn rule_docs_are_markdown_files() {
    fn rs_files(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                rs_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    rs_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src/engine/rules"),
        &mut files,
    );
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        assert!(
            !text.contains("docs: \""),
            "{}: a rule's docs belong in a Markdown file beside it",
            file.display()
        );
        for line in text.lines() {
            if let Some(summary) = line.trim().strip_prefix("summary: \"") {
                assert!(
                    summary.chars().count() <= 200,
                    "{}: a summary over 200 characters",
                    file.display()
                );
            }
        }
    }
    for info in preflight::rules::all() {
        assert!(info.summary.chars().count() <= 200, "{}", info.name);
    }
}
