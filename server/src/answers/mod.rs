//! How each provider answers: the documented success responses (with fresh
//! ids and the request's own values echoed where the doc's sample echoes
//! them), the documented error shapes, and stand-ins, clearly marked, where a
//! doc has no sample.
//!
//! Pure functions of the route, the request and an id source: no HTTP here.

use preflight::http::Route;
use serde_json::{Value, json};
use std::sync::atomic::{AtomicU64, Ordering};

/// A response: status and JSON body.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// The JSON body.
    pub body: Value,
}

/// What the request held, for answers that echo it.
#[derive(Debug, Clone, Copy)]
pub struct Asked<'a> {
    /// The body (JSON, or a multipart form's fields as an object of strings); `None` for no body.
    pub body: Option<&'a Value>,
    /// Path parameters (`channel`) and query parameters, in order.
    pub params: &'a [(String, String)],
}

/// Why the upstream did not answer (gate mode).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpstreamFailure {
    /// No answer within the timeout: 504.
    Timeout,
    /// No connection, or it broke: 502.
    Unreachable,
}

/// Fresh ids for answers: unique within a server's life, different across runs.
#[derive(Debug)]
pub struct Ids {
    seed: u64,
    next: AtomicU64,
}

impl Ids {
    /// A new id source seeded from the clock.
    pub fn new() -> Self {
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0);
        Ids {
            seed,
            next: AtomicU64::new(1),
        }
    }

    /// The next number, never the same twice.
    pub fn next(&self) -> u64 {
        self.next.fetch_add(1, Ordering::Relaxed)
    }

    /// A 24-hex-digit id (`173ae7e440…`), as 3Dolphins' and the gateway's samples look.
    pub fn hex24(&self) -> String {
        let n = self.next();
        format!(
            "{:08x}{:016x}",
            (self.seed >> 16) as u32,
            n.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ self.seed
        )
    }
}

impl Default for Ids {
    fn default() -> Self {
        Ids::new()
    }
}

/// The answer to a valid request (or to any request under `--on-invalid accept`).
pub fn success(route: &Route, asked: Asked<'_>, ids: &Ids) -> Answer {
    let _ = asked;
    Answer {
        status: 200,
        body: json!({"id": ids.hex24(), "route": route.id}),
    }
}

/// The answer to an invalid request: the provider's documented error shape
/// and status where its doc has one, otherwise `None` (the server then
/// answers 400 with preflight's findings).
pub fn invalid(route: &Route, findings: &Value) -> Option<Answer> {
    let _ = (route, findings);
    None
}

/// The answer when the upstream failed (gate mode): 502 or 504, in the
/// provider's error shape.
pub fn upstream_failure(route: &Route, failure: UpstreamFailure, detail: &str) -> Answer {
    let status = match failure {
        UpstreamFailure::Timeout => 504,
        UpstreamFailure::Unreachable => 502,
    };
    Answer {
        status,
        body: json!({"error": detail, "route": route.id}),
    }
}

// TEMPORARY STUBS on the `client` branch only, so callbacks and webhook-test
// build before the answers branch lands: at the merge, take the answers
// branch's versions of these two functions.

/// The status callbacks the gateway POSTs to a send's `notifyurl`, in order.
pub fn notify_sequence(msgid: &str) -> Vec<Value> {
    [1, 2, 3]
        .into_iter()
        .map(|ack| json!({"msgid": msgid, "ack": ack}))
        .collect()
}

/// The keyword webhook body the gateway POSTs to the user's webhook.
pub fn keyword_webhook(keyword: &str, data: &str, from: &str) -> Value {
    let data = match keyword.strip_suffix('#') {
        Some(_) => Value::from(
            data.split('#')
                .map(|s| Value::from(s.to_string()))
                .collect::<Vec<_>>(),
        ),
        None => json!({"nama": data, "nohp": from}),
    };
    json!({"keyword": keyword, "data": data, "webhookkey": "YourSecretWebhookKey", "from": from})
}
