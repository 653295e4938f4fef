//! `surrounding-whitespace`: leading or trailing spaces in ids, numbers,
//! template ids and URLs.

use super::context::{Rule, RuleContext, RuleInfo};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::diagnostic::{Edit, Fix};

/// The rule.
pub struct SurroundingWhitespace;

static INFO: RuleInfo = RuleInfo {
    name: "surrounding-whitespace",
    default_severity: Severity::Warning,
    source: Source::Provider,
    providers: &[],
    summary: "An id, number, template id or URL has leading or trailing whitespace.",
    docs: include_str!("surrounding-whitespace.md"),
};

const ID_SUFFIXES: &[&str] = &[
    "id",
    "_code",
    "code_id",
    "msisdn",
    "phone",
    "phone_number",
    "nohp",
    "url",
    "link",
    "template",
    "template_name",
    "namespace",
    "language",
    "recipient",
    "groupid",
    "email",
    "sender_id",
    "channel",
    "username",
];

impl Rule for SurroundingWhitespace {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        for found in cx.hygiene_strings() {
            let (ptr, text) = (found.pointer.as_str(), found.text);
            if !found.padded || text.trim().is_empty() {
                continue;
            }
            if !is_identifier(cx, ptr) {
                continue;
            }
            let field = crate::engine::text::pointer::field_name(ptr);
            let len = text.chars().count();
            let lead = text.chars().take_while(|c| c.is_whitespace()).count();
            let trail = text.chars().rev().take_while(|c| c.is_whitespace()).count();
            let (range, where_) = match (lead > 0, trail > 0) {
                (true, true) => (0..len, "leading and trailing"),
                (true, false) => (0..lead, "leading"),
                _ => (len - trail..len, "trailing"),
            };
            let fixed = if cx.is_secret(ptr) {
                String::new()
            } else {
                format!(": \"{}\"", text.trim())
            };
            let mut d = Diagnostic::warning(
                INFO.name,
                ptr,
                format!("`{field}` has {where_} whitespace; the provider compares it exactly"),
            )
            .with_help(format!("remove the whitespace{fixed}"))
            .with_source(Source::Provider)
            .with_value_range(range);
            let mut edit = Edit::value(ptr, &serde_json::Value::String(text.trim().to_string()));
            if cx.is_secret(ptr) {
                edit = edit.secret();
            }
            let fix = if ptr == "/username" && cx.endpoint.id.starts_with("sandeza/") {
                d = d.with_note("Sandeza checks `signature` against sha256(username + password + time) for the account's username: computed with this space, the signature will not match");
                // The signature may have been computed with the space.
                Fix::unsafe_("remove the whitespace", vec![edit])
            } else {
                Fix::safe("remove the whitespace", vec![edit])
            };
            out.push(d.with_fix(fix));
        }
    }
}

fn is_identifier(cx: &RuleContext<'_>, ptr: &str) -> bool {
    // Template text parameters are prose; `template-param-whitespace` owns their spacing.
    if cx
        .annotations
        .facts_at(ptr)
        .any(|f| f.format == Some("whatsapp-template-param"))
    {
        return false;
    }
    let schema_says = cx.annotations.facts_at(ptr).any(|f| f.exact_form);
    if schema_says {
        return true;
    }
    let Some(name) = crate::engine::text::pointer::last(ptr) else {
        return false;
    };
    let lower = name.to_ascii_lowercase();
    if lower.bytes().all(|b| b.is_ascii_digit()) {
        // An array item: judge by the array's field name.
        return crate::engine::text::pointer::parent(ptr)
            .and_then(crate::engine::text::pointer::last)
            .is_some_and(|p| {
                let p = p.to_ascii_lowercase();
                ID_SUFFIXES.iter().any(|s| p.ends_with(s))
                    || p.ends_with("numbers")
                    || p.ends_with("recipients")
            });
    }
    ID_SUFFIXES.iter().any(|s| lower.ends_with(s)) || lower.ends_with("templateid")
}
