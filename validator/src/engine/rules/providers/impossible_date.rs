//! `impossible-date`: a date written in the right form that no calendar has
//! (`2024-02-30 10:00:00`), on fields marked `x-format: local-datetime`.

use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::engine::rules::context::{Rule, RuleContext, RuleInfo};

/// The rule.
pub struct ImpossibleDate;

static INFO: RuleInfo = RuleInfo {
    name: "impossible-date",
    default_severity: Severity::Error,
    source: Source::Provider,
    providers: &[],
    summary: "A date in the right form that does not exist (30 February, 31 April).",
    docs: include_str!("impossible-date.md"),
};

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl Rule for ImpossibleDate {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        for keyed in cx.x_formats() {
            if keyed.facts.format != Some("local-datetime") {
                continue;
            }
            let Some(text) = keyed.value.as_str() else {
                continue;
            };
            // The form (`yyyy-MM-dd HH:mm:ss`) is the schema's pattern.
            let Some((year, month, day)) = date_of(text) else {
                continue;
            };
            let days = days_in(year, month);
            if day <= days {
                continue;
            }
            let field = crate::engine::text::pointer::field_name(keyed.pointer);
            let name = MONTHS[(month - 1) as usize];
            out.push(
                Diagnostic::error(
                    INFO.name,
                    keyed.pointer,
                    format!("`{field}` `{text}` is not a date: {name} {year} has {days} days"),
                )
                .with_help(format!(
                    "check how the date is computed; the last day of {name} {year} is {year}-{month:02}-{days:02}"
                ))
                .with_source(Source::Provider)
                .with_value_range(8..10),
            );
        }
    }
}

/// Year, month and day of a value that starts `yyyy-MM-dd` with a month
/// 1–12 and a day 1–31; `None` otherwise (the pattern reports it).
fn date_of(text: &str) -> Option<(u32, u32, u32)> {
    let b = text.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| text.get(r)?.parse::<u32>().ok();
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    ((1..=12).contains(&month) && (1..=31).contains(&day)).then_some((year, month, day))
}

/// Days in a month of the Gregorian calendar.
fn days_in(year: u32, month: u32) -> u32 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar() {
        assert_eq!(days_in(2024, 2), 29);
        assert_eq!(days_in(2026, 2), 28);
        assert_eq!(days_in(2000, 2), 29);
        assert_eq!(days_in(2100, 2), 28);
        assert_eq!(days_in(2026, 4), 30);
        assert_eq!(days_in(2026, 12), 31);
        assert_eq!(date_of("2024-02-30 10:00:00"), Some((2024, 2, 30)));
        assert_eq!(date_of("2024-13-01 10:00:00"), None);
        assert_eq!(date_of("30-02-2024"), None);
        assert_eq!(date_of("2024-٠٢-30"), None);
    }
}
