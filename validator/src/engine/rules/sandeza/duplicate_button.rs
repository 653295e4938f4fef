//! `duplicate-button`: reply buttons of one message must differ in title and
//! in id (`key`).

use super::shared::places_of;
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::engine::rules::context::{Rule, RuleContext, RuleInfo};
use serde_json::Value;

/// The rule.
pub struct DuplicateButton;

static INFO: RuleInfo = RuleInfo {
    name: "duplicate-button",
    default_severity: Severity::Error,
    source: Source::Platform,
    providers: &["sandeza/"],
    summary: "Two reply buttons of one message have the same title or the same id.",
    docs: include_str!("duplicate-button.md"),
};

impl Rule for DuplicateButton {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        for (ptr, value) in places_of(cx, "SessionButtonBody") {
            let Some(buttons) = value.get("button").and_then(Value::as_array) else {
                continue;
            };
            for (field, what, normalise) in [("title", "title", true), ("key", "id (`key`)", false)]
            {
                let mut seen: Vec<(String, usize)> = Vec::new();
                for (i, b) in buttons.iter().enumerate() {
                    let Some(v) = b.get(field).and_then(Value::as_str) else {
                        continue;
                    };
                    let norm = if normalise {
                        v.trim().to_lowercase()
                    } else {
                        v.to_string()
                    };
                    if let Some((_, first)) = seen.iter().find(|(s, _)| *s == norm) {
                        out.push(
                            Diagnostic::error(
                                INFO.name,
                                format!("{ptr}/button/{i}/{field}"),
                                format!("button[{i}] has the same {what} as button[{first}] (`{v}`); WhatsApp requires reply buttons with unique titles and ids"),
                            )
                            .with_help(format!("give each button its own {field}"))
                            .with_source(Source::Platform)
                            .with_related(format!("{ptr}/button/{first}/{field}"), format!("the same {field} first used here")),
                        );
                    } else {
                        seen.push((norm, i));
                    }
                }
            }
        }
    }
}
