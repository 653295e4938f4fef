//! `preflight validate --fix`, `--unsafe-fixes` and `--diff` on files in a
//! temporary directory: what changes, what stays byte for byte, and what is
//! never touched.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn preflight(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("preflight").unwrap();
    cmd.current_dir(dir)
        .env_remove("PREFLIGHT_SANDEZA_PASSWORD")
        .env("NO_COLOR", "1")
        .env_remove("FORCE_COLOR");
    cmd
}

const CRLF: &str = "{\r\n  \"nohp\":   \"0812-3456-7890\" ,\r\n  \"pesan\": \"Halo Kak Siti, pesanan [INV-0042] sudah dikirim 📦\"\r\n}\r\n";
const FIXED: &str = "{\r\n  \"nohp\":   \"6281234567890\" ,\r\n  \"pesan\": \"Halo Kak Siti, pesanan [INV-0042] sudah dikirim 📦\"\r\n}\r\n";

#[test]
fn fix_applies_safe_fixes_keeping_every_other_byte_and_settles() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("a.json"), CRLF).unwrap();
    std::fs::write(
        d.join("lines.ndjson"),
        "{\"nohp\": \"+6281234567890\", \"pesan\": \"Halo\"}\n{\"nohp\": \"6281234567890\", \"pesan\": \"Halo\"}\n",
    )
    .unwrap();
    let out = preflight(d)
        .args(["validate", "-e", "chatbot/sendwa", "--fix", "."])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("fixed 2 findings in 2 files"));
    assert_eq!(std::fs::read_to_string(d.join("a.json")).unwrap(), FIXED);
    assert_eq!(
        std::fs::read_to_string(d.join("lines.ndjson")).unwrap(),
        "{\"nohp\": \"6281234567890\", \"pesan\": \"Halo\"}\n{\"nohp\": \"6281234567890\", \"pesan\": \"Halo\"}\n"
    );
    // A second --fix changes nothing.
    let again = preflight(d)
        .args(["validate", "-e", "chatbot/sendwa", "--fix", "."])
        .output()
        .unwrap();
    assert!(
        again.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    assert_eq!(std::fs::read_to_string(d.join("a.json")).unwrap(), FIXED);
}

#[test]
fn diff_prints_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("a.json"), CRLF).unwrap();
    let out = preflight(d)
        .args(["validate", "-e", "chatbot/sendwa", "--diff", "a.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("--- a/a.json") && stdout.contains("+++ b/a.json"),
        "{stdout}"
    );
    assert!(
        stdout.contains("-  \"nohp\":   \"0812-3456-7890\" ,"),
        "{stdout}"
    );
    assert!(
        stdout.contains("+  \"nohp\":   \"6281234567890\" ,"),
        "{stdout}"
    );
    assert_eq!(std::fs::read_to_string(d.join("a.json")).unwrap(), CRLF);
    // Nothing to fix: exit 0, no output.
    std::fs::write(d.join("a.json"), FIXED).unwrap();
    let clean = preflight(d)
        .args(["validate", "-e", "chatbot/sendwa", "--diff", "a.json"])
        .output()
        .unwrap();
    assert_eq!(clean.status.code(), Some(0));
    assert!(clean.stdout.is_empty());
}

#[test]
fn unsafe_fixes_only_when_asked_and_broken_files_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let http = r#"{"nohp": "6281234567890", "pesan": "Katalog Ramadan", "mediaurl": "http://cdn.tokobaju.co.id/katalog.pdf"}"#;
    std::fs::write(d.join("media.json"), http).unwrap();
    let broken = "{\"nohp\": \"0812-3456-7890\", \"pesan\": }";
    std::fs::write(d.join("broken.json"), broken).unwrap();
    preflight(d)
        .args(["validate", "-e", "chatbot/sendmedia", "--fix", "media.json"])
        .output()
        .unwrap();
    assert_eq!(std::fs::read_to_string(d.join("media.json")).unwrap(), http);
    preflight(d)
        .args([
            "validate",
            "-e",
            "chatbot/sendmedia",
            "--fix",
            "--unsafe-fixes",
            "media.json",
        ])
        .output()
        .unwrap();
    assert!(
        std::fs::read_to_string(d.join("media.json"))
            .unwrap()
            .contains("\"https://cdn.tokobaju.co.id/katalog.pdf\"")
    );
    let out = preflight(d)
        .args([
            "validate",
            "-e",
            "chatbot/sendwa",
            "--fix",
            "--unsafe-fixes",
            "broken.json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(d.join("broken.json")).unwrap(),
        broken
    );
}

/// The README's Fixes section shows what `--diff` prints.
#[test]
fn the_readme_fixes_section_shows_what_diff_prints() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let start = readme
        .find("### Fixes")
        .expect("README has a Fixes section");
    let block = &readme[start..];
    let open = block.find("```\n$ preflight ").unwrap() + 4;
    let close = open + block[open..].find("```").unwrap();
    let mut lines = block[open..close].lines();
    let command = lines.next().unwrap().strip_prefix("$ preflight ").unwrap();
    let shown: String = lines.map(|l| format!("{l}\n")).collect();
    let out = preflight(root)
        .args(command.split_whitespace())
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), shown);
}

#[test]
fn diff_never_prints_a_secret() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let sms = std::fs::read_to_string(root.join("examples/sandeza/send/sms.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&sms).unwrap();
    let signature = v["signature"].as_str().unwrap().to_string();
    let time = v["time"].as_str().unwrap().to_string();
    // The time in milliseconds: the fix sends seconds and, with the
    // password, the signature computed for them.
    let text = sms.replace(&format!("\"{time}\""), &format!("\"{time}000\""));
    std::fs::write(d.join("sms.json"), &text).unwrap();
    let out = preflight(d)
        .args([
            "validate",
            "-e",
            "sandeza/send",
            "--diff",
            "--sandeza-password",
            "rahasia123",
            "sms.json",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains(&format!("+  \"time\": \"{time}\"")),
        "{stdout}"
    );
    assert!(!stdout.contains(&signature), "{stdout}");
    // The recomputed signature is applied by --fix, never shown.
    let fixed = preflight(d)
        .args([
            "validate",
            "-e",
            "sandeza/send",
            "--fix",
            "--format",
            "json",
            "--sandeza-password",
            "rahasia123",
            "sms.json",
        ])
        .output()
        .unwrap();
    let written = std::fs::read_to_string(d.join("sms.json")).unwrap();
    let new_signature = serde_json::from_str::<serde_json::Value>(&written).unwrap()["signature"]
        .as_str()
        .unwrap()
        .to_string();
    // The example was signed for the time in seconds: the fix restores both.
    assert_eq!(new_signature, signature);
    assert!(!String::from_utf8_lossy(&fixed.stdout).contains(&new_signature));
    assert!(!String::from_utf8_lossy(&fixed.stderr).contains(&new_signature));
}

/// Copies `from` into `to`, recursively.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let (src, dst) = (e.path(), to.join(e.file_name()));
        if src.is_dir() {
            copy_dir(&src, &dst);
        } else {
            std::fs::copy(&src, &dst).unwrap();
        }
    }
}

/// Every file's findings: path → (rule, has a safe fix).
fn findings_by_file(dir: &Path) -> std::collections::BTreeMap<String, Vec<(String, bool)>> {
    let out = preflight(dir)
        .args([
            "validate",
            "validator/tests/cases",
            "--sandeza-password",
            "rahasia123",
            "-f",
            "json",
        ])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let found = f["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| {
                    (
                        d["rule"].as_str().unwrap().to_string(),
                        d["fix"]["applicability"] == "safe",
                    )
                })
                .collect();
            (f["path"].as_str().unwrap().to_string(), found)
        })
        .collect()
}

fn snapshot(dir: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(p.clone(), std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

/// `--fix` over a copy of every rule case: each invalid case whose own rule
/// had a safe fix no longer gives that rule, a second `--fix` changes
/// nothing, and a case that does not parse is untouched.
#[test]
fn fix_on_every_rule_case_removes_its_rule_and_settles() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    copy_dir(
        &root().join("validator/tests/cases"),
        &d.join("validator/tests/cases"),
    );
    copy_dir(
        &root().join("examples/templates"),
        &d.join("examples/templates"),
    );
    let before = findings_by_file(d);
    let original = snapshot(&d.join("validator/tests/cases"));
    let fix = |dir: &Path| {
        preflight(dir)
            .args([
                "validate",
                "validator/tests/cases",
                "--sandeza-password",
                "rahasia123",
                "--fix",
                "-q",
            ])
            .output()
            .unwrap()
    };
    fix(d);
    let after = findings_by_file(d);
    let once = snapshot(&d.join("validator/tests/cases"));
    let mut fixed = 0;
    for (path, found) in &before {
        // validator/tests/cases/<rule>/invalid/…
        let mut parts = path.split('/').skip(3);
        let (Some(rule), Some("invalid")) = (parts.next(), parts.next()) else {
            continue;
        };
        if !found.iter().any(|(r, safe)| r == rule && *safe) {
            continue;
        }
        fixed += 1;
        let left = &after[path];
        assert!(
            !left.iter().any(|(r, _)| r == rule),
            "{path}: `{rule}` still reported after --fix: {left:?}"
        );
    }
    assert!(
        fixed >= 10,
        "only {fixed} cases had a safe fix of their rule"
    );
    for (path, bytes) in &original {
        if path.to_string_lossy().contains("/parse-error/") {
            assert_eq!(&once[path], bytes, "{} was touched", path.display());
        }
    }
    fix(d);
    assert!(
        snapshot(&d.join("validator/tests/cases")) == once,
        "a second --fix changed files"
    );
}
