//! The command line under inputs that break naive tools: secrets in broken
//! payloads, terminal control characters, lines and streams that never end,
//! FIFOs, symbolic links, unreadable paths, and batches where every payload
//! fails. Each finishes within seconds, prints nothing it must not, and
//! reports every problem in every format.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use assert_cmd::Command;
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

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
        .env_remove("FORCE_COLOR")
        .timeout(Duration::from_secs(60));
    cmd
}

const FORMATS: [&str; 5] = ["text", "json", "sarif", "github", "concise"];

/// Output of `validate` with `args` in `format`, stdin from `input`.
fn run(format: &str, args: &[&str], input: Option<&[u8]>) -> (String, i32) {
    let mut cmd = preflight();
    cmd.args(["validate", "--format", format]).args(args);
    if let Some(input) = input {
        cmd.write_stdin(input.to_vec());
    }
    let out = cmd.output().unwrap();
    (
        String::from_utf8(out.stdout).expect("output is UTF-8"),
        out.status.code().unwrap_or(-1),
    )
}

/// The document a JSON-printing format produced.
fn parsed(format: &str, out: &str) -> Option<Value> {
    matches!(format, "json" | "sarif").then(|| {
        serde_json::from_str(out).unwrap_or_else(|e| panic!("{format} is not JSON ({e}):\n{out}"))
    })
}

#[test]
fn secrets_in_broken_payloads_are_never_printed() {
    for text in [
        "{\"time\": -\"a\"signature\": \"SECRETVALUE123\"}",
        "{\"signature\"\n: \"SECRETVALUE123\", \"time\": -1x}",
        "{\"signature\":\n\"SECRETVALUE123\" \"time\": 1}",
    ] {
        for format in FORMATS {
            let (out, code) = run(
                format,
                &["--endpoint", "sandeza/send", "-"],
                Some(text.as_bytes()),
            );
            assert_eq!(code, 1, "{text:?} in {format}:\n{out}");
            assert!(
                !out.contains("SECRET") && !out.contains("VALUE123"),
                "{text:?} in {format}:\n{out}"
            );
            parsed(format, &out);
        }
    }
}

/// One character of each class that must never reach a terminal raw.
const UNSAFE: &[(&str, char)] = &[
    ("C0 escape", '\u{1b}'),
    ("C0 bell", '\u{7}'),
    ("C0 backspace", '\u{8}'),
    ("C0 carriage return", '\r'),
    ("DEL", '\u{7f}'),
    ("C1 CSI", '\u{9b}'),
    ("C1 OSC", '\u{9d}'),
    ("bidi override", '\u{202e}'),
    ("bidi embedding", '\u{202a}'),
    ("bidi isolate", '\u{2066}'),
    ("bidi pop isolate", '\u{2069}'),
];

fn assert_no_raw(out: &str, what: &str, c: char) {
    assert!(
        !out.contains(c),
        "{what} U+{:04X} printed raw:\n{}",
        c as u32,
        out.escape_debug()
    );
}

#[test]
fn control_characters_are_escaped_in_every_format() {
    for &(what, c) in UNSAFE {
        let escaped = format!("\\u{:04x}", c as u32);
        // In a value (message, source line), in a key (message, pointer) and
        // raw in a broken file (source line).
        let payloads = [
            format!(
                "{{\"nohp\": \"{escaped}[2J{escaped}]0;pwned{escaped}X\", \"pesan\": \"Halo\"}}"
            ),
            format!("{{\"nohp\": \"6281234567890\", \"pesan\": \"Halo\", \"a{escaped}b\": 1}}"),
            format!("{{\"nohp\": \"6281234567890\", \"pesan\": \"Halo {c} x\""),
        ];
        for payload in &payloads {
            for format in FORMATS {
                let (out, code) = run(
                    format,
                    &["--endpoint", "chatbot/sendwa", "-"],
                    Some(payload.as_bytes()),
                );
                assert_eq!(code, 1, "{what} {format}: {payload:?}\n{out}");
                assert_no_raw(&out, what, c);
                if let Some(doc) = parsed(format, &out) {
                    // The document still decodes to the original text.
                    if format == "json" && payload.contains("\"a\\u") {
                        let pointer = doc["files"][0]["diagnostics"][0]["pointer"]
                            .as_str()
                            .unwrap();
                        assert_eq!(pointer, format!("/a{c}b"));
                    }
                }
            }
        }
    }
}

#[test]
fn the_caret_stays_under_an_escaped_character() {
    let payload = b"{\"nohp\": \"\\u001b[2JX\", \"pesan\": \"Halo\"}";
    let (out, _) = run(
        "text",
        &["--endpoint", "chatbot/sendwa", "-"],
        Some(payload),
    );
    // The value's line is shown as typed (a JSON escape is six characters).
    assert!(out.contains("--> <stdin>:1:11"), "{out}");
    // A file name with an escape sequence in it is escaped too.
    let dir = tempfile::tempdir().unwrap();
    let name = dir.path().join("a\u{1b}[31mred.json");
    std::fs::write(&name, "{\"nohp\": 1}").unwrap();
    for format in FORMATS {
        let (out, _) = run(
            format,
            &["--endpoint", "chatbot/sendwa", name.to_str().unwrap()],
            None,
        );
        assert_no_raw(&out, "ESC in a file name", '\u{1b}');
    }
}

#[cfg(unix)]
#[test]
fn an_ndjson_link_to_dev_zero_is_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("zero.ndjson");
    std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
    let started = Instant::now();
    let (out, code) = run(
        "json",
        &["--endpoint", "chatbot/sendwa", link.to_str().unwrap()],
        None,
    );
    assert!(started.elapsed() < Duration::from_secs(30));
    assert_eq!(code, 1, "{out}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    let d = &doc["files"][0]["diagnostics"][0];
    assert_eq!(d["rule"], "payload-too-large");
    assert_eq!(d["line"], 1);
    assert!(
        d["note"].as_str().unwrap().contains("stopped reading"),
        "{d}"
    );
}

#[cfg(unix)]
#[test]
fn a_json_link_to_dev_zero_is_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("zero.json");
    std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
    // In a walk it is skipped with a warning that names it.
    let (out, code) = run(
        "json",
        &["--endpoint", "chatbot/sendwa", dir.path().to_str().unwrap()],
        None,
    );
    assert_eq!(code, 0, "{out}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    let d = &doc["files"][0]["diagnostics"][0];
    assert_eq!(d["rule"], "skipped-file");
    assert_eq!(d["severity"], "warning");
    assert!(
        d["message"].as_str().unwrap().contains("character device"),
        "{d}"
    );
    // Named on the command line it is read as a stream, bounded.
    let (out, code) = run(
        "json",
        &["--endpoint", "chatbot/sendwa", link.to_str().unwrap()],
        None,
    );
    assert_eq!(code, 1, "{out}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        doc["files"][0]["diagnostics"][0]["rule"],
        "payload-too-large"
    );
}

#[test]
fn oversized_stdin_is_a_finding_not_a_crash() {
    // One 40 MiB document (its first line is not a whole value).
    let mut big = b"{\n\"pesan\": \"".to_vec();
    big.resize(40 * 1024 * 1024, b'a');
    big.extend_from_slice(b"\"}\n");
    let (out, code) = run("json", &["--endpoint", "chatbot/sendwa", "-"], Some(&big));
    assert_eq!(code, 1, "{out}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    let d = &doc["files"][0]["diagnostics"][0];
    assert_eq!(d["rule"], "payload-too-large");
    assert!(d["message"].as_str().unwrap().contains("32 MiB"), "{d}");
    // One 40 MiB line: the same, at its line.
    let mut line = b"{\"nohp\": \"6281234567890\", \"pesan\": \"ok\"}\n{\"pesan\": \"".to_vec();
    line.resize(40 * 1024 * 1024, b'a');
    line.extend_from_slice(b"\"}\n{\"nohp\": \"6281234567890\", \"pesan\": \"ok\"}\n");
    let (out, code) = run("json", &["--endpoint", "chatbot/sendwa", "-"], Some(&line));
    assert_eq!(code, 1, "{out}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    let ds = doc["files"][0]["diagnostics"].as_array().unwrap();
    assert_eq!(ds.len(), 1, "{ds:?}");
    assert_eq!(ds[0]["rule"], "payload-too-large");
    assert_eq!(ds[0]["line"], 2);
    assert_eq!(
        doc["summary"]["payloads"], 2,
        "the lines around it are checked"
    );
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(status.success());
}

#[cfg(unix)]
#[test]
fn a_fifo_named_on_the_command_line_is_read_like_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("live.ndjson");
    mkfifo(&fifo);
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let mut f = std::fs::OpenOptions::new().write(true).open(fifo).unwrap();
            f.write_all(b"{\"nohp\": \"6281234567890\", \"pesan\": \"ok\"}\n{\"nohp\": \"0812 3456\", \"pesan\": \"x\"}\n")
                .unwrap();
        })
    };
    let (out, code) = run(
        "json",
        &["--endpoint", "chatbot/sendwa", fifo.to_str().unwrap()],
        None,
    );
    writer.join().unwrap();
    assert_eq!(code, 1, "{out}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["summary"]["payloads"], 2);
    assert_eq!(doc["files"][0]["diagnostics"][0]["line"], 2);
}

#[cfg(unix)]
#[test]
fn a_fifo_in_a_directory_is_skipped_and_named() {
    let dir = tempfile::tempdir().unwrap();
    mkfifo(&dir.path().join("pipe.json"));
    std::fs::write(
        dir.path().join("ok.json"),
        "{\"nohp\": \"6281234567890\", \"pesan\": \"ok\"}",
    )
    .unwrap();
    let started = Instant::now();
    for format in FORMATS {
        let (out, code) = run(
            format,
            &["--endpoint", "chatbot/sendwa", dir.path().to_str().unwrap()],
            None,
        );
        assert_eq!(code, 0, "{format}: {out}");
        assert!(out.contains("pipe.json"), "{format}: {out}");
        assert!(out.contains("skipped-file"), "{format}: {out}");
    }
    assert!(started.elapsed() < Duration::from_secs(30));
}

/// Every I/O problem, in every format: part of the report, exit 2.
#[cfg(unix)]
#[test]
fn unreadable_paths_reach_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("ok.json"),
        "{\"nohp\": \"6281234567890\", \"pesan\": \"ok\"}",
    )
    .unwrap();
    std::fs::create_dir(d.join("loop")).unwrap();
    std::os::unix::fs::symlink("..", d.join("loop/back")).unwrap();
    let missing = d.join("missing.json");
    let not_a_dir = d.join("ok.json/inner.json");
    let args = [
        "--endpoint",
        "chatbot/sendwa",
        missing.to_str().unwrap(),
        not_a_dir.to_str().unwrap(),
        d.to_str().unwrap(),
    ];
    for format in FORMATS {
        let (out, code) = run(format, &args, None);
        assert_eq!(code, 2, "{format}: {out}");
        assert!(out.contains("missing.json"), "{format}: {out}");
        assert!(out.contains("inner.json"), "{format}: {out}");
        assert!(
            out.contains("loop"),
            "{format}: the symlink loop is named\n{out}"
        );
        match format {
            "text" => {
                assert!(out.contains("error: cannot read"), "{out}");
                assert!(out.contains("failed: 3 paths could not be read"), "{out}");
                assert!(!out.contains("ok:"), "{out}");
            }
            "json" => {
                let doc: Value = serde_json::from_str(&out).unwrap();
                assert_eq!(doc["summary"]["unreadable"], 3, "{doc}");
                assert_eq!(doc["summary"]["incomplete"], true, "{doc}");
                let errors: Vec<&Value> = doc["files"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|f| f.get("error").is_some())
                    .collect();
                assert_eq!(errors.len(), 3, "{doc}");
                assert!(
                    doc["files"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|f| f["path"].as_str().unwrap().ends_with("ok.json"))
                );
            }
            "sarif" => {
                let doc: Value = serde_json::from_str(&out).unwrap();
                let inv = &doc["runs"][0]["invocations"][0];
                assert_eq!(inv["executionSuccessful"], false);
                assert_eq!(
                    inv["toolExecutionNotifications"].as_array().unwrap().len(),
                    3
                );
                // No empty results that would close open code-scanning alerts.
                assert!(doc["runs"][0].get("results").is_none(), "{doc}");
            }
            "concise" => {
                let unreadable: Vec<&str> = out
                    .lines()
                    .filter(|l| l.contains(":1:1: error[unreadable] cannot read: "))
                    .collect();
                assert_eq!(unreadable.len(), 3, "{out}");
                assert!(
                    out.lines()
                        .last()
                        .unwrap()
                        .starts_with("failed: 3 paths could not be read"),
                    "{out}"
                );
            }
            _ => assert_eq!(out.matches("::error").count(), 3, "{out}"),
        }
    }
}

#[cfg(unix)]
#[test]
fn symlinks_in_a_walk_are_followed_and_dangling_ones_reported() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("real")).unwrap();
    std::fs::write(
        d.join("real/a.json"),
        "{\"nohp\": \"0812 3456\", \"pesan\": \"x\"}",
    )
    .unwrap();
    std::fs::create_dir(d.join("fixtures")).unwrap();
    std::os::unix::fs::symlink("../real/a.json", d.join("fixtures/linked.json")).unwrap();
    std::os::unix::fs::symlink("../real", d.join("fixtures/dir")).unwrap();
    std::os::unix::fs::symlink("../nowhere.json", d.join("fixtures/dangling.json")).unwrap();
    let (out, code) = run(
        "json",
        &[
            "--endpoint",
            "chatbot/sendwa",
            d.join("fixtures").to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(code, 1, "{out}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    let files = doc["files"].as_array().unwrap();
    let rules_of = |name: &str| -> Vec<String> {
        files
            .iter()
            .find(|f| f["path"].as_str().unwrap().ends_with(name))
            .unwrap_or_else(|| panic!("{name} not reported: {doc}"))["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["rule"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(rules_of("linked.json").contains(&"phone-format".to_string()));
    assert!(rules_of("dir/a.json").contains(&"phone-format".to_string()));
    assert_eq!(rules_of("dangling.json"), ["broken-link"]);
}

#[test]
fn limits_are_said_exactly() {
    let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
    let (out, _) = run(
        "json",
        &["--endpoint", "chatbot/sendwa", "-"],
        Some(deep(127).as_bytes()),
    );
    assert!(!out.contains("parse-error"), "127 levels are read: {out}");
    let (out, _) = run(
        "json",
        &["--endpoint", "chatbot/sendwa", "-"],
        Some(deep(128).as_bytes()),
    );
    let doc: Value = serde_json::from_str(&out).unwrap();
    let message = doc["files"][0]["diagnostics"][0]["message"]
        .as_str()
        .unwrap();
    assert!(
        message.contains("128 or more levels") && message.contains("at most 127"),
        "{message}"
    );
}

/// The window: a finding on a 1 MB line prints a few hundred characters of
/// it, not the line.
#[test]
fn a_long_line_prints_a_window_per_finding() {
    let filler = "x".repeat(1_000_000);
    let line = format!(
        "{{\"nohp\": \" 6281234567890\", \"pesan\": \"{filler}\", \"extra\": 1, \"nama\": 2}}\n"
    );
    let (out, code) = run(
        "text",
        &["--endpoint", "chatbot/sendwa", "-"],
        Some(line.as_bytes()),
    );
    assert_eq!(code, 1);
    let findings = out.matches("\n  = at ").count() + out.matches("\n = at ").count();
    assert!(findings >= 3, "{findings} findings:\n{out}");
    assert!(
        out.len() < 2048 * findings,
        "{} bytes for {findings} findings",
        out.len()
    );
    // Columns stay true: `extra` is after the filler.
    let col = line.find("\"extra\"").unwrap() + 1;
    assert!(out.contains(&format!("<stdin>:1:{col}")), "{out}");
    assert!(out.contains("…"), "cut ends are marked:\n{out}");
}

/// Standard input streams like an NDJSON file: line numbers, payload count.
#[test]
fn stdin_streams_like_an_ndjson_file() {
    let mut input = String::new();
    for i in 0..10_000 {
        if i % 1000 == 999 {
            input.push_str("{\"nohp\": \"0812 3456\", \"pesan\": \"x\"}\n");
        } else {
            input.push_str("{\"nohp\": \"6281234567890\", \"pesan\": \"ok\"}\n");
        }
    }
    let (out, code) = run(
        "json",
        &["--endpoint", "chatbot/sendwa", "-"],
        Some(input.as_bytes()),
    );
    assert_eq!(code, 1);
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["summary"]["payloads"], 10_000);
    let mut lines: Vec<u64> = doc["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["line"].as_u64().unwrap())
        .collect();
    lines.dedup();
    assert_eq!(lines, (1..=10).map(|k| k * 1000).collect::<Vec<_>>());
    // A pretty-printed document on stdin is still one payload.
    let doc_text = "{\n  \"nohp\": \"0812 3456\",\n  \"pesan\": \"x\"\n}\n";
    let (out, _) = run(
        "json",
        &["--endpoint", "chatbot/sendwa", "-"],
        Some(doc_text.as_bytes()),
    );
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["summary"]["payloads"], 1);
    assert_eq!(doc["files"][0]["diagnostics"][0]["line"], 2);
}

/// Peak resident memory (KiB) of a `preflight` run, through GNU time.
fn peak_rss_kib(args: &[&str]) -> u64 {
    let report = tempfile::NamedTempFile::new().unwrap();
    let status = std::process::Command::new("/usr/bin/time")
        .arg("-f")
        .arg("%M")
        .arg("-o")
        .arg(report.path())
        .arg(assert_cmd::cargo::cargo_bin("preflight"))
        .args(args)
        .stdout(std::process::Stdio::null())
        .env("NO_COLOR", "1")
        .env_remove("FORCE_COLOR")
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(1), "{args:?}");
    std::fs::read_to_string(report.path())
        .unwrap()
        .trim()
        .lines()
        .last()
        .unwrap()
        .parse()
        .unwrap()
}

/// A 20 MB NDJSON file whose every line has two findings: memory stays flat
/// in every format — its peak is within 1.5× the peak of its first 2 MB,
/// where findings held in memory would grow it about tenfold (the same test
/// at 200 MB is in `bench/run.py`). Relative, not a fixed figure: the debug
/// build's plateau (about 90 MB for SARIF) moves with the machine and the
/// tests running beside it.
#[test]
fn a_batch_where_every_payload_fails_runs_in_flat_memory() {
    if !Path::new("/usr/bin/time").exists() {
        eprintln!("skipped: /usr/bin/time (GNU time) is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broadcast.ndjson");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    let small_path = dir.path().join("broadcast-2mb.ndjson");
    let mut small = std::io::BufWriter::new(std::fs::File::create(&small_path).unwrap());
    let mut written = 0;
    let mut i = 0u64;
    while written < 20_000_000 {
        let line = format!(
            "{{\"nohp\": \"62812{:08} \", \"pesan\": \"Halo Kak, pesanan TB-{i} sudah dikirim\", \"notifyurl\": \"https://tokobaju.co.id/wa/status\", \"extra_field\": {i}}}\n",
            i % 100_000_000
        );
        written += line.len();
        f.write_all(line.as_bytes()).unwrap();
        if written <= 2_000_000 {
            small.write_all(line.as_bytes()).unwrap();
        }
        i += 1;
    }
    f.flush().unwrap();
    small.flush().unwrap();
    drop((f, small));
    for format in ["text", "json", "sarif"] {
        let peak = |p: &Path| {
            peak_rss_kib(&[
                "validate",
                "--endpoint",
                "chatbot/sendwa",
                "--format",
                format,
                p.to_str().unwrap(),
            ])
        };
        let (base, kib) = (peak(&small_path), peak(&path));
        assert!(
            kib * 2 < base * 3,
            "{format}: peak RSS {kib} KiB for {i} failing lines, {base} KiB for the first 2 MB"
        );
    }
}
