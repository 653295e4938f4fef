//! `--format concise`: one line per finding, for editors' problem matchers
//! and for grep:
//!
//! ```text
//! fixtures/oca/push-message/bad.json:5:7: error[additional-properties] unknown field `langauge` in `message.template`; OCA does not accept it
//! no/such.json:1:1: error[unreadable] cannot read: no such file or directory
//! failed: 1 path could not be read; 1 error, 0 warnings in 1 file (1 payload)
//! ```
//!
//! A finding with no position is at line 1, column 1, so every line matches
//! `^(.+):(\d+):(\d+): (error|warning)\[([a-z0-9-]+)\] (.*)$`. As ruff's
//! concise format, the run's summary is the last line, on standard output
//! (it matches no finding's pattern). Only the message is printed: no source
//! line, help or related place (the text format has them). Messages arrive
//! with secrets masked; control characters, line breaks included, are
//! written as visible escapes, so a finding never spans two lines.

use super::escape::escape_controls;
use super::text::{BOLD, Paint, RED, YELLOW, summary_line};
use super::{Finding, Sink, Summary};
use crate::diagnostic::Severity;
use std::io::{self, Write};

/// The concise sink.
pub(super) struct Concise {
    paint: Paint,
}

impl Concise {
    pub(super) fn new(color: bool) -> Self {
        Concise {
            paint: Paint { on: color },
        }
    }

    fn line(
        &self,
        out: &mut dyn Write,
        path: &str,
        (line, column): (usize, usize),
        severity: Severity,
        rule: &str,
        message: &str,
    ) -> io::Result<()> {
        let (label, style) = match severity {
            Severity::Error => ("error", RED),
            Severity::Warning => ("warning", YELLOW),
        };
        writeln!(
            out,
            "{}:{line}:{column}: {} {}",
            self.paint.wrap(BOLD, &escape_controls(path)),
            self.paint
                .wrap(style, &format!("{label}[{}]", escape_controls(rule))),
            escape_controls(message)
        )
    }
}

impl Sink for Concise {
    fn begin_file(&mut self, _: &mut dyn Write, _: &str, _: Option<&str>) -> io::Result<()> {
        Ok(())
    }

    fn finding(&mut self, out: &mut dyn Write, path: &str, finding: &Finding) -> io::Result<()> {
        let d = &finding.diagnostic;
        let at = d.start.map_or((1, 1), |p| (p.line, p.column.max(1)));
        self.line(out, path, at, d.severity, &d.rule, &d.message)
    }

    fn end_file(&mut self, _: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }

    fn unreadable(&mut self, out: &mut dyn Write, path: &str, problem: &str) -> io::Result<()> {
        self.line(
            out,
            path,
            (1, 1),
            Severity::Error,
            "unreadable",
            &format!("cannot read: {problem}"),
        )
    }

    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        writeln!(out, "{}", summary_line(&self.paint, summary))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::super::{FileResult, Format, render};
    use super::*;
    use crate::{Diagnostic, Position};

    fn file(d: Diagnostic) -> Vec<FileResult> {
        vec![FileResult {
            path: "dir/a\u{1b}[2J.json".into(),
            endpoint: None,
            payloads: 1,
            findings: vec![Finding {
                diagnostic: d,
                snippet: None,
                related: Vec::new(),
            }],
        }]
    }

    #[test]
    fn one_line_per_finding_even_for_a_multi_line_message() {
        let mut d = Diagnostic::warning("max-length", "/ref_id", "first\nsecond\r\nthird");
        d.start = Some(Position::new(3, 15));
        let shown = render(Format::Concise, &file(d), false);
        let lines: Vec<&str> = shown.lines().collect();
        assert_eq!(
            lines,
            [
                "dir/a\\u{1b}[2J.json:3:15: warning[max-length] first\\u{a}second\\u{d}\\u{a}third",
                "ok: 0 errors, 1 warning in 1 file (1 payload)",
            ]
        );
    }

    #[test]
    fn a_finding_with_no_position_is_at_line_1_column_1() {
        let d = Diagnostic::error("parse-error", "", "not JSON");
        let shown = render(Format::Concise, &file(d), false);
        assert!(
            shown.starts_with("dir/a\\u{1b}[2J.json:1:1: error[parse-error] not JSON\n"),
            "{shown}"
        );
        assert!(shown.ends_with("failed: 1 error, 0 warnings in 1 file (1 payload)\n"));
    }
}
