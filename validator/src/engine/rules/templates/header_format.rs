//! `template-header-format`: the header a send gives is not of the kind the
//! template's header was approved with (or the template has none).

use super::shared::{SendCheck, fields, home, label};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::engine::rules::context::{RuleContext, RuleInfo};
use crate::engine::rules::views::template_send::{Form, Part, Send, Slot};
use preflight_templates::{Header, HeaderFormat, Template};

/// The rule.
pub struct TemplateHeaderFormat;

static INFO: RuleInfo = RuleInfo {
    name: "template-header-format",
    default_severity: Severity::Error,
    source: Source::Platform,
    providers: &["sandeza/", "oca/", "qiscus/", "3dolphins/"],
    summary: "The header sent is not of the template's header format: a media header sent as text, none for an IMAGE template, a document for a VIDEO one (WhatsApp 132012).",
    docs: include_str!("template-header-format.md"),
};

send_rule!(TemplateHeaderFormat);

/// The payload's word for what a header needs.
fn needs(format: &HeaderFormat) -> String {
    match format {
        HeaderFormat::Text => "a text parameter".to_string(),
        other => format!(
            "{} {} parameter",
            article(other.as_str()),
            other.parameter_type()
        ),
    }
}

fn article(word: &str) -> &'static str {
    if word.starts_with(['A', 'E', 'I', 'O', 'U', 'a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

impl SendCheck for TemplateHeaderFormat {
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
        let media = t
            .header
            .as_ref()
            .is_some_and(|h| h.format != HeaderFormat::Text);
        let f = fields(send.form, media);
        match (&t.header, &send.header) {
            // Qiscus' broadcast-client carries no header: the run says so
            // once, as a note (`templates::notes`), not as a finding.
            (Some(h), Slot::Absent) if h.format != HeaderFormat::Text => {
                out.push(
                    super::shared::at(
                        &INFO,
                        &home(cx, send, f.header),
                        None,
                        format!(
                            "template {} has {} header and this payload sends no header; WhatsApp would answer 132012 (header: Format mismatch, expected {}, received UNKNOWN)",
                            label(t),
                            with_article(h.format.as_str()),
                            h.format.as_str()
                        ),
                    )
                    .with_help(help_for(send, h)),
                );
            }
            (Some(h), Slot::Given(part)) => mismatch(send, t, h, part, "", out),
            (None, Slot::Given(part)) => {
                out.push(
                    super::shared::at(
                        &INFO,
                        &part.kind_pointer(),
                        part.kind_range.clone(),
                        format!(
                            "template {} has no header, and this payload sends {} header; WhatsApp would answer 132000 (number of parameters does not match)",
                            label(t),
                            with_article(&part.kind.clone().unwrap_or_default().to_ascii_uppercase())
                        ),
                    )
                    .with_help("leave the header out (or send it empty, `\"\"`, where the provider wants every field)"),
                );
            }
            _ => {}
        }
        if let Slot::Given(cards) = &send.cards {
            for (i, (card, sent)) in t.cards.iter().zip(cards).enumerate() {
                match (&card.header, &sent.header) {
                    (Some(h), Some(part)) => mismatch(send, t, h, part, &format!("card {i} of "), out),
                    (Some(h), None) => out.push(
                        super::shared::at(
                            &INFO,
                            &sent.pointer,
                            None,
                            format!(
                                "card {i} of template {} has {} header and this card sends none; WhatsApp would answer 132012 (header: Format mismatch, expected {}, received UNKNOWN)",
                                label(t),
                                with_article(h.format.as_str()),
                                h.format.as_str()
                            ),
                        )
                        .with_help(format!("add a header component with {} to the card", needs(&h.format))),
                    ),
                    _ => {}
                }
            }
        }
    }
}

fn with_article(word: &str) -> String {
    format!("{} {word}", article(word))
}

fn help_for(send: &Send<'_>, h: &Header) -> String {
    match send.form {
        Form::SandezaDelimited => format!("send the header as `{}:=:…`", h.format.parameter_type()),
        Form::Dolphins => format!(
            "add the {} to `content` ({{\"type\": \"{}\", \"url\": \"https://…\"}})",
            h.format.parameter_type(),
            h.format.parameter_type()
        ),
        _ => format!("send a header component with {}", needs(&h.format)),
    }
}

fn mismatch(
    send: &Send<'_>,
    t: &Template,
    h: &Header,
    part: &Part<'_>,
    what: &str,
    out: &mut Vec<Diagnostic>,
) {
    let Some(kind) = part.kind.as_deref() else {
        return;
    };
    let expected = h.format.parameter_type();
    if kind == expected || matches!(h.format, HeaderFormat::Other(_)) {
        return;
    }
    let received = kind.to_ascii_uppercase();
    let known = ["text", "image", "video", "document", "location"].contains(&kind);
    if !known {
        // The schema reports a type no header takes.
        return;
    }
    out.push(
        super::shared::at(
            &INFO,
            &part.kind_pointer(),
            part.kind_range.clone(),
            format!(
                "{what}template {} has {} header and this payload sends {} header; WhatsApp would answer 132012 (header: Format mismatch, expected {}, received {received})",
                label(t),
                with_article(h.format.as_str()),
                with_article(&received),
                h.format.as_str()
            ),
        )
        .with_help(if what.is_empty() {
            help_for(send, h)
        } else {
            format!("send the card's header with {}", needs(&h.format))
        }),
    );
}
