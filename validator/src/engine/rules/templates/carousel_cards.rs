//! `template-carousel-cards`: a send's carousel does not fit the template's:
//! a carousel for a template without one, none for a carousel template,
//! or another number of cards.

use super::shared::{SendCheck, fields, home, label};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::engine::rules::context::{RuleContext, RuleInfo};
use crate::engine::rules::views::template_send::{Send, Slot};
use preflight_templates::Template;

/// The rule.
pub struct TemplateCarouselCards;

static INFO: RuleInfo = RuleInfo {
    name: "template-carousel-cards",
    default_severity: Severity::Error,
    source: Source::Platform,
    providers: &["sandeza/"],
    summary: "The carousel sent does not have the template's cards: none, too many or too few, or (WhatsApp 132000).",
    docs: include_str!("template-carousel-cards.md"),
};

send_rule!(TemplateCarouselCards);

impl SendCheck for TemplateCarouselCards {
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
        let n = t.cards.len();
        match &send.cards {
            Slot::Cannot => {}
            Slot::Absent if n > 0 => out.push(
                super::shared::at(
                    &INFO,
                    &home(cx, send, fields(send.form, false).cards),
                    None,
                    format!(
                        "template {} is a carousel of {n} cards and this payload sends no carousel; WhatsApp would answer 132000",
                        label(t)
                    ),
                )
                .with_help(format!("send `carousel` with {n} cards, card_index 0 to {}", n - 1)),
            ),
            Slot::Given(cards) if n == 0 => out.push(
                super::shared::at(
                    &INFO,
                    &home(cx, send, fields(send.form, false).cards),
                    None,
                    format!("template {} is not a carousel, and this payload sends {} carousel cards; WhatsApp would answer 132000", label(t), cards.len()),
                )
                .with_help("leave `carousel` out"),
            ),
            Slot::Given(cards) if cards.len() != n => {
                    let (pointer, what) = match cards.get(n) {
                        Some(extra) => (extra.pointer.clone(), "too many"),
                        None => (home(cx, send, "carousel/cards"), "too few"),
                    };
                    out.push(
                        super::shared::at(
                            &INFO,
                            &pointer,
                            None,
                            format!(
                                "template {} has {n} carousel cards and this payload sends {} ({what}); a send gives every card of the template, so WhatsApp would answer 132000",
                                label(t),
                                cards.len()
                            ),
                        )
                        .with_help(format!("send {n} cards, card_index 0 to {}", n - 1)),
                    );
            }
            _ => {}
        }
    }
}
