//! Every fuzz target's corpus (`fuzz/corpus/<target>/`) and regression
//! inputs (`fuzz/regressions/<target>/`) run through the targets as an
//! ordinary test, on stable; then a bounded, deterministic mutation of the
//! corpus inputs (a fixed-seed xorshift), so that CI finds what a small
//! change of a known input breaks.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn inputs(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.is_file() && p.extension().is_none_or(|e| e != "md"))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// Runs `input` through `target`; the panic's message when it panics.
fn run(target: fn(&[u8]), input: &[u8]) -> Result<(), String> {
    std::panic::catch_unwind(AssertUnwindSafe(|| target(input))).map_err(|e| {
        e.downcast_ref::<String>()
            .cloned()
            .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default()
    })
}

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % (n.max(1) as u64)) as usize
    }
}

/// One to four byte-level edits of `input`, as libFuzzer's simplest mutators make.
fn mutate(rng: &mut XorShift, input: &[u8]) -> Vec<u8> {
    let mut bytes = input.to_vec();
    for _ in 0..=rng.below(4) {
        let i = rng.below(bytes.len() + 1);
        match rng.below(6) {
            0 => bytes.insert(i, rng.next() as u8),
            1 if i < bytes.len() => {
                bytes.remove(i);
            }
            2 if i < bytes.len() => bytes[i] ^= 1 << rng.below(8),
            3 if i < bytes.len() => bytes[i] = b"{}[]:,\"\\ \n0-e"[rng.below(13)],
            4 => {
                let end = (i + rng.below(16)).min(bytes.len());
                let piece = bytes[i..end].to_vec();
                bytes.splice(i..i, piece);
            }
            _ => bytes.truncate(i),
        }
    }
    bytes
}

/// How many mutated corpus inputs the smoke runs per target
/// (`PREFLIGHT_FUZZ_SMOKE`, default 1000), the corpus taken in turn.
fn rounds() -> usize {
    std::env::var("PREFLIGHT_FUZZ_SMOKE")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1000)
}

fn replay(name: &str, target: fn(&[u8])) {
    let started = std::time::Instant::now();
    let mut failures = Vec::new();
    let corpus = inputs(&fuzz_dir().join("corpus").join(name));
    let regressions = inputs(&fuzz_dir().join("regressions").join(name));
    assert!(!corpus.is_empty(), "fuzz/corpus/{name}/ is empty");
    for path in corpus.iter().chain(&regressions) {
        let input = std::fs::read(path).unwrap();
        if let Err(e) = run(target, &input) {
            failures.push(format!("{}: {e}", path.display()));
        }
    }
    let mut rng = XorShift(0x9e37_79b9_7f4a_7c15 ^ name.len() as u64);
    let mut mutated = 0;
    let inputs: Vec<Vec<u8>> = corpus.iter().map(|p| std::fs::read(p).unwrap()).collect();
    for k in 0..rounds() {
        let (path, input) = (&corpus[k % corpus.len()], &inputs[k % inputs.len()]);
        let m = mutate(&mut rng, input);
        mutated += 1;
        if let Err(e) = run(target, &m) {
            failures.push(format!(
                "{} mutated to {:?}: {e}",
                path.display(),
                String::from_utf8_lossy(&m)
            ));
            if failures.len() > 5 {
                break;
            }
        }
    }
    eprintln!(
        "{name}: {} corpus, {} regression, {mutated} mutated inputs in {:.1} s",
        corpus.len(),
        regressions.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(failures.is_empty(), "{name}:\n{}", failures.join("\n\n"));
}

#[test]
fn validate() {
    replay("validate", preflight_fuzz_harness::validate);
}

#[test]
fn mutated_examples() {
    replay("mutated_examples", preflight_fuzz_harness::mutated_examples);
}

#[test]
fn types_roundtrip() {
    replay("types_roundtrip", preflight_fuzz_harness::types_roundtrip);
}

#[test]
fn render() {
    replay("render", preflight_fuzz_harness::render);
}

#[test]
fn templates() {
    replay("templates", preflight_fuzz_harness::templates);
}

#[test]
fn http() {
    replay("http", preflight_fuzz_harness::http);
}

#[test]
fn config() {
    replay("config", preflight_fuzz_harness::config);
}

#[test]
fn every_target_is_replayed() {
    let names: Vec<&str> = preflight_fuzz_harness::TARGETS
        .iter()
        .map(|(n, _)| *n)
        .collect();
    for name in &names {
        let target = fuzz_dir().join("fuzz_targets").join(format!("{name}.rs"));
        assert!(target.is_file(), "{} is missing", target.display());
    }
    assert_eq!(names.len(), 7);
}

#[test]
fn the_http_target_reaches_the_server() {
    let served = preflight_fuzz_harness::serve(
        b"GET /__preflight/health HTTP/1.1\r\nHost: x\r\n\r\nPOST /json/send/cgw HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}",
    );
    let response = String::from_utf8_lossy(&served.response);
    assert!(served.finished, "{response}");
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert_eq!(response.matches("HTTP/1.1 ").count(), 2, "{response}");
    assert_eq!(served.records.len(), 1, "{:?}", served.records);
}

#[test]
fn the_config_target_loads_the_repository_config() {
    let text = std::fs::read_to_string(fuzz_dir().join("../preflight.toml")).unwrap();
    let loaded = preflight_cli::fuzzing::config(&text).unwrap();
    assert!(!loaded.spans.is_empty());
    let e = preflight_cli::fuzzing::config("[rules]\nphone-formt = \"off\"\n").unwrap_err();
    assert!(e.contains("phone-formt"), "{e}");
}

#[test]
fn a_planted_secret_is_in_the_payload_and_not_in_its_rendering() {
    for t in 0..preflight_fuzz_harness::secrets::TEMPLATES.len() as u8 {
        let planted = preflight_fuzz_harness::secrets::plant(&[t, 3, 1, 2, 3, 4, 5, 6, 7, 8, 0]);
        assert!(planted.text.contains(&planted.secret), "{planted:?}");
        // The render target's secret mode on the same bytes.
        preflight_fuzz_harness::render(&[1, t, 3, 1, 2, 3, 4, 5, 6, 7, 8, 0]);
    }
}
