//! `template-text-too-long`: a template's text is over WhatsApp's limit once
//! the send's parameters are filled in: the body (1,024), a text header (60),
//! a carousel card's body (160), a button's URL (2,000), an authentication
//! template's code and a coupon code (15).

use super::button_mismatch::describe;
use super::shared::{SendCheck, label};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::engine::rules::context::{RuleContext, RuleInfo};
use crate::engine::rules::views::template_send::{ButtonPart, Form, Part, Send, Slot};
use preflight_templates::{Button, ButtonKind, Category, HeaderFormat, Key, Template, Text};

/// The rule.
pub struct TemplateTextTooLong;

static INFO: RuleInfo = RuleInfo {
    name: "template-text-too-long",
    default_severity: Severity::Error,
    source: Source::Platform,
    providers: &["sandeza/", "oca/", "qiscus/", "3dolphins/"],
    summary: "Once its parameters are filled in, the body is over 1,024 characters (WhatsApp 132005), the header over 60, a card body over 160, a button URL over 2,000, or a one-time or coupon code over 15.",
    docs: include_str!("template-text-too-long.md"),
};

send_rule!(TemplateTextTooLong);

/// The most characters of a body, header, card body and button URL once filled in.
const BODY: usize = 1024;
const HEADER: usize = 60;
const CARD_BODY: usize = 160;
const URL: usize = 2000;
const CODE: usize = 15;

impl SendCheck for TemplateTextTooLong {
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
        if send.form == Form::Dolphins {
            if let (Some(h), Slot::Given(part)) = (&t.header, &send.header)
                && h.format == HeaderFormat::Text
                && let Some(text) = &h.text
            {
                by_key(t, "header", text, part, &send.recipients, HEADER, "", out);
            }
            if let (Some(body), Slot::Given(part)) = (&t.body, &send.body) {
                by_key(
                    t,
                    "body",
                    body,
                    part,
                    &send.recipients,
                    BODY,
                    " and would answer 132005",
                    out,
                );
            }
            return;
        }
        if let (Some(h), Slot::Given(part)) = (&t.header, &send.header)
            && h.format == HeaderFormat::Text
            && let Some(text) = &h.text
        {
            filled(t, "header", text, part, HEADER, "", out);
        }
        if let (Some(body), Slot::Given(part)) = (&t.body, &send.body) {
            filled(t, "body", body, part, BODY, " and would answer 132005", out);
            if t.category == Category::Authentication
                && let Some(code) = part.params.first()
                && let Some(value) = code.text
                && value.chars().count() > CODE
            {
                out.push(
                    super::shared::at(
                        &INFO,
                        &code.value_pointer(),
                        code.range.clone(),
                        format!(
                            "template {} is an AUTHENTICATION template, whose one-time code is at most {CODE} characters; this code is {}",
                            label(t),
                            value.chars().count()
                        ),
                    )
                    .with_help("send a code of at most 15 characters"),
                );
            }
        }
        if let Slot::Given(cards) = &send.cards {
            for (i, (card, sent)) in t.cards.iter().zip(cards).enumerate() {
                if let (Some(body), Some(part)) = (&card.body, &sent.body) {
                    filled(
                        t,
                        &format!("card {i}'s body"),
                        body,
                        part,
                        CARD_BODY,
                        "",
                        out,
                    );
                }
                urls(t, &card.buttons, &sent.buttons, &format!("card {i}: "), out);
            }
        }
        if let Slot::Given(sent) = &send.buttons {
            urls(t, &t.buttons, sent, "", out);
        }
    }
}

/// Reports `text` filled with `part`'s parameters when over `max`: only when
/// every parameter is known, their number is right, and none is over `max`
/// alone (the schema's limit reports that one).
fn filled(
    t: &Template,
    what: &str,
    text: &Text,
    part: &Part<'_>,
    max: usize,
    code: &str,
    out: &mut Vec<Diagnostic>,
) {
    if part.params.len() != text.parameter_count() || text.parameter_count() == 0 {
        return;
    }
    let values: Option<Vec<&str>> = part.params.iter().map(|p| p.text).collect();
    let Some(values) = values else { return };
    if values.iter().any(|v| v.chars().count() > max) {
        return;
    }
    let n = text.hydrated_len(|i, _| values.get(i).map(|v| v.chars().count()));
    if n <= max {
        return;
    }
    let Some((longest, _)) = values
        .iter()
        .enumerate()
        .max_by_key(|(_, v)| v.chars().count())
    else {
        return;
    };
    let param = &part.params[longest];
    let fixed = text.text.chars().count()
        - text
            .placeholders
            .iter()
            .map(|p| p.range.len())
            .sum::<usize>();
    out.push(
        super::shared::at(
            &INFO,
            &param.value_pointer(),
            param.range.clone(),
            format!(
                "{what} of template {} is {n} characters once its parameters are filled in; WhatsApp allows at most {}{code}",
                label(t),
                thousands(max)
            ),
        )
        .with_note(format!(
            "the template's own text is {fixed} characters; the parameters add {}",
            n - fixed.min(n)
        ))
        .with_help(format!("shorten the parameters by {} characters (this one is the longest)", n - max)),
    );
}

/// A 3Dolphins part, filled by key: with its `static` values, and for each
/// inline recipient (`whatsappRecipient`) with that recipient's columns.
/// One finding per recipient over the limit, at its longest value.
#[allow(
    clippy::too_many_arguments,
    reason = "one check, every place it reports at"
)]
fn by_key(
    t: &Template,
    what: &str,
    text: &Text,
    part: &Part<'_>,
    recipients: &[(String, &serde_json::Map<String, serde_json::Value>)],
    max: usize,
    code: &str,
    out: &mut Vec<Diagnostic>,
) {
    use crate::engine::text::pointer::join;
    // (key, static value, column, the macro's value pointer)
    let macros: Vec<(Key, Option<&str>, Option<&str>, String)> = part
        .params
        .iter()
        .filter_map(|p| {
            let (raw, _) = p.key.as_ref()?;
            let found = preflight_templates::placeholder::placeholders(raw);
            let key = found.first()?.key.clone();
            Some((key, p.text, p.column, p.pointer()))
        })
        .collect();
    let keys = text.keys();
    if keys.is_empty() || keys.iter().any(|k| !macros.iter().any(|m| m.0 == *k)) {
        return; // `template-placeholder-keys`
    }
    let all_static = macros.iter().all(|m| m.1.is_some());
    let rows: Vec<Option<(&String, &serde_json::Map<String, serde_json::Value>)>> = if all_static {
        vec![None]
    } else {
        recipients.iter().map(|(at, r)| Some((at, *r))).collect()
    };
    for row in rows {
        // Each key's value and the pointer it comes from.
        let mut values: Vec<(Key, String, String)> = Vec::new();
        for (key, fixed, column, at) in &macros {
            let (value, pointer) = match (fixed, column, row) {
                (Some(v), _, _) => ((*v).to_string(), at.clone()),
                (None, Some(c), Some((rat, r))) => {
                    match r.get(*c).and_then(serde_json::Value::as_str) {
                        Some(v) => (v.to_string(), join(rat, c)),
                        None => return, // `unknown-macro-field`
                    }
                }
                _ => return,
            };
            values.push((key.clone(), value, pointer));
        }
        if values.iter().any(|(_, v, _)| v.chars().count() > max) {
            continue; // the value alone: `*-macro-value-too-long`, the schema
        }
        let n = text.hydrated_len(|_, key| {
            values
                .iter()
                .find(|(k, _, _)| k == key)
                .map(|(_, v, _)| v.chars().count())
        });
        if n <= max {
            continue;
        }
        let Some((_, _, pointer)) = values.iter().max_by_key(|(_, v, _)| v.chars().count()) else {
            continue;
        };
        let whom = match row {
            Some((rat, _)) => format!(" for the recipient at `{rat}`"),
            None => String::new(),
        };
        out.push(
            super::shared::at(
                &INFO,
                pointer,
                None,
                format!(
                    "{what} of template {} is {n} characters{whom} once its macros are filled in; WhatsApp allows at most {}{code}",
                    label(t),
                    thousands(max)
                ),
            )
            .with_help(format!("shorten the values by {} characters (this one is the longest)", n - max)),
        );
    }
}

/// `1,024`.
fn thousands(n: usize) -> String {
    if n >= 1000 {
        format!("{},{:03}", n / 1000, n % 1000)
    } else {
        n.to_string()
    }
}

fn urls(
    t: &Template,
    buttons: &[Button],
    sent: &[ButtonPart<'_>],
    prefix: &str,
    out: &mut Vec<Diagnostic>,
) {
    for b in sent {
        let Some((i, tb)) = b
            .index
            .and_then(|i| usize::try_from(i).ok())
            .and_then(|i| buttons.get(i).map(|tb| (i, tb)))
        else {
            continue;
        };
        if let (ButtonKind::CopyCode, [param]) = (&tb.kind, b.params.as_slice())
            && let Some(code) = param.text
            && code.chars().count() > CODE
        {
            out.push(
                super::shared::at(
                    &INFO,
                    &param.value_pointer(),
                    param.range.clone(),
                    format!(
                        "{prefix}{} of template {} copies a code of at most {CODE} characters; this code is {}",
                        describe(i, tb),
                        label(t),
                        code.chars().count()
                    ),
                )
                .with_help("send a code of at most 15 characters"),
            );
            continue;
        }
        let (ButtonKind::Url, Some(url), [param]) = (&tb.kind, &tb.url, b.params.as_slice()) else {
            continue;
        };
        let Some(value) = param.text else { continue };
        if url.parameter_count() != 1 || value.chars().count() > URL {
            continue;
        }
        let n = url.hydrated_len(|_, _| Some(value.chars().count()));
        if n > URL {
            out.push(
                super::shared::at(
                    &INFO,
                    &param.value_pointer(),
                    param.range.clone(),
                    format!(
                        "{prefix}the URL of {} of template {} is {n} characters with this suffix; WhatsApp allows at most 2,000",
                        describe(i, tb),
                        label(t)
                    ),
                )
                .with_help(format!("shorten the suffix by {} characters", n - URL)),
            );
        }
    }
}
