//! `doc-discrepancy`: the payload uses a form the provider's doc contradicts
//! itself about. The schema accepts it (`x-tolerate`); this says why it may
//! still be wrong, so neither reading of an ambiguous doc fails a build.

use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::engine::rules::context::{Rule, RuleContext, RuleInfo};
use crate::engine::walk::Fact;

/// The rule.
pub struct DocDiscrepancy;

static INFO: RuleInfo = RuleInfo {
    name: "doc-discrepancy",
    default_severity: Severity::Warning,
    source: Source::Provider,
    providers: &[],
    summary: "The payload takes the less likely reading of a field the provider's doc contradicts itself about.",
    docs: include_str!("doc-discrepancy.md"),
};

impl Rule for DocDiscrepancy {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        for keyed in cx.annotations.with_fact(Fact::Discrepancy) {
            let Some(why) = keyed.facts.discrepancy else {
                continue;
            };
            let field = crate::engine::text::pointer::field_name(keyed.pointer);
            let owner = possessive(cx.whose(Source::Provider));
            out.push(
                Diagnostic::warning(
                    INFO.name,
                    keyed.pointer,
                    format!("`{field}` is written in a form {owner} doc contradicts itself about: {why}"),
                )
                .with_help("prefer the form the doc's samples and tables agree on; if your account's traffic shows this form works, keep it and set this rule to `off`")
                .with_note("the doc discrepancies and the decisions taken are listed in preflight's schemas/README.md")
                .with_source(Source::Provider),
            );
        }
    }
}

/// "OCA's", "3Dolphins'", "the chatbot gateway's".
pub(crate) fn possessive(owner: &str) -> String {
    if owner.ends_with('s') {
        format!("{owner}'")
    } else {
        format!("{owner}'s")
    }
}
