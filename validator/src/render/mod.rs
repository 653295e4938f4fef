//! Rendering findings: one module per output format, all reading the same
//! data, so every format agrees on positions and messages.
//!
//! Renderers print what they are given; they do not validate, resolve
//! positions or decide severities. Source lines reach them already masked
//! (secrets replaced), so no format can leak a secret.

use crate::diagnostic::{Diagnostic, Severity};

pub mod github;
pub mod json;
pub mod sarif;
pub mod text;

/// One finding with the source line it points at (masked).
#[derive(Debug, Clone)]
pub struct Finding {
    /// The finding.
    pub diagnostic: Diagnostic,
    /// The text of the line the finding starts on, with secrets masked.
    pub line_text: Option<String>,
}

/// Everything found in one input file (or stdin).
#[derive(Debug, Clone)]
pub struct FileResult {
    /// The path as given or found (`-` for stdin shows as `<stdin>`).
    pub path: String,
    /// The endpoint id the file was checked as, when one was chosen.
    pub endpoint: Option<String>,
    /// Payloads in the file (1, or the NDJSON line count).
    pub payloads: usize,
    /// Findings, in file order.
    pub findings: Vec<Finding>,
}

/// Totals over a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    /// Files read.
    pub files: usize,
    /// Payloads checked.
    pub payloads: usize,
    /// Error-severity findings.
    pub errors: usize,
    /// Warning-severity findings.
    pub warnings: usize,
}

impl Summary {
    /// Totals of `files`.
    pub fn of(files: &[FileResult]) -> Self {
        let mut s = Summary {
            files: files.len(),
            ..Summary::default()
        };
        for f in files {
            s.payloads += f.payloads;
            for finding in &f.findings {
                match finding.diagnostic.severity {
                    Severity::Error => s.errors += 1,
                    Severity::Warning => s.warnings += 1,
                }
            }
        }
        s
    }
}

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Compiler-style text.
    Text,
    /// One JSON document (the contract in DESIGN.md).
    Json,
    /// SARIF 2.1.0 for code scanning.
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
}

/// Renders a whole run.
pub fn render(format: Format, files: &[FileResult], color: bool) -> String {
    match format {
        Format::Text => text::render(files, color),
        Format::Json => json::render(files),
        Format::Sarif => sarif::render(files),
        Format::Github => github::render(files),
    }
}
