//! `signature-mismatch`: with the account password configured, `signature`
//! must be sha256(username + password + time). Neither the signature nor the
//! password ever appears in a finding.

use super::shared::places_of;
use crate::diagnostic::{Diagnostic, Edit, Fix, Severity, Source};
use crate::engine::rules::context::{Rule, RuleContext, RuleInfo};
use crate::types::extra::sandeza::signature_hex as signature_of;
use serde_json::Value;

/// The rule.
pub struct SignatureMismatch;

static INFO: RuleInfo = RuleInfo {
    name: "signature-mismatch",
    default_severity: Severity::Error,
    source: Source::Provider,
    providers: &["sandeza/"],
    summary: "`signature` is not sha256(username + password + time) for the configured password.",
    docs: include_str!("signature-mismatch.md"),
};

impl Rule for SignatureMismatch {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        let Some(password) = cx.options.sandeza_password.as_deref() else {
            return;
        };
        for (ptr, value) in places_of(cx, "Signature") {
            let Some(signature) = value.as_str() else {
                continue;
            };
            // A malformed signature is the schema's finding (pattern).
            if signature.len() != 64 || !signature.bytes().all(|b| b.is_ascii_hexdigit()) {
                continue;
            }
            let parent = crate::engine::text::pointer::parent(ptr)
                .and_then(|p| crate::engine::text::pointer::get(cx.payload, p));
            let field = |k: &str| parent.and_then(|o| o.get(k)).and_then(Value::as_str);
            let (Some(username), Some(time)) = (field("username"), field("time")) else {
                continue;
            };
            let expected = signature_of(username, password, time);
            if expected.eq_ignore_ascii_case(signature) {
                continue;
            }
            let trimmed = signature_of(username.trim(), password, time.trim());
            let hint = if trimmed.eq_ignore_ascii_case(signature) {
                " (it matches the trimmed values: remove the spaces around `username` or `time`)"
            } else {
                ""
            };
            out.push(
                Diagnostic::error(
                    INFO.name,
                    ptr,
                    format!("`signature` is not sha256(username + password + time) for username `{username}`, time `{time}` and the configured password{hint}"),
                )
                .with_help("compute it from the `time` sent in this request: hex(sha256(username + password + time)), no separators")
                .with_note("a signature made for an earlier `time` (a retried request) is the usual cause")
                .with_source(Source::Provider)
                .with_fix(Fix::unsafe_(
                    "recompute the signature from this request's username and time",
                    vec![Edit::value(ptr, &Value::String(expected)).secret()],
                )),
            );
        }
    }
}
