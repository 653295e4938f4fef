//! How fast each fuzz target runs its own corpus, natively (no sanitizer,
//! no coverage counters): executions per second and the slowest inputs,
//! which is where a target's time goes (docs/reliability.md, "The long
//! run"). Profile a target with `perf record` on this.
//!
//!   cargo run --release -p preflight-fuzz-harness --example throughput [TARGET...]
//!   SECONDS=10 cargo run --release -p preflight-fuzz-harness --example throughput render

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a measuring tool")]

use std::path::Path;
use std::time::{Duration, Instant};

fn main() {
    let seconds: f64 = std::env::var("SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3.0);
    let wanted: Vec<String> = std::env::args().skip(1).collect();
    let corpus_root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../corpus");
    for (name, target) in preflight_fuzz_harness::TARGETS {
        if !wanted.is_empty() && !wanted.iter().any(|w| w == name) {
            continue;
        }
        let mut inputs: Vec<(String, Vec<u8>)> = std::fs::read_dir(corpus_root.join(name))
            .unwrap()
            .flatten()
            .map(|e| {
                let path = e.path();
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                (name, std::fs::read(&path).unwrap())
            })
            .collect();
        inputs.sort();
        // Warm the targets' one-time set-up (schemas, the server).
        for (_, input) in &inputs {
            target(input);
        }
        let mut spent = vec![Duration::ZERO; inputs.len()];
        let mut runs = vec![0u32; inputs.len()];
        let started = Instant::now();
        let mut executions = 0u64;
        while started.elapsed().as_secs_f64() < seconds {
            for (i, (_, input)) in inputs.iter().enumerate() {
                let t = Instant::now();
                target(input);
                spent[i] += t.elapsed();
                runs[i] += 1;
                executions += 1;
            }
        }
        let elapsed = started.elapsed().as_secs_f64();
        println!(
            "{name}: {executions} executions in {elapsed:.1} s, {:.0}/s over {} inputs",
            executions as f64 / elapsed,
            inputs.len()
        );
        let mut slowest: Vec<usize> = (0..inputs.len()).collect();
        slowest.sort_by_key(|&i| std::cmp::Reverse(spent[i] / runs[i].max(1)));
        let total: Duration = spent.iter().sum();
        for &i in slowest.iter().take(5) {
            println!(
                "  {:>9.1} µs  {:>4.1} % of the time  {} bytes  {}",
                (spent[i] / runs[i].max(1)).as_secs_f64() * 1e6,
                100.0 * spent[i].as_secs_f64() / total.as_secs_f64(),
                inputs[i].1.len(),
                inputs[i].0
            );
        }
    }
}
