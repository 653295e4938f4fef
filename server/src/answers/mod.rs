//! How each provider answers: the documented success responses (with fresh
//! ids and the request's own values echoed where the doc's sample echoes
//! them), the documented error shapes, and stand-ins, clearly marked, where a
//! doc has no sample.
//!
//! Pure functions of the route, the request and an id source (and, where a
//! sample carries a time, the clock): no HTTP here. One module per provider;
//! `docs/serve-answers.md` tabulates every answer.

use preflight::http::Route;
use serde_json::{Map, Value, json};
use std::sync::atomic::{AtomicU64, Ordering};

mod chatbot;
mod dolphins;
mod oca;
mod qiscus;
mod sandeza;
mod time;

pub use chatbot::{BOT_NUMBER, STAND_IN_CUSTOMER, WEBHOOK_KEY_STAND_IN};

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

impl<'a> Asked<'a> {
    /// The body's member `key`, when the body is an object that has it.
    fn field(&self, key: &str) -> Option<&'a Value> {
        self.body?.as_object()?.get(key)
    }

    /// The body's member `key` when it is a string.
    fn text(&self, key: &str) -> Option<&'a str> {
        self.field(key)?.as_str()
    }

    /// The body's member `key` as sent, `null` when absent.
    fn echo(&self, key: &str) -> Value {
        self.field(key).cloned().unwrap_or(Value::Null)
    }

    /// The first parameter whose name, lowercased and without separators,
    /// is one of `names` (`broadcastId`, `broadcast_id` and `broadcast-id`
    /// are all `broadcastid`).
    fn param(&self, names: &[&str]) -> Option<&'a str> {
        self.params.iter().find_map(|(k, v)| {
            let key: String = k
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .map(|c| c.to_ascii_lowercase())
                .collect();
            names.contains(&key.as_str()).then_some(v.as_str())
        })
    }
}

/// Why the upstream did not answer (gate mode).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpstreamFailure {
    /// No answer within the timeout: 504.
    Timeout,
    /// No connection, or it broke: 502.
    Unreachable,
}

impl UpstreamFailure {
    /// 504 or 502.
    pub fn status(self) -> u16 {
        match self {
            UpstreamFailure::Timeout => 504,
            UpstreamFailure::Unreachable => 502,
        }
    }

    /// `upstream-timeout` or `upstream-unreachable`.
    pub fn kind(self) -> &'static str {
        match self {
            UpstreamFailure::Timeout => "upstream-timeout",
            UpstreamFailure::Unreachable => "upstream-unreachable",
        }
    }

    fn sentence(self, provider: &str) -> String {
        match self {
            UpstreamFailure::Timeout => format!("preflight: {provider} did not answer in time"),
            UpstreamFailure::Unreachable => format!("preflight: {provider} could not be reached"),
        }
    }
}

/// Fresh ids for answers: unique within a server's life, different across runs.
///
/// Every id is built from one counter, so no two calls give the same id: the
/// hex ids mix the counter through a bijection of `u64` (and the run's seed),
/// the numeric ids count up from a base the seed picks, as a database's
/// auto-increment does.
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
        Ids::with_seed(seed)
    }

    /// An id source with a given seed: the same seed gives the same ids in
    /// the same order (for tests and benchmarks).
    pub fn with_seed(seed: u64) -> Self {
        // Spread a clock reading's few changing bits over the whole word.
        let seed = mix(seed ^ 0x5DEE_CE66_D1CE_4E5B);
        Ids {
            seed,
            next: AtomicU64::new(1),
        }
    }

    /// The next number, never the same twice.
    pub fn next(&self) -> u64 {
        self.next.fetch_add(1, Ordering::Relaxed)
    }

    /// The next counter value, scrambled: a bijection of the counter, so
    /// never the same twice.
    fn scrambled(&self) -> u64 {
        self.next().wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ self.seed
    }

    /// A 24-hex-digit id (`173ae7e440…`), as 3Dolphins' and the gateway's samples look.
    pub fn hex24(&self) -> String {
        format!("{:08x}{:016x}", (self.seed >> 32) as u32, self.scrambled())
    }

    /// A WhatsApp Web message id as the gateway's samples show them: `3EB0`
    /// and 16 upper-case hex digits (`3EB02B7BEAD27AFA278E`).
    pub fn wa_message_id(&self) -> String {
        format!("3EB0{:016X}", self.scrambled())
    }

    /// A lower-case hex id grouped 8-4-4-4-12 (`xxxx9f4b-334a-27b2-xxxxb1e2xxxx`,
    /// OCA's `msgid`). Not an RFC 4122 UUID: OCA's sample is none either.
    pub fn uuid_like(&self) -> String {
        let run = self.seed;
        let n = self.scrambled();
        format!(
            "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
            (run >> 32) as u32,
            (run >> 16) as u16,
            run as u16,
            (n >> 48) as u16,
            n & 0xFFFF_FFFF_FFFF
        )
    }

    /// A number of `digits` decimal digits (1 to 18; 8 gives `14528583`),
    /// counting up from a base the seed picks in the lower half of the range,
    /// so it keeps its length for millions of ids.
    pub fn numeric(&self, digits: u32) -> u64 {
        let digits = digits.clamp(1, 18);
        let low = 10u64.pow(digits - 1);
        let half = (9 * low / 2).max(1);
        low + self.seed % half + self.next()
    }
}

impl Default for Ids {
    fn default() -> Self {
        Ids::new()
    }
}

/// SplitMix64's finalizer: a bijection that spreads every input bit.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The answer to a valid request (or to any request under `--on-invalid accept`).
pub fn success(route: &Route, asked: Asked<'_>, ids: &Ids) -> Answer {
    let answer = match route.provider {
        "sandeza" => Some(sandeza::success(asked, ids)),
        "oca" => oca::success(route, ids),
        "qiscus" => qiscus::success(route, asked, ids),
        "3dolphins" => dolphins::success(route, asked, ids),
        "chatbot" => chatbot::success(route, asked, ids),
        _ => None,
    };
    answer.unwrap_or_else(|| Answer {
        status: 200,
        body: json!({
            "preflight_stand_in": true,
            "note": "preflight has no documented answer for this route",
            "route": route.id,
            "id": ids.hex24(),
        }),
    })
}

/// The answer to an invalid request: the provider's documented error shape
/// and status where its doc has one, otherwise `None` (the server then
/// answers 400 with preflight's findings).
///
/// `findings` is preflight's `--format json` document; the message is built
/// from its first error finding.
pub fn invalid(route: &Route, findings: &Value) -> Option<Answer> {
    match route.provider {
        "chatbot" => Some(chatbot::invalid(findings)),
        // Sandeza, OCA, Qiscus and 3Dolphins document no error response.
        _ => None,
    }
}

/// The answer when the upstream failed (gate mode): 502 or 504, in the
/// provider's error shape (a preflight-marked one where the doc has none).
///
/// `detail` is said in the body: it must hold no secret.
pub fn upstream_failure(route: &Route, failure: UpstreamFailure, detail: &str) -> Answer {
    let body = match route.provider {
        "chatbot" => chatbot::upstream_failure(route, failure, detail),
        "oca" => oca::upstream_failure(route, failure, detail),
        "qiscus" => qiscus::upstream_failure(route, failure, detail),
        "3dolphins" => dolphins::upstream_failure(route, failure, detail),
        _ => sandeza::upstream_failure(route, failure, detail),
    };
    Answer {
        status: failure.status(),
        body,
    }
}

/// The status callbacks the gateway POSTs to a send's `notifyurl`, in the
/// order a delivered and read message goes through them (`ack` 1, 2, 3).
pub fn notify_sequence(msgid: &str) -> Vec<Value> {
    chatbot::notify_sequence(msgid)
}

/// The keyword webhook body the gateway POSTs to the user's webhook.
///
/// `keyword` is the webhook keyword the chat matched (`penawaran#` or
/// `penawaran`); for a keyword ending in `#`, `data` is what the customer
/// typed after it (`Jhon Doe#jhon@example.com`, sent as the `#`-separated
/// list); for a keyword without `#`, `data` is the customer's name (sent as
/// `{"nama", "nohp"}`). A `keyword` holding the whole chat
/// (`penawaran#Jhon Doe#…`) is split at its first `#`. `from` is the
/// customer's number; empty: [`STAND_IN_CUSTOMER`]. `webhookkey` is
/// [`WEBHOOK_KEY_STAND_IN`]; replace it with the user's key.
pub fn keyword_webhook(keyword: &str, data: &str, from: &str) -> Value {
    chatbot::keyword_webhook(keyword, data, (!from.is_empty()).then_some(from))
}

/// [`keyword_webhook`] with the customer's number optional (`None`:
/// [`STAND_IN_CUSTOMER`]).
pub fn keyword_webhook_from(keyword: &str, data: &str, from: Option<&str>) -> Value {
    chatbot::keyword_webhook(keyword, data, from)
}

/// The gateway message id a success answer carries (`message.id`), the
/// `msgid` of that message's status callbacks; `None` for other answers.
pub fn message_id(answer: &Answer) -> Option<&str> {
    answer.body.get("message")?.get("id")?.as_str()
}

/// The `notifyurl` a gateway send request gives, if any.
pub fn notify_url<'a>(asked: &Asked<'a>) -> Option<&'a str> {
    asked.text("notifyurl").filter(|u| !u.trim().is_empty())
}

/// The message of `findings`' first error finding (else its first finding),
/// with how many more errors there are.
fn first_error(findings: &Value) -> String {
    let diagnostics = || {
        findings
            .get("files")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|f| f.get("diagnostics").and_then(Value::as_array))
            .flatten()
    };
    let is_error = |d: &&Value| d.get("severity").and_then(Value::as_str) == Some("error");
    let errors = diagnostics().filter(is_error).count();
    let first = diagnostics()
        .find(is_error)
        .or_else(|| diagnostics().next())
        .and_then(|d| d.get("message"))
        .and_then(Value::as_str);
    let Some(first) = first else {
        return "preflight: the request is invalid".to_string();
    };
    match errors {
        0 | 1 => format!("preflight: {first}"),
        2 => format!("preflight: {first} (and 1 more error)"),
        n => format!("preflight: {first} (and {} more errors)", n - 1),
    }
}

/// preflight's own error object for an upstream failure, for providers
/// without an error shape: `{"kind", "provider", "route", "message", "detail"}`.
fn preflight_failure(route: &Route, failure: UpstreamFailure, detail: &str) -> Map<String, Value> {
    let mut error = Map::new();
    error.insert("kind".into(), json!(failure.kind()));
    error.insert("provider".into(), json!(route.provider));
    error.insert("route".into(), json!(route.id));
    error.insert("message".into(), json!(failure.sentence(route.provider)));
    error.insert("detail".into(), json!(detail));
    error
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests;
