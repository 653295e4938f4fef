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
//! A related place (the other half of a finding) follows the caret as a
//! second label, its line windowed, masked and escaped the same way:
//!
//! ```text
//!   ::: fixtures/sandeza/send/buttons.json:36:20
//!    |
//! 36 |           "index": 0,
//!    |                    - index 0 first used here
//! ```
//!
//! A file whose endpoint was detected from its payload's shape starts with
//! `path → endpoint (detected from the payload's shape)`.
//!
//! Columns count characters, not bytes. Source lines arrive masked and, when
//! long, as a window (`…` at a cut end). Control characters in any part of a
//! finding are printed as visible escapes (`\u{1b}`); the caret is drawn under
//! the escape, the column reported stays the character's. Colour only when
//! asked (the CLI asks on a terminal without `NO_COLOR`).

use super::escape::{escape_controls, push_escaped};
use super::{Finding, Sink, Summary};
use crate::diagnostic::Severity;
use std::io::{self, Write};

pub(super) const RED: &str = "\x1b[1;31m";
pub(super) const YELLOW: &str = "\x1b[1;33m";
const BLUE: &str = "\x1b[1;34m";
pub(super) const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

/// The most carets drawn under one finding.
const MAX_CARETS: usize = 200;

pub(super) struct Paint {
    pub(super) on: bool,
}

impl Paint {
    pub(super) fn wrap(&self, style: &str, text: &str) -> String {
        if self.on {
            format!("{style}{text}{RESET}")
        } else {
            text.to_string()
        }
    }
}

/// The text sink.
pub(super) struct Text {
    paint: Paint,
    /// The endpoints already said to be detected for the current file.
    announced: Vec<String>,
}

impl Text {
    pub(super) fn new(color: bool) -> Self {
        Text {
            paint: Paint { on: color },
            announced: Vec::new(),
        }
    }
}

impl Sink for Text {
    fn begin_file(&mut self, _: &mut dyn Write, _: &str, _: Option<&str>) -> io::Result<()> {
        self.announced.clear();
        Ok(())
    }

    fn detected(
        &mut self,
        out: &mut dyn Write,
        path: &str,
        endpoint: &str,
        line: Option<usize>,
    ) -> io::Result<()> {
        if self.announced.iter().any(|e| e == endpoint) {
            return Ok(());
        }
        self.announced.push(endpoint.to_string());
        let basis = match line {
            Some(n) => format!("detected from the shape of the payload on line {n}"),
            None => "detected from the payload's shape".to_string(),
        };
        writeln!(
            out,
            "{} {} {} ({basis})",
            escape_controls(path),
            self.paint.wrap(BLUE, "→"),
            self.paint.wrap(BOLD, &escape_controls(endpoint)),
        )
    }

    fn finding(&mut self, out: &mut dyn Write, path: &str, finding: &Finding) -> io::Result<()> {
        out.write_all(finding_text(&self.paint, path, finding).as_bytes())
    }

    fn end_file(&mut self, _: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }

    fn unreadable(&mut self, out: &mut dyn Write, path: &str, problem: &str) -> io::Result<()> {
        let p = &self.paint;
        writeln!(
            out,
            "{}{}\n",
            p.wrap(RED, "error"),
            p.wrap(
                BOLD,
                &format!(
                    ": cannot read {}: {}",
                    escape_controls(path),
                    escape_controls(problem)
                )
            )
        )
    }

    fn finish(&mut self, out: &mut dyn Write, s: &Summary) -> io::Result<()> {
        writeln!(out, "{}", summary_line(&self.paint, s))
    }
}

/// The last line of a report: `ok: …`, or `failed: …` when there are errors
/// or a path could not be read (the text and concise formats share it).
pub(super) fn summary_line(p: &Paint, s: &Summary) -> String {
    let mut counts = format!(
        "{} error{}, {} warning{} in {} file{} ({} payload{})",
        s.errors,
        plural(s.errors),
        s.warnings,
        plural(s.warnings),
        s.files,
        plural(s.files),
        s.payloads,
        plural(s.payloads)
    );
    if s.skipped > 0 {
        counts.push_str(&format!(
            "; {} file{} skipped (no endpoint mapped)",
            s.skipped,
            plural(s.skipped)
        ));
    }
    if s.suppressed > 0 {
        counts.push_str(&format!("; {} suppressed", s.suppressed));
    }
    if s.unreadable > 0 {
        format!(
            "{}: {} path{} could not be read; {counts}",
            p.wrap(RED, "failed"),
            s.unreadable,
            plural(s.unreadable)
        )
    } else if s.errors > 0 {
        format!("{}: {counts}", p.wrap(RED, "failed"))
    } else {
        format!("{}: {counts}", p.wrap(BOLD, "ok"))
    }
}

fn finding_text(paint: &Paint, path: &str, finding: &Finding) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
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
        paint.wrap(style, &format!("{label}[{}]", escape_controls(&d.rule))),
        paint.wrap(BOLD, &format!(": {}{source}", escape_controls(&d.message)))
    );
    let path = escape_controls(path);
    let location = match d.start {
        Some(p) => format!("{path}:{}:{}", p.line, p.column),
        None => path.to_string(),
    };
    let gutter_width = d
        .related
        .iter()
        .filter_map(|r| r.start)
        .chain(d.start)
        .map(|p| p.line.to_string().len())
        .max()
        .unwrap_or(1);
    let pad = " ".repeat(gutter_width);
    let _ = writeln!(out, "{pad}{} {location}", paint.wrap(BLUE, "-->"));
    if !d.pointer.is_empty() {
        let _ = writeln!(
            out,
            "{pad} {} at {}",
            paint.wrap(BLUE, "="),
            escape_controls(&d.pointer)
        );
    }
    if let (Some(start), Some(snippet)) = (d.start, finding.snippet.as_ref()) {
        let mark = Mark {
            start,
            end: d.end,
            underline: '^',
            style,
            label: None,
        };
        source_line(&mut out, paint, gutter_width, snippet, &mark);
    }
    for (i, r) in d.related.iter().enumerate() {
        let message = escape_controls(&r.message);
        let location = match r.start {
            Some(p) => format!("{path}:{}:{}", p.line, p.column),
            None => format!("{path} at {}", escape_controls(&r.pointer)),
        };
        match (r.start, finding.related.get(i).and_then(Option::as_ref)) {
            (Some(start), Some(snippet)) => {
                let _ = writeln!(out, "{pad}{} {location}", paint.wrap(BLUE, ":::"));
                let mark = Mark {
                    start,
                    end: r.end,
                    underline: '-',
                    style: BLUE,
                    label: Some(&message),
                };
                source_line(&mut out, paint, gutter_width, snippet, &mark);
            }
            _ => {
                let _ = writeln!(
                    out,
                    "{pad}{} {location}: {message}",
                    paint.wrap(BLUE, ":::")
                );
            }
        }
    }
    if let Some(note) = &d.note {
        let _ = writeln!(
            out,
            "{pad} {} note: {}",
            paint.wrap(BLUE, "="),
            escape_controls(note)
        );
    }
    if let Some(help) = &d.help {
        let _ = writeln!(
            out,
            "{pad} {} help: {}",
            paint.wrap(BLUE, "="),
            escape_controls(help)
        );
    }
    if let Some(fix) = &d.fix {
        let _ = writeln!(
            out,
            "{pad} {} fix: {} ({})",
            paint.wrap(BLUE, "="),
            escape_controls(&fix.message),
            if fix.safe {
                "safe: `preflight validate --fix`"
            } else {
                "unsafe: `preflight validate --fix --unsafe-fixes`"
            }
        );
    }
    out.push('\n');
    out
}

/// What to draw under a source line: the columns `start..end`, with which
/// character, in which style, and a label after the underline.
struct Mark<'a> {
    start: crate::Position,
    end: Option<crate::Position>,
    underline: char,
    style: &'static str,
    label: Option<&'a str>,
}

/// The gutter, the (masked, windowed) source line and the underline of `mark`.
fn source_line(
    out: &mut String,
    paint: &Paint,
    gutter_width: usize,
    snippet: &super::Snippet,
    mark: &Mark<'_>,
) {
    use std::fmt::Write as _;
    let pad = " ".repeat(gutter_width);
    let start = mark.start;
    let end_col = match mark.end {
        Some(e) if e.line == start.line => e.column.max(start.column + 1),
        Some(_) => usize::MAX,
        None => start.column + 1,
    };
    let covered = snippet.chars_of(start.column, end_col);
    let (shown, caret_at, caret_width) = draw(snippet, covered);
    let _ = writeln!(out, "{pad} {}", paint.wrap(BLUE, "|"));
    let _ = writeln!(
        out,
        "{} {shown}",
        paint.wrap(BLUE, &format!("{:>gutter_width$} |", start.line))
    );
    let underline: String =
        std::iter::repeat_n(mark.underline, caret_width.clamp(1, MAX_CARETS)).collect();
    let label = mark.label.map(|l| format!(" {l}")).unwrap_or_default();
    let _ = writeln!(
        out,
        "{pad} {} {}{}",
        paint.wrap(BLUE, "|"),
        " ".repeat(caret_at),
        paint.wrap(mark.style, &format!("{underline}{label}"))
    );
}

/// The snippet as printed (escaped, tabs as spaces, `…` at cut ends), and
/// the display column and width of the characters `covered`.
fn draw(snippet: &super::Snippet, covered: std::ops::Range<usize>) -> (String, usize, usize) {
    let mut shown = String::with_capacity(snippet.text.len() + 8);
    let mut width = 0;
    if snippet.cut_before {
        shown.push('…');
        width += 1;
    }
    let (mut caret_at, mut caret_end) = (None, None);
    for (i, c) in snippet.text.chars().enumerate() {
        if i == covered.start {
            caret_at = Some(width);
        }
        if i == covered.end {
            caret_end = Some(width);
        }
        width += if c == '\t' {
            shown.push(' ');
            1
        } else {
            push_escaped(&mut shown, c)
        };
    }
    let caret_at = caret_at.unwrap_or(width);
    let caret_end = caret_end.unwrap_or(width).max(caret_at);
    if snippet.cut_after {
        shown.push('…');
    }
    // A finding at the end of the line (a missing closing brace) gets one caret.
    (shown, caret_at, (caret_end - caret_at).max(1))
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use super::super::Snippet;
    use super::*;

    #[test]
    fn the_caret_shifts_under_an_escape_and_the_column_stays() {
        let snippet = Snippet {
            line: 1,
            text: "{\"nohp\": \"\u{1b}[2JX\"}".to_string(),
            first_column: 1,
            cut_before: false,
            cut_after: false,
        };
        // Column 12 is the `[` after ESC (column 11).
        let (shown, at, width) = draw(&snippet, snippet.chars_of(11, 12));
        assert_eq!(shown, "{\"nohp\": \"\\u{1b}[2JX\"}");
        assert_eq!(&shown[at..at + width], "\\u{1b}");
        let (_, at, _) = draw(&snippet, snippet.chars_of(12, 13));
        assert_eq!(&shown[at..at + 1], "[");
    }

    #[test]
    fn cut_ends_are_marked() {
        let snippet = Snippet {
            line: 1,
            text: "abc".to_string(),
            first_column: 50,
            cut_before: true,
            cut_after: true,
        };
        let (shown, at, width) = draw(&snippet, snippet.chars_of(51, 52));
        assert_eq!(shown, "…abc…");
        assert_eq!((at, width), (2, 1));
    }
}
