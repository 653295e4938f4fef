//! `otp-mismatch`: in an authentication template the one-time code is sent
//! twice, as the body text and as the URL button's value, and both must match.

use super::shared::{index_value, lower_field, places_of, split_pieces};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::engine::rules::context::{Rule, RuleContext, RuleInfo};
use crate::engine::rules::templates::{sends, template_known_at};
use crate::engine::rules::views::template_send::Lookup;
use crate::engine::rules::views::template_send::Send;
use preflight_templates::{ButtonKind, Category, Template};
use serde_json::Value;

/// The rule.
pub struct OtpMismatch;

static INFO: RuleInfo = RuleInfo {
    name: "otp-mismatch",
    default_severity: Severity::Warning,
    source: Source::Provider,
    providers: &["sandeza/", "oca/", "qiscus/"],
    summary: "The one-time code in the body differs from the one in the URL button (an error when the template is known to be AUTHENTICATION).",
    docs: include_str!("otp-mismatch.md"),
};

impl Rule for OtpMismatch {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        // With the template known: an error for an AUTHENTICATION template,
        // nothing for another.
        for bound in sends(cx) {
            if let Lookup::Found(t) = bound.lookup
                && t.category == Category::Authentication
            {
                authentication(&bound.send, t, out);
            }
        }
        if cx.endpoint.provider != "sandeza" {
            return;
        }
        for (ptr, obj) in places_of(cx, "WhatsAppTemplateJson") {
            if template_known_at(cx, ptr) {
                continue;
            }
            let Some(body) = json_body_code(obj) else {
                continue;
            };
            let Some((i, code)) = json_button_code(obj) else {
                continue;
            };
            if looks_like_code(body) && looks_like_code(code) && body != code {
                let at = format!("{ptr}/button/{i}/parameters/0/text");
                out.push(finding(
                    at,
                    format!("{ptr}/message/parameters/0/text"),
                    body,
                    code,
                    None,
                ));
            }
        }
        for (ptr, obj) in places_of(cx, "WhatsAppTemplateDelimited") {
            if template_known_at(cx, ptr) {
                continue;
            }
            let (Some(message), Some(button)) = (
                obj.get("message").and_then(Value::as_str),
                obj.get("button").and_then(Value::as_str),
            ) else {
                continue;
            };
            let segments: Vec<&str> = message.split("||").collect();
            let [only] = segments.as_slice() else {
                continue;
            };
            let Some(body) = only.strip_prefix("text:=:").filter(|v| !v.contains(":=:")) else {
                continue;
            };
            let Some(first) = split_pieces(button, "||", 0).into_iter().next() else {
                continue;
            };
            let parts = split_pieces(first.text, ":=:", first.range.start);
            let [kind, sub, value] = parts.as_slice() else {
                continue;
            };
            if !kind.text.eq_ignore_ascii_case("button") || !sub.text.eq_ignore_ascii_case("url") {
                continue;
            }
            if looks_like_code(body) && looks_like_code(value.text) && body != value.text {
                out.push(finding(
                    format!("{ptr}/button"),
                    format!("{ptr}/message"),
                    body,
                    value.text,
                    Some(value.range.clone()),
                ));
            }
        }
    }
}

/// The body's code against the OTP button's, for a send of an
/// AUTHENTICATION template.
fn authentication(send: &Send<'_>, t: &Template, out: &mut Vec<Diagnostic>) {
    let Some(body) = send.body.given().and_then(|b| b.params.first()) else {
        return;
    };
    let Some(otp) = t
        .buttons
        .iter()
        .position(|b| matches!(b.kind, ButtonKind::Otp | ButtonKind::Url))
    else {
        return;
    };
    let Some(button) = send
        .buttons
        .given()
        .and_then(|bs| bs.iter().find(|b| b.index == u64::try_from(otp).ok()))
        .and_then(|b| b.params.first())
    else {
        return;
    };
    let (Some(code), Some(sent)) = (body.text, button.text) else {
        return;
    };
    if code == sent {
        return;
    }
    let mut d = Diagnostic::error(
        INFO.name,
        button.pointer(),
        format!(
            "template `{}` ({}) is an AUTHENTICATION template: its button sends the code `{sent}` but the body sends `{code}`; both must be the same one-time code",
            t.name, t.language
        ),
    )
    .with_help(format!("send `{code}` in both places"))
    .with_source(Source::Platform)
    .with_related(body.pointer(), format!("the body's code `{code}`"));
    if let Some(r) = button.range.clone() {
        d = d.with_value_range(r);
    }
    out.push(d);
}

fn finding(
    at: String,
    body_at: String,
    body: &str,
    code: &str,
    range: Option<std::ops::Range<usize>>,
) -> Diagnostic {
    let d = Diagnostic::warning(
        INFO.name,
        at,
        format!("the URL button sends the code `{code}` but the body sends `{body}`; in an authentication template both must be the same one-time code"),
    )
    .with_help(format!("send `{body}` in both places (or, if this is not an authentication template, ignore this warning)"))
    .with_source(Source::Provider)
    .with_related(body_at, format!("the body's code `{body}`"));
    match range {
        Some(r) => d.with_value_range(r),
        None => d,
    }
}

/// The text of the body's only parameter.
fn json_body_code(obj: &Value) -> Option<&str> {
    let params = obj.get("message")?.get("parameters")?.as_array()?;
    let [only] = params.as_slice() else {
        return None;
    };
    only.get("text")?.as_str()
}

/// The index in `button` and the text of the URL button at template index 0.
fn json_button_code(obj: &Value) -> Option<(usize, &str)> {
    let buttons = obj.get("button")?.as_array()?;
    buttons.iter().enumerate().find_map(|(i, b)| {
        if lower_field(b, "sub_type").as_deref() != Some("url")
            || index_value(b.get("index")) != Some(0)
        {
            return None;
        }
        let text = b.get("parameters")?.get(0)?.get("text")?.as_str()?;
        Some((i, text))
    })
}

/// At most 15 characters, no whitespace, `/` or `.`, at least one digit.
fn looks_like_code(s: &str) -> bool {
    let n = s.chars().count();
    (1..=15).contains(&n)
        && s.chars().any(|c| c.is_ascii_digit())
        && !s.chars().any(|c| c.is_whitespace() || c == '/' || c == '.')
}

#[cfg(test)]
mod tests {
    use super::looks_like_code;

    #[test]
    fn codes_and_not_codes() {
        assert!(looks_like_code("907154"));
        assert!(looks_like_code("A7K-29Q"));
        assert!(!looks_like_code("login.html"));
        assert!(!looks_like_code("Aziz"));
        assert!(!looks_like_code("Andi Wijaya"));
        assert!(!looks_like_code("1234567890123456"));
    }
}
