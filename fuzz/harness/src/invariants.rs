//! What every finding must satisfy, whatever the input: spans inside the
//! text and on character boundaries, line and column agreeing with them,
//! pointers that are RFC 6901 and resolve in the payload, fixes that leave a
//! parseable payload and settle.

use preflight::{Diagnostic, Fix, Options, Origin, Position};
use serde_json::Value;
use std::ops::Range;

/// The text spans index: the longest valid UTF-8 prefix.
pub fn text_of(bytes: &[u8]) -> &str {
    match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default(),
    }
}

/// The line and column of byte `at` of `text`, as findings count them
/// (columns in characters, from 1; a leading byte-order mark is not one).
pub fn position(text: &str, at: usize) -> Position {
    let bom = if text.starts_with('\u{feff}') && at >= 3 {
        3
    } else {
        0
    };
    let before = &text[bom..at];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    Position::new(line, column)
}

/// One span (and its positions) of `what` in `bytes`.
pub fn span(
    what: &str,
    bytes: &[u8],
    span: &Range<usize>,
    start: Option<Position>,
    end: Option<Position>,
) {
    let text = text_of(bytes);
    assert!(
        span.start <= span.end && span.end <= bytes.len(),
        "{what}: span {span:?} outside the input's {} bytes",
        bytes.len()
    );
    assert!(
        span.end <= text.len() || span.start == span.end,
        "{what}: span {span:?} past the UTF-8 text ({} bytes)",
        text.len()
    );
    if span.end > text.len() {
        return;
    }
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{what}: span {span:?} splits a character"
    );
    if let Some(start) = start {
        assert_eq!(
            start,
            position(text, span.start),
            "{what}: the start's line and column disagree with span {span:?}"
        );
    }
    if let Some(end) = end {
        assert_eq!(
            end,
            position(text, span.end),
            "{what}: the end's line and column disagree with span {span:?}"
        );
    }
}

/// True for an RFC 6901 JSON Pointer: empty, or `/`-separated tokens in
/// which `~` is only ever `~0` or `~1`.
pub fn is_pointer(p: &str) -> bool {
    if p.is_empty() {
        return true;
    }
    if !p.starts_with('/') {
        return false;
    }
    let b = p.as_bytes();
    b.iter()
        .enumerate()
        .all(|(i, &c)| c != b'~' || matches!(b.get(i + 1), Some(b'0' | b'1')))
}

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// True when `pointer` resolves in `payload`, or names a member its parent
/// object does not have (where a missing field would be).
fn resolves(payload: &Value, pointer: &str) -> bool {
    if payload.pointer(pointer).is_some() {
        return true;
    }
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        return false;
    };
    match payload.pointer(parent) {
        Some(Value::Object(o)) => !o.contains_key(&unescape(last)),
        _ => false,
    }
}

/// Every check of one finding of a payload read from `bytes`; `payload` is
/// the document when it parses as JSON.
pub fn diagnostic(what: &str, bytes: &[u8], payload: Option<&Value>, d: &Diagnostic) {
    let what = format!("{what}: {} at {:?}", d.rule, d.pointer);
    assert!(
        is_pointer(&d.pointer),
        "{what}: the pointer is not RFC 6901"
    );
    if let Some(s) = &d.span {
        span(&what, bytes, s, d.start, d.end);
    }
    for r in &d.related {
        let what = format!("{what}, related {:?}", r.pointer);
        assert!(is_pointer(&r.pointer), "{what}: not RFC 6901");
        if let Some(s) = &r.span {
            span(&what, bytes, s, r.start, r.end);
        }
    }
    if let Some(fix) = &d.fix {
        for e in &fix.edits {
            let what = format!("{what}, fix edit at {:?}", e.pointer);
            assert!(is_pointer(&e.pointer), "{what}: not RFC 6901");
            if let Some(s) = &e.span {
                span(&what, bytes, s, e.start, e.end);
            }
        }
    }
    if let Some(payload) = payload {
        assert!(
            resolves(payload, &d.pointer),
            "{what}: the pointer does not resolve in the payload"
        );
        let missing = payload.pointer(&d.pointer).is_none();
        if missing && let (Some(s), Ok(text)) = (&d.span, std::str::from_utf8(bytes)) {
            // A missing field is shown at its parent object's opening brace.
            assert!(
                text[s.clone()].starts_with('{') || s.is_empty(),
                "{what}: a missing field's span {s:?} is not its object's brace"
            );
        }
    }
}

/// The payload of `bytes` when serde_json reads it (what a pointer must
/// resolve in).
pub fn parsed(bytes: &[u8]) -> Option<Value> {
    serde_json::from_slice(bytes).ok()
}

/// Every finding of a report on `bytes`.
pub fn diagnostics(what: &str, bytes: &[u8], diagnostics: &[Diagnostic]) {
    let payload = parsed(bytes);
    for d in diagnostics {
        diagnostic(what, bytes, payload.as_ref(), d);
    }
}

/// The most fix passes `preflight validate --fix` makes.
const PASSES: usize = 8;

/// `--fix` (and `--unsafe-fixes`) as the command applies it: passes until
/// nothing changes. Every pass's output still parses, and the fixes settle:
/// after the last pass, another changes nothing.
pub fn fixes(what: &str, endpoint: Option<&'static preflight::Endpoint>, bytes: &[u8]) {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let parses = parsed(bytes).is_some();
    for unsafe_fixes in [false, true] {
        let mut current = text.to_string();
        let mut settled = false;
        for _ in 0..=PASSES {
            let checked = preflight::check(
                current.as_bytes(),
                endpoint,
                &Options::default(),
                Origin::default(),
            )
            .unwrap();
            if checked
                .findings
                .iter()
                .any(|f| f.diagnostic.rule == "parse-error")
            {
                assert!(
                    current == text,
                    "{what}: --fix (unsafe {unsafe_fixes}) made a payload that does not parse: {current:?} (from {text:?})"
                );
                settled = true;
                break;
            }
            let found: Vec<Fix> = checked
                .findings
                .into_iter()
                .filter_map(|f| f.diagnostic.fix)
                .collect();
            let refs: Vec<&Fix> = found.iter().collect();
            let applied = preflight::fix::apply(&current, &refs, unsafe_fixes);
            if applied.applied == 0 || applied.text == current {
                settled = true;
                break;
            }
            if parses {
                assert!(
                    serde_json::from_str::<Value>(&applied.text).is_ok(),
                    "{what}: --fix (unsafe {unsafe_fixes}) output is not JSON: {:?} (from {current:?})",
                    applied.text
                );
            }
            current = applied.text;
        }
        assert!(
            settled,
            "{what}: --fix (unsafe {unsafe_fixes}) still changes the payload after {PASSES} passes: {current:?} (from {text:?})"
        );
    }
}

/// True for a character no human-readable report may print raw.
pub fn unsafe_char(c: char) -> bool {
    c != '\n' && preflight::render::is_unsafe(c)
}

/// No character that drives a terminal in `out`, a report in a human format.
pub fn printable(what: &str, out: &str) {
    if let Some(c) = out.chars().find(|&c| unsafe_char(c)) {
        panic!("{what}: the output holds {c:?} raw:\n{out}");
    }
}

/// True when `text` holds a piece of `secret` that [`hidden`] looks for
/// (four characters of it).
pub fn shares_a_piece(secret: &str, text: &str) -> bool {
    let chars: Vec<char> = secret.chars().collect();
    chars
        .windows(4)
        .any(|w| text.contains(&w.iter().collect::<String>()))
}

/// No four consecutive characters of `secret` in `out`.
pub fn hidden(what: &str, secret: &str, out: &str) {
    let chars: Vec<char> = secret.chars().collect();
    for w in chars.windows(4) {
        let piece: String = w.iter().collect();
        assert!(
            !out.contains(&piece),
            "{what}: `{piece}` of the secret {secret:?} is shown:\n{out}"
        );
    }
}
