//! `webhook-keyword-data-mismatch`: a chatbot-gateway webhook request whose
//! `data` shape does not go with its keyword.

use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::rules::{Rule, RuleContext, RuleInfo};
use serde_json::Value;

/// The rule.
pub struct WebhookKeywordDataMismatch;

static INFO: RuleInfo = RuleInfo {
    name: "webhook-keyword-data-mismatch",
    default_severity: Severity::Warning,
    source: Source::Provider,
    providers: &["chatbot/webhook"],
    summary: "A webhook request's data is an object for a keyword ending in '#', or an array for one without.",
    docs: "## What it does\nChecks a chatbot-gateway keyword webhook request (the body the gateway POSTs to your webhook, as in your handler's test fixtures): a keyword ending in `#` (`penawaran#`) comes with `data` as the array of values the customer typed after it; a keyword without `#` comes with `data` as the object `{\"nama\", \"nohp\"}`.\n\n## Why is this bad?\nThe gateway never sends the other combination, so a fixture that has it tests a request that cannot happen, and a handler written against it reads the wrong shape in production.\n\n## Source\nChatbot gateway doc, webhook: \"Jika kata kunci webhook menggunakan tanda pagar (#), maka data setelah tanda pagar (#) akan dikirim\" (with '#', the data after it is sent) and \"Jika kata kunci webhook tidak menggunakan tanda pagar (#), maka data nama dan no hp akan dikirim\" (without '#', the name and number are sent).\n\n## Example\n```json\n{\"keyword\": \"penawaran\", \"data\": [\"Budi Santoso\", \"budi@tokobaju.co.id\"], \"webhookkey\": \"…\", \"from\": \"6282386123456\"}\n```\nUse instead:\n```json\n{\"keyword\": \"penawaran#\", \"data\": [\"Budi Santoso\", \"budi@tokobaju.co.id\"], \"webhookkey\": \"…\", \"from\": \"6282386123456\"}\n```\n",
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
                .with_source(Source::Provider),
        );
    }
}
