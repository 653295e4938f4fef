//! The one shape every finding takes, whoever found it: a JSON Schema keyword,
//! a preflight rule, or the parser.
//!
//! Findings are data. They name a place in the payload by JSON pointer (RFC 6901)
//! and, once the engine has resolved it, by byte span and 1-based line and
//! character column. Rendering them (text, JSON, SARIF, GitHub annotations) is
//! the job of [`crate::render`]; nothing here prints.

use serde::Serialize;
use std::fmt;
use std::ops::Range;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth a look; does not fail the run.
    Warning,
    /// The provider would reject the payload or the message would not arrive;
    /// fails the run (exit status 1).
    Error,
}

impl Severity {
    /// The lowercase name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whose rule a finding enforces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// The provider's own API doc states it.
    Provider,
    /// WhatsApp (Meta's platform) imposes it, whatever the provider's doc says.
    Platform,
}

impl Source {
    /// The lowercase name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Provider => "provider",
            Source::Platform => "platform",
        }
    }
}

/// A resolved position: 1-based line and 1-based column counted in characters
/// (Unicode scalar values), as editors show them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[non_exhaustive]
pub struct Position {
    /// 1-based line number in the file.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

impl Position {
    /// Line `line`, column `column` (both 1-based; columns count characters).
    pub fn new(line: usize, column: usize) -> Self {
        Position { line, column }
    }
}

/// One finding.
///
/// Serializes with the field names of `--format json`: `rule`, `severity`,
/// `pointer`, `line`, `column`, `end_line`, `end_column`, `message`, then
/// `help`, `note`, `source` and `related` when there is one (so
/// `insta::assert_json_snapshot!(report)` snapshots what users see).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Diagnostic {
    /// Kebab-case rule name: a JSON Schema keyword (`max-length`, `required`) or
    /// a preflight rule (`unfilled-placeholder`).
    pub rule: String,
    /// How bad it is (after any configured override).
    pub severity: Severity,
    /// RFC 6901 pointer into the payload. For a missing required field: the
    /// pointer the field would have.
    pub pointer: String,
    /// What is wrong, naming the field, the limit and the actual value (secrets
    /// are never echoed).
    pub message: String,
    /// What to do about it, when that is not obvious from the message.
    pub help: Option<String>,
    /// A longer note: why it matters, or a limit preflight cannot check offline.
    pub note: Option<String>,
    /// Whose rule it is, when known.
    pub source: Option<Source>,
    /// The schema keyword location that produced it, for schema findings.
    pub schema_pointer: Option<String>,
    /// Where inside a string value the problem is, in characters from the start
    /// of the decoded string (a bad item of a `;`-separated list, a malformed
    /// `:=:` segment). The engine maps it into the file.
    pub(crate) value_range: Option<Range<usize>>,
    /// Byte range in the file, filled in by the engine for payloads read from
    /// text. For a missing field: the parent object's opening brace.
    pub span: Option<Range<usize>>,
    /// Start of `span` as line and column.
    pub start: Option<Position>,
    /// End of `span` as line and column (exclusive).
    pub end: Option<Position>,
    /// The pointer of a missing field this finding explains (an unknown
    /// `templat_id` explains the missing `template_id`): the engine drops the
    /// `required` finding there, one mistake, one finding.
    pub(crate) explains_missing: Option<String>,
    /// The other places the finding involves (the earlier use of a button
    /// index, the macro that names a column): the finding points at the place
    /// to fix, these say what else to look at.
    pub related: Vec<Related>,
    /// A change that resolves the finding, when preflight knows it for sure
    /// (`preflight validate --fix`).
    pub fix: Option<Fix>,
}

/// A machine-applicable fix: edits to the payload's text, and whether it is
/// safe to apply without a look (it cannot change what the message means).
///
/// Serializes as `{"message", "applicability": "safe" | "unsafe", "edits":
/// [{"pointer", "line", "column", "end_line", "end_column", "replacement"}]}`;
/// the replacement of a secret value is never shown.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Fix {
    /// What the fix does, in a few words (`write the number as 6281234567890`).
    pub message: String,
    /// True when it cannot change what the message means (trimming an id);
    /// false when it might (http → https: the host may not serve https).
    pub safe: bool,
    /// The edits, which do not overlap.
    pub edits: Vec<Edit>,
}

/// One edit of a [`Fix`]: the text at a place replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Edit {
    /// The value (or key) the edit concerns.
    pub pointer: String,
    /// What the edit replaces.
    pub(crate) target: EditTarget,
    /// The text that replaces it in the file (JSON text: a value, a quoted
    /// key, or escaped characters inside a string), once resolved.
    pub replacement: String,
    /// The byte range replaced in the file, filled in by the engine.
    pub span: Option<Range<usize>>,
    /// Start of `span` as line and column.
    pub start: Option<Position>,
    /// End of `span` as line and column (exclusive).
    pub end: Option<Position>,
    /// The replacement is a secret (a recomputed signature): applied, never shown.
    pub(crate) secret: bool,
}

/// What an [`Edit`] replaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum EditTarget {
    /// The whole value at the pointer.
    Value,
    /// The key of the member at the pointer.
    Key,
    /// Characters of the string value at the pointer (decoded string).
    Chars(Range<usize>),
}

impl Fix {
    /// A safe fix of `edits`.
    pub(crate) fn safe(message: impl Into<String>, edits: Vec<Edit>) -> Self {
        Fix {
            message: message.into(),
            safe: true,
            edits,
        }
    }

    /// An unsafe fix of `edits`.
    pub(crate) fn unsafe_(message: impl Into<String>, edits: Vec<Edit>) -> Self {
        Fix {
            message: message.into(),
            safe: false,
            edits,
        }
    }
}

impl Edit {
    fn new(pointer: &str, target: EditTarget, replacement: String) -> Self {
        Edit {
            pointer: pointer.to_string(),
            target,
            replacement,
            span: None,
            start: None,
            end: None,
            secret: false,
        }
    }

    /// The value at `pointer` replaced by `value`.
    pub(crate) fn value(pointer: &str, value: &serde_json::Value) -> Self {
        Self::new(pointer, EditTarget::Value, value.to_string())
    }

    /// The key of the member at `pointer` renamed to `name`.
    pub(crate) fn key(pointer: &str, name: &str) -> Self {
        Self::new(
            pointer,
            EditTarget::Key,
            serde_json::Value::String(name.to_string()).to_string(),
        )
    }

    /// Characters `range` of the string at `pointer` replaced by `text`.
    pub(crate) fn chars(pointer: &str, range: Range<usize>, text: &str) -> Self {
        let quoted = serde_json::Value::String(text.to_string()).to_string();
        let inner = quoted
            .strip_prefix('"')
            .and_then(|q| q.strip_suffix('"'))
            .unwrap_or_default()
            .to_string();
        Self::new(pointer, EditTarget::Chars(range), inner)
    }

    /// Marks the replacement as a secret.
    pub(crate) fn secret(mut self) -> Self {
        self.secret = true;
        self
    }
}

/// What a secret replacement shows as.
const REDACTED: &str = "<redacted>";

impl Serialize for Fix {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = serializer.serialize_map(None)?;
        m.serialize_entry("message", &self.message)?;
        m.serialize_entry("applicability", if self.safe { "safe" } else { "unsafe" })?;
        m.serialize_entry("edits", &self.edits)?;
        m.end()
    }
}

impl Serialize for Edit {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = serializer.serialize_map(None)?;
        m.serialize_entry("pointer", &self.pointer)?;
        positions(&mut m, self.start, self.end)?;
        m.serialize_entry("replacement", self.shown())?;
        m.end()
    }
}

impl Edit {
    /// The replacement as output shows it (a secret's never).
    pub fn shown(&self) -> &str {
        if self.secret {
            REDACTED
        } else {
            &self.replacement
        }
    }
}

/// A secondary place of a finding: where the other half of the mistake is.
///
/// Serializes like a finding's own place: `pointer`, `line`, `column`,
/// `end_line`, `end_column` (when resolved), then `message`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Related {
    /// RFC 6901 pointer into the payload.
    pub pointer: String,
    /// What that place is (`first used here`, `the macro that names `Alamat``).
    pub message: String,
    /// Byte range in the file, filled in by the engine as the finding's own.
    pub span: Option<Range<usize>>,
    /// Start of `span` as line and column.
    pub start: Option<Position>,
    /// End of `span` as line and column (exclusive).
    pub end: Option<Position>,
}

impl Related {
    /// The place at `pointer`, described by `message`; positions unresolved.
    pub fn new(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Related {
            pointer: pointer.into(),
            message: message.into(),
            span: None,
            start: None,
            end: None,
        }
    }
}

/// `line`/`column` and `end_line`/`end_column`, as the JSON contract names a
/// finding's and a related place's positions.
fn positions<M: serde::ser::SerializeMap>(
    m: &mut M,
    start: Option<Position>,
    end: Option<Position>,
) -> Result<(), M::Error> {
    if let Some(start) = start {
        m.serialize_entry("line", &start.line)?;
        m.serialize_entry("column", &start.column)?;
    }
    if let Some(end) = end {
        m.serialize_entry("end_line", &end.line)?;
        m.serialize_entry("end_column", &end.column)?;
    }
    Ok(())
}

impl Serialize for Related {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = serializer.serialize_map(None)?;
        m.serialize_entry("pointer", &self.pointer)?;
        positions(&mut m, self.start, self.end)?;
        m.serialize_entry("message", &self.message)?;
        m.end()
    }
}

impl Diagnostic {
    /// A finding at `pointer` with the given rule, severity and message.
    pub fn new(
        rule: impl Into<String>,
        severity: Severity,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            rule: rule.into(),
            severity,
            pointer: pointer.into(),
            message: message.into(),
            help: None,
            note: None,
            source: None,
            schema_pointer: None,
            value_range: None,
            span: None,
            start: None,
            end: None,
            explains_missing: None,
            related: Vec::new(),
            fix: None,
        }
    }

    /// An error-severity finding.
    pub fn error(
        rule: impl Into<String>,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self::new(rule, Severity::Error, pointer, message)
    }

    /// A warning-severity finding.
    pub fn warning(
        rule: impl Into<String>,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self::new(rule, Severity::Warning, pointer, message)
    }

    /// Adds what to do.
    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a note.
    #[must_use]
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }

    /// Says whose rule this is.
    #[must_use]
    pub fn with_source(mut self, source: Source) -> Self {
        self.source = Some(source);
        self
    }

    /// Adds a related place: `pointer`, described by `message` (what that
    /// place is, e.g. `first used here`).
    #[must_use]
    pub fn with_related(mut self, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        self.related.push(Related::new(pointer, message));
        self
    }

    /// Adds a fix.
    #[must_use]
    pub(crate) fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }

    /// Narrows the finding to characters `range` of the string value.
    #[must_use]
    pub(crate) fn with_value_range(mut self, range: Range<usize>) -> Self {
        self.value_range = Some(range);
        self
    }
}

impl Serialize for Diagnostic {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = serializer.serialize_map(None)?;
        m.serialize_entry("rule", &self.rule)?;
        m.serialize_entry("severity", &self.severity)?;
        m.serialize_entry("pointer", &self.pointer)?;
        positions(&mut m, self.start, self.end)?;
        m.serialize_entry("message", &self.message)?;
        if let Some(help) = &self.help {
            m.serialize_entry("help", help)?;
        }
        if let Some(note) = &self.note {
            m.serialize_entry("note", note)?;
        }
        if let Some(source) = self.source {
            m.serialize_entry("source", &source)?;
        }
        if !self.related.is_empty() {
            m.serialize_entry("related", &self.related)?;
        }
        if let Some(fix) = &self.fix {
            m.serialize_entry("fix", fix)?;
        }
        m.end()
    }
}

/// Everything found in one payload. Serializes as `{"diagnostics": […]}`.
///
/// ```
/// let report = preflight::validate("chatbot/sendwa", br#"{"nohp": "6281234567890"}"#)?;
/// let json = serde_json::to_value(&report).unwrap();
/// assert_eq!(json["diagnostics"][0]["rule"], "required");
/// assert_eq!(json["diagnostics"][0]["pointer"], "/pesan");
/// # Ok::<(), preflight::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Report {
    /// Findings, sorted by position in the payload.
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    /// True when at least one finding is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }

    /// Number of error-severity findings.
    pub fn error_count(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// Number of warning-severity findings.
    pub fn warning_count(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count()
    }

    /// True when there is no finding at all.
    pub fn is_clean(&self) -> bool {
        self.diagnostics.is_empty()
    }
}
