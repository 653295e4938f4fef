//! `signature-mismatch`: with the account password configured, `signature`
//! must be sha256(username + password + time). Neither the signature nor the
//! password ever appears in a finding.

use super::places_of;
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::rules::{Rule, RuleContext, RuleInfo};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// The rule.
pub struct SignatureMismatch;

static INFO: RuleInfo = RuleInfo {
    name: "signature-mismatch",
    default_severity: Severity::Error,
    source: Source::Provider,
    providers: &["sandeza/"],
    summary: "`signature` is not sha256(username + password + time) for the configured password.",
    docs: "## What it does\nWhen the Sandeza account password is given (`--sandeza-password`, or `Options::sandeza_password`), recomputes the SHA-256 of `username` + password + `time` (concatenated, no separators) and compares it with `signature` (hex, either case). Without a password it does nothing. The 64-hex-digit shape itself is the schema's (`pattern`). The finding says which `username` and `time` were used, never the signature or the password.\n\n## Why is this bad?\nSandeza rejects a request whose signature does not match. The usual causes: the signature was computed for another `time` (a retried request with a fresh timestamp but the old signature), the password was concatenated in the wrong order, or it was hashed with a separator or trailing newline.\n\n## Source\nSandeza doc, every section: `signature` \"Encrypted (Username+Password+Time), time refers to time field\".\n\n## Example\nWith the password `rahasia123`:\n```json\n{\"username\": \"tokobaju_fin\", \"time\": \"1764133338\",\n \"signature\": \"<sha256 of tokobaju_fin + rahasia123 + 1764133337>\"}\n```\nUse instead: the signature computed from the `time` sent in the same request:\n```json\n{\"username\": \"tokobaju_fin\", \"time\": \"1764133338\",\n \"signature\": \"<sha256 of tokobaju_fin + rahasia123 + 1764133338>\"}\n```\n",
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
            let parent =
                crate::pointer::parent(ptr).and_then(|p| crate::pointer::get(cx.payload, p));
            let field = |k: &str| parent.and_then(|o| o.get(k)).and_then(Value::as_str);
            let (Some(username), Some(time)) = (field("username"), field("time")) else {
                continue;
            };
            let expected = hex(&Sha256::digest(
                format!("{username}{password}{time}").as_bytes(),
            ));
            if expected.eq_ignore_ascii_case(signature) {
                continue;
            }
            let trimmed = hex(&Sha256::digest(
                format!("{}{password}{}", username.trim(), time.trim()).as_bytes(),
            ));
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
                .with_source(Source::Provider),
            );
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::hex;
    use sha2::{Digest, Sha256};

    #[test]
    fn hex_of_sha256() {
        assert_eq!(
            hex(&Sha256::digest(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
