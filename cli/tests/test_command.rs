//! `preflight test`: fixtures with expectations — `valid/` and `invalid/`
//! directories, `[[expect]]` in preflight.toml, sidecars `NAME.expect.toml`,
//! per line in NDJSON — and the mismatches in every format.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

const BAD: &str = r#"{"nohp": "0812-3456-7890", "pesan": "Halo Kak Siti 👋 [OTP] 4821"}"#;
const GOOD: &str = r#"{"nohp": "6281234567890", "pesan": "Yth. Bapak Raden Mas Haryo Kusumo, tagihan INV/2026/0042 sudah terbit 🧾"}"#;

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn run(dir: &Path, args: &[&str]) -> (String, i32) {
    let out = Command::cargo_bin("preflight")
        .unwrap()
        .current_dir(dir)
        .env_remove("PREFLIGHT_SANDEZA_PASSWORD")
        .env("NO_COLOR", "1")
        .arg("test")
        .args(args)
        .output()
        .unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        out.status.code().unwrap(),
    )
}

/// Fixtures under `chatbot/sendwa/` so their endpoint comes from the path.
fn fixtures(d: &Path) {
    write(d, "fx/valid/chatbot/sendwa/ok.json", GOOD);
    write(d, "fx/invalid/chatbot/sendwa/bad-phone.json", BAD);
}

#[test]
fn directories_say_what_is_expected() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    fixtures(d);
    let (out, code) = run(d, &["fx"]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(out, "test result: ok. 2 fixtures passed; 0 failed\n");
    // A valid fixture that fails, an invalid one that passes.
    write(d, "fx/valid/chatbot/sendwa/ok.json", BAD);
    write(d, "fx/invalid/chatbot/sendwa/bad-phone.json", GOOD);
    let (out, code) = run(d, &["fx"]);
    assert_eq!(code, 1);
    assert!(
        out.contains("FAIL fx/invalid/chatbot/sendwa/bad-phone.json (expected by the `invalid/` directory)\n  now passes: expected to fail"),
        "{out}"
    );
    assert!(
        out.contains("FAIL fx/valid/chatbot/sendwa/ok.json (expected by the `valid/` directory)\n  unexpected `phone-format` at `/nohp` (error)"),
        "{out}"
    );
    // The finding itself, as validate prints it, under the mismatch.
    assert!(
        out.contains("--> fx/valid/chatbot/sendwa/ok.json:1:"),
        "{out}"
    );
    assert!(
        out.ends_with("test result: FAILED. 0 fixtures passed; 2 failed\n"),
        "{out}"
    );
}

#[test]
fn sidecars_pin_findings_and_win_over_the_config() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "fx/chatbot/sendwa/a.json", BAD);
    write(
        d,
        "fx/chatbot/sendwa/a.expect.toml",
        "findings = [\"phone-format@/nohp:error\"]\nreason = \"the trunk prefix\"\n",
    );
    write(d, "fx/chatbot/sendwa/b.json", BAD);
    write(
        d,
        "preflight.toml",
        "[[expect]]\npaths = [\"fx/**\"]\nfindings = [\"max-length@/pesan\"]\n",
    );
    let (out, code) = run(d, &["fx"]);
    assert_eq!(code, 1, "{out}");
    // a.json passes by its sidecar; b.json fails the config's expectation.
    assert!(!out.contains("a.json"), "{out}");
    assert!(
        out.contains("FAIL fx/chatbot/sendwa/b.json (expected by [[expect]] #1 of preflight.toml)\n  expected `max-length` at `/pesan`: not reported\n  unexpected `phone-format` at `/nohp` (error)"),
        "{out}"
    );
    // A sidecar that pins something that does not come.
    write(d, "fx/chatbot/sendwa/a.json", GOOD);
    let (out, _) = run(d, &["fx/chatbot/sendwa/a.json"]);
    assert!(
        out.contains("  reason: the trunk prefix\n  expected `phone-format` at `/nohp` (error): not reported\n  now passes: expected to fail"),
        "{out}"
    );
}

#[test]
fn an_expectation_that_does_not_read_fails_its_fixture() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "fx/chatbot/sendwa/a.json", GOOD);
    write(
        d,
        "fx/chatbot/sendwa/a.expect.toml",
        "findings = [\"phone-fromat\"]\n",
    );
    let (out, code) = run(d, &["fx"]);
    assert_eq!(code, 1);
    assert!(out.contains("the expectation does not read"), "{out}");
    assert!(out.contains("phone-fromat"), "{out}");
    // A config whose [[expect]] does not read stops the run.
    write(d, "preflight.toml", "[[expect]]\npaths = [\"fx/**\"]\n");
    let (_, code) = run(d, &["fx"]);
    assert_eq!(code, 2);
}

#[test]
fn ndjson_fixtures_are_expected_per_line() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(
        d,
        "fx/chatbot/sendwa/batch.ndjson",
        &format!("{GOOD}\n{BAD}\n\n{GOOD}\n"),
    );
    write(
        d,
        "fx/chatbot/sendwa/batch.expect.toml",
        "findings = []\n[lines]\n2 = [\"phone-format@/nohp\"]\n",
    );
    let (out, code) = run(d, &["fx"]);
    assert_eq!(
        (out.as_str(), code),
        ("test result: ok. 1 fixture passed; 0 failed\n", 0)
    );
    // The expectation on the wrong line: both lines disagree.
    write(
        d,
        "fx/chatbot/sendwa/batch.expect.toml",
        "findings = []\n[lines]\n4 = [\"phone-format@/nohp\"]\n",
    );
    let (out, code) = run(d, &["fx"]);
    assert_eq!(code, 1);
    assert!(
        out.contains("  line 2: unexpected `phone-format` at `/nohp`"),
        "{out}"
    );
    assert!(out.contains("  line 4: expected `phone-format` at `/nohp`: not reported\n  line 4: now passes: expected to fail"), "{out}");
}

#[test]
fn every_format_carries_the_mismatches() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    fixtures(d);
    write(d, "fx/valid/chatbot/sendwa/ok.json", BAD);
    let (out, code) = run(d, &["fx", "--format", "json"]);
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(&out).unwrap();
    let failed = &v["fixtures"][1];
    assert_eq!(failed["path"], "fx/valid/chatbot/sendwa/ok.json", "{v:#}");
    assert_eq!(failed["passed"], false);
    assert_eq!(failed["expected"]["source"], "directory");
    let m = &failed["mismatches"][0];
    assert_eq!(
        (
            m["kind"].as_str(),
            m["rule"].as_str(),
            m["pointer"].as_str(),
            m["line"].as_u64()
        ),
        (
            Some("unexpected"),
            Some("phone-format"),
            Some("/nohp"),
            Some(1)
        )
    );
    assert_eq!(failed["diagnostics"][0]["rule"], "phone-format");
    assert_eq!(v["summary"]["failed"], 1);
    assert_eq!(v["summary"]["passed"], 1);

    let (out, _) = run(d, &["fx", "--format", "github"]);
    assert!(
        out.starts_with("::error file=fx/valid/chatbot/sendwa/ok.json,line=1,title=preflight test::unexpected `phone-format` at `/nohp`"),
        "{out}"
    );

    let (out, _) = run(d, &["fx", "--format", "sarif"]);
    let v: Value = serde_json::from_str(&out).unwrap();
    let results = v["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 1, "{v:#}");
    assert_eq!(results[0]["ruleId"], "expectation-mismatch");
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "fx/valid/chatbot/sendwa/ok.json"
    );
    assert_eq!(v["runs"][0]["invocations"][0]["executionSuccessful"], true);
}

#[test]
fn a_missing_path_fails_the_run() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    fixtures(d);
    let (out, code) = run(d, &["fx", "nope"]);
    assert_eq!(code, 2);
    assert!(
        out.contains("FAIL nope: cannot read: no such file or directory"),
        "{out}"
    );
    assert!(
        out.contains("test result: FAILED. 2 fixtures passed; 0 failed; 1 could not be read"),
        "{out}"
    );
    let (out, _) = run(d, &["fx", "nope", "--format", "sarif"]);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["runs"][0]["invocations"][0]["executionSuccessful"], false);
    assert!(v["runs"][0].get("results").is_none(), "{v:#}");
}

#[test]
fn concise_gives_one_line_per_mismatch() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    fixtures(d);
    write(d, "fx/valid/chatbot/sendwa/ok.json", BAD);
    let (out, code) = run(d, &["fx", "--format", "concise"]);
    assert_eq!(code, 1);
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].starts_with("fx/valid/chatbot/sendwa/ok.json:1:1: error[expectation-mismatch] unexpected `phone-format` at `/nohp` (error): "),
        "{out}"
    );
    assert_eq!(lines[1], "test result: FAILED. 1 fixture passed; 1 failed");
}
