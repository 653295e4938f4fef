//! `template-param-whitespace`: a WhatsApp template text parameter
//! (`x-format: whatsapp-template-param`) with a newline, a tab or more than
//! four consecutive spaces, which Meta rejects.

use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::engine::rules::context::{Rule, RuleContext, RuleInfo};
use serde_json::Value;
use std::ops::Range;

/// The rule.
pub struct TemplateParamWhitespace;

static INFO: RuleInfo = RuleInfo {
    name: "template-param-whitespace",
    default_severity: Severity::Error,
    source: Source::Platform,
    providers: &[],
    summary: "A template text parameter contains a newline, a tab or more than 4 consecutive spaces.",
    docs: include_str!("template-param-whitespace.md"),
};

impl Rule for TemplateParamWhitespace {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        for keyed in cx.x_formats() {
            if keyed.facts.format != Some("whatsapp-template-param") {
                continue;
            }
            let ptr = keyed.pointer;
            let Some(text) = keyed.value.as_str() else {
                continue;
            };
            let Some(naming) = naming_macro(cx.payload, ptr) else {
                continue;
            };
            let found = occurrences(text);
            if found.is_empty() {
                continue;
            }
            let field = crate::engine::text::pointer::field_name(ptr);
            let fixed = (!cx.is_secret(ptr)).then(|| {
                let fixed = fixed(text);
                if fixed.chars().count() > 120 {
                    format!("{}…", fixed.chars().take(117).collect::<String>())
                } else {
                    fixed
                }
            });
            let help = help(&found, fixed.as_deref());
            for (range, kind) in found {
                let what = match kind {
                    Kind::LineBreak => "a line break".to_string(),
                    Kind::Tab => "a tab".to_string(),
                    Kind::Spaces(n) => format!("{n} consecutive spaces"),
                };
                let d = Diagnostic::error(
                        INFO.name,
                        ptr,
                        format!("template parameter `{field}` contains {what}; WhatsApp rejects parameters with a newline, a tab or more than 4 consecutive spaces"),
                    )
                    .with_help(help.clone())
                    .with_source(Source::Platform)
                    .with_value_range(range);
                out.push(match &naming {
                    Some(at) => {
                        d.with_related(at.clone(), format!("the macro that names `{field}`"))
                    }
                    None => d,
                });
            }
        }
    }
}

/// A 3Dolphins `whatsappRecipient` column becomes a template parameter only
/// when a `headerVariables`/`bodyVariables` entry names it; any other column
/// (an address kept for the agent) is never sent to WhatsApp. `None`: not a
/// parameter; `Some(Some(macro))`: a recipient column, and the pointer of the
/// first macro value naming it; `Some(None)`: any other parameter.
fn naming_macro(payload: &Value, ptr: &str) -> Option<Option<String>> {
    const SEGMENT: &str = "/whatsappRecipient/";
    // A byte search: `str::rfind` with a pattern this long builds a
    // two-way searcher per call, and this runs for every template parameter.
    let Some(at) = ptr
        .as_bytes()
        .windows(SEGMENT.len())
        .rposition(|w| w[0] == b'/' && w == SEGMENT.as_bytes())
    else {
        return Some(None);
    };
    let (broadcast, rest) = (&ptr[..at], &ptr[at + SEGMENT.len()..]);
    let Some(column) = rest
        .split_once('/')
        .map(|(_, c)| crate::engine::text::pointer::unescape(c))
    else {
        return Some(None);
    };
    let Some(object) = payload.pointer(broadcast) else {
        return Some(None);
    };
    ["headerVariables", "bodyVariables"]
        .iter()
        .find_map(|list| {
            let items = object.get(*list).and_then(Value::as_array)?;
            items
                .iter()
                .position(|item| {
                    item.get("type").and_then(Value::as_str) != Some("static")
                        && item.get("value").and_then(Value::as_str) == Some(column.as_str())
                })
                .map(|i| Some(format!("{broadcast}/{list}/{i}/value")))
        })
}

/// What WhatsApp rejects in a parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    LineBreak,
    Tab,
    /// A run of more than 4 spaces, with its length.
    Spaces(usize),
}

/// What to do, for the kinds found, with the fixed text when it may be shown.
fn help(found: &[(Range<usize>, Kind)], fixed: Option<&str>) -> String {
    let has = |k: fn(&Kind) -> bool| found.iter().any(|(_, kind)| k(kind));
    let breaks = has(|k| *k == Kind::LineBreak);
    let tabs = has(|k| *k == Kind::Tab);
    let spaces = has(|k| matches!(k, Kind::Spaces(_)));
    let mut steps = Vec::new();
    match (breaks, tabs) {
        (true, true) => steps.push("replace line breaks and tabs with a space"),
        (true, false) => steps.push("replace the line break with a space"),
        (false, true) => steps.push("replace the tab with a space"),
        (false, false) => {}
    }
    if spaces {
        steps.push("shorten runs of more than 4 spaces to one");
    }
    let mut out = steps.join(" and ");
    if let Some(fixed) = fixed {
        out.push_str(&format!(": `{fixed}`"));
    }
    if breaks {
        out.push_str(" (a line break belongs in the template text, between parameters)");
    }
    out
}

/// No newline, tab, line or paragraph separator, nor five spaces in a row:
/// one pass over the bytes (U+2028 and U+2029 are `E2 80 A8`/`A9`).
fn is_clean(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut spaces = 0;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'\n' | b'\r' | b'\t' => return false,
            b' ' => {
                spaces += 1;
                if spaces > 4 {
                    return false;
                }
                continue;
            }
            0xE2 if bytes.get(i + 1) == Some(&0x80)
                && matches!(bytes.get(i + 2), Some(0xA8 | 0xA9)) =>
            {
                return false;
            }
            _ => {}
        }
        spaces = 0;
    }
    true
}

/// Every offending newline, tab or run of spaces, with its character range.
/// `\r\n` counts as one newline.
fn occurrences(text: &str) -> Vec<(Range<usize>, Kind)> {
    // Nearly every parameter is clean: say so without collecting characters.
    if is_clean(text) {
        return Vec::new();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\r' if chars.get(i + 1) == Some(&'\n') => {
                out.push((i..i + 2, Kind::LineBreak));
                i += 2;
            }
            '\n' | '\r' | '\u{2028}' | '\u{2029}' => {
                out.push((i..i + 1, Kind::LineBreak));
                i += 1;
            }
            '\t' => {
                out.push((i..i + 1, Kind::Tab));
                i += 1;
            }
            ' ' => {
                let run = chars[i..].iter().take_while(|&&c| c == ' ').count();
                if run > 4 {
                    out.push((i..i + run, Kind::Spaces(run)));
                }
                i += run;
            }
            _ => i += 1,
        }
    }
    out
}

/// The parameter as WhatsApp accepts it: line breaks and tabs become a space,
/// runs of more than 4 spaces become one.
fn fixed(text: &str) -> String {
    let spaced: String = text
        .replace("\r\n", " ")
        .chars()
        .map(|c| {
            if matches!(c, '\n' | '\r' | '\t' | '\u{2028}' | '\u{2029}') {
                ' '
            } else {
                c
            }
        })
        .collect();
    let mut out = String::with_capacity(spaced.len());
    let mut run = 0;
    for c in spaced.chars() {
        if c == ' ' {
            run += 1;
            continue;
        }
        if run > 0 {
            out.push_str(if run > 4 { " " } else { &"    "[..run] });
            run = 0;
        }
        out.push(c);
    }
    if run > 0 {
        out.push_str(if run > 4 { " " } else { &"    "[..run] });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{fixed, help, occurrences};

    fn ranges(text: &str) -> Vec<std::ops::Range<usize>> {
        occurrences(text).into_iter().map(|(r, _)| r).collect()
    }

    #[test]
    fn finds_each_occurrence_in_characters() {
        assert_eq!(ranges("Jl. Merdeka No. 10\nBandung"), vec![18..19]);
        assert_eq!(ranges("a\r\nb\tc"), vec![1..3, 4..5]);
        assert_eq!(ranges("Rp 250.000     lunas"), vec![10..15]);
        assert_eq!(
            ranges("4 spaces    are fine"),
            Vec::<std::ops::Range<usize>>::new()
        );
        assert_eq!(ranges("Pesanan 🎁\nsiap"), vec![9..10]);
        assert!(occurrences("Dewi Lestari").is_empty());
    }

    #[test]
    fn help_says_only_what_applies() {
        let found = occurrences("Webinar     UMKM");
        assert_eq!(
            help(&found, Some("Webinar UMKM")),
            "shorten runs of more than 4 spaces to one: `Webinar UMKM`"
        );
        let found = occurrences("a\tb\nc");
        assert_eq!(
            help(&found, None),
            "replace line breaks and tabs with a space (a line break belongs in the template text, between parameters)"
        );
    }

    #[test]
    fn fixes_the_text() {
        assert_eq!(
            fixed("Jl. Merdeka No. 10\nBandung"),
            "Jl. Merdeka No. 10 Bandung"
        );
        assert_eq!(fixed("a\r\n\tb"), "a  b");
        assert_eq!(fixed("a  \n   b"), "a b");
        assert_eq!(fixed("total:      Rp 50.000"), "total: Rp 50.000");
        assert_eq!(fixed("x    y"), "x    y");
    }
}
