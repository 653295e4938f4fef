//! `button-parameter-type-mismatch`: an OCA button whose parameter type does
//! not go with its `sub_types`.

use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::engine::rules::context::{Rule, RuleContext, RuleInfo};
use serde_json::Value;

/// The rule.
pub struct ButtonParameterTypeMismatch;

static INFO: RuleInfo = RuleInfo {
    name: "button-parameter-type-mismatch",
    default_severity: Severity::Error,
    source: Source::Provider,
    providers: &["oca/"],
    summary: "An OCA button component's parameter type does not match its sub_types (quick_reply takes payload, url_dynamic takes text).",
    docs: include_str!("button-parameter-type-mismatch.md"),
};

impl Rule for ButtonParameterTypeMismatch {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        const AT: &str = "/message/template/payload";
        let Some(items) =
            crate::engine::text::pointer::get(cx.payload, AT).and_then(Value::as_array)
        else {
            return;
        };
        for (i, item) in items.iter().enumerate() {
            if item.get("position").and_then(Value::as_str) != Some("button") {
                continue;
            }
            // The doc's other readings (`sub_type`, `dynamic_url`, an object
            // for `parameters`) are `doc-discrepancy`'s; the pairing holds
            // in them too.
            let kind = item
                .get("sub_types")
                .or_else(|| item.get("sub_type"))
                .and_then(Value::as_str)
                .map(|k| if k == "dynamic_url" { "url_dynamic" } else { k });
            let (sub, expected, other, other_sub, what) = match kind {
                Some("quick_reply") => (
                    "quick_reply",
                    "payload",
                    "text",
                    "url_dynamic",
                    "the payload returned when the recipient taps the button",
                ),
                Some("url_dynamic") => (
                    "url_dynamic",
                    "text",
                    "payload",
                    "quick_reply",
                    "the dynamic end of the button's URL",
                ),
                // Another value is the schema's enum finding.
                _ => continue,
            };
            let params: Vec<(String, &Value)> = match item.get("parameters") {
                Some(Value::Array(list)) => list
                    .iter()
                    .enumerate()
                    .map(|(j, p)| (format!("{AT}/{i}/parameters/{j}"), p))
                    .collect(),
                Some(one @ Value::Object(_)) => vec![(format!("{AT}/{i}/parameters"), one)],
                _ => continue,
            };
            for (at, param) in params {
                // Only the two documented types: anything else is the schema's finding.
                if param.get("type").and_then(Value::as_str) != Some(other) {
                    continue;
                }
                let fixed = match param.get(other).and_then(Value::as_str) {
                    Some(v) => format!(
                        ": {{\"type\": \"{expected}\", \"{expected}\": {}}}",
                        Value::String(v.to_string())
                    ),
                    None => String::new(),
                };
                out.push(
                    Diagnostic::error(
                        INFO.name,
                        format!("{at}/type"),
                        format!(
                            "`payload[{i}]` is a {sub} button but its parameter has type \"{other}\"; OCA takes a parameter of type \"{expected}\" for {sub}"
                        ),
                    )
                    .with_help(format!(
                        "send {what} as type \"{expected}\"{fixed}; or, if the template's button is a {other_sub} button, set `sub_types` to \"{other_sub}\""
                    ))
                    .with_source(Source::Provider),
                );
            }
        }
    }
}
