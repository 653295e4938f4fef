//! The validation pipeline for one payload: parse once, validate with the
//! compiled schema, run the rules, and only if anything was found, resolve
//! pointers to positions with a span-preserving parse.

use crate::diagnostic::{Diagnostic, EditTarget, Position, Related, Report, Severity};
use crate::engine::facts::graph::Graph;
use crate::engine::rules::{self, context::RuleContext};
use crate::engine::schema::registry::Endpoint;
use crate::engine::text::parse;
use crate::engine::text::secrets::SecretMask;
use crate::engine::text::span::{LineIndex, SpanTree, string_range_in_literal};
use crate::engine::translate;
use crate::engine::walk::Annotations;
use crate::error::Error;
use crate::render::{Finding, Snippet};
use crate::{Level, Options};
use serde_json::Value;
use std::ops::Range;

/// Validates a payload's bytes for [`crate::validate_with`]: positions in the
/// bytes (a byte-order mark included), no snippets.
pub(crate) fn validate_bytes(
    endpoint: &'static Endpoint,
    payload: &[u8],
    options: &Options,
) -> Result<Report, Error> {
    validate_bytes_parsed(endpoint, payload, options).map(|(report, _)| report)
}

/// [`validate_bytes`], also handing back the payload as parsed (`None` when
/// it is not UTF-8 JSON text), for a caller that needs the value too.
pub(crate) fn validate_bytes_parsed(
    endpoint: &'static Endpoint,
    payload: &[u8],
    options: &Options,
) -> Result<(Report, Option<Value>), Error> {
    let (text, bom) = match parse::decode(payload) {
        Ok(decoded) => decoded,
        Err(failure) => {
            let mut d = *failure.diagnostic;
            d.span = Some(failure.offset..failure.offset);
            return Ok((
                Report {
                    diagnostics: vec![d],
                },
                None,
            ));
        }
    };
    let mut outcome = check_text(Some(endpoint), text, options, |_| Ok(None))?;
    if bom {
        shift(&mut outcome.report, Origin { offset: 3, line: 1 });
        let mut d = Diagnostic::warning(
            "byte-order-mark",
            "",
            "the payload starts with a UTF-8 byte-order mark; some providers reject the body",
        )
        .with_help("save the file as UTF-8 without BOM");
        d.span = Some(0..3);
        d.start = Some(Position { line: 1, column: 1 });
        d.end = Some(Position { line: 1, column: 1 });
        outcome.report.diagnostics.insert(0, d);
        apply_levels(&mut outcome.report.diagnostics, options);
    }
    Ok((outcome.report, outcome.value))
}

/// Validates a parsed payload: schema keywords and rules, no positions.
pub(crate) fn check_value(
    endpoint: &Endpoint,
    value: &Value,
    options: &Options,
) -> Result<Vec<Diagnostic>, Error> {
    check_value_annotated(endpoint, value, options, false).map(|(d, _, _)| d)
}

/// A payload's findings, the pointers of its secret values, and its notes.
type ValueOutcome = (Vec<Diagnostic>, Vec<String>, Vec<String>);

/// [`check_value`], also returning the pointers of secret values when there
/// are findings to mask (or `secrets_anyway`: the caller has findings of its own).
fn check_value_annotated(
    endpoint: &Endpoint,
    value: &Value,
    options: &Options,
    secrets_anyway: bool,
) -> Result<ValueOutcome, Error> {
    let validator = endpoint.validator()?;
    let graph = Graph::of(endpoint);
    let annotations = Annotations::collect(endpoint, value);
    // Needed only to word findings and mask them: most payloads have none.
    let mut secrets: Option<Vec<String>> = None;
    let mut out = Vec::new();
    let schema_valid = validator.is_valid(value);
    if let (false, Some(graph)) = (schema_valid, graph) {
        let cx = translate::Context {
            endpoint,
            graph,
            payload: value,
            secret_pointers: secrets.get_or_insert_with(|| annotations.secret_pointers()),
        };
        let errors: Vec<_> = validator.iter_errors(value).collect();
        translate::translate_all(&cx, errors.iter(), &mut out);
    }
    let cx = RuleContext {
        endpoint,
        payload: value,
        annotations: &annotations,
        options,
        schema_valid,
        media: std::sync::OnceLock::new(),
        phones: std::sync::OnceLock::new(),
        x_formats: std::sync::OnceLock::new(),
        hygiene: std::sync::OnceLock::new(),
        templates: std::sync::OnceLock::new(),
    };
    for rule in rules::checks() {
        let info = rule.info();
        if options.level(info.name) == Some(Level::Off) || !rules::applies(info, endpoint) {
            continue;
        }
        rule.check(&cx, &mut out);
    }
    let notes = rules::templates::notes(&cx);
    supersede_explained(&mut out);
    supersede_wrong_type(&mut out);
    supersede_padding(validator, value, &mut out);
    supersede_placeholders(&mut out);
    supersede_wrong_kind(&mut out);
    apply_levels(&mut out, options);
    dedupe(&mut out);
    for d in &mut out {
        clip_quotes(d);
    }
    let secrets = match secrets {
        Some(s) => s,
        None if out.is_empty() && !secrets_anyway => Vec::new(),
        None => annotations.secret_pointers(),
    };
    Ok((out, secrets, notes))
}

/// When an object's kind field is wrong (`"type": "image"` where only
/// `"text"` is accepted), the fields it lacks or has are consequences of that
/// one mistake: keep the `const`/`enum` finding on the kind field and drop the
/// `required` / `additional-properties` findings of the same object.
fn supersede_wrong_kind(out: &mut Vec<Diagnostic>) {
    let wrong_kind: std::collections::HashSet<String> = out
        .iter()
        .filter(|d| matches!(d.rule.as_str(), "const" | "enum"))
        .filter(|d| {
            crate::engine::text::pointer::last(&d.pointer).is_some_and(|k| {
                matches!(
                    k.as_str(),
                    "type" | "position" | "sub_type" | "sub_types" | "kind"
                )
            })
        })
        .filter_map(|d| crate::engine::text::pointer::parent(&d.pointer).map(str::to_string))
        .collect();
    if wrong_kind.is_empty() {
        return;
    }
    out.retain(|d| {
        !(matches!(d.rule.as_str(), "required" | "additional-properties")
            && crate::engine::text::pointer::parent(&d.pointer)
                .is_some_and(|p| wrong_kind.contains(p)))
    });
}

/// A URL or id with a space at an end (`" https://…"`) fails its `format` or
/// `pattern` only because of the space when, trimmed, it passes: one mistake,
/// so the whitespace finding stands, as an error (the provider would reject
/// the value as sent).
fn supersede_padding(
    validator: &jsonschema::Validator,
    payload: &Value,
    out: &mut Vec<Diagnostic>,
) {
    let padded: Vec<String> = out
        .iter()
        .filter(|d| d.rule == "surrounding-whitespace")
        .map(|d| d.pointer.clone())
        .filter(|p| {
            out.iter()
                .any(|d| matches!(d.rule.as_str(), "format" | "pattern") && d.pointer == *p)
        })
        .collect();
    for ptr in padded {
        let mut trimmed = payload.clone();
        let Some(slot) = trimmed.pointer_mut(&ptr) else {
            continue;
        };
        let Some(text) = slot.as_str() else { continue };
        *slot = Value::String(text.trim().to_string());
        let still = validator
            .iter_errors(&trimmed)
            .any(|e| e.instance_path().as_str() == ptr);
        if still {
            continue; // a second mistake besides the space: both stand
        }
        out.retain(|d| !(matches!(d.rule.as_str(), "format" | "pattern") && d.pointer == ptr));
        for d in out
            .iter_mut()
            .filter(|d| d.rule == "surrounding-whitespace" && d.pointer == ptr)
        {
            d.severity = Severity::Error;
            d.note = Some("as sent, the value does not have the form the schema requires; without the whitespace it does".to_string());
        }
    }
}

/// A value of the wrong JSON type (`"ack": "3"` where a number goes) fails
/// its enum, range and length only because of its type: the `type` finding
/// stands alone.
fn supersede_wrong_type(out: &mut Vec<Diagnostic>) {
    let typed: std::collections::HashSet<String> = out
        .iter()
        .filter(|d| d.rule == "type")
        .map(|d| d.pointer.clone())
        .collect();
    if typed.is_empty() {
        return;
    }
    const CONSEQUENCES: &[&str] = &[
        "enum",
        "const",
        "pattern",
        "format",
        "minimum",
        "maximum",
        "exclusive-minimum",
        "exclusive-maximum",
        "min-length",
        "max-length",
        "multiple-of",
    ];
    out.retain(|d| !(CONSEQUENCES.contains(&d.rule.as_str()) && typed.contains(&d.pointer)));
}

/// A misspelt field (`templat_id`) and the missing field it was meant to be
/// (`template_id`) are one mistake: the `required` finding goes.
fn supersede_explained(out: &mut Vec<Diagnostic>) {
    let explained: std::collections::HashSet<String> = out
        .iter()
        .filter_map(|d| d.explains_missing.clone())
        .collect();
    if !explained.is_empty() {
        out.retain(|d| !(d.rule == "required" && explained.contains(&d.pointer)));
    }
}

/// A value still holding a doc placeholder fails its pattern, format, enum,
/// phone form or any rule on it only because it was never filled in: one
/// mistake, one finding, so the placeholder finding stands and every other
/// finding at the same place goes.
fn supersede_placeholders(out: &mut Vec<Diagnostic>) {
    let placeholders: std::collections::HashSet<String> = out
        .iter()
        .filter(|d| d.rule == "unfilled-placeholder" && d.severity == Severity::Error)
        .map(|d| d.pointer.clone())
        .collect();
    if placeholders.is_empty() {
        return;
    }
    out.retain(|d| {
        matches!(d.rule.as_str(), "unfilled-placeholder" | "duplicate-key")
            || !placeholders.contains(&d.pointer)
    });
}

/// Applies configured severities (`off` drops the finding).
pub(crate) fn apply_levels(out: &mut Vec<Diagnostic>, options: &Options) {
    out.retain_mut(|d| match options.level(&d.rule) {
        Some(Level::Off) => false,
        Some(Level::Error) => {
            d.severity = Severity::Error;
            true
        }
        Some(Level::Warning) => {
            d.severity = Severity::Warning;
            true
        }
        None => true,
    });
}

/// Quoted values in a message are shown up to this many characters.
const QUOTE_CHARS: usize = 160;

/// Shortens every quoted value (between backticks or double quotes) longer
/// than [`QUOTE_CHARS`] in a finding's texts to its start and end with `…`
/// between, so a megabyte value never makes a megabyte message.
fn clip_quotes(d: &mut Diagnostic) {
    for text in [Some(&mut d.message), d.help.as_mut(), d.note.as_mut()]
        .into_iter()
        .flatten()
    {
        if text.len() > QUOTE_CHARS
            && let Some(clipped) = clipped(text)
        {
            *text = clipped;
        }
    }
}

fn clipped(text: &str) -> Option<String> {
    let mut out = String::new();
    let mut changed = false;
    let mut rest = text;
    while let Some(open) = rest.find(['`', '"']) {
        let quote = rest.as_bytes()[open] as char;
        let inner = &rest[open + 1..];
        let Some(close) = inner.find(quote) else {
            break;
        };
        let value = &inner[..close];
        out.push_str(&rest[..=open]);
        if value.chars().count() > QUOTE_CHARS {
            let head: String = value.chars().take(QUOTE_CHARS * 2 / 3).collect();
            let tail: Vec<char> = value.chars().rev().take(QUOTE_CHARS / 4).collect();
            out.push_str(&head);
            out.push('…');
            out.extend(tail.into_iter().rev());
            changed = true;
        } else {
            out.push_str(value);
        }
        out.push(quote);
        rest = &inner[close + 1..];
    }
    out.push_str(rest);
    changed.then_some(out)
}

fn dedupe(out: &mut Vec<Diagnostic>) {
    let mut seen = std::collections::HashSet::new();
    out.retain(|d| seen.insert((d.rule.clone(), d.pointer.clone(), d.message.clone())));
}

/// Where a payload's text sits in a larger file: an NDJSON line, or a file's
/// text after a byte-order mark.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Origin {
    /// Byte offset of the payload text in the file.
    pub offset: usize,
    /// 1-based line of the payload's first line in the file.
    pub line: usize,
}

/// The outcome of checking one payload's text.
#[derive(Debug, Clone)]
pub(crate) struct TextOutcome {
    /// The findings, positioned and sorted.
    pub report: Report,
    /// What to hide when printing the payload's text: its secret values;
    /// `None` when the text did not parse (see [`TextOutcome::take_mask`]).
    mask: Option<SecretMask>,
    /// The endpoint the payload was checked as.
    pub endpoint: Option<&'static Endpoint>,
    /// What the run should say once, beside the findings.
    pub notes: Vec<String>,
    /// The payload as parsed (`None` when it did not parse).
    pub value: Option<Value>,
}

impl TextOutcome {
    /// What to hide when printing `text` (the text this outcome is of). A
    /// text that did not parse gets the lexical mask here, not when it is
    /// checked: `validate` and the server's gate print no text and skip it
    /// (a third of the time of checking a broken payload).
    fn take_mask(&mut self, text: &str) -> SecretMask {
        self.mask
            .take()
            .unwrap_or_else(|| SecretMask::lexical(text))
    }
}

/// Parses `text` and reports everything about it. `endpoint` is `None` when the
/// caller has already decided to report only parse findings (e.g. unknown
/// endpoint: the caller adds its own finding).
pub(crate) fn check_text(
    endpoint: Option<&'static Endpoint>,
    text: &str,
    options: &Options,
    resolve: impl FnOnce(&Value) -> Result<Option<&'static Endpoint>, Box<Diagnostic>>,
) -> Result<TextOutcome, Error> {
    let parsed = match parse::parse_text(text) {
        Ok(p) => p,
        Err(failure) => {
            let mut d = *failure.diagnostic;
            d.span = Some(failure.offset..failure.offset);
            let mut diagnostics = vec![d];
            apply_levels(&mut diagnostics, options);
            position(text, &mut diagnostics);
            return Ok(TextOutcome {
                report: Report { diagnostics },
                // Quotes may be misaligned past the point where parsing
                // stopped: the lexical mask, made only for a caller that
                // prints the text.
                mask: None,
                endpoint,
                notes: Vec::new(),
                value: None,
            });
        }
    };
    let mut diagnostics = Vec::new();
    let chosen: Option<&'static Endpoint> = match endpoint {
        Some(e) => Some(e),
        None => match resolve(&parsed.value) {
            Ok(e) => e,
            Err(d) => {
                diagnostics.push(*d);
                None
            }
        },
    };
    let mut secret_pointers = Vec::new();
    let mut notes = Vec::new();
    if let Some(endpoint) = chosen {
        // Duplicate-key findings are the only ones added here besides the value's.
        let duplicates = !parsed.duplicates.is_empty();
        let (found, secrets, said) =
            check_value_annotated(endpoint, &parsed.value, options, duplicates)?;
        diagnostics.extend(found);
        secret_pointers = secrets;
        notes = said;
    }
    for dup in &parsed.duplicates {
        let mut d = Diagnostic::error(
            "duplicate-key",
            dup.clone(),
            format!(
                "`{}` appears more than once in {}; parsers disagree on which value wins",
                crate::engine::text::pointer::last(dup).unwrap_or_default(),
                match crate::engine::text::pointer::parent(dup) {
                    Some("") | None => "the payload".to_string(),
                    Some(p) => format!("`{}`", crate::engine::text::pointer::display_path(p)),
                }
            ),
        )
        .with_help("keep one occurrence: serde_json and most clients send the last value, some providers read the first");
        d.source = Some(crate::diagnostic::Source::Provider);
        diagnostics.push(d);
    }
    apply_levels(&mut diagnostics, options);
    let mut mask = SecretMask::default();
    if !diagnostics.is_empty() {
        let tree = SpanTree::parse(text);
        for d in &mut diagnostics {
            if d.span.is_some() {
                continue;
            }
            let Some(found) = tree.locate(&d.pointer) else {
                d.span = Some(0..0);
                continue;
            };
            let key_rules = ["additional-properties", "unevaluated-properties"];
            d.span = Some(if found.ancestor {
                found.value.start..found.value.start + 1
            } else if d.rule == "duplicate-key" {
                let parent = crate::engine::text::pointer::parent(&d.pointer).unwrap_or("");
                let name = crate::engine::text::pointer::last(&d.pointer).unwrap_or_default();
                let occurrences = tree.key_occurrences(parent, &name);
                if let (Some(first), Some(last)) = (occurrences.first(), occurrences.last()) {
                    let mut related = Related::new(d.pointer.clone(), "first occurrence");
                    related.span = Some(first.clone());
                    d.related.push(related);
                    last.clone()
                } else {
                    found.key.clone().unwrap_or(found.value.clone())
                }
            } else if key_rules.contains(&d.rule.as_str()) {
                found.key.clone().unwrap_or(found.value.clone())
            } else if let Some(chars) = d.value_range.clone() {
                string_range_in_literal(text, found.value.clone(), chars)
            } else {
                found.value.clone()
            });
        }
        // A fix's edits: resolved where their place is in the text, else
        // the fix is dropped (it could not be applied).
        for d in &mut diagnostics {
            let Some(fix) = d.fix.as_mut() else { continue };
            let resolved = fix.edits.iter_mut().all(|e| {
                let Some(found) = tree.locate(&e.pointer).filter(|f| !f.ancestor) else {
                    return false;
                };
                e.span = match &e.target {
                    EditTarget::Value => Some(found.value.clone()),
                    EditTarget::Key => found.key.clone(),
                    EditTarget::Chars(chars) => Some(string_range_in_literal(
                        text,
                        found.value.clone(),
                        chars.clone(),
                    )),
                };
                e.span.is_some()
            });
            if !resolved {
                d.fix = None;
            }
        }
        for r in diagnostics.iter_mut().flat_map(|d| d.related.iter_mut()) {
            if r.span.is_some() {
                continue;
            }
            r.span = Some(match tree.locate(&r.pointer) {
                Some(found) if found.ancestor => found.value.start..found.value.start + 1,
                Some(found) => found.value.clone(),
                None => 0..0,
            });
        }
        position(text, &mut diagnostics);
        let ranges = tree.string_values_of_keys(&|ptr, name| {
            secret_pointers.iter().any(|s| s == ptr)
                || crate::engine::text::secrets::is_secret_key(name)
        });
        mask = SecretMask::from_ranges(text, ranges);
    }
    for d in &mut diagnostics {
        clip_quotes(d);
    }
    sort(&mut diagnostics);
    Ok(TextOutcome {
        report: Report { diagnostics },
        mask: Some(mask),
        endpoint: chosen,
        notes,
        value: Some(parsed.value),
    })
}

/// The mask of a payload's text known only as text: the values of
/// secret-named keys when it parses, the lexical mask when it does not.
pub(crate) fn mask_of(text: &str) -> SecretMask {
    if parse::parse_text(text).is_err() {
        return SecretMask::lexical(text);
    }
    let ranges = SpanTree::parse(text)
        .string_values_of_keys(&|_, name| crate::engine::text::secrets::is_secret_key(name));
    SecretMask::from_ranges(text, ranges)
}

/// Fills in every finding's line and column, after snapping its span into
/// the text and onto character boundaries (a span never splits a character,
/// so callers may slice the text with it). One sweep over the text for all
/// findings, however long its lines.
fn position(text: &str, diagnostics: &mut [Diagnostic]) {
    let mut offsets: Vec<usize> = Vec::with_capacity(diagnostics.len() * 2);
    let mut snap = |span: &mut Option<Range<usize>>| {
        if let Some(span) = span.as_mut() {
            let start = floor_char_boundary(text, span.start.min(text.len()));
            let end = ceil_char_boundary(text, span.end.clamp(start, text.len()));
            *span = start..end;
            offsets.extend([start, end]);
        }
    };
    for d in diagnostics.iter_mut() {
        snap(&mut d.span);
        for r in &mut d.related {
            snap(&mut r.span);
        }
        for e in d.fix.iter_mut().flat_map(|f| f.edits.iter_mut()) {
            snap(&mut e.span);
        }
    }
    let positions = LineIndex::new(text).positions(text, &mut offsets);
    let at = |o: usize| positions[offsets.partition_point(|&x| x < o)];
    for d in diagnostics {
        if let Some(span) = d.span.clone() {
            d.start = Some(at(span.start));
            d.end = Some(at(span.end));
        }
        for e in d.fix.iter_mut().flat_map(|f| f.edits.iter_mut()) {
            if let Some(span) = e.span.clone() {
                e.start = Some(at(span.start));
                e.end = Some(at(span.end));
            }
        }
        for r in &mut d.related {
            if let Some(span) = r.span.clone() {
                r.start = Some(at(span.start));
                r.end = Some(at(span.end));
            }
        }
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn ceil_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset < text.len() && !text.is_char_boundary(offset) {
        offset += 1;
    }
    offset
}

/// Sorts findings by position, then rule, then pointer.
pub(crate) fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        let pa = a.span.as_ref().map(|s| s.start);
        let pb = b.span.as_ref().map(|s| s.start);
        pa.cmp(&pb)
            .then_with(|| a.pointer.cmp(&b.pointer))
            .then_with(|| a.rule.cmp(&b.rule))
    });
}

/// Shifts positions of a payload found at `origin` in a larger file.
pub(crate) fn shift(report: &mut Report, origin: Origin) {
    for d in &mut report.diagnostics {
        if let Some(span) = d.span.as_mut() {
            span.start += origin.offset;
            span.end += origin.offset;
        }
        for pos in [d.start.as_mut(), d.end.as_mut()].into_iter().flatten() {
            pos.line += origin.line.saturating_sub(1);
        }
        for r in &mut d.related {
            if let Some(span) = r.span.as_mut() {
                span.start += origin.offset;
                span.end += origin.offset;
            }
            for pos in [r.start.as_mut(), r.end.as_mut()].into_iter().flatten() {
                pos.line += origin.line.saturating_sub(1);
            }
        }
        for e in d.fix.iter_mut().flat_map(|f| f.edits.iter_mut()) {
            if let Some(span) = e.span.as_mut() {
                span.start += origin.offset;
                span.end += origin.offset;
            }
            for pos in [e.start.as_mut(), e.end.as_mut()].into_iter().flatten() {
                pos.line += origin.line.saturating_sub(1);
            }
        }
    }
}

/// The findings of one payload with their source snippets, positioned for
/// the file: `text` is the payload's text (positions in `report` are in it),
/// found at `origin` in the file. Snippets are windows of the line each
/// finding starts on, masked with `mask`; lines are indexed only when there
/// is a finding.
pub(crate) fn findings(
    text: &str,
    mut report: Report,
    mask: &SecretMask,
    origin: Origin,
) -> Vec<Finding> {
    if report.diagnostics.is_empty() {
        return Vec::new();
    }
    let index = LineIndex::new(text);
    let snippet = |start: Option<Position>, span: Option<&Range<usize>>| {
        let (start, span) = (start?, span?);
        Some(Snippet::around(
            index.line_text(text, start.line),
            index.line_start(start.line),
            start.line + origin.line.saturating_sub(1),
            span.start,
            start.column,
            mask,
        ))
    };
    let snippets: Vec<(Option<Snippet>, Vec<Option<Snippet>>)> = report
        .diagnostics
        .iter()
        .map(|d| {
            (
                snippet(d.start, d.span.as_ref()),
                d.related
                    .iter()
                    .map(|r| snippet(r.start, r.span.as_ref()))
                    .collect(),
            )
        })
        .collect();
    shift(&mut report, origin);
    report
        .diagnostics
        .into_iter()
        .zip(snippets)
        .map(|(diagnostic, (snippet, related))| Finding {
            diagnostic,
            snippet,
            related,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_quoted_values_are_clipped_in_messages() {
        let long = "x".repeat(10_000);
        let mut d = Diagnostic::error("r", "/a", format!("`a` holds `{long}`; \"{long}\" again"));
        clip_quotes(&mut d);
        assert!(d.message.len() < 400, "{}", d.message);
        assert!(d.message.starts_with("`a` holds `xxx"));
        assert!(d.message.contains("…"));
        let short = Diagnostic::error(
            "r",
            "/a",
            "`ref_id` \"WA-Promo-Harbolnas-12.12-2026\" is too long",
        );
        let mut same = short.clone();
        clip_quotes(&mut same);
        assert_eq!(same, short);
    }
}

/// What [`crate::check`] found in one payload.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The endpoint the payload was checked as: the one given, or the one its
    /// shape was detected as (`None` when that failed, with an
    /// `unknown-endpoint` finding).
    pub endpoint: Option<&'static Endpoint>,
    /// The findings, sorted, positioned in the file, each with its masked
    /// snippet.
    pub findings: Vec<Finding>,
    /// What a run should say once, not per payload (Qiscus' broadcast-client
    /// fills a template's header from the template's settings in Qiscus).
    pub notes: Vec<String>,
}

/// Checks one payload's bytes: a whole document, or one line of an NDJSON
/// file found at `origin`. With `endpoint` `None`, the endpoint is detected
/// from the payload's shape. Bytes that are not UTF-8 JSON text, a
/// byte-order mark and every finding of the payload come back as findings,
/// positioned in the file.
///
/// # Errors
/// Only if the embedded schemas are broken (a bug in preflight).
pub(crate) fn check_bytes(
    bytes: &[u8],
    endpoint: Option<&'static Endpoint>,
    options: &Options,
    origin: Origin,
) -> Result<Checked, Error> {
    let positioned = |mut d: Diagnostic, line: usize| {
        d.start = Some(Position {
            line: origin.line.max(1) + line - 1,
            column: 1,
        });
        let mut ds = vec![d];
        apply_levels(&mut ds, options);
        ds.into_iter().map(|diagnostic| Finding {
            diagnostic,
            snippet: None,
            related: Vec::new(),
        })
    };
    let (text, bom) = match parse::decode(bytes) {
        Ok(t) => t,
        Err(failure) => {
            // Position in bytes that are not text: the line of the valid prefix.
            let valid = &bytes[..failure.offset.min(bytes.len())];
            let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
            return Ok(Checked {
                endpoint,
                findings: positioned(*failure.diagnostic, line).collect(),
                notes: Vec::new(),
            });
        }
    };
    let mut outcome = check_text(endpoint, text, options, |value| {
        crate::engine::detect::from_shape(value).map(Some)
    })?;
    let mut findings: Vec<Finding> = Vec::new();
    if bom {
        let d = Diagnostic::warning(
            "byte-order-mark",
            "",
            "the file starts with a UTF-8 byte-order mark; some providers reject the body",
        )
        .with_help("save the file as UTF-8 without BOM");
        findings.extend(positioned(d, 1));
    }
    let origin = Origin {
        offset: origin.offset + if bom { 3 } else { 0 },
        line: origin.line.max(1),
    };
    let mask = outcome.take_mask(text);
    findings.extend(self::findings(text, outcome.report, &mask, origin));
    Ok(Checked {
        endpoint: outcome.endpoint.or(endpoint),
        findings,
        notes: outcome.notes,
    })
}
