//! The record of every request: a bounded ring in memory (for
//! `GET /__preflight/requests`), running counts (for `/__preflight/summary`),
//! and, with `--record FILE.ndjson`, every record appended to a file by a
//! writer thread, flushed at shutdown.
//!
//! A record is one JSON object: `seq`, `time`, `method`, `path`, `route`,
//! `endpoint`, `status`, `outcome`, `errors`, `warnings`, `findings` (the
//! `--format json` diagnostics), `headers` (credentials `"<redacted>"`),
//! `body` (secrets masked) or `body_text`, and for forms `form` and `files`.

use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, VecDeque};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, RwLock, mpsc};

/// Bodies longer than this are kept in the file record only; the ring holds
/// their size (`body_bytes`) and `"body_kept": false`.
pub const RING_BODY_LIMIT: usize = 64 * 1024;

/// Why the record could not be kept.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    /// The record file could not be created.
    #[error("cannot create the record file {path}: {source}")]
    Create {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// Writing the record file failed.
    #[error("cannot write the record file {path}: {problem}")]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        problem: String,
    },
}

#[derive(Default)]
struct Ring {
    records: VecDeque<Kept>,
    dropped: u64,
    summary: Counts,
}

/// One record in the ring: its JSON line (a few kB, where the parsed value
/// would take several times that), and what the filters read.
struct Kept {
    line: Box<str>,
    route: Option<Box<str>>,
    endpoint: Option<Box<str>>,
    errors: u64,
    warnings: u64,
}

#[derive(Default)]
struct Counts {
    requests: u64,
    with_errors: u64,
    with_findings: u64,
    by_route: BTreeMap<String, RouteCounts>,
    by_rule: BTreeMap<String, RuleCounts>,
    by_status: BTreeMap<u16, u64>,
}

#[derive(Default)]
struct RouteCounts {
    requests: u64,
    with_errors: u64,
    errors: u64,
    warnings: u64,
}

#[derive(Default)]
struct RuleCounts {
    errors: u64,
    warnings: u64,
}

/// The records of one server.
pub struct Records {
    ring: Mutex<Ring>,
    capacity: usize,
    seq: AtomicU64,
    any_error: AtomicBool,
    file: Option<FileWriter>,
}

struct FileWriter {
    sender: RwLock<Option<mpsc::Sender<Vec<u8>>>>,
    thread: Mutex<Option<std::thread::JoinHandle<Result<(), String>>>>,
    path: PathBuf,
}

impl Records {
    /// Records kept in a ring of `capacity` (at least 1), and appended to
    /// `file` when given (created or truncated).
    ///
    /// # Errors
    /// [`RecordError::Create`] when the file cannot be created.
    pub fn new(capacity: usize, file: Option<&Path>) -> Result<Self, RecordError> {
        let file = match file {
            Some(path) => Some(FileWriter::start(path)?),
            None => None,
        };
        Ok(Records {
            ring: Mutex::new(Ring::default()),
            capacity: capacity.max(1),
            seq: AtomicU64::new(0),
            any_error: AtomicBool::new(false),
            file,
        })
    }

    /// The next record's sequence number (1, 2, …).
    pub fn next_seq(&self) -> u64 {
        self.seq.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// Requests recorded so far (not reset by `DELETE /__preflight/requests`).
    pub fn next_seq_peek(&self) -> u64 {
        self.seq.load(Ordering::Relaxed)
    }

    /// True once any recorded request had an error finding (not reset by
    /// `DELETE /__preflight/requests`: the exit status is about the whole run).
    pub fn any_error(&self) -> bool {
        self.any_error.load(Ordering::Relaxed)
    }

    /// Keeps one record. `full` is the record as the file holds it; `ring` is
    /// the same record with a long body left out (the same value when short).
    pub fn keep(&self, full: Value, ring: Option<Value>) {
        let errors = count(&full, "errors");
        let warnings = count(&full, "warnings");
        if errors > 0 {
            self.any_error.store(true, Ordering::Relaxed);
        }
        let full_line = serde_json::to_string(&full).unwrap_or_default();
        let record = ring.unwrap_or(full);
        let ring_line = if record.get("body_kept").is_some() {
            serde_json::to_string(&record).unwrap_or_default()
        } else {
            full_line.clone()
        };
        if let Some(file) = &self.file {
            let mut line = full_line.into_bytes();
            line.push(b'\n');
            file.send(line);
        }
        let text = |k: &str| record.get(k).and_then(Value::as_str).map(Box::<str>::from);
        let kept = Kept {
            line: ring_line.into_boxed_str(),
            route: text("route"),
            endpoint: text("endpoint"),
            errors,
            warnings,
        };
        let mut ring = match self.ring.lock() {
            Ok(ring) => ring,
            Err(poisoned) => poisoned.into_inner(),
        };
        let counts = &mut ring.summary;
        counts.requests += 1;
        if errors > 0 {
            counts.with_errors += 1;
        }
        if errors + warnings > 0 {
            counts.with_findings += 1;
        }
        let route = record
            .get("route")
            .and_then(Value::as_str)
            .unwrap_or("(no route)")
            .to_string();
        let entry = counts.by_route.entry(route).or_default();
        entry.requests += 1;
        entry.errors += errors;
        entry.warnings += warnings;
        if errors > 0 {
            entry.with_errors += 1;
        }
        if let Some(status) = record.get("status").and_then(Value::as_u64) {
            *counts
                .by_status
                .entry(u16::try_from(status).unwrap_or(0))
                .or_default() += 1;
        }
        for finding in record
            .get("findings")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let rule = finding.get("rule").and_then(Value::as_str).unwrap_or("");
            let entry = counts.by_rule.entry(rule.to_string()).or_default();
            match finding.get("severity").and_then(Value::as_str) {
                Some("error") => entry.errors += 1,
                _ => entry.warnings += 1,
            }
        }
        if ring.records.len() == self.capacity {
            ring.records.pop_front();
            ring.dropped += 1;
        }
        ring.records.push_back(kept);
    }

    /// `GET /__preflight/requests`: the kept records, oldest first, filtered.
    pub fn list(&self, filter: &Filter) -> Value {
        let ring = match self.ring.lock() {
            Ok(ring) => ring,
            Err(poisoned) => poisoned.into_inner(),
        };
        let requests: Vec<Value> = ring
            .records
            .iter()
            .filter(|r| filter.keeps(r))
            .map(|r| serde_json::from_str(&r.line).unwrap_or(Value::Null))
            .collect();
        json!({"requests": requests, "dropped": ring.dropped})
    }

    /// `DELETE /__preflight/requests`: forgets the ring and the counts.
    pub fn reset(&self) -> u64 {
        let mut ring = match self.ring.lock() {
            Ok(ring) => ring,
            Err(poisoned) => poisoned.into_inner(),
        };
        let n = ring.records.len() as u64;
        *ring = Ring::default();
        n
    }

    /// `GET /__preflight/summary`: counts since the start or the last reset.
    pub fn summary(&self) -> Value {
        let ring = match self.ring.lock() {
            Ok(ring) => ring,
            Err(poisoned) => poisoned.into_inner(),
        };
        let c = &ring.summary;
        let by_endpoint: Map<String, Value> = c
            .by_route
            .iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    json!({"requests": v.requests, "with_errors": v.with_errors,
                           "errors": v.errors, "warnings": v.warnings}),
                )
            })
            .collect();
        let by_rule: Map<String, Value> = c
            .by_rule
            .iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    json!({"errors": v.errors, "warnings": v.warnings}),
                )
            })
            .collect();
        let by_status: Map<String, Value> = c
            .by_status
            .iter()
            .map(|(k, v)| (k.to_string(), json!(v)))
            .collect();
        json!({
            "requests": c.requests,
            "with_errors": c.with_errors,
            "with_findings": c.with_findings,
            "kept": ring.records.len(),
            "dropped": ring.dropped,
            "by_endpoint": by_endpoint,
            "by_rule": by_rule,
            "by_status": by_status,
        })
    }

    /// Writes what is queued to the record file and closes it.
    ///
    /// # Errors
    /// [`RecordError::Write`] when the file could not be written.
    pub fn finish(&self) -> Result<(), RecordError> {
        match &self.file {
            Some(file) => file.finish(),
            None => Ok(()),
        }
    }
}

fn count(record: &Value, key: &str) -> u64 {
    record.get(key).and_then(Value::as_u64).unwrap_or(0)
}

/// `?endpoint=ID&route=ID&findings=true&errors=true` of `GET /__preflight/requests`.
#[derive(Debug, Default)]
pub struct Filter {
    /// Only records of this endpoint or route id.
    pub endpoint: Option<String>,
    /// Only records with at least one finding.
    pub findings: bool,
    /// Only records with at least one error finding.
    pub errors: bool,
}

impl Filter {
    /// The filter of a query string's pairs; unknown keys are an error naming them.
    ///
    /// # Errors
    /// The message for a 400 answer.
    pub fn parse(pairs: &[(String, String)]) -> Result<Self, String> {
        let mut filter = Filter::default();
        for (k, v) in pairs {
            let flag = || match v.as_str() {
                "" | "true" | "1" => Ok(true),
                "false" | "0" => Ok(false),
                other => Err(format!(
                    "`{k}` takes true or false, not {:?}",
                    preflight::render::escape_controls(other)
                )),
            };
            match k.as_str() {
                "endpoint" | "route" => filter.endpoint = Some(v.clone()),
                "findings" => filter.findings = flag()?,
                "errors" => filter.errors = flag()?,
                other => {
                    return Err(format!(
                        "unknown filter `{}`; the filters are endpoint=ID, findings=true and errors=true",
                        preflight::render::escape_controls(other)
                    ));
                }
            }
        }
        Ok(filter)
    }

    fn keeps(&self, record: &Kept) -> bool {
        if let Some(id) = &self.endpoint {
            let of = |k: &Option<Box<str>>| k.as_deref() == Some(id.as_str());
            if !of(&record.endpoint) && !of(&record.route) {
                return false;
            }
        }
        let errors = record.errors;
        let findings = errors + record.warnings;
        !(self.findings && findings == 0 || self.errors && errors == 0)
    }
}

impl FileWriter {
    fn start(path: &Path) -> Result<Self, RecordError> {
        let file = std::fs::File::create(path).map_err(|source| RecordError::Create {
            path: path.to_path_buf(),
            source,
        })?;
        let (sender, receiver) = mpsc::channel::<Vec<u8>>();
        let thread = std::thread::Builder::new()
            .name("preflight-record".into())
            .spawn(move || {
                let mut out = std::io::BufWriter::with_capacity(256 * 1024, file);
                while let Ok(line) = receiver.recv() {
                    out.write_all(&line).map_err(|e| e.to_string())?;
                    // Everything queued meanwhile, then a flush when the queue
                    // runs dry, so the file follows the requests closely.
                    while let Ok(line) = receiver.try_recv() {
                        out.write_all(&line).map_err(|e| e.to_string())?;
                    }
                    out.flush().map_err(|e| e.to_string())?;
                    // A pause before waiting again: under load the queue fills
                    // meanwhile and the senders never have to wake this thread
                    // (a system call per request otherwise); idle, a record
                    // reaches the file within the pause.
                    std::thread::sleep(std::time::Duration::from_millis(5));
                }
                out.flush().map_err(|e| e.to_string())
            })
            .map_err(|source| RecordError::Create {
                path: path.to_path_buf(),
                source,
            })?;
        Ok(FileWriter {
            sender: RwLock::new(Some(sender)),
            thread: Mutex::new(Some(thread)),
            path: path.to_path_buf(),
        })
    }

    fn send(&self, line: Vec<u8>) {
        if let Ok(sender) = self.sender.read()
            && let Some(sender) = sender.as_ref()
        {
            let _ = sender.send(line);
        }
    }

    fn finish(&self) -> Result<(), RecordError> {
        if let Ok(mut sender) = self.sender.write() {
            sender.take();
        }
        let thread = self.thread.lock().ok().and_then(|mut t| t.take());
        let Some(thread) = thread else {
            return Ok(());
        };
        let problem = match thread.join() {
            Ok(Ok(())) => return Ok(()),
            Ok(Err(problem)) => problem,
            Err(_) => "the writer stopped".to_string(),
        };
        Err(RecordError::Write {
            path: self.path.clone(),
            problem,
        })
    }
}

/// Now as RFC 3339 in UTC with milliseconds (`2026-12-02T19:40:00.123Z`).
pub fn now_rfc3339() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let secs = now.as_secs();
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (y, m, d) = civil_from_days(i64::try_from(days).unwrap_or(0));
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        now.subsec_millis()
    )
}

/// Days since 1970-01-01 to a (year, month, day) of the proleptic Gregorian calendar.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn record(route: &str, errors: u64) -> Value {
        json!({"route": route, "endpoint": route, "status": 200, "errors": errors, "warnings": 0,
               "findings": (0..errors).map(|_| json!({"rule": "max-length", "severity": "error"})).collect::<Vec<_>>()})
    }

    #[test]
    fn the_ring_is_bounded_and_counts_what_it_drops() {
        let records = Records::new(2, None).unwrap();
        for i in 0..5 {
            records.keep(record("chatbot/sendwa", i % 2), None);
        }
        let listed = records.list(&Filter::default());
        assert_eq!(listed["requests"].as_array().unwrap().len(), 2);
        assert_eq!(listed["dropped"], 3);
        assert_eq!(records.summary()["requests"], 5);
        assert_eq!(records.summary()["by_rule"]["max-length"]["errors"], 2);
        assert!(records.any_error());
        records.reset();
        assert_eq!(records.list(&Filter::default())["dropped"], 0);
        assert!(records.any_error(), "the exit status outlives a reset");
    }

    #[test]
    fn filters_by_endpoint_and_findings() {
        let records = Records::new(10, None).unwrap();
        records.keep(record("chatbot/sendwa", 0), None);
        records.keep(record("chatbot/sendwa", 1), None);
        records.keep(record("oca/push-message", 1), None);
        let filter = Filter::parse(&[
            ("endpoint".into(), "chatbot/sendwa".into()),
            ("findings".into(), "true".into()),
        ])
        .unwrap();
        assert_eq!(
            records.list(&filter)["requests"].as_array().unwrap().len(),
            1
        );
        assert!(Filter::parse(&[("endpont".into(), "x".into())]).is_err());
    }

    #[test]
    fn the_file_gets_every_record() {
        let dir = std::env::temp_dir().join(format!("preflight-records-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("r.ndjson");
        let records = Records::new(1, Some(&path)).unwrap();
        for _ in 0..100 {
            records.keep(record("chatbot/sendwa", 0), None);
        }
        records.finish().unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.lines().count(), 100);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_424), (2025, 12, 2));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }
}
