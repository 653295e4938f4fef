//! `body-macro-value-too-long`: a 3Dolphins recipient field that fills one of
//! the template's body macros is longer than the 1,024 characters a whole
//! template body may hold.

use super::shared::long_macro_values;
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::engine::rules::context::{Rule, RuleContext, RuleInfo};

/// The rule.
pub struct BodyMacroValueTooLong;

static INFO: RuleInfo = RuleInfo {
    name: "body-macro-value-too-long",
    default_severity: Severity::Error,
    source: Source::Platform,
    providers: &["3dolphins/broadcast-whatsapp"],
    summary: "A whatsappRecipient field that fills a body macro is longer than 1,024 characters, more than a whole template body may hold.",
    docs: include_str!("body-macro-value-too-long.md"),
};

const LIMIT: usize = 1024;

impl Rule for BodyMacroValueTooLong {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        for v in long_macro_values(cx.payload, "bodyVariables", LIMIT) {
            let (k, column, key, i, len) = (v.recipient, v.column, v.key, v.entry, v.len);
            out.push(
                Diagnostic::error(
                    INFO.name,
                    v.pointer,
                    format!(
                        "`whatsappRecipient[{k}].{column}` is {len} characters; it fills the body macro {key} (`bodyVariables[{i}]`), and a template body holds at most {LIMIT} characters with its parameters filled in, so this recipient's message can never be sent"
                    ),
                )
                .with_help(format!("shorten the value well under {LIMIT} characters (the template's own text counts too), or send long text as a document"))
                .with_note("WhatsApp would answer 132005 (the hydrated body is too long) for this recipient")
                .with_source(Source::Platform)
                .with_related(v.macro_pointer, format!("the body macro that names \"{column}\""))
                .with_value_range(LIMIT..len),
            );
        }
    }
}
