//! `scheduled-date-ignored`: a 3Dolphins broadcast sent "Now" that also
//! carries a `scheduledDate`.

use super::broadcasts;
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::pointer;
use crate::rules::{Rule, RuleContext, RuleInfo};
use serde_json::Value;

/// The rule.
pub struct ScheduledDateIgnored;

static INFO: RuleInfo = RuleInfo {
    name: "scheduled-date-ignored",
    default_severity: Severity::Warning,
    source: Source::Provider,
    providers: &["3dolphins/"],
    summary: "A 3Dolphins broadcast with sendingMode \"Now\" also has a scheduledDate, which is ignored.",
    docs: "## What it does\nReports a `scheduledDate` on a 3Dolphins broadcast whose `sendingMode` is \"Now\" (in `3dolphins/broadcast`, each item of `3dolphins/broadcast-multiple`, and `3dolphins/broadcast-whatsapp`). A \"Scheduled\" broadcast without a date is the schema's finding (`required`).\n\n## Why is this bad?\nWith \"Now\" the broadcast goes out at once and the date is not used: usually the date was meant and `sendingMode` was left at \"Now\" (the doc's Create Broadcast WhatsApp sample does exactly this). The customer gets the message hours or days early.\n\n## Source\n3Dolphins doc, Definisi Komponen: scheduledDate is required \"saat mode pengiriman adalah 'Scheduled'\" (when the sending mode is Scheduled).\n\n## Example\n```json\n{\"sendingMode\": \"Now\", \"scheduledDate\": \"2026-11-25 09:30:00\"}\n```\nUse instead:\n```json\n{\"sendingMode\": \"Scheduled\", \"scheduledDate\": \"2026-11-25 09:30:00\"}\n```\n",
};

impl Rule for ScheduledDateIgnored {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        for (at, broadcast) in broadcasts(cx.payload) {
            if broadcast.get("sendingMode").and_then(Value::as_str) != Some("Now") {
                continue;
            }
            let shown = match broadcast.get("scheduledDate") {
                None | Some(Value::Null) => continue,
                Some(Value::String(s)) if s.trim().is_empty() => continue,
                Some(Value::String(s)) => format!("\"{s}\""),
                Some(other) => other.to_string(),
            };
            out.push(
                Diagnostic::warning(
                    INFO.name,
                    pointer::join(&at, "scheduledDate"),
                    format!("`scheduledDate` is {shown} but `sendingMode` is \"Now\": 3Dolphins sends the broadcast at once and ignores the date"),
                )
                .with_help("to send at that time, set `sendingMode` to \"Scheduled\"; to send now, remove `scheduledDate`")
                .with_source(Source::Provider),
            );
        }
    }
}
