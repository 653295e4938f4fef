//! The linter conventions: the closest `preflight.toml` per file,
//! suppressions (`[[ignore]]`, `unused-ignore`), per-path levels
//! (`[[overrides]]`), file selection (`exclude`, `--exclude`, `.gitignore`, a
//! path with nothing to check), config globs that match nothing,
//! `--quiet`, `--max-warnings` and `--stdin-filename`.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

/// A phone number with the trunk prefix: a `phone-format` error at `/nohp`.
const BAD: &str = r#"{"nohp": "0812-3456-7890", "pesan": "Halo Kak Siti 👋 [OTP] 4821"}"#;
/// A space before the number: a `surrounding-whitespace` warning at `/nohp`.
const WARN: &str = r#"{"nohp": " 6281234567890", "pesan": "Halo Bapak Raden Mas Haryo Kusumo"}"#;
const GOOD: &str = r#"{"nohp": "6281234567890", "pesan": "Halo Kak Siti, pesanan INV/2026/0042 sudah dikirim 📦"}"#;

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn preflight(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("preflight").unwrap();
    cmd.current_dir(dir)
        .env_remove("PREFLIGHT_SANDEZA_PASSWORD")
        .env_remove("FORCE_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env("NO_COLOR", "1");
    cmd
}

fn run(dir: &Path, args: &[&str]) -> (String, String, i32) {
    let out = preflight(dir).args(args).output().unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.code().unwrap(),
    )
}

fn json(dir: &Path, args: &[&str]) -> (Value, i32) {
    let (out, err, code) = run(dir, args);
    let v = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}"));
    (v, code)
}

fn rules(v: &Value) -> Vec<String> {
    v["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["diagnostics"].as_array().cloned().unwrap_or_default())
        .map(|d| d["rule"].as_str().unwrap().to_string())
        .collect()
}

const MAPPED: &str = "[[fixtures]]\npaths = [\"fixtures/**\"]\nendpoint = \"chatbot/sendwa\"\n";

#[test]
fn the_closest_config_wins_for_each_file() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    // The parent maps nothing; myapp's maps its fixtures and turns the rule off.
    write(d, "preflight.toml", "[rules]\n");
    write(
        d,
        "myapp/preflight.toml",
        &format!("{MAPPED}[rules]\nphone-format = \"off\"\n"),
    );
    write(d, "myapp/fixtures/a.json", BAD);
    write(d, "other/fixtures/chatbot/sendwa/a.json", BAD);
    let (v, code) = json(d, &["validate", "myapp/fixtures", "other", "-f", "json"]);
    let files = v["files"].as_array().unwrap();
    assert_eq!(files[0]["endpoint"], "chatbot/sendwa", "{v:#}");
    assert!(
        files[0]["diagnostics"].as_array().unwrap().is_empty(),
        "{v:#}"
    );
    // The other file is under the parent's config: the rule is on.
    assert_eq!(rules(&v), ["phone-format"]);
    assert_eq!(code, 1);
    // --config names one for every input: myapp's mapping then misses `other`.
    let (v, _) = json(
        d,
        &[
            "validate",
            "myapp/fixtures",
            "--config",
            "preflight.toml",
            "-f",
            "json",
        ],
    );
    assert_eq!(rules(&v), ["phone-format"], "{v:#}");
}

#[test]
fn ignores_suppress_count_and_go_stale() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(
        d,
        "preflight.toml",
        &format!(
            "{MAPPED}\n[[ignore]]\npaths = [\"fixtures/legacy/*.json\"]\nrules = [\"phone-format\"]\npointers = [\"/nohp\"]\nreason = \"legacy numbers, fixed upstream in Q3\"\n\n[[ignore]]\npaths = [\"fixtures/new/*.json\"]\nrules = [\"max-length\"]\nreason = \"long names are fine here\"\n"
        ),
    );
    write(d, "fixtures/legacy/a.json", BAD);
    write(d, "fixtures/new/a.json", BAD);
    let (v, code) = json(d, &["validate", "fixtures", "-f", "json"]);
    assert_eq!(v["summary"]["suppressed"], 1, "{v:#}");
    // The new file's finding stays; the second ignore applied and suppressed
    // nothing: a warning at its line of preflight.toml.
    let all = rules(&v);
    assert_eq!(all, ["phone-format", "unused-ignore"], "{v:#}");
    let stale = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "preflight.toml")
        .unwrap();
    assert_eq!(stale["diagnostics"][0]["line"], 11, "{stale:#}");
    assert_eq!(code, 1);
    let (text, _, _) = run(d, &["validate", "fixtures"]);
    assert!(text.contains("; 1 suppressed"), "{text}");
    // An ignore whose files are not part of the run says nothing.
    let (v, _) = json(d, &["validate", "fixtures/legacy", "-f", "json"]);
    assert!(rules(&v).is_empty(), "{v:#}");
}

#[test]
fn an_ignore_needs_a_reason_and_known_rules() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "fixtures/a.json", GOOD);
    for (config, says) in [
        (
            "[[ignore]]\npaths = [\"*\"]\nrules = [\"phone-format\"]\n",
            "reason",
        ),
        (
            "[[ignore]]\npaths = [\"*\"]\nrules = [\"phone-fromat\"]\nreason = \"x\"\n",
            "phone-fromat",
        ),
        (
            "[[ignore]]\npaths = [\"*\"]\nrules = [\"*\"]\npointers = [\"nohp\"]\nreason = \"x\"\n",
            "JSON Pointer",
        ),
    ] {
        write(d, "preflight.toml", config);
        let (_, err, code) = run(d, &["validate", "fixtures"]);
        assert_eq!(code, 2, "{config}");
        assert!(err.contains(says), "{config}: {err}");
    }
}

#[test]
fn overrides_set_levels_per_path() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(
        d,
        "preflight.toml",
        &format!(
            "{MAPPED}\n[rules]\nsurrounding-whitespace = \"error\"\n\n[[overrides]]\npaths = [\"fixtures/drafts/**\"]\nrules = {{ surrounding-whitespace = \"warning\", phone-format = \"off\" }}\n"
        ),
    );
    write(d, "fixtures/drafts/a.json", WARN);
    write(d, "fixtures/drafts/b.json", BAD);
    write(d, "fixtures/final/a.json", WARN);
    let (v, code) = json(d, &["validate", "fixtures", "-f", "json"]);
    let severities: Vec<(String, String)> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| {
            let path = f["path"].as_str().unwrap().to_string();
            f["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .map(move |d| (path.clone(), d["severity"].as_str().unwrap().to_string()))
                .collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(
        severities,
        [
            ("fixtures/drafts/a.json".to_string(), "warning".to_string()),
            ("fixtures/final/a.json".to_string(), "error".to_string()),
        ],
        "{v:#}"
    );
    assert_eq!(code, 1);
}

#[test]
fn excluded_ignored_and_hidden_files_are_left_out() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(
        d,
        "preflight.toml",
        &format!("exclude = [\"fixtures/generated/\"]\n{MAPPED}"),
    );
    write(d, "fixtures/a.json", GOOD);
    write(d, "fixtures/generated/x.json", BAD);
    write(d, "fixtures/b.draft.json", BAD);
    write(d, "fixtures/.hidden.json", BAD);
    write(d, "fixtures/local/y.json", BAD);
    write(d, ".ignore", "local/\n");
    write(d, "fixtures/.ignore", "local/\n");
    let (v, code) = json(
        d,
        &[
            "validate",
            "fixtures",
            "--exclude",
            "*.draft.json",
            "-f",
            "json",
        ],
    );
    let paths: Vec<&str> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["fixtures/a.json"], "{v:#}");
    assert_eq!(code, 0);
    // A file named on the command line and excluded is left out too (hooks
    // pass every staged file).
    let (v, _) = json(
        d,
        &[
            "validate",
            "fixtures/generated/x.json",
            "fixtures/a.json",
            "-f",
            "json",
        ],
    );
    assert_eq!(v["files"].as_array().unwrap().len(), 1, "{v:#}");
}

#[test]
fn gitignored_files_are_left_out_in_a_repository() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let git = std::process::Command::new("git")
        .args(["init", "-q"])
        .current_dir(d)
        .status();
    if !git.is_ok_and(|s| s.success()) {
        eprintln!("git is not available; skipped");
        return;
    }
    write(d, ".gitignore", "out/\n");
    write(d, "fixtures/chatbot/sendwa/a.json", GOOD);
    write(d, "fixtures/out/chatbot/sendwa/b.json", BAD);
    let (v, code) = json(d, &["validate", "fixtures", "-f", "json"]);
    assert_eq!(v["summary"]["files"], 1, "{v:#}");
    assert_eq!(code, 0);
}

#[test]
fn a_path_with_nothing_to_check_fails_the_run() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "empty/readme.txt", "no payloads here");
    let (text, _, code) = run(d, &["validate", "empty"]);
    assert_eq!(code, 2);
    assert!(text.contains("holds no payload file"), "{text}");
    assert!(text.contains("failed: 1 path could not be read"), "{text}");
    assert!(!text.contains("ok:"), "{text}");
    let (v, code) = json(d, &["validate", "empty", "-f", "json"]);
    assert_eq!((v["summary"]["unreadable"].clone(), code), (1.into(), 2));
}

#[test]
fn config_globs_that_match_nothing_are_warned_about() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(
        d,
        "preflight.toml",
        "[[fixtures]]\npaths = [\"fixture/**\", \"fixtures/**\"]\nendpoint = \"chatbot/sendwa\"\n",
    );
    write(d, "fixtures/a.json", GOOD);
    let (v, code) = json(d, &["validate", "fixtures", "-f", "json"]);
    let config = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "preflight.toml")
        .unwrap_or_else(|| panic!("{v:#}"));
    let d0 = &config["diagnostics"][0];
    assert_eq!(d0["rule"], "unmatched-glob");
    assert!(d0["message"].as_str().unwrap().contains("`fixture/**`"));
    assert_eq!(
        (d0["line"].clone(), d0["column"].clone()),
        (2.into(), 10.into())
    );
    assert_eq!(config["diagnostics"].as_array().unwrap().len(), 1);
    assert_eq!(code, 0, "a warning");
}

#[test]
fn quiet_prints_errors_only_and_max_warnings_counts_them() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "fixtures/chatbot/sendwa/w.json", WARN);
    write(d, "fixtures/chatbot/sendwa/e.json", BAD);
    let (text, _, code) = run(d, &["validate", "fixtures", "-q"]);
    assert!(text.contains("phone-format"), "{text}");
    assert!(!text.contains("surrounding-whitespace"), "{text}");
    assert!(!text.contains("failed:") && !text.contains("ok:"), "{text}");
    assert_eq!(code, 1);
    std::fs::remove_file(d.join("fixtures/chatbot/sendwa/e.json")).unwrap();
    let (text, _, code) = run(d, &["validate", "fixtures", "-q"]);
    assert_eq!((text.as_str(), code), ("", 0));
    // One warning: over 0 fails, 1 does not.
    let (_, err, code) = run(d, &["validate", "fixtures", "--max-warnings", "0"]);
    assert_eq!(code, 1);
    assert!(err.contains("more than --max-warnings 0"), "{err}");
    let (_, _, code) = run(d, &["validate", "fixtures", "--max-warnings", "1", "-q"]);
    assert_eq!(code, 0);
    let (_, _, code) = run(d, &["validate", "fixtures", "--max-warnings", "0", "-q"]);
    assert_eq!(code, 1, "quiet warnings still count");
}

#[test]
fn stdin_filename_gives_the_endpoint_config_and_name() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(
        d,
        "app/preflight.toml",
        &format!("{MAPPED}[rules]\nsurrounding-whitespace = \"error\"\n"),
    );
    write(d, "app/fixtures/old.json", GOOD);
    // The buffer is not saved yet: the file does not exist.
    let out = preflight(d)
        .args([
            "validate",
            "-",
            "--stdin-filename",
            "app/fixtures/new.json",
            "-f",
            "json",
        ])
        .write_stdin(WARN)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let file = &v["files"][0];
    assert_eq!(file["path"], "app/fixtures/new.json", "{v:#}");
    assert_eq!(file["endpoint"], "chatbot/sendwa");
    assert_eq!(
        file["diagnostics"][0]["severity"], "error",
        "the app's config"
    );
    assert_eq!(out.status.code(), Some(1));
    // Without it, standard input has no endpoint to go by but its shape.
    let out = preflight(d)
        .args(["validate", "-", "-f", "json"])
        .write_stdin(WARN)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["files"][0]["path"], "<stdin>");
}

#[test]
fn fix_leaves_suppressed_findings_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(
        d,
        "preflight.toml",
        &format!(
            "{MAPPED}\n[[ignore]]\npaths = [\"fixtures/legacy/*.json\"]\nrules = [\"phone-format\"]\nreason = \"kept as the CRM exports it\"\n"
        ),
    );
    write(d, "fixtures/legacy/a.json", BAD);
    write(d, "fixtures/new/a.json", BAD);
    let (_, _, code) = run(d, &["validate", "fixtures", "--fix"]);
    assert_eq!(code, 0);
    let read = |p: &str| std::fs::read_to_string(d.join(p)).unwrap();
    assert_eq!(read("fixtures/legacy/a.json"), BAD);
    assert!(read("fixtures/new/a.json").contains("\"6281234567890\""));
}
