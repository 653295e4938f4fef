//! `template-not-approved`: the template a send names is paused, disabled,
//! rejected or still in review.

use super::shared::{SendCheck, label};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::engine::rules::context::{RuleContext, RuleInfo};
use crate::engine::rules::views::template_send::Send;
use preflight_templates::{Status, Template};

/// The rule.
pub struct TemplateNotApproved;

static INFO: RuleInfo = RuleInfo {
    name: "template-not-approved",
    default_severity: Severity::Error,
    source: Source::Platform,
    providers: &["sandeza/", "oca/", "qiscus/", "3dolphins/"],
    summary: "The template's status is not APPROVED: paused (132015), disabled (132016), rejected or pending (132001).",
    docs: include_str!("template-not-approved.md"),
};

send_rule!(TemplateNotApproved);

impl SendCheck for TemplateNotApproved {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check_send(
        &self,
        _cx: &RuleContext<'_>,
        send: &Send<'_>,
        t: &Template,
        out: &mut Vec<Diagnostic>,
    ) {
        let (answer, help) = match &t.status {
            Status::Approved => return,
            Status::Paused => (
                "132015 (template is paused because of low quality)",
                "raise the template's quality or wait for the pause to end, or send another approved template",
            ),
            Status::Disabled => (
                "132016 (template has been paused too many times and is disabled)",
                "a disabled template cannot be sent again: create a new template and send that",
            ),
            Status::Rejected => (
                "132001 (only approved templates can be sent)",
                "edit the template to meet WhatsApp's policies and submit it for review again",
            ),
            Status::Pending => (
                "132001 (only approved templates can be sent)",
                "wait until the template is approved, then export the templates again",
            ),
            Status::Other(_) => (
                "132001 (only approved templates can be sent)",
                "send an approved template",
            ),
        };
        out.push(
            Diagnostic::error(
                INFO.name,
                send.id_pointer.clone(),
                format!(
                    "template {} is {}, not APPROVED; WhatsApp would answer {answer}",
                    label(t),
                    t.status.as_str()
                ),
            )
            .with_help(help)
            .with_source(INFO.source),
        );
    }
}
