//! Library benchmarks: one typical payload per call, valid and with findings
//! (the second includes the span-preserving re-parse that only payloads with
//! findings pay for).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    missing_docs,
    reason = "benchmarks"
)]

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

fn example(path: &str) -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../examples")
            .join(path),
    )
    .unwrap()
}

fn bench(c: &mut Criterion) {
    let valid = example("sandeza/send/whatsapp-json-header-image.json");
    // Warm: compile the schema once, as a run does.
    assert!(
        preflight::validate("sandeza/send", &valid)
            .unwrap()
            .is_clean()
    );
    c.bench_function("sandeza whatsapp template, valid", |b| {
        b.iter(|| preflight::validate("sandeza/send", black_box(&valid)).unwrap())
    });
    let text = String::from_utf8(valid.clone()).unwrap();
    let broken = text
        .replacen("\"ref_id\": \"", "\"ref_id\": \"Tagihan ", 1)
        .into_bytes();
    assert!(
        !preflight::validate("sandeza/send", &broken)
            .unwrap()
            .is_clean()
    );
    c.bench_function("sandeza whatsapp template, with findings", |b| {
        b.iter(|| preflight::validate("sandeza/send", black_box(&broken)).unwrap())
    });
    // Cut before its last member: a body that does not parse (a truncated
    // upload, a client that stopped mid-write).
    let cut = &valid[..text.rfind(',').unwrap()];
    assert_eq!(
        preflight::validate("sandeza/send", cut)
            .unwrap()
            .diagnostics[0]
            .rule,
        "parse-error"
    );
    c.bench_function("sandeza whatsapp template, does not parse", |b| {
        b.iter(|| preflight::validate("sandeza/send", black_box(cut)).unwrap())
    });
    // Every Sandeza example in turn: 39 shapes (SMS, email, every WhatsApp
    // template and session kind), per call the mean over all of them.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/sandeza/send");
    let mut all: Vec<Vec<u8>> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| std::fs::read(e.unwrap().path()).unwrap())
        .collect();
    all.sort();
    c.bench_function("every sandeza example in turn (per payload)", |b| {
        let mut i = 0;
        b.iter(|| {
            i = (i + 1) % all.len();
            preflight::validate("sandeza/send", black_box(&all[i])).unwrap()
        })
    });
    c.bench_function("serde_json parse only (same payload)", |b| {
        b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(&valid)).unwrap())
    });
}

/// A pretty-printed 3Dolphins `verify-phone` array of `n` numbers, one of
/// them malformed (so the findings path runs too): time must grow linearly.
fn numbers(n: usize) -> Vec<u8> {
    let mut items: Vec<String> = (0..n).map(|i| format!("\"0812{i:08}\"")).collect();
    items[n / 2] = "\"0812 3456 7890\"".to_string();
    format!("[\n  {}\n]\n", items.join(",\n  ")).into_bytes()
}

fn long_arrays(c: &mut Criterion) {
    let mut group = c.benchmark_group("3dolphins verify-phone, pretty-printed");
    group.sample_size(10);
    for n in [10_000, 100_000] {
        let payload = numbers(n);
        assert!(
            preflight::validate("3dolphins/verify-phone", &payload)
                .unwrap()
                .has_errors()
        );
        group.bench_function(format!("{n} numbers"), |b| {
            b.iter(|| preflight::validate("3dolphins/verify-phone", black_box(&payload)).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, bench, long_arrays);
criterion_main!(benches);
