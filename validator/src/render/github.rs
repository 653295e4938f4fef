//! `--format github`: GitHub Actions workflow commands, so findings show as
//! annotations on the pull request's diff.

use super::FileResult;
use crate::diagnostic::Severity;
use std::fmt::Write;

/// Escapes a message for a workflow command's data part.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command property value.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// One `::error …::message` line per finding.
pub fn render(files: &[FileResult]) -> String {
    let mut out = String::new();
    for f in files {
        for finding in &f.findings {
            let d = &finding.diagnostic;
            let command = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            let mut props = format!("file={}", escape_property(&f.path));
            if let Some(start) = d.start {
                let _ = write!(props, ",line={},col={}", start.line, start.column);
            }
            if let Some(end) = d.end {
                let _ = write!(props, ",endLine={},endColumn={}", end.line, end.column);
            }
            let _ = write!(
                props,
                ",title={}",
                escape_property(&format!("preflight {}", d.rule))
            );
            let mut message = d.message.clone();
            if let Some(help) = &d.help {
                message.push_str("\nhelp: ");
                message.push_str(help);
            }
            let _ = writeln!(out, "::{command} {props}::{}", escape_data(&message));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_per_spec() {
        assert_eq!(escape_data("50%\nnext"), "50%25%0Anext");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
