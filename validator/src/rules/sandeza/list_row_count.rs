//! `list-row-count`: a list message holds at most 10 rows, summed across its
//! sections (the schema bounds each array, not the sum).

use super::{ordinal, places_of};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::rules::{Rule, RuleContext, RuleInfo};
use serde_json::Value;

/// The rule.
pub struct ListRowCount;

const MAX: usize = 10;

static INFO: RuleInfo = RuleInfo {
    name: "list-row-count",
    default_severity: Severity::Error,
    source: Source::Platform,
    providers: &["sandeza/"],
    summary: "A list message holds more than 10 rows across its sections.",
    docs: "## What it does\nAdds up the rows (`actions`) over all `sections` of a non-template list message and reports the 11th row. The number of sections (at most 10) and each row's lengths are the schema's.\n\n## Why is this bad?\nWhatsApp allows at most 10 rows in a list message in total, not per section; a longer list is rejected and the message is not sent.\n\n## Source\nWhatsApp interactive list messages: at most 10 rows across all sections.\n\n## Example\nTwo sections of 6 rows each (12). Use instead: at most 10 rows in total, e.g. 5 and 5.\n",
};

impl Rule for ListRowCount {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        for ptr in places_of(cx, "SessionList") {
            let Some(sections) = crate::pointer::get(cx.payload, ptr)
                .and_then(|a| a.get("sections"))
                .and_then(Value::as_array)
            else {
                continue;
            };
            let counts: Vec<usize> = sections
                .iter()
                .map(|s| {
                    s.get("actions")
                        .and_then(Value::as_array)
                        .map_or(0, Vec::len)
                })
                .collect();
            let total: usize = counts.iter().sum();
            if total <= MAX {
                continue;
            }
            let mut seen = 0;
            for (si, n) in counts.iter().enumerate() {
                if seen + n > MAX {
                    let at = format!("{ptr}/sections/{si}/actions/{}", MAX - seen);
                    let per = counts
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(" + ");
                    out.push(
                        Diagnostic::error(
                            INFO.name,
                            at,
                            format!("the list's `sections` hold {total} rows in total ({per}); WhatsApp allows at most {MAX} in a list message, and this is the {}", ordinal(MAX + 1)),
                        )
                        .with_help(format!("remove {} row{}, or split the choices over two messages", total - MAX, if total - MAX == 1 { "" } else { "s" }))
                        .with_source(Source::Platform),
                    );
                    break;
                }
                seen += n;
            }
        }
    }
}
