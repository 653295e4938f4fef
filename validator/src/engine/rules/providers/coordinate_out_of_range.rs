//! `coordinate-out-of-range`: a chatbot-gateway location `coordinate` whose
//! latitude or longitude is not a place on Earth.

use super::shared::parse_coordinate;
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::engine::rules::context::{Rule, RuleContext, RuleInfo};
use crate::engine::text::pointer;

/// The rule.
pub struct CoordinateOutOfRange;

static INFO: RuleInfo = RuleInfo {
    name: "coordinate-out-of-range",
    default_severity: Severity::Warning,
    source: Source::Platform,
    providers: &["chatbot/"],
    summary: "A webhook-reply coordinate's latitude is outside -90…90 or its longitude outside -180…180.",
    docs: include_str!("coordinate-out-of-range.md"),
};

impl Rule for CoordinateOutOfRange {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
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
                    .with_source(Source::Platform)
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
                    .with_source(Source::Platform)
                    .with_value_range(c.longitude_range.clone()),
                );
            }
        }
    }
}
