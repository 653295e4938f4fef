//! Rendering findings: one module per output format, all reading the same
//! data, so every format agrees on positions and messages.
//!
//! Reports stream: a [`Renderer`] writes each file's findings as they are
//! handed to it (the JSON document and the SARIF log incrementally, the
//! summary last), and keeps only counts, so a run whose every payload fails
//! runs in flat memory. [`render`] renders finished [`FileResult`]s in one go.
//!
//! Renderers print what they are given; they do not validate, resolve
//! positions or decide severities. Source text reaches them as a masked
//! [`Snippet`] (secrets replaced), so no format can leak a secret, and every
//! human-readable format escapes control characters ([`escape_controls`]).

use crate::diagnostic::{Diagnostic, Severity};
use crate::engine::text::secrets::{self, SecretMask};
use std::collections::HashMap;
use std::io::{self, Write};
use std::ops::Range;
use std::path::PathBuf;

mod concise;
mod escape;
mod github;
mod json;
mod sarif;
mod text;

pub use escape::{escape_controls, is_unsafe};

/// The JSON Schema (draft 2020-12) of the document [`Format::Json`] prints,
/// as shipped in `schemas/output/report.json` (`preflight schema --output`
/// prints it). Fields are only ever added to the top level and the file
/// entries; findings, fixes, related places and the summary are closed.
///
/// ```
/// let schema: serde_json::Value = serde_json::from_str(preflight::render::JSON_REPORT_SCHEMA)?;
/// assert!(schema["$defs"]["diagnostic"]["required"].as_array().is_some_and(|r| r.len() == 4));
/// # Ok::<(), serde_json::Error>(())
/// ```
pub const JSON_REPORT_SCHEMA: &str = crate::engine::schema::documents::REPORT_SCHEMA;

/// One finding with the part of the source line it points at.
#[derive(Debug, Clone)]
pub struct Finding {
    /// The finding.
    pub diagnostic: Diagnostic,
    /// The source around the finding's start, secrets masked.
    pub snippet: Option<Snippet>,
    /// The source around each related place's start
    /// ([`Diagnostic::related`], same order), masked the same way.
    pub related: Vec<Option<Snippet>>,
}

impl Finding {
    /// A finding of a payload whose text is `text` (as [`crate::validate`]
    /// returns them), with the snippet of the line it starts on. Secrets in
    /// the text are masked: values of secret-named keys when the text parses,
    /// everything after a secret-looking key when it does not.
    ///
    /// ```
    /// use preflight::render::{self, FileResult, Finding, Format};
    ///
    /// let text = r#"{"nohp": "0812 3456 7890", "pesan": "Halo"}"#;
    /// let report = preflight::validate("chatbot/sendwa", text.as_bytes())?;
    /// let findings = report.diagnostics.into_iter().map(|d| Finding::new(d, text)).collect();
    /// let file = FileResult { path: "a.json".into(), endpoint: Some("chatbot/sendwa".into()), payloads: 1, findings };
    /// let shown = render::render(Format::Text, &[file], false);
    /// assert!(shown.contains("--> a.json:1:11") && shown.contains("\"0812 3456 7890\""));
    /// # Ok::<(), preflight::Error>(())
    /// ```
    pub fn new(diagnostic: Diagnostic, text: &str) -> Finding {
        let positioned =
            diagnostic.span.is_some() || diagnostic.related.iter().any(|r| r.span.is_some());
        let (index, mask) = if positioned {
            (
                crate::engine::text::span::LineIndex::new(text),
                crate::engine::pipeline::mask_of(text),
            )
        } else {
            (
                crate::engine::text::span::LineIndex::new(""),
                SecretMask::default(),
            )
        };
        let snippet = |start: Option<crate::Position>, span: Option<&Range<usize>>| {
            let (start, span) = (start?, span?);
            Some(Snippet::around(
                index.line_text(text, start.line),
                index.line_start(start.line),
                start.line,
                span.start,
                start.column,
                &mask,
            ))
        };
        let related = diagnostic
            .related
            .iter()
            .map(|r| snippet(r.start, r.span.as_ref()))
            .collect();
        Finding {
            snippet: snippet(diagnostic.start, diagnostic.span.as_ref()),
            related,
            diagnostic,
        }
    }
}

/// Characters of context a snippet keeps before a finding's start.
const CONTEXT_BEFORE: usize = 60;
/// The most characters a snippet shows.
const WINDOW: usize = 240;

/// The part of one source line that a finding points at: the whole line when
/// it is short, else a window of at most 240 characters around the finding's
/// start, with secrets masked. Columns stay those of the original line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    /// 1-based line number.
    pub line: usize,
    /// The masked text (raw characters: renderers escape controls).
    pub text: String,
    /// 1-based column, in the original line, of the first character of `text`.
    pub first_column: usize,
    /// Characters of the line were left out before `text`.
    pub cut_before: bool,
    /// Characters of the line were left out after `text`.
    pub cut_after: bool,
}

impl Snippet {
    /// The snippet of `line_text` (line `line`, starting at byte `line_start`
    /// of the text `mask` was made for) for a finding whose span starts at byte
    /// `at` (same coordinates) in character column `column`. Costs the
    /// window's length, not the line's.
    pub(crate) fn around(
        line_text: &str,
        line_start: usize,
        line: usize,
        at: usize,
        column: usize,
        mask: &SecretMask,
    ) -> Snippet {
        let whole = line_text.len() <= WINDOW;
        let (from, to) = if whole {
            (0, line_text.len())
        } else {
            let s = floor_boundary(
                line_text,
                at.saturating_sub(line_start).min(line_text.len()),
            );
            let from = line_text[..s]
                .char_indices()
                .rev()
                .take(CONTEXT_BEFORE)
                .last()
                .map_or(s, |(i, _)| i);
            let to = line_text[from..]
                .char_indices()
                .nth(WINDOW)
                .map_or(line_text.len(), |(i, _)| from + i);
            (from, to)
        };
        let window = &line_text[from..to];
        let mut text = mask.apply(line_start + from, window);
        if from == 0 {
            // The quote-aware guard needs the line from its start.
            text = secrets::mask_line(&text);
        }
        let first_column = if whole {
            1
        } else {
            let s = at.saturating_sub(line_start).clamp(from, line_text.len());
            let back = line_text[from..floor_boundary(line_text, s)]
                .chars()
                .count();
            column.saturating_sub(back).max(1)
        };
        Snippet {
            line,
            text,
            first_column,
            cut_before: from > 0,
            cut_after: to < line_text.len(),
        }
    }

    /// The 0-based character range of `text` that columns `start..end` of the
    /// original line cover (clipped to the window).
    pub(crate) fn chars_of(&self, start: usize, end: usize) -> Range<usize> {
        let len = self.text.chars().count();
        let s = start.saturating_sub(self.first_column).min(len);
        let e = end.saturating_sub(self.first_column).clamp(s, len);
        s..e
    }
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
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
    /// Paths that could not be read (missing, unreadable, not walkable);
    /// absent from the JSON when 0.
    #[serde(skip_serializing_if = "is_zero")]
    pub unreadable: usize,
    /// Files left out on purpose (`--only-mapped`: no endpoint mapped to
    /// them); absent from the JSON when 0.
    #[serde(skip_serializing_if = "is_zero")]
    pub skipped: usize,
    /// Findings not reported because an `[[ignore]]` of the config
    /// suppressed them; absent from the JSON when 0.
    #[serde(skip_serializing_if = "is_zero")]
    pub suppressed: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
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
                s.count(&finding.diagnostic);
            }
        }
        s
    }

    fn count(&mut self, d: &Diagnostic) {
        match d.severity {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
        }
    }

    /// True when the run could not check everything it was asked to.
    pub fn incomplete(&self) -> bool {
        self.unreadable > 0
    }
}

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Compiler-style text.
    Text,
    /// One JSON document (`{"files": […], "summary": {…}}`).
    Json,
    /// SARIF 2.1.0 for code scanning.
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// One line per finding, `path:line:column: severity[rule] message`, for
    /// editors and grep.
    Concise,
}

/// What each format does with the stream of a run.
trait Sink {
    fn begin_file(
        &mut self,
        out: &mut dyn Write,
        path: &str,
        endpoint: Option<&str>,
    ) -> io::Result<()>;
    fn finding(&mut self, out: &mut dyn Write, path: &str, finding: &Finding) -> io::Result<()>;
    fn end_file(&mut self, out: &mut dyn Write) -> io::Result<()>;
    /// The current file's endpoint came from its payload's shape (on `line`
    /// of an NDJSON file); only the text format says so.
    fn detected(
        &mut self,
        _out: &mut dyn Write,
        _path: &str,
        _endpoint: &str,
        _line: Option<usize>,
    ) -> io::Result<()> {
        Ok(())
    }
    fn unreadable(&mut self, out: &mut dyn Write, path: &str, problem: &str) -> io::Result<()>;
    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()>;
}

/// Masks a parsed payload in place as [`masked_text`] masks its text: every
/// value below a key that names a secret (`signature`, `secretkey`,
/// `password`, `webhookkey`, …) is hidden whole: each string, number and
/// boolean in it becomes a string of `•`s, one per character. For
/// recording a payload already parsed without printing it and parsing it
/// again.
///
/// ```
/// let mut payload = serde_json::json!({"username": "tokobaju", "signature": "1f2a8b25",
///                                      "auth": {"token": "abc"}, "password": 4821, "time": "1764135118"});
/// preflight::render::mask_value(&mut payload);
/// assert_eq!(payload["signature"], "••••••••");
/// assert_eq!(payload["auth"]["token"], "•••");
/// assert_eq!(payload["password"], "••••");
/// assert_eq!(payload["time"], "1764135118");
/// ```
pub fn mask_value(value: &mut serde_json::Value) {
    use serde_json::Value;
    fn every_string(value: &mut Value) {
        match value {
            Value::String(s) => *s = crate::engine::text::secrets::mask(s),
            Value::Number(_) | Value::Bool(_) => {
                *value = Value::String(crate::engine::text::secrets::mask(&value.to_string()));
            }
            Value::Array(items) => items.iter_mut().for_each(every_string),
            Value::Object(fields) => fields.values_mut().for_each(every_string),
            Value::Null => {}
        }
    }
    match value {
        Value::Object(fields) => {
            for (key, value) in fields.iter_mut() {
                if crate::engine::text::secrets::is_secret_key(key) {
                    every_string(value);
                } else {
                    mask_value(value);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(mask_value),
        _ => {}
    }
}

/// True when a field, header or config key name looks like it holds a
/// secret (`signature`, `password`, `Qiscus-Secret-Key`, `webhookkey`,
/// tokens, and names one typo away): the test every mask of preflight's uses.
///
/// ```
/// assert!(preflight::render::is_secret_name("Qiscus-Secret-Key"));
/// assert!(preflight::render::is_secret_name("signatur"));
/// assert!(!preflight::render::is_secret_name("template_id"));
/// ```
pub fn is_secret_name(name: &str) -> bool {
    crate::engine::text::secrets::is_secret_key(name)
}

/// `text` (a payload's JSON, or NDJSON lines when `ndjson`) as it may be
/// printed: the values of secret fields replaced by `•` (the whole value
/// after a secret-looking key where the text does not parse) and terminal
/// control characters escaped, line endings kept. For echoing a payload's
/// text outside a finding, such as `preflight validate --diff`.
///
/// ```
/// let text = "{\"signature\": \"1f2a8b25\", \"time\": \"1764135118\"}\n";
/// let shown = preflight::render::masked_text(text, false);
/// assert!(!shown.contains("1f2a8b25") && shown.contains("1764135118"));
/// ```
pub fn masked_text(text: &str, ndjson: bool) -> String {
    let pieces: Vec<&str> = if ndjson {
        text.split_inclusive('\n').collect()
    } else {
        vec![text]
    };
    let mut out = String::with_capacity(text.len());
    for piece in pieces {
        let masked = crate::engine::pipeline::mask_of(piece).apply(0, piece);
        for line in masked.split_inclusive('\n') {
            let body = line.trim_end_matches(['\n', '\r']);
            out.push_str(&escape_controls(body));
            out.push_str(&line[body.len()..]);
        }
    }
    out
}

/// Writes a run's report as it is produced, in one format.
///
/// Call [`Renderer::begin_file`], then [`Renderer::finding`] for each of the
/// file's findings (sorted per payload) and [`Renderer::payloads`] for its
/// payload count, for each file in order; [`Renderer::unreadable`] for a path
/// that could not be read; and [`Renderer::finish`] once, last.
pub struct Renderer<W: Write> {
    out: W,
    sink: Box<dyn Sink>,
    summary: Summary,
    current: Option<String>,
    quiet: bool,
    format: Format,
    color: bool,
    settings: Settings,
}

/// What a renderer knows of the run beyond its findings (only SARIF uses it).
#[derive(Debug, Clone, Default)]
pub(crate) struct Settings {
    /// Where paths are made relative to, for SARIF's `%SRCROOT%`.
    pub(crate) base: Option<Base>,
    /// The run's configured rule levels.
    pub(crate) levels: HashMap<String, crate::Level>,
}

/// The root paths are relative to and the directory relative paths given to
/// the renderer are relative to.
#[derive(Debug, Clone)]
pub(crate) struct Base {
    /// The absolute root (a repository's top level).
    pub(crate) root: PathBuf,
    /// The absolute directory the run's relative paths start from.
    pub(crate) cwd: PathBuf,
}

fn sink_of(format: Format, color: bool, settings: &Settings) -> Box<dyn Sink> {
    match format {
        Format::Text => Box::new(text::Text::new(color)),
        Format::Json => Box::new(json::Json::default()),
        Format::Sarif => Box::new(sarif::Sarif::new(settings)),
        Format::Github => Box::new(github::Github),
        Format::Concise => Box::new(concise::Concise::new(color)),
    }
}

impl<W: Write> Renderer<W> {
    /// A renderer writing `format` to `out`; `color` for text and concise
    /// output on a terminal.
    pub fn new(format: Format, color: bool, out: W) -> Self {
        let settings = Settings::default();
        Renderer {
            out,
            sink: sink_of(format, color, &settings),
            summary: Summary::default(),
            current: None,
            quiet: false,
            format,
            color,
            settings,
        }
    }

    /// Errors only: warnings are counted but not written, and the text and
    /// concise formats print no summary line unless some path could not be
    /// read.
    #[must_use]
    pub fn quiet(mut self, quiet: bool) -> Self {
        self.quiet = quiet;
        self
    }

    /// Paths in the report are made relative to `root` (an absolute
    /// directory, such as the repository's top level); the relative paths
    /// handed to the renderer are taken as relative to `cwd` (absolute).
    /// SARIF writes them as percent-encoded URIs under the base id
    /// `%SRCROOT%` (`run.originalUriBaseIds` says where it is), and a path
    /// outside `root` as an absolute `file://` URI. The other formats print
    /// paths as given. Call before anything is written.
    ///
    /// ```
    /// use preflight::render::{Format, Renderer};
    ///
    /// let mut out = Vec::new();
    /// let mut r = Renderer::new(Format::Sarif, false, &mut out).with_base("/repo", "/repo/app");
    /// r.unreadable("fixtures/a b.json", "no such file or directory")?;
    /// r.finish()?;
    /// let log: serde_json::Value = serde_json::from_slice(&out).unwrap();
    /// let run = &log["runs"][0];
    /// assert_eq!(run["originalUriBaseIds"]["%SRCROOT%"]["uri"], "file:///repo/");
    /// let location = &run["invocations"][0]["toolExecutionNotifications"][0]["locations"][0];
    /// let artifact = &location["physicalLocation"]["artifactLocation"];
    /// assert_eq!(artifact["uri"], "app/fixtures/a%20b.json");
    /// assert_eq!(artifact["uriBaseId"], "%SRCROOT%");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn with_base(mut self, root: impl Into<PathBuf>, cwd: impl Into<PathBuf>) -> Self {
        self.settings.base = Some(Base {
            root: root.into(),
            cwd: cwd.into(),
        });
        self.sink = sink_of(self.format, self.color, &self.settings);
        self
    }

    /// The rule levels the run was configured with ([`crate::Options`]'s
    /// `levels`): SARIF's rule descriptors carry them as their
    /// `defaultConfiguration` (`off`: level `none`, not enabled). Findings
    /// already carry their configured severity. Call before anything is
    /// written.
    pub fn with_levels(mut self, levels: &HashMap<String, crate::Level>) -> Self {
        self.settings.levels = levels.clone();
        self.sink = sink_of(self.format, self.color, &self.settings);
        self
    }

    /// Starts the report of one file (ending the previous one).
    ///
    /// # Errors
    /// Writing to the output failed.
    pub fn begin_file(&mut self, path: &str, endpoint: Option<&str>) -> io::Result<()> {
        self.end_file()?;
        self.summary.files += 1;
        self.current = Some(path.to_string());
        self.sink.begin_file(&mut self.out, path, endpoint)
    }

    /// One finding of the current file.
    ///
    /// # Errors
    /// Writing to the output failed.
    pub fn finding(&mut self, finding: &Finding) -> io::Result<()> {
        self.summary.count(&finding.diagnostic);
        if self.quiet && finding.diagnostic.severity == Severity::Warning {
            return Ok(());
        }
        let path = self.current.as_deref().unwrap_or("");
        self.sink.finding(&mut self.out, path, finding)
    }

    /// Says that the current file was checked as `endpoint` because of its
    /// payload's shape (the payload on `line`, for an NDJSON file) rather than
    /// a flag, the config file or its path. The text format prints it once
    /// per file and endpoint, before the file's findings; the other formats
    /// carry the endpoint in their own fields.
    ///
    /// # Errors
    /// Writing to the output failed.
    pub fn detected(&mut self, endpoint: &str, line: Option<usize>) -> io::Result<()> {
        let path = self.current.as_deref().unwrap_or("");
        self.sink.detected(&mut self.out, path, endpoint, line)
    }

    /// Adds `n` to the files left out on purpose.
    pub fn skipped(&mut self, n: usize) {
        self.summary.skipped += n;
    }

    /// Adds `n` to the findings suppressed by the config.
    pub fn suppressed(&mut self, n: usize) {
        self.summary.suppressed += n;
    }

    /// Adds `n` to the payloads checked.
    pub fn payloads(&mut self, n: usize) {
        self.summary.payloads += n;
    }

    /// A path that could not be read, with what went wrong.
    ///
    /// # Errors
    /// Writing to the output failed.
    pub fn unreadable(&mut self, path: &str, problem: &str) -> io::Result<()> {
        self.end_file()?;
        self.summary.unreadable += 1;
        self.sink.unreadable(&mut self.out, path, problem)
    }

    /// The counts so far.
    pub fn summary(&self) -> Summary {
        self.summary
    }

    /// Ends the report (the summary, the closing of the document) and returns
    /// the totals.
    ///
    /// # Errors
    /// Writing to the output failed.
    pub fn finish(mut self) -> io::Result<Summary> {
        self.end_file()?;
        let summary = self.summary;
        if !(self.quiet
            && matches!(self.format, Format::Text | Format::Concise)
            && !summary.incomplete())
        {
            self.sink.finish(&mut self.out, &summary)?;
        }
        self.out.flush()?;
        Ok(summary)
    }

    fn end_file(&mut self) -> io::Result<()> {
        if self.current.take().is_some() {
            self.sink.end_file(&mut self.out)?;
        }
        Ok(())
    }
}

/// Renders finished results in one go (tests, tools embedding preflight).
pub fn render(format: Format, files: &[FileResult], color: bool) -> String {
    let mut out = Vec::new();
    let mut r = Renderer::new(format, color, &mut out);
    // Writing into memory cannot fail.
    let _ = (|| -> io::Result<()> {
        for f in files {
            r.begin_file(&f.path, f.endpoint.as_deref())?;
            r.payloads(f.payloads);
            for finding in &f.findings {
                r.finding(finding)?;
            }
        }
        r.finish().map(|_| ())
    })();
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    #[test]
    fn a_long_line_is_shown_as_a_window_with_true_columns() {
        let line = format!("{{\"a\": \"{}\", \"nohp\": \"0812 x\"}}", "é".repeat(5000));
        let at = line.find("\"0812").unwrap();
        let column = line[..at].chars().count() + 1;
        let s = Snippet::around(&line, 0, 1, at, column, &SecretMask::default());
        assert!(s.cut_before);
        assert!(!s.cut_after);
        assert!(s.text.chars().count() <= WINDOW);
        let r = s.chars_of(column, column + 8);
        let shown: String = s.text.chars().skip(r.start).take(r.len()).collect();
        assert_eq!(shown, "\"0812 x\"");
    }

    /// A finding at the first `at` of `text` with a related place at the
    /// first `related` after it, positioned as the engine positions them.
    fn with_related(text: &str, at: &str, related: &str) -> Finding {
        let index = crate::engine::text::span::LineIndex::new(text);
        let place = |needle: &str, from: usize| {
            let start = from + text[from..].find(needle).unwrap();
            let end = start + needle.len();
            (
                start..end,
                index.position(text, start),
                index.position(text, end),
            )
        };
        let (span, start, end) = place(at, 0);
        let (rspan, rstart, rend) = place(related, 0);
        let mut d = Diagnostic::error("duplicate-key", "/ref_id", "`ref_id` appears twice")
            .with_related("/ref_id", "first occurrence");
        (d.span, d.start, d.end) = (Some(span), Some(start), Some(end));
        let r = &mut d.related[0];
        (r.span, r.start, r.end) = (Some(rspan), Some(rstart), Some(rend));
        Finding::new(d, text)
    }

    fn file(finding: Finding) -> Vec<FileResult> {
        vec![FileResult {
            path: "f.json".into(),
            endpoint: Some("chatbot/sendwa".into()),
            payloads: 1,
            findings: vec![finding],
        }]
    }

    #[test]
    fn every_format_carries_the_related_place() {
        let text = "{\n  \"ref_id\": \"B\",\n  \"pesan\": \"x\",\n  \"ref_id\": \"A\"\n}";
        let files = file(with_related(text, "\"ref_id\": \"A\"", "\"ref_id\": \"B\""));
        let shown = render(Format::Text, &files, false);
        assert!(
            shown.contains(
                " ::: f.json:2:3\n  |\n2 |   \"ref_id\": \"B\",\n  |   ------------- first occurrence\n"
            ),
            "{shown}"
        );
        // The related label comes after the primary caret.
        assert!(
            shown.find("^^^").unwrap() < shown.find(":::").unwrap(),
            "{shown}"
        );
        let json: serde_json::Value =
            serde_json::from_str(&render(Format::Json, &files, false)).unwrap();
        let related = &json["files"][0]["diagnostics"][0]["related"];
        assert_eq!(
            related,
            &serde_json::json!([{"pointer": "/ref_id", "line": 2, "column": 3,
                "end_line": 2, "end_column": 16, "message": "first occurrence"}])
        );
        let sarif: serde_json::Value =
            serde_json::from_str(&render(Format::Sarif, &files, false)).unwrap();
        let loc = &sarif["runs"][0]["results"][0]["relatedLocations"][0];
        assert_eq!(loc["id"], 0);
        assert_eq!(loc["message"]["text"], "first occurrence");
        assert_eq!(loc["physicalLocation"]["artifactLocation"]["uri"], "f.json");
        assert_eq!(loc["physicalLocation"]["region"]["startLine"], 2);
        assert_eq!(loc["physicalLocation"]["region"]["startColumn"], 3);
        let github = render(Format::Github, &files, false);
        assert!(
            github.contains("::`ref_id` appears twice (first occurrence: line 2)"),
            "{github}"
        );
    }

    #[test]
    fn a_related_line_is_masked_and_escaped_like_the_primary() {
        let text = "{\"ref_id\": \"A\",\n\"password\": \"hunter2\", \"ref_id\": \"B\"}";
        let files = file(with_related(text, "\"ref_id\": \"A\"", "\"ref_id\": \"B\""));
        for format in [
            Format::Text,
            Format::Json,
            Format::Sarif,
            Format::Github,
            Format::Concise,
        ] {
            let shown = render(format, &files, false);
            assert!(!shown.contains("hunter2"), "{format:?}: {shown}");
        }
        let shown = render(Format::Text, &files, false);
        assert!(
            shown.contains("2 | \"password\": \"•••••••\", \"ref_id\": \"B\"}\n  |                        ------------- first occurrence"),
            "{shown}"
        );
        // Text that is not JSON: a control character in the related line.
        let text = "{\"ref_id\": \"A\",\n\"x\": \"\u{1b}[2J\", \"ref_id\": \"B\"";
        let files = file(with_related(text, "\"ref_id\": \"A\"", "\"ref_id\": \"B\""));
        for format in [
            Format::Text,
            Format::Json,
            Format::Sarif,
            Format::Github,
            Format::Concise,
        ] {
            let shown = render(format, &files, false);
            assert!(!shown.contains('\u{1b}'), "{format:?}: {shown}");
        }
        let shown = render(Format::Text, &files, false);
        assert!(
            shown.contains("2 | \"x\": \"\\u{1b}[2J\", \"ref_id\": \"B\"\n  |                   ------------- first occurrence"),
            "{shown}"
        );
        // A related place on a long line is shown as a window around it.
        let long = format!(
            "{{\"ref_id\": \"A\",\n\"pesan\": \"{}\", \"ref_id\": \"B\"}}",
            "k".repeat(5000)
        );
        let shown = render(
            Format::Text,
            &file(with_related(
                &long,
                "\"ref_id\": \"A\"",
                "\"ref_id\": \"B\"",
            )),
            false,
        );
        let line = shown.lines().find(|l| l.starts_with("2 |")).unwrap();
        assert!(
            line.starts_with("2 | …") && line.chars().count() < WINDOW + 10,
            "{line}"
        );
        assert!(line.contains("\"ref_id\": \"B\""), "{line}");
    }

    #[test]
    fn a_short_line_is_shown_whole() {
        let line = "  \"ref_id\": \"abc\",";
        let s = Snippet::around(line, 100, 3, 112, 13, &SecretMask::default());
        assert_eq!(s.text, line);
        assert_eq!(s.first_column, 1);
        assert!(!s.cut_before && !s.cut_after);
    }
}
