//! `email-template-vars`: the `name:value;name:value` variables of a Sandeza
//! email template, and a plain email whose text looks like such variables.

use super::shared::{places_of, split_pieces};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::engine::rules::context::{Rule, RuleContext, RuleInfo};
use serde_json::Value;

/// The rule.
pub struct EmailTemplateVars;

static INFO: RuleInfo = RuleInfo {
    name: "email-template-vars",
    default_severity: Severity::Error,
    source: Source::Provider,
    providers: &["sandeza/"],
    summary: "An email template's `message` is not `name:value;name:value`.",
    docs: include_str!("email-template-vars.md"),
};

impl Rule for EmailTemplateVars {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        for (ptr, text) in cx.strings_with_format("sandeza-email-vars") {
            if text.trim().is_empty() || cx.is_placeholder(ptr, text) {
                continue;
            }
            check_vars(ptr, text, out);
        }
        for (email, obj) in places_of(cx, "EmailPlain") {
            let Some(message) = obj.get("message").and_then(Value::as_str) else {
                continue;
            };
            if looks_like_vars(message) {
                out.push(
                    Diagnostic::warning(
                        INFO.name,
                        crate::engine::text::pointer::join(email, "message"),
                        "`message` looks like template variables (`name:value;name:value`) but `template_id` is empty, so it is sent as the email's plain text",
                    )
                    .with_help("set `template_id` to the email template these values are for, or write the email text")
                    .with_source(Source::Provider),
                );
            }
        }
    }
}

fn check_vars(ptr: &str, text: &str, out: &mut Vec<Diagnostic>) {
    let pairs = split_pieces(text, ";", 0);
    let count = pairs.len();
    let mut names: Vec<(String, usize)> = Vec::new();
    for (i, pair) in pairs.iter().enumerate() {
        let n = i + 1;
        if pair.text.trim().is_empty() {
            let range = if pair.range.is_empty() {
                let s = pair.range.start.saturating_sub(usize::from(i > 0));
                s..s + 1
            } else {
                pair.range.clone()
            };
            out.push(
                Diagnostic::warning(
                    INFO.name,
                    ptr,
                    format!("`message` pair {n} of {count} is empty (a stray `;`)"),
                )
                .with_help("remove the extra `;`")
                .with_source(Source::Provider)
                .with_value_range(range),
            );
            continue;
        }
        let Some((name, _value)) = pair.text.split_once(':') else {
            let hint = if pair.text.contains('=') {
                "the name and value are separated by `:`, not `=`"
            } else {
                "each pair is `name:value`; a `;` inside a value splits it"
            };
            out.push(
                Diagnostic::error(
                    INFO.name,
                    ptr,
                    format!(
                        "`message` pair {n} (`{}`) has no `:` between name and value",
                        shorten(pair.text)
                    ),
                )
                .with_help(hint)
                .with_source(Source::Provider)
                .with_value_range(pair.range.clone()),
            );
            continue;
        };
        let name_len = name.chars().count();
        let name_range = pair.range.start..pair.range.start + name_len;
        let key = name.trim();
        if key.is_empty() {
            out.push(
                Diagnostic::error(
                    INFO.name,
                    ptr,
                    format!("`message` pair {n} has no variable name before `:`"),
                )
                .with_help("write the template variable's name before the `:` (`nama:Budi`)")
                .with_source(Source::Provider)
                .with_value_range(pair.range.clone()),
            );
            continue;
        }
        if let Some((_, first)) = names.iter().find(|(k, _)| k == key) {
            out.push(
                Diagnostic::error(
                    INFO.name,
                    ptr,
                    format!("`message` gives the variable `{key}` twice (pairs {first} and {n})"),
                )
                .with_help("give each template variable once")
                .with_source(Source::Provider)
                .with_value_range(name_range),
            );
            continue;
        }
        names.push((key.to_string(), n));
    }
}

fn shorten(s: &str) -> String {
    if s.chars().count() > 40 {
        let head: String = s.chars().take(37).collect();
        format!("{head}…")
    } else {
        s.to_string()
    }
}

/// Two or more `name:value` pairs joined by `;`, names being single words.
fn looks_like_vars(text: &str) -> bool {
    let pairs: Vec<&str> = text.split(';').filter(|p| !p.trim().is_empty()).collect();
    pairs.len() >= 2
        && pairs.iter().all(|p| {
            p.split_once(':').is_some_and(|(k, _)| {
                let k = k.trim();
                !k.is_empty()
                    && k.chars()
                        .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
            })
        })
}

#[cfg(test)]
mod tests {
    use super::looks_like_vars;

    #[test]
    fn recognises_variable_lists() {
        assert!(looks_like_vars("nama:Budi;alamat:Jl. Fatmawati"));
        assert!(!looks_like_vars(
            "Halo Budi: tagihan Anda sudah terbit; silakan bayar."
        ));
        assert!(!looks_like_vars("Jam: 10:00"));
    }
}
