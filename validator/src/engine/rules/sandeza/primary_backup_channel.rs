//! `primary-backup-channel`: `type` 1 (primary channel with backup) needs a
//! second channel to fall back to.

use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::engine::rules::context::{Rule, RuleContext, RuleInfo};
use serde_json::Value;

/// The rule.
pub struct PrimaryBackupChannel;

static INFO: RuleInfo = RuleInfo {
    name: "primary-backup-channel",
    default_severity: Severity::Warning,
    source: Source::Provider,
    providers: &["sandeza/"],
    summary: "`type` is 1 (send primary, then backup) but `channel` has only one channel.",
    docs: include_str!("primary-backup-channel.md"),
};

impl Rule for PrimaryBackupChannel {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        let primary_backup = match cx.payload.get("type") {
            Some(Value::String(s)) => s.trim() == "1",
            Some(Value::Number(n)) => n.as_u64() == Some(1),
            _ => false,
        };
        if !primary_backup {
            return;
        }
        let Some(channels) = cx.payload.get("channel").and_then(Value::as_object) else {
            return;
        };
        if channels.len() != 1 {
            return;
        }
        let Some((name, obj)) = channels.iter().next() else {
            return;
        };
        let backup_sender = matches!(obj.get("use_backup_sender"), Some(Value::Bool(true)))
            || obj.get("use_backup_sender").and_then(Value::as_str) == Some("true");
        if backup_sender {
            return;
        }
        out.push(
            Diagnostic::warning(
                INFO.name,
                "/type",
                format!("`type` is 1 (send primary, then backup) but `channel` holds only `{name}`; there is no backup channel to fall back to"),
            )
            .with_help("add the backup channel's object beside the primary one, or send with `type` \"2\"")
            .with_source(Source::Provider),
        );
    }
}
