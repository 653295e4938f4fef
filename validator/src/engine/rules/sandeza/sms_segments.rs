//! `sms-segments`: how many SMS a Sandeza SMS message is billed as.

use super::shared::places_of;
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::engine::rules::context::{Rule, RuleContext, RuleInfo};
use serde_json::Value;

/// The rule.
pub struct SmsSegments;

static INFO: RuleInfo = RuleInfo {
    name: "sms-segments",
    default_severity: Severity::Warning,
    source: Source::Provider,
    providers: &["sandeza/"],
    summary: "The SMS text needs more than one SMS segment (each is billed).",
    docs: include_str!("sms-segments.md"),
};

/// The GSM 03.38 basic character set.
const GSM_BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
/// The GSM 03.38 extension table: two units each (escape + character).
const GSM_EXTENDED: &str = "€[]{}\\^~|\u{c}";

/// How a text is encoded and how long it is in that encoding's units.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Count {
    /// The first non-GSM character and its character index, when the text is UCS-2.
    pub ucs2_because: Option<(char, usize)>,
    /// Septets (GSM-7) or UTF-16 code units (UCS-2).
    pub units: usize,
    /// Segments needed.
    pub segments: usize,
    /// Character index where the single-SMS capacity is exceeded.
    pub overflow_at: Option<usize>,
}

pub(crate) fn count(text: &str) -> Count {
    let first_non_gsm = text
        .chars()
        .enumerate()
        .find(|(_, c)| !GSM_BASIC.contains(*c) && !GSM_EXTENDED.contains(*c))
        .map(|(i, c)| (c, i));
    let (single, multi) = if first_non_gsm.is_some() {
        (70, 67)
    } else {
        (160, 153)
    };
    let mut units = 0;
    let mut overflow_at = None;
    for (i, c) in text.chars().enumerate() {
        units += if first_non_gsm.is_some() {
            c.len_utf16()
        } else if GSM_EXTENDED.contains(c) {
            2
        } else {
            1
        };
        if units > single && overflow_at.is_none() {
            overflow_at = Some(i);
        }
    }
    let segments = if units <= single {
        1
    } else {
        units.div_ceil(multi)
    };
    Count {
        ucs2_because: first_non_gsm,
        units,
        segments,
        overflow_at,
    }
}

fn describe(c: char) -> &'static str {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201C}' | '\u{201D}' => "curly quote",
        '\u{2013}' | '\u{2014}' => "dash",
        '\u{2026}' => "ellipsis",
        '\u{a0}' => "non-breaking space",
        c if u32::from(c) >= 0x1F000 || ('\u{2600}'..='\u{27BF}').contains(&c) => "emoji",
        _ => "character",
    }
}

impl Rule for SmsSegments {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        for (ptr, value) in places_of(cx, "SmsChannel") {
            let Some(text) = value.get("message").and_then(Value::as_str) else {
                continue;
            };
            let c = count(text);
            if c.segments <= 1 {
                continue;
            }
            let at = crate::engine::text::pointer::join(ptr, "message");
            let chars = text.chars().count();
            let d = match c.ucs2_because {
                Some((ch, i)) => {
                    let shown = if ch.is_control() || ch.is_whitespace() {
                        format!("U+{:04X}", u32::from(ch))
                    } else {
                        format!("`{ch}`")
                    };
                    let gsm = count(&text.chars().filter(|x| *x != ch).collect::<String>());
                    let help = if gsm.ucs2_because.is_none() && gsm.segments < c.segments {
                        format!(
                            "without the {} it would be GSM-7 and {} segment{}",
                            describe(ch),
                            gsm.segments,
                            if gsm.segments == 1 { "" } else { "s" }
                        )
                    } else {
                        "use only GSM-7 characters (no emoji, curly quotes or long dashes), or shorten the text".to_string()
                    };
                    Diagnostic::warning(
                        INFO.name,
                        at,
                        format!(
                            "the SMS is {} segments: the {} {shown} at column {} makes it UCS-2, which fits 70 characters in one SMS and 67 per segment ({} UTF-16 units)",
                            c.segments,
                            describe(ch),
                            i + 1,
                            c.units
                        ),
                    )
                    .with_help(help)
                    .with_value_range(i..i + 1)
                }
                None => {
                    let extra = c.units - chars;
                    let ext = if extra > 0 {
                        format!(
                            ", {extra} of them for characters such as `€ [ ] {{ }}` that count twice"
                        )
                    } else {
                        String::new()
                    };
                    let start = c.overflow_at.unwrap_or(0);
                    Diagnostic::warning(
                        INFO.name,
                        at,
                        format!("the SMS is {} segments: {} GSM-7 units{ext}; one SMS holds 160, and a longer text is sent as segments of 153", c.segments, c.units),
                    )
                    .with_help("shorten it to 160 units to send one SMS")
                    .with_value_range(start..chars)
                }
            };
            out.push(
                d.with_note("each segment is billed as one SMS")
                    .with_source(Source::Provider),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::count;

    #[test]
    fn gsm_limits() {
        assert_eq!(count(&"a".repeat(160)).segments, 1);
        assert_eq!(count(&"a".repeat(161)).segments, 2);
        assert_eq!(count(&"a".repeat(306)).segments, 2);
        assert_eq!(count(&"a".repeat(307)).segments, 3);
        assert_eq!(count(&"€".repeat(80)).units, 160);
        assert_eq!(count(&"€".repeat(81)).segments, 2);
    }

    #[test]
    fn ucs2_limits() {
        let c = count(&format!("{}👋", "a".repeat(68)));
        assert_eq!(c.units, 70);
        assert_eq!(c.segments, 1);
        assert_eq!(c.ucs2_because, Some(('👋', 68)));
        assert_eq!(count(&format!("{}’", "a".repeat(70))).segments, 2);
        assert_eq!(count(&"é".repeat(160)).segments, 1);
    }
}
