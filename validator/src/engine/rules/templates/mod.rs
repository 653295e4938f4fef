//! Rules that check a template send against the account's registered
//! templates ([`crate::Options::templates`]): the template exists and is
//! approved, and the send fits it (parameter counts, header format, buttons,
//! lengths once filled in, carousel cards, 3Dolphins macro keys). And the
//! rules of the templates file itself (duplicates, placeholders, examples).
//!
//! Every send is read into one shape first ([`super::views::template_send`]);
//! its template is looked up once per payload ([`bind`]). Where a name has
//! several languages and the payload carries none, the send is checked
//! against each and a finding is made only if no language fits: the
//! language with the fewest findings is the one reported against.
//!
//! With a template known, these rules own the places the template-free rules
//! guess at (a URL button's suffix, carousel card counts, the one-time code,
//! 3Dolphins macro numbering): those stay silent there.

use super::context::{Rule, RuleContext, RuleInfo};
use super::views::template_send::{Bound, Lookup};
use crate::diagnostic::Diagnostic;
use shared::SendCheck;

/// Implements [`Rule`] for a [`SendCheck`]: the check runs on every send
/// whose template is known.
macro_rules! send_rule {
    ($t:ty) => {
        impl crate::engine::rules::context::Rule for $t {
            fn info(&self) -> &'static crate::engine::rules::context::RuleInfo {
                <$t as crate::engine::rules::templates::shared::SendCheck>::info(self)
            }
            fn check(
                &self,
                cx: &crate::engine::rules::context::RuleContext<'_>,
                out: &mut Vec<crate::diagnostic::Diagnostic>,
            ) {
                crate::engine::rules::templates::each_send(self, cx, out);
            }
        }
    };
}

mod button_mismatch;
mod carousel_cards;
mod duplicate_template;
mod file_placeholders;
mod header_format;
mod not_approved;
mod not_found;
mod parameter_count;
mod placeholder_keys;
pub(crate) mod shared;
mod text_too_long;
mod url_suffix;

/// The rules on sends, in listing order.
pub static RULES: &[&dyn Rule] = &[
    &TemplateNotFound,
    &not_approved::TemplateNotApproved,
    &parameter_count::TemplateParameterCount,
    &header_format::TemplateHeaderFormat,
    &button_mismatch::TemplateButtonMismatch,
    &url_suffix::TemplateUrlSuffix,
    &text_too_long::TemplateTextTooLong,
    &placeholder_keys::TemplatePlaceholderKeys,
    &carousel_cards::TemplateCarouselCards,
    &duplicate_template::DuplicateTemplate,
    &file_placeholders::TemplatePlaceholders,
    &file_placeholders::TemplateExample,
];

/// The checks [`bind`] runs to choose among languages.
static SEND_CHECKS: &[&dyn SendCheck] = &[
    &not_approved::TemplateNotApproved,
    &parameter_count::TemplateParameterCount,
    &header_format::TemplateHeaderFormat,
    &button_mismatch::TemplateButtonMismatch,
    &url_suffix::TemplateUrlSuffix,
    &text_too_long::TemplateTextTooLong,
    &placeholder_keys::TemplatePlaceholderKeys,
    &carousel_cards::TemplateCarouselCards,
];

/// The template sends of the payload with their templates, looked up once
/// per payload.
pub(crate) fn sends<'a, 'c>(cx: &'c RuleContext<'a>) -> &'c [Bound<'a>] {
    cx.templates.get_or_init(|| shared::bind(cx, SEND_CHECKS))
}

/// Runs a [`SendCheck`] on every send whose template is known.
pub(crate) fn each_send(check: &dyn SendCheck, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
    for bound in sends(cx) {
        if let Lookup::Found(t) = bound.lookup {
            check.check_send(cx, &bound.send, t, out);
        }
    }
}

/// True when the place `pointer` lies in a send whose template is known:
/// the template-free rules that guess there stay silent.
pub(crate) fn template_known_at(cx: &RuleContext<'_>, pointer: &str) -> bool {
    sends(cx).iter().any(|b| {
        matches!(b.lookup, Lookup::Found(_))
            && (b.send.at.is_empty()
                || pointer == b.send.at
                || pointer
                    .strip_prefix(b.send.at.as_str())
                    .is_some_and(|rest| rest.starts_with('/')))
    })
}

/// What the run says once about the payload's template sends, beside the
/// findings: a Qiscus broadcast-client send carries no header, so a
/// template whose header needs a value gets it from its settings in Qiscus
/// (a fact to check there, not a mistake in the payload).
pub(crate) fn notes(cx: &RuleContext<'_>) -> Vec<String> {
    use super::views::template_send::Form;
    use preflight_templates::HeaderFormat;
    if cx.options.templates.is_none() {
        return Vec::new();
    }
    sends(cx)
        .iter()
        .filter_map(|b| match (&b.lookup, b.send.form) {
            (Lookup::Found(t), Form::Qiscus) => {
                let h = t.header.as_ref()?;
                let fills = h.format != HeaderFormat::Text
                    || h.text.as_ref().is_some_and(|x| x.parameter_count() > 0);
                fills.then(|| {
                    format!(
                        "template `{}` ({}) has a {} header, and Qiscus' broadcast-client has no header field: Qiscus fills it from the template's settings in Qiscus (check it is set there; WhatsApp answers 132012 for a send without the header its template needs)",
                        t.name,
                        t.language,
                        h.format.as_str()
                    )
                })
            }
            _ => None,
        })
        .collect()
}

/// The rule `template-not-found` (its reports: `not_found`).
pub struct TemplateNotFound;

impl Rule for TemplateNotFound {
    fn info(&self) -> &'static RuleInfo {
        &not_found::INFO
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        let Some(templates) = cx.options.templates.as_deref() else {
            return;
        };
        for bound in sends(cx) {
            if let Lookup::NotFound { .. } = bound.lookup {
                not_found::report(templates, bound, out);
            }
        }
    }
}
