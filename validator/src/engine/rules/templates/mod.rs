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
use super::views::template_send::{self, Send};
use crate::Level;
use crate::diagnostic::{Diagnostic, Severity};
use preflight_templates::{Key, ParameterFormat, Template, Text};

/// Implements [`Rule`] for a [`SendCheck`]: the check runs on every send
/// whose template is known.
macro_rules! send_rule {
    ($t:ty) => {
        impl crate::engine::rules::context::Rule for $t {
            fn info(&self) -> &'static crate::engine::rules::context::RuleInfo {
                <$t as super::SendCheck>::info(self)
            }
            fn check(
                &self,
                cx: &crate::engine::rules::context::RuleContext<'_>,
                out: &mut Vec<crate::diagnostic::Diagnostic>,
            ) {
                super::each_send(self, cx, out);
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
mod text_too_long;
mod url_suffix;

/// The rules on sends, in listing order.
pub static RULES: &[&dyn Rule] = &[
    &not_found::TemplateNotFound,
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

/// A check of one send against one template (every send rule but
/// `template-not-found`).
pub(crate) trait SendCheck: Sync {
    /// The rule's info.
    fn info(&self) -> &'static RuleInfo;
    /// Reports what in `send` does not fit `template`.
    fn check_send(&self, cx: &RuleContext<'_>, send: &Send<'_>, template: &Template, out: &mut Vec<Diagnostic>);
}

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

/// Runs a [`SendCheck`] on every send whose template is known.
pub(crate) fn each_send(check: &dyn SendCheck, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
    for bound in cx.template_sends() {
        if let Lookup::Found(t) = bound.lookup {
            check.check_send(cx, &bound.send, t, out);
        }
    }
}

/// How a send's template was looked up.
#[derive(Debug)]
pub(crate) enum Lookup<'a> {
    /// No templates were given to the run.
    NoTemplates,
    /// The template (in the language chosen).
    Found(&'a Template),
    /// Not in the templates files.
    NotFound {
        /// The name looked up.
        name: String,
        /// The configuration mapped the payload's id to `name`.
        mapped: bool,
        /// The languages the name has (a language mismatch when not empty).
        languages: Vec<&'a str>,
    },
}

/// A send with its template.
#[derive(Debug)]
pub(crate) struct Bound<'a> {
    /// The send.
    pub send: Send<'a>,
    /// Its template.
    pub lookup: Lookup<'a>,
}

/// Every template send of the payload with its template, looked up once.
pub(crate) fn bind<'a>(cx: &RuleContext<'a>) -> Vec<Bound<'a>> {
    let sends = template_send::sends(cx.endpoint.id, cx.payload);
    let Some(templates) = cx.options.templates.as_deref() else {
        return sends
            .into_iter()
            .map(|send| Bound {
                send,
                lookup: Lookup::NoTemplates,
            })
            .collect();
    };
    sends
        .into_iter()
        .map(|send| {
            let resolved = templates.resolve(send.provider, &send.id);
            let (name, mapped) = (resolved.name, resolved.mapped);
            let language = send.language.as_ref().map(|(l, _)| *l);
            let candidates = templates.candidates(name, language);
            let lookup = match candidates.as_slice() {
                [] => Lookup::NotFound {
                    name: name.to_string(),
                    mapped,
                    languages: templates.set.named(name).map(|t| t.language.as_str()).collect(),
                },
                [only] => Lookup::Found(only),
                several => Lookup::Found(best_fit(cx, &send, several)),
            };
            Bound { send, lookup }
        })
        .collect()
}

/// Of several languages of one name, the one the send fits best: no error
/// finding, else the fewest (the first on a tie).
fn best_fit<'a>(cx: &RuleContext<'_>, send: &Send<'_>, candidates: &[&'a Template]) -> &'a Template {
    let mut best: Option<(usize, &'a Template)> = None;
    for t in candidates {
        let mut out = Vec::new();
        for check in SEND_CHECKS {
            if cx.options.level(check.info().name) != Some(Level::Off) {
                check.check_send(cx, send, t, &mut out);
            }
        }
        let errors = out.iter().filter(|d| d.severity == Severity::Error).count();
        if errors == 0 {
            return t;
        }
        if best.is_none_or(|(n, _)| errors < n) {
            best = Some((errors, t));
        }
    }
    best.map_or(candidates[0], |(_, t)| t)
}

/// How messages name a template: `` `pengingat_tagihan` (id) ``.
pub(crate) fn label(t: &Template) -> String {
    format!("`{}` ({})", t.name, t.language)
}

/// A template text for messages, quoted and clipped to 120 characters.
pub(crate) fn quoted(text: &str) -> String {
    let clipped: String = text.chars().take(120).collect();
    if clipped.chars().count() < text.chars().count() {
        format!("\"{clipped}…\"")
    } else {
        format!("\"{clipped}\"")
    }
}

/// `{{1}}`, `{{1}} and {{2}}`, `{{1}} … {{5}}`.
pub(crate) fn keys_list(keys: &[Key]) -> String {
    match keys {
        [] => "no placeholder".to_string(),
        [one] => one.to_string(),
        [a, b] => format!("{a} and {b}"),
        [a, b, c] => format!("{a}, {b} and {c}"),
        [first, .., last] => format!("{first} … {last}"),
    }
}

/// `3 placeholders ({{1}} … {{3}}: "Halo {{1}}, …")`.
pub(crate) fn placeholders_phrase(text: &Text) -> String {
    let keys = text.keys();
    let n = keys.len();
    let noun = if n == 1 { "placeholder" } else { "placeholders" };
    if n == 0 {
        return format!("no placeholder ({})", quoted(&text.text));
    }
    format!("{n} {noun} ({}: {})", keys_list(&keys), quoted(&text.text))
}

/// "parameters fill the named placeholders in the order they appear:
/// {{nama}}, {{acara}}" for a NAMED template sent by a provider whose
/// parameters carry no names.
pub(crate) fn named_order_note(t: &Template, text: &Text) -> Option<String> {
    if t.parameter_format != ParameterFormat::Named {
        return None;
    }
    let keys: Vec<String> = text.keys().iter().map(ToString::to_string).collect();
    Some(format!(
        "{} is a NAMED template and this payload's parameters carry no names: they fill its placeholders in the order they appear ({})",
        label(t),
        keys.join(", ")
    ))
}

/// A finding of a template rule at a parameter or part of a send, inside
/// a delimited string when the place has a character range.
pub(crate) fn at(
    info: &'static RuleInfo,
    pointer: &str,
    range: Option<std::ops::Range<usize>>,
    message: String,
) -> Diagnostic {
    let d = Diagnostic::new(info.name, info.default_severity, pointer.to_string(), message)
        .with_source(info.source);
    match range {
        Some(r) => d.with_value_range(r),
        None => d,
    }
}

/// True when the place `pointer` lies in a send whose template is known:
/// the template-free rules that guess there stay silent.
pub(crate) fn template_known_at(cx: &RuleContext<'_>, pointer: &str) -> bool {
    cx.template_sends().iter().any(|b| {
        matches!(b.lookup, Lookup::Found(_))
            && (b.send.at.is_empty()
                || pointer == b.send.at
                || pointer
                    .strip_prefix(b.send.at.as_str())
                    .is_some_and(|rest| rest.starts_with('/')))
    })
}



/// The payload fields a send's parts are written in, for findings about a
/// part the payload leaves out.
pub(crate) struct Fields {
    /// The header's field.
    pub header: &'static str,
    /// The body's field.
    pub body: &'static str,
    /// The buttons' field.
    pub buttons: &'static str,
    /// The carousel's field.
    pub cards: &'static str,
}

/// Where each part of a send of `form` is written.
pub(crate) fn fields(form: template_send::Form, media_header: bool) -> Fields {
    use template_send::Form;
    match form {
        Form::SandezaJson | Form::SandezaDelimited => Fields {
            header: "header",
            body: "message",
            buttons: "button",
            cards: "carousel",
        },
        Form::Oca => Fields {
            header: "payload",
            body: "payload",
            buttons: "payload",
            cards: "payload",
        },
        Form::Qiscus => Fields {
            header: "",
            body: "variables",
            buttons: "button_params",
            cards: "",
        },
        Form::QiscusId => Fields {
            header: "",
            body: "",
            buttons: "",
            cards: "",
        },
        Form::Dolphins => Fields {
            header: if media_header {
                "content"
            } else {
                "headerVariables"
            },
            body: "bodyVariables",
            buttons: "",
            cards: "",
        },
    }
}

/// Where a finding about a part the payload leaves out goes: its field when
/// the payload has it (`"message": ""`), else the object naming the template.
pub(crate) fn home(cx: &RuleContext<'_>, send: &Send<'_>, field: &str) -> String {
    if field.is_empty() {
        return send.at.clone();
    }
    let p = crate::engine::text::pointer::join(&send.at, field);
    if cx.payload.pointer(&p).is_some() {
        p
    } else {
        send.at.clone()
    }
}
