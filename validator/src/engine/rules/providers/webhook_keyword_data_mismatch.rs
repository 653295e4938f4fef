//! `webhook-keyword-data-mismatch`: a chatbot-gateway webhook request whose
//! `data` shape does not go with its keyword.

use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::engine::rules::context::{Rule, RuleContext, RuleInfo};
use serde_json::Value;

/// The rule.
pub struct WebhookKeywordDataMismatch;

static INFO: RuleInfo = RuleInfo {
    name: "webhook-keyword-data-mismatch",
    default_severity: Severity::Warning,
    source: Source::Provider,
    providers: &["chatbot/webhook"],
    summary: "A webhook request's data is an object for a keyword ending in '#', or an array for one without.",
    docs: include_str!("webhook-keyword-data-mismatch.md"),
};

impl Rule for WebhookKeywordDataMismatch {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        let Some(keyword) = cx.payload.get("keyword").and_then(Value::as_str) else {
            return;
        };
        let hash = keyword.ends_with('#');
        let (message, help) = match (hash, cx.payload.get("data")) {
            (true, Some(Value::Object(_))) => (
                format!(
                    "`keyword` \"{keyword}\" ends in '#', so the gateway sends the values typed after it as an array in `data`; here `data` is an object"
                ),
                format!(
                    "make `data` the array of values after \"{keyword}\" (\"{keyword}Budi Santoso#budi@tokobaju.co.id\" gives [\"Budi Santoso\", \"budi@tokobaju.co.id\"]), or drop the '#' from the keyword"
                ),
            ),
            (false, Some(Value::Array(_))) => (
                format!(
                    "`keyword` \"{keyword}\" has no '#', so the gateway sends the sender's name and number as an object in `data`; here `data` is an array"
                ),
                format!(
                    "make `data` {{\"nama\": …, \"nohp\": …}}, or end the keyword in '#' (\"{keyword}#\") for the array form"
                ),
            ),
            _ => return,
        };
        out.push(
            Diagnostic::warning(INFO.name, "/data", message)
                .with_help(help)
                .with_source(Source::Provider)
                .with_related("/keyword", "the keyword, which decides the form of `data`"),
        );
    }
}
