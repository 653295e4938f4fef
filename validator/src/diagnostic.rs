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
pub struct Position {
    /// 1-based line number in the file.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq)]
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
    pub value_range: Option<Range<usize>>,
    /// Byte range in the file, filled in by the engine for payloads read from
    /// text. For a missing field: the parent object's opening brace.
    pub span: Option<Range<usize>>,
    /// Start of `span` as line and column.
    pub start: Option<Position>,
    /// End of `span` as line and column (exclusive).
    pub end: Option<Position>,
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

    /// Narrows the finding to characters `range` of the string value.
    #[must_use]
    pub fn with_value_range(mut self, range: Range<usize>) -> Self {
        self.value_range = Some(range);
        self
    }
}

/// Everything found in one payload.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
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
