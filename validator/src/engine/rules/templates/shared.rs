//! What the template rules share: the check of one send against one
//! template, looking templates up (and choosing among languages), and how
//! messages name templates, placeholders and places.

use crate::Level;
use crate::diagnostic::{Diagnostic, Severity};
use crate::engine::rules::context::{RuleContext, RuleInfo};
use crate::engine::rules::views::template_send::{self, Bound, Lookup, Send};
use preflight_templates::{Key, ParameterFormat, Template, Text};

/// A check of one send against one template (every send rule but
/// `template-not-found`).
pub(crate) trait SendCheck: Sync {
    /// The rule's info.
    fn info(&self) -> &'static RuleInfo;
    /// Reports what in `send` does not fit `template`.
    fn check_send(
        &self,
        cx: &RuleContext<'_>,
        send: &Send<'_>,
        template: &Template,
        out: &mut Vec<Diagnostic>,
    );
}

/// Every template send of the payload with its template, looked up once;
/// none when the run has no templates (nothing is read then).
pub(crate) fn bind<'a>(cx: &RuleContext<'a>, checks: &[&dyn SendCheck]) -> Vec<Bound<'a>> {
    let Some(templates) = cx.options.templates.as_deref() else {
        return Vec::new();
    };
    template_send::sends(cx.endpoint.id, cx.payload)
        .into_iter()
        .map(|mut send| {
            let resolved = templates.resolve(send.provider, &send.id);
            let (name, mapped) = (resolved.name, resolved.mapped);
            let language = send.language.as_ref().map(|(l, _)| *l);
            let candidates = templates.candidates(name, language);
            let lookup = match candidates.as_slice() {
                [] => Lookup::NotFound {
                    name: name.to_string(),
                    mapped,
                    languages: templates
                        .set
                        .named(name)
                        .map(|t| t.language.as_str())
                        .collect(),
                },
                [only] => Lookup::Found(only),
                several => Lookup::Found(best_fit(cx, &send, several, checks)),
            };
            if let Lookup::Found(t) = lookup {
                index_delimited_buttons(&mut send, t);
            }
            Bound { send, lookup }
        })
        .collect()
}

/// Sandeza's delimiter form names no button index: its `button:=:…`
/// segments fill, in order, the template's buttons that take a parameter
/// (a template `[QUICK_REPLY, QUICK_REPLY, URL {{1}}]` gets its one segment
/// at index 2). A segment beyond them keeps its position.
fn index_delimited_buttons(send: &mut Send<'_>, t: &Template) {
    if send.form != template_send::Form::SandezaDelimited {
        return;
    }
    let dynamic: Vec<u64> = t
        .buttons
        .iter()
        .enumerate()
        .filter(|(_, b)| b.needs_parameter())
        .filter_map(|(i, _)| u64::try_from(i).ok())
        .collect();
    if let template_send::Slot::Given(buttons) = &mut send.buttons {
        for (k, b) in buttons.iter_mut().enumerate() {
            if let Some(&i) = dynamic.get(k) {
                b.index = Some(i);
            }
        }
    }
}

/// Of several languages of one name, the one the send fits best: no error
/// finding, else the fewest (the first on a tie).
fn best_fit<'a>(
    cx: &RuleContext<'_>,
    send: &Send<'_>,
    candidates: &[&'a Template],
    checks: &[&dyn SendCheck],
) -> &'a Template {
    let mut best: Option<(usize, &'a Template)> = None;
    for t in candidates {
        let mut out = Vec::new();
        for check in checks {
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
    let noun = if n == 1 {
        "placeholder"
    } else {
        "placeholders"
    };
    if n == 0 {
        return format!("no placeholder ({})", quoted(&text.text));
    }
    format!("{n} {noun} ({}: {})", keys_list(keys), quoted(&text.text))
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
    let d = Diagnostic::new(
        info.name,
        info.default_severity,
        pointer.to_string(),
        message,
    )
    .with_source(info.source);
    match range {
        Some(r) => d.with_value_range(r),
        None => d,
    }
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
/// the payload has it (`"message": ""`), else the template's id.
pub(crate) fn home(cx: &RuleContext<'_>, send: &Send<'_>, field: &str) -> String {
    if field.is_empty() {
        return send.id_pointer.clone();
    }
    let p = crate::engine::text::pointer::join(&send.at, field);
    if cx.payload.pointer(&p).is_some() {
        p
    } else {
        send.id_pointer.clone()
    }
}
