//! # preflight
//!
//! Checks the request payloads that applications send to Indonesian WhatsApp
//! and multichannel messaging providers (Sprint Asia's Sandeza, OCA (Telkom),
//! Qiscus Multichannel, 3Dolphins SRM, WhatsApp chatbot gateways) before they
//! are sent, and gives Rust applications typed request structs generated from
//! the same JSON Schemas.
//!
//! One call validates a payload against an endpoint's schema and every
//! preflight rule, and returns all findings, each with a JSON pointer, a
//! position in the text, a message that names the field, the limit and the
//! actual value, and help:
//!
//! ```
//! let payload = br#"{"phone_number": "6281234567890", "message": {"type": "template",
//!     "template": {"template_code_id": "tagihan_bulanan_v2", "payload": []}}}"#;
//! let report = preflight::validate("oca/push-message", payload)?;
//! assert!(!report.has_errors());
//! # Ok::<(), preflight::Error>(())
//! ```
//!
//! A payload that breaks a rule gets a finding that says where and why:
//!
//! ```
//! let payload = br#"{"phone_number": "6281234567890", "message": {"type": "template",
//!     "template": {"template_code_id": "tagihan_bulanan_v2", "payload": [], "langauge": "id"}}}"#;
//! let report = preflight::validate("oca/push-message", payload)?;
//! let finding = &report.diagnostics[0];
//! assert_eq!(finding.rule, "additional-properties");
//! assert_eq!(finding.pointer, "/message/template/langauge");
//! assert_eq!(finding.start.map(|p| p.line), Some(2));
//! # Ok::<(), preflight::Error>(())
//! ```
//!
//! What this crate does not do: send anything, download media (size limits are
//! reported as notes), or know which templates your provider account has.

pub mod annotate;
pub mod check;
mod detect;
pub mod diagnostic;
pub mod endpoint;
mod error;
pub mod graph;
pub mod parse;
pub mod pointer;
pub mod render;
pub mod rules;
pub mod schemas;
pub mod secrets;
pub mod span;
pub mod suggest;
pub mod translate;
pub mod types;

pub use diagnostic::{Diagnostic, Position, Report, Severity, Source};
pub use endpoint::{Endpoint, Registry};
pub use error::Error;

use serde_json::Value;
use std::collections::HashMap;

/// A configured severity for a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Report as an error.
    Error,
    /// Report as a warning.
    Warning,
    /// Do not report.
    Off,
}

/// Options for a validation run.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Severity overrides by rule name.
    pub levels: HashMap<String, Level>,
    /// The Sandeza account password: when set, `signature` is checked to equal
    /// sha256(username + password + time). Never printed.
    pub sandeza_password: Option<String>,
}

impl Options {
    /// The configured level of a rule, if any.
    pub fn level(&self, rule: &str) -> Option<Level> {
        self.levels.get(rule).copied()
    }

    /// Applies the configured levels to findings made outside the library
    /// (a file too large to read, say): `off` drops a finding, `error` and
    /// `warning` set its severity.
    pub fn apply_levels(&self, diagnostics: &mut Vec<Diagnostic>) {
        check::apply_levels(diagnostics, self);
    }
}

/// The largest single payload preflight reads (32 MiB); a larger file or
/// NDJSON line is a `payload-too-large` finding.
pub const MAX_PAYLOAD_BYTES: usize = parse::MAX_PAYLOAD_BYTES;

/// The endpoint a payload's shape fits: the only schema it satisfies, else
/// the only one whose top-level fields it matches best. Otherwise an
/// `unknown-endpoint` finding naming the candidates and how to choose.
///
/// ```
/// let payload = serde_json::json!({"nohp": "6281234567890", "pesan": "Halo"});
/// assert_eq!(preflight::detect(&payload).map(|e| e.id).ok(), Some("chatbot/sendwa"));
/// ```
///
/// # Errors
/// The finding, when the shape does not settle it.
pub fn detect(payload: &Value) -> Result<&'static Endpoint, Box<Diagnostic>> {
    detect::from_shape(payload)
}

/// Validates one payload (JSON text as bytes) for an endpoint id, with default
/// options. Findings carry positions in `payload`.
///
/// # Errors
/// [`Error::UnknownEndpoint`] for an id preflight does not know. An invalid
/// payload is not an error: it is a [`Report`] with findings.
pub fn validate(endpoint: &str, payload: &[u8]) -> Result<Report, Error> {
    validate_with(endpoint, payload, &Options::default())
}

/// [`validate`] with options.
///
/// # Errors
/// As [`validate`].
pub fn validate_with(endpoint: &str, payload: &[u8], options: &Options) -> Result<Report, Error> {
    let endpoint = Registry::get()?.endpoint(endpoint)?;
    let (text, bom) = match parse::decode(payload) {
        Ok(decoded) => decoded,
        Err(failure) => {
            let mut d = *failure.diagnostic;
            d.span = Some(failure.offset..failure.offset);
            return Ok(Report {
                diagnostics: vec![d],
            });
        }
    };
    let mut outcome = check::check_text(Some(endpoint), text, options, |_| Ok(None))?;
    if bom {
        check::shift(&mut outcome.report, check::Origin { offset: 3, line: 1 });
        let mut d = Diagnostic::warning(
            "byte-order-mark",
            "",
            "the payload starts with a UTF-8 byte-order mark; some providers reject the body",
        )
        .with_help("save the file as UTF-8 without BOM");
        d.span = Some(0..3);
        d.start = Some(Position { line: 1, column: 1 });
        d.end = Some(Position { line: 1, column: 1 });
        outcome.report.diagnostics.insert(0, d);
        check::apply_levels(&mut outcome.report.diagnostics, options);
    }
    Ok(outcome.report)
}

/// Validates an already-parsed payload. Findings have pointers but no
/// positions (there is no text).
///
/// # Errors
/// [`Error::UnknownEndpoint`] for an id preflight does not know.
pub fn validate_value(endpoint: &str, payload: &Value) -> Result<Report, Error> {
    let endpoint = Registry::get()?.endpoint(endpoint)?;
    let mut diagnostics = check::check_value(endpoint, payload, &Options::default())?;
    check::sort(&mut diagnostics);
    Ok(Report { diagnostics })
}

/// The endpoint with this id (`sandeza/send`).
///
/// ```
/// assert_eq!(preflight::endpoint("oca/push-message")?.provider, "oca");
/// let unknown = preflight::endpoint("oca/push-mesage").unwrap_err();
/// assert!(unknown.to_string().contains("did you mean 'oca/push-message'"));
/// # Ok::<(), preflight::Error>(())
/// ```
///
/// # Errors
/// [`Error::UnknownEndpoint`], with the closest id when there is one.
pub fn endpoint(id: &str) -> Result<&'static Endpoint, Error> {
    Registry::get()?.endpoint(id)
}

/// Every endpoint preflight knows.
///
/// # Errors
/// Only if the embedded schemas are broken (a bug in preflight).
pub fn endpoints() -> Result<&'static [Endpoint], Error> {
    Ok(Registry::get()?.endpoints())
}
