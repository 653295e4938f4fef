//! `dialog-trigger-incomplete`: a 3Dolphins broadcast names a bot without a
//! dialog, or a dialog without its bot.

use super::shared::broadcasts;
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::engine::rules::context::{Rule, RuleContext, RuleInfo};
use crate::engine::text::pointer;
use serde_json::Value;

/// The rule.
pub struct DialogTriggerIncomplete;

static INFO: RuleInfo = RuleInfo {
    name: "dialog-trigger-incomplete",
    default_severity: Severity::Warning,
    source: Source::Provider,
    providers: &["3dolphins/"],
    summary: "A broadcast gives botId without dialogId, or dialogId without botId.",
    docs: include_str!("dialog-trigger-incomplete.md"),
};

impl Rule for DialogTriggerIncomplete {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        for (at, broadcast) in broadcasts(cx.payload) {
            // An empty string is "no trigger", as the doc's samples send it.
            let given = |k: &str| {
                broadcast
                    .get(k)
                    .and_then(Value::as_str)
                    .is_some_and(|s| !s.trim().is_empty())
            };
            let (bot, dialog) = (given("botId"), given("dialogId"));
            let (has, lacks) = match (bot, dialog) {
                (true, false) => ("botId", "dialogId"),
                (false, true) => ("dialogId", "botId"),
                _ => continue,
            };
            out.push(
                Diagnostic::warning(
                    INFO.name,
                    pointer::join(&at, has),
                    format!("the broadcast gives `{has}` but no `{lacks}`; a dialog trigger needs both, the bot and the dialog of that bot to start when a recipient answers"),
                )
                .with_help(format!("add `{lacks}`, or leave both out for a broadcast without a dialog trigger"))
                .with_note("3Dolphins' doc marks both optional and does not say what one alone does: a warning")
                .with_source(Source::Provider),
            );
        }
    }
}
