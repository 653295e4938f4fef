//! The account's registered WhatsApp templates: reading and checking
//! templates files, and giving them to a run.
//!
//! A templates file is what Meta's `GET /{waba-id}/message_templates`
//! returns (`{"data": [...], "paging": ...}`), a bare array of templates, or
//! one template. [`check_file`] checks one the way a payload is checked
//! (JSON, its own JSON Schema, `schemas/meta/message-templates.json`, and
//! the template-file rules), with every finding at its line and column;
//! [`Templates`] in [`crate::Options::templates`] makes every template send
//! be checked against them.
//!
//! ```
//! use preflight::templates::{TemplateSet, Templates};
//! use std::sync::Arc;
//!
//! let file = br#"{"data": [{"name": "pengingat_tagihan", "language": "id", "status": "APPROVED",
//!   "category": "UTILITY", "components": [{"type": "BODY", "text": "Halo {{1}}, tagihan {{2}} jatuh tempo {{3}}"}]}]}"#;
//! assert!(preflight::templates::check_file(file, &preflight::Options::default())?.findings.is_empty());
//! let mut set = TemplateSet::new();
//! set.add_text("templates.json", std::str::from_utf8(file).unwrap_or_default())?;
//! let mut options = preflight::Options::default();
//! options.templates = Some(Arc::new(Templates::new(set)));
//! let payload = br#"{"phone_number": "6281234567890", "message": {"type": "template",
//!   "template": {"template_code_id": "pengingat_tagihan", "payload": [{"position": "body",
//!   "parameters": [{"type": "text", "text": "Budi"}, {"type": "text", "text": "Rp 250.000"}]}]}}}"#;
//! let report = preflight::validate_with("oca/push-message", payload, &options)?;
//! assert_eq!(report.diagnostics[0].rule, "template-parameter-count");
//! assert!(report.diagnostics[0].message.contains("132000"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub use preflight_templates::{
    Button, ButtonKind, Card, Category, Header, HeaderFormat, Key, LoadError, Origin,
    ParameterFormat, Placeholder, Resolved, ShapeError, Status, Template, TemplateSet, Templates,
    Text, json_files,
};

use crate::engine::pipeline::{self, Checked};
use crate::engine::schema::registry::Registry;
use crate::{Endpoint, Error, Options, Position};

/// Checks a templates file's bytes: that it is JSON, fits the templates
/// file's schema, and breaks none of the template-file rules (duplicate
/// name and language, placeholders numbered 1..n, examples that fit).
/// Findings are positioned in the file, with masked snippets, ready for
/// [`crate::render`].
///
/// # Errors
/// Only if the embedded schemas are broken (a bug in preflight).
pub fn check_file(bytes: &[u8], options: &Options) -> Result<Checked, Error> {
    let endpoint = file_schema()?;
    pipeline::check_bytes(
        bytes,
        Some(endpoint),
        options,
        pipeline::Origin { offset: 0, line: 1 },
    )
}

/// The templates file's schema (`schemas/meta/message-templates.json`), as
/// an [`Endpoint`] whose id is `meta/message-templates`: what
/// [`check_file`] checks against, and what an editor can use for completion
/// in templates files ([`Endpoint::schema`], [`Endpoint::bundled_schema`]).
/// It is never one of [`crate::endpoints`]: no payload is sent to it.
///
/// ```
/// let schema = preflight::templates::file_schema()?;
/// assert_eq!(schema.id, "meta/message-templates");
/// assert!(preflight::endpoints()?.iter().all(|e| e.id != schema.id));
/// # Ok::<(), preflight::Error>(())
/// ```
///
/// # Errors
/// Only if the embedded schemas are broken (a bug in preflight).
pub fn file_schema() -> Result<&'static Endpoint, Error> {
    Registry::get()?
        .templates_file()
        .ok_or_else(|| Error::Schema {
            endpoint: "meta/message-templates".to_string(),
            reason: "the templates file schema is not embedded".to_string(),
        })
}

/// The line and column where the value at `pointer` starts in JSON `text`
/// (to point at a template of a file, say: its [`Origin::pointer`]).
///
/// ```
/// let text = "{\"data\": [\n  {\"name\": \"a\", \"language\": \"id\"}\n]}";
/// let at = preflight::templates::locate(text, "/data/0").expect("found");
/// assert_eq!((at.line, at.column), (2, 3));
/// ```
pub fn locate(text: &str, pointer: &str) -> Option<Position> {
    let tree = crate::engine::text::span::SpanTree::parse(text);
    let found = tree.locate(pointer)?;
    Some(crate::engine::text::span::LineIndex::new(text).position(text, found.value.start))
}
