//! The OCA and Qiscus half of `duplicate-button-index` (the rule lives with
//! Sandeza's half in `rules/sandeza/duplicate_button_index.rs`): two button
//! entries of one OCA or Qiscus template message with the same `index`.

use crate::diagnostic::{Diagnostic, Source};
use crate::engine::rules::context::{RuleContext, RuleInfo};
use crate::engine::text::pointer;
use serde_json::Value;

/// A button index as sent: an integer or a numeric string.
fn index_of(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

/// Reports, under `rule`, every OCA button component or Qiscus `button_params`
/// entry whose index an earlier entry of the same list already used. The
/// places are found through the schemas' shared `ButtonIndex` definition.
pub(crate) fn check(cx: &RuleContext<'_>, rule: &'static RuleInfo, out: &mut Vec<Diagnostic>) {
    // (list pointer, index, pointer of the first entry using it)
    let mut seen: Vec<(&str, u64, &str)> = Vec::new();
    // Each place once, however many schema nodes reach it.
    for (ptr, value) in cx.annotations.with_def("ButtonIndex") {
        let Some(index) = index_of(value) else {
            continue;
        };
        let (Some(item), Some(list)) = (
            pointer::parent(ptr),
            pointer::parent(ptr).and_then(pointer::parent),
        ) else {
            continue;
        };
        if seen.iter().any(|&(_, _, first)| first == item) {
            continue; // an item already seen, through another of its fields
        }
        let Some(&(_, _, first)) = seen.iter().find(|&&(l, n, _)| l == list && n == index) else {
            seen.push((list, index, item));
            continue;
        };
        let here = pointer::display_path(item);
        let there = pointer::display_path(first);
        let list_name = pointer::field_name(list);
        out.push(
            Diagnostic::error(
                rule.name,
                ptr.to_string(),
                format!("`{here}` fills button {index}, which `{there}` already fills; each button of a template takes one value"),
            )
            .with_help(format!(
                "give each entry of `{list_name}` the index of a different button (0 is the template's first button), or remove the repeated entry"
            ))
            .with_source(Source::Platform)
            .with_related(
                format!("{first}{}", ptr.get(item.len()..).unwrap_or_default()),
                format!("button {index} first filled here"),
            ),
        );
    }
}
