//! `mpm-product-count`: a multi-product message holds at most 30 products,
//! summed across its sections (the schema bounds each array, not the sum).

use super::shared::{ordinal, section_totals_over};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::engine::rules::context::{Rule, RuleContext, RuleInfo};

/// The rule.
pub struct MpmProductCount;

const MAX: usize = 30;

static INFO: RuleInfo = RuleInfo {
    name: "mpm-product-count",
    default_severity: Severity::Error,
    source: Source::Platform,
    providers: &["sandeza/"],
    summary: "A multi-product message holds more than 30 products across its sections.",
    docs: include_str!("mpm-product-count.md"),
};

impl Rule for MpmProductCount {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        // Reported once, where the limit is crossed.
        for over in section_totals_over(cx, "MpmAction", "product_items", MAX) {
            out.push(
                Diagnostic::error(INFO.name, over.at, format!("`sections` hold {} products in total ({}); WhatsApp allows at most {MAX} in a multi-product message, and this is the {}", over.total, over.per_section, ordinal(MAX + 1)))
                    .with_help(format!("remove {} product{} or send them in a second message", over.total - MAX, if over.total - MAX == 1 { "" } else { "s" }))
                    .with_source(Source::Platform),
            );
        }
    }
}
