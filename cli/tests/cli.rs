//! The `preflight` command as users and CI scripts run it: every subcommand,
//! every format, every exit status, stdin, NDJSON, the config file, endpoint
//! detection, bad input, and secrets.

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

fn preflight() -> Command {
    let mut cmd = Command::cargo_bin("preflight").unwrap();
    cmd.current_dir(root())
        .env_remove("PREFLIGHT_SANDEZA_PASSWORD")
        .env("NO_COLOR", "1")
        .env_remove("FORCE_COLOR");
    cmd
}

fn example(path: &str) -> String {
    std::fs::read_to_string(root().join("examples").join(path)).unwrap()
}

fn json_out(cmd: &mut Command) -> (Value, i32) {
    let out = cmd.output().unwrap();
    let code = out.status.code().unwrap();
    let value: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)));
    (value, code)
}

/// A failing OCA payload: an unknown field and a too-long header text.
fn failing_oca() -> String {
    let mut v: Value = serde_json::from_str(&example("oca/push-message/header-text.json")).unwrap();
    v["message"]["template"]["langauge"] = Value::from("id");
    serde_json::to_string_pretty(&v).unwrap()
}

#[test]
fn validate_examples_exits_zero() {
    preflight().args(["validate", "examples/"]).assert().code(0);
}

#[test]
fn endpoints_lists_every_id() {
    let out = preflight().arg("endpoints").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 21);
    for id in [
        "sandeza/send",
        "oca/push-message",
        "qiscus/upload-csv",
        "3dolphins/verify-phone",
        "chatbot/webhook-reply",
    ] {
        assert!(
            text.lines().any(|l| l.starts_with(id)),
            "{id} missing from\n{text}"
        );
    }
}

#[test]
fn schema_prints_the_embedded_schema() {
    let out = preflight()
        .args(["schema", "qiscus/send-broadcast"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let printed: Value = serde_json::from_slice(&out.stdout).unwrap();
    let file: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("schemas/qiscus/send-broadcast.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(printed, file);
    let out = preflight()
        .args(["schema", "qiscus/send-broadcas"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("did you mean 'qiscus/send-broadcast'"),
        "{err}"
    );
}

#[test]
fn rules_lists_and_explains() {
    let out = preflight().arg("rules").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("unfilled-placeholder"));
    assert!(text.contains("max-length"));
    let out = preflight()
        .args(["rules", "unfilled-placeholder"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("## What it does") && text.contains("## Example"),
        "{text}"
    );
    preflight().args(["rules", "no-such-rule"]).assert().code(2);
}

#[test]
fn json_format_follows_the_contract() {
    let (v, code) = json_out(
        preflight()
            .args([
                "validate",
                "--endpoint",
                "oca/push-message",
                "--format",
                "json",
                "-",
            ])
            .write_stdin(failing_oca()),
    );
    assert_eq!(code, 1);
    let file = &v["files"][0];
    assert_eq!(file["path"], "<stdin>");
    assert_eq!(file["endpoint"], "oca/push-message");
    let d = &file["diagnostics"][0];
    assert_eq!(d["rule"], "additional-properties");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["pointer"], "/message/template/langauge");
    assert!(d["line"].as_u64().unwrap() > 1 && d["column"].as_u64().unwrap() > 1);
    assert!(d["message"].as_str().unwrap().contains("langauge"));
    assert_eq!(v["summary"]["files"], 1);
    assert_eq!(v["summary"]["payloads"], 1);
    assert_eq!(v["summary"]["errors"], 1);
}

#[test]
fn text_format_reads_like_a_compiler() {
    let out = preflight()
        .args(["validate", "--endpoint", "oca/push-message", "-"])
        .write_stdin(failing_oca())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("error[additional-properties]: unknown field `langauge`"),
        "{text}"
    );
    assert!(text.contains("--> <stdin>:"), "{text}");
    assert!(text.contains("^^^^^^^^^^"), "{text}");
    assert!(!text.contains("\x1b["), "no colour when NO_COLOR is set");
}

#[test]
fn github_format_emits_workflow_commands() {
    let out = preflight()
        .args([
            "validate",
            "--endpoint",
            "oca/push-message",
            "--format",
            "github",
            "-",
        ])
        .write_stdin(failing_oca())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let line = text.lines().next().unwrap();
    assert!(line.starts_with("::error file=<stdin>,line="), "{line}");
    assert!(
        line.contains(",title=preflight additional-properties::"),
        "{line}"
    );
}

#[test]
fn sarif_validates_against_the_sarif_2_1_0_schema() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("fixtures/oca/push-message");
    std::fs::create_dir_all(&target).unwrap();
    std::fs::write(target.join("bad.json"), failing_oca()).unwrap();
    let (sarif, code) = json_out(
        preflight()
            .current_dir(dir.path())
            .args(["validate", "fixtures", "--format", "sarif"]),
    );
    assert_eq!(code, 1);
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/sarif/sarif-schema-2.1.0.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "additional-properties");
    assert_eq!(
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "fixtures/oca/push-message/bad.json"
    );
    let index = result["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(
        sarif["runs"][0]["tool"]["driver"]["rules"][index]["id"],
        "additional-properties"
    );
}

#[test]
fn exit_codes() {
    preflight()
        .args(["validate", "examples/oca"])
        .assert()
        .code(0);
    preflight()
        .args(["validate", "--endpoint", "oca/push-message", "-"])
        .write_stdin(failing_oca())
        .assert()
        .code(1);
    preflight()
        .args(["validate", "--endpoint", "oca/push-mesage", "examples/oca"])
        .assert()
        .code(2);
    let out = preflight()
        .args(["validate", "no/such/dir"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("error: cannot read no/such/dir: no such file or directory"),
        "{text}"
    );
    assert!(text.contains("failed: 1 path could not be read"), "{text}");
    preflight()
        .args(["validate", "--format", "yaml", "examples"])
        .assert()
        .code(2);
}

#[test]
fn ndjson_reports_each_payload_on_its_own_line() {
    let dir = tempfile::tempdir().unwrap();
    let good: Value = serde_json::from_str(&example("chatbot/sendwa/text.json")).unwrap();
    let mut bad = good.clone();
    bad["nohp"] = Value::from("62812xxxxxxx");
    let lines = [
        good.to_string(),
        String::new(),
        good.to_string(),
        bad.to_string(),
        "{\"nohp\": ".to_string(),
    ];
    let path = dir.path().join("batch.ndjson");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    let (v, code) = json_out(
        preflight()
            .args([
                "validate",
                "--endpoint",
                "chatbot/sendwa",
                "--format",
                "json",
            ])
            .arg(&path),
    );
    assert_eq!(code, 1);
    let file = &v["files"][0];
    assert_eq!(v["summary"]["payloads"], 4, "blank lines are not payloads");
    let diags = file["diagnostics"].as_array().unwrap();
    assert!(
        diags
            .iter()
            .any(|d| d["line"] == 4 && d["rule"] == "unfilled-placeholder"),
        "{diags:#?}"
    );
    assert!(
        diags
            .iter()
            .any(|d| d["line"] == 5 && d["rule"] == "parse-error"),
        "{diags:#?}"
    );
    assert!(diags.iter().all(|d| d["line"].as_u64().unwrap() >= 4));
}

#[test]
fn ndjson_findings_keep_their_lines_across_batches() {
    // Long enough to span several reader batches; CRLF line ends and blank
    // lines on the way; findings reported in file order with their lines.
    let dir = tempfile::tempdir().unwrap();
    let good: Value = serde_json::from_str(&example("chatbot/sendwa/text.json")).unwrap();
    let mut bad = good.clone();
    bad["nohp"] = Value::from("62812xxxxxxx");
    let bad_lines = [3usize, 4_097, 9_000, 12_001];
    let mut text = String::new();
    for line in 1..=12_001usize {
        if line % 1_000 == 0 {
            text.push_str("\r\n"); // blank
        } else if bad_lines.contains(&line) {
            text.push_str(&format!("{bad}\r\n"));
        } else {
            text.push_str(&format!("{good}\r\n"));
        }
    }
    let path = dir.path().join("many.ndjson");
    std::fs::write(&path, text).unwrap();
    let (v, code) = json_out(
        preflight()
            .args([
                "validate",
                "--endpoint",
                "chatbot/sendwa",
                "--format",
                "json",
            ])
            .arg(&path),
    );
    assert_eq!(code, 1);
    assert_eq!(v["summary"]["payloads"], 12_001 - 12);
    let lines: Vec<u64> = v["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "unfilled-placeholder")
        .map(|d| d["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, vec![3, 4_097, 12_001], "line 9000 is blank");
}

#[test]
fn ndjson_endpoint_comes_from_the_first_payload_and_stdin_ndjson_works() {
    let good: Value =
        serde_json::from_str(&example("qiscus/send-broadcast/scheduled.json")).unwrap();
    let input = format!("{good}\n{good}\n");
    let (v, code) = json_out(
        preflight()
            .args(["validate", "--format", "json", "-"])
            .write_stdin(input),
    );
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["files"][0]["endpoint"], "qiscus/send-broadcast");
    assert_eq!(v["summary"]["payloads"], 2);
}

#[test]
fn config_maps_globs_and_overrides_severities() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("fixtures/outbound")).unwrap();
    let mut v: Value = serde_json::from_str(&example("oca/push-message/body-only.json")).unwrap();
    v["message"]["template"]["template_code_id"] = Value::from(" tagihan_bulanan ");
    std::fs::write(dir.path().join("fixtures/outbound/a.json"), v.to_string()).unwrap();
    std::fs::write(
        dir.path().join("preflight.toml"),
        "[[fixtures]]\npaths = [\"fixtures/outbound/*.json\"]\nendpoint = \"oca/push-message\"\n\n[rules]\nsurrounding-whitespace = \"error\"\n",
    )
    .unwrap();
    let (out, code) = json_out(
        preflight()
            .current_dir(dir.path())
            .args(["validate", "fixtures", "--format", "json"]),
    );
    assert_eq!(out["files"][0]["endpoint"], "oca/push-message");
    assert_eq!(code, 1, "{out}");
    assert_eq!(
        out["files"][0]["diagnostics"][0]["rule"],
        "surrounding-whitespace"
    );
    assert_eq!(out["files"][0]["diagnostics"][0]["severity"], "error");
    // Turned off: clean.
    std::fs::write(
        dir.path().join("preflight.toml"),
        "[[fixtures]]\npaths = [\"fixtures/outbound/*.json\"]\nendpoint = \"oca/push-message\"\n\n[rules]\nsurrounding-whitespace = \"off\"\n",
    )
    .unwrap();
    preflight()
        .current_dir(dir.path())
        .args(["validate", "fixtures"])
        .assert()
        .code(0);
    // --config from elsewhere; an unknown rule name is a usage error.
    std::fs::write(
        dir.path().join("bad.toml"),
        "[rules]\nsurounding-whitespace = \"off\"\n",
    )
    .unwrap();
    let out = preflight()
        .args(["validate", "--config"])
        .arg(dir.path().join("bad.toml"))
        .arg("examples/oca")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean 'surrounding-whitespace'"));
}

/// Every example, copied where its path says nothing, is recognised by shape.
#[test]
fn shape_detection_recognises_every_examples_endpoint() {
    let dir = tempfile::tempdir().unwrap();
    let mut expected = Vec::new();
    for e in preflight::endpoints().unwrap() {
        let src = root().join("examples").join(e.id);
        for (i, entry) in std::fs::read_dir(&src).unwrap().enumerate() {
            let path = entry.unwrap().path();
            let name = format!("{:03}-{}.json", expected.len(), i);
            std::fs::copy(&path, dir.path().join(&name)).unwrap();
            expected.push((name, e.id.to_string(), path));
        }
    }
    let (v, _) = json_out(
        preflight()
            .current_dir(dir.path())
            .args(["validate", ".", "--format", "json"]),
    );
    let mut wrong = Vec::new();
    for file in v["files"].as_array().unwrap() {
        let name = file["path"].as_str().unwrap().trim_start_matches("./");
        let (_, id, src) = expected.iter().find(|(n, ..)| n == name).unwrap();
        if file["endpoint"].as_str() != Some(id.as_str()) {
            wrong.push(format!(
                "{} detected as {} ({})",
                src.display(),
                file["endpoint"],
                file["diagnostics"]
            ));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn ambiguous_shape_names_the_candidates() {
    let (v, code) = json_out(
        preflight()
            .args(["validate", "--format", "json", "-"])
            .write_stdin("{\"hello\": 1}"),
    );
    assert_eq!(code, 1);
    let d = &v["files"][0]["diagnostics"][0];
    assert_eq!(d["rule"], "unknown-endpoint");
    assert!(d["help"].as_str().unwrap().contains("--endpoint"));
}

fn bad_input(bytes: &[u8]) -> (Value, i32) {
    json_out(
        preflight()
            .args([
                "validate",
                "--endpoint",
                "oca/push-message",
                "--format",
                "json",
                "-",
            ])
            .write_stdin(bytes.to_vec()),
    )
}

fn first_rule(v: &Value) -> String {
    v["files"][0]["diagnostics"][0]["rule"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn malformed_json_gets_a_positioned_parse_error() {
    for (text, line, hint) in [
        (
            "{\n  \"phone_number\": \"6281234567890\",\n}",
            3,
            "trailing",
        ),
        (
            "{\n  \"phone_number\": \"6281234567890\"\n  \"message\": {}\n}",
            3,
            "comma",
        ),
        (
            "{\n  phone_number: \"6281234567890\"\n}",
            2,
            "quote the key",
        ),
        ("{\n  \"phone_number\": \"62812", 2, "ends before"),
    ] {
        let (v, code) = bad_input(text.as_bytes());
        assert_eq!(code, 1, "{text}");
        let d = &v["files"][0]["diagnostics"][0];
        assert_eq!(d["rule"], "parse-error", "{text}");
        assert_eq!(d["line"], line, "{text}: {d}");
        assert!(d["help"].as_str().unwrap().contains(hint), "{text}: {d}");
    }
}

#[test]
fn empty_bom_utf8_binary_and_huge_inputs_are_diagnosed() {
    let (v, code) = bad_input(b"");
    assert_eq!((first_rule(&v).as_str(), code), ("parse-error", 1));
    assert!(
        v["files"][0]["diagnostics"][0]["message"]
            .as_str()
            .unwrap()
            .contains("empty")
    );

    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(example("oca/push-message/body-only.json").as_bytes());
    let (v, code) = bad_input(&bom);
    assert_eq!(
        (first_rule(&v).as_str(), code),
        ("byte-order-mark", 0),
        "{v}"
    );

    let (v, code) = bad_input(b"{\"phone_number\": \"caf\xe9\"}");
    assert_eq!((first_rule(&v).as_str(), code), ("parse-error", 1));
    assert!(
        v["files"][0]["diagnostics"][0]["message"]
            .as_str()
            .unwrap()
            .contains("UTF-8")
    );

    let (v, code) = bad_input(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    assert_eq!((first_rule(&v).as_str(), code), ("parse-error", 1));

    let (v, code) = bad_input("[".repeat(100_000).as_bytes());
    assert_eq!((first_rule(&v).as_str(), code), ("parse-error", 1));
    assert!(
        v["files"][0]["diagnostics"][0]["message"]
            .as_str()
            .unwrap()
            .contains("128 or more levels")
    );

    let (v, code) = bad_input(b"{\"phone_number\": 1e400}");
    assert_eq!((first_rule(&v).as_str(), code), ("parse-error", 1));

    let (v, code) = bad_input(b"{\"phone_number\": \"6281234567890\", \"phone_number\": \"6281234567891\", \"message\": {\"type\": \"template\", \"template\": {\"template_code_id\": \"tagihan\", \"payload\": []}}}");
    assert_eq!((first_rule(&v).as_str(), code), ("duplicate-key", 1), "{v}");
}

#[test]
fn a_100_mb_file_is_reported_not_read_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("oca/push-message");
    std::fs::create_dir_all(&big).unwrap();
    let file = std::fs::File::create(big.join("dump.json")).unwrap();
    file.set_len(100 * 1024 * 1024).unwrap();
    std::fs::write(
        big.join("ok.json"),
        example("oca/push-message/body-only.json"),
    )
    .unwrap();
    let (v, code) = json_out(
        preflight()
            .current_dir(dir.path())
            .args(["validate", ".", "--format", "json"]),
    );
    assert_eq!(code, 1);
    assert_eq!(v["summary"]["files"], 2);
    let dump = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"].as_str().unwrap().ends_with("dump.json"))
        .unwrap();
    assert_eq!(dump["diagnostics"][0]["rule"], "payload-too-large");
}

#[test]
fn secrets_never_reach_any_format() {
    let mut v: Value = serde_json::from_str(&example("sandeza/send/sms.json")).unwrap();
    let secret = "SuperSecretSignatureValue42";
    v["signature"] = Value::from(secret);
    let text = serde_json::to_string_pretty(&v).unwrap();
    for format in ["text", "json", "sarif", "github", "concise"] {
        let out = preflight()
            .args([
                "validate",
                "--endpoint",
                "sandeza/send",
                "--format",
                format,
                "-",
            ])
            .write_stdin(text.clone())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{format}");
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            !all.contains(secret),
            "{format} leaks the signature:\n{all}"
        );
        assert!(
            all.contains("signature"),
            "{format}: the finding is still reported"
        );
    }
    // A payload that does not even parse still has its secret masked in the source line.
    let broken = text.replacen("\"time\"", "time", 1);
    let out = preflight()
        .args(["validate", "--endpoint", "sandeza/send", "-"])
        .write_stdin(broken)
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains(secret));
}

#[test]
fn help_is_stable() {
    let out = preflight().args(["validate", "--help"]).output().unwrap();
    insta::assert_snapshot!(String::from_utf8(out.stdout).unwrap());
}

#[test]
fn sandeza_sign_help_is_stable() {
    let out = preflight()
        .args(["sandeza", "sign", "--help"])
        .output()
        .unwrap();
    insta::assert_snapshot!(String::from_utf8(out.stdout).unwrap());
}

#[test]
fn schema_help_is_stable() {
    let out = preflight().args(["schema", "--help"]).output().unwrap();
    insta::assert_snapshot!(String::from_utf8(out.stdout).unwrap());
}

/// `preflight.schema.json` (editor completion for `preflight.toml`) is generated
/// from the config's Rust type; it must match what the binary generates now.
#[test]
fn config_json_schema_is_current() {
    let out = preflight().arg("config-schema").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let generated = String::from_utf8(out.stdout).unwrap();
    let checked_in = std::fs::read_to_string(root().join("preflight.schema.json")).unwrap();
    assert_eq!(
        generated, checked_in,
        "preflight.schema.json is stale: run `cargo run -p preflight -- config-schema > preflight.schema.json`"
    );
    // And the shipped doc-samples config is valid under it.
    let schema: Value = serde_json::from_str(&checked_in).unwrap();
    let config: Value = toml::from_str(
        &std::fs::read_to_string(root().join("tests/doc-samples/preflight.toml")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    assert!(validator.is_valid(&config), "{config}");
}

/// The text output of `preflight validate ARGS…` run in `dir`.
fn text_in(dir: &Path, args: &[&str]) -> String {
    let out = preflight()
        .current_dir(dir)
        .arg("validate")
        .args(args)
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn text_names_the_endpoint_detected_from_the_shape_only() {
    let dir = tempfile::tempdir().unwrap();
    let clean = example("chatbot/checknumber/number.json");
    let line = "→ chatbot/checknumber (detected from the payload's shape)";
    // Nothing in the path: detected, and said even for a clean file.
    std::fs::write(dir.path().join("nomor.json"), &clean).unwrap();
    let shown = text_in(dir.path(), &["nomor.json"]);
    assert!(shown.contains(&format!("nomor.json {line}\n")), "{shown}");
    assert!(
        shown.ends_with("ok: 0 errors, 0 warnings in 1 file (1 payload)\n"),
        "{shown}"
    );
    // Before the file's findings, once.
    let mut broken: Value = serde_json::from_str(&clean).unwrap();
    broken["nohp"] = Value::from("0812");
    std::fs::write(dir.path().join("rusak.json"), broken.to_string()).unwrap();
    let shown = text_in(dir.path(), &["rusak.json"]);
    assert_eq!(shown.matches(line).count(), 1, "{shown}");
    assert!(
        shown.starts_with(&format!("rusak.json {line}\n")),
        "{shown}"
    );
    assert!(shown.contains("--> rusak.json:"), "{shown}");
    // --quiet, --endpoint: not said.
    for args in [
        &["--quiet", "nomor.json"][..],
        &["-q", "rusak.json"],
        &["-e", "chatbot/checknumber", "nomor.json"],
    ] {
        let shown = text_in(dir.path(), args);
        assert!(!shown.contains("detected"), "{args:?}: {shown}");
    }
    // Other formats carry it in their own fields, never as this line.
    let shown = text_in(dir.path(), &["--format", "json", "nomor.json"]);
    assert!(!shown.contains("detected"), "{shown}");
    // Mapped by the config file: not said.
    std::fs::write(
        dir.path().join("preflight.toml"),
        "[[fixtures]]\npaths = [\"nomor.json\"]\nendpoint = \"chatbot/checknumber\"\n",
    )
    .unwrap();
    let shown = text_in(dir.path(), &["nomor.json", "rusak.json"]);
    assert!(!shown.contains("nomor.json →"), "{shown}");
    assert!(shown.contains(&format!("rusak.json {line}")), "{shown}");
    std::fs::remove_file(dir.path().join("preflight.toml")).unwrap();
    // Mapped by the path: not said.
    std::fs::create_dir_all(dir.path().join("chatbot/checknumber")).unwrap();
    std::fs::write(dir.path().join("chatbot/checknumber/a.json"), &clean).unwrap();
    let shown = text_in(dir.path(), &["chatbot"]);
    assert!(!shown.contains("detected"), "{shown}");
}

#[test]
fn ndjson_names_the_detected_endpoint_once_per_file() {
    let dir = tempfile::tempdir().unwrap();
    let one: Value = serde_json::from_str(&example("chatbot/checknumber/number.json")).unwrap();
    std::fs::write(
        dir.path().join("nomor.ndjson"),
        format!("\n{one}\n{one}\n{one}\n"),
    )
    .unwrap();
    let shown = text_in(dir.path(), &["nomor.ndjson"]);
    assert_eq!(
        shown,
        "nomor.ndjson → chatbot/checknumber (detected from the shape of the payload on line 2)\n\
         ok: 0 errors, 0 warnings in 1 file (3 payloads)\n"
    );
    let shown = text_in(dir.path(), &["--quiet", "nomor.ndjson"]);
    assert!(!shown.contains("detected"), "{shown}");
}

#[test]
fn related_places_are_valid_sarif_and_keep_their_ndjson_lines() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("fixtures/chatbot/checknumber");
    std::fs::create_dir_all(&target).unwrap();
    std::fs::write(
        target.join("dup.ndjson"),
        "{\"nohp\": \"6281234567890\"}\n{\"nohp\": \"6281234567890\", \"nohp\": \"6281234567891\"}\n",
    )
    .unwrap();
    let (sarif, code) = json_out(
        preflight()
            .current_dir(dir.path())
            .args(["validate", "fixtures", "--format", "sarif"]),
    );
    assert_eq!(code, 1);
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/sarif/sarif-schema-2.1.0.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "duplicate-key");
    let region = &result["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (&region["startLine"], &region["startColumn"]),
        (&2.into(), &27.into())
    );
    let related = &result["relatedLocations"][0];
    assert_eq!(related["message"]["text"], "first occurrence");
    assert_eq!(related["physicalLocation"]["region"]["startLine"], 2);
    assert_eq!(related["physicalLocation"]["region"]["startColumn"], 2);
    let (json, _) = json_out(
        preflight()
            .current_dir(dir.path())
            .args(["validate", "fixtures", "--format", "json"]),
    );
    let related = &json["files"][0]["diagnostics"][0]["related"][0];
    assert_eq!(related["line"], 2, "{json}");
    assert_eq!(related["pointer"], "/nohp");
}

/// A `preflight.toml` that does not parse is reported with its line and a
/// caret, as toml prints it, but a credential on that line is never shown
/// (toml's own message quotes the source line).
#[test]
fn a_config_parse_error_never_shows_a_credential() {
    let secret = "QZJKWVQZJKWV";
    let cases = [
        format!("[credentials.qiscus]\n\"Qiscus-Secret-Key\" = \"{secret}\n"),
        format!("[credentials.qiscus]\n\"Qiscus-Secret-Key\" = \"{secret}\" x\n"),
        "[credentials.chatbot]\nsecretkey = 912837465019\n".to_string(),
        format!("credentials.qiscus = {{ \"Qiscus-Secret-Key\" = \"{secret}\" x }}\n"),
        format!("exclude = []\npassword = \"{secret}\n"),
        format!("[credentials.chatbot]\nsecretkey = \"\"\"{secret}\n{secret}\"\"\" x\n"),
        // Windows line ends: the error at the line break, past the `\r`.
        format!("[credentials.qiscus]\r\n\"Qiscus-Secret-Key\" = \"{secret}\r\n"),
        format!("[credentials.qiscus]\r\n\"Qiscus-Secret-Key\" = \"{secret}\"\r"),
    ];
    let dir = tempfile::tempdir().unwrap();
    // A run with `config` as the directory's preflight.toml: exit status, stderr.
    let run = |config: &str| {
        std::fs::write(dir.path().join("preflight.toml"), config).unwrap();
        let out = preflight()
            .current_dir(dir.path())
            .args(["validate", "-"])
            .write_stdin("{}")
            .output()
            .unwrap();
        (out.status.code(), String::from_utf8(out.stderr).unwrap())
    };
    for case in &cases {
        let (code, stderr) = run(case);
        assert_eq!(code, Some(2), "{case}\n{stderr}");
        assert!(
            stderr.contains("TOML parse error at line"),
            "{case}\n{stderr}"
        );
        assert!(stderr.contains('^'), "{case}\n{stderr}");
        let chars: Vec<char> = secret.chars().collect();
        for w in chars.windows(4) {
            let piece: String = w.iter().collect();
            assert!(!stderr.contains(&piece), "{case}\n{stderr}");
        }
        assert!(!stderr.contains("91283746"), "{case}\n{stderr}");
    }
    // Any other line is shown as it is.
    let (_, stderr) = run("[rules]\nsurrounding-whitespace = \"eror\n");
    assert!(
        stderr.contains("2 | surrounding-whitespace = \"eror"),
        "{stderr}"
    );
}
