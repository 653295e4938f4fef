//! `carousel-cards`: the cards of a carousel template are numbered 0, 1, 2 …
//! in order and all have the same components.

use super::shared::{lower_field, places_of};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::engine::rules::context::{Rule, RuleContext, RuleInfo};
use serde_json::Value;

/// The rule.
pub struct CarouselCards;

static INFO: RuleInfo = RuleInfo {
    name: "carousel-cards",
    default_severity: Severity::Error,
    source: Source::Platform,
    providers: &["sandeza/"],
    summary: "Carousel cards are misnumbered, or differ in their components.",
    docs: include_str!("carousel-cards.md"),
};

impl Rule for CarouselCards {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        for (ptr, value) in places_of(cx, "WhatsAppCarousel") {
            let Some(cards) = value.get("cards").and_then(Value::as_array) else {
                continue;
            };
            let mut used: Vec<(u64, usize)> = Vec::new();
            for (i, card) in cards.iter().enumerate() {
                // Beyond 9 is the schema's `maximum` finding (one mistake, one finding).
                let Some(index) = card
                    .get("card_index")
                    .and_then(Value::as_u64)
                    .filter(|&n| n <= 9)
                else {
                    continue;
                };
                let at = format!("{ptr}/cards/{i}/card_index");
                if let Some((_, first)) = used.iter().find(|(v, _)| *v == index) {
                    out.push(
                        Diagnostic::error(INFO.name, at, format!("cards[{i}] has card_index {index}, which cards[{first}] already has; each card has its own index"))
                            .with_help(format!("number the cards from 0 in the order they are sent: this one is {i}"))
                            .with_source(Source::Platform),
                    );
                } else if index != i as u64 {
                    out.push(
                        Diagnostic::error(INFO.name, at, format!("cards[{i}] has card_index {index}; card_index counts the cards from 0 in order, so this card is {i}"))
                            .with_help(format!("set card_index to {i}"))
                            .with_source(Source::Platform),
                    );
                }
                used.push((index, i));
            }
            let Some(first) = cards.first().map(shape) else {
                continue;
            };
            for (i, card) in cards.iter().enumerate().skip(1) {
                let this = shape(card);
                // A component of no kind the schema knows is the schema's
                // `enum` finding at its `type` (one mistake, one finding).
                if !all_known(&first) || !all_known(&this) {
                    continue;
                }
                if this != first {
                    out.push(
                        Diagnostic::error(
                            INFO.name,
                            format!("{ptr}/cards/{i}/components"),
                            format!("cards[{i}] has components {}, but cards[0] has {}; every card of a carousel has the same components", this.join(", "), first.join(", ")),
                        )
                        .with_help("give every card the header, body and buttons of the template's card")
                        .with_source(Source::Platform),
                    );
                }
            }
        }
    }
}

/// Whether every component of a card's shape is a header, body or button.
fn all_known(shape: &[String]) -> bool {
    shape
        .iter()
        .all(|s| s == "body" || s.starts_with("header (") || s.starts_with("button ("))
}

/// A card's components as sorted labels: `header (image)`, `body`,
/// `button (url)`.
fn shape(card: &Value) -> Vec<String> {
    let mut out: Vec<String> = card
        .get("components")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|c| {
            let kind = lower_field(c, "type").unwrap_or_else(|| "?".to_string());
            match kind.as_str() {
                "header" => {
                    let media = c
                        .get("parameters")
                        .and_then(|p| p.get(0))
                        .and_then(|p| lower_field(p, "type"))
                        .unwrap_or_else(|| "?".to_string());
                    format!("header ({media})")
                }
                // Indices are `duplicate-button-index`'s; here only kinds and counts.
                "button" => format!(
                    "button ({})",
                    lower_field(c, "sub_type").unwrap_or_else(|| "?".to_string())
                ),
                other => other.to_string(),
            }
        })
        .collect();
    out.sort_by_key(|s| (!s.starts_with("header"), !s.starts_with("body"), s.clone()));
    out
}
