//! `missing-or-duplicate-recipients`: a 3Dolphins Create Broadcast WhatsApp
//! request must name its recipients exactly one way.

use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::rules::{Rule, RuleContext, RuleInfo};
use serde_json::Value;

/// The rule.
pub struct MissingOrDuplicateRecipients;

static INFO: RuleInfo = RuleInfo {
    name: "missing-or-duplicate-recipients",
    default_severity: Severity::Error,
    source: Source::Provider,
    providers: &["3dolphins/broadcast-whatsapp"],
    summary: "A 3Dolphins WhatsApp broadcast has neither or both of recipient and whatsappRecipient.",
    docs: "## What it does\nOn `3dolphins/broadcast-whatsapp`, reports a request with neither `recipient` (the id of an uploaded recipient list) nor `whatsappRecipient` (numbers and macro values inline), and a request with both.\n\n## Why is this bad?\nWithout either, the broadcast has no one to go to. With both, the doc does not say which one 3Dolphins uses: the message may go to the uploaded list instead of the numbers you listed, or the other way round. The doc's own Create Broadcast WhatsApp sample sends both (`\"recipient\": \"string\"`), so copies of it carry the mistake.\n\n## Source\n3Dolphins doc, Definisi Komponen: \"Anda tidak perlu menggunakan field whatsappRecipient jika sudah menggunakan field recipient. Ini juga berlaku sebaliknya\" (you do not need whatsappRecipient if you use recipient, and vice versa).\n\n## Example\n```json\n{\"recipient\": \"6071c3e2a9b84f1d2c3e4a58\",\n \"whatsappRecipient\": [{\"Recipient\": \"6281812345678\", \"Nama\": \"Siti Rahmawati\"}]}\n```\nUse instead:\n```json\n{\"whatsappRecipient\": [{\"Recipient\": \"6281812345678\", \"Nama\": \"Siti Rahmawati\"}]}\n```\n",
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
