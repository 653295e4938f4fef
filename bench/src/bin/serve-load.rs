//! A load generator for `preflight serve`: starts the server, sends one valid
//! Sandeza WhatsApp template send over and over on keep-alive connections,
//! and reports throughput, latency percentiles and the server's memory.
//!
//! ```text
//! serve-load [--preflight target/release/preflight] [--requests 1000000]
//!            [--connections 64] [--body FILE] [--warmup 10000]
//!            [--client-threads 1] [--no-record] [--keep-record]
//!            [--gate] [--gate-requests 20000] [--gate-connections 1]
//!            [--no-mock] [--json FILE|-]
//! ```
//!
//! Mock mode (the default): `preflight serve --listen 127.0.0.1:0 --exit-zero
//! --record TMP.ndjson`, then `--warmup` requests (not counted), then
//! `--requests` requests, each one's latency kept (nanoseconds, sorted at the
//! end). Every answer must be 200 with `x-preflight-errors: 0`; others are
//! counted and reported. At the end the server's `VmHWM` and `VmRSS`
//! (`/proc/PID/status`) and CPU time are read, it is sent SIGTERM and waited
//! for, and the record file's lines are counted.
//!
//! Gate mode (`--gate`): a fake upstream on 127.0.0.1:0 in this process (its
//! own thread) answers a fixed JSON 200; the same request is timed against it
//! directly and through `preflight serve --upstream sandeza=http://ADDR`,
//! and the p50 difference is what the gate adds.
//!
//! HTTP/1.1 is written and read by hand over `tokio::net::TcpStream` (one
//! request in flight per connection), so the client costs little CPU: on a
//! small machine it shares the cores with the server.

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const DEFAULT_BODY: &str = "examples/sandeza/send/whatsapp-json-dynamic-body.json";
const PATH_MOCK: &str = "/sandeza/json/send/cgw";
const PATH_UPSTREAM: &str = "/json/send/cgw";
const UPSTREAM_ANSWER: &[u8] =
    br#"{"status":"OK","message":"queued","id":"6f1c2d3e-0000-4000-8000-000000000001"}"#;

type Error = Box<dyn std::error::Error + Send + Sync>;
type Result<T> = std::result::Result<T, Error>;

#[derive(Debug, Clone)]
struct Args {
    preflight: PathBuf,
    requests: u64,
    connections: usize,
    body: PathBuf,
    warmup: u64,
    client_threads: usize,
    record: bool,
    keep_record: bool,
    gate: bool,
    gate_requests: u64,
    gate_connections: usize,
    mock: bool,
    json: Option<String>,
    server_args: Vec<String>,
}

const USAGE: &str =
    "usage: serve-load [--preflight PATH] [--requests N] [--connections C] [--body FILE]
                  [--warmup N] [--client-threads T] [--no-record] [--keep-record]
                  [--gate] [--gate-requests N] [--gate-connections C] [--no-mock]
                  [--json FILE|-] [-- SERVER-ARGS...]";

fn parse_args() -> Result<Args> {
    let mut args = Args {
        preflight: PathBuf::from("target/release/preflight"),
        requests: 1_000_000,
        connections: 64,
        body: PathBuf::from(DEFAULT_BODY),
        warmup: 10_000,
        client_threads: 1,
        record: true,
        keep_record: false,
        gate: false,
        gate_requests: 20_000,
        gate_connections: 1,
        mock: true,
        json: None,
        server_args: Vec::new(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value"));
        match a.as_str() {
            "--preflight" => args.preflight = PathBuf::from(value("--preflight")?),
            "--requests" | "-n" => args.requests = number(&value("--requests")?)?,
            "--connections" | "-c" => args.connections = number(&value("--connections")?)?,
            "--body" => args.body = PathBuf::from(value("--body")?),
            "--warmup" => args.warmup = number(&value("--warmup")?)?,
            "--client-threads" => args.client_threads = number(&value("--client-threads")?)?,
            "--no-record" => args.record = false,
            "--keep-record" => args.keep_record = true,
            "--gate" => args.gate = true,
            "--gate-requests" => args.gate_requests = number(&value("--gate-requests")?)?,
            "--gate-connections" => {
                args.gate_connections = number(&value("--gate-connections")?)?;
            }
            "--no-mock" => args.mock = false,
            "--json" => args.json = Some(value("--json")?),
            "--" => args.server_args.extend(it.by_ref()),
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument {other:?}\n{USAGE}").into()),
        }
    }
    if args.connections == 0 || args.gate_connections == 0 || args.client_threads == 0 {
        return Err(
            "--connections, --gate-connections and --client-threads must be at least 1".into(),
        );
    }
    Ok(args)
}

fn number<T: std::str::FromStr>(text: &str) -> Result<T> {
    text.replace(['_', ','], "")
        .parse()
        .map_err(|_| format!("not a number: {text:?}").into())
}

fn main() {
    match run() {
        Ok(0) => {}
        Ok(code) => std::process::exit(code),
        Err(e) => {
            eprintln!("serve-load: {e}");
            std::process::exit(2);
        }
    }
}

fn run() -> Result<i32> {
    let args = parse_args()?;
    let raw = std::fs::read(&args.body)
        .map_err(|e| format!("cannot read the body {}: {e}", args.body.display()))?;
    // Compact, as an application would send it.
    let body = serde_json::to_vec(&serde_json::from_slice::<Value>(&raw)?)?;
    let runtime = if args.client_threads == 1 {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?
    } else {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(args.client_threads)
            .enable_all()
            .build()?
    };
    let mut report = serde_json::Map::new();
    report.insert(
        "machine".into(),
        json!({"cpus": std::thread::available_parallelism().map(std::num::NonZero::get).unwrap_or(1),
               "client_threads": args.client_threads}),
    );
    report.insert("body".into(), json!(args.body.display().to_string()));
    report.insert("body_bytes".into(), json!(body.len()));
    let mut failed = false;

    if args.mock {
        let mock = runtime.block_on(mock_phase(&args, &body))?;
        failed |= mock.get("failed").and_then(Value::as_bool).unwrap_or(true);
        report.insert("mock".into(), mock);
    }
    if args.gate {
        let gate = runtime.block_on(gate_phase(&args, &body))?;
        failed |= gate.get("failed").and_then(Value::as_bool).unwrap_or(true);
        report.insert("gate".into(), gate);
    }
    let report = Value::Object(report);
    match args.json.as_deref() {
        Some("-") => println!("{}", serde_json::to_string_pretty(&report)?),
        Some(path) => std::fs::write(path, serde_json::to_string_pretty(&report)? + "\n")?,
        None => {}
    }
    Ok(i32::from(failed))
}

// ---- the phases --------------------------------------------------------------

async fn mock_phase(args: &Args, body: &[u8]) -> Result<Value> {
    let mut server = Server::start(args, None)?;
    println!(
        "mock: preflight serve on {} (pid {}), {} requests over {} connections, {} warm-up; client: {} thread(s)",
        server.addr,
        server.pid(),
        args.requests,
        args.connections,
        args.warmup,
        args.client_threads
    );
    let request = http_request(server.addr, PATH_MOCK, body);
    let checks = Checks::Preflight;
    if args.warmup > 0 {
        let warm = load(server.addr, &request, args.warmup, args.connections, checks).await?;
        if warm.bad > 0 {
            println!(
                "  warm-up: {} of {} answers were not a clean 200; first: {}",
                warm.bad,
                args.warmup,
                warm.first_bad.as_deref().unwrap_or("?")
            );
        }
    }
    let cpu_before = (
        cpu_seconds(server.pid()),
        cpu_seconds_self(),
        machine_busy_seconds(),
    );
    let result = load(
        server.addr,
        &request,
        args.requests,
        args.connections,
        checks,
    )
    .await?;
    let cpu_after = (
        cpu_seconds(server.pid()),
        cpu_seconds_self(),
        machine_busy_seconds(),
    );
    let memory = Memory::of(server.pid());
    let stopped = server.stop()?;
    let server_cpu = cpu_after.0.zip(cpu_before.0).map(|(a, b)| a - b);
    let client_cpu = cpu_after.1.zip(cpu_before.1).map(|(a, b)| a - b);
    let machine_cpu = cpu_after.2.zip(cpu_before.2).map(|(a, b)| a - b);
    // What other processes used meanwhile: a busy machine makes the run slower.
    let others_cpu = machine_cpu
        .zip(server_cpu)
        .zip(client_cpu)
        .map(|((m, s), c)| (m - s - c).max(0.0));
    let total = args.warmup + args.requests;

    let summary = result.summary();
    println!(
        "  {:.0} requests/s ({} in {:.2} s); latency p50 {} p90 {} p99 {} max {}",
        result.rate(),
        result.latencies.len(),
        result.elapsed.as_secs_f64(),
        ms(summary.p50),
        ms(summary.p90),
        ms(summary.p99),
        ms(summary.max)
    );
    println!(
        "  answers not a clean 200: {}{}",
        result.bad,
        result
            .first_bad
            .as_deref()
            .map(|b| format!(" (first: {b})"))
            .unwrap_or_default()
    );
    println!(
        "  server memory after {total} requests: peak (VmHWM) {} MB, now (VmRSS) {} MB",
        mb(memory.hwm_kb),
        mb(memory.rss_kb)
    );
    if let (Some(s), Some(c)) = (server_cpu, client_cpu) {
        println!(
            "  CPU during the run: server {s:.1} s ({:.0} µs a request), load generator {c:.1} s, other processes {} s, over {:.1} s of wall time",
            s * 1e6 / result.latencies.len().max(1) as f64,
            others_cpu.map_or("?".into(), |o| format!("{o:.1}")),
            result.elapsed.as_secs_f64()
        );
    }
    println!(
        "  stopped by SIGTERM in {:.2} s ({}); record: {} lines, {} MB{}",
        stopped.took.as_secs_f64(),
        stopped.status,
        stopped.record_lines.map_or("-".into(), |n| n.to_string()),
        stopped
            .record_bytes
            .map_or("-".into(), |n| format!("{:.0}", n as f64 / 1e6)),
        stopped
            .last_stderr
            .as_deref()
            .map(|l| format!("; server said: {l}"))
            .unwrap_or_default()
    );
    let record_ok = !args.record || stopped.record_lines == Some(total);
    if !record_ok {
        println!("  the record file does not have one line per request ({total})");
    }
    let failed = result.bad > 0 || !stopped.clean || !record_ok;
    Ok(json!({
        "requests": result.latencies.len(),
        "warmup": args.warmup,
        "connections": args.connections,
        "seconds": result.elapsed.as_secs_f64(),
        "requests_per_second": result.rate(),
        "latency_ms": summary.to_json(),
        "not_clean_200": result.bad,
        "server_vmhwm_mb": memory.hwm_kb.map(|k| k as f64 / 1024.0),
        "server_vmrss_mb": memory.rss_kb.map(|k| k as f64 / 1024.0),
        "server_cpu_seconds": server_cpu,
        "server_cpu_us_per_request": server_cpu.map(|s| s * 1e6 / result.latencies.len().max(1) as f64),
        "client_cpu_seconds": client_cpu,
        "others_cpu_seconds": others_cpu,
        "record_lines": stopped.record_lines,
        "record_bytes": stopped.record_bytes,
        "shutdown_seconds": stopped.took.as_secs_f64(),
        "exit": stopped.status,
        "failed": failed,
    }))
}

async fn gate_phase(args: &Args, body: &[u8]) -> Result<Value> {
    let upstream = FakeUpstream::start()?;
    println!(
        "gate: fake upstream on {}; {} requests over {} connection(s), each way, after {} warm-up",
        upstream.addr,
        args.gate_requests,
        args.gate_connections,
        args.warmup.min(args.gate_requests)
    );
    let warmup = args.warmup.min(args.gate_requests);
    let direct_request = http_request(upstream.addr, PATH_UPSTREAM, body);
    load(
        upstream.addr,
        &direct_request,
        warmup,
        args.gate_connections,
        Checks::Status,
    )
    .await?;
    let direct = load(
        upstream.addr,
        &direct_request,
        args.gate_requests,
        args.gate_connections,
        Checks::Status,
    )
    .await?;

    let d = direct.summary();
    print_line("direct ", &direct, &d);

    let url = format!("sandeza=http://{}", upstream.addr);
    let mut server = match Server::start(args, Some(&url)) {
        Ok(s) => s,
        Err(e) => {
            println!("  preflight serve --upstream did not start: {e}");
            return Ok(json!({
                "direct": {"requests_per_second": direct.rate(), "latency_ms": d.to_json(), "not_200": direct.bad},
                "failed": true,
                "error": e.to_string(),
            }));
        }
    };
    let gate_request = http_request(server.addr, PATH_MOCK, body);
    load(
        server.addr,
        &gate_request,
        warmup,
        args.gate_connections,
        Checks::Status,
    )
    .await?;
    let forwarded_before = upstream.served();
    let through = load(
        server.addr,
        &gate_request,
        args.gate_requests,
        args.gate_connections,
        Checks::Status,
    )
    .await?;
    let forwarded = upstream.served() - forwarded_before;
    let memory = Memory::of(server.pid());
    let stopped = server.stop()?;

    let t = through.summary();
    print_line("through", &through, &t);
    let added = t.p50 as f64 / 1e6 - d.p50 as f64 / 1e6;
    println!(
        "  the gate adds {added:.3} ms at p50 ({} of {} requests reached the upstream); server peak {} MB",
        forwarded,
        args.gate_requests,
        mb(memory.hwm_kb)
    );
    let failed =
        direct.bad > 0 || through.bad > 0 || forwarded != args.gate_requests || !stopped.clean;
    Ok(json!({
        "connections": args.gate_connections,
        "requests": args.gate_requests,
        "direct": {"requests_per_second": direct.rate(), "latency_ms": d.to_json(), "not_200": direct.bad},
        "through_gate": {"requests_per_second": through.rate(), "latency_ms": t.to_json(), "not_200": through.bad},
        "added_p50_ms": added,
        "forwarded": forwarded,
        "server_vmhwm_mb": memory.hwm_kb.map(|k| k as f64 / 1024.0),
        "exit": stopped.status,
        "failed": failed,
    }))
}

fn print_line(name: &str, run: &Run, s: &Summary) {
    println!(
        "  {name}: {:.0} requests/s; p50 {} p90 {} p99 {} max {}; not 200: {}",
        run.rate(),
        ms(s.p50),
        ms(s.p90),
        ms(s.p99),
        ms(s.max),
        run.bad
    );
}

// ---- the load ------------------------------------------------------------------

/// What makes an answer good.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Checks {
    /// 200 and `x-preflight-errors: 0` (the request was valid and answered).
    Preflight,
    /// 200.
    Status,
}

struct Run {
    latencies: Vec<u64>,
    elapsed: Duration,
    bad: u64,
    first_bad: Option<String>,
}

impl Run {
    fn rate(&self) -> f64 {
        self.latencies.len() as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    fn summary(&self) -> Summary {
        let at = |q: f64| -> u64 {
            if self.latencies.is_empty() {
                return 0;
            }
            let rank = (q * self.latencies.len() as f64).ceil() as usize;
            self.latencies[rank.clamp(1, self.latencies.len()) - 1]
        };
        let mean = if self.latencies.is_empty() {
            0
        } else {
            (self.latencies.iter().map(|&l| u128::from(l)).sum::<u128>()
                / self.latencies.len() as u128) as u64
        };
        Summary {
            p50: at(0.50),
            p90: at(0.90),
            p99: at(0.99),
            p999: at(0.999),
            max: self.latencies.last().copied().unwrap_or(0),
            mean,
        }
    }
}

/// Latencies in nanoseconds.
struct Summary {
    p50: u64,
    p90: u64,
    p99: u64,
    p999: u64,
    max: u64,
    mean: u64,
}

impl Summary {
    fn to_json(&self) -> Value {
        let m = |ns: u64| ns as f64 / 1e6;
        json!({"p50": m(self.p50), "p90": m(self.p90), "p99": m(self.p99),
               "p99.9": m(self.p999), "max": m(self.max), "mean": m(self.mean)})
    }
}

fn ms(ns: u64) -> String {
    format!("{:.3} ms", ns as f64 / 1e6)
}

fn mb(kb: Option<u64>) -> String {
    kb.map_or("?".into(), |k| format!("{:.1}", k as f64 / 1024.0))
}

fn http_request(addr: SocketAddr, path: &str, body: &[u8]) -> Arc<[u8]> {
    let mut r = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nAccept: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    r.extend_from_slice(body);
    r.into()
}

/// Sends `n` copies of `request` over `connections` keep-alive connections,
/// each with one request in flight, and times each.
async fn load(
    addr: SocketAddr,
    request: &Arc<[u8]>,
    n: u64,
    connections: usize,
    checks: Checks,
) -> Result<Run> {
    let next = Arc::new(AtomicU64::new(0));
    let mut conns = Vec::with_capacity(connections);
    for _ in 0..connections {
        conns.push(Conn::open(addr).await?);
    }
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(connections);
    for conn in conns {
        let next = next.clone();
        let request = request.clone();
        tasks.push(tokio::spawn(worker(conn, addr, request, next, n, checks)));
    }
    let mut run = Run {
        latencies: Vec::with_capacity(usize::try_from(n).unwrap_or(0)),
        elapsed: Duration::ZERO,
        bad: 0,
        first_bad: None,
    };
    for task in tasks {
        let part = task.await??;
        run.latencies.extend_from_slice(&part.latencies);
        run.bad += part.bad;
        if run.first_bad.is_none() {
            run.first_bad = part.first_bad;
        }
    }
    run.elapsed = started.elapsed();
    run.latencies.sort_unstable();
    Ok(run)
}

async fn worker(
    mut conn: Conn,
    addr: SocketAddr,
    request: Arc<[u8]>,
    next: Arc<AtomicU64>,
    n: u64,
    checks: Checks,
) -> Result<Run> {
    let mut run = Run {
        latencies: Vec::new(),
        elapsed: Duration::ZERO,
        bad: 0,
        first_bad: None,
    };
    let mut reconnects = 0u32;
    while next.fetch_add(1, Ordering::Relaxed) < n {
        let sent = Instant::now();
        let answer = conn.round_trip(&request).await;
        let took = u64::try_from(sent.elapsed().as_nanos()).unwrap_or(u64::MAX);
        run.latencies.push(took);
        let problem = match &answer {
            Ok(a) if a.status != 200 => Some(format!("status {}", a.status)),
            Ok(a) if checks == Checks::Preflight && a.errors != Some(0) => {
                Some(format!("x-preflight-errors {:?}", a.errors))
            }
            Ok(_) => None,
            Err(e) => Some(format!("connection: {e}")),
        };
        if let Some(problem) = problem {
            run.bad += 1;
            if run.first_bad.is_none() {
                run.first_bad = Some(problem);
            }
        }
        if answer.is_err() || answer.as_ref().is_ok_and(|a| a.close) {
            reconnects += 1;
            if reconnects > 100 {
                return Err("more than 100 connections lost; giving up".into());
            }
            conn = Conn::open(addr).await?;
        }
    }
    Ok(run)
}

/// The parts of an answer the checks read.
struct Answer {
    status: u16,
    errors: Option<u64>,
    close: bool,
}

/// One HTTP/1.1 message head as read.
struct Head {
    /// The first line's second word: the status of an answer, the path of a request.
    word: String,
    content_length: Option<usize>,
    chunked: bool,
    errors: Option<u64>,
    close: bool,
}

/// A keep-alive connection with its read buffer.
struct Conn {
    stream: TcpStream,
    buf: Vec<u8>,
    filled: usize,
}

impl Conn {
    async fn open(addr: SocketAddr) -> Result<Conn> {
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        Ok(Conn::new(stream))
    }

    fn new(stream: TcpStream) -> Conn {
        Conn {
            stream,
            buf: vec![0; 16 * 1024],
            filled: 0,
        }
    }

    async fn round_trip(&mut self, request: &[u8]) -> Result<Answer> {
        self.stream.write_all(request).await?;
        let head = self
            .read_message()
            .await?
            .ok_or("the server closed the connection")?;
        Ok(Answer {
            status: head.word.parse().unwrap_or(0),
            errors: head.errors,
            close: head.close,
        })
    }

    /// Reads one message (head and body); `None` at a clean end of stream.
    async fn read_message(&mut self) -> Result<Option<Head>> {
        let head_end = loop {
            if let Some(i) = find(&self.buf[..self.filled], b"\r\n\r\n") {
                break i + 4;
            }
            if self.fill().await? == 0 {
                if self.filled == 0 {
                    return Ok(None);
                }
                return Err("the connection closed mid-message".into());
            }
        };
        let head = parse_head(&self.buf[..head_end])?;
        let mut at = head_end;
        if head.chunked {
            loop {
                let line_end = loop {
                    if let Some(i) = find(&self.buf[at..self.filled], b"\r\n") {
                        break at + i;
                    }
                    self.fill_or_fail().await?;
                };
                let size_text = std::str::from_utf8(&self.buf[at..line_end])?;
                let size_text = size_text.split(';').next().unwrap_or("").trim();
                let size = usize::from_str_radix(size_text, 16)?;
                at = line_end + 2;
                if size == 0 {
                    // Trailers, up to an empty line.
                    loop {
                        if let Some(i) = find(&self.buf[at..self.filled], b"\r\n") {
                            let empty = i == 0;
                            at += i + 2;
                            if empty {
                                break;
                            }
                        } else {
                            self.fill_or_fail().await?;
                        }
                    }
                    break;
                }
                while self.filled < at + size + 2 {
                    self.fill_or_fail().await?;
                }
                at += size + 2;
            }
        } else {
            let length = head.content_length.unwrap_or(0);
            while self.filled < at + length {
                self.fill_or_fail().await?;
            }
            at += length;
        }
        self.buf.copy_within(at..self.filled, 0);
        self.filled -= at;
        Ok(Some(head))
    }

    async fn fill(&mut self) -> Result<usize> {
        if self.filled == self.buf.len() {
            let len = self.buf.len() * 2;
            self.buf.resize(len, 0);
        }
        let n = self.stream.read(&mut self.buf[self.filled..]).await?;
        self.filled += n;
        Ok(n)
    }

    async fn fill_or_fail(&mut self) -> Result<()> {
        if self.fill().await? == 0 {
            return Err("the connection closed mid-message".into());
        }
        Ok(())
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn parse_head(bytes: &[u8]) -> Result<Head> {
    let text = std::str::from_utf8(bytes)?;
    let mut lines = text.split("\r\n");
    let first = lines.next().unwrap_or("");
    let word = first.split(' ').nth(1).unwrap_or("").to_string();
    let mut head = Head {
        word,
        content_length: None,
        chunked: false,
        errors: None,
        close: false,
    };
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        if name.eq_ignore_ascii_case("content-length") {
            head.content_length = Some(value.parse()?);
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            head.chunked = value.to_ascii_lowercase().contains("chunked");
        } else if name.eq_ignore_ascii_case("x-preflight-errors") {
            head.errors = value.parse().ok();
        } else if name.eq_ignore_ascii_case("connection") {
            head.close = value.eq_ignore_ascii_case("close");
        }
    }
    Ok(head)
}

// ---- the fake upstream -------------------------------------------------------------

/// A minimal HTTP/1.1 server answering every request with a fixed JSON 200,
/// on its own thread and runtime (so the load's runtime does not delay it).
struct FakeUpstream {
    addr: SocketAddr,
    served: Arc<AtomicU64>,
}

impl FakeUpstream {
    fn start() -> Result<FakeUpstream> {
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let served = Arc::new(AtomicU64::new(0));
        let counter = served.clone();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        std::thread::Builder::new()
            .name("fake-upstream".into())
            .spawn(move || {
                runtime.block_on(async move {
                    let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
                        return;
                    };
                    while let Ok((stream, _)) = listener.accept().await {
                        let _ = stream.set_nodelay(true);
                        tokio::spawn(upstream_connection(Conn::new(stream), counter.clone()));
                    }
                });
            })?;
        Ok(FakeUpstream { addr, served })
    }

    fn served(&self) -> u64 {
        self.served.load(Ordering::Relaxed)
    }
}

async fn upstream_connection(mut conn: Conn, served: Arc<AtomicU64>) {
    let mut answer = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        UPSTREAM_ANSWER.len()
    )
    .into_bytes();
    answer.extend_from_slice(UPSTREAM_ANSWER);
    while let Ok(Some(head)) = conn.read_message().await {
        let _ = head.word;
        served.fetch_add(1, Ordering::Relaxed);
        if conn.stream.write_all(&answer).await.is_err() {
            break;
        }
    }
}

// ---- the server process --------------------------------------------------------------

struct Server {
    child: Child,
    addr: SocketAddr,
    record: Option<PathBuf>,
    keep_record: bool,
    stderr: Arc<Mutex<Vec<String>>>,
}

struct Stopped {
    took: Duration,
    status: String,
    clean: bool,
    record_lines: Option<u64>,
    record_bytes: Option<u64>,
    last_stderr: Option<String>,
}

impl Server {
    fn start(args: &Args, upstream: Option<&str>) -> Result<Server> {
        let record = args.record.then(|| {
            std::env::temp_dir().join(format!(
                "serve-load-{}-{}.ndjson",
                std::process::id(),
                if upstream.is_some() { "gate" } else { "mock" }
            ))
        });
        let mut command = Command::new(&args.preflight);
        command.args(["serve", "--listen", "127.0.0.1:0", "--exit-zero"]);
        if let Some(r) = &record {
            command.arg("--record").arg(r);
        }
        if let Some(u) = upstream {
            command.args(["--upstream", u]);
        }
        command.args(&args.server_args);
        command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", args.preflight.display()))?;
        let stderr = Arc::new(Mutex::new(Vec::new()));
        if let Some(pipe) = child.stderr.take() {
            let lines = stderr.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(pipe)
                    .lines()
                    .map_while(std::result::Result::ok)
                {
                    if let Ok(mut l) = lines.lock() {
                        l.push(line);
                    }
                }
            });
        }
        let mut stdout = BufReader::new(child.stdout.take().ok_or("no stdout")?);
        let mut first = String::new();
        stdout.read_line(&mut first)?;
        // Keep draining stdout so the server never blocks on it.
        std::thread::spawn(move || {
            let mut sink = Vec::new();
            let _ = stdout.read_to_end(&mut sink);
        });
        let Some(addr) = first
            .trim()
            .strip_prefix("listening on http://")
            .and_then(|a| a.parse().ok())
        else {
            let _ = child.wait();
            std::thread::sleep(Duration::from_millis(50));
            let said = stderr.lock().map(|l| l.join("\n")).unwrap_or_default();
            return Err(format!(
                "preflight serve did not say where it listens (first line {:?}); it said: {said}",
                first.trim()
            )
            .into());
        };
        Ok(Server {
            child,
            addr,
            record,
            keep_record: args.keep_record,
            stderr,
        })
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGTERM, then waits (up to 60 s, then SIGKILL).
    fn stop(&mut self) -> Result<Stopped> {
        let started = Instant::now();
        Command::new("kill")
            .args(["-TERM", &self.pid().to_string()])
            .status()?;
        let status = loop {
            if let Some(status) = self.child.try_wait()? {
                break status;
            }
            if started.elapsed() > Duration::from_secs(60) {
                self.child.kill()?;
                break self.child.wait()?;
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        let took = started.elapsed();
        std::thread::sleep(Duration::from_millis(20));
        let last_stderr = self.stderr.lock().ok().and_then(|l| l.last().cloned());
        let (record_lines, record_bytes) = match &self.record {
            Some(path) => {
                let counted = count_lines(path).ok();
                let bytes = std::fs::metadata(path).ok().map(|m| m.len());
                if self.keep_record {
                    println!("  record kept: {}", path.display());
                } else {
                    let _ = std::fs::remove_file(path);
                }
                (counted, bytes)
            }
            None => (None, None),
        };
        Ok(Stopped {
            took,
            status: status.to_string(),
            clean: status.success(),
            record_lines,
            record_bytes,
            last_stderr,
        })
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn count_lines(path: &Path) -> std::io::Result<u64> {
    let mut file = std::fs::File::open(path)?;
    let mut buf = vec![0u8; 1 << 20];
    let mut lines = 0u64;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            return Ok(lines);
        }
        lines += buf[..n].iter().filter(|&&b| b == b'\n').count() as u64;
    }
}

// ---- /proc -----------------------------------------------------------------------------

struct Memory {
    hwm_kb: Option<u64>,
    rss_kb: Option<u64>,
}

impl Memory {
    fn of(pid: u32) -> Memory {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        };
        Memory {
            hwm_kb: field("VmHWM:"),
            rss_kb: field("VmRSS:"),
        }
    }
}

/// User + system CPU seconds of a process (`/proc/PID/stat`, at 100 ticks a second).
fn cpu_seconds(pid: u32) -> Option<f64> {
    cpu_of(&format!("/proc/{pid}/stat"))
}

fn cpu_seconds_self() -> Option<f64> {
    cpu_of("/proc/self/stat")
}

/// CPU seconds every process of the machine used so far (`/proc/stat`: all
/// but idle and iowait, at 100 ticks a second).
fn machine_busy_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let line = stat.lines().next()?.strip_prefix("cpu ")?;
    let ticks: Vec<f64> = line
        .split_whitespace()
        .filter_map(|t| t.parse().ok())
        .collect();
    // user nice system idle iowait irq softirq steal (guest time is in user).
    let busy: f64 = ticks
        .iter()
        .take(8)
        .enumerate()
        .filter(|(i, _)| *i != 3 && *i != 4)
        .map(|(_, t)| t)
        .sum();
    Some(busy / 100.0)
}

fn cpu_of(path: &str) -> Option<f64> {
    let stat = std::fs::read_to_string(path).ok()?;
    // The fields after the command name, which is in parentheses.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split(' ').collect();
    // utime and stime are fields 14 and 15 of the whole line: 11 and 12 here.
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}
