//! `unix-time`: the request `time` as Unix seconds. Never compared with the
//! clock, so results do not depend on when preflight runs.

use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::engine::rules::context::{Rule, RuleContext, RuleInfo};

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
                out.push(d);
            }
        }
    }
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
