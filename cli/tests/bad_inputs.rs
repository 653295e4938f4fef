//! The command line under bad inputs, run as a user runs it: a large NDJSON
//! file, one malformed line among many, a single huge string, nesting a
//! million levels deep, a tree of 20,000 files, symbolic link loops, a FIFO
//! and `/dev/zero`, an unreadable file, and two runs on one folder at once.
//! Each run has a time limit (the test fails if the binary does not finish)
//! and its peak memory is read from `/proc` (so these tests are Linux's).
//!
//! The sizes here are CI's (20 MB, 100,000 lines); `bench/bad-inputs.sh`
//! runs the same cases at full size against the release binary.

#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use serde_json::Value;
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long any one run may take before the test fails.
const LIMIT: Duration = Duration::from_secs(60);

/// The NDJSON file of the memory test.
const NDJSON_BYTES: usize = 20_000_000;
/// The lines of the malformed-line test.
const LINES: usize = 100_000;
/// The files of the tree test.
const FILES: usize = 20_000;

/// A directory under the target directory, with an empty config so the
/// checkout's own `preflight.toml` never applies.
fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    std::fs::write(dir.path().join("preflight.toml"), "").unwrap();
    dir
}

/// How a run ended.
struct Outcome {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    /// Peak resident memory (KiB), from `/proc/<pid>/status`.
    peak_kib: u64,
    elapsed: Duration,
}

impl Outcome {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", self.stdout))
    }
}

/// The child's peak resident memory so far (KiB).
fn vm_hwm(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Runs `preflight args` in `dir`, feeding it `stdin`; fails the test if it
/// does not finish within [`LIMIT`].
fn run_in(dir: &Path, args: &[&str], stdin: Option<Vec<u8>>) -> Outcome {
    let mut child = Command::new(env!("CARGO_BIN_EXE_preflight"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("FORCE_COLOR")
        .env_remove("PREFLIGHT_SANDEZA_PASSWORD")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let feeder = child.stdin.take().map(|mut pipe| {
        let bytes = stdin.unwrap_or_default();
        std::thread::spawn(move || {
            // The binary may stop reading early; a closed pipe is fine.
            let _ = pipe.write_all(&bytes);
        })
    });
    let drain = |mut from: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut text = Vec::new();
            from.read_to_end(&mut text).unwrap();
            String::from_utf8(text).expect("output is UTF-8")
        })
    };
    let stdout = drain(Box::new(child.stdout.take().unwrap()));
    let stderr = drain(Box::new(child.stderr.take().unwrap()));
    let started = Instant::now();
    let mut peak_kib = 0;
    let status = loop {
        if let Some(kib) = vm_hwm(pid) {
            peak_kib = peak_kib.max(kib);
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "`preflight {}` did not finish within {LIMIT:?}",
                args.join(" ")
            );
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let elapsed = started.elapsed();
    if let Some(f) = feeder {
        f.join().unwrap();
    }
    let outcome = Outcome {
        code: status.code(),
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
        peak_kib,
        elapsed,
    };
    assert!(
        !outcome.stderr.contains("panicked"),
        "`preflight {}` panicked:\n{}",
        args.join(" "),
        outcome.stderr
    );
    outcome
}

fn validate(dir: &Path, args: &[&str]) -> Outcome {
    let mut all = vec!["validate", "--endpoint", "chatbot/sendwa"];
    all.extend_from_slice(args);
    run_in(dir, &all, None)
}

/// A payload that passes, and one with a finding (`phone-format`).
fn ok_line(i: usize) -> String {
    format!(
        "{{\"nohp\": \"6281234567890\", \"pesan\": \"Halo Kak, pesanan TB-{i} sudah dikirim\"}}"
    )
}
const FAILING: &str = "{\"nohp\": \"0812-3456-7890\", \"pesan\": \"Halo\"}";

/// Writes an NDJSON file of about `bytes`, every 1,000th line failing;
/// returns its lines.
fn ndjson(path: &Path, bytes: usize) -> usize {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let (mut written, mut lines) = (0, 0);
    while written < bytes {
        lines += 1;
        let line = if lines % 1000 == 0 {
            FAILING.to_string()
        } else {
            ok_line(lines)
        };
        f.write_all(line.as_bytes()).unwrap();
        f.write_all(b"\n").unwrap();
        written += line.len() + 1;
    }
    f.flush().unwrap();
    lines
}

/// The lines of a report's findings of `rule` in `file` (sorted).
fn lines_of(doc: &Value, file: &str, rule: &str) -> Vec<u64> {
    let mut lines: Vec<u64> = doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["path"].as_str().unwrap().ends_with(file))
        .flat_map(|f| f["diagnostics"].as_array().unwrap().iter())
        .filter(|d| d["rule"] == rule)
        .map(|d| d["line"].as_u64().unwrap())
        .collect();
    lines.sort_unstable();
    lines.dedup();
    lines
}

#[test]
fn a_large_ndjson_file_runs_in_the_memory_of_a_small_one() {
    let dir = scratch();
    let d = dir.path();
    let big = ndjson(&d.join("big.ndjson"), NDJSON_BYTES);
    let small = ndjson(&d.join("small.ndjson"), NDJSON_BYTES / 100);
    for format in ["text", "json"] {
        let runs: Vec<Outcome> = ["small.ndjson", "big.ndjson"]
            .iter()
            .map(|f| validate(d, &["--format", format, f]))
            .collect();
        let (s, b) = (&runs[0], &runs[1]);
        assert_eq!(s.code, Some(1), "{}", s.stderr);
        assert_eq!(b.code, Some(1), "{}", b.stderr);
        if format == "json" {
            let doc = b.json();
            assert_eq!(doc["summary"]["payloads"], big);
            let expected: Vec<u64> = (1..=big as u64 / 1000).map(|k| k * 1000).collect();
            assert_eq!(lines_of(&doc, "big.ndjson", "phone-format"), expected);
            assert_eq!(s.json()["summary"]["payloads"], small);
        }
        eprintln!(
            "{format}: {small} lines {} KiB in {:?}; {big} lines {} KiB in {:?}",
            s.peak_kib, s.elapsed, b.peak_kib, b.elapsed
        );
        // A hundred times the input, not twice the memory.
        assert!(
            b.peak_kib < 2 * s.peak_kib,
            "{format}: {} KiB for {big} lines, {} KiB for {small}",
            b.peak_kib,
            s.peak_kib
        );
    }
}

#[test]
fn one_malformed_line_among_100_000_is_reported_at_its_line_and_every_other_is_checked() {
    let dir = scratch();
    let d = dir.path();
    let bad = 54_321;
    let failing: Vec<u64> = (1..=LINES as u64).filter(|n| n % 9_973 == 0).collect();
    for (name, bad_line, endpoint) in [
        ("middle.ndjson", bad, true),
        // With no endpoint named, the first payload's shape would decide it:
        // a broken first line leaves that to the next.
        ("first.ndjson", 1, false),
    ] {
        let mut text = String::new();
        for n in 1..=LINES {
            if n == bad_line {
                text.push_str("{\"nohp\": \"6281234567890\", \"pesan\": \"broken\n");
            } else if failing.contains(&(n as u64)) {
                text.push_str(FAILING);
                text.push('\n');
            } else {
                text.push_str(&ok_line(n));
                text.push('\n');
            }
        }
        std::fs::write(d.join(name), text).unwrap();
        let out = if endpoint {
            validate(d, &["--format", "json", name])
        } else {
            run_in(d, &["validate", "--format", "json", name], None)
        };
        assert_eq!(out.code, Some(1), "{}", out.stderr);
        let doc = out.json();
        assert_eq!(doc["summary"]["payloads"], LINES, "{name}");
        assert_eq!(
            lines_of(&doc, name, "parse-error"),
            [bad_line as u64],
            "{name}"
        );
        assert_eq!(lines_of(&doc, name, "phone-format"), failing, "{name}");
        assert_eq!(
            doc["summary"]["errors"],
            failing.len() + 1,
            "{name}: nothing else is reported"
        );
    }
}

#[test]
fn a_20_mb_string_is_checked_and_a_50_mb_one_is_refused_naming_the_limit() {
    let dir = scratch();
    let d = dir.path();
    let string = |bytes: usize| "Halo Kak ".repeat(bytes / 9);
    std::fs::write(
        d.join("20mb.json"),
        format!(
            "{{\"nohp\": \"6281234567890\", \"pesan\": \"{}\"}}",
            string(20_000_000)
        ),
    )
    .unwrap();
    let out = validate(d, &["--format", "json", "20mb.json"]);
    assert_eq!(out.code, Some(0), "{}\n{}", out.stdout, out.stderr);
    eprintln!("20 MB string: {} KiB in {:?}", out.peak_kib, out.elapsed);
    assert!(out.peak_kib < 200 * 1024, "{} KiB", out.peak_kib);

    let fifty = format!(
        "{{\"nohp\": \"6281234567890\", \"pesan\": \"{}\"}}",
        string(50_000_000)
    );
    std::fs::write(d.join("50mb.json"), &fifty).unwrap();
    std::fs::write(
        d.join("50mb.ndjson"),
        format!("{}\n{fifty}\n{}\n", ok_line(1), ok_line(3)),
    )
    .unwrap();
    let limit = format!("{} MiB", preflight::MAX_PAYLOAD_BYTES / (1024 * 1024));
    for (name, line) in [("50mb.json", 1), ("50mb.ndjson", 2)] {
        let out = validate(d, &["--format", "json", name]);
        assert_eq!(out.code, Some(1), "{name}: {}", out.stderr);
        eprintln!(
            "50 MB string ({name}): {} KiB in {:?}",
            out.peak_kib, out.elapsed
        );
        assert!(out.peak_kib < 200 * 1024, "{name}: {} KiB", out.peak_kib);
        let doc = out.json();
        let ds = doc["files"][0]["diagnostics"].as_array().unwrap();
        assert_eq!(ds.len(), 1, "{name}: {ds:?}");
        assert_eq!(ds[0]["rule"], "payload-too-large");
        assert_eq!(ds[0]["line"], line);
        let message = ds[0]["message"].as_str().unwrap();
        assert!(
            message.contains("47.7 MiB") && message.contains(&limit),
            "{message}"
        );
        assert!(
            ds[0]["help"].as_str().unwrap().contains("one payload"),
            "{ds:?}"
        );
    }
    // The text format says it where a user reads it.
    let out = validate(d, &["50mb.json"]);
    assert!(
        out.stdout.contains("error[payload-too-large]"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.len() < 4096, "{} bytes", out.stdout.len());
}

#[test]
fn nesting_10k_100k_and_1m_deep_is_a_finding_not_a_stack_overflow() {
    let dir = scratch();
    let d = dir.path();
    for depth in [10_000, 100_000, 1_000_000] {
        let shapes = [
            (
                "arrays",
                format!("{}{}", "[".repeat(depth), "]".repeat(depth)),
            ),
            (
                "objects",
                format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth)),
            ),
            (
                "mixed",
                format!(
                    "{}1{}",
                    "{\"a\":[".repeat(depth / 2),
                    "]}".repeat(depth / 2)
                ),
            ),
            ("unclosed", "[".repeat(depth)),
        ];
        for (shape, text) in shapes {
            let file = format!("{shape}-{depth}.json");
            std::fs::write(d.join(&file), &text).unwrap();
            let lines = format!("{shape}-{depth}.ndjson");
            std::fs::write(d.join(&lines), format!("{}\n{text}\n", ok_line(1))).unwrap();
            for (args, line, stdin) in [
                (
                    vec![
                        "validate",
                        "-e",
                        "chatbot/sendwa",
                        "--format",
                        "json",
                        file.as_str(),
                    ],
                    1,
                    None,
                ),
                // No endpoint: detection reads the payload's shape first.
                (vec!["validate", "--format", "json", file.as_str()], 1, None),
                (
                    vec!["validate", "--format", "json", lines.as_str()],
                    2,
                    None,
                ),
                (
                    vec!["validate", "-e", "chatbot/sendwa", "--format", "json", "-"],
                    1,
                    Some(text.clone().into_bytes()),
                ),
                (
                    vec![
                        "validate",
                        "-e",
                        "chatbot/sendwa",
                        "--fix",
                        "--format",
                        "json",
                        file.as_str(),
                    ],
                    1,
                    None,
                ),
            ] {
                let out = run_in(d, &args, stdin);
                assert_eq!(out.code, Some(1), "{args:?}: {}", out.stderr);
                let doc = out.json();
                let found = doc["files"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .flat_map(|f| f["diagnostics"].as_array().unwrap().iter())
                    .find(|x| x["rule"] == "parse-error")
                    .unwrap_or_else(|| panic!("{args:?}: no parse-error: {doc}"));
                assert_eq!(found["line"], line, "{args:?}");
                let message = found["message"].as_str().unwrap();
                assert!(
                    message.contains("128 or more levels"),
                    "{args:?}: {message}"
                );
                assert!(
                    out.elapsed < Duration::from_secs(10),
                    "{args:?}: {:?}",
                    out.elapsed
                );
            }
        }
    }
    // The text format's source line is a window, not a million brackets.
    let out = validate(d, &["arrays-1000000.json"]);
    assert!(out.stdout.len() < 4096, "{} bytes", out.stdout.len());
}

#[test]
fn every_one_of_20_000_files_is_reported_past_each_chunk_of_2048() {
    // Files are checked in chunks of 2,048; every chunk's end used to lose
    // one file, so the last 9 of 20,000 went unreported and unchecked.
    let dir = scratch();
    let d = dir.path();
    let started = Instant::now();
    let mut failing = Vec::new();
    for n in 0..FILES {
        let sub = d.join(format!("d{:03}", n / 200));
        if n % 200 == 0 {
            std::fs::create_dir(&sub).unwrap();
        }
        let name = sub.join(format!("p{n:05}.json"));
        // Every 997th fails, and the very last.
        let text = if n % 997 == 0 || n == FILES - 1 {
            failing.push(format!("p{n:05}.json"));
            FAILING.to_string()
        } else {
            ok_line(n)
        };
        std::fs::write(name, text).unwrap();
    }
    eprintln!("{FILES} files written in {:?}", started.elapsed());
    let out = validate(d, &["--format", "json", "."]);
    eprintln!(
        "{FILES} files checked in {:?}, {} KiB",
        out.elapsed, out.peak_kib
    );
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    let doc = out.json();
    assert_eq!(doc["summary"]["files"], FILES);
    let files = doc["files"].as_array().unwrap();
    let mut paths: Vec<&str> = files.iter().map(|f| f["path"].as_str().unwrap()).collect();
    let sorted = {
        let mut p = paths.clone();
        p.sort_unstable();
        p
    };
    assert_eq!(paths, sorted, "reported in order");
    paths.dedup();
    assert_eq!(paths.len(), FILES, "each file once");
    let reported: Vec<String> = files
        .iter()
        .filter(|f| {
            f["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .any(|x| x["rule"] == "phone-format")
        })
        .map(|f| {
            let p = f["path"].as_str().unwrap();
            p.rsplit('/').next().unwrap().to_string()
        })
        .collect();
    assert_eq!(reported, failing);
    // Every file sits under its own name, with its own payload's findings.
    for f in files {
        let path = f["path"].as_str().unwrap();
        let text = std::fs::read_to_string(d.join(path)).unwrap();
        let fails = !f["diagnostics"].as_array().unwrap().is_empty();
        assert_eq!(fails, text == FAILING, "{path}");
    }
}

#[test]
fn symbolic_link_loops_are_reported_and_never_followed() {
    use std::os::unix::fs::symlink;
    let dir = scratch();
    let d = dir.path();
    std::fs::create_dir_all(d.join("w/sub")).unwrap();
    std::fs::write(d.join("w/sub/a.json"), FAILING).unwrap();
    symlink("..", d.join("w/sub/up")).unwrap(); // a directory link to its parent
    symlink("self.json", d.join("w/self.json")).unwrap(); // a link to itself
    symlink("pong.json", d.join("w/ping.json")).unwrap(); // two links to each other
    symlink("ping.json", d.join("w/pong.json")).unwrap();
    for args in [
        vec!["w"],
        vec!["w/sub/up"],
        vec!["w/self.json", "w/ping.json", "w/sub/a.json"],
    ] {
        let mut all = vec!["--format", "json"];
        all.extend_from_slice(&args);
        let out = validate(d, &all);
        assert_eq!(out.code, Some(2), "{args:?}: {}", out.stdout);
        let doc = out.json();
        let unreadable: Vec<(&str, &str)> = doc["files"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|f| Some((f["path"].as_str()?, f.get("error")?.as_str()?)))
            .collect();
        // The payload beside the loops is still checked.
        assert_eq!(
            lines_of(&doc, "a.json", "phone-format"),
            [1],
            "{args:?}: {doc}"
        );
        for name in ["self.json", "ping.json"] {
            let (_, problem) = unreadable
                .iter()
                .find(|(p, _)| p.ends_with(name))
                .unwrap_or_else(|| panic!("{args:?}: {name} not reported: {doc}"));
            // It was called a link "to something that does not exist".
            assert!(problem.contains("symbolic link"), "{problem}");
            assert!(!problem.contains("does not exist"), "{problem}");
            assert!(problem.contains("delete it"), "{problem}");
        }
        if args.len() == 1 {
            assert!(
                unreadable
                    .iter()
                    .any(|(p, e)| p.ends_with("up") && e.contains("loop")),
                "{args:?}: {doc}"
            );
        }
        for (path, _) in &unreadable {
            assert!(
                out.stderr.contains(path),
                "{path} on stderr: {}",
                out.stderr
            );
        }
    }
}

#[test]
fn a_fifo_nobody_writes_is_refused_after_a_wait_not_waited_on_for_ever() {
    let dir = scratch();
    let d = dir.path();
    let status = Command::new("mkfifo")
        .arg(d.join("pipe.ndjson"))
        .status()
        .unwrap();
    assert!(status.success());
    std::fs::write(d.join("ok.json"), ok_line(1)).unwrap();
    let out = validate(d, &["--format", "json", "pipe.ndjson", "ok.json"]);
    assert_eq!(out.code, Some(2), "{}", out.stdout);
    assert!(out.elapsed < Duration::from_secs(20), "{:?}", out.elapsed);
    let doc = out.json();
    let pipe = &doc["files"][0];
    assert_eq!(pipe["path"], "pipe.ndjson");
    let problem = pipe["error"].as_str().unwrap();
    assert!(problem.contains("no program opened"), "{problem}");
    assert!(problem.contains("preflight validate -"), "{problem}");
    assert_eq!(doc["files"][1]["path"], "ok.json", "the rest is checked");
    assert!(out.stderr.contains("pipe.ndjson"), "{}", out.stderr);
}

#[test]
fn dev_zero_named_as_a_path_is_bounded() {
    let dir = scratch();
    let out = validate(dir.path(), &["--format", "json", "/dev/zero"]);
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    eprintln!("/dev/zero: {} KiB in {:?}", out.peak_kib, out.elapsed);
    assert!(out.peak_kib < 200 * 1024, "{} KiB", out.peak_kib);
    let doc = out.json();
    let d = &doc["files"][0]["diagnostics"][0];
    assert_eq!(d["rule"], "payload-too-large");
    assert!(
        d["note"].as_str().unwrap().contains("stopped reading"),
        "{d}"
    );
}

#[test]
fn an_unreadable_file_exits_2_with_its_path_and_the_others_are_checked() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch();
    let d = dir.path();
    std::fs::create_dir(d.join("batch")).unwrap();
    std::fs::write(d.join("batch/a-ok.json"), ok_line(1)).unwrap();
    std::fs::write(d.join("batch/b-locked.json"), ok_line(2)).unwrap();
    std::fs::write(d.join("batch/c-failing.json"), FAILING).unwrap();
    std::fs::write(d.join("batch/d-locked.ndjson"), ok_line(3)).unwrap();
    for locked in ["batch/b-locked.json", "batch/d-locked.ndjson"] {
        std::fs::set_permissions(d.join(locked), std::fs::Permissions::from_mode(0o000)).unwrap();
    }
    // Open but not readable, whoever runs it: reading a process's memory at
    // address 0 fails.
    std::os::unix::fs::symlink("/proc/self/mem", d.join("batch/e-mem.json")).unwrap();
    // Permissions do not stop root: then only the other files say it.
    let locked_out = std::fs::read(d.join("batch/b-locked.json")).is_err();
    let mut cannot = Vec::new();
    if locked_out {
        cannot.extend(["b-locked.json", "d-locked.ndjson"]);
    }
    cannot.push("e-mem.json");
    for args in [
        vec!["batch"],
        vec![
            "batch/b-locked.json",
            "batch/e-mem.json",
            "batch/c-failing.json",
        ],
    ] {
        let mut all = vec!["--format", "json"];
        all.extend_from_slice(&args);
        let out = validate(d, &all);
        let doc = out.json();
        let errors: Vec<&str> = doc["files"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f.get("error").is_some())
            .map(|f| f["path"].as_str().unwrap())
            .collect();
        let expected: Vec<&&str> = cannot
            .iter()
            .filter(|c| args.len() == 1 || args.iter().any(|a| a.ends_with(*c)))
            .collect();
        assert_eq!(errors.len(), expected.len(), "{args:?}: {doc}");
        for name in expected {
            assert!(errors.iter().any(|p| p.ends_with(*name)), "{name}: {doc}");
            assert!(out.stderr.contains(*name), "{name}: {}", out.stderr);
        }
        if !errors.is_empty() {
            assert_eq!(out.code, Some(2), "{args:?}: {doc}");
            assert_eq!(doc["summary"]["incomplete"], true);
        }
        assert_eq!(
            lines_of(&doc, "c-failing.json", "phone-format"),
            [1],
            "{doc}"
        );
    }
    // In the text format the path is named too.
    let out = validate(d, &["batch"]);
    assert!(out.stdout.contains("e-mem.json"), "{}", out.stdout);
    assert!(out.stdout.contains("could not be read"), "{}", out.stdout);
    for locked in ["batch/b-locked.json", "batch/d-locked.ndjson"] {
        std::fs::set_permissions(d.join(locked), std::fs::Permissions::from_mode(0o644)).unwrap();
    }
}

#[test]
fn two_runs_on_one_folder_at_once_give_the_same_report() {
    let dir = scratch();
    let d = dir.path();
    std::fs::create_dir(d.join("batch")).unwrap();
    for n in 0..3_000 {
        let text = if n % 3 == 0 {
            FAILING.to_string()
        } else {
            ok_line(n)
        };
        std::fs::write(d.join(format!("batch/p{n:04}.json")), text).unwrap();
    }
    let lines = ndjson(&d.join("batch/lines.ndjson"), 2_000_000);
    let both = |args: &[&str]| -> Vec<Outcome> {
        std::thread::scope(|s| {
            let runs: Vec<_> = (0..2).map(|_| s.spawn(|| validate(d, args))).collect();
            runs.into_iter().map(|r| r.join().unwrap()).collect()
        })
    };
    let runs = both(&["--format", "json", "batch"]);
    assert_eq!(runs[0].code, Some(1));
    assert_eq!(runs[0].code, runs[1].code);
    assert_eq!(runs[0].stdout, runs[1].stdout);
    assert_eq!(runs[0].json()["summary"]["errors"], 1_000 + lines / 1000);

    // Two runs fixing the folder while a third reads it: every report is of
    // whole files (each file is replaced at once, never rewritten in place).
    let (runs, read) = std::thread::scope(|s| {
        let reader = s.spawn(|| validate(d, &["--format", "json", "batch"]));
        (
            both(&["--fix", "--format", "json", "batch"]),
            reader.join().unwrap(),
        )
    });
    for out in runs.iter().chain([&read]) {
        let doc = out.json();
        assert!(
            lines_of(&doc, "json", "parse-error").is_empty(),
            "a half-written file was read: {doc}"
        );
    }
    assert_eq!(runs[0].stdout, runs[1].stdout);
    assert_eq!(runs[0].json()["summary"]["errors"], 0, "{}", runs[0].stdout);
    assert!(
        std::fs::read_dir(d.join("batch")).unwrap().all(|e| !e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .starts_with('.')),
        "no temporary file is left"
    );
}
