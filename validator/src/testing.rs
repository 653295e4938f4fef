//! Contract tests in Rust: assert that the payloads your code builds are
//! valid, or give exactly the findings you expect, and snapshot a report in
//! a plain, stable rendering (feature `testing`).
//!
//! ```
//! use preflight::testing::{assert_findings, assert_valid};
//! use serde_json::json;
//!
//! // What the application builds, serialized as it will be sent.
//! let send = json!({"nohp": "6281234567890", "pesan": "Halo Kak Siti, pesanan Anda sudah dikirim 📦"});
//! assert_valid("chatbot/sendwa", &send);
//!
//! let bad = json!({"nohp": "0812-3456-7890", "pesan": "Halo"});
//! assert_findings("chatbot/sendwa", &bad, &["phone-format@/nohp"]);
//! ```
//!
//! For snapshots, [`render`] gives the findings as text without colour,
//! absolute paths or secrets (`insta::assert_snapshot!(preflight::testing::render("oca/push-message", &payload))`).
//!
//! The same expectations drive `preflight test`: [`Expectation`] is one
//! (`rule` or `rule@/pointer`, optionally with a severity), [`compare`]
//! says what differs.

use crate::render::{self, FileResult, Finding, Format};
use crate::{Diagnostic, Options, Report, Severity};
use serde::Serialize;
use std::fmt;

/// One expected finding: a rule, optionally at a pointer and of a severity.
/// Written `rule`, `rule@/pointer`, and either with `:warning` or `:error`
/// at the end (`max-length@/ref_id`, `surrounding-whitespace:warning`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Expectation {
    /// The rule (`max-length`).
    pub rule: String,
    /// The pointer, when pinned (`/ref_id`).
    pub pointer: Option<String>,
    /// The severity, when pinned.
    pub severity: Option<Severity>,
}

impl Expectation {
    /// Reads `rule`, `rule@/pointer`, with an optional `:error`/`:warning`.
    ///
    /// # Errors
    /// A message when the text is empty, the rule is not kebab-case, or the
    /// pointer does not start with `/`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let (body, severity) = match text.rsplit_once(':') {
            Some((b, "error")) => (b, Some(Severity::Error)),
            Some((b, "warning")) => (b, Some(Severity::Warning)),
            _ => (text, None),
        };
        let (rule, pointer) = match body.split_once('@') {
            Some((r, p)) => (r, Some(p.to_string())),
            None => (body, None),
        };
        if rule.is_empty()
            || !rule
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            return Err(format!(
                "`{text}`: an expectation is `rule`, `rule@/pointer`, optionally with `:error` or `:warning`"
            ));
        }
        if let Some(p) = &pointer
            && !p.is_empty()
            && !p.starts_with('/')
        {
            return Err(format!(
                "`{text}`: the pointer `{p}` does not start with `/`"
            ));
        }
        Ok(Expectation {
            rule: rule.to_string(),
            pointer,
            severity,
        })
    }

    /// True when `d` is a finding this expects.
    pub fn matches(&self, d: &Diagnostic) -> bool {
        d.rule == self.rule
            && self.pointer.as_ref().is_none_or(|p| *p == d.pointer)
            && self.severity.is_none_or(|s| s == d.severity)
    }
}

impl fmt::Display for Expectation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}`", self.rule)?;
        if let Some(p) = &self.pointer {
            write!(f, " at `{}`", if p.is_empty() { "/" } else { p })?;
        }
        if let Some(s) = self.severity {
            write!(f, " ({})", s.as_str())?;
        }
        Ok(())
    }
}

/// How a payload's findings differ from what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Mismatch {
    /// An expected finding did not come.
    NotReported(Expectation),
    /// A finding nothing expected.
    Unexpected {
        /// Its rule.
        rule: String,
        /// Its pointer.
        pointer: String,
        /// Its severity.
        severity: Severity,
        /// Its message.
        message: String,
        /// The line it starts on, when known.
        line: Option<usize>,
    },
    /// The payload was expected to fail and gives no finding.
    NowPasses,
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Mismatch::NotReported(e) => write!(f, "expected {e}: not reported"),
            Mismatch::Unexpected {
                rule,
                pointer,
                severity,
                message,
                ..
            } => write!(
                f,
                "unexpected `{rule}` at `{}` ({}): {message}",
                if pointer.is_empty() { "/" } else { pointer },
                severity.as_str()
            ),
            Mismatch::NowPasses => write!(f, "now passes: expected to fail"),
        }
    }
}

/// What a payload is expected to give.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Expected {
    /// No finding at all (a fixture under `valid/`).
    Clean,
    /// At least one finding (a fixture under `invalid/`), and when the list
    /// is not empty, exactly these: every finding expected by one of them,
    /// every one of them matching a finding.
    Findings(Vec<Expectation>),
}

/// What differs between `report` and `expected`; empty when they agree.
pub fn compare(report: &Report, expected: &Expected) -> Vec<Mismatch> {
    let unexpected = |d: &Diagnostic| Mismatch::Unexpected {
        rule: d.rule.clone(),
        pointer: d.pointer.clone(),
        severity: d.severity,
        message: d.message.clone(),
        line: d.start.map(|p| p.line),
    };
    match expected {
        Expected::Clean => report.diagnostics.iter().map(unexpected).collect(),
        Expected::Findings(list) if list.is_empty() => {
            if report.diagnostics.is_empty() {
                vec![Mismatch::NowPasses]
            } else {
                Vec::new()
            }
        }
        Expected::Findings(list) => {
            let mut out: Vec<Mismatch> = list
                .iter()
                .filter(|e| !report.diagnostics.iter().any(|d| e.matches(d)))
                .cloned()
                .map(Mismatch::NotReported)
                .collect();
            out.extend(
                report
                    .diagnostics
                    .iter()
                    .filter(|d| !list.iter().any(|e| e.matches(d)))
                    .map(unexpected),
            );
            if report.diagnostics.is_empty() {
                out.push(Mismatch::NowPasses);
            }
            out
        }
    }
}

/// The payload as the text that is sent (pretty JSON), and its report.
fn check<T: Serialize + ?Sized>(
    endpoint: &str,
    payload: &T,
    options: &Options,
) -> (String, Report) {
    let text = match serde_json::to_string_pretty(payload) {
        Ok(t) => t,
        Err(e) => panic!("preflight: the payload does not serialize to JSON: {e}"),
    };
    match crate::validate_with(endpoint, text.as_bytes(), options) {
        Ok(report) => (text, report),
        Err(e) => panic!("preflight: {e}"),
    }
}

/// The findings of `report` on `text` as `preflight validate` prints them,
/// without colour, with the file named `payload.json` and secrets masked: a
/// stable text for snapshots.
pub fn render_report(endpoint: &str, text: &str, report: &Report) -> String {
    let findings = report
        .diagnostics
        .iter()
        .map(|d| Finding::new(d.clone(), text))
        .collect();
    let file = FileResult {
        path: "payload.json".to_string(),
        endpoint: Some(endpoint.to_string()),
        payloads: 1,
        findings,
    };
    render::render(Format::Text, &[file], false)
}

/// The findings of `payload` (serialized as pretty JSON) for `endpoint`, as
/// [`render_report`] renders them.
///
/// # Panics
/// When the endpoint is unknown or the payload does not serialize.
pub fn render<T: Serialize + ?Sized>(endpoint: &str, payload: &T) -> String {
    let (text, report) = check(endpoint, payload, &Options::default());
    render_report(endpoint, &text, &report)
}

/// Asserts that `payload` gives no finding at all for `endpoint`.
///
/// # Panics
/// With the rendered findings when there are any; when the endpoint is
/// unknown or the payload does not serialize.
#[track_caller]
pub fn assert_valid<T: Serialize + ?Sized>(endpoint: &str, payload: &T) {
    assert_valid_with(endpoint, payload, &Options::default());
}

/// [`assert_valid`] with options (rule levels, the Sandeza password, templates).
///
/// # Panics
/// As [`assert_valid`].
#[track_caller]
pub fn assert_valid_with<T: Serialize + ?Sized>(endpoint: &str, payload: &T, options: &Options) {
    let (text, report) = check(endpoint, payload, options);
    if !report.diagnostics.is_empty() {
        panic!(
            "preflight: the payload is not valid for {endpoint}:\n\n{}",
            render_report(endpoint, &text, &report)
        );
    }
}

/// Asserts that `payload` gives exactly the findings `expected`
/// (`"max-length@/ref_id"`, `"phone-format"`, `"surrounding-whitespace:warning"`):
/// each expected one comes, and nothing else.
///
/// # Panics
/// With what differs and the rendered findings; on an expectation that does
/// not read, an unknown endpoint, or a payload that does not serialize.
#[track_caller]
pub fn assert_findings<T: Serialize + ?Sized>(endpoint: &str, payload: &T, expected: &[&str]) {
    assert_findings_with(endpoint, payload, expected, &Options::default());
}

/// [`assert_findings`] with options.
///
/// # Panics
/// As [`assert_findings`].
#[track_caller]
pub fn assert_findings_with<T: Serialize + ?Sized>(
    endpoint: &str,
    payload: &T,
    expected: &[&str],
    options: &Options,
) {
    let list: Vec<Expectation> = expected
        .iter()
        .map(|e| Expectation::parse(e).unwrap_or_else(|m| panic!("preflight: {m}")))
        .collect();
    let (text, report) = check(endpoint, payload, options);
    let mismatches = compare(&report, &Expected::Findings(list));
    if !mismatches.is_empty() {
        let lines: Vec<String> = mismatches.iter().map(|m| format!("  - {m}")).collect();
        panic!(
            "preflight: the findings for {endpoint} differ from the expected ones:\n{}\n\n{}",
            lines.join("\n"),
            render_report(endpoint, &text, &report)
        );
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn expectations_read_and_match() {
        let e = Expectation::parse("max-length@/ref_id:error").unwrap();
        assert_eq!(e.pointer.as_deref(), Some("/ref_id"));
        assert_eq!(e.severity, Some(Severity::Error));
        assert!(Expectation::parse("Max Length").is_err());
        assert!(Expectation::parse("max-length@ref_id").is_err());
        assert_eq!(e.to_string(), "`max-length` at `/ref_id` (error)");
    }

    #[test]
    fn mismatches_say_what_differs() {
        let report = crate::validate_value(
            "chatbot/sendwa",
            &json!({"nohp": "0812-3456-7890", "pesan": "Halo"}),
        )
        .unwrap();
        let expected = Expected::Findings(vec![Expectation::parse("max-length@/pesan").unwrap()]);
        let m: Vec<String> = compare(&report, &expected)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(m[0], "expected `max-length` at `/pesan`: not reported");
        assert!(
            m[1].starts_with("unexpected `phone-format` at `/nohp` (error)"),
            "{m:?}"
        );
        let clean = crate::validate_value(
            "chatbot/sendwa",
            &json!({"nohp": "6281234567890", "pesan": "Halo"}),
        )
        .unwrap();
        assert_eq!(
            compare(&clean, &Expected::Findings(Vec::new())),
            [Mismatch::NowPasses]
        );
        assert!(compare(&clean, &Expected::Clean).is_empty());
    }

    #[test]
    #[should_panic(expected = "phone-format")]
    fn assert_valid_panics_with_the_findings() {
        assert_valid(
            "chatbot/sendwa",
            &json!({"nohp": "0812-3456-7890", "pesan": "Halo"}),
        );
    }

    #[test]
    fn rendering_masks_secrets_and_names_no_path() {
        let payload = json!({"signature": "0000", "time": "1764135118", "type": "1", "username": "toko", "ref_id": "r-1", "subject": "s", "sender_id": "TOKO", "budget_code": "b", "channel": {"sms": {"msisdn": "6281234567890", "message": "Halo"}}});
        let out = render("sandeza/send", &payload);
        assert!(!out.contains("\"0000\""), "{out}");
        assert!(out.contains("payload.json"));
        assert!(!out.contains('\u{1b}'));
    }
}
