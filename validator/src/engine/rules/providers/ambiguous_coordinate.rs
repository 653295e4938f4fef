//! `ambiguous-coordinate`: a chatbot-gateway location `coordinate` with a
//! negative part, which collides with the `-` that joins latitude and longitude.

use super::shared::parse_coordinate;
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::engine::rules::context::{Rule, RuleContext, RuleInfo};
use crate::engine::text::pointer;

/// The rule.
pub struct AmbiguousCoordinate;

static INFO: RuleInfo = RuleInfo {
    name: "ambiguous-coordinate",
    default_severity: Severity::Warning,
    source: Source::Provider,
    providers: &["chatbot/"],
    summary: "A webhook-reply coordinate has a negative latitude or longitude, which the gateway's `latitude-longitude` format cannot tell from the separator.",
    docs: include_str!("ambiguous-coordinate.md"),
};

impl Rule for AmbiguousCoordinate {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        for (ptr, text) in cx.strings_with_format("chatbot-coordinate") {
            let Some(c) = parse_coordinate(text) else {
                continue;
            };
            let lat_negative = text.starts_with('-');
            let lon_negative = text
                .get(c.longitude_range.clone())
                .is_some_and(|s| s.starts_with('-'));
            if !lat_negative && !lon_negative {
                continue;
            }
            let field = pointer::field_name(ptr);
            let (message, range) = if lat_negative {
                (
                    format!(
                        "`{field}` \"{text}\" starts with a minus sign (a latitude south of the equator), the same character the gateway puts between latitude and longitude: the coordinate is ambiguous"
                    ),
                    0..1,
                )
            } else {
                (
                    format!(
                        "`{field}` \"{text}\" has a negative longitude, whose minus sign follows the '-' the gateway puts between latitude and longitude: the coordinate is ambiguous"
                    ),
                    c.separator..c.separator + 2,
                )
            };
            let parts: Vec<String> = text.split('-').map(|p| format!("\"{p}\"")).collect();
            let note = format!(
                "split at every '-', it gives {}: the sign is lost, and a gateway that takes the first two parts as latitude and longitude puts the pin somewhere else or drops it; the doc gives no other way to write a negative value",
                parts.join(", ")
            );
            let lat = text.get(c.latitude_range.clone()).unwrap_or_default();
            let lon = text.get(c.longitude_range.clone()).unwrap_or_default();
            out.push(
                Diagnostic::warning(INFO.name, ptr.to_string(), message)
                    .with_help(format!(
                        "check how your gateway reads \"{text}\" before relying on it, or send this location with /api/sendlocation, which takes \"latitude\": \"{lat}\" and \"longitude\": \"{lon}\" as separate fields"
                    ))
                    .with_note(note)
                    .with_source(Source::Provider)
                    .with_value_range(range),
            );
        }
    }
}
