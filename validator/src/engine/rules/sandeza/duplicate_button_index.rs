//! `duplicate-button-index`: one list of template buttons uses each `index`
//! once (per card, in a carousel). Sandeza's button lists are checked here;
//! OCA's and Qiscus's in `rules/providers/button_index_reused.rs`.

use super::shared::{index_value, lower_field, places_of};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::engine::rules::context::{Rule, RuleContext, RuleInfo};
use serde_json::Value;

/// The rule.
pub struct DuplicateButtonIndex;

static INFO: RuleInfo = RuleInfo {
    name: "duplicate-button-index",
    default_severity: Severity::Error,
    source: Source::Platform,
    providers: &["sandeza/", "oca/", "qiscus/"],
    summary: "Two template button parameters have the same `index`.",
    docs: include_str!("duplicate-button-index.md"),
};

impl Rule for DuplicateButtonIndex {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        if cx.endpoint.provider != "sandeza" {
            crate::engine::rules::providers::button_index_reused::check(cx, &INFO, out);
            return;
        }
        for (ptr, value) in places_of(cx, "WhatsAppTemplateButtons") {
            if let Some(buttons) = value.as_array() {
                let items: Vec<(String, &Value)> = buttons
                    .iter()
                    .enumerate()
                    .map(|(i, b)| (format!("{ptr}/{i}"), b))
                    .collect();
                report(&items, "`button`", out);
            }
        }
        for (ptr, value) in places_of(cx, "CarouselCard") {
            let Some(components) = value.get("components").and_then(Value::as_array) else {
                continue;
            };
            let items: Vec<(String, &Value)> = components
                .iter()
                .enumerate()
                .filter(|(_, c)| lower_field(c, "type").as_deref() == Some("button"))
                .map(|(i, c)| (format!("{ptr}/components/{i}"), c))
                .collect();
            let card = crate::engine::text::pointer::last(ptr).unwrap_or_default();
            report(&items, &format!("card {card}"), out);
        }
    }
}

fn report(items: &[(String, &Value)], place: &str, out: &mut Vec<Diagnostic>) {
    let mut seen: Vec<(u64, &str)> = Vec::new();
    for (ptr, b) in items {
        let Some(ix) = index_value(b.get("index")) else {
            continue;
        };
        if let Some((_, first)) = seen.iter().find(|(v, _)| *v == ix) {
            let first_name = crate::engine::text::pointer::field_name(first);
            out.push(
                Diagnostic::error(INFO.name, format!("{ptr}/index"), format!("button index {ix} is used twice in {place} (also at {first_name}); each index names one of the template's buttons"))
                    .with_help("give each button parameter the index of a different button (0 is the template's first button)")
                    .with_source(Source::Platform)
                    .with_related(format!("{first}/index"), format!("index {ix} first used here")),
            );
        } else {
            seen.push((ix, ptr.as_str()));
        }
    }
}
