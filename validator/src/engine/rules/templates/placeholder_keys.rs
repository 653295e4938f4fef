//! `template-placeholder-keys`: 3Dolphins macro keys (`headerVariables`,
//! `bodyVariables`) that are not the template's placeholders, or
//! placeholders no macro fills.

use super::shared::{SendCheck, keys_list, label, placeholders_phrase};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::engine::rules::context::{RuleContext, RuleInfo};
use crate::engine::rules::views::template_send::{Form, Part, Send, Slot};
use preflight_templates::{HeaderFormat, Key, ParameterFormat, Template, Text};

/// The rule.
pub struct TemplatePlaceholderKeys;

static INFO: RuleInfo = RuleInfo {
    name: "template-placeholder-keys",
    default_severity: Severity::Error,
    source: Source::Platform,
    providers: &["3dolphins/"],
    summary: "A 3Dolphins macro key names no placeholder of the template, or a placeholder has no macro (WhatsApp 132000).",
    docs: include_str!("template-placeholder-keys.md"),
};

send_rule!(TemplatePlaceholderKeys);

impl SendCheck for TemplatePlaceholderKeys {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check_send(
        &self,
        cx: &RuleContext<'_>,
        send: &Send<'_>,
        t: &Template,
        out: &mut Vec<Diagnostic>,
    ) {
        if send.form != Form::Dolphins {
            return;
        }
        let empty = Text::plain("");
        // Header macros: against a text header's placeholders; a media
        // header (or none) has no placeholder for them.
        let header_text = t
            .header
            .as_ref()
            .filter(|h| h.format == HeaderFormat::Text)
            .and_then(|h| h.text.as_ref());
        let header_macros = match (&send.header, &send.header_macros) {
            (_, Some(m)) => Some(m),
            (Slot::Given(p), None) if p.kind.as_deref() == Some("text") => Some(p),
            _ => None,
        };
        let header_home = || super::shared::home(cx, send, "headerVariables");
        match header_text {
            Some(text) => compare(t, "header", text, header_macros, &header_home, out),
            None => {
                if let Some(m) = header_macros {
                    // `template-header-format` reports text macros where no
                    // media is sent; beside the media, each is one too many.
                    if send.header_macros.is_some() {
                        compare(t, "header", &empty, Some(m), &header_home, out);
                    }
                }
            }
        }
        let body_home = || super::shared::home(cx, send, "bodyVariables");
        let body = t.body.as_ref().unwrap_or(&empty);
        compare(t, "body", body, send.body.given(), &body_home, out);
    }
}

fn key_of(raw: &str) -> Option<Key> {
    let found = preflight_templates::placeholder::placeholders(raw);
    match found.as_slice() {
        [one] if one.range == (0..raw.chars().count()) => Some(one.key.clone()),
        _ => None,
    }
}

fn compare(
    t: &Template,
    what: &str,
    text: &Text,
    part: Option<&Part<'_>>,
    home: &dyn Fn() -> String,
    out: &mut Vec<Diagnostic>,
) {
    let wanted = text.keys();
    let mut given: Vec<(Key, &str, &str)> = Vec::new();
    for p in part.map(|p| p.params.as_slice()).unwrap_or_default() {
        if let Some((raw, at)) = &p.key
            && let Some(k) = key_of(raw)
            && !given.iter().any(|(g, _, _)| *g == k)
        {
            given.push((k, raw, at));
        }
    }
    let missing: Vec<Key> = wanted
        .iter()
        .filter(|k| !given.iter().any(|(g, _, _)| g == *k))
        .cloned()
        .collect();
    let unknown: Vec<&(Key, &str, &str)> = given
        .iter()
        .filter(|(g, _, _)| !wanted.contains(g))
        .collect();
    let list = match what {
        "header" => "headerVariables",
        _ => "bodyVariables",
    };
    let named = t.parameter_format == ParameterFormat::Named;
    if let ([(key, raw, at)], [instead]) = (unknown.as_slice(), missing.as_slice()) {
        out.push(
            super::shared::at(
                &INFO,
                at,
                None,
                format!(
                    "`{raw}` is not a placeholder of the {what} of template {}, which has {}; {instead} has no macro, so WhatsApp would answer 132000",
                    label(t),
                    placeholders_phrase(text)
                ),
            )
            .with_help(format!("write the key as `{instead}`{}", if named && matches!(key, Key::Number(_)) {
                " (a NAMED template's macros are keyed by the placeholders' names)"
            } else {
                ""
            })),
        );
        return;
    }
    let media_header = what == "header"
        && t.header
            .as_ref()
            .is_some_and(|h| h.format != HeaderFormat::Text);
    for (_, raw, at) in &unknown {
        if media_header {
            let format = t.header.as_ref().map_or("", |h| h.format.as_str());
            out.push(
                super::shared::at(&INFO, at, None, format!(
                    "template {} has {} {format} header, which has no placeholder: `{raw}` in `headerVariables` fills nothing, and WhatsApp would answer 132000",
                    label(t),
                    if format.starts_with(['A', 'E', 'I', 'O', 'U']) { "an" } else { "a" }
                ))
                .with_help("remove `headerVariables`: the header is the media in `content`"),
            );
            continue;
        }
        out.push(
            super::shared::at(
                &INFO,
                at,
                None,
                format!(
                    "`{raw}` is not a placeholder of the {what} of template {}, which has {}; WhatsApp would answer 132000",
                    label(t),
                    placeholders_phrase(text)
                ),
            )
            .with_help(if wanted.is_empty() {
                format!("remove this macro: the {what} has nothing to fill")
            } else {
                format!("key the macros as the template's placeholders: {}", keys_list(wanted))
            }),
        );
    }
    if !missing.is_empty() {
        let pointer = part.map_or_else(home, |p| p.pointer.clone());
        out.push(
            super::shared::at(
                &INFO,
                &pointer,
                None,
                format!(
                    "the {what} of template {} has {}; `{list}` fills no {}; WhatsApp would answer 132000",
                    label(t),
                    placeholders_phrase(text),
                    keys_list(&missing)
                ),
            )
            .with_help(format!(
                "add a macro for {} (`{{\"key\": \"{}\", \"value\": \"<column>\"}}`)",
                keys_list(&missing),
                missing[0]
            )),
        );
    }
}
