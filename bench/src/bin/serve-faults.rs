//! `preflight serve` under load and faults, the long run (the CI test
//! `cli/tests/serve_faults.rs` runs the same driver, `preflight_bench::faults`,
//! at about 20,000 requests):
//!
//! 1. the mix: `--requests` (1,000,000) `POST /chatbot/api/sendwa`, one in
//!    `--every` (20: 5 %) malformed (bad JSON, wrong content type, invalid
//!    UTF-8, a declared and a chunked body over `--max-body`, a truncated
//!    body, a disconnect mid-body), over `--connections` keep-alive
//!    connections, with `--slowloris` slowloris clients, a health probe every
//!    100 ms and the server's `VmRSS` read every second beside them; then the
//!    `--record` file held against every answer;
//! 2. the gate: a fake chatbot gateway ok, slow (past `--upstream-timeout 1`),
//!    ok, reset, ok, closed mid-answer, ok, down, ok, `--gate-per-phase`
//!    requests each; every answer checked;
//! 3. a stop under load: SIGTERM after 3 s of 8 connections' load; every
//!    answer in the record file, the exit status 1 (the bad bodies).
//!
//! ```text
//! serve-faults [--preflight target/release/preflight] [--requests 1000000]
//!              [--every 20] [--connections 8] [--slowloris 4]
//!              [--max-body 65536] [--gate-per-phase 200] [--json FILE|-]
//! ```
//!
//! Exit status 1 when any check failed.

use preflight_bench::faults::{self, FakeUpstream, Mix, Phase, Watch};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

type Error = Box<dyn std::error::Error + Send + Sync>;
type Result<T> = std::result::Result<T, Error>;

struct Args {
    preflight: PathBuf,
    requests: u64,
    every: u64,
    connections: usize,
    slowloris: usize,
    max_body: usize,
    gate_per_phase: u64,
    json: Option<String>,
}

const USAGE: &str =
    "usage: serve-faults [--preflight PATH] [--requests N] [--every N] [--connections C]
                    [--slowloris N] [--max-body BYTES] [--gate-per-phase N] [--json FILE|-]";

fn parse_args() -> Result<Args> {
    let mut args = Args {
        preflight: PathBuf::from("target/release/preflight"),
        requests: 1_000_000,
        every: 20,
        connections: 8,
        slowloris: 4,
        max_body: 64 * 1024,
        gate_per_phase: 200,
        json: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value"));
        match a.as_str() {
            "--preflight" => args.preflight = PathBuf::from(value("--preflight")?),
            "--requests" | "-n" => args.requests = value("--requests")?.replace('_', "").parse()?,
            "--every" => args.every = value("--every")?.parse()?,
            "--connections" | "-c" => args.connections = value("--connections")?.parse()?,
            "--slowloris" => args.slowloris = value("--slowloris")?.parse()?,
            "--max-body" => args.max_body = value("--max-body")?.parse()?,
            "--gate-per-phase" => args.gate_per_phase = value("--gate-per-phase")?.parse()?,
            "--json" => args.json = Some(value("--json")?),
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument {other:?}\n{USAGE}").into()),
        }
    }
    if args.connections == 0 {
        return Err("--connections must be at least 1".into());
    }
    Ok(args)
}

/// A `preflight serve` on 127.0.0.1:0 started in `dir` (no preflight.toml there).
struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Server {
    fn start(preflight: &Path, dir: &Path, args: &[String]) -> Result<Server> {
        let mut child = Command::new(preflight)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(args)
            .current_dir(dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", preflight.display()))?;
        let mut line = String::new();
        if let Some(out) = child.stdout.as_mut() {
            BufReader::new(out).read_line(&mut line)?;
        }
        let addr = line
            .trim()
            .strip_prefix("listening on http://")
            .ok_or_else(|| format!("the server's first line: {line:?}"))?
            .parse()?;
        Ok(Server { child, addr })
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits for it (already signalled or to be): exit code, stderr, the wait.
    fn wait(self) -> Result<(i32, String, Duration)> {
        let started = Instant::now();
        let output = self.child.wait_with_output()?;
        Ok((
            output.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&output.stderr).into_owned(),
            started.elapsed(),
        ))
    }

    fn term(&self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.pid().to_string()])
            .status();
    }
}

fn mb(kb: u64) -> f64 {
    kb as f64 / 1024.0
}

fn main() {
    match run() {
        Ok(true) => {}
        Ok(false) => std::process::exit(1),
        Err(e) => {
            eprintln!("serve-faults: {e}");
            std::process::exit(2);
        }
    }
}

fn run() -> Result<bool> {
    let args = parse_args()?;
    let preflight = std::fs::canonicalize(&args.preflight)
        .map_err(|e| format!("{}: {e}", args.preflight.display()))?;
    let dir = std::env::temp_dir().join(format!("serve-faults-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let outcome = phases(&args, &preflight, &dir);
    let _ = std::fs::remove_dir_all(&dir);
    let (ok, summary) = outcome?;
    if let Some(target) = &args.json {
        let text = serde_json::to_string_pretty(&summary)?;
        if target == "-" {
            println!("{text}");
        } else {
            std::fs::write(target, text)?;
        }
    }
    println!(
        "{}",
        if ok {
            "all checks passed"
        } else {
            "SOME CHECKS FAILED"
        }
    );
    Ok(ok)
}

fn phases(args: &Args, preflight: &Path, dir: &Path) -> Result<(bool, Value)> {
    let mut ok = true;
    let mut summary = serde_json::Map::new();

    // 1. The mix.
    let record = dir.join("mix.ndjson");
    let server = Server::start(
        preflight,
        dir,
        &[
            "--record".into(),
            record.display().to_string(),
            "--ring".into(),
            "1000".into(),
            "--max-body".into(),
            args.max_body.to_string(),
            "--client-timeout".into(),
            "2".into(),
        ],
    )?;
    println!(
        "mix: {} requests, 1 in {} malformed, {} connections, {} slowloris clients",
        args.requests, args.every, args.connections, args.slowloris
    );
    let started = Instant::now();
    let watch = Watch::start(
        server.addr,
        server.pid(),
        args.slowloris,
        Duration::from_secs(2),
        Duration::from_secs(1),
    );
    let mix = Mix {
        requests: args.requests,
        every: args.every,
        connections: args.connections,
        max_body: args.max_body,
        timeout: Duration::from_secs(10),
    };
    let seen = faults::run_mix(server.addr, &mix);
    let (background, rss) = watch.finish();
    let took = started.elapsed();
    let hwm = faults::status_kb(server.pid(), "VmHWM:").unwrap_or(0);
    server.term();
    let (code, stderr, stop_took) = server.wait()?;
    let by_kind = seen.by_kind.lock().map(|m| m.clone()).unwrap_or_default();
    let mut latencies = seen.latencies.lock().map(|l| l.clone()).unwrap_or_default();
    latencies.sort_unstable();
    let problems = seen.problem_count.load(Ordering::Relaxed);
    println!(
        "  {:.1} s, {:.0} requests/s; valid p50 {:.2} ms, p99 {:.2} ms, max {:.1} ms",
        took.as_secs_f64(),
        args.requests as f64 / took.as_secs_f64(),
        f64::from(faults::percentile(&latencies, 0.5)) / 1000.0,
        f64::from(faults::percentile(&latencies, 0.99)) / 1000.0,
        f64::from(latencies.last().copied().unwrap_or(0)) / 1000.0
    );
    for (kind, (sent, answered)) in &by_kind {
        println!(
            "  {:<22} {sent:>8} sent, {answered:>8} answered (expected {})",
            kind.name(),
            match kind.expected() {
                0 => "none".to_string(),
                s => s.to_string(),
            }
        );
    }
    println!(
        "  client-side problems: {problems}{}",
        if problems > 0 {
            format!("\n{}", seen.problems_text())
        } else {
            String::new()
        }
    );
    println!(
        "  health: {} probes, {} failed, slowest {:.1} ms",
        background.health,
        background.health_failed,
        background.health_slowest.as_secs_f64() * 1000.0
    );
    println!(
        "  slowloris: {} connections, {} cut off within the client timeout + 3 s, {} slow bodies answered 408",
        background.slowloris, background.slowloris_cut, background.slow_bodies_408
    );
    for p in &background.problems {
        println!("    {p}");
    }
    let at = |f: f64| {
        rss.get(((rss.len().saturating_sub(1)) as f64 * f) as usize)
            .map_or(0, |r| r.1)
    };
    let rss_max = rss.iter().map(|r| r.1).max().unwrap_or(0);
    let early = rss[rss.len() / 10..rss.len() / 2]
        .iter()
        .map(|r| r.1)
        .max()
        .unwrap_or(0);
    let late = rss[rss.len() * 3 / 4..]
        .iter()
        .map(|r| r.1)
        .max()
        .unwrap_or(0);
    println!(
        "  VmRSS ({} readings, 1 s apart): at 10 % {:.1} MB, 25 % {:.1}, 50 % {:.1}, 75 % {:.1}, end {:.1}; high of the first half {:.1}, of the last quarter {:.1}; VmHWM {:.1} MB",
        rss.len(),
        mb(at(0.1)),
        mb(at(0.25)),
        mb(at(0.5)),
        mb(at(0.75)),
        mb(at(1.0)),
        mb(early),
        mb(late),
        mb(rss_max.max(hwm))
    );
    let check = faults::check_records(
        &record,
        Some(&seen),
        &BTreeMap::new(),
        background.slow_bodies_408,
    );
    println!(
        "  record file: {} records, {} found by id, without an id by status {:?}; problems: {}",
        check.records, check.by_id, check.without_id, check.problem_count
    );
    for p in &check.problems {
        println!("    {p}");
    }
    println!(
        "  stop: exit {code} after {:.2} s; {}",
        stop_took.as_secs_f64(),
        stderr.lines().last().unwrap_or("")
    );
    let said = format!("{} requests", check.records);
    let mix_ok = problems == 0
        && background.health_failed == 0
        && background.problems.is_empty()
        && check.problem_count == 0
        && code == 1
        && stderr.contains(&said)
        && late <= early + early / 4 + 8 * 1024;
    ok &= mix_ok;
    summary.insert(
        "mix".into(),
        json!({
            "requests": args.requests, "every": args.every, "connections": args.connections,
            "seconds": took.as_secs_f64(),
            "by_kind": by_kind.iter().map(|(k, (s, a))| (k.name().to_string(), json!({"sent": s, "answered": a}))).collect::<serde_json::Map<_, _>>(),
            "valid_p50_us": faults::percentile(&latencies, 0.5),
            "valid_p99_us": faults::percentile(&latencies, 0.99),
            "client_problems": problems,
            "health": {"probes": background.health, "failed": background.health_failed, "slowest_ms": background.health_slowest.as_secs_f64() * 1000.0},
            "slowloris": {"connections": background.slowloris, "cut": background.slowloris_cut, "answered_408": background.slow_bodies_408},
            "rss_kb": {"first_half_high": early, "last_quarter_high": late, "end": at(1.0), "hwm": hwm},
            "records": check.records, "records_by_id": check.by_id,
            "record_problems": check.problem_count,
            "exit": code, "stop_seconds": stop_took.as_secs_f64(),
            "ok": mix_ok,
        }),
    );

    // 2. The gate.
    let record = dir.join("gate.ndjson");
    let upstream = FakeUpstream::start(Duration::from_millis(1500))?;
    let server = Server::start(
        preflight,
        dir,
        &[
            "--record".into(),
            record.display().to_string(),
            "--upstream".into(),
            format!("chatbot=http://{}", upstream.addr),
            "--upstream-timeout".into(),
            "1".into(),
            "--exit-zero".into(),
        ],
    )?;
    let cycle = [
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
    println!(
        "gate: {} requests a phase on 8 connections, --upstream-timeout 1, the client waits 4 s",
        args.gate_per_phase
    );
    let mut answered = BTreeMap::new();
    let phases = faults::gate_cycle(
        server.addr,
        &upstream,
        &cycle,
        args.gate_per_phase,
        8,
        Duration::from_secs(4),
        1 << 40,
        &mut answered,
    );
    let mut gate_ok = true;
    let mut gate_json = Vec::new();
    for p in &phases {
        println!(
            "  {:<34} {:>5}/{} answered {} in the gateway's shape, slowest {:.1} ms",
            p.phase.name(),
            p.right,
            p.requests,
            p.phase.expected(),
            p.slowest.as_secs_f64() * 1000.0
        );
        for problem in &p.problems {
            println!("    {problem}");
        }
        gate_ok &= p.right == p.requests;
        gate_json.push(json!({"phase": p.phase.name(), "requests": p.requests, "right": p.right, "status": p.phase.expected(), "slowest_ms": p.slowest.as_secs_f64() * 1000.0}));
    }
    let twice = upstream
        .received
        .lock()
        .map(|r| r.values().filter(|n| **n > 1).count())
        .unwrap_or(0);
    server.term();
    let (code, _, _) = server.wait()?;
    let check = faults::check_records(&record, None, &answered, 0);
    println!(
        "  sent upstream twice: {twice}; record file: {} records, problems {}; exit {code}",
        check.records, check.problem_count
    );
    for p in &check.problems {
        println!("    {p}");
    }
    gate_ok &= twice == 0 && check.problem_count == 0 && code == 0;
    ok &= gate_ok;
    summary.insert(
        "gate".into(),
        json!({"phases": gate_json, "retried": twice, "records": check.records, "record_problems": check.problem_count, "ok": gate_ok}),
    );

    // 3. A stop under load.
    let record = dir.join("stop.ndjson");
    let server = Server::start(
        preflight,
        dir,
        &["--record".into(), record.display().to_string()],
    )?;
    let started = Instant::now();
    let stop = faults::stop_under_load(
        server.addr,
        server.pid(),
        8,
        args.every,
        Duration::from_secs(3),
        Duration::from_secs(10),
        0,
    );
    let (code, stderr, _) = server.wait()?;
    let took = started.elapsed();
    let check = faults::check_records(&record, None, &stop.answered, 0);
    let answered = stop.answered.values().filter(|(_, s)| *s != 0).count();
    println!(
        "stop: SIGTERM after 3 s of load on 8 connections: {} answered before, {} after (in flight); exit {code}, {:.2} s after the signal; record file {} records for {answered} answers, problems {}",
        stop.before,
        stop.after,
        took.as_secs_f64() - 3.0,
        check.records,
        check.problem_count
    );
    for p in stop.problems.iter().chain(&check.problems) {
        println!("    {p}");
    }
    let stop_ok = stop.problems.is_empty()
        && check.problem_count == 0
        && code == 1
        && stderr.contains(&format!("{} requests", check.records));
    ok &= stop_ok;
    summary.insert(
        "stop".into(),
        json!({"before": stop.before, "after": stop.after, "exit": code, "records": check.records, "answered": answered, "record_problems": check.problem_count, "ok": stop_ok}),
    );
    Ok((ok, Value::Object(summary)))
}
