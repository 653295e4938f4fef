//! `unfilled-placeholder`: values left as the docs' stand-ins.

use super::context::{Rule, RuleContext, RuleInfo};
use crate::diagnostic::{Diagnostic, Severity, Source};

/// The rule.
pub struct UnfilledPlaceholder;

static INFO: RuleInfo = RuleInfo {
    name: "unfilled-placeholder",
    default_severity: Severity::Error,
    source: Source::Provider,
    providers: &[],
    summary: "A value is still a placeholder copied from the provider's doc.",
    docs: include_str!("unfilled-placeholder.md"),
};

impl Rule for UnfilledPlaceholder {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        for found in cx.hygiene_strings() {
            let Some(placeholder) = found.placeholder.clone() else {
                continue;
            };
            let (ptr, text) = (found.pointer.as_str(), found.text);
            let field = crate::engine::text::pointer::field_name(ptr);
            let range = placeholder.range;
            let shown: String = if cx.is_secret(ptr) {
                "[redacted]".to_string()
            } else {
                text.chars()
                    .skip(range.start)
                    .take(range.end - range.start)
                    .collect()
            };
            let d = if placeholder.certain {
                Diagnostic::error(
                    INFO.name,
                    ptr,
                    format!("`{field}` still holds the doc placeholder `{shown}`"),
                )
                .with_help(format!("replace it with the real {}", placeholder.kind))
            } else {
                Diagnostic::warning(
                    INFO.name,
                    ptr,
                    format!("`{field}` holds `{shown}`, which reads like a template variable or doc marker left unfilled"),
                )
                .with_help("fill it in before sending")
                .with_note("the provider sends the text as it is: the customer would read the marker")
            };
            out.push(d.with_source(Source::Provider).with_value_range(range));
        }
    }
}
