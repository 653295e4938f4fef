//! Benchmark tooling for preflight (see `bench/README.md`): `gen-corpus` writes
//! realistic payloads derived from `examples/`; `parse-only` is the baseline
//! that only parses the same inputs with serde_json, single-threaded;
//! `serve-load` puts `preflight serve` under load (see `docs/performance.md`);
//! `serve-faults` under load and faults ([`faults`], `docs/reliability.md`).

pub mod faults;
