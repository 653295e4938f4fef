//! `list-row-count`: a list message holds at most 10 rows, summed across its
//! sections (the schema bounds each array, not the sum).

use super::shared::{ordinal, section_totals_over};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::engine::rules::context::{Rule, RuleContext, RuleInfo};

/// The rule.
pub struct ListRowCount;

const MAX: usize = 10;

static INFO: RuleInfo = RuleInfo {
    name: "list-row-count",
    default_severity: Severity::Error,
    source: Source::Platform,
    providers: &["sandeza/"],
    summary: "A list message holds more than 10 rows across its sections.",
    docs: include_str!("list-row-count.md"),
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
