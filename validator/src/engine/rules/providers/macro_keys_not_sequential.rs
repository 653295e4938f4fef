//! `macro-keys-not-sequential`: 3Dolphins macro keys that do not run `{{1}}`,
//! `{{2}}`, … without gaps.

use super::shared::{and_list, macro_lists, macro_number};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::engine::rules::context::{Rule, RuleContext, RuleInfo};
use crate::engine::text::pointer;
use serde_json::Value;

/// The rule.
pub struct MacroKeysNotSequential;

static INFO: RuleInfo = RuleInfo {
    name: "macro-keys-not-sequential",
    default_severity: Severity::Error,
    source: Source::Platform,
    providers: &["3dolphins/"],
    summary: "3Dolphins macro keys in headerVariables or bodyVariables do not run {{1}}, {{2}}, … without gaps.",
    docs: include_str!("macro-keys-not-sequential.md"),
};

impl Rule for MacroKeysNotSequential {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        for (list_ptr, list, items) in macro_lists(cx.payload) {
            // With the template known, `template-placeholder-keys` compares
            // the keys with its placeholders.
            if crate::engine::rules::templates::template_known_at(cx, &list_ptr) {
                continue;
            }
            let keys: Vec<(usize, u64)> = items
                .iter()
                .enumerate()
                .filter_map(|(i, item)| {
                    item.get("key")
                        .and_then(Value::as_str)
                        .and_then(macro_number)
                        .map(|n| (i, n))
                })
                .collect();
            let key_ptr = |i: usize| pointer::join(&pointer::join_index(&list_ptr, i), "key");
            let part = if list == "headerVariables" {
                "header"
            } else {
                "body"
            };
            let zero_based = keys.iter().any(|&(_, n)| n == 0);
            for &(i, n) in &keys {
                if n == 0 {
                    out.push(
                        Diagnostic::error(
                            INFO.name,
                            key_ptr(i),
                            format!("`{list}[{i}].key` is {{{{0}}}}; WhatsApp numbers a template's macros from {{{{1}}}}, so this value fills nothing"),
                        )
                        .with_help(format!(
                            "number the {part} keys from {{{{1}}}}: the doc's prose writes {{0}}, {{1}}, but its samples and the template use {{{{1}}}}, {{{{2}}}}"
                        ))
                        .with_source(Source::Platform),
                    );
                }
            }
            if zero_based {
                // Renumbering fixes the gaps too; one mistake, one finding.
                continue;
            }
            let mut numbers: Vec<u64> = keys.iter().map(|&(_, n)| n).collect();
            numbers.sort_unstable();
            numbers.dedup();
            let Some(&max) = numbers.last() else {
                continue;
            };
            if usize::try_from(max).ok() == Some(numbers.len()) {
                continue;
            }
            // Bounded: at most 20 missing numbers are named (a key like {{999}} is a typo).
            let missing: Vec<String> = (1..max)
                .filter(|n| numbers.binary_search(n).is_err())
                .take(20)
                .map(|n| format!("{{{{{n}}}}}"))
                .collect();
            let present: Vec<String> = numbers.iter().map(|n| format!("{{{{{n}}}}}")).collect();
            let Some(&(i, _)) = keys.iter().find(|&&(_, n)| n == max) else {
                continue;
            };
            let (message, help) = if list == "headerVariables" {
                (
                    format!(
                        "`{list}[{i}].key` is {{{{{max}}}}}; a WhatsApp template header has a single macro, {{{{1}}}}"
                    ),
                    "use the key {{1}} for the header macro".to_string(),
                )
            } else {
                let verb = if missing.len() == 1 { "is" } else { "are" };
                (
                    format!(
                        "`{list}` fills {} but not {}; WhatsApp numbers a template's macros from {{{{1}}}} without gaps, so {} {verb} left without a value",
                        and_list(&present),
                        and_list(&missing),
                        and_list(&missing)
                    ),
                    format!(
                        "add an entry for {}, or renumber the keys to match the template's macros",
                        and_list(&missing)
                    ),
                )
            };
            out.push(
                Diagnostic::error(INFO.name, key_ptr(i), message)
                    .with_help(help)
                    .with_source(Source::Platform),
            );
        }
    }
}
