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
                            .with_source(Source::Platform)
                            .with_related(format!("{ptr}/cards/{first}/card_index"), format!("card_index {index} first used here")),
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
            // With the template known, each card is compared with the
            // template's card (`template-header-format`,
            // `template-parameter-count`, `template-button-mismatch`).
            if crate::engine::rules::templates::template_known_at(cx, ptr) {
                continue;
            }
            for (i, card) in cards.iter().enumerate() {
                // A component of no kind the schema knows is the schema's
                // `enum` finding at its `type` (one mistake, one finding).
                if card.get("components").and_then(Value::as_array).is_some()
                    && !has_header(card)
                    && all_known(&shape(card))
                {
                    out.push(
                        Diagnostic::error(
                            INFO.name,
                            format!("{ptr}/cards/{i}/components"),
                            format!("cards[{i}] has no header; every card of a carousel template has an image or video header"),
                        )
                        .with_help("add the card's header first: {\"type\": \"header\", \"parameters\": [{\"type\": \"image\", \"image\": {\"link\": \"https://…\"}}]}")
                        .with_note("WhatsApp would answer 132012 (the header the template defines is missing)")
                        .with_source(Source::Platform),
                    );
                }
            }
            let Some(first_card) = cards.first() else {
                continue;
            };
            let first = shape(first_card);
            for (i, card) in cards.iter().enumerate().skip(1) {
                let mut this = shape(card);
                let mut first = first.clone();
                if !all_known(&first) || !all_known(&this) {
                    continue;
                }
                // A missing header is reported above (one mistake, one finding).
                if !has_header(card) || !has_header(first_card) {
                    this.retain(|s| !s.starts_with("header"));
                    first.retain(|s| !s.starts_with("header"));
                }
                let bodies = (body_count(first_card), body_count(card));
                // A body without parameters (empty, missing or misspelt) is a
                // schema finding: its count is not compared (one mistake,
                // one finding).
                let counted = |n: Option<usize>| n.is_some_and(|n| n > 0);
                if !counted(bodies.0.0) || !counted(bodies.1.0) {
                    for s in this.iter_mut().chain(first.iter_mut()) {
                        if s.starts_with("body") {
                            *s = "body".to_string();
                        }
                    }
                }
                if this == first {
                    continue;
                }
                let without_body = |v: &[String]| -> Vec<String> {
                    v.iter()
                        .filter(|s| !s.starts_with("body"))
                        .cloned()
                        .collect()
                };
                if let ((Some(want), _), (Some(got), Some(at))) = (bodies.0, bodies.1)
                    && want != got
                    && without_body(&this) == without_body(&first)
                {
                    out.push(
                        Diagnostic::error(
                            INFO.name,
                            format!("{ptr}/cards/{i}/components/{at}/parameters"),
                            format!("cards[{i}]'s body has {got} parameter{}, but cards[0]'s has {want}; every card of a carousel fills the same body placeholders", plural(got)),
                        )
                        .with_help(format!("give this card's body {want} parameter{}, one per placeholder of the card's body text", plural(want)))
                        .with_note("WhatsApp would answer 132000 (the number of parameters does not match the template's)")
                        .with_source(Source::Platform)
                        .with_related(
                            match body_count(first_card).1 {
                                Some(b) => format!("{ptr}/cards/0/components/{b}/parameters"),
                                None => format!("{ptr}/cards/0/components"),
                            },
                            "the first card's body parameters",
                        ),
                    );
                    continue;
                }
                out.push(
                    Diagnostic::error(
                        INFO.name,
                        format!("{ptr}/cards/{i}/components"),
                        format!("cards[{i}] has components {}, but cards[0] has {}; every card of a carousel has the same components", this.join(", "), first.join(", ")),
                    )
                    .with_help("give every card the header, body and buttons of the template's card")
                    .with_source(Source::Platform)
                    .with_related(format!("{ptr}/cards/0/components"), "the first card's components"),
                );
            }
        }
    }
}

/// Whether every component of a card's shape is a header, body or button.
fn all_known(shape: &[String]) -> bool {
    shape
        .iter()
        .all(|s| s.starts_with("body") || s.starts_with("header (") || s.starts_with("button ("))
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The card has a header component.
fn has_header(card: &Value) -> bool {
    components(card).any(|c| lower_field(c, "type").as_deref() == Some("header"))
}

/// The card's components.
fn components(card: &Value) -> impl Iterator<Item = &Value> {
    card.get("components")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

/// The number of parameters of the card's first body, and that body's
/// index among the components.
fn body_count(card: &Value) -> (Option<usize>, Option<usize>) {
    components(card)
        .enumerate()
        .find(|(_, c)| lower_field(c, "type").as_deref() == Some("body"))
        .map(|(i, c)| {
            let n = c.get("parameters").and_then(Value::as_array).map(Vec::len);
            (n, Some(i))
        })
        .unwrap_or((None, None))
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
                "body" => match c.get("parameters").and_then(Value::as_array) {
                    Some(p) => format!("body ({} parameter{})", p.len(), plural(p.len())),
                    None => "body".to_string(),
                },
                other => other.to_string(),
            }
        })
        .collect();
    out.sort_by_key(|s| (!s.starts_with("header"), !s.starts_with("body"), s.clone()));
    out
}
