//! `preflight serve` under load and faults, bounded for CI (about 20,000
//! requests, loopback only): valid requests mixed with 5 % malformed ones
//! from several connections, slowloris clients beside them, the health
//! answering throughout, every request recorded once, memory flat; in gate
//! mode the upstream slow, reset, cut mid-answer and down in turn; a stop
//! under load. The same driver makes the long run (`serve-faults` in bench/,
//! figures in docs/reliability.md).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod serve_support;

#[allow(dead_code, missing_docs)]
#[path = "../../bench/src/faults.rs"]
mod faults;

use faults::{FakeUpstream, Kind, Mix, Phase, Watch};
use serve_support::Server;
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

fn addr(server: &Server) -> SocketAddr {
    server.addr.parse().unwrap()
}

fn summary(server: &Server) -> serde_json::Value {
    server.request("GET", "/__preflight/summary", &[], b"").body
}

/// The `VmRSS` readings' early and late highs, kB: the first after a warm-up
/// tenth, over the first half; the second over the last quarter.
fn rss_early_late(readings: &[(Duration, u64)]) -> (u64, u64) {
    let n = readings.len();
    let early = readings[n / 10..n / 2]
        .iter()
        .map(|r| r.1)
        .max()
        .unwrap_or(0);
    let late = readings[n * 3 / 4..].iter().map(|r| r.1).max().unwrap_or(0);
    (early, late)
}

#[test]
fn twenty_thousand_requests_five_percent_malformed_each_recorded_once_memory_flat() {
    let dir = tempfile::tempdir().unwrap();
    let record = dir.path().join("faults.ndjson");
    let max_body = 64 * 1024;
    let server = Server::start(&[
        "--record",
        record.to_str().unwrap(),
        "--ring",
        "100",
        "--max-body",
        &max_body.to_string(),
        "--client-timeout",
        "2",
    ]);
    let started = Instant::now();
    let watch = Watch::start(
        addr(&server),
        server.child.id(),
        4,
        Duration::from_secs(2),
        Duration::from_millis(100),
    );
    let mix = Mix {
        requests: 20_000,
        every: 20,
        connections: 8,
        max_body,
        timeout: Duration::from_secs(10),
    };
    let seen = faults::run_mix(addr(&server), &mix);
    let (background, rss) = watch.finish();
    let took = started.elapsed();
    let by_kind = seen.by_kind.lock().unwrap().clone();
    eprintln!("{took:?}; by kind (sent, answered): {by_kind:?}; {background:?}");
    assert_eq!(
        seen.problem_count
            .load(std::sync::atomic::Ordering::Relaxed),
        0,
        "{}",
        seen.problems_text()
    );
    assert_eq!(by_kind.values().map(|v| v.0).sum::<u64>(), 20_000);
    assert_eq!(by_kind[&Kind::Valid], (19_000, 19_000));
    for kind in faults::MALFORMED {
        assert!(by_kind[&kind].0 >= 140, "{kind:?}: {:?}", by_kind[&kind]);
    }
    // The health answered throughout; every slowloris was cut off in time.
    assert!(background.health >= 10, "{background:?}");
    assert_eq!(background.health_failed, 0, "{background:?}");
    assert!(background.slowloris >= 4, "{background:?}");
    assert_eq!(
        background.slowloris, background.slowloris_cut,
        "{background:?}"
    );
    // Memory flat: the last quarter's high not markedly above the first half's.
    let (early, late) = rss_early_late(&rss);
    eprintln!(
        "VmRSS: {} readings, early high {early} kB, late high {late} kB",
        rss.len()
    );
    assert!(rss.len() >= 20, "{rss:?}");
    assert!(
        late <= early + early / 4 + 8 * 1024,
        "{early} kB → {late} kB"
    );

    let counted = summary(&server)["requests"].as_u64().unwrap();
    let (code, stderr) = server.stop();
    assert_eq!(
        code, 1,
        "the bad bodies had error findings: exit 1 ({stderr})"
    );
    let check = faults::check_records(
        &record,
        Some(&seen),
        &BTreeMap::new(),
        background.slow_bodies_408,
    );
    eprintln!(
        "records: {} ({} by id, without an id by status {:?})",
        check.records, check.by_id, check.without_id
    );
    assert_eq!(check.problem_count, 0, "{}", check.problems.join("\n"));
    assert_eq!(
        check.records, counted,
        "the file holds what the summary counted"
    );
    assert!(check.by_id >= 19_000 + 3 * 140);
}

#[test]
fn the_gate_answers_in_the_providers_shape_when_the_upstream_is_slow_reset_or_down() {
    let dir = tempfile::tempdir().unwrap();
    let record = dir.path().join("gate.ndjson");
    let upstream = FakeUpstream::start(Duration::from_millis(1500)).unwrap();
    let server = Server::start(&[
        "--record",
        record.to_str().unwrap(),
        "--upstream",
        &format!("chatbot=http://{}", upstream.addr),
        "--upstream-timeout",
        "1",
        "--exit-zero",
    ]);
    let phases = [
        Phase::Ok,
        Phase::Slow,
        Phase::Ok,
        Phase::Reset,
        Phase::Ok,
        Phase::CutMidAnswer,
        Phase::Ok,
        Phase::Down,
        Phase::Ok,
    ];
    let mut answered = BTreeMap::new();
    let seen = faults::gate_cycle(
        addr(&server),
        &upstream,
        &phases,
        40,
        4,
        Duration::from_secs(4),
        1_000_000,
        &mut answered,
    );
    for phase in &seen {
        eprintln!(
            "{}: {}/{} right, slowest {:?}",
            phase.phase.name(),
            phase.right,
            phase.requests,
            phase.slowest
        );
    }
    for phase in &seen {
        assert_eq!(
            phase.right,
            phase.requests,
            "{}: {}",
            phase.phase.name(),
            phase.problems.join("\n")
        );
    }
    // Nothing retried behind the client's back.
    let received = upstream.received.lock().unwrap().clone();
    let twice: Vec<_> = received.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "sent upstream twice: {twice:?}");
    assert!(faults::health(addr(&server), Duration::from_secs(2)).is_ok());
    // A body declared over the default limit (32 MiB) is refused unread.
    let mut big = std::net::TcpStream::connect(&server.addr).unwrap();
    std::io::Write::write_all(
        &mut big,
        format!(
            "POST /chatbot/api/sendwa HTTP/1.1\r\nHost: x\r\n{}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            faults::KEY,
            32 * 1024 * 1024 + 1
        )
        .as_bytes(),
    )
    .unwrap();
    big.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let answer = faults::read_answer(&mut big, &mut Vec::new()).unwrap();
    assert_eq!(answer.status, 413);
    let (code, stderr) = server.stop();
    assert_eq!(code, 0, "{stderr}");
    let check = faults::check_records(&record, None, &answered, 0);
    assert_eq!(check.problem_count, 0, "{}", check.problems.join("\n"));
    assert_eq!(check.by_id, 9 * 40);
    assert_eq!(check.without_id.get(&413), Some(&1));
}

#[test]
fn a_stop_under_load_answers_or_refuses_every_client_and_flushes_every_answer() {
    let dir = tempfile::tempdir().unwrap();
    let record = dir.path().join("stop.ndjson");
    let server = Server::start(&["--record", record.to_str().unwrap()]);
    let started = Instant::now();
    let seen = faults::stop_under_load(
        addr(&server),
        server.child.id(),
        8,
        20,
        Duration::from_millis(1500),
        Duration::from_secs(10),
        0,
    );
    let (code, stderr) = server.stop_after_signal();
    let took = started.elapsed();
    eprintln!(
        "{} answered before the stop, {} after; stopped after {took:?}",
        seen.before, seen.after
    );
    assert!(seen.problems.is_empty(), "{}", seen.problems.join("\n"));
    assert!(seen.before >= 500, "{}", seen.before);
    assert_eq!(
        code, 1,
        "the bad bodies had error findings: exit 1 ({stderr})"
    );
    assert!(took < Duration::from_secs(10), "{took:?}");
    let check = faults::check_records(&record, None, &seen.answered, 0);
    assert_eq!(check.problem_count, 0, "{}", check.problems.join("\n"));
    let answered = seen.answered.values().filter(|(_, s)| *s != 0).count() as u64;
    assert!(check.by_id >= answered, "{} < {answered}", check.by_id);
    assert!(
        stderr.contains(&format!("{} requests", check.records)),
        "{stderr}"
    );
}
