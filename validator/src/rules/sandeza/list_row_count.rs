//! `list-row-count`: a list message holds at most 10 rows, summed across its
//! sections (the schema bounds each array, not the sum).

use super::{ordinal, section_totals_over};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::rules::{Rule, RuleContext, RuleInfo};

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
        // Reported once, where the limit is crossed.
        for over in section_totals_over(cx, "SessionList", "actions", MAX) {
            out.push(
                Diagnostic::error(INFO.name, over.at, format!("the list's `sections` hold {} rows in total ({}); WhatsApp allows at most {MAX} in a list message, and this is the {}", over.total, over.per_section, ordinal(MAX + 1)))
                    .with_help(format!("remove {} row{}, or split the choices over two messages", over.total - MAX, if over.total - MAX == 1 { "" } else { "s" }))
                    .with_source(Source::Platform),
            );
        }
    }
}
