//! `webhook-reply-success-mismatch`: a chatbot-gateway webhook reply whose
//! `success` does not go with the shape of its `message`.

use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::rules::{Rule, RuleContext, RuleInfo};
use serde_json::Value;

/// The rule.
pub struct WebhookReplySuccessMismatch;

static INFO: RuleInfo = RuleInfo {
    name: "webhook-reply-success-mismatch",
    default_severity: Severity::Error,
    source: Source::Provider,
    providers: &["chatbot/webhook-reply"],
    summary: "A webhook reply says success true with a plain-string message, or success false with replies.",
    docs: "## What it does\nChecks that a chatbot-gateway webhook reply's `success` goes with its `message`: `success: true` with `message.reply` (the list of messages to send), `success: false` with a plain error text such as \"Unauthorized\". `success: true` with a string is an error; `success: false` with replies is a warning.\n\n## Why is this bad?\nThe gateway sends the customer what is in `message.reply`. With `success: true` and a plain string there is nothing to send and the customer gets no answer; with `success: false` the replies are most likely not sent at all.\n\n## Source\nChatbot gateway doc: \"Berikut ini format Response yang harus diberikan oleh webhook\" (the format the webhook must return: `success` and `message.reply`), and the PHP sample, which answers `success: false` with the message \"Unauthorized\".\n\n## Example\n```json\n{\"success\": true, \"message\": \"Terima kasih, pesanan Anda kami proses\"}\n```\nUse instead:\n```json\n{\"success\": true, \"message\": {\"reply\": [{\"type\": \"message\", \"content\": \"Terima kasih, pesanan Anda kami proses\"}]}}\n```\n",
};

impl Rule for WebhookReplySuccessMismatch {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        let Some(success) = cx.payload.get("success").and_then(Value::as_bool) else {
            return;
        };
        match (success, cx.payload.get("message")) {
            (true, Some(Value::String(text))) => out.push(
                Diagnostic::error(
                    INFO.name,
                    "/message",
                    "`message` is a plain string with `success: true`; the gateway sends only what is in `message.reply`, so the customer gets no answer",
                )
                .with_help(format!(
                    "to send this text, return {{\"success\": true, \"message\": {{\"reply\": [{{\"type\": \"message\", \"content\": {}}}]}}}}; for an error, set `success` to false",
                    Value::String(text.clone())
                ))
                .with_source(Source::Provider),
            ),
            (false, Some(Value::Object(m))) => {
                let count = m.get("reply").and_then(Value::as_array).map_or(0, Vec::len);
                if count == 0 {
                    return;
                }
                let replies = if count == 1 { "1 reply".to_string() } else { format!("{count} replies") };
                out.push(
                    Diagnostic::warning(
                        INFO.name,
                        "/success",
                        format!("`success` is false but `message.reply` holds {replies}; the gateway most likely sends nothing for a failed webhook"),
                    )
                    .with_help("set `success` to true to have the replies sent; answer false only with an error text such as \"Unauthorized\"")
                    .with_source(Source::Provider),
                );
            }
            _ => {}
        }
    }
}
