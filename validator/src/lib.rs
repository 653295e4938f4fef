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
//! The API in one place: [`validate`] / [`validate_with`] / [`validate_value`]
//! for one payload, [`check`] for one document or NDJSON line as the command
//! line checks it, [`detect`] for the endpoint a payload's shape fits,
//! [`endpoints`] and [`rules`] for what preflight knows, [`render`] for the
//! four output formats, and [`types`] for typed request structs.
//!
//! With the account's templates ([`templates`], given in
//! [`Options::templates`]), every template send is also checked against the
//! template it names: that it exists and is approved, its parameter counts,
//! header format, buttons and filled-in lengths.
//!
//! What this crate does not do: send anything, download media (size limits are
//! reported as notes), or fetch templates from a provider (give it the
//! exported file).

mod diagnostic;
mod engine;
mod error;
pub mod fix;
pub mod http;
mod options;
pub mod render;
pub mod rules;
pub mod templates;
#[cfg(feature = "testing")]
pub mod testing;
pub mod types;

pub use diagnostic::{Diagnostic, Edit, Fix, Position, Related, Report, Severity, Source};
pub use engine::pipeline::{Checked, Origin};
pub use engine::schema::registry::Endpoint;
pub use error::Error;
pub use options::{Level, Options};

use engine::pipeline;
use engine::schema::registry::Registry;
use serde_json::Value;

/// The largest single payload preflight reads (32 MiB); a larger file or
/// NDJSON line is a `payload-too-large` finding.
pub const MAX_PAYLOAD_BYTES: usize = engine::text::parse::MAX_PAYLOAD_BYTES;

/// Validates one payload (JSON text as bytes) for an endpoint id, with default
/// options. Findings carry positions in `payload`.
///
/// # Errors
/// [`Error::UnknownEndpoint`] for an id preflight does not know. An invalid
/// payload is not an error: it is a [`Report`] with findings.
pub fn validate(endpoint: &str, payload: &[u8]) -> Result<Report, Error> {
    validate_with(endpoint, payload, &Options::default())
}

/// [`validate`] with options: rule levels, the Sandeza password.
///
/// ```
/// use preflight::{Level, Options};
///
/// let payload = br#"{"nohp": " 6281234567890", "pesan": "Halo Kak Siti"}"#;
/// let mut options = Options::default();
/// options.levels.insert("surrounding-whitespace".into(), Level::Off);
/// assert!(preflight::validate_with("chatbot/sendwa", payload, &options)?.is_clean());
/// # Ok::<(), preflight::Error>(())
/// ```
///
/// # Errors
/// As [`validate`].
pub fn validate_with(endpoint: &str, payload: &[u8], options: &Options) -> Result<Report, Error> {
    let endpoint = Registry::get()?.endpoint(endpoint)?;
    pipeline::validate_bytes(endpoint, payload, options)
}

/// Validates an already-parsed payload. Findings have pointers but no
/// positions (there is no text).
///
/// ```
/// let payload = serde_json::json!({"nohp": "0812-3456-7890", "pesan": "Halo"});
/// let report = preflight::validate_value("chatbot/sendwa", &payload)?;
/// assert_eq!(report.diagnostics[0].rule, "phone-format");
/// # Ok::<(), preflight::Error>(())
/// ```
///
/// # Errors
/// [`Error::UnknownEndpoint`] for an id preflight does not know.
pub fn validate_value(endpoint: &str, payload: &Value) -> Result<Report, Error> {
    validate_value_with(endpoint, payload, &Options::default())
}

/// [`validate_value`] with options.
///
/// # Errors
/// As [`validate_value`].
pub fn validate_value_with(
    endpoint: &str,
    payload: &Value,
    options: &Options,
) -> Result<Report, Error> {
    let endpoint = Registry::get()?.endpoint(endpoint)?;
    let mut diagnostics = pipeline::check_value(endpoint, payload, options)?;
    pipeline::sort(&mut diagnostics);
    Ok(Report { diagnostics })
}

/// Checks one payload's bytes as the `preflight` command does: a whole
/// document, or one line of an NDJSON file found at `origin`. With
/// `endpoint` `None`, the endpoint is detected from the payload's shape
/// ([`detect`]). Bytes that are not UTF-8 JSON text, a byte-order mark and
/// every finding of the payload come back as findings positioned in the
/// file, each with the source around it, secrets masked, ready for
/// [`render`].
///
/// ```
/// use preflight::{Options, Origin};
///
/// // The third line of an NDJSON file, 120 bytes in.
/// let line = br#"{"nohp": "0812 3456 7890", "pesan": "Halo"}"#;
/// let origin = Origin { offset: 120, line: 3 };
/// let checked = preflight::check(line, Some(preflight::endpoint("chatbot/sendwa")?), &Options::default(), origin)?;
/// let finding = &checked.findings[0];
/// assert_eq!(finding.diagnostic.start.map(|p| p.line), Some(3));
/// assert!(finding.snippet.as_ref().is_some_and(|s| s.text.contains("0812 3456 7890")));
/// # Ok::<(), preflight::Error>(())
/// ```
///
/// # Errors
/// Only if the embedded schemas are broken (a bug in preflight).
pub fn check(
    bytes: &[u8],
    endpoint: Option<&'static Endpoint>,
    options: &Options,
    origin: Origin,
) -> Result<Checked, Error> {
    pipeline::check_bytes(bytes, endpoint, options, origin)
}

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
    engine::detect::from_shape(payload)
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

/// Every endpoint preflight knows, in listing order.
///
/// ```
/// let ids: Vec<&str> = preflight::endpoints()?.iter().map(|e| e.id).collect();
/// assert!(ids.contains(&"sandeza/send") && ids.contains(&"chatbot/webhook-reply"));
/// # Ok::<(), preflight::Error>(())
/// ```
///
/// # Errors
/// Only if the embedded schemas are broken (a bug in preflight).
pub fn endpoints() -> Result<&'static [Endpoint], Error> {
    Ok(Registry::get()?.endpoints())
}
