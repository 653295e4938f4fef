//! Faults for `preflight serve`: valid requests mixed with malformed ones
//! from several connections, slowloris clients, a health probe and a memory
//! sampler beside them; a fake upstream that is made slow, reset and down in
//! turn; a stop under load. Each part returns what the clients saw, and
//! [`check_records`] holds it against the server's `--record` file.
//!
//! Blocking std sockets and threads, raw HTTP/1.1, loopback only, so that the
//! same code drives the CI test (`cli/tests/serve_faults.rs`, about 20,000
//! requests, which includes this file) and the long run (`serve-faults`,
//! 1,000,000).
//!
//! Every request the clients send carries `x-request-id: N`. The server
//! records that header with the rest of a request's headers, so a checked
//! request's record is found by it, and so is a too-large one's (413, a
//! `payload-too-large` finding); the records of requests whose body ended
//! early or came too slowly carry no headers and are matched by count.

use serde_json::Value;
use std::collections::BTreeMap;
use std::io::{BufRead, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU16, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The route every request goes to: the chatbot gateway's `sendwa`.
pub const PATH: &str = "/chatbot/api/sendwa";
/// The gateway's `secretkey` header the requests carry.
pub const KEY: &str = "secretkey: 3c1f9a77e2";
/// A valid `sendwa` body.
pub const VALID: &str = r#"{"nohp": "6281234567890", "pesan": "[OTP] Kode verifikasi Anda 482913. Jangan berikan kode ini kepada siapa pun 🙏"}"#;

/// What one request of the mix is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// A valid send: 200.
    Valid,
    /// A body that is not JSON: 400 in the gateway's error shape.
    BadJson,
    /// A form body under `Content-Type: application/x-www-form-urlencoded`: 400.
    WrongType,
    /// JSON with a string that is not UTF-8: 400.
    InvalidUtf8,
    /// A `Content-Length` over the limit, the body never sent: 413.
    Oversized,
    /// A chunked body that grows past the limit: 413.
    OversizedChunked,
    /// A `Content-Length` larger than the body sent, then the write side
    /// shut: 400 (the body ended early), or no answer.
    Truncated,
    /// Part of the body, then the connection closed: no answer.
    Disconnect,
}

/// The malformed kinds, in the order the mix cycles through them.
pub const MALFORMED: [Kind; 7] = [
    Kind::BadJson,
    Kind::WrongType,
    Kind::InvalidUtf8,
    Kind::Oversized,
    Kind::OversizedChunked,
    Kind::Truncated,
    Kind::Disconnect,
];

impl Kind {
    /// Request `i`'s kind when one in `every` is malformed.
    pub fn of(i: u64, every: u64) -> Kind {
        if every == 0 || i % every != every - 1 {
            Kind::Valid
        } else {
            let n = (i / every) as usize % MALFORMED.len();
            MALFORMED[n]
        }
    }

    /// Its name in reports.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Valid => "valid",
            Kind::BadJson => "bad JSON",
            Kind::WrongType => "wrong content type",
            Kind::InvalidUtf8 => "invalid UTF-8",
            Kind::Oversized => "oversized (declared)",
            Kind::OversizedChunked => "oversized (chunked)",
            Kind::Truncated => "truncated body",
            Kind::Disconnect => "disconnect mid-body",
        }
    }

    /// The status an answer must have.
    pub fn expected(self) -> u16 {
        match self {
            Kind::Valid => 200,
            Kind::BadJson | Kind::WrongType | Kind::InvalidUtf8 | Kind::Truncated => 400,
            Kind::Oversized | Kind::OversizedChunked => 413,
            Kind::Disconnect => 0,
        }
    }

    /// True when the server records the request's headers (so its record
    /// is found by `x-request-id`).
    pub fn recorded_by_id(self) -> bool {
        matches!(
            self,
            Kind::Valid
                | Kind::BadJson
                | Kind::WrongType
                | Kind::InvalidUtf8
                | Kind::Oversized
                | Kind::OversizedChunked
        )
    }

    /// True when the client may be left without an answer: it broke the
    /// request itself (the oversized chunked one because the server stops
    /// reading and closes while the client is still sending).
    pub fn may_go_unanswered(self) -> bool {
        matches!(
            self,
            Kind::Truncated | Kind::Disconnect | Kind::OversizedChunked
        )
    }

    /// Sent on the connection's keep-alive stream (the others on their own).
    fn keep_alive(self) -> bool {
        self.recorded_by_id()
    }
}

/// One answer as read off the wire.
#[derive(Debug, Clone)]
pub struct Answer {
    /// The status.
    pub status: u16,
    /// The head, lower-cased.
    pub head: String,
    /// The body.
    pub body: Vec<u8>,
}

impl Answer {
    /// A header's value (the name lower-case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|l| {
            let (k, v) = l.split_once(':')?;
            (k.trim() == name).then(|| v.trim())
        })
    }

    /// The body as JSON (`Null` when it is not).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }

    /// True when the server said it closes the connection.
    fn closes(&self) -> bool {
        self.header("connection") == Some("close")
    }
}

/// Reads one answer off `stream` (`buffer` keeps what was read past it).
///
/// # Errors
/// The connection's error, or `UnexpectedEof` when it closed before the
/// answer was whole, or `InvalidData` for an answer that does not parse.
pub fn read_answer(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> std::io::Result<Answer> {
    let mut chunk = [0u8; 16 * 1024];
    let bad = |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_string());
    loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buffer[..end]).to_ascii_lowercase();
            let status: u16 = head
                .split(' ')
                .nth(1)
                .and_then(|s| s.parse().ok())
                .ok_or_else(|| bad("no status"))?;
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .map(|v| v.trim().parse::<usize>())
                .transpose()
                .map_err(|_| bad("a bad content-length"))?;
            if head.contains("transfer-encoding: chunked") {
                return Err(bad("a chunked answer"));
            }
            match length {
                Some(length) if buffer.len() >= end + 4 + length => {
                    let body = buffer[end + 4..end + 4 + length].to_vec();
                    buffer.drain(..end + 4 + length);
                    return Ok(Answer { status, head, body });
                }
                _ => {}
            }
        }
        let n = stream.read(&mut chunk)?;
        if n == 0 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                format!("closed after {} bytes of an answer", buffer.len()),
            ));
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
}

/// The bytes of request `id` of `kind`, and how many of them to send before
/// the client does what the kind says (`None`: all).
fn request_bytes(kind: Kind, id: u64, max_body: usize) -> (Vec<u8>, Option<usize>) {
    let head = |content_type: &str, length: usize| {
        format!(
            "POST {PATH} HTTP/1.1\r\nHost: x\r\n{KEY}\r\nx-request-id: {id}\r\nContent-Type: {content_type}\r\nContent-Length: {length}\r\n\r\n"
        )
        .into_bytes()
    };
    let with = |content_type: &str, body: &[u8]| {
        let mut bytes = head(content_type, body.len());
        bytes.extend_from_slice(body);
        bytes
    };
    match kind {
        Kind::Valid => (with("application/json", VALID.as_bytes()), None),
        Kind::BadJson => (
            with(
                "application/json",
                br#"{"nohp": "6281234567890", "pesan": "#,
            ),
            None,
        ),
        Kind::WrongType => (
            with(
                "application/x-www-form-urlencoded",
                b"nohp=6281234567890&pesan=Halo",
            ),
            None,
        ),
        Kind::InvalidUtf8 => (
            with(
                "application/json",
                b"{\"nohp\": \"62\xc3\x28\", \"pesan\": \"Halo \xff\xfe\"}",
            ),
            None,
        ),
        Kind::Oversized => (head("application/json", max_body + 1), None),
        Kind::OversizedChunked => {
            let mut bytes = format!(
                "POST {PATH} HTTP/1.1\r\nHost: x\r\n{KEY}\r\nx-request-id: {id}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
            )
            .into_bytes();
            let piece = vec![b' '; 1024];
            let mut sent = 0;
            while sent <= max_body {
                bytes.extend_from_slice(format!("{:x}\r\n", piece.len()).as_bytes());
                bytes.extend_from_slice(&piece);
                bytes.extend_from_slice(b"\r\n");
                sent += piece.len();
            }
            bytes.extend_from_slice(b"0\r\n\r\n");
            (bytes, None)
        }
        Kind::Truncated | Kind::Disconnect => {
            let mut bytes = head("application/json", VALID.len() + 200);
            let keep = bytes.len() + VALID.len() / 2;
            bytes.extend_from_slice(VALID.as_bytes());
            (bytes, Some(keep))
        }
    }
}

/// What the clients of a run saw, request by request (`answers[i]`: the
/// status request `i` was answered with, 0 for none).
pub struct Seen {
    /// One in how many requests was malformed.
    pub every: u64,
    /// Each request's answer status; 0: none.
    pub answers: Vec<AtomicU16>,
    /// Problems: an answer with the wrong status or shape, a client left
    /// without an answer it was owed (at most 50 kept; `problem_count` counts all).
    pub problems: Mutex<Vec<String>>,
    /// How many problems there were.
    pub problem_count: AtomicU64,
    /// Requests sent, by kind: (sent, answered).
    pub by_kind: Mutex<BTreeMap<Kind, (u64, u64)>>,
    /// Latencies of the valid requests, microseconds.
    pub latencies: Mutex<Vec<u32>>,
}

impl Seen {
    fn new(requests: u64, every: u64) -> Seen {
        Seen {
            every,
            answers: (0..requests).map(|_| AtomicU16::new(0)).collect(),
            problems: Mutex::new(Vec::new()),
            problem_count: AtomicU64::new(0),
            by_kind: Mutex::new(BTreeMap::new()),
            latencies: Mutex::new(Vec::new()),
        }
    }

    /// Notes a problem.
    pub fn problem(&self, text: String) {
        self.problem_count.fetch_add(1, Ordering::Relaxed);
        let mut problems = lock(&self.problems);
        if problems.len() < 50 {
            problems.push(text);
        }
    }

    fn count(&self, kind: Kind, answered: bool) {
        let mut by_kind = lock(&self.by_kind);
        let entry = by_kind.entry(kind).or_default();
        entry.0 += 1;
        if answered {
            entry.1 += 1;
        }
    }

    /// The problems noted, one a line.
    pub fn problems_text(&self) -> String {
        lock(&self.problems).join("\n")
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    match m.lock() {
        Ok(g) => g,
        Err(poisoned) => poisoned.into_inner(),
    }
}

/// How a mix is run.
#[derive(Debug, Clone)]
pub struct Mix {
    /// Requests in all.
    pub requests: u64,
    /// One in how many is malformed (20: 5 %).
    pub every: u64,
    /// Client connections, each a thread.
    pub connections: usize,
    /// The server's `--max-body`.
    pub max_body: usize,
    /// How long a client waits for an answer.
    pub timeout: Duration,
}

/// Runs `mix` against the server at `addr`: `mix.connections` threads take
/// request numbers in turn; the valid and checked-malformed ones go on the
/// thread's keep-alive connection, the others each on a connection of their own.
pub fn run_mix(addr: SocketAddr, mix: &Mix) -> Arc<Seen> {
    let seen = Arc::new(Seen::new(mix.requests, mix.every));
    let next = Arc::new(AtomicU64::new(0));
    let threads: Vec<_> = (0..mix.connections)
        .map(|_| {
            let (seen, next, mix) = (seen.clone(), next.clone(), mix.clone());
            std::thread::spawn(move || mix_worker(addr, &mix, &next, &seen))
        })
        .collect();
    for t in threads {
        if t.join().is_err() {
            seen.problem("a client thread panicked".into());
        }
    }
    seen
}

fn connect(addr: SocketAddr, timeout: Duration) -> std::io::Result<TcpStream> {
    let stream = TcpStream::connect_timeout(&addr, timeout)?;
    stream.set_read_timeout(Some(timeout))?;
    stream.set_write_timeout(Some(timeout))?;
    let _ = stream.set_nodelay(true);
    Ok(stream)
}

fn mix_worker(addr: SocketAddr, mix: &Mix, next: &AtomicU64, seen: &Seen) {
    let mut keep: Option<(TcpStream, Vec<u8>)> = None;
    let mut latencies = Vec::new();
    loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        if i >= mix.requests {
            break;
        }
        let kind = Kind::of(i, mix.every);
        let (bytes, cut) = request_bytes(kind, i, mix.max_body);
        let started = Instant::now();
        let got = if kind.keep_alive() {
            let result = (|| {
                if keep.is_none() {
                    keep = Some((connect(addr, mix.timeout)?, Vec::new()));
                }
                let Some((stream, buffer)) = keep.as_mut() else {
                    return Err(std::io::Error::other("no connection"));
                };
                stream.write_all(&bytes)?;
                read_answer(stream, buffer)
            })();
            if result.as_ref().map_or(true, Answer::closes) {
                keep = None;
            }
            result
        } else {
            one_off(addr, mix.timeout, &bytes, cut, kind)
        };
        match got {
            Ok(answer) => {
                if kind == Kind::Valid {
                    latencies
                        .push(u32::try_from(started.elapsed().as_micros()).unwrap_or(u32::MAX));
                }
                seen.count(kind, true);
                if let Some(slot) = seen.answers.get(i as usize) {
                    slot.store(answer.status, Ordering::Relaxed);
                }
                check_answer(seen, i, kind, &answer);
            }
            Err(e) => {
                seen.count(kind, false);
                if !kind.may_go_unanswered() {
                    seen.problem(format!("request {i} ({}): no answer: {e}", kind.name()));
                }
            }
        }
    }
    lock(&seen.latencies).extend(latencies);
}

/// A request on a connection of its own, broken as `kind` says.
fn one_off(
    addr: SocketAddr,
    timeout: Duration,
    bytes: &[u8],
    cut: Option<usize>,
    kind: Kind,
) -> std::io::Result<Answer> {
    let mut stream = connect(addr, timeout)?;
    match cut {
        None => stream.write_all(bytes)?,
        Some(n) => {
            stream.write_all(&bytes[..n.min(bytes.len())])?;
            if kind == Kind::Disconnect {
                drop(stream);
                return Err(std::io::Error::other("disconnected on purpose"));
            }
            stream.shutdown(Shutdown::Write)?;
        }
    }
    read_answer(&mut stream, &mut Vec::new())
}

fn check_answer(seen: &Seen, i: u64, kind: Kind, answer: &Answer) {
    if answer.status != kind.expected() {
        seen.problem(format!(
            "request {i} ({}): {} where {} was expected: {}",
            kind.name(),
            answer.status,
            kind.expected(),
            String::from_utf8_lossy(&answer.body)
        ));
        return;
    }
    let body = answer.json();
    let shaped = match (kind, answer.status) {
        // The gateway's documented success: `{"success": true, "message": {"id", …}}`.
        (_, 200) => body["success"] == Value::Bool(true) && body["message"]["id"].is_string(),
        // A body that was read and checked: the gateway's documented error shape.
        (Kind::BadJson | Kind::WrongType | Kind::InvalidUtf8, 400) => {
            body["success"] == Value::Bool(false) && body["errorMessage"].is_string()
        }
        // Too large: the same shape, with its `payload-too-large` finding.
        (Kind::Oversized | Kind::OversizedChunked, 413) => {
            body["success"] == Value::Bool(false)
                && body["errorMessage"].is_string()
                && answer.header("x-preflight-errors") == Some("1")
        }
        // Refused before the check (ended early): preflight's own.
        _ => body["preflight"] == Value::Bool(true) && body["error"].is_string(),
    };
    if !shaped {
        seen.problem(format!(
            "request {i} ({}): a {} answer not in the expected shape: {}",
            kind.name(),
            answer.status,
            String::from_utf8_lossy(&answer.body)
        ));
    }
}

/// What the slowloris clients and the health probe saw.
#[derive(Debug, Default, Clone)]
pub struct Background {
    /// Slowloris connections opened (heads and bodies trickling in).
    pub slowloris: u64,
    /// Of them, those the server cut off within the client timeout and a margin.
    pub slowloris_cut: u64,
    /// Slow bodies answered 408 (each recorded, with no headers).
    pub slow_bodies_408: u64,
    /// Health probes sent.
    pub health: u64,
    /// Health probes not answered 200 within their timeout.
    pub health_failed: u64,
    /// The slowest health answer.
    pub health_slowest: Duration,
    /// Problems (at most 20).
    pub problems: Vec<String>,
}

/// Slowloris clients, a health probe and a memory sampler, running until
/// [`Watch::finish`].
pub struct Watch {
    stop: Arc<AtomicBool>,
    background: Arc<Mutex<Background>>,
    rss: Arc<Mutex<Vec<(Duration, u64)>>>,
    threads: Vec<std::thread::JoinHandle<()>>,
}

impl Watch {
    /// Starts `slowloris` slowloris clients (each, over and over, a head or a
    /// body trickling in a byte every `trickle`, until the server cuts it
    /// off: it must within `client_timeout` and a margin), a health probe
    /// every 100 ms, and a reader of `pid`'s `VmRSS` every `sample`.
    pub fn start(
        addr: SocketAddr,
        pid: u32,
        slowloris: usize,
        client_timeout: Duration,
        sample: Duration,
    ) -> Watch {
        let stop = Arc::new(AtomicBool::new(false));
        let background = Arc::new(Mutex::new(Background::default()));
        let rss = Arc::new(Mutex::new(Vec::new()));
        let mut threads = Vec::new();
        for n in 0..slowloris {
            let (stop, background) = (stop.clone(), background.clone());
            threads.push(std::thread::spawn(move || {
                let mut round = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    slowloris_once(
                        addr,
                        client_timeout,
                        (n as u64 + round).is_multiple_of(2),
                        &background,
                    );
                    round += 1;
                }
            }));
        }
        {
            let (stop, background) = (stop.clone(), background.clone());
            threads.push(std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let started = Instant::now();
                    let ok = health(addr, Duration::from_secs(5));
                    let took = started.elapsed();
                    let mut b = lock(&background);
                    b.health += 1;
                    b.health_slowest = b.health_slowest.max(took);
                    if let Err(e) = ok {
                        b.health_failed += 1;
                        if b.problems.len() < 20 {
                            b.problems.push(format!("health: {e}"));
                        }
                    }
                    drop(b);
                    std::thread::sleep(Duration::from_millis(100));
                }
            }));
        }
        {
            let (stop, rss) = (stop.clone(), rss.clone());
            threads.push(std::thread::spawn(move || {
                let started = Instant::now();
                while !stop.load(Ordering::Relaxed) {
                    if let Some(kb) = vm_rss_kb(pid) {
                        lock(&rss).push((started.elapsed(), kb));
                    }
                    std::thread::sleep(sample);
                }
            }));
        }
        Watch {
            stop,
            background,
            rss,
            threads,
        }
    }

    /// Stops the background clients: what they saw, and the `VmRSS`
    /// readings (time since the start, kB).
    pub fn finish(self) -> (Background, Vec<(Duration, u64)>) {
        self.stop.store(true, Ordering::Relaxed);
        for t in self.threads {
            let _ = t.join();
        }
        let background = lock(&self.background).clone();
        let rss = lock(&self.rss).clone();
        (background, rss)
    }
}

/// `GET /__preflight/health`: Ok when 200.
///
/// # Errors
/// What went wrong.
pub fn health(addr: SocketAddr, timeout: Duration) -> Result<(), String> {
    let mut stream = connect(addr, timeout).map_err(|e| e.to_string())?;
    stream
        .write_all(b"GET /__preflight/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .map_err(|e| e.to_string())?;
    let answer = read_answer(&mut stream, &mut Vec::new()).map_err(|e| e.to_string())?;
    if answer.status == 200 {
        Ok(())
    } else {
        Err(format!("status {}", answer.status))
    }
}

/// One slowloris connection: a head (or, `body`, a whole head and then a
/// body) trickling in a byte every 200 ms until the server cuts it off.
fn slowloris_once(
    addr: SocketAddr,
    client_timeout: Duration,
    body: bool,
    background: &Mutex<Background>,
) {
    let margin = client_timeout + Duration::from_secs(3);
    let Ok(mut stream) = connect(addr, margin) else {
        return;
    };
    let started = Instant::now();
    let first = if body {
        format!(
            "POST {PATH} HTTP/1.1\r\nHost: x\r\n{KEY}\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n{{"
        )
    } else {
        format!("POST {PATH} HTTP/1.1\r\nHost: x\r\n{KEY}\r\nX-Slow: ")
    };
    let mut cut = stream.write_all(first.as_bytes()).is_err();
    let mut reader = match stream.try_clone() {
        Ok(r) => r,
        Err(_) => return,
    };
    let _ = reader.set_read_timeout(Some(Duration::from_millis(200)));
    let mut out = Vec::new();
    while !cut && started.elapsed() < margin * 2 {
        let mut chunk = [0u8; 1024];
        match reader.read(&mut chunk) {
            Ok(0) => cut = true,
            Ok(n) => out.extend_from_slice(&chunk[..n]),
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(_) => cut = true,
        }
        if !cut && stream.write_all(b" ").is_err() {
            cut = true;
        }
    }
    let took = started.elapsed();
    let mut b = lock(background);
    b.slowloris += 1;
    if cut && took <= margin {
        b.slowloris_cut += 1;
    } else if b.problems.len() < 20 {
        b.problems.push(format!(
            "a slowloris {} was not cut off within {margin:?} ({took:?})",
            if body { "body" } else { "head" }
        ));
    }
    if body && out.starts_with(b"HTTP/1.1 408") {
        b.slow_bodies_408 += 1;
    }
}

/// `VmRSS` of `pid`, kB.
pub fn vm_rss_kb(pid: u32) -> Option<u64> {
    status_kb(pid, "VmRSS:")
}

/// A `kB` line of `/proc/PID/status` (`VmRSS:`, `VmHWM:`).
pub fn status_kb(pid: u32, key: &str) -> Option<u64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    text.lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
}

/// The record file held against what the clients saw.
#[derive(Debug, Default)]
pub struct RecordCheck {
    /// Lines in the file.
    pub records: u64,
    /// Records found by `x-request-id`.
    pub by_id: u64,
    /// Records with no id (refused before the check), by status.
    pub without_id: BTreeMap<u16, u64>,
    /// Problems (at most 50 kept).
    pub problems: Vec<String>,
    /// How many problems there were.
    pub problem_count: u64,
}

impl RecordCheck {
    fn problem(&mut self, text: String) {
        self.problem_count += 1;
        if self.problems.len() < 50 {
            self.problems.push(text);
        }
    }
}

/// Reads the record file at `path` and holds it against `seen` (the mix) and
/// `extra` (other requests with ids beyond the mix's, each with the status it
/// was answered; 0: none — recorded at most once). Checks: every line is a
/// JSON record; no `seq` twice; each request answered with a checked kind
/// has exactly one record, with the status it was answered; none has two;
/// with a mix, the records without an id are as many as the refused
/// requests answered, and at most as many as those sent (`slow_bodies` are
/// the slowloris bodies answered 408).
pub fn check_records(
    path: &std::path::Path,
    seen: Option<&Seen>,
    extra: &BTreeMap<u64, (Kind, u16)>,
    slow_bodies: u64,
) -> RecordCheck {
    let mut check = RecordCheck::default();
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => {
            check.problem(format!("the record file: {e}"));
            return check;
        }
    };
    let total = seen.map_or(0, |s| s.answers.len());
    let mut counts = vec![0u8; total];
    let mut extra_counts: BTreeMap<u64, u32> = BTreeMap::new();
    let mut seqs: Vec<u64> = Vec::new();
    for line in std::io::BufReader::new(file).lines() {
        let Ok(line) = line else {
            check.problem("the record file is not text".into());
            break;
        };
        check.records += 1;
        let record: Value = match serde_json::from_str(&line) {
            Ok(v) => v,
            Err(e) => {
                check.problem(format!("line {} is not JSON: {e}", check.records));
                continue;
            }
        };
        if let Some(seq) = record["seq"].as_u64() {
            seqs.push(seq);
        } else {
            check.problem(format!("line {} has no seq", check.records));
        }
        let status = record["status"]
            .as_u64()
            .and_then(|s| u16::try_from(s).ok())
            .unwrap_or(0);
        let id = record["headers"]["x-request-id"]
            .as_str()
            .and_then(|v| v.parse::<u64>().ok());
        let Some(id) = id else {
            *check.without_id.entry(status).or_default() += 1;
            continue;
        };
        check.by_id += 1;
        if let Some((_, answered)) = extra.get(&id) {
            *extra_counts.entry(id).or_default() += 1;
            if *answered != 0 && *answered != status {
                check.problem(format!(
                    "request {id} was answered {answered}, recorded {status}"
                ));
            }
            continue;
        }
        let Some(seen) = seen else {
            check.problem(format!("a record of an unknown request {id}"));
            continue;
        };
        let Some(slot) = counts.get_mut(id as usize) else {
            check.problem(format!("a record of an unknown request {id}"));
            continue;
        };
        *slot = slot.saturating_add(1);
        let answered = seen.answers[id as usize].load(Ordering::Relaxed);
        if answered != 0 && answered != status {
            check.problem(format!(
                "request {id} was answered {answered}, recorded {status}"
            ));
        }
    }
    seqs.sort_unstable();
    let before = seqs.len();
    seqs.dedup();
    if seqs.len() != before {
        check.problem(format!(
            "{} seq numbers are used twice",
            before - seqs.len()
        ));
    }
    // Each answered request of a checked kind once; none twice.
    let mut refused_answered: BTreeMap<u16, u64> = BTreeMap::new();
    let mut refused_sent: BTreeMap<u16, u64> = BTreeMap::new();
    if let Some(seen) = seen {
        for (i, n) in counts.iter().enumerate() {
            let kind = Kind::of(i as u64, seen.every);
            let answered = seen.answers[i].load(Ordering::Relaxed);
            if kind.recorded_by_id() {
                if answered != 0 && *n != 1 {
                    check.problem(format!(
                        "request {i} ({}) was answered {answered} and recorded {n} times",
                        kind.name()
                    ));
                } else if *n > 1 {
                    check.problem(format!("request {i} was recorded {n} times"));
                }
            } else {
                // 413 or 400 (the body ended early); a disconnect's record is a 400.
                let status = match kind.expected() {
                    0 => 400,
                    s => s,
                };
                *refused_sent.entry(status).or_default() += 1;
                if answered != 0 {
                    *refused_answered.entry(status).or_default() += 1;
                }
            }
        }
    }
    for (id, (kind, answered)) in extra {
        let n = extra_counts.get(id).copied().unwrap_or(0);
        if *answered != 0 && n != 1 {
            check.problem(format!(
                "request {id} ({}) was answered {answered} and recorded {n} times",
                kind.name()
            ));
        } else if n > 1 {
            check.problem(format!("request {id} was recorded {n} times"));
        }
    }
    if seen.is_none() {
        // No mix: the records without an id are the caller's to check.
        return check;
    }
    *refused_answered.entry(408).or_default() += slow_bodies;
    for (status, n) in check.without_id.clone() {
        let low = refused_answered.get(&status).copied().unwrap_or(0);
        let high = refused_sent.get(&status).copied().unwrap_or(0)
            + if status == 408 { u64::MAX / 2 } else { 0 };
        if n < low || n > high {
            check.problem(format!(
                "{n} records without an id have status {status}: expected between {low} and {high}"
            ));
        }
    }
    for (status, low) in refused_answered {
        if low > 0 && !check.without_id.contains_key(&status) {
            check.problem(format!(
                "{low} requests were answered {status} and none is recorded"
            ));
        }
    }
    check
}

/// The fake upstream's behaviour, changed at any time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Phase {
    /// A JSON 200 at once.
    Ok = 0,
    /// The answer after `slow` (past the server's `--upstream-timeout`).
    Slow = 1,
    /// The request read, then the connection reset (RST) with no answer.
    Reset = 2,
    /// The head and half the body, then the connection closed.
    CutMidAnswer = 3,
    /// The port closed: connections refused.
    Down = 4,
}

impl Phase {
    fn from_u8(n: u8) -> Phase {
        match n {
            1 => Phase::Slow,
            2 => Phase::Reset,
            3 => Phase::CutMidAnswer,
            4 => Phase::Down,
            _ => Phase::Ok,
        }
    }

    /// Its name in reports.
    pub fn name(self) -> &'static str {
        match self {
            Phase::Ok => "ok",
            Phase::Slow => "slow (past the upstream timeout)",
            Phase::Reset => "reset (RST before the answer)",
            Phase::CutMidAnswer => "closed mid-answer",
            Phase::Down => "down (port closed)",
        }
    }

    /// The status the client must get.
    pub fn expected(self) -> u16 {
        match self {
            Phase::Ok => 200,
            Phase::Slow => 504,
            Phase::Reset | Phase::CutMidAnswer | Phase::Down => 502,
        }
    }
}

/// The gateway's answer the fake upstream gives.
pub const UPSTREAM_ANSWER: &str = r#"{"status": 0, "msgid": "upstream-3EB0C431D2A4E5F60718"}"#;

/// A fake chatbot gateway on loopback whose [`Phase`] can be changed.
pub struct FakeUpstream {
    /// Its address (the same across `Down` and back).
    pub addr: SocketAddr,
    phase: Arc<AtomicU8>,
    stop: Arc<AtomicBool>,
    /// How many times each `x-request-id` reached it.
    pub received: Arc<Mutex<BTreeMap<u64, u32>>>,
}

impl FakeUpstream {
    /// Starts it; `slow` is how long a `Slow` answer takes.
    ///
    /// # Errors
    /// When it cannot listen.
    pub fn start(slow: Duration) -> std::io::Result<FakeUpstream> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        let phase = Arc::new(AtomicU8::new(Phase::Ok as u8));
        let stop = Arc::new(AtomicBool::new(false));
        let received = Arc::new(Mutex::new(BTreeMap::new()));
        {
            let (phase, stop, received) = (phase.clone(), stop.clone(), received.clone());
            std::thread::spawn(move || {
                upstream_accept(listener, addr, &phase, &stop, &received, slow)
            });
        }
        Ok(FakeUpstream {
            addr,
            phase,
            stop,
            received,
        })
    }

    /// Changes what it does; for `Down`, returns once the port is closed
    /// (and, coming back, once it listens again).
    pub fn set(&self, phase: Phase) {
        self.phase.store(phase as u8, Ordering::SeqCst);
        // The accept loop polls every 5 ms; connections every 50 ms.
        std::thread::sleep(Duration::from_millis(150));
    }
}

impl Drop for FakeUpstream {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

fn upstream_accept(
    listener: TcpListener,
    addr: SocketAddr,
    phase: &Arc<AtomicU8>,
    stop: &AtomicBool,
    received: &Arc<Mutex<BTreeMap<u64, u32>>>,
    slow: Duration,
) {
    let mut listener = Some(listener);
    while !stop.load(Ordering::Relaxed) {
        let now = Phase::from_u8(phase.load(Ordering::SeqCst));
        if now == Phase::Down {
            listener = None;
            std::thread::sleep(Duration::from_millis(5));
            continue;
        }
        if listener.is_none() {
            match TcpListener::bind(addr) {
                Ok(l) => listener = Some(l),
                Err(_) => {
                    std::thread::sleep(Duration::from_millis(5));
                    continue;
                }
            }
        }
        let Some(l) = &listener else { continue };
        if l.set_nonblocking(true).is_err() {
            continue;
        }
        match l.accept() {
            Ok((stream, _)) => {
                let (phase, received) = (phase.clone(), received.clone());
                std::thread::spawn(move || upstream_connection(stream, &phase, &received, slow));
            }
            Err(_) => std::thread::sleep(Duration::from_millis(5)),
        }
    }
}

fn upstream_connection(
    mut stream: TcpStream,
    phase: &AtomicU8,
    received: &Mutex<BTreeMap<u64, u32>>,
    slow: Duration,
) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(Duration::from_millis(50)));
    let mut buffer: Vec<u8> = Vec::new();
    loop {
        // The head, a byte at a time (so that a reset leaves the body unread).
        let end = loop {
            if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                break end;
            }
            if Phase::from_u8(phase.load(Ordering::SeqCst)) == Phase::Down {
                return;
            }
            let mut byte = [0u8; 1];
            match stream.read(&mut byte) {
                Ok(0) => return,
                Ok(_) => buffer.push(byte[0]),
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) => {}
                Err(_) => return,
            }
        };
        let head = String::from_utf8_lossy(&buffer[..end]).to_ascii_lowercase();
        buffer.drain(..end + 4);
        let field = |name: &str| {
            head.lines()
                .find_map(|l| l.strip_prefix(name))
                .map(|v| v.trim().to_string())
        };
        if let Some(id) = field("x-request-id:").and_then(|v| v.parse::<u64>().ok()) {
            *lock(received).entry(id).or_default() += 1;
        }
        let now = Phase::from_u8(phase.load(Ordering::SeqCst));
        if now == Phase::Reset {
            // The body is left unread: closing now resets the connection.
            std::thread::sleep(Duration::from_millis(10));
            return;
        }
        let length: usize = field("content-length:")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let deadline = Instant::now() + Duration::from_secs(5);
        while buffer.len() < length && Instant::now() < deadline {
            let mut chunk = [0u8; 8192];
            match stream.read(&mut chunk) {
                Ok(0) => return,
                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) => {}
                Err(_) => return,
            }
        }
        buffer.drain(..length.min(buffer.len()));
        let answer = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{UPSTREAM_ANSWER}",
            UPSTREAM_ANSWER.len()
        );
        match now {
            Phase::Slow => {
                std::thread::sleep(slow);
                if stream.write_all(answer.as_bytes()).is_err() {
                    return;
                }
            }
            Phase::CutMidAnswer => {
                let half = answer.len() - UPSTREAM_ANSWER.len() / 2;
                let _ = stream.write_all(&answer.as_bytes()[..half]);
                let _ = stream.flush();
                std::thread::sleep(Duration::from_millis(20));
                return;
            }
            _ => {
                if stream.write_all(answer.as_bytes()).is_err() {
                    return;
                }
            }
        }
    }
}

/// One phase of the gate cycle as the clients saw it.
#[derive(Debug, Clone)]
pub struct PhaseSeen {
    /// The phase.
    pub phase: Phase,
    /// Requests sent.
    pub requests: u64,
    /// Answered with the expected status, in the provider's shape.
    pub right: u64,
    /// The slowest answer.
    pub slowest: Duration,
    /// Problems (at most 20 kept).
    pub problems: Vec<String>,
}

/// Sends `per_phase` valid requests over `connections` keep-alive
/// connections through the gate at `addr` (whose chatbot upstream is
/// `upstream`) in each of `phases` in turn; every one must be answered
/// within `timeout` with the phase's status, a 200 with the upstream's own
/// body, a 502 or 504 in the gateway's error shape. Request ids start at
/// `first_id`; each one's answer status goes in `answered`.
#[allow(clippy::too_many_arguments, reason = "a test driver's knobs")]
pub fn gate_cycle(
    addr: SocketAddr,
    upstream: &FakeUpstream,
    phases: &[Phase],
    per_phase: u64,
    connections: usize,
    timeout: Duration,
    first_id: u64,
    answered: &mut BTreeMap<u64, (Kind, u16)>,
) -> Vec<PhaseSeen> {
    let mut out = Vec::new();
    let mut id = first_id;
    for &phase in phases {
        upstream.set(phase);
        let next = Arc::new(AtomicU64::new(id));
        let end = id + per_phase;
        let seen = Arc::new(Mutex::new((
            PhaseSeen {
                phase,
                requests: 0,
                right: 0,
                slowest: Duration::ZERO,
                problems: Vec::new(),
            },
            Vec::<(u64, u16)>::new(),
        )));
        let threads: Vec<_> = (0..connections)
            .map(|_| {
                let (next, seen) = (next.clone(), seen.clone());
                std::thread::spawn(move || {
                    let mut conn: Option<(TcpStream, Vec<u8>)> = None;
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= end {
                            break;
                        }
                        let (bytes, _) = request_bytes(Kind::Valid, i, 0);
                        let started = Instant::now();
                        let result = (|| {
                            if conn.is_none() {
                                conn = Some((connect(addr, timeout)?, Vec::new()));
                            }
                            let Some((stream, buffer)) = conn.as_mut() else {
                                return Err(std::io::Error::other("no connection"));
                            };
                            stream.write_all(&bytes)?;
                            read_answer(stream, buffer)
                        })();
                        let took = started.elapsed();
                        if result.as_ref().map_or(true, Answer::closes) {
                            conn = None;
                        }
                        let mut s = lock(&seen);
                        s.0.requests += 1;
                        s.0.slowest = s.0.slowest.max(took);
                        let verdict = match &result {
                            Ok(answer) => {
                                s.1.push((i, answer.status));
                                gate_verdict(phase, answer, took, timeout)
                            }
                            Err(e) => {
                                s.1.push((i, 0));
                                Err(format!("no answer after {took:?}: {e}"))
                            }
                        };
                        match verdict {
                            Ok(()) => s.0.right += 1,
                            Err(problem) => {
                                if s.0.problems.len() < 20 {
                                    s.0.problems.push(format!("request {i}: {problem}"));
                                }
                            }
                        }
                    }
                })
            })
            .collect();
        for t in threads {
            let _ = t.join();
        }
        let (phase_seen, statuses) = std::mem::replace(
            &mut *lock(&seen),
            (
                PhaseSeen {
                    phase,
                    requests: 0,
                    right: 0,
                    slowest: Duration::ZERO,
                    problems: Vec::new(),
                },
                Vec::new(),
            ),
        );
        for (i, status) in statuses {
            answered.insert(i, (Kind::Valid, status));
        }
        out.push(phase_seen);
        id = end;
    }
    upstream.set(Phase::Ok);
    out
}

fn gate_verdict(
    phase: Phase,
    answer: &Answer,
    took: Duration,
    timeout: Duration,
) -> Result<(), String> {
    let body = answer.json();
    if answer.status != phase.expected() {
        return Err(format!(
            "{} where {} was expected: {}",
            answer.status,
            phase.expected(),
            String::from_utf8_lossy(&answer.body)
        ));
    }
    if took > timeout {
        return Err(format!("answered after {took:?}"));
    }
    let shaped = match phase {
        Phase::Ok => answer.body == UPSTREAM_ANSWER.as_bytes(),
        _ => {
            body["success"] == Value::Bool(false)
                && body["errorMessage"].is_string()
                && body["preflight"]["error"].is_object()
        }
    };
    if shaped {
        Ok(())
    } else {
        Err(format!(
            "a {} not in the gateway's shape: {}",
            answer.status,
            String::from_utf8_lossy(&answer.body)
        ))
    }
}

/// What the clients saw of a stop under load.
#[derive(Debug, Default)]
pub struct StopSeen {
    /// Each request's id, kind and answer status (0: none).
    pub answered: BTreeMap<u64, (Kind, u16)>,
    /// Requests answered before the signal.
    pub before: u64,
    /// Requests answered after it (in flight when it came).
    pub after: u64,
    /// Problems (an answer with the wrong status).
    pub problems: Vec<String>,
}

/// Sends valid requests, one in `every` with a body that is not JSON, over
/// `connections` keep-alive connections for `before_signal`, then sends
/// `pid` SIGTERM; the clients go on until the server stops answering. Ids
/// start at `first_id`.
pub fn stop_under_load(
    addr: SocketAddr,
    pid: u32,
    connections: usize,
    every: u64,
    before_signal: Duration,
    timeout: Duration,
    first_id: u64,
) -> StopSeen {
    let next = Arc::new(AtomicU64::new(first_id));
    let signalled = Arc::new(AtomicBool::new(false));
    let out = Arc::new(Mutex::new(StopSeen::default()));
    let threads: Vec<_> = (0..connections)
        .map(|_| {
            let (next, signalled, out) = (next.clone(), signalled.clone(), out.clone());
            std::thread::spawn(move || {
                let mut conn: Option<(TcpStream, Vec<u8>)> = None;
                let mut failures_after = 0;
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let kind = if every > 0 && i % every == every - 1 {
                        Kind::BadJson
                    } else {
                        Kind::Valid
                    };
                    let (bytes, _) = request_bytes(kind, i, 0);
                    let was_signalled = signalled.load(Ordering::SeqCst);
                    let result = (|| {
                        if conn.is_none() {
                            conn = Some((connect(addr, timeout)?, Vec::new()));
                        }
                        let Some((stream, buffer)) = conn.as_mut() else {
                            return Err(std::io::Error::other("no connection"));
                        };
                        stream.write_all(&bytes)?;
                        read_answer(stream, buffer)
                    })();
                    if result.as_ref().map_or(true, Answer::closes) {
                        conn = None;
                    }
                    let mut o = lock(&out);
                    match result {
                        Ok(answer) => {
                            if answer.status != kind.expected() && o.problems.len() < 20 {
                                o.problems.push(format!(
                                    "request {i} ({}): {}",
                                    kind.name(),
                                    answer.status
                                ));
                            }
                            o.answered.insert(i, (kind, answer.status));
                            if was_signalled {
                                o.after += 1;
                            } else {
                                o.before += 1;
                            }
                        }
                        Err(_) => {
                            o.answered.insert(i, (kind, 0));
                            if signalled.load(Ordering::SeqCst) {
                                failures_after += 1;
                                // Refused or closed: the server has stopped.
                                if failures_after >= 3 {
                                    break;
                                }
                            } else if o.problems.len() < 20 {
                                o.problems
                                    .push(format!("request {i}: no answer before the stop"));
                            }
                        }
                    }
                }
            })
        })
        .collect();
    std::thread::sleep(before_signal);
    signalled.store(true, Ordering::SeqCst);
    let _ = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status();
    for t in threads {
        let _ = t.join();
    }
    std::mem::take(&mut *lock(&out))
}

/// A percentile of sorted values.
pub fn percentile(sorted: &[u32], p: f64) -> u32 {
    if sorted.is_empty() {
        return 0;
    }
    let at = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[at.min(sorted.len() - 1)]
}
