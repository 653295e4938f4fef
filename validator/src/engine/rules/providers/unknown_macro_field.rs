//! `unknown-macro-field`: a 3Dolphins macro variable naming a field the inline
//! recipients do not all have.

use super::shared::and_list;
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::engine::rules::context::{Rule, RuleContext, RuleInfo};
use serde_json::{Map, Value};

/// The rule.
pub struct UnknownMacroField;

static INFO: RuleInfo = RuleInfo {
    name: "unknown-macro-field",
    default_severity: Severity::Error,
    source: Source::Provider,
    providers: &["3dolphins/broadcast-whatsapp"],
    summary: "A 3Dolphins macro variable's value names a field that some whatsappRecipient entries lack.",
    docs: include_str!("unknown-macro-field.md"),
};

impl Rule for UnknownMacroField {
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
        let recipients: Vec<(usize, &Map<String, Value>)> = recipients
            .iter()
            .enumerate()
            .filter_map(|(i, r)| r.as_object().map(|m| (i, m)))
            .collect();
        if recipients.is_empty() {
            return;
        }
        for list in ["headerVariables", "bodyVariables"] {
            let Some(items) = cx.payload.get(list).and_then(Value::as_array) else {
                continue;
            };
            for (i, item) in items.iter().enumerate() {
                if item.get("type").and_then(Value::as_str) == Some("static") {
                    continue;
                }
                let Some(field) = item.get("value").and_then(Value::as_str) else {
                    continue;
                };
                if field.is_empty() {
                    continue; // the schema's min-length finding
                }
                let lacking: Vec<usize> = recipients
                    .iter()
                    .filter(|(_, r)| !r.contains_key(field))
                    .map(|&(k, _)| k)
                    .collect();
                if lacking.is_empty() {
                    continue;
                }
                let whom = if lacking.len() == recipients.len() {
                    if recipients.len() == 1 {
                        "the whatsappRecipient entry lacks".to_string()
                    } else {
                        "no whatsappRecipient entry has".to_string()
                    }
                } else {
                    let named: Vec<String> = lacking
                        .iter()
                        .take(5)
                        .map(|k| format!("`whatsappRecipient[{k}]`"))
                        .collect();
                    let more = if lacking.len() > 5 {
                        format!(" and {} more", lacking.len() - 5)
                    } else {
                        String::new()
                    };
                    format!(
                        "{}{more} lack{}",
                        and_list(&named),
                        if lacking.len() == 1 { "s" } else { "" }
                    )
                };
                let key = item
                    .get("key")
                    .and_then(Value::as_str)
                    .filter(|k| super::shared::macro_number(k).is_some())
                    .map(|k| format!(" for macro {k}"))
                    .unwrap_or_default();
                // A field spelt differently (case) in the recipients is the likely fix.
                let near = recipients
                    .iter()
                    .flat_map(|(_, r)| r.keys())
                    .find(|k| k.as_str() != field && k.eq_ignore_ascii_case(field));
                let help = match near {
                    Some(k) => format!(
                        "field names are case-sensitive: the recipients have \"{k}\"; use the same spelling in both places"
                    ),
                    None => {
                        let mut fields: Vec<&str> = Vec::new();
                        for (_, r) in &recipients {
                            for k in r.keys() {
                                if k != "Recipient" && !fields.contains(&k.as_str()) {
                                    fields.push(k);
                                }
                            }
                        }
                        if fields.is_empty() {
                            format!("add a \"{field}\" field to every whatsappRecipient entry")
                        } else {
                            let named: Vec<String> =
                                fields.iter().take(8).map(|f| format!("\"{f}\"")).collect();
                            format!(
                                "add a \"{field}\" field to every whatsappRecipient entry, or name one of their fields: {}",
                                named.join(", ")
                            )
                        }
                    }
                };
                let macro_at = format!("/{list}/{i}/value");
                let message = format!(
                    "`{list}[{i}].value` names the recipient field \"{field}\"{key}, but {whom} it"
                );
                // Some recipients have the field: the ones without it are the
                // place to fix, the macro the other half. None has it: the
                // macro is, and a differently spelt field the other half.
                let d = match lacking.first() {
                    Some(&row) if lacking.len() < recipients.len() => {
                        Diagnostic::error(INFO.name, format!("/whatsappRecipient/{row}"), message)
                            .with_related(
                                macro_at,
                                format!("the macro value that names \"{field}\""),
                            )
                    }
                    _ => {
                        let d = Diagnostic::error(INFO.name, macro_at, message);
                        let spelt = near.and_then(|k| {
                            recipients
                                .iter()
                                .find(|(_, r)| r.contains_key(k.as_str()))
                                .map(|&(row, _)| (row, k))
                        });
                        match spelt {
                            Some((row, k)) => d.with_related(
                                crate::engine::text::pointer::join(
                                    &format!("/whatsappRecipient/{row}"),
                                    k,
                                ),
                                format!("the recipient field spelt \"{k}\""),
                            ),
                            None => d,
                        }
                    }
                };
                out.push(d.with_help(help).with_source(Source::Provider));
            }
        }
    }
}
