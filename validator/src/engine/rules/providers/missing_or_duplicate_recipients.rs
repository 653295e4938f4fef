//! `missing-or-duplicate-recipients`: a 3Dolphins Create Broadcast WhatsApp
//! request names its recipients one way, each once.

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
    summary: "A 3Dolphins WhatsApp broadcast has no recipients, both kinds of recipients, or one number twice.",
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
                // The doc says to use one or the other, and its own sample
                // sends both: a warning, not a failed build.
                out.push(
                    Diagnostic::warning(
                        INFO.name,
                        "/recipient",
                        format!("both `recipient` and `whatsappRecipient`{listed} are set; 3Dolphins' doc says to use one or the other, does not say which wins, and its own sample sends both"),
                    )
                    .with_help("remove `recipient` to send to the numbers in `whatsappRecipient`, or remove `whatsappRecipient` to send to the uploaded list")
                    .with_source(Source::Provider),
                );
            }
            _ => {}
        }
        duplicate_numbers(map, out);
    }
}

/// The same number twice in `whatsappRecipient` (written `0812…` once and
/// `62812…` once counts too): the customer gets the broadcast twice.
fn duplicate_numbers(map: &serde_json::Map<String, Value>, out: &mut Vec<Diagnostic>) {
    let Some(list) = map.get("whatsappRecipient").and_then(Value::as_array) else {
        return;
    };
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (i, item) in list.iter().enumerate() {
        let Some(number) = item.get("Recipient").and_then(Value::as_str) else {
            continue;
        };
        let digits: String = number.chars().filter(char::is_ascii_digit).collect();
        if digits.len() < 8 {
            continue; // not a number yet: the phone rules' finding
        }
        let national = digits
            .strip_prefix("62")
            .or_else(|| digits.strip_prefix('0'))
            .unwrap_or(&digits)
            .to_string();
        match seen.get(&national) {
            Some(&first) => out.push(
                Diagnostic::warning(
                    INFO.name,
                    format!("/whatsappRecipient/{i}/Recipient"),
                    format!(
                        "`whatsappRecipient[{i}]` sends to the number of `whatsappRecipient[{first}]` again; the customer gets the broadcast twice"
                    ),
                )
                .with_help(format!("remove `whatsappRecipient[{i}]`, or correct its number"))
                .with_source(Source::Provider)
                .with_related(
                    format!("/whatsappRecipient/{first}/Recipient"),
                    "the same number first here",
                ),
            ),
            None => {
                seen.insert(national, i);
            }
        }
    }
}
