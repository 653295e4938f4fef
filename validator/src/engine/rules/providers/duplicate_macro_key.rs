//! `duplicate-macro-key`: one 3Dolphins template macro given two values.

use super::shared::macro_lists;
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::engine::rules::context::{Rule, RuleContext, RuleInfo};
use crate::engine::text::pointer;
use serde_json::Value;

/// The rule.
pub struct DuplicateMacroKey;

static INFO: RuleInfo = RuleInfo {
    name: "duplicate-macro-key",
    default_severity: Severity::Error,
    source: Source::Provider,
    providers: &["3dolphins/"],
    summary: "A 3Dolphins macro key appears twice in headerVariables or in bodyVariables.",
    docs: include_str!("duplicate-macro-key.md"),
};

impl Rule for DuplicateMacroKey {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        for (list_ptr, list, items) in macro_lists(cx.payload) {
            let mut seen: Vec<(&str, usize)> = Vec::new();
            for (i, item) in items.iter().enumerate() {
                let Some(key) = item.get("key").and_then(Value::as_str) else {
                    continue;
                };
                if let Some(&(_, first)) = seen.iter().find(|(k, _)| *k == key) {
                    let value = |j: usize| {
                        items
                            .get(j)
                            .and_then(|v| v.get("value"))
                            .and_then(Value::as_str)
                            .map(|s| format!(" (\"{s}\")"))
                            .unwrap_or_default()
                    };
                    out.push(
                        Diagnostic::error(
                            INFO.name,
                            pointer::join(&pointer::join_index(&list_ptr, i), "key"),
                            format!(
                                "`{list}[{i}]`{} fills macro {key}, which `{list}[{first}]`{} already fills; each macro takes one value",
                                value(i),
                                value(first)
                            ),
                        )
                        .with_help(format!("give this entry the key of the macro it is meant for, or remove it if `{list}[{first}]` is right"))
                        .with_source(Source::Provider)
                        .with_related(
                            pointer::join(&pointer::join_index(&list_ptr, first), "key"),
                            format!("macro {key} first filled here"),
                        ),
                    );
                } else {
                    seen.push((key, i));
                }
            }
        }
    }
}
