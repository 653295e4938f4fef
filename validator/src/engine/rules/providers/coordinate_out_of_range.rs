//! `coordinate-out-of-range`: a chatbot-gateway latitude or longitude that
//! is not a place on Earth: in a webhook reply's `coordinate` (`lat-long`) or
//! in sendlocation's `latitude` / `longitude` (a number or a decimal string,
//! judged the same way).

use super::shared::parse_coordinate;
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::engine::rules::context::{Rule, RuleContext, RuleInfo};
use crate::engine::text::pointer;

/// The rule.
pub struct CoordinateOutOfRange;

static INFO: RuleInfo = RuleInfo {
    name: "coordinate-out-of-range",
    default_severity: Severity::Warning,
    source: Source::Provider,
    providers: &["chatbot/"],
    summary: "A chatbot-gateway latitude is outside -90…90 or a longitude outside -180…180.",
    docs: include_str!("coordinate-out-of-range.md"),
};

impl Rule for CoordinateOutOfRange {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        fields(cx, out);
        for (ptr, text) in cx.strings_with_format("chatbot-coordinate") {
            let Some(c) = parse_coordinate(text) else {
                continue;
            };
            let field = pointer::field_name(ptr);
            let lat_bad = c.latitude.abs() > 90.0;
            let lon_bad = c.longitude.abs() > 180.0;
            if lat_bad {
                let swapped = c.longitude.abs() <= 90.0 && c.latitude.abs() <= 180.0;
                let lat_text = text.get(c.latitude_range.clone()).unwrap_or_default();
                let lon_text = text.get(c.longitude_range.clone()).unwrap_or_default();
                let help = if swapped {
                    format!(
                        "latitude comes first (`{{{{latitude}}}}-{{{{longitude}}}}`); these look swapped: \"{lon_text}-{lat_text}\""
                    )
                } else {
                    "write the latitude (-90 to 90) first, then '-', then the longitude (-180 to 180)".to_string()
                };
                out.push(
                    Diagnostic::warning(
                        INFO.name,
                        ptr.to_string(),
                        format!(
                            "`{field}` has latitude {lat_text}; a latitude lies between -90 and 90"
                        ),
                    )
                    .with_help(help)
                    .with_source(Source::Provider)
                    .with_value_range(c.latitude_range.clone()),
                );
            }
            if lon_bad {
                let lon_text = text.get(c.longitude_range.clone()).unwrap_or_default();
                out.push(
                    Diagnostic::warning(
                        INFO.name,
                        ptr.to_string(),
                        format!("`{field}` has longitude {lon_text}; a longitude lies between -180 and 180"),
                    )
                    .with_help("write the latitude (-90 to 90) first, then '-', then the longitude (-180 to 180)")
                    .with_source(Source::Provider)
                    .with_value_range(c.longitude_range.clone()),
                );
            }
        }
    }
}

/// A latitude or longitude field as a number: a JSON number or a decimal
/// string (the doc's samples send strings); `None` for anything else, which
/// the schema reports.
fn degrees(value: &serde_json::Value) -> Option<(f64, String)> {
    match value {
        serde_json::Value::Number(n) => n.as_f64().map(|f| (f, n.to_string())),
        serde_json::Value::String(s) => {
            let t = s.trim();
            let ok = !t.is_empty()
                && t.strip_prefix('-').unwrap_or(t).split_once('.').map_or(
                    t.strip_prefix('-')
                        .unwrap_or(t)
                        .bytes()
                        .all(|b| b.is_ascii_digit()),
                    |(a, b)| {
                        !a.is_empty()
                            && !b.is_empty()
                            && a.bytes().all(|x| x.is_ascii_digit())
                            && b.bytes().all(|x| x.is_ascii_digit())
                    },
                );
            ok.then(|| t.parse().ok().map(|f| (f, t.to_string())))
                .flatten()
        }
        _ => None,
    }
}

/// sendlocation's `latitude` and `longitude` (`x-format: chatbot-latitude`,
/// `chatbot-longitude`): the same ranges, the same severity for both forms,
/// and a word when the two look swapped.
fn fields(cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
    let lats = cx
        .x_formats()
        .iter()
        .filter(|k| k.facts.format == Some("chatbot-latitude"));
    for lat in lats {
        let Some((value, shown)) = degrees(lat.value) else {
            continue;
        };
        if value.abs() <= 90.0 {
            continue;
        }
        let longitude = pointer::parent(lat.pointer)
            .map(|p| pointer::join(p, "longitude"))
            .and_then(|p| pointer::get(cx.payload, &p))
            .and_then(degrees);
        let help = match longitude {
            Some((lon, lon_shown)) if lon.abs() <= 90.0 && value.abs() <= 180.0 => format!(
                "latitude and longitude look swapped: latitude {lon_shown}, longitude {shown} is a place on Earth"
            ),
            _ => "a latitude is north (+) or south (-) of the equator, -90 to 90; Jakarta is -6.175392".to_string(),
        };
        out.push(
            Diagnostic::warning(
                INFO.name,
                lat.pointer.to_string(),
                format!("`latitude` is {shown}; a latitude lies between -90 and 90"),
            )
            .with_help(help)
            .with_source(Source::Provider),
        );
    }
    let lons = cx
        .x_formats()
        .iter()
        .filter(|k| k.facts.format == Some("chatbot-longitude"));
    for lon in lons {
        let Some((value, shown)) = degrees(lon.value) else {
            continue;
        };
        if value.abs() > 180.0 {
            out.push(
                Diagnostic::warning(
                    INFO.name,
                    lon.pointer.to_string(),
                    format!("`longitude` is {shown}; a longitude lies between -180 and 180"),
                )
                .with_help("a longitude is east (+) or west (-) of Greenwich, -180 to 180; Jakarta is 106.827153")
                .with_source(Source::Provider),
            );
        }
    }
}
