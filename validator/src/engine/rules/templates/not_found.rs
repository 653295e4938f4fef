//! `template-not-found`: the template a send names is not among the
//! account's templates (or not in the language the send names).

use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::engine::rules::context::RuleInfo;
use crate::engine::rules::views::template_send::{Bound, Lookup};
use preflight_templates::Templates;

pub(crate) static INFO: RuleInfo = RuleInfo {
    name: "template-not-found",
    default_severity: Severity::Error,
    source: Source::Platform,
    providers: &["sandeza/", "oca/", "qiscus/", "3dolphins/"],
    summary: "The template a send names is not in the templates files, or not in the language it names (WhatsApp 132001).",
    docs: include_str!("template-not-found.md"),
};

/// Reports a send whose template is not in the files.
pub(crate) fn report(templates: &Templates, bound: &Bound<'_>, out: &mut Vec<Diagnostic>) {
    {
        let Lookup::NotFound {
            name,
            mapped,
            languages,
        } = &bound.lookup
        else {
            return;
        };
        let send = &bound.send;
        if let (Some((language, at)), false) = (&send.language, languages.is_empty()) {
            let list: Vec<String> = languages.iter().map(|l| format!("`{l}`")).collect();
            out.push(
                    Diagnostic::error(
                        INFO.name,
                        at.clone(),
                        format!(
                            "template `{name}` has no `{language}` translation (it has {}); WhatsApp would answer 132001 (template name does not exist in the translation)",
                            list.join(", ")
                        ),
                    )
                    .with_help(format!("send `language` as one the template has ({}), or add the `{language}` translation and export the templates again", list.join(", ")))
                    .with_source(INFO.source),
                );
            return;
        }
        let files = templates.set.files().join(", ");
        let mut message = if *mapped {
            format!(
                "template id `{}` is mapped to `{name}` in preflight.toml, and no template `{name}` is in the templates files ({files})",
                send.id
            )
        } else {
            format!("no template `{name}` is in the templates files ({files})")
        };
        message.push_str("; WhatsApp would answer 132001 (template does not exist)");
        let help = match templates.set.closest_name(name) {
                Some(close) => format!("did you mean `{close}`?"),
                None if !mapped && send.provider != "sandeza" && send.provider != "oca" => format!(
                    "{} names templates by its own id: map `{}` to the template's name under [templates.ids.{}] in preflight.toml, or export the templates again if it is new",
                    crate::engine::schema::registry::provider_display(send.provider),
                    send.id,
                    send.provider
                ),
                None => "check the name, or export the account's templates again: the files may be older than the template".to_string(),
            };
        out.push(
            Diagnostic::error(INFO.name, send.id_pointer.clone(), message)
                .with_help(help)
                .with_source(INFO.source),
        );
    }
}
