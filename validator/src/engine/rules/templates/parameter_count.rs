//! `template-parameter-count`: a send gives a header, body or carousel card
//! body more or fewer parameters than the template has placeholders.

use super::shared::{SendCheck, fields, label, named_order_note, placeholders_phrase};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::engine::rules::context::{RuleContext, RuleInfo};
use crate::engine::rules::views::template_send::{Form, Part, Send, Slot};
use preflight_templates::{HeaderFormat, Template, Text};

/// The rule.
pub struct TemplateParameterCount;

static INFO: RuleInfo = RuleInfo {
    name: "template-parameter-count",
    default_severity: Severity::Error,
    source: Source::Platform,
    providers: &["sandeza/", "oca/", "qiscus/"],
    summary: "A header, body or card body gets more or fewer parameters than the template has placeholders (WhatsApp 132000).",
    docs: include_str!("template-parameter-count.md"),
};

send_rule!(TemplateParameterCount);

impl SendCheck for TemplateParameterCount {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check_send(
        &self,
        cx: &RuleContext<'_>,
        send: &Send<'_>,
        t: &Template,
        out: &mut Vec<Diagnostic>,
    ) {
        // 3Dolphins fills placeholders by key: `template-placeholder-keys`.
        if send.form == Form::Dolphins {
            return;
        }
        let f = fields(send.form, false);
        // The header, when the template's is text (a media header's one
        // parameter is `template-header-format`'s).
        if let Some(h) = &t.header
            && h.format == HeaderFormat::Text
        {
            let empty = Text::plain("");
            let text = h.text.as_ref().unwrap_or(&empty);
            match &send.header {
                Slot::Given(part) if part.kind.as_deref().is_none_or(|k| k == "text") => {
                    compare(
                        cx,
                        send,
                        t,
                        "header",
                        text,
                        Some(part),
                        Home::Field(f.header),
                        out,
                    );
                }
                Slot::Absent if text.parameter_count() > 0 => {
                    compare(
                        cx,
                        send,
                        t,
                        "header",
                        text,
                        None,
                        Home::Field(f.header),
                        out,
                    );
                }
                _ => {}
            }
        }
        if let Some(body) = &t.body {
            match &send.body {
                Slot::Given(part) => compare(
                    cx,
                    send,
                    t,
                    "body",
                    body,
                    Some(part),
                    Home::Field(f.body),
                    out,
                ),
                // A Qiscus payload without `variables` is the schema's `required`.
                Slot::Absent if body.parameter_count() > 0 && send.form != Form::Qiscus => {
                    compare(cx, send, t, "body", body, None, Home::Field(f.body), out);
                }
                _ => {}
            }
        }
        if let Slot::Given(cards) = &send.cards {
            for (i, (card, sent)) in t.cards.iter().zip(cards).enumerate() {
                if let Some(body) = &card.body {
                    let what = format!("card {i}'s body");
                    compare(
                        cx,
                        send,
                        t,
                        &what,
                        body,
                        sent.body.as_ref(),
                        Home::At(&sent.pointer),
                        out,
                    );
                }
            }
        }
    }
}

#[allow(
    clippy::too_many_arguments,
    reason = "one comparison, every place it reports at"
)]
/// Where a part the payload leaves out is reported: at its field (found
/// only for a finding), or at a place given.
#[derive(Clone, Copy)]
enum Home<'p> {
    Field(&'static str),
    At(&'p str),
}

#[allow(
    clippy::too_many_arguments,
    reason = "one comparison, every place it reports at"
)]
fn compare(
    cx: &RuleContext<'_>,
    send: &Send<'_>,
    t: &Template,
    what: &str,
    text: &Text,
    part: Option<&Part<'_>>,
    home: Home<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let expected = text.parameter_count();
    let given = part.map_or(0, |p| p.params.len());
    if expected == given {
        return;
    }
    let (pointer, range) = match part {
        Some(p) if given > expected => {
            let extra = &p.params[expected];
            (extra.pointer(), extra.range.clone())
        }
        Some(p) => (p.pointer.clone(), None),
        None => (
            match home {
                Home::Field(field) => super::shared::home(cx, send, field),
                Home::At(at) => at.to_string(),
            },
            None,
        ),
    };
    let gives = match given {
        0 => "gives none".to_string(),
        1 => "gives 1".to_string(),
        n => format!("gives {n}"),
    };
    let mut d = super::shared::at(
        &INFO,
        &pointer,
        range,
        format!(
            "{what} of template {} has {}; this payload {gives}; WhatsApp would answer 132000 (number of parameters does not match the expected number of params)",
            label(t),
            placeholders_phrase(text)
        ),
    )
    .with_help(if given > expected {
        format!("send {expected} parameter{} for the {what}, one per placeholder, in order", if expected == 1 { "" } else { "s" })
    } else {
        format!("add the missing parameter{}: one per placeholder, in order", if expected - given == 1 { "" } else { "s" })
    });
    if send.form != Form::Dolphins
        && let Some(note) = named_order_note(t, text)
    {
        d = d.with_note(note);
    }
    out.push(d);
}
