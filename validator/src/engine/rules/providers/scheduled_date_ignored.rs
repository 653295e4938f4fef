//! `scheduled-date-ignored`: a 3Dolphins broadcast sent "Now" that also
//! carries a `scheduledDate`.

use super::shared::broadcasts;
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::engine::rules::context::{Rule, RuleContext, RuleInfo};
use crate::engine::text::pointer;
use serde_json::Value;

/// The rule.
pub struct ScheduledDateIgnored;

static INFO: RuleInfo = RuleInfo {
    name: "scheduled-date-ignored",
    default_severity: Severity::Warning,
    source: Source::Provider,
    providers: &["3dolphins/"],
    summary: "A 3Dolphins broadcast with sendingMode \"Now\" also has a scheduledDate, which is ignored.",
    docs: include_str!("scheduled-date-ignored.md"),
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
