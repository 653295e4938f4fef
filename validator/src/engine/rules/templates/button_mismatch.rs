//! `template-button-mismatch`: a send's buttons do not fit the template's:
//! an index the template does not have, a sub-type other than the button's
//! type, a parameter a button does not take, or a dynamic button left out.

use super::shared::{SendCheck, fields, home, label, quoted};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::engine::rules::context::{RuleContext, RuleInfo};
use crate::engine::rules::views::template_send::{ButtonPart, Send, Slot};
use preflight_templates::{Button, ButtonKind, Template};

/// The rule.
pub struct TemplateButtonMismatch;

static INFO: RuleInfo = RuleInfo {
    name: "template-button-mismatch",
    default_severity: Severity::Error,
    source: Source::Platform,
    providers: &["sandeza/", "oca/", "qiscus/"],
    summary: "A button sent does not fit the template's buttons: no such index, another type, a parameter it does not take, or a dynamic button left out (WhatsApp 131008, 132000).",
    docs: include_str!("template-button-mismatch.md"),
};

send_rule!(TemplateButtonMismatch);

/// How a button is described in messages: `button 0 (URL "Lacak paket",
/// https://…/{{1}})`.
pub(crate) fn describe(i: usize, b: &Button) -> String {
    let mut s = format!("button {i} ({}", b.kind.as_str());
    if let Some(text) = &b.text {
        s.push_str(&format!(" {}", quoted(text)));
    }
    if let Some(url) = &b.url {
        s.push_str(&format!(", {}", url.text));
    }
    s.push(')');
    s
}

/// The sub-types a send may write for a template button of `kind`, as the
/// providers spell them (lowercase).
fn accepted(kind: &ButtonKind) -> &'static [&'static str] {
    match kind {
        ButtonKind::QuickReply => &["quick_reply"],
        ButtonKind::Url => &["url", "url_dynamic", "dynamic_url"],
        // WhatsApp sends an OTP button's code with sub_type url.
        ButtonKind::Otp => &["url", "url_dynamic", "dynamic_url", "copy_code"],
        ButtonKind::CopyCode => &["copy_code"],
        ButtonKind::Catalog => &["catalog"],
        ButtonKind::Mpm => &["mpm"],
        ButtonKind::Flow => &["flow"],
        ButtonKind::PhoneNumber | ButtonKind::Other(_) => &[],
    }
}

/// `a URL`, `an MPM`, `an OTP`, `a QUICK_REPLY` (as the words are read).
fn with_article(kind: &str) -> String {
    let an = matches!(kind, "OTP" | "MPM");
    format!("{} {kind}", if an { "an" } else { "a" })
}

const KNOWN: &[&str] = &[
    "quick_reply",
    "url",
    "url_dynamic",
    "dynamic_url",
    "copy_code",
    "catalog",
    "mpm",
    "flow",
];

impl SendCheck for TemplateButtonMismatch {
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
        let f = fields(send.form, false);
        let sent: &[ButtonPart<'_>] = match &send.buttons {
            Slot::Cannot => return,
            Slot::Absent => &[],
            Slot::Given(b) => b,
        };
        check_buttons(t, &t.buttons, sent, &|| home(cx, send, f.buttons), "", out);
        if let Slot::Given(cards) = &send.cards {
            for (i, (card, sent)) in t.cards.iter().zip(cards).enumerate() {
                check_buttons(
                    t,
                    &card.buttons,
                    &sent.buttons,
                    &|| sent.pointer.clone(),
                    &format!("card {i}: "),
                    out,
                );
            }
        }
    }
}

fn check_buttons(
    t: &Template,
    buttons: &[Button],
    sent: &[ButtonPart<'_>],
    home: &dyn Fn() -> String,
    prefix: &str,
    out: &mut Vec<Diagnostic>,
) {
    // A required button left out, and one sent at an index the template
    // lacks, are most likely one button with a wrong index.
    let missing: Vec<usize> = buttons
        .iter()
        .enumerate()
        .filter(|(i, tb)| {
            tb.needs_parameter() && !sent.iter().any(|b| b.index == u64::try_from(*i).ok())
        })
        .map(|(i, _)| i)
        .collect();
    let strays = sent
        .iter()
        .filter(|b| {
            b.index
                .and_then(|i| usize::try_from(i).ok())
                .is_some_and(|i| i >= buttons.len())
        })
        .count();
    let paired = missing.len() == 1 && strays == 1;
    for b in sent {
        let Some(index) = b.index.and_then(|i| usize::try_from(i).ok()) else {
            continue;
        };
        let Some(tb) = buttons.get(index) else {
            if paired
                && let Some(&m) = missing.first()
                && let Some(mb) = buttons.get(m)
            {
                out.push(
                    super::shared::at(
                        &INFO,
                        &b.index_pointer(),
                        b.range.clone(),
                        format!(
                            "{prefix}template {} has no button {index}, and its {} gets no parameter; WhatsApp would answer 131008 (Button at index {m} of type {} requires a parameter)",
                            label(t),
                            describe(m, mb),
                            mb.kind.as_str()
                        ),
                    )
                    .with_help(format!("if this is the parameter of button {m}, set its index to {m}")),
                );
                continue;
            }
            let list = if buttons.is_empty() {
                "no buttons".to_string()
            } else {
                format!(
                    "{} button{} ({})",
                    buttons.len(),
                    if buttons.len() == 1 { "" } else { "s" },
                    buttons
                        .iter()
                        .enumerate()
                        .map(|(i, b)| describe(i, b))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            out.push(
                super::shared::at(
                    &INFO,
                    &b.index_pointer(),
                    b.range.clone(),
                    format!(
                        "{prefix}template {} has {list}; this payload sends button {index}; WhatsApp would answer 132000",
                        label(t)
                    ),
                )
                .with_help("send only the template's dynamic buttons, each with its index from 0"),
            );
            continue;
        };
        if let Some(sub) = b.sub_type.as_deref() {
            let ok = accepted(&tb.kind);
            if matches!(tb.kind, ButtonKind::PhoneNumber) {
                out.push(
                    super::shared::at(&INFO, &b.pointer, b.range.clone(), format!(
                        "{prefix}{} of template {} calls a number and takes no parameter; this payload sends a `{sub}` button for it; WhatsApp would answer 132000",
                        describe(index, tb),
                        label(t)
                    ))
                    .with_help("leave this button out of the send"),
                );
                continue;
            }
            if !ok.is_empty() && !ok.contains(&sub) {
                let known = KNOWN.contains(&sub);
                let mut d = super::shared::at(
                    &INFO,
                    &b.sub_type_pointer(),
                    b.sub_type_range.clone(),
                    format!(
                        "{prefix}{} of template {} is {} button; this payload sends it as `{sub}`{}",
                        describe(index, tb),
                        label(t),
                        with_article(tb.kind.as_str()),
                        if known { "; WhatsApp would answer 132000" } else { "" }
                    ),
                )
                .with_help(format!("send it with sub-type `{}`", ok[0]));
                if !known {
                    d.severity = Severity::Warning;
                    d = d.with_note("the provider's doc does not list this sub-type: if it stands for the same kind of button, ignore this warning");
                }
                out.push(d);
                continue;
            }
        }
        let given = b.params.len();
        match tb.parameter_count() {
            Some(0) if given > 0 => out.push(
                super::shared::at(&INFO, &b.pointer, b.range.clone(), format!(
                    "{prefix}{} of template {} is static and takes no parameter; this payload gives it {given}; WhatsApp would answer 132000",
                    describe(index, tb),
                    label(t)
                ))
                .with_help("leave this button out of the send: a static URL button needs nothing"),
            ),
            Some(n) if n > 0 && given != n && !(given == 0 && b.range.is_some()) => out.push(
                super::shared::at(&INFO, &b.pointer, b.range.clone(), format!(
                    "{prefix}{} of template {} takes exactly {n} parameter; this payload gives {given}; WhatsApp would answer {}",
                    describe(index, tb),
                    label(t),
                    if given == 0 { "131008 (button requires a parameter)" } else { "132000" }
                ))
                .with_help("send one parameter: the button's value"),
            ),
            None if given > 1 => out.push(
                super::shared::at(&INFO, &b.pointer, b.range.clone(), format!(
                    "{prefix}{} of template {} takes at most one parameter; this payload gives {given}; WhatsApp would answer 132000",
                    describe(index, tb),
                    label(t)
                ))
                .with_help("send one parameter"),
            ),
            _ => {}
        }
    }
    for &i in &missing {
        if paired {
            break;
        }
        let Some(tb) = buttons.get(i) else { continue };
        let what = match tb.kind {
            ButtonKind::Url => {
                "its URL ends in {{1}}, so the send must give the suffix".to_string()
            }
            ButtonKind::Otp => "the send must give the one-time code".to_string(),
            ButtonKind::CopyCode => "the send must give the code to copy".to_string(),
            ButtonKind::Mpm => "the send must give the products".to_string(),
            _ => "the send must give its parameter".to_string(),
        };
        out.push(
            super::shared::at(
                &INFO,
                &home(),
                None,
                format!(
                    "{prefix}{} of template {}: {what}; this payload gives no button {i}; WhatsApp would answer 131008 (Button at index {i} of type {} requires a parameter)",
                    describe(i, tb),
                    label(t),
                    tb.kind.as_str()
                ),
            )
            .with_help(format!("add button {i} with its parameter")),
        );
    }
}
