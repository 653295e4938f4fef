//! `unix-time`: the request `time` as Unix seconds. Never compared with the
//! clock, so results do not depend on when preflight runs.

use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::diagnostic::{Edit, Fix};
use crate::engine::rules::context::{Rule, RuleContext, RuleInfo};
use serde_json::Value;

/// The rule.
pub struct UnixTime;

static INFO: RuleInfo = RuleInfo {
    name: "unix-time",
    default_severity: Severity::Error,
    source: Source::Provider,
    providers: &["sandeza/"],
    summary: "`time` is not a Unix timestamp in seconds (digits only; 13 digits are milliseconds).",
    docs: include_str!("unix-time.md"),
};

impl Rule for UnixTime {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        for (ptr, text) in cx.strings_with_format("unix-seconds") {
            // Surrounding spaces are `surrounding-whitespace`'s, placeholders `unfilled-placeholder`'s.
            let t = text.trim();
            if t.is_empty() || cx.is_placeholder(ptr, t) {
                continue;
            }
            if let Some(d) = judge(INFO.name, ptr, t) {
                out.push(with_fix(cx, d, ptr, t));
            }
        }
    }
}

/// The whole seconds a time in milliseconds, microseconds or with a
/// fractional part stands for.
fn seconds(t: &str) -> Option<&str> {
    if let Some((secs, frac)) = t.split_once('.') {
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        return (digits(secs) && digits(frac) && secs.len() == 10).then_some(secs);
    }
    if !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match t.len() {
        13 => t.get(..10),
        16 => t.get(..10),
        _ => None,
    }
}

/// Adds the fix of a time in another unit: the seconds, and the signature
/// recomputed for them when the password is known (safe then: the payload
/// stays signed); without the password the fix leaves the signature stale,
/// so it is unsafe.
fn with_fix(cx: &RuleContext<'_>, d: Diagnostic, ptr: &str, t: &str) -> Diagnostic {
    let Some(secs) = seconds(t) else { return d };
    let mut edits = vec![Edit::value(ptr, &Value::String(secs.to_string()))];
    let parent = crate::engine::text::pointer::parent(ptr).unwrap_or("");
    let object = crate::engine::text::pointer::get(cx.payload, parent);
    let field = |k: &str| object.and_then(|o| o.get(k)).and_then(Value::as_str);
    let signed = match (
        cx.options.sandeza_password.as_deref(),
        field("username"),
        field("signature"),
    ) {
        (Some(password), Some(username), Some(_)) => {
            let signature = crate::types::extra::sandeza::signature_hex(username, password, secs);
            edits.push(
                Edit::value(
                    &crate::engine::text::pointer::join(parent, "signature"),
                    &Value::String(signature),
                )
                .secret(),
            );
            true
        }
        _ => false,
    };
    let fix = if signed {
        Fix::safe(
            format!("send {secs} and the signature computed for it"),
            edits,
        )
    } else {
        Fix::unsafe_(
            format!("send {secs} (then compute the signature for it)"),
            edits,
        )
    };
    d.with_fix(fix)
}

fn judge(rule: &str, ptr: &str, t: &str) -> Option<Diagnostic> {
    let field = crate::engine::text::pointer::FieldName(ptr);
    if !t.bytes().all(|b| b.is_ascii_digit()) {
        let (what, help) = if let Some((secs, _)) = t.split_once('.').filter(|(a, b)| {
            !a.is_empty()
                && a.bytes().all(|c| c.is_ascii_digit())
                && b.bytes().all(|c| c.is_ascii_digit())
        }) {
            (
                "has a fractional part".to_string(),
                format!("send whole seconds: \"{secs}\""),
            )
        } else if t.starts_with('<') || t.starts_with('{') {
            (
                "still looks like a doc placeholder".to_string(),
                "put the current time in seconds since 1970-01-01 UTC here, e.g. \"1730458063\""
                    .to_string(),
            )
        } else if t.len() >= 10
            && t.as_bytes().get(4) == Some(&b'-')
            && t.bytes().take(4).all(|b| b.is_ascii_digit())
        {
            (
                "is a date, not a Unix timestamp".to_string(),
                "send the number of seconds since 1970-01-01 UTC, e.g. \"1730458063\"".to_string(),
            )
        } else {
            (
                "is not digits only".to_string(),
                "send the number of seconds since 1970-01-01 UTC, e.g. \"1730458063\"".to_string(),
            )
        };
        return Some(
            Diagnostic::error(
                rule,
                ptr,
                format!("`{field}` (`{t}`) {what}; Sandeza expects a Unix timestamp in seconds"),
            )
            .with_help(help)
            .with_source(Source::Provider),
        );
    }
    let unit = match t.len() {
        10 => return None,
        13 => Some(("milliseconds", 3)),
        16 => Some(("microseconds", 6)),
        _ => None,
    };
    if let Some((unit, cut)) = unit {
        let secs = &t[..t.len() - cut];
        return Some(
            Diagnostic::error(
                rule,
                ptr,
                format!(
                    "`{field}` is {} digits: `{t}` is {unit}, but Sandeza expects seconds",
                    t.len()
                ),
            )
            .with_help(format!(
                "divide by {}: \"{secs}\"",
                if cut == 3 { "1000" } else { "1000000" }
            ))
            .with_note("the signature must be computed from the corrected time too")
            .with_source(Source::Provider),
        );
    }
    Some(
        Diagnostic::warning(rule, ptr, format!("`{field}` (`{t}`) has {} digits; a Unix timestamp in seconds has 10 (2001 to 2286)", t.len()))
            .with_help("send the current time in seconds since 1970-01-01 UTC, e.g. \"1730458063\"")
            .with_source(Source::Provider),
    )
}
