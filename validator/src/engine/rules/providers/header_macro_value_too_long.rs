//! `header-macro-value-too-long`: a 3Dolphins recipient field that fills the
//! template's header macro is longer than WhatsApp's 60 characters.

use super::shared::long_macro_values;
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::engine::rules::context::{Rule, RuleContext, RuleInfo};

/// The rule.
pub struct HeaderMacroValueTooLong;

static INFO: RuleInfo = RuleInfo {
    name: "header-macro-value-too-long",
    default_severity: Severity::Error,
    source: Source::Platform,
    providers: &["3dolphins/broadcast-whatsapp"],
    summary: "A whatsappRecipient field that fills the header macro is longer than 60 characters.",
    docs: include_str!("header-macro-value-too-long.md"),
};

const LIMIT: usize = 60;

impl Rule for HeaderMacroValueTooLong {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        for v in long_macro_values(cx.payload, "headerVariables", LIMIT) {
            let (k, column, key, i, len) = (v.recipient, v.column, v.key, v.entry, v.len);
            out.push(
                Diagnostic::error(
                    INFO.name,
                    v.pointer,
                    format!(
                        "`whatsappRecipient[{k}].{column}` is {len} characters; it fills the header macro {key} (`headerVariables[{i}]`) and WhatsApp allows at most {LIMIT} in a template header"
                    ),
                )
                .with_help(format!("shorten it to {LIMIT} characters or fewer, or fill the header from a shorter field"))
                .with_source(Source::Platform)
                .with_related(v.macro_pointer, format!("the header macro that names \"{column}\""))
                .with_value_range(LIMIT..len),
            );
        }
    }
}
