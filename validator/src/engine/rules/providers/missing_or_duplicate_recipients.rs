//! `missing-or-duplicate-recipients`: a 3Dolphins Create Broadcast WhatsApp
//! request must name its recipients exactly one way.

use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::engine::rules::context::{Rule, RuleContext, RuleInfo};
use serde_json::Value;

/// The rule.
pub struct MissingOrDuplicateRecipients;

static INFO: RuleInfo = RuleInfo {
    name: "missing-or-duplicate-recipients",
    default_severity: Severity::Error,
    source: Source::Provider,
    providers: &["3dolphins/broadcast-whatsapp"],
    summary: "A 3Dolphins WhatsApp broadcast has neither or both of recipient and whatsappRecipient.",
    docs: include_str!("missing-or-duplicate-recipients.md"),
};

impl Rule for MissingOrDuplicateRecipients {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        let Some(map) = cx.payload.as_object() else {
            return;
        };
        let present = |k: &str| map.get(k).is_some_and(|v| !v.is_null());
        match (present("recipient"), present("whatsappRecipient")) {
            (false, false) => out.push(
                Diagnostic::error(
                    INFO.name,
                    "/whatsappRecipient",
                    "the broadcast has no recipients: 3Dolphins needs `whatsappRecipient` or `recipient`",
                )
                .with_help("add `whatsappRecipient` (one object per recipient: \"Recipient\" with the number, plus the macro fields), or `recipient` with the id of an uploaded recipient list")
                .with_source(Source::Provider),
            ),
            (true, true) => {
                let count = map.get("whatsappRecipient").and_then(Value::as_array).map_or(0, Vec::len);
                let listed = match count {
                    1 => " (1 recipient)".to_string(),
                    0 => String::new(),
                    n => format!(" ({n} recipients)"),
                };
                out.push(
                    Diagnostic::error(
                        INFO.name,
                        "/recipient",
                        format!("both `recipient` and `whatsappRecipient`{listed} are set; 3Dolphins takes one or the other, and its doc does not say which wins"),
                    )
                    .with_help("remove `recipient` to send to the numbers in `whatsappRecipient`, or remove `whatsappRecipient` to send to the uploaded list")
                    .with_source(Source::Provider),
                );
            }
            _ => {}
        }
    }
}
