//! `schemas/output/report.json` describes exactly what `preflight validate
//! --format json` and `preflight test --format json` print: every kind of run's document validates against it
//! (the examples, every rule case, a missing path, a malformed file, NDJSON,
//! standard input, skipped files, fixable findings with and without `--fix`),
//! and the runs together reach every part of it (fixes, related places, an
//! unreadable entry, every optional summary count this branch prints), so a
//! field renamed in the code and not in the schema fails here.

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
        .env("NO_COLOR", "1");
    cmd
}

fn schema() -> Value {
    serde_json::from_str(
        &std::fs::read_to_string(root().join("schemas/output/report.json")).unwrap(),
    )
    .unwrap()
}

/// What the runs reached, to show the test covers the schema's parts.
#[derive(Default, Debug)]
struct Seen {
    documents: usize,
    fixes: usize,
    related: usize,
    unreadable: usize,
    skipped: usize,
    ndjson_lines: usize,
    suppressed: usize,
    mismatches: usize,
}

struct Checker {
    validator: jsonschema::Validator,
    seen: Seen,
}

impl Checker {
    fn new() -> Self {
        let validator = jsonschema::options()
            .should_validate_formats(true)
            .build(&schema())
            .unwrap();
        Checker {
            validator,
            seen: Seen::default(),
        }
    }

    /// Runs `preflight validate --format json ARGS` and checks the document.
    fn run(&mut self, args: &[&str], stdin: Option<&str>) -> Value {
        self.run_as("validate", args, stdin)
    }

    /// Runs `preflight SUBCOMMAND --format json ARGS` and checks the document.
    fn run_as(&mut self, subcommand: &str, args: &[&str], stdin: Option<&str>) -> Value {
        let mut cmd = preflight();
        cmd.args([subcommand, "--format", "json"]).args(args);
        if let Some(input) = stdin {
            cmd.write_stdin(input);
        }
        let out = cmd.output().unwrap();
        let code = out.status.code().unwrap();
        assert!(code <= 2, "{args:?}: exit {code}");
        let document: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "{args:?}: not JSON ({e}): {}",
                String::from_utf8_lossy(&out.stdout)
            )
        });
        let errors: Vec<String> = self
            .validator
            .iter_errors(&document)
            .map(|e| format!("{e} (at {}, schema {})", e.instance_path(), e.schema_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "{args:?} does not fit the schema: {errors:#?}"
        );
        self.seen.documents += 1;
        if subcommand == "test" {
            for f in document["fixtures"].as_array().unwrap() {
                self.seen.mismatches += f["mismatches"].as_array().unwrap().len();
                self.seen.unreadable += usize::from(f.get("error").is_some());
            }
            return document;
        }
        if document["summary"].get("suppressed").is_some() {
            self.seen.suppressed += 1;
        }
        for f in document["files"].as_array().unwrap() {
            if f.get("error").is_some() {
                self.seen.unreadable += 1;
            }
            for d in f["diagnostics"].as_array().unwrap() {
                self.seen.fixes += usize::from(d.get("fix").is_some());
                self.seen.related += usize::from(d.get("related").is_some());
            }
        }
        if document["summary"].get("skipped").is_some() {
            self.seen.skipped += 1;
        }
        document
    }
}

#[test]
fn every_json_output_fits_the_schema() {
    let mut checker = Checker::new();
    // The examples (clean, with the example account's templates).
    let examples = checker.run(&["examples"], None);
    assert_eq!(examples["summary"]["errors"], 0);
    // Every rule case directory, with the Sandeza password and the rule
    // cases' templates, so the signature and template rules speak.
    let cases = root().join("validator/tests/cases");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&cases)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(dirs.len() > 50);
    for dir in &dirs {
        let dir = dir.strip_prefix(root()).unwrap().to_str().unwrap();
        checker.run(
            &[
                "--sandeza-password",
                "rahasia123",
                "--templates",
                "examples/templates",
                "--templates",
                "validator/tests/cases/templates.json",
                dir,
            ],
            None,
        );
    }
    // A missing path beside a readable one: an entry with an `error`.
    let missing = checker.run(&["no/such/payload.json", "examples/chatbot/sendwa"], None);
    assert_eq!(missing["summary"]["unreadable"], 1);

    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| -> String {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_string()
    };
    // A malformed file.
    let malformed = write(
        "chatbot/sendwa/broken.json",
        "{\"nohp\": \"6281234567890\",\n",
    );
    checker.run(&[&malformed], None);
    // NDJSON: a clean line, a broken one, a fixable one.
    let ndjson = write(
        "chatbot/sendwa/batch.ndjson",
        "{\"nohp\": \"6281234567890\", \"pesan\": \"Halo\"}\n{\"nohp\": \n{\"nohp\": \"0812-3456-7890\", \"pesan\": \"Halo\"}\n",
    );
    let batch = checker.run(&[&ndjson], None);
    checker.seen.ndjson_lines += batch["summary"]["payloads"].as_u64().unwrap() as usize;
    // Fixable findings: reported with their fixes, then fixed in place.
    let fixable = write(
        "chatbot/sendwa/fixable.json",
        "{\"nohp\": \" 6281234567890\", \"pesan\": \"Halo\", \"notifyurl\": \"http://contoh.co.id/notify\"}\n",
    );
    let sandeza = std::fs::read_to_string(
        root()
            .join("validator/tests/cases/surrounding-whitespace/invalid/sandeza/send")
            .read_dir()
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path(),
    )
    .unwrap();
    let sandeza = write("sandeza/send/fixable.json", &sandeza);
    checker.run(&[&fixable, &sandeza], None);
    checker.run(&["--fix", &fixable, &sandeza], None);
    checker.run(&["--fix", "--unsafe-fixes", &fixable, &ndjson], None);
    // Standard input, and a file skipped by --only-mapped.
    checker.run(
        &["-e", "chatbot/sendwa", "-"],
        Some("{\"nohp\": \"0812 3456 7890\", \"pesan\": \"Halo\"}"),
    );
    let unmapped = write("package.json", "{\"name\": \"app\"}\n");
    checker.run(&["--only-mapped", &unmapped], None);
    // No path that holds a payload: the document still has both parts.
    let empty = tempfile::tempdir().unwrap();
    checker.run(&[empty.path().to_str().unwrap()], None);

    // Suppressed findings, and `preflight test`: passing, failing, unreadable.
    checker.run(&["tests/readme/contract"], None);
    let passing = checker.run_as("test", &["tests/readme/contract"], None);
    assert_eq!(passing["summary"]["failed"], 0);
    checker.run_as(
        "test",
        &["tests/readme/stale", "no/such/fixture.json"],
        None,
    );
    checker.run_as(
        "test",
        &[
            "validator/tests/cases/max-length",
            "--sandeza-password",
            "rahasia123",
        ],
        None,
    );

    let seen = &checker.seen;
    assert!(seen.suppressed > 0, "{seen:?}");
    assert!(seen.mismatches >= 2, "{seen:?}");
    assert!(seen.fixes > 0, "{seen:?}");
    assert!(seen.related > 0, "{seen:?}");
    assert!(seen.unreadable > 0, "{seen:?}");
    assert!(seen.skipped > 0, "{seen:?}");
    assert_eq!(seen.ndjson_lines, 3, "{seen:?}");
}

#[test]
fn the_schema_is_printed_and_describes_every_property() {
    let out = preflight().args(["schema", "--output"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let printed: Value = serde_json::from_slice(&out.stdout).unwrap();
    let schema = schema();
    assert_eq!(printed, schema);
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    for def in ["file", "diagnostic", "fix", "edit", "summary", "related"] {
        assert!(schema["$defs"][def].is_object(), "$defs/{def}");
    }
    // Every property has a title and a description.
    fn walk(node: &Value, at: &str) {
        let Value::Object(map) = node else { return };
        if let Some(Value::Object(props)) = map.get("properties") {
            for (name, prop) in props {
                for key in ["title", "description"] {
                    assert!(
                        prop.get(key)
                            .and_then(Value::as_str)
                            .is_some_and(|s| !s.is_empty()),
                        "{at}/properties/{name} has no {key}"
                    );
                }
            }
        }
        for (k, v) in map {
            walk(v, &format!("{at}/{k}"));
        }
    }
    walk(&schema, "");
    // Open where fields are added, closed where a rename must fail.
    assert!(schema.get("additionalProperties").is_none());
    assert!(
        schema["$defs"]["file"]
            .get("additionalProperties")
            .is_none()
    );
    for def in ["diagnostic", "fix", "edit", "summary", "related"] {
        assert_eq!(schema["$defs"][def]["additionalProperties"], false, "{def}");
    }
}

#[test]
fn a_renamed_field_fails_the_schema() {
    let validator = jsonschema::validator_for(&schema()).unwrap();
    let good = serde_json::json!({
        "files": [{"path": "a.json", "endpoint": "chatbot/sendwa", "diagnostics": [
            {"rule": "phone-format", "severity": "error", "pointer": "/nohp", "line": 1, "column": 10,
             "end_line": 1, "end_column": 26, "message": "m",
             "fix": {"message": "f", "applicability": "safe",
                     "edits": [{"pointer": "/nohp", "line": 1, "column": 10, "end_line": 1, "end_column": 26, "replacement": "\"6281234567890\""}]}}
        ]}],
        "summary": {"files": 1, "payloads": 1, "errors": 1, "warnings": 0, "suppressed": 2},
        "added_later": true
    });
    assert!(validator.is_valid(&good));
    for (pointer, from, to) in [
        ("/summary", "errors", "error_count"),
        ("/files/0", "diagnostics", "findings"),
        ("/files/0/diagnostics/0", "pointer", "path"),
        ("/files/0/diagnostics/0", "message", "text"),
        ("/files/0/diagnostics/0/fix", "applicability", "safe"),
        ("/files/0/diagnostics/0/fix/edits/0", "replacement", "text"),
    ] {
        let mut bad = good.clone();
        let object = bad.pointer_mut(pointer).unwrap().as_object_mut().unwrap();
        let value = object.remove(from).unwrap();
        object.insert(to.to_string(), value);
        assert!(!validator.is_valid(&bad), "{pointer}: {from} → {to} passes");
    }
    // A count of 0 is left out, never printed.
    let mut zero = good.clone();
    zero["summary"]["suppressed"] = 0.into();
    assert!(!validator.is_valid(&zero));
}
