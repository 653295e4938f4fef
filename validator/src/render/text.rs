//! `--format text`: findings the way a compiler prints them.
//!
//! ```text
//! error[max-length]: `ref_id` is 51 characters; Sandeza allows at most 50
//!   --> fixtures/sandeza/send/invoice.json:5:13
//!    |
//!  5 |   "ref_id": "inv-2026-11-000000000000000000000000000000000000001",
//!    |             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
//!    = help: shorten it by 1 characters
//! ```
//!
//! Columns and carets count characters, not bytes. Source lines arrive masked.
//! Colour only when asked (the CLI asks on a terminal without `NO_COLOR`).

use super::{FileResult, Summary};
use crate::diagnostic::Severity;
use std::fmt::Write;

const RED: &str = "\x1b[1;31m";
const YELLOW: &str = "\x1b[1;33m";
const BLUE: &str = "\x1b[1;34m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

struct Paint {
    on: bool,
}

impl Paint {
    fn wrap(&self, style: &str, text: &str) -> String {
        if self.on {
            format!("{style}{text}{RESET}")
        } else {
            text.to_string()
        }
    }
}

/// Renders a run; ends with a one-line summary.
pub fn render(files: &[FileResult], color: bool) -> String {
    let paint = Paint { on: color };
    let mut out = String::new();
    for f in files {
        for finding in &f.findings {
            let d = &finding.diagnostic;
            let (label, style) = match d.severity {
                Severity::Error => ("error", RED),
                Severity::Warning => ("warning", YELLOW),
            };
            let source = match d.source {
                Some(crate::Source::Platform) => " (WhatsApp platform limit)",
                _ => "",
            };
            let _ = writeln!(
                out,
                "{}{}",
                paint.wrap(style, &format!("{label}[{}]", d.rule)),
                paint.wrap(BOLD, &format!(": {}{source}", d.message))
            );
            let location = match d.start {
                Some(p) => format!("{}:{}:{}", f.path, p.line, p.column),
                None => f.path.clone(),
            };
            let gutter_width = d.start.map_or(1, |p| p.line.to_string().len());
            let pad = " ".repeat(gutter_width);
            let _ = writeln!(out, "{pad}{} {location}", paint.wrap(BLUE, "-->"));
            if !d.pointer.is_empty() {
                let _ = writeln!(out, "{pad} {} at {}", paint.wrap(BLUE, "="), d.pointer);
            }
            if let (Some(start), Some(line)) = (d.start, finding.line_text.as_ref()) {
                let end_col = match d.end {
                    Some(e) if e.line == start.line => e.column.max(start.column + 1),
                    Some(_) => line.chars().count().max(start.column) + 1,
                    None => start.column + 1,
                };
                let width = end_col.saturating_sub(start.column).max(1);
                let line_shown: String = line.replace('\t', " ");
                let _ = writeln!(out, "{pad} {}", paint.wrap(BLUE, "|"));
                let _ = writeln!(
                    out,
                    "{} {line_shown}",
                    paint.wrap(BLUE, &format!("{:>gutter_width$} |", start.line))
                );
                let _ = writeln!(
                    out,
                    "{pad} {} {}{}",
                    paint.wrap(BLUE, "|"),
                    " ".repeat(start.column.saturating_sub(1)),
                    paint.wrap(style, &"^".repeat(width.min(200)))
                );
            }
            if let Some(note) = &d.note {
                let _ = writeln!(out, "{pad} {} note: {note}", paint.wrap(BLUE, "="));
            }
            if let Some(help) = &d.help {
                let _ = writeln!(out, "{pad} {} help: {help}", paint.wrap(BLUE, "="));
            }
            out.push('\n');
        }
    }
    let s = Summary::of(files);
    let verdict = if s.errors > 0 {
        paint.wrap(RED, "failed")
    } else {
        paint.wrap(BOLD, "ok")
    };
    let _ = writeln!(
        out,
        "{verdict}: {} error{}, {} warning{} in {} file{} ({} payload{})",
        s.errors,
        plural(s.errors),
        s.warnings,
        plural(s.warnings),
        s.files,
        plural(s.files),
        s.payloads,
        plural(s.payloads)
    );
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
