//! `header-macro-value-too-long`: a 3Dolphins recipient field that fills the
//! template's header macro is longer than WhatsApp's 60 characters.

use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::engine::rules::context::{Rule, RuleContext, RuleInfo};
use crate::engine::text::pointer;
use serde_json::Value;

/// The rule.
pub struct HeaderMacroValueTooLong;

static INFO: RuleInfo = RuleInfo {
    name: "header-macro-value-too-long",
    default_severity: Severity::Error,
    source: Source::Platform,
    providers: &["3dolphins/broadcast-whatsapp"],
    summary: "A whatsappRecipient field that fills the header macro is longer than 60 characters.",
    docs: include_str!("header-macro-value-too-long.md"),
};

const LIMIT: usize = 60;

impl Rule for HeaderMacroValueTooLong {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        let Some(recipients) = cx
            .payload
            .get("whatsappRecipient")
            .and_then(Value::as_array)
        else {
            return;
        };
        let Some(header) = cx.payload.get("headerVariables").and_then(Value::as_array) else {
            return;
        };
        let mut fields: Vec<(usize, &str, &str)> = Vec::new();
        for (i, item) in header.iter().enumerate() {
            if item.get("type").and_then(Value::as_str) == Some("static") {
                continue;
            }
            if let Some(field) = item.get("value").and_then(Value::as_str)
                && !fields.iter().any(|&(_, f, _)| f == field)
            {
                let key = item
                    .get("key")
                    .and_then(Value::as_str)
                    .unwrap_or("the header macro");
                fields.push((i, field, key));
            }
        }
        for (k, recipient) in recipients.iter().enumerate() {
            for &(i, field, key) in &fields {
                let Some(text) = recipient.get(field).and_then(Value::as_str) else {
                    continue;
                };
                let len = text.chars().count();
                if len <= LIMIT {
                    continue;
                }
                let ptr = pointer::join(&pointer::join_index("/whatsappRecipient", k), field);
                out.push(
                    Diagnostic::error(
                        INFO.name,
                        ptr,
                        format!(
                            "`whatsappRecipient[{k}].{field}` is {len} characters; it fills the header macro {key} (`headerVariables[{i}]`) and WhatsApp allows at most {LIMIT} in a template header"
                        ),
                    )
                    .with_help(format!("shorten it to {LIMIT} characters or fewer, or fill the header from a shorter field"))
                    .with_source(Source::Platform)
                    .with_related(
                        format!("/headerVariables/{i}/value"),
                        format!("the header macro that names \"{field}\""),
                    )
                    .with_value_range(LIMIT..len),
                );
            }
        }
    }
}
