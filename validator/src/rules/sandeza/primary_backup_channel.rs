//! `primary-backup-channel`: `type` 1 (primary channel with backup) needs a
//! second channel to fall back to.

use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::rules::{Rule, RuleContext, RuleInfo};
use serde_json::Value;

/// The rule.
pub struct PrimaryBackupChannel;

static INFO: RuleInfo = RuleInfo {
    name: "primary-backup-channel",
    default_severity: Severity::Warning,
    source: Source::Provider,
    providers: &["sandeza/"],
    summary: "`type` is 1 (send primary, then backup) but `channel` has only one channel.",
    docs: "## What it does\nWarns when a request has `type` 1 (\"Send Primary Backup\": send through the primary channel and fall back to the backup channel on the statuses in `backup_on`) but `channel` holds a single channel object, so there is nothing to fall back to. An SMS channel with `use_backup_sender` true is left alone (it backs up through the SMS sender).\n\n## Why is this bad?\nThe sender believes undelivered messages are retried on another channel; they are not. Either add the backup channel (for example `sms` beside `whatsapp`) or send with `type` 2.\n\n## Source\nSandeza doc, every section: `type` \"1 (Send Primary Backup), 2 (Single channel / Send All)\".\n\n## Example\n```json\n{\"type\": \"1\", \"channel\": {\"whatsapp\": {\"msisdn\": \"6285211223344\", \"template_id\": \"otp_transaksi\", \"message\": \"text:=:615208\", \"backup_on\": \"1;4\", \"backup_exp\": \"0;0\"}}}\n```\nUse instead:\n```json\n{\"type\": \"1\", \"channel\": {\"whatsapp\": {\"msisdn\": \"6285211223344\", \"template_id\": \"otp_transaksi\", \"message\": \"text:=:615208\", \"backup_on\": \"1;4\", \"backup_exp\": \"0;0\"},\n                          \"sms\": {\"msisdn\": \"6285211223344\", \"message\": \"Kode OTP Anda 615208\"}}}\n```\n",
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
