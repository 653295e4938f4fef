//! The providers' own doc samples, verbatim (`tests/doc-samples/`): what
//! preflight reports for each is snapshotted per provider. These are the
//! real-world corpus: placeholders left in, the docs' own bugs, malformed JSON.
//! A change in what preflight says about them shows up here as a diff.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn report(provider: &str) -> (String, i32) {
    let out = Command::cargo_bin("preflight")
        .unwrap()
        .current_dir(root())
        .env("NO_COLOR", "1")
        .env_remove("FORCE_COLOR")
        .env_remove("PREFLIGHT_SANDEZA_PASSWORD")
        .args(["validate", "--config", "tests/doc-samples/preflight.toml"])
        .arg(format!("tests/doc-samples/{provider}"))
        .output()
        .unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        out.status.code().unwrap(),
    )
}

#[test]
fn every_sample_is_mapped_to_its_endpoint() {
    let out = Command::cargo_bin("preflight")
        .unwrap()
        .current_dir(root())
        .args([
            "validate",
            "--config",
            "tests/doc-samples/preflight.toml",
            "--format",
            "json",
            "tests/doc-samples",
        ])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for f in v["files"].as_array().unwrap() {
        let unknown = f["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["rule"] == "unknown-endpoint");
        assert!(
            !unknown && !f["endpoint"].is_null(),
            "{} has no endpoint",
            f["path"]
        );
    }
}

macro_rules! provider {
    ($name:ident, $dir:literal, $code:literal) => {
        #[test]
        fn $name() {
            let (text, code) = report($dir);
            assert_eq!(code, $code, "{text}");
            insta::assert_snapshot!(text);
        }
    };
}

// Placeholders (`<value from sprint>`, `62858xxxxxxxx`, `{{nohp}}`), the SMS
// sample's missing comma, 3Dolphins' notes inside JSON: errors a user copies.
provider!(sandeza, "sandeza", 1);
provider!(oca, "oca", 1);
provider!(three_dolphins, "3dolphins", 1);
provider!(chatbot, "chatbot", 1);
// Qiscus' samples are filled in with real-looking values and are valid.
provider!(qiscus, "qiscus", 0);
