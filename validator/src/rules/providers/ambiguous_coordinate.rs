//! `ambiguous-coordinate`: a chatbot-gateway location `coordinate` with a
//! negative part, which collides with the `-` that joins latitude and longitude.

use super::parse_coordinate;
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::pointer;
use crate::rules::{Rule, RuleContext, RuleInfo};

/// The rule.
pub struct AmbiguousCoordinate;

static INFO: RuleInfo = RuleInfo {
    name: "ambiguous-coordinate",
    default_severity: Severity::Warning,
    source: Source::Provider,
    providers: &["chatbot/"],
    summary: "A webhook-reply coordinate has a negative latitude or longitude, which the gateway's `latitude-longitude` format cannot tell from the separator.",
    docs: "## What it does\nReports a location `coordinate` of a chatbot-gateway webhook reply (fields marked `x-format: chatbot-coordinate`) whose latitude or longitude is negative: `-6.175392-106.827153` (Jakarta) or `40.7128--74.006` (west of Greenwich).\n\n## Why is this bad?\nThe doc writes a coordinate as `{{latitude}}-{{longitude}}`: the minus sign of a negative number is the same character as the separator. A gateway that splits the text on `-` reads `-6.175392-106.827153` as an empty latitude, `6.175392` and `106.827153`,, and may put the pin at latitude 0 or 6.175392 north instead of 6.175392 south, or reject it. All of Java, Bali and Nusa Tenggara is south of the equator, so most Indonesian addresses have a negative latitude. The doc gives no escape for it.\n\n## Source\nChatbot gateway doc, webhook response format: `\"coordinate\": \"{{latitude}}-{{longitude}}\"`.\n\n## Example\n```json\n{\"type\": \"location\", \"content\": [{\"coordinate\": \"-6.175392-106.827153\"}]}\n```\nUse instead: test with your gateway how it reads a negative latitude before relying on it, or send the location with `/api/sendlocation`, whose `latitude` and `longitude` are separate fields:\n```json\n{\"nohp\": \"6281234567890\", \"latitude\": \"-6.175392\", \"longitude\": \"106.827153\", \"pesan\": \"Monas\"}\n```\n",
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
