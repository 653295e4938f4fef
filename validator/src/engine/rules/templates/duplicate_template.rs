//! `duplicate-template`: a templates file (or the files of a run) has two
//! templates of the same name and language.

use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::engine::rules::context::{Rule, RuleContext, RuleInfo};
use serde_json::Value;

/// The rule.
pub struct DuplicateTemplate;

static INFO: RuleInfo = RuleInfo {
    name: "duplicate-template",
    default_severity: Severity::Error,
    source: Source::Provider,
    providers: &["meta/"],
    summary: "Two templates of a templates file (or of the files of a run) have the same name and language.",
    docs: include_str!("duplicate-template.md"),
};

/// The template objects of a templates file with their pointers.
pub(crate) fn template_objects(file: &Value) -> Vec<(String, &Value)> {
    let (items, base) = match file {
        Value::Array(items) => (items.as_slice(), ""),
        Value::Object(map) => match map.get("data") {
            Some(Value::Array(items)) => (items.as_slice(), "/data"),
            _ if map.contains_key("name") => return vec![(String::new(), file)],
            _ => return Vec::new(),
        },
        _ => return Vec::new(),
    };
    items
        .iter()
        .enumerate()
        .map(|(i, t)| (format!("{base}/{i}"), t))
        .collect()
}

impl Rule for DuplicateTemplate {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        let mut seen: std::collections::HashMap<(&str, &str), String> = Default::default();
        for (at, t) in template_objects(cx.payload) {
            let (Some(name), Some(language)) = (
                t.get("name").and_then(Value::as_str),
                t.get("language").and_then(Value::as_str),
            ) else {
                continue;
            };
            match seen.get(&(name, language)) {
                Some(first) => out.push(
                    Diagnostic::error(
                        INFO.name,
                        crate::engine::text::pointer::join(&at, "name"),
                        format!("template `{name}` ({language}) is defined twice; preflight cannot tell which one the account has"),
                    )
                    .with_help("keep one of them (export the templates again rather than merging files by hand)")
                    .with_related(crate::engine::text::pointer::join(first, "name"), "first defined here")
                    .with_source(INFO.source),
                ),
                None => {
                    seen.insert((name, language), at);
                }
            }
        }
    }
}
