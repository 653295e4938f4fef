//! `--format github`: GitHub Actions workflow commands, so findings show as
//! annotations on the pull request's diff. The log viewer interprets terminal
//! escapes, so control characters are escaped before the commands' own
//! escaping.

use super::escape::escape_controls;
use super::{Finding, Sink, Summary};
use crate::diagnostic::Severity;
use std::io::{self, Write};

/// Escapes a message for a workflow command's data part.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command property value.
fn escape_property(s: &str) -> String {
    escape_data(&escape_controls(s))
        .replace(':', "%3A")
        .replace(',', "%2C")
}

/// The GitHub sink: one `::error …::message` line per finding.
pub(super) struct Github;

impl Sink for Github {
    fn begin_file(&mut self, _: &mut dyn Write, _: &str, _: Option<&str>) -> io::Result<()> {
        Ok(())
    }

    fn finding(&mut self, out: &mut dyn Write, path: &str, finding: &Finding) -> io::Result<()> {
        let d = &finding.diagnostic;
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut props = format!("file={}", escape_property(path));
        if let Some(start) = d.start {
            props.push_str(&format!(",line={},col={}", start.line, start.column));
        }
        if let Some(end) = d.end {
            props.push_str(&format!(",endLine={},endColumn={}", end.line, end.column));
        }
        props.push_str(&format!(
            ",title={}",
            escape_property(&format!("preflight {}", d.rule))
        ));
        let mut message = escape_controls(&d.message).into_owned();
        for r in &d.related {
            match r.start {
                Some(at) => message.push_str(&format!(
                    " ({}: line {})",
                    escape_controls(&r.message),
                    at.line
                )),
                None => message.push_str(&format!(
                    " ({}: {})",
                    escape_controls(&r.message),
                    escape_controls(&r.pointer)
                )),
            }
        }
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(&escape_controls(help));
        }
        writeln!(out, "::{command} {props}::{}", escape_data(&message))
    }

    fn end_file(&mut self, _: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }

    fn unreadable(&mut self, out: &mut dyn Write, path: &str, problem: &str) -> io::Result<()> {
        writeln!(
            out,
            "::error file={},title=preflight unreadable path::{}",
            escape_property(path),
            escape_data(&format!(
                "cannot read {}: {}",
                escape_controls(path),
                escape_controls(problem)
            ))
        )
    }

    fn finish(&mut self, _: &mut dyn Write, _: &Summary) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_per_spec() {
        assert_eq!(escape_data("50%\nnext"), "50%25%0Anext");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
        assert_eq!(escape_property("a\u{1b}b"), "a\\u{1b}b");
    }
}
