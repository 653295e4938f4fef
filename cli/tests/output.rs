//! The output conventions linters share: the concise one-line format, the
//! colour environment variables, SARIF's URIs and rule levels, and runs that
//! could not check everything saying so in every format.

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

/// `preflight` in `dir` with no colour variable of the caller's.
fn preflight(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("preflight").unwrap();
    cmd.current_dir(dir)
        .env_remove("PREFLIGHT_SANDEZA_PASSWORD")
        .env_remove("NO_COLOR")
        .env_remove("FORCE_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR");
    cmd
}

/// Standard output and the exit status.
fn run(cmd: &mut Command) -> (String, i32) {
    let out = cmd.output().unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        out.status.code().unwrap(),
    )
}

fn example(path: &str) -> String {
    std::fs::read_to_string(root().join("examples").join(path)).unwrap()
}

/// A failing OCA payload: an unknown field and a too-long header text.
fn failing_oca() -> String {
    let mut v: Value = serde_json::from_str(&example("oca/push-message/header-text.json")).unwrap();
    v["message"]["template"]["langauge"] = Value::from("id");
    v["message"]["template"]["payload"][0]["parameters"][0]["text"] =
        Value::from("Pesanan INV-20261118-0042 untuk Siti Rahmawati, dikirim hari ini via JNE REG");
    serde_json::to_string_pretty(&v).unwrap()
}

/// Writes `text` at `dir/relative`, making the directories.
fn write(dir: &Path, relative: &str, text: &str) -> PathBuf {
    let path = dir.join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path
}

/// `path:line:col: severity[rule] message`, split; `None` when the line is
/// not of that form.
fn concise_parts(line: &str) -> Option<(String, usize, usize, String, String, String)> {
    let (head, message) = line.split_once("] ")?;
    let (location, finding) = head.rsplit_once(": ")?;
    let (severity, rule) = finding.split_once('[')?;
    let mut parts = location.rsplitn(3, ':');
    let column = parts.next()?.parse().ok()?;
    let line_no = parts.next()?.parse().ok()?;
    let path = parts.next()?.to_string();
    Some((
        path,
        line_no,
        column,
        severity.to_string(),
        rule.to_string(),
        message.to_string(),
    ))
}

#[test]
fn concise_prints_one_line_per_finding_and_the_summary_last() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "fixtures/oca/push-message/bad.json",
        &failing_oca(),
    );
    let (out, code) =
        run(preflight(dir.path()).args(["validate", "fixtures", "--format", "concise"]));
    assert_eq!(code, 1, "{out}");
    let lines: Vec<&str> = out.lines().collect();
    let (summary, findings) = lines.split_last().unwrap();
    assert_eq!(
        *summary, "failed: 2 errors, 0 warnings in 1 file (1 payload)",
        "{out}"
    );
    assert_eq!(findings.len(), 2, "{out}");
    let parsed: Vec<_> = findings
        .iter()
        .map(|l| concise_parts(l).unwrap_or_else(|| panic!("not path:line:col: {l}")))
        .collect();
    // The same positions as the JSON report.
    let json: Value = serde_json::from_slice(
        &preflight(dir.path())
            .args(["validate", "fixtures", "--format", "json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let diagnostics = json["files"][0]["diagnostics"].as_array().unwrap();
    for ((path, line, column, severity, rule, message), d) in parsed.iter().zip(diagnostics) {
        assert_eq!(path, "fixtures/oca/push-message/bad.json");
        assert_eq!(*line as u64, d["line"].as_u64().unwrap());
        assert_eq!(*column as u64, d["column"].as_u64().unwrap());
        assert_eq!(severity, d["severity"].as_str().unwrap());
        assert_eq!(rule, d["rule"].as_str().unwrap());
        assert_eq!(message, d["message"].as_str().unwrap());
    }
    assert!(
        findings
            .iter()
            .any(|l| l.contains(": error[additional-properties] ")),
        "{out}"
    );
}

#[test]
fn concise_keeps_each_finding_on_one_line_and_escapes_controls() {
    let dir = tempfile::tempdir().unwrap();
    // A key with a line break and an escape sequence in it, and a payload
    // that does not parse (a finding with no value to point at).
    let (out, code) = run(preflight(dir.path())
        .args([
            "validate",
            "--endpoint",
            "chatbot/sendwa",
            "--format",
            "concise",
            "-",
        ])
        .write_stdin(
            "{\"nohp\": \"6281234567890\", \"pesan\": \"Halo\", \"a\\n\\u001b[2Jb\": 1}\n",
        ));
    assert_eq!(code, 1, "{out}");
    assert!(!out.contains('\u{1b}'), "{out:?}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    let (path, line, _, severity, rule, message) = concise_parts(lines[0]).unwrap();
    assert_eq!(
        (path.as_str(), line, severity.as_str(), rule.as_str()),
        ("<stdin>", 1, "error", "additional-properties")
    );
    assert!(message.contains("\\u{1b}[2Jb"), "{message}");
}

#[test]
fn concise_gives_unpositioned_findings_line_1_column_1() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "empty.json", "");
    let (out, code) = run(preflight(dir.path()).args([
        "validate",
        "--endpoint",
        "chatbot/sendwa",
        "--format",
        "concise",
        "empty.json",
    ]));
    assert_eq!(code, 1, "{out}");
    let first = out.lines().next().unwrap();
    let (path, line, column, severity, ..) = concise_parts(first).unwrap();
    assert_eq!(
        (path.as_str(), line, column, severity.as_str()),
        ("empty.json", 1, 1, "error"),
        "{out}"
    );
}

#[test]
fn concise_masks_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let mut v: Value = serde_json::from_str(&example("sandeza/send/sms.json")).unwrap();
    let secret = "SuperSecretSignatureValue42";
    v["signature"] = Value::from(secret);
    // Broken after the secret: the message quotes the source around it.
    let text = serde_json::to_string_pretty(&v)
        .unwrap()
        .replacen("\"time\"", "time", 1);
    for text in [serde_json::to_string_pretty(&v).unwrap(), text] {
        let (out, code) = run(preflight(dir.path())
            .args([
                "validate",
                "--endpoint",
                "sandeza/send",
                "--format",
                "concise",
                "-",
            ])
            .write_stdin(text));
        assert_eq!(code, 1, "{out}");
        assert!(!out.contains(secret), "{out}");
    }
}

/// Environment variables, flags, and whether the output is coloured.
type Case = (
    &'static [(&'static str, &'static str)],
    &'static [&'static str],
    bool,
);

/// True when the output holds an ANSI colour sequence.
fn coloured(out: &str) -> bool {
    out.contains("\x1b[")
}

#[test]
fn force_color_and_clicolor_force_colour_a_pipe() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "bad.json",
        "{\"nohp\": \"0812 3456\", \"pesan\": \"x\"}",
    );
    let cases: &[Case] = &[
        (&[], &[], false),
        (&[("FORCE_COLOR", "1")], &[], true),
        (&[("FORCE_COLOR", "0")], &[], false),
        (&[("FORCE_COLOR", "")], &[], false),
        // FORCE_COLOR wins over NO_COLOR (force-color.org) ...
        (&[("FORCE_COLOR", "1"), ("NO_COLOR", "1")], &[], true),
        (&[("CLICOLOR_FORCE", "1")], &[], true),
        (&[("CLICOLOR_FORCE", "0")], &[], false),
        // ... and NO_COLOR over CLICOLOR_FORCE (bixense.com/clicolors).
        (&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")], &[], false),
        // The flag decides alone.
        (&[("FORCE_COLOR", "1")], &["--color", "never"], false),
        (&[("NO_COLOR", "1")], &["--color", "always"], true),
    ];
    for format in ["text", "concise"] {
        for (vars, flags, expected) in cases {
            let mut cmd = preflight(dir.path());
            cmd.args([
                "validate",
                "--endpoint",
                "chatbot/sendwa",
                "--format",
                format,
            ])
            .args(*flags)
            .arg("bad.json");
            for (k, v) in *vars {
                cmd.env(k, v);
            }
            let (out, code) = run(&mut cmd);
            assert_eq!(code, 1, "{out}");
            assert_eq!(
                coloured(&out),
                *expected,
                "{format} {vars:?} {flags:?}:\n{out}"
            );
        }
    }
    // Machine formats are never coloured.
    let (out, _) = run(preflight(dir.path())
        .args([
            "validate",
            "--endpoint",
            "chatbot/sendwa",
            "--format",
            "json",
            "bad.json",
        ])
        .env("FORCE_COLOR", "1"));
    assert!(!coloured(&out), "{out}");
    // `templates check` decides the same way.
    let templates = root().join("examples/templates");
    let (out, _) = run(preflight(dir.path())
        .args(["templates", "check"])
        .arg(&templates)
        .env("FORCE_COLOR", "1")
        .env("NO_COLOR", "1"));
    assert!(coloured(&out), "{out}");
}

fn git(dir: &Path, args: &[&str]) {
    let status = std::process::Command::new("git")
        .args(args)
        .current_dir(dir)
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "git {args:?}");
}

/// `path` as a `file:` URI, the way the SARIF output must spell it.
fn file_uri(path: &Path) -> String {
    let mut uri = String::from("file://");
    for b in path.to_str().unwrap().bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            uri.push(char::from(b));
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri
}

fn sarif_schema() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/sarif/sarif-schema-2.1.0.json")).unwrap(),
    )
    .unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

fn assert_valid_sarif(log: &Value) {
    let validator = sarif_schema();
    let errors: Vec<String> = validator
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

fn sarif(cmd: &mut Command) -> (Value, i32) {
    let (out, code) = run(cmd);
    let log: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"));
    assert_valid_sarif(&log);
    (log, code)
}

/// The artifact locations of a SARIF log's results, in order.
fn artifacts(log: &Value) -> Vec<Value> {
    log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"].clone())
        .collect()
}

#[test]
fn sarif_paths_are_encoded_uris_relative_to_the_repository_root() {
    let repo = tempfile::tempdir().unwrap();
    let top = repo.path().join("top level é");
    std::fs::create_dir(&top).unwrap();
    git(&top, &["init", "-q"]);
    let top = top.canonicalize().unwrap();
    write(
        &top,
        "my app/fixtures/oca/push-message/bad #1?%.json",
        &failing_oca(),
    );
    let outside = tempfile::tempdir().unwrap();
    let stray = write(
        outside.path(),
        "oca/push-message/stray file.json",
        &failing_oca(),
    );
    let app = top.join("my app");
    let (log, code) = sarif(
        preflight(&app)
            .args(["validate", "--format", "sarif", "fixtures"])
            .arg(&stray),
    );
    assert_eq!(code, 1);
    let run = &log["runs"][0];
    assert_eq!(
        run["originalUriBaseIds"]["%SRCROOT%"]["uri"],
        format!("{}/", file_uri(&top)),
        "{run}"
    );
    assert!(
        run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
            .as_str()
            .unwrap()
            .contains("top%20level%20%C3%A9/")
    );
    let locations = artifacts(&log);
    assert_eq!(
        locations[0],
        serde_json::json!({
            "uri": "my%20app/fixtures/oca/push-message/bad%20%231%3F%25.json",
            "uriBaseId": "%SRCROOT%",
        })
    );
    // Outside the repository: an absolute URI, no base.
    let stray_uri = file_uri(&stray.canonicalize().unwrap());
    assert!(
        locations
            .iter()
            .any(|l| *l == serde_json::json!({ "uri": stray_uri })),
        "{locations:#?}"
    );
}

#[test]
fn sarif_paths_outside_git_are_relative_to_the_config_directory() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().canonicalize().unwrap().join("project");
    write(
        &project,
        "preflight.toml",
        "[[fixtures]]\npaths = [\"sub/*.json\"]\nendpoint = \"oca/push-message\"\n",
    );
    write(&project, "sub/bad.json", &failing_oca());
    let sub = project.join("sub");
    // Found from a subdirectory: paths are relative to the config's directory.
    let (log, _) = sarif(preflight(&sub).args(["validate", "--format", "sarif", "bad.json"]));
    assert_eq!(
        log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"],
        format!("{}/", file_uri(&project))
    );
    assert_eq!(
        artifacts(&log)[0],
        serde_json::json!({"uri": "sub/bad.json", "uriBaseId": "%SRCROOT%"})
    );
    // No config and no repository: the current directory.
    let bare = dir.path().canonicalize().unwrap().join("bare");
    write(&bare, "oca/push-message/bad.json", &failing_oca());
    let (log, _) = sarif(preflight(&bare).args(["validate", "--format", "sarif", "."]));
    assert_eq!(
        log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"],
        format!("{}/", file_uri(&bare))
    );
    assert_eq!(
        artifacts(&log)[0],
        serde_json::json!({"uri": "oca/push-message/bad.json", "uriBaseId": "%SRCROOT%"})
    );
}

#[test]
fn sarif_names_standard_input_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let (log, code) = sarif(
        preflight(dir.path())
            .args([
                "validate",
                "--endpoint",
                "oca/push-message",
                "--format",
                "sarif",
                "-",
            ])
            .write_stdin(failing_oca()),
    );
    assert_eq!(code, 1);
    for location in artifacts(&log) {
        assert_eq!(location, serde_json::json!({"uri": "stdin"}));
    }
}

#[test]
fn sarif_rules_carry_the_configured_level() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "preflight.toml",
        "[rules]\nsurrounding-whitespace = \"off\"\nphone-format = \"warning\"\nmax-length = \"warning\"\nduplicate-key = \"error\"\n",
    );
    write(dir.path(), "oca/push-message/bad.json", &failing_oca());
    let (log, _) = sarif(preflight(dir.path()).args(["validate", "--format", "sarif", "."]));
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let configuration = |id: &str| {
        rules
            .iter()
            .find(|r| r["id"] == id)
            .unwrap_or_else(|| panic!("no rule {id}"))["defaultConfiguration"]
            .clone()
    };
    assert_eq!(
        configuration("surrounding-whitespace"),
        serde_json::json!({"level": "none", "enabled": false})
    );
    assert_eq!(
        configuration("phone-format"),
        serde_json::json!({"level": "warning"})
    );
    assert_eq!(
        configuration("max-length"),
        serde_json::json!({"level": "warning"})
    );
    assert_eq!(
        configuration("duplicate-key"),
        serde_json::json!({"level": "error"})
    );
    // Not configured: the rule's own default.
    assert_eq!(
        configuration("additional-properties"),
        serde_json::json!({"level": "error"})
    );
    // And the results carry the configured severity.
    let results = log["runs"][0]["results"].as_array().unwrap();
    let max = results
        .iter()
        .find(|r| r["ruleId"] == "max-length")
        .unwrap();
    assert_eq!(max["level"], "warning");
}

/// A missing path given on the command line: exit 2, and every format says
/// the run failed rather than "ok: 0 files".
#[test]
fn a_run_with_a_missing_path_says_it_failed_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    for format in ["text", "json", "sarif", "github", "concise"] {
        let (out, code) =
            run(preflight(dir.path()).args(["validate", "--format", format, "no/such.json"]));
        assert_eq!(code, 2, "{format}: {out}");
        match format {
            "text" => {
                assert!(
                    out.contains("error: cannot read no/such.json: no such file or directory"),
                    "{out}"
                );
                assert!(
                    out.ends_with("failed: 1 path could not be read; 0 errors, 0 warnings in 0 files (0 payloads)\n"),
                    "{out}"
                );
                assert!(!out.contains("ok:"), "{out}");
            }
            "json" => {
                let doc: Value = serde_json::from_str(&out).unwrap();
                assert_eq!(doc["summary"]["incomplete"], true, "{doc}");
                assert_eq!(doc["summary"]["unreadable"], 1, "{doc}");
                assert_eq!(doc["files"][0]["path"], "no/such.json");
                assert!(doc["files"][0]["error"].is_string(), "{doc}");
            }
            "sarif" => {
                let log: Value = serde_json::from_str(&out).unwrap();
                assert_valid_sarif(&log);
                let run = &log["runs"][0];
                assert_eq!(run["invocations"][0]["executionSuccessful"], false);
                // No empty results array: code scanning would close open alerts.
                assert!(run.get("results").is_none(), "{run}");
                let notification = &run["invocations"][0]["toolExecutionNotifications"][0];
                assert_eq!(
                    notification["locations"][0]["physicalLocation"]["artifactLocation"],
                    serde_json::json!({"uri": "no/such.json", "uriBaseId": "%SRCROOT%"})
                );
            }
            "github" => assert!(out.starts_with("::error file=no/such.json,"), "{out}"),
            _ => assert_eq!(
                out,
                "no/such.json:1:1: error[unreadable] cannot read: no such file or directory\nfailed: 1 path could not be read; 0 errors, 0 warnings in 0 files (0 payloads)\n"
            ),
        }
    }
    // A complete clean run still has its (empty) results and succeeds.
    write(
        dir.path(),
        "chatbot/sendwa/ok.json",
        &example("chatbot/sendwa/text.json"),
    );
    let (log, code) = sarif(preflight(dir.path()).args(["validate", "--format", "sarif", "."]));
    assert_eq!(code, 0);
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
    assert_eq!(
        log["runs"][0]["invocations"][0]["executionSuccessful"],
        true
    );
    // A failed run with results keeps them.
    write(dir.path(), "oca/push-message/bad.json", &failing_oca());
    let (log, code) =
        sarif(preflight(dir.path()).args(["validate", "--format", "sarif", ".", "no/such.json"]));
    assert_eq!(code, 2);
    assert!(!artifacts(&log).is_empty());
    assert_eq!(
        log["runs"][0]["invocations"][0]["executionSuccessful"],
        false
    );
    let (out, _) = run(preflight(dir.path()).args(["validate", "--format", "json", "."]));
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert!(doc["summary"].get("incomplete").is_none(), "{doc}");
}
