//! `template-url-suffix`: the parameter of a dynamic URL button is a whole
//! URL, or repeats the template's URL, instead of the part for its `{{1}}`.

use super::button_mismatch::describe;
use super::shared::{SendCheck, label};
use crate::diagnostic::{Diagnostic, Edit, Fix, Severity, Source};
use crate::engine::rules::context::{RuleContext, RuleInfo};
use crate::engine::rules::views::template_send::{ButtonPart, Send, Slot};
use preflight_templates::{Button, ButtonKind, Template};

/// The rule.
pub struct TemplateUrlSuffix;

static INFO: RuleInfo = RuleInfo {
    name: "template-url-suffix",
    default_severity: Severity::Error,
    source: Source::Platform,
    providers: &["sandeza/", "oca/", "qiscus/"],
    summary: "A dynamic URL button's parameter repeats the template's URL or is a whole URL, where only the part for its {{1}} goes.",
    docs: include_str!("template-url-suffix.md"),
};

send_rule!(TemplateUrlSuffix);

impl SendCheck for TemplateUrlSuffix {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check_send(
        &self,
        _cx: &RuleContext<'_>,
        send: &Send<'_>,
        t: &Template,
        out: &mut Vec<Diagnostic>,
    ) {
        if let Slot::Given(sent) = &send.buttons {
            check(t, &t.buttons, sent, "", out);
        }
        if let Slot::Given(cards) = &send.cards {
            for (i, (card, sent)) in t.cards.iter().zip(cards).enumerate() {
                check(t, &card.buttons, &sent.buttons, &format!("card {i}: "), out);
            }
        }
    }
}

/// The URL before its placeholder (`https://toko.co.id/lacak/`), for a
/// dynamic URL button.
pub(crate) fn prefix(b: &Button) -> Option<String> {
    let url = b.url.as_ref()?;
    let first = url.placeholders.first()?;
    Some(url.text.chars().take(first.range.start).collect())
}

fn check(
    t: &Template,
    buttons: &[Button],
    sent: &[ButtonPart<'_>],
    prefix_: &str,
    out: &mut Vec<Diagnostic>,
) {
    for b in sent {
        let Some(tb) = b
            .index
            .and_then(|i| usize::try_from(i).ok())
            .and_then(|i| buttons.get(i).map(|tb| (i, tb)))
        else {
            continue;
        };
        let (index, tb) = tb;
        if tb.kind != ButtonKind::Url || b.sub_type.as_deref().is_some_and(|s| !s.contains("url")) {
            continue;
        }
        let (Some(base), [param]) = (prefix(tb), b.params.as_slice()) else {
            continue;
        };
        let Some(value) = param.text else { continue };
        let trimmed = value.trim_start();
        let lower = trimmed.to_ascii_lowercase();
        let norm_base = norm(&base.to_ascii_lowercase()).to_string();
        let norm_value = norm(&lower);
        let repeats = !norm_base.is_empty() && norm_value.starts_with(&norm_base);
        let whole = ["https://", "http://", "www."]
            .iter()
            .any(|s| lower.starts_with(s));
        // A template URL ending in a query value (`…?to={{1}}`) takes a whole URL.
        let takes_url = base.ends_with('=');
        if !(repeats || whole && !takes_url) {
            continue;
        }
        let opens: String = format!("{base}{value}");
        let mut d = super::shared::at(
            &INFO,
            &param.value_pointer(),
            param.range.clone(),
            format!(
                "{prefix_}{} of template {}: the parameter `{}` takes the place of {{{{1}}}} and {}, so the button would open `{}`",
                describe(index, tb),
                label(t),
                clip(value),
                if repeats {
                    "repeats the template's URL"
                } else {
                    "is a whole URL"
                },
                clip(&opens)
            ),
        );
        if repeats {
            // The stripped scheme and `www.` are ASCII: bytes are characters.
            let skip = lower.len() - norm_value.len() + norm_base.len();
            let suffix = trimmed.get(skip..).unwrap_or_default();
            d = d.with_help(format!(
                "send only the part after `{base}`: `{}`",
                clip(suffix)
            ));
            // Leading spaces are `surrounding-whitespace`'s, and they shift
            // the suffix: no fix then.
            if !suffix.is_empty() && trimmed.len() == value.len() {
                // The template's URL with this suffix is the URL the payload names.
                let edit = match &param.range {
                    // The part before the suffix removed, inside the delimited string.
                    Some(r) => Edit::chars(
                        &param.value_pointer(),
                        r.start..r.start + r.len().saturating_sub(suffix.chars().count()),
                        "",
                    ),
                    None => Edit::value(
                        &param.value_pointer(),
                        &serde_json::Value::String(suffix.to_string()),
                    ),
                };
                d = d.with_fix(Fix::safe(format!("send `{}`", clip(suffix)), vec![edit]));
            }
        } else {
            d = d.with_help(format!("send only the part that follows `{base}`"));
        }
        out.push(d);
    }
}

/// A URL without its scheme and `www.`, for comparing.
fn norm(url: &str) -> &str {
    let url = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .unwrap_or(url);
    url.strip_prefix("www.").unwrap_or(url)
}

fn clip(text: &str) -> String {
    if text.chars().count() > 100 {
        format!("{}…", text.chars().take(99).collect::<String>())
    } else {
        text.to_string()
    }
}
