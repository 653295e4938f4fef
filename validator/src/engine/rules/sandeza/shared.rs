//! What several Sandeza rules share: separated strings split with their
//! character ranges, totals over sections, button indices, and words.

use crate::engine::rules::context::RuleContext;
use serde_json::Value;

pub(crate) use crate::engine::text::pieces::{Piece, split_pieces};

/// A total over sections that passes a limit: where the first item over it
/// is, the total, and the per-section counts (`12 + 12 + 7`).
pub(crate) struct OverTotal {
    pub at: String,
    pub total: usize,
    pub per_section: String,
}

/// For every place named `def`, adds up the items of `field` over its
/// `sections` and, when the total passes `max`, says where it is crossed.
pub(crate) fn section_totals_over(
    cx: &RuleContext<'_>,
    def: &str,
    field: &str,
    max: usize,
) -> Vec<OverTotal> {
    let mut out = Vec::new();
    for (ptr, value) in places_of(cx, def) {
        let Some(sections) = value.get("sections").and_then(Value::as_array) else {
            continue;
        };
        let counts: Vec<usize> = sections
            .iter()
            .map(|s| s.get(field).and_then(Value::as_array).map_or(0, Vec::len))
            .collect();
        let total: usize = counts.iter().sum();
        if total <= max {
            continue;
        }
        let mut seen = 0;
        for (si, n) in counts.iter().enumerate() {
            if seen + n > max {
                out.push(OverTotal {
                    at: format!("{ptr}/sections/{si}/{field}/{}", max - seen),
                    total,
                    per_section: counts
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(" + "),
                });
                break;
            }
            seen += n;
        }
    }
    out
}

/// The places where a node named `def` (a `$defs` key) applies: pointer and value.
pub(crate) fn places_of<'a>(cx: &RuleContext<'a>, def: &str) -> Vec<(&'a str, &'a Value)> {
    cx.annotations.with_def(def)
}

/// A button `index` as sent: an integer or a one-digit string.
pub(crate) fn index_value(v: Option<&Value>) -> Option<u64> {
    match v? {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A lowercase string field of an object (`type`, `sub_type`).
pub(crate) fn lower_field(v: &Value, key: &str) -> Option<String> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::to_ascii_lowercase)
}

/// "1st", "2nd", "3rd", "11th".
pub(crate) fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_count_characters() {
        let p = split_pieces("text:=:Budi||text:=:Rp 2€0", "||", 0);
        assert_eq!(p.len(), 2);
        assert_eq!(p[1].range, 13..26);
        let q = split_pieces(p[1].text, ":=:", p[1].range.start);
        assert_eq!(q[1].range, 20..26);
        assert_eq!(ordinal(31), "31st");
        assert_eq!(ordinal(12), "12th");
    }
}
