//! `preflight validate --fix`, `--unsafe-fixes` and `--diff` on files in a
//! temporary directory: what changes, what stays byte for byte, and what is
//! never touched.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use assert_cmd::Command;
use std::path::Path;

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
