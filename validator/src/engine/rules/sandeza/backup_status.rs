//! `backup-status`: `backup_on` / `backup_exp`, the paired `;`-lists of
//! statuses that trigger the backup channel and their expiries.

use super::shared::{Piece, split_pieces};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::engine::rules::context::{Rule, RuleContext, RuleInfo};

/// The rule.
pub struct BackupStatus;

static INFO: RuleInfo = RuleInfo {
    name: "backup-status",
    default_severity: Severity::Error,
    source: Source::Provider,
    providers: &["sandeza/"],
    summary: "`backup_on` / `backup_exp` hold unknown statuses, differ in length, or set an expiry for a status other than Pending.",
    docs: include_str!("backup-status.md"),
};

const PENDING: u64 = 3;

fn status_name(code: u64) -> &'static str {
    match code {
        1 => "Unsent",
        2 => "Undelivered",
        3 => "Pending",
        4 => "Failed",
        5 => "Spam",
        6 => "Bounced",
        7 => "Blacklist",
        9 => "Delivered",
        _ => "unknown",
    }
}

/// A list entry: its piece of the string and its number, when it is one.
struct Entry<'a> {
    piece: Piece<'a>,
    value: Option<u64>,
}

fn entries(text: &str) -> Vec<Entry<'_>> {
    if text.trim().is_empty() {
        return Vec::new();
    }
    split_pieces(text, ";", 0)
        .into_iter()
        .map(|piece| {
            let t = piece.text.trim();
            let value = if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
                t.parse().ok()
            } else {
                None
            };
            Entry { piece, value }
        })
        .collect()
}

impl Rule for BackupStatus {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        let statuses = cx.strings_with_format("sandeza-status-list");
        let expiries = cx.strings_with_format("sandeza-expiry-list");
        let mut parents: Vec<&str> = Vec::new();
        for (ptr, _) in statuses.iter().chain(expiries.iter()) {
            if let Some(p) = crate::engine::text::pointer::parent(ptr)
                && !parents.contains(&p)
            {
                parents.push(p);
            }
        }
        for parent in parents {
            let on = statuses
                .iter()
                .find(|(p, _)| crate::engine::text::pointer::parent(p) == Some(parent))
                .copied();
            let exp = expiries
                .iter()
                .find(|(p, _)| crate::engine::text::pointer::parent(p) == Some(parent))
                .copied();
            check_pair(cx, parent, on, exp, out);
        }
    }
}

fn check_pair(
    cx: &RuleContext<'_>,
    parent: &str,
    on: Option<(&str, &str)>,
    exp: Option<(&str, &str)>,
    out: &mut Vec<Diagnostic>,
) {
    if [on, exp]
        .iter()
        .flatten()
        .any(|(p, t)| cx.is_placeholder(p, t))
    {
        return;
    }
    let on_entries = on.map(|(_, t)| entries(t)).unwrap_or_default();
    let exp_entries = exp.map(|(_, t)| entries(t)).unwrap_or_default();
    if on_entries.is_empty() && exp_entries.is_empty() {
        // Both empty (the usual case): no backup, nothing to check.
        return;
    }
    // Channel keys need no unescaping: a slice, not an allocation per payload.
    let channel = match parent.rsplit('/').next() {
        Some("sms") => "SMS",
        Some("email") => "email",
        Some("line") => "Line",
        Some("telegram") => "Telegram",
        Some("facebook") => "Facebook",
        Some("whatsapp") => "WhatsApp",
        _ => "this channel",
    };
    let mut known: Vec<u64> = Vec::new();
    let mut well_formed = true;

    if let Some((ptr, _)) = on {
        let codes: Vec<u64> = cx
            .annotations
            .facts_at(ptr)
            .find_map(|f| f.status_codes.clone())
            .unwrap_or_default();
        // Formatted only for a finding: rules run on every payload.
        let allowed_cell = std::cell::LazyCell::new(|| {
            codes
                .iter()
                .map(|c| format!("{c} {}", status_name(*c)))
                .collect::<Vec<_>>()
                .join(", ")
        });
        known.clone_from(&codes);
        let mut seen: Vec<u64> = Vec::new();
        for (i, e) in on_entries.iter().enumerate() {
            let n = i + 1;
            match e.value {
                None => {
                    let allowed: &str = &allowed_cell;
                    well_formed = false;
                    let what = if e.piece.text.trim().is_empty() {
                        "is empty".to_string()
                    } else {
                        format!("`{}` is not a status code", e.piece.text.trim())
                    };
                    out.push(
                        Diagnostic::error(INFO.name, ptr, format!("`backup_on` entry {n} {what}; the {channel} channel's backup statuses are {allowed}"))
                            .with_help("list status codes separated by `;`, e.g. `1;3`")
                            .with_source(Source::Provider)
                            .with_value_range(nonempty(&e.piece)),
                    );
                }
                Some(code) if !codes.is_empty() && !codes.contains(&code) => {
                    let allowed: &str = &allowed_cell;
                    out.push(
                        Diagnostic::error(INFO.name, ptr, format!("`backup_on` entry {n} is status {code}, which the {channel} channel does not report; its backup statuses are {allowed}"))
                            .with_help(format!("use the {channel} codes: {allowed}"))
                            .with_source(Source::Provider)
                            .with_value_range(e.piece.range.clone()),
                    );
                }
                Some(code) if seen.contains(&code) => {
                    out.push(
                        Diagnostic::warning(INFO.name, ptr, format!("`backup_on` lists status {code} ({}) twice", status_name(code)))
                            .with_help("list each status once, with its expiry at the same position in `backup_exp`")
                            .with_source(Source::Provider)
                            .with_value_range(e.piece.range.clone()),
                    );
                }
                Some(code) => seen.push(code),
            }
        }
    }
    if let Some((ptr, _)) = exp {
        for (i, e) in exp_entries.iter().enumerate() {
            if e.value.is_none() {
                well_formed = false;
                let what = if e.piece.text.trim().is_empty() {
                    "is empty".to_string()
                } else {
                    format!("`{}` is not a whole number of minutes", e.piece.text.trim())
                };
                out.push(
                    Diagnostic::error(
                        INFO.name,
                        ptr,
                        format!("`backup_exp` entry {} {what}", i + 1),
                    )
                    .with_help("give minutes as whole numbers separated by `;`, e.g. `0;10`")
                    .with_source(Source::Provider)
                    .with_value_range(nonempty(&e.piece)),
                );
            }
        }
    }
    match (on_entries.len(), exp_entries.len()) {
        (0, 0) => return,
        (n, 0) => {
            let ptr = exp.map_or_else(
                || crate::engine::text::pointer::join(parent, "backup_exp"),
                |(p, _)| p.to_string(),
            );
            let zeros = expiry_suggestion(&on_entries);
            out.push(
                Diagnostic::error(INFO.name, ptr, format!("`backup_on` lists {n} status{} but `backup_exp` is empty; each status needs its expiry", plural(n)))
                    .with_help(format!("set `backup_exp` to `{zeros}` (0 except for Pending)"))
                    .with_source(Source::Provider),
            );
            return;
        }
        (0, n) => {
            if let Some((ptr, _)) = exp {
                out.push(
                    Diagnostic::error(
                        INFO.name,
                        ptr,
                        format!(
                            "`backup_exp` gives {n} expir{} but `backup_on` lists no status",
                            if n == 1 { "y" } else { "ies" }
                        ),
                    )
                    .with_help(
                        "list the statuses that trigger the backup in `backup_on`, or empty both",
                    )
                    .with_source(Source::Provider),
                );
            }
            return;
        }
        (a, b) if a != b => {
            if let Some((ptr, _)) = exp {
                out.push(
                    Diagnostic::error(INFO.name, ptr, format!("`backup_exp` has {b} entr{} but `backup_on` has {a}; the expiry at each position belongs to the status at the same position", if b == 1 { "y" } else { "ies" }))
                        .with_help(format!("give one expiry per status, e.g. `{}`", expiry_suggestion(&on_entries)))
                        .with_source(Source::Provider),
                );
            }
            return;
        }
        _ => {}
    }
    if !well_formed {
        return;
    }
    let Some((ptr, _)) = exp else {
        return;
    };
    for (s, e) in on_entries.iter().zip(exp_entries.iter()) {
        if let (Some(code), Some(minutes)) = (s.value, e.value) {
            // An unknown status is reported above; its expiry is beside the point.
            let unknown = !known.is_empty() && !known.contains(&code);
            if code != PENDING && minutes != 0 && !unknown {
                out.push(
                    Diagnostic::error(
                        INFO.name,
                        ptr,
                        format!("`backup_exp` gives {minutes} minutes for status {code} ({}); Sandeza expects 0 for every status except Pending (3)", status_name(code)),
                    )
                    .with_help(format!("set it to 0: `{}`", expiry_suggestion_keep(&on_entries, &exp_entries)))
                    .with_source(Source::Provider)
                    .with_value_range(e.piece.range.clone()),
                );
            }
        }
    }
}

fn nonempty(p: &Piece<'_>) -> std::ops::Range<usize> {
    if p.range.is_empty() {
        p.range.start.saturating_sub(1)..p.range.start.max(1)
    } else {
        p.range.clone()
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "es" }
}

/// `0;10`-style expiries for the statuses: 0, and 10 for Pending.
fn expiry_suggestion(on: &[Entry<'_>]) -> String {
    on.iter()
        .map(|e| if e.value == Some(PENDING) { "10" } else { "0" })
        .collect::<Vec<_>>()
        .join(";")
}

/// The expiries given, with the non-Pending ones set to 0.
fn expiry_suggestion_keep(on: &[Entry<'_>], exp: &[Entry<'_>]) -> String {
    on.iter()
        .zip(exp)
        .map(|(s, e)| {
            if s.value == Some(PENDING) {
                e.piece.text.trim().to_string()
            } else {
                "0".to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(";")
}
