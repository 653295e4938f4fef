//! `preflight test`: every fixture checked as `preflight validate` checks it
//! (same configs, templates, password, suppressions), then compared with
//! what it is expected to give ([`crate::expect`]). The report is per
//! fixture: what was expected, what came, and how they differ; exit 1 on any
//! mismatch, 2 when a path could not be read.

use crate::expect::{self, Compiled, Source};
use crate::input;
use crate::validate::{self, Prepared, Report, Run};
use crate::{CheckArgs, FormatArg};
use anyhow::Result;
use preflight::render::{self, FileResult, Finding, Format};
use preflight::testing::{Expected, Mismatch, compare};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// One mismatch, placed.
struct Placed {
    line: usize,
    /// The NDJSON line it concerns.
    payload_line: Option<usize>,
    mismatch: Mismatch,
}

impl Placed {
    /// The text output's line: an unexpected finding without its message
    /// (the finding itself is printed below).
    fn short(&self) -> String {
        let text = match &self.mismatch {
            // About the expectation itself: only the message says what.
            Mismatch::Unexpected { rule, .. } if rule == "expectation" => self.mismatch.to_string(),
            Mismatch::Unexpected {
                rule,
                pointer,
                severity,
                ..
            } => format!(
                "unexpected `{rule}` at `{}` ({})",
                if pointer.is_empty() { "/" } else { pointer },
                severity.as_str()
            ),
            m => m.to_string(),
        };
        match self.payload_line {
            Some(l) => format!("line {l}: {text}"),
            None => text,
        }
    }

    fn text(&self) -> String {
        match self.payload_line {
            Some(l) => format!("line {l}: {}", self.mismatch),
            None => self.mismatch.to_string(),
        }
    }

    fn kind(&self) -> &'static str {
        match &self.mismatch {
            Mismatch::NotReported(_) => "not-reported",
            Mismatch::Unexpected { .. } => "unexpected",
            Mismatch::NowPasses => "now-passes",
            _ => "other",
        }
    }

    fn json(&self) -> Value {
        let mut v = json!({
            "kind": self.kind(),
            "line": self.line,
            "message": render::escape_controls(&self.text()),
        });
        match &self.mismatch {
            Mismatch::NotReported(e) => {
                v["rule"] = json!(e.rule);
                if let Some(p) = &e.pointer {
                    v["pointer"] = json!(p);
                }
                if let Some(s) = e.severity {
                    v["severity"] = json!(s.as_str());
                }
            }
            Mismatch::Unexpected {
                rule,
                pointer,
                severity,
                ..
            } => {
                v["rule"] = json!(rule);
                v["pointer"] = json!(pointer);
                v["severity"] = json!(severity.as_str());
            }
            _ => {}
        }
        v
    }
}

/// A fixture's report, judged.
struct Judged {
    path: String,
    endpoint: Option<String>,
    source: Source,
    reason: Option<String>,
    findings: Vec<Finding>,
    mismatches: Vec<Placed>,
}

/// What the current fixture gave so far.
struct Current {
    path: String,
    endpoint: Option<String>,
    findings: Vec<Finding>,
}

/// Collects each fixture's findings and judges it when the next one starts.
struct Collector<'a> {
    run: &'a Run,
    current: Option<Current>,
    judged: Vec<Judged>,
    suppressed: usize,
    unreadable: Vec<(String, String)>,
    sink: Output<'a>,
}

impl Report for Collector<'_> {
    fn begin_file(&mut self, path: &str, endpoint: Option<&str>) -> std::io::Result<()> {
        self.end()?;
        self.current = Some(Current {
            path: path.to_string(),
            endpoint: endpoint.map(str::to_string),
            findings: Vec::new(),
        });
        Ok(())
    }

    fn finding(&mut self, finding: &Finding) -> std::io::Result<()> {
        if let Some(c) = &mut self.current {
            c.findings.push(finding.clone());
        }
        Ok(())
    }

    fn detected(&mut self, _: &str, _: Option<usize>) -> std::io::Result<()> {
        Ok(())
    }

    fn payloads(&mut self, _: usize) {}

    fn suppressed(&mut self, n: usize) {
        self.suppressed += n;
    }

    fn unreadable(&mut self, path: &str, problem: &str) -> std::io::Result<()> {
        self.end()?;
        self.unreadable
            .push((path.to_string(), problem.to_string()));
        self.sink.unreadable(path, problem)
    }
}

impl Collector<'_> {
    fn end(&mut self) -> std::io::Result<()> {
        let Some(current) = self.current.take() else {
            return Ok(());
        };
        let judged = judge(self.run, current);
        self.sink.fixture(&judged)?;
        // Only what the summary and SARIF need outlives the fixture.
        self.judged.push(Judged {
            findings: Vec::new(),
            ..judged
        });
        Ok(())
    }
}

/// The path a report's file name stands for (`None`: standard input with no
/// `--stdin-filename`).
fn fixture_path(name: &str) -> Option<PathBuf> {
    (name != "<stdin>").then(|| PathBuf::from(name))
}

/// The expectation of `path`, and where it came from.
fn expectation_of(run: &Run, path: Option<&Path>) -> Result<(Compiled, Source)> {
    let default = |every| Compiled {
        every,
        lines: BTreeMap::new(),
        reason: None,
    };
    let Some(path) = path else {
        return Ok((default(Expected::Clean), Source::Default));
    };
    if let Some(sidecar) = expect::sidecar_path(path)
        && sidecar.is_file()
    {
        return Ok((expect::read_sidecar(&sidecar)?, Source::Sidecar(sidecar)));
    }
    let scope = run.scope(Some(path));
    if let Some(loaded) = &scope.loaded
        && let Some(relative) = loaded.relative(path)
        && let Some(i) = loaded
            .expects
            .iter()
            .position(|set| set.is_match(&relative))
    {
        let compiled = loaded.config.expect[i].what().compile()?;
        return Ok((compiled, Source::Config(loaded.path.clone(), i + 1)));
    }
    if let Some((e, dir)) = expect::from_directory(path) {
        return Ok((default(e), Source::Directory(dir)));
    }
    Ok((default(Expected::Clean), Source::Default))
}

/// The payload lines of an NDJSON fixture (non-blank), when it can be read.
fn payload_lines(path: &Path) -> Option<Vec<usize>> {
    let text = std::fs::read(path).ok()?;
    Some(
        text.split(|b| *b == b'\n')
            .enumerate()
            .filter(|(_, l)| !l.iter().all(u8::is_ascii_whitespace))
            .map(|(i, _)| i + 1)
            .collect(),
    )
}

fn report_of(findings: &[&Finding]) -> preflight::Report {
    let mut report = preflight::Report::default();
    report.diagnostics = findings.iter().map(|f| f.diagnostic.clone()).collect();
    report
}

fn judge(run: &Run, current: Current) -> Judged {
    let path = fixture_path(&current.path);
    let at = path.as_deref().or(run.stdin_name());
    let (compiled, source) = match expectation_of(run, at) {
        Ok(x) => x,
        Err(err) => {
            // An expectation that does not read fails the fixture.
            return Judged {
                path: current.path,
                endpoint: current.endpoint,
                source: Source::Default,
                reason: Some(format!("{err:#}")),
                findings: current.findings,
                mismatches: vec![Placed {
                    line: 1,
                    payload_line: None,
                    mismatch: Mismatch::Unexpected {
                        rule: "expectation".to_string(),
                        pointer: String::new(),
                        severity: preflight::Severity::Error,
                        message: format!("the expectation does not read: {err:#}"),
                        line: Some(1),
                    },
                }],
            };
        }
    };
    let ndjson = at.is_some_and(input::is_ndjson);
    let mut mismatches = Vec::new();
    if ndjson {
        let lines = at.and_then(payload_lines).unwrap_or_default();
        let mut by_line: BTreeMap<usize, Vec<&Finding>> = BTreeMap::new();
        for f in &current.findings {
            let line = f.diagnostic.start.map_or(1, |p| p.line);
            by_line.entry(line).or_default().push(f);
        }
        for &line in &lines {
            let expected = compiled.lines.get(&line).unwrap_or(&compiled.every);
            let found = by_line.remove(&line).unwrap_or_default();
            for m in compare(&report_of(&found), expected) {
                mismatches.push(placed(m, line, Some(line)));
            }
        }
        // Findings on no payload line (a reading error), and expectations
        // of lines that hold no payload.
        for (line, found) in by_line {
            for m in compare(&report_of(&found), &Expected::Clean) {
                mismatches.push(placed(m, line, Some(line)));
            }
        }
        for line in compiled.lines.keys().filter(|l| !lines.contains(l)) {
            mismatches.push(Placed {
                line: *line,
                payload_line: Some(*line),
                mismatch: Mismatch::Unexpected {
                    rule: "expectation".to_string(),
                    pointer: String::new(),
                    severity: preflight::Severity::Error,
                    message: "the expectation names this line, which holds no payload".to_string(),
                    line: Some(*line),
                },
            });
        }
    } else {
        let all: Vec<&Finding> = current.findings.iter().collect();
        for m in compare(&report_of(&all), &compiled.every) {
            mismatches.push(placed(m, 1, None));
        }
    }
    Judged {
        path: current.path,
        endpoint: current.endpoint,
        source,
        reason: compiled.reason,
        findings: current.findings,
        mismatches,
    }
}

fn placed(m: Mismatch, default_line: usize, payload_line: Option<usize>) -> Placed {
    let line = match &m {
        Mismatch::Unexpected { line: Some(l), .. } => *l,
        _ => default_line,
    };
    Placed {
        line,
        payload_line,
        mismatch: m,
    }
}

/// Where the results go, per format.
struct Output<'a> {
    format: Format,
    color: bool,
    out: &'a mut dyn Write,
    /// JSON: fixtures written so far.
    written: usize,
}

impl Output<'_> {
    fn fixture(&mut self, j: &Judged) -> std::io::Result<()> {
        let path = render::escape_controls(&j.path);
        match self.format {
            Format::Text => {
                if j.mismatches.is_empty() {
                    return Ok(());
                }
                writeln!(
                    self.out,
                    "FAIL {path} (expected by {})",
                    render::escape_controls(&j.source.describe())
                )?;
                if let Some(r) = &j.reason {
                    writeln!(self.out, "  reason: {}", render::escape_controls(r))?;
                }
                for m in &j.mismatches {
                    writeln!(self.out, "  {}", render::escape_controls(&m.short()))?;
                }
                if !j.findings.is_empty() {
                    let file = FileResult {
                        path: j.path.clone(),
                        endpoint: j.endpoint.clone(),
                        payloads: 1,
                        findings: j.findings.clone(),
                    };
                    let shown = render::render(Format::Text, &[file], self.color);
                    // The findings without the run's summary line.
                    let body = shown.trim_end().rsplit_once('\n').map_or("", |(b, _)| b);
                    for line in body.lines() {
                        writeln!(self.out, "    {line}")?;
                    }
                }
                writeln!(self.out)
            }
            Format::Json => {
                let diagnostics: Vec<Value> = j
                    .findings
                    .iter()
                    .map(|f| serde_json::to_value(&f.diagnostic).unwrap_or(Value::Null))
                    .collect();
                let mut v = json!({
                    "path": path,
                    "endpoint": j.endpoint,
                    "expected": {
                        "source": j.source.kind(),
                        "from": render::escape_controls(&j.source.describe()),
                    },
                    "passed": j.mismatches.is_empty(),
                    "mismatches": j.mismatches.iter().map(Placed::json).collect::<Vec<_>>(),
                    "diagnostics": diagnostics,
                });
                if let Some(r) = &j.reason {
                    v["expected"]["reason"] = json!(render::escape_controls(r));
                }
                self.json_entry(v)
            }
            Format::Concise => {
                for m in &j.mismatches {
                    writeln!(
                        self.out,
                        "{path}:{}:1: error[expectation-mismatch] {}",
                        m.line,
                        render::escape_controls(&m.text())
                    )?;
                }
                Ok(())
            }
            Format::Github => {
                for m in &j.mismatches {
                    writeln!(
                        self.out,
                        "::error file={},line={},title=preflight test::{}",
                        github_property(&j.path),
                        m.line,
                        github_data(&m.text())
                    )?;
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    fn json_entry(&mut self, v: Value) -> std::io::Result<()> {
        let sep = if self.written == 0 {
            "{\n  \"fixtures\": [\n    "
        } else {
            ",\n    "
        };
        self.written += 1;
        let text = serde_json::to_string(&v).unwrap_or_default();
        write!(self.out, "{sep}{text}")
    }

    fn unreadable(&mut self, path: &str, problem: &str) -> std::io::Result<()> {
        match self.format {
            Format::Text => writeln!(
                self.out,
                "FAIL {}: cannot read: {}\n",
                render::escape_controls(path),
                render::escape_controls(problem)
            ),
            Format::Json => self.json_entry(json!({
                "path": render::escape_controls(path),
                "error": render::escape_controls(problem),
                "passed": false,
                "mismatches": [],
                "diagnostics": [],
            })),
            Format::Concise => writeln!(
                self.out,
                "{}:1:1: error[unreadable] cannot read: {}",
                render::escape_controls(path),
                render::escape_controls(problem)
            ),
            Format::Github => writeln!(
                self.out,
                "::error file={},title=preflight test::cannot read: {}",
                github_property(path),
                github_data(problem)
            ),
            _ => Ok(()),
        }
    }
}

fn github_data(s: &str) -> String {
    render::escape_controls(s)
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn github_property(s: &str) -> String {
    github_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Counts of a test run.
struct Totals {
    fixtures: usize,
    passed: usize,
    failed: usize,
    mismatches: usize,
    unreadable: usize,
    suppressed: usize,
}

pub(crate) fn run(args: &CheckArgs, out: &mut impl Write) -> Result<u8> {
    let Prepared {
        run,
        inputs,
        skipped: _,
        before,
        described: _,
    } = match validate::prepare(args, out)? {
        Ok(p) => p,
        Err(code) => return Ok(code),
    };
    // Warnings about the configs and templates files, beside the results.
    for r in &before {
        for f in &r.findings {
            let at = f.diagnostic.start.map_or(1, |p| p.line);
            eprintln!(
                "preflight: {}: {}:{at}: {} [{}]",
                f.diagnostic.severity.as_str(),
                render::escape_controls(&r.path),
                render::escape_controls(&f.diagnostic.message),
                f.diagnostic.rule
            );
        }
    }
    let format = validate::format_of(args.format);
    let color = crate::output::color(args.color);
    let mut collector = Collector {
        run: &run,
        current: None,
        judged: Vec::new(),
        suppressed: 0,
        unreadable: Vec::new(),
        sink: Output {
            format,
            color,
            out,
            written: 0,
        },
    };
    let problems = validate::check_all(&run, &inputs, &mut collector)?;
    collector.end()?;
    let totals = Totals {
        fixtures: collector.judged.len(),
        passed: collector
            .judged
            .iter()
            .filter(|j| j.mismatches.is_empty())
            .count(),
        failed: collector
            .judged
            .iter()
            .filter(|j| !j.mismatches.is_empty())
            .count(),
        mismatches: collector.judged.iter().map(|j| j.mismatches.len()).sum(),
        unreadable: collector.unreadable.len(),
        suppressed: collector.suppressed,
    };
    finish(&mut collector, &totals, &args.format)?;
    validate::finish_run(&run, format, &problems);
    Ok(if totals.unreadable > 0 {
        2
    } else if totals.failed > 0 {
        1
    } else {
        0
    })
}

fn finish(c: &mut Collector<'_>, t: &Totals, format: &FormatArg) -> Result<()> {
    match format {
        FormatArg::Json => {
            let out = &mut c.sink.out;
            if c.sink.written == 0 {
                write!(out, "{{\n  \"fixtures\": [")?;
            } else {
                write!(out, "\n  ")?;
            }
            let summary = json!({
                "fixtures": t.fixtures,
                "passed": t.passed,
                "failed": t.failed,
                "mismatches": t.mismatches,
                "unreadable": t.unreadable,
                "suppressed": t.suppressed,
            });
            writeln!(
                out,
                "],\n  \"summary\": {}\n}}",
                serde_json::to_string(&summary)?
            )?;
        }
        FormatArg::Sarif => {
            let log = sarif(c, t);
            writeln!(c.sink.out, "{log}")?;
        }
        FormatArg::Text | FormatArg::Concise => {
            let out = &mut c.sink.out;
            let verdict = if t.failed == 0 && t.unreadable == 0 {
                "ok"
            } else {
                "FAILED"
            };
            let mut line = format!(
                "test result: {verdict}. {} fixture{} passed; {} failed",
                t.passed,
                if t.passed == 1 { "" } else { "s" },
                t.failed
            );
            if t.unreadable > 0 {
                line.push_str(&format!("; {} could not be read", t.unreadable));
            }
            if t.suppressed > 0 {
                line.push_str(&format!(
                    "; {} finding{} suppressed",
                    t.suppressed,
                    if t.suppressed == 1 { "" } else { "s" }
                ));
            }
            writeln!(out, "{line}")?;
        }
        _ => {}
    }
    Ok(())
}

/// The SARIF log of a test run: one result per mismatch.
fn sarif(c: &Collector<'_>, t: &Totals) -> String {
    let mut results = Vec::new();
    for j in &c.judged {
        for m in &j.mismatches {
            results.push(json!({
                "ruleId": "expectation-mismatch",
                "level": "error",
                "message": { "text": render::escape_controls(&m.text()) },
                "locations": [{ "physicalLocation": {
                    "artifactLocation": { "uri": j.path.replace('\\', "/").trim_start_matches("./") },
                    "region": { "startLine": m.line },
                }}],
            }));
        }
    }
    let notifications: Vec<Value> = c
        .unreadable
        .iter()
        .map(|(p, problem)| {
            json!({
                "level": "error",
                "message": { "text": render::escape_controls(&format!("cannot read {p}: {problem}")) },
            })
        })
        .collect();
    let mut run = json!({
        "tool": { "driver": {
            "name": "preflight",
            "version": env!("CARGO_PKG_VERSION"),
            "rules": [{
                "id": "expectation-mismatch",
                "name": "expectation-mismatch",
                "shortDescription": { "text": "A fixture does not give what it is expected to give." },
                "defaultConfiguration": { "level": "error" },
            }],
        }},
        "invocations": [{
            "executionSuccessful": t.unreadable == 0,
            "toolExecutionNotifications": notifications,
        }],
    });
    if t.unreadable == 0 || !results.is_empty() {
        run["results"] = Value::Array(results);
    }
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [run],
    });
    serde_json::to_string_pretty(&log).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::github_property;

    #[test]
    fn github_properties_are_escaped() {
        assert_eq!(github_property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
