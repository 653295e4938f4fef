//! `webhook-reply-success-mismatch`: a chatbot-gateway webhook reply whose
//! `success` does not go with the shape of its `message`.

use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::engine::rules::context::{Rule, RuleContext, RuleInfo};
use serde_json::Value;

/// The rule.
pub struct WebhookReplySuccessMismatch;

static INFO: RuleInfo = RuleInfo {
    name: "webhook-reply-success-mismatch",
    default_severity: Severity::Error,
    source: Source::Provider,
    providers: &["chatbot/webhook-reply"],
    summary: "A webhook reply says success true with a plain-string message, or success false with replies.",
    docs: include_str!("webhook-reply-success-mismatch.md"),
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
            (true, Some(Value::Object(m)))
                if m.get("reply").and_then(Value::as_array).is_some_and(Vec::is_empty) =>
            {
                out.push(
                    Diagnostic::warning(
                        INFO.name,
                        "/message/reply",
                        "`success` is true but `message.reply` is empty; the gateway sends the customer nothing, so the keyword seems to go unanswered",
                    )
                    .with_help("put at least one reply in the list, e.g. {\"type\": \"message\", \"content\": \"Terima kasih, pesan Anda kami terima\"}; if the webhook means not to answer, say so with `success: false`")
                    .with_note("a warning: a webhook may mean to stay silent, but the doc's response format always carries a reply")
                    .with_source(Source::Provider),
                );
            }
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
