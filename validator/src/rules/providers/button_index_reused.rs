//! `button-index-reused`: two button entries of one OCA or Qiscus template
//! message with the same `index`.

use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::pointer;
use crate::rules::{Rule, RuleContext, RuleInfo};
use serde_json::Value;

/// The rule.
pub struct ButtonIndexReused;

static INFO: RuleInfo = RuleInfo {
    name: "button-index-reused",
    default_severity: Severity::Error,
    source: Source::Platform,
    providers: &["oca/", "qiscus/"],
    summary: "Two button entries of one OCA or Qiscus template message use the same button index.",
    docs: "## What it does\nReports a button entry whose `index` (the 0-based position of the button in the template) was already used by an earlier entry of the same list: OCA's button components in `message.template.payload`, Qiscus's `button_params`. `0` and `\"0\"` are the same index. The places are found through the schemas' shared button-index definition, not by field paths. (Sandeza's button lists are checked by `duplicate-button-index`.)\n\n## Why is this bad?\nEach button of a template is filled once. With two values for one button, one is dropped (which one depends on the provider) and the other button gets no value: WhatsApp rejects the message (132000, parameter count) or the button links somewhere unintended.\n\n## Source\nWhatsApp template buttons (Meta's Cloud API): `index` 0–9, unique per message.\n\n## Example\n```json\n{\"button_params\": [\n  {\"type\": \"url\", \"values\": \"INV-2611-0042\", \"index\": 0},\n  {\"type\": \"url\", \"values\": \"bayar/INV-2611-0042\", \"index\": 0}\n]}\n```\nUse instead:\n```json\n{\"button_params\": [\n  {\"type\": \"url\", \"values\": \"INV-2611-0042\", \"index\": 0},\n  {\"type\": \"url\", \"values\": \"bayar/INV-2611-0042\", \"index\": 1}\n]}\n```\n",
};

/// A button index as sent: an integer or a numeric string.
fn index_of(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

impl Rule for ButtonIndexReused {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        // (list pointer, index, pointer of the first entry using it)
        let mut seen: Vec<(&str, u64, &str)> = Vec::new();
        let mut reported: Vec<&str> = Vec::new();
        for a in cx.annotations.iter() {
            if a.def_name() != Some("ButtonIndex") {
                continue;
            }
            let ptr = a.pointer.as_str();
            let Some(index) = pointer::get(cx.payload, ptr).and_then(index_of) else {
                continue;
            };
            let (Some(item), Some(list)) = (
                pointer::parent(ptr),
                pointer::parent(ptr).and_then(pointer::parent),
            ) else {
                continue;
            };
            if reported.contains(&ptr) || seen.iter().any(|&(_, _, first)| first == item) {
                continue; // the same place reached through two schema nodes
            }
            let Some(&(_, _, first)) = seen.iter().find(|&&(l, n, _)| l == list && n == index)
            else {
                seen.push((list, index, item));
                continue;
            };
            reported.push(ptr);
            let here = pointer::display_path(item);
            let there = pointer::display_path(first);
            let list_name = pointer::field_name(list);
            out.push(
                Diagnostic::error(
                    INFO.name,
                    ptr.to_string(),
                    format!("`{here}` fills button {index}, which `{there}` already fills; each button of a template takes one value"),
                )
                .with_help(format!(
                    "give each entry of `{list_name}` the index of a different button (0 is the template's first button), or remove the repeated entry"
                ))
                .with_source(Source::Platform),
            );
        }
    }
}
