//! `duplicate-template-component`: two header or two body components in one
//! OCA template message.

use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::engine::rules::context::{Rule, RuleContext, RuleInfo};
use serde_json::Value;

/// The rule.
pub struct DuplicateTemplateComponent;

static INFO: RuleInfo = RuleInfo {
    name: "duplicate-template-component",
    default_severity: Severity::Error,
    source: Source::Platform,
    providers: &["oca/"],
    summary: "An OCA template message has more than one header or more than one body component.",
    docs: include_str!("duplicate-template-component.md"),
};

impl Rule for DuplicateTemplateComponent {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        const AT: &str = "/message/template/payload";
        let Some(items) =
            crate::engine::text::pointer::get(cx.payload, AT).and_then(Value::as_array)
        else {
            return;
        };
        for position in ["header", "body"] {
            let mut first: Option<usize> = None;
            for (i, item) in items.iter().enumerate() {
                if item.get("position").and_then(Value::as_str) != Some(position) {
                    continue;
                }
                let Some(first_at) = first else {
                    first = Some(i);
                    continue;
                };
                let help = if position == "body" {
                    format!(
                        "move these parameters into `payload[{first_at}].parameters`, in placeholder order, and remove this component"
                    )
                } else {
                    "keep one header component: a template header takes a single parameter"
                        .to_string()
                };
                out.push(
                    Diagnostic::error(
                        INFO.name,
                        format!("{AT}/{i}/position"),
                        format!(
                            "`payload[{i}]` is a second {position} component (the first is `payload[{first_at}]`); a WhatsApp template has one {position}"
                        ),
                    )
                    .with_help(help)
                    .with_source(Source::Platform)
                    .with_related(
                        format!("{AT}/{first_at}/position"),
                        format!("the first {position} component"),
                    ),
                );
            }
        }
    }
}
