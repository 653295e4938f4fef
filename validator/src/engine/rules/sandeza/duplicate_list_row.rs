//! `duplicate-list-row`: list rows must have unique ids (`key`) across all
//! sections.

use super::shared::places_of;
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::engine::rules::context::{Rule, RuleContext, RuleInfo};
use serde_json::Value;

/// The rule.
pub struct DuplicateListRow;

static INFO: RuleInfo = RuleInfo {
    name: "duplicate-list-row",
    default_severity: Severity::Error,
    source: Source::Platform,
    providers: &["sandeza/"],
    summary: "Two rows of one list message have the same id (`key`).",
    docs: include_str!("duplicate-list-row.md"),
};

impl Rule for DuplicateListRow {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        for (ptr, value) in places_of(cx, "SessionList") {
            let Some(sections) = value.get("sections").and_then(Value::as_array) else {
                continue;
            };
            let mut seen: Vec<(&str, usize, usize)> = Vec::new();
            for (si, section) in sections.iter().enumerate() {
                for (ri, row) in section
                    .get("actions")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .enumerate()
                {
                    let Some(key) = row.get("key").and_then(Value::as_str) else {
                        continue;
                    };
                    if let Some((_, fs, fr)) = seen.iter().find(|(k, _, _)| *k == key) {
                        out.push(
                            Diagnostic::error(
                                INFO.name,
                                format!("{ptr}/sections/{si}/actions/{ri}/key"),
                                format!("row id `{key}` is already used by sections[{fs}].actions[{fr}]; WhatsApp requires unique row ids across the list"),
                            )
                            .with_help("give each row its own `key`")
                            .with_source(Source::Platform)
                            .with_related(format!("{ptr}/sections/{fs}/actions/{fr}/key"), format!("row id `{key}` first used here")),
                        );
                    } else {
                        seen.push((key, si, ri));
                    }
                }
            }
        }
    }
}
