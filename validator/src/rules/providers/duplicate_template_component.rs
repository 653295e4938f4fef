//! `duplicate-template-component`: two header or two body components in one
//! OCA template message.

use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::rules::{Rule, RuleContext, RuleInfo};
use serde_json::Value;

/// The rule.
pub struct DuplicateTemplateComponent;

static INFO: RuleInfo = RuleInfo {
    name: "duplicate-template-component",
    default_severity: Severity::Error,
    source: Source::Platform,
    providers: &["oca/"],
    summary: "An OCA template message has more than one header or more than one body component.",
    docs: "## What it does\nReports a second (third, …) component with `position` \"header\" or \"body\" in an OCA template's `payload`. Button components are not counted here: a template has up to 10 buttons, one component each (their indexes are checked by `duplicate-button-index`).\n\n## Why is this bad?\nA WhatsApp template has one header and one body. All the body's values belong in one body component, in placeholder order; a second body component is either dropped or makes the parameter count wrong, and WhatsApp rejects the message (132000, which OCA reports as code 39).\n\n## Source\nWhatsApp template structure (Meta's Cloud API); OCA's doc lists one component per position.\n\n## Example\n```json\n{\"payload\": [\n  {\"position\": \"body\", \"parameters\": [{\"type\": \"text\", \"text\": \"Yusuf Hidayat\"}]},\n  {\"position\": \"body\", \"parameters\": [{\"type\": \"text\", \"text\": \"KC2611180093\"}]}\n]}\n```\nUse instead:\n```json\n{\"payload\": [\n  {\"position\": \"body\", \"parameters\": [\n    {\"type\": \"text\", \"text\": \"Yusuf Hidayat\"},\n    {\"type\": \"text\", \"text\": \"KC2611180093\"}\n  ]}\n]}\n```\n",
};

impl Rule for DuplicateTemplateComponent {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        const AT: &str = "/message/template/payload";
        let Some(items) = crate::pointer::get(cx.payload, AT).and_then(Value::as_array) else {
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
                    .with_source(Source::Platform),
                );
            }
        }
    }
}
