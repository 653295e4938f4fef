//! `template-placeholders` and `template-example`: a templates file's texts
//! with placeholders WhatsApp would not have approved (numbers with gaps,
//! names in a positional template, a placeholder in a footer), and examples
//! that do not fit their placeholders.

use super::duplicate_template::template_objects;
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::engine::rules::context::{Rule, RuleContext, RuleInfo};
use crate::engine::text::pointer::{join, join_index};
use preflight_templates::Key;
use preflight_templates::placeholder::{Placeholder, distinct, placeholders};
use serde_json::Value;

/// The rule on placeholders.
pub struct TemplatePlaceholders;

/// The rule on examples.
pub struct TemplateExample;

static PLACEHOLDERS: RuleInfo = RuleInfo {
    name: "template-placeholders",
    default_severity: Severity::Error,
    source: Source::Platform,
    providers: &["meta/"],
    summary: "A template's placeholders are not as WhatsApp approves them: numbers not 1..n, names and numbers mixed up, two in a header, any in a footer, one not at a URL's end.",
    docs: include_str!("template-placeholders.md"),
};

static EXAMPLE: RuleInfo = RuleInfo {
    name: "template-example",
    default_severity: Severity::Warning,
    source: Source::Platform,
    providers: &["meta/"],
    summary: "A template's example values do not fit its placeholders (another number of values, other names, a URL example that does not start with the button's URL).",
    docs: include_str!("template-example.md"),
};

/// What a text is, for the rules on it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Header,
    Body,
    Footer,
    Url,
}

/// One text of a template with its placeholders and what its example gives.
struct Piece<'a> {
    kind: Kind,
    pointer: String,
    text: &'a str,
    found: Vec<Placeholder>,
    /// Example values (positional) or names (named), and where they are.
    example: Option<(Vec<&'a str>, String, bool)>,
}

fn pieces<'a>(t: &'a Value, at: &str) -> Vec<Piece<'a>> {
    let mut out = Vec::new();
    components(t.get("components"), &join(at, "components"), &mut out);
    out
}

fn components<'a>(list: Option<&'a Value>, at: &str, out: &mut Vec<Piece<'a>>) {
    for (i, c) in list
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let cp = join_index(at, i);
        let kind = c
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_ascii_uppercase();
        let text = c.get("text").and_then(Value::as_str);
        let example = c.get("example");
        match kind.as_str() {
            "HEADER" | "BODY" | "FOOTER" => {
                let Some(text) = text else { continue };
                let k = match kind.as_str() {
                    "HEADER" => Kind::Header,
                    "BODY" => Kind::Body,
                    _ => Kind::Footer,
                };
                let ex = example.and_then(|e| {
                    let (pos, named) = if k == Kind::Header {
                        ("header_text", "header_text_named_params")
                    } else {
                        ("body_text", "body_text_named_params")
                    };
                    if let Some(items) = e.get(named).and_then(Value::as_array) {
                        let names = items
                            .iter()
                            .filter_map(|n| n.get("param_name")?.as_str())
                            .collect();
                        return Some((names, join(&join(&cp, "example"), named), true));
                    }
                    let v = e.get(pos)?;
                    let values: Vec<&str> = match v.as_array()?.first() {
                        Some(Value::Array(inner)) => {
                            inner.iter().filter_map(Value::as_str).collect()
                        }
                        _ => v.as_array()?.iter().filter_map(Value::as_str).collect(),
                    };
                    Some((values, join(&join(&cp, "example"), pos), false))
                });
                out.push(Piece {
                    kind: k,
                    pointer: join(&cp, "text"),
                    text,
                    found: placeholders(text),
                    example: ex,
                });
            }
            "BUTTONS" => {
                let bp = join(&cp, "buttons");
                for (j, b) in c
                    .get("buttons")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .enumerate()
                {
                    if let Some(url) = b.get("url").and_then(Value::as_str) {
                        let ex = b.get("example").and_then(|e| match e {
                            Value::Array(a) => {
                                Some(a.iter().filter_map(Value::as_str).collect::<Vec<_>>())
                            }
                            Value::String(s) => Some(vec![s.as_str()]),
                            _ => None,
                        });
                        let at = join_index(&bp, j);
                        out.push(Piece {
                            kind: Kind::Url,
                            pointer: join(&at, "url"),
                            text: url,
                            found: placeholders(url),
                            example: ex.map(|v| (v, join(&at, "example"), false)),
                        });
                    }
                }
            }
            "CAROUSEL" => {
                let cards = join(&cp, "cards");
                for (j, card) in c
                    .get("cards")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .enumerate()
                {
                    components(
                        card.get("components"),
                        &join(&join_index(&cards, j), "components"),
                        out,
                    );
                }
            }
            _ => {}
        }
    }
}

fn is_named(t: &Value) -> bool {
    t.get("parameter_format")
        .and_then(Value::as_str)
        .is_some_and(|f| f.eq_ignore_ascii_case("NAMED"))
}

fn name_of(t: &Value) -> &str {
    t.get("name").and_then(Value::as_str).unwrap_or("?")
}

fn finding(
    info: &'static RuleInfo,
    piece: &Piece<'_>,
    p: Option<&Placeholder>,
    message: String,
    help: &str,
) -> Diagnostic {
    let d = Diagnostic::new(
        info.name,
        info.default_severity,
        piece.pointer.clone(),
        message,
    )
    .with_help(help.to_string())
    .with_source(info.source);
    match p {
        Some(p) => d.with_value_range(p.range.clone()),
        None => d,
    }
}

impl Rule for TemplatePlaceholders {
    fn info(&self) -> &'static RuleInfo {
        &PLACEHOLDERS
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        for (at, t) in template_objects(cx.payload) {
            let named = is_named(t);
            let name = name_of(t);
            for piece in pieces(t, &at) {
                let info = &PLACEHOLDERS;
                if piece.kind == Kind::Footer {
                    if let Some(p) = piece.found.first() {
                        out.push(finding(info, &piece, Some(p), format!("the footer of template `{name}` holds the placeholder {}; a footer takes none", p.key), "write the footer as fixed text"));
                    }
                    continue;
                }
                let keys = distinct(&piece.found);
                let wrong_kind = piece
                    .found
                    .iter()
                    .find(|p| matches!(p.key, Key::Name(_)) != named);
                if let Some(p) = wrong_kind {
                    let (msg, help) = if named {
                        (
                            format!(
                                "template `{name}` is NAMED, and {} is a numbered placeholder",
                                p.key
                            ),
                            "name every placeholder ({{first_name}}), or set parameter_format to POSITIONAL",
                        )
                    } else {
                        (
                            format!(
                                "template `{name}` is POSITIONAL (no parameter_format says NAMED), and {} is a named placeholder",
                                p.key
                            ),
                            "number the placeholders {{1}}, {{2}}, …, or set \"parameter_format\": \"NAMED\"",
                        )
                    };
                    out.push(finding(info, &piece, Some(p), msg, help));
                    continue;
                }
                if let Some(p) = piece.found.iter().find(|p| matches!(&p.key, Key::Name(n) if !n.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')))
                {
                    out.push(finding(info, &piece, Some(p), format!("{} in template `{name}` is not a name WhatsApp accepts: lowercase letters, digits and underscores", p.key), "write the name in lowercase letters, digits and underscores"));
                    continue;
                }
                if !named {
                    let mut numbers: Vec<u32> = keys
                        .iter()
                        .filter_map(|k| match k {
                            Key::Number(n) => Some(*n),
                            Key::Name(_) => None,
                        })
                        .collect();
                    numbers.sort_unstable();
                    if let Some((i, _)) = numbers
                        .iter()
                        .enumerate()
                        .find(|(i, n)| u32::try_from(*i + 1).ok() != Some(**n))
                    {
                        let expected = i + 1;
                        let bad = numbers[i];
                        let p = piece.found.iter().find(|p| p.key == Key::Number(bad));
                        out.push(finding(info, &piece, p, format!("the placeholders of template `{name}` run {}: {{{{{expected}}}}} is missing; WhatsApp numbers them 1, 2, 3, … without gaps", numbers.iter().map(|n| format!("{{{{{n}}}}}")).collect::<Vec<_>>().join(", ")), "renumber the placeholders from {{1}} without gaps"));
                        continue;
                    }
                }
                match piece.kind {
                    Kind::Header if keys.len() > 1 => {
                        out.push(finding(info, &piece, piece.found.get(1), format!("the header of template `{name}` has {} placeholders; a header takes at most one", keys.len()), "keep one placeholder in the header"));
                    }
                    Kind::Url => {
                        let end = piece.text.chars().count();
                        if keys.len() > 1 || piece.found.first().is_some_and(|p| p.range.end != end)
                        {
                            out.push(finding(info, &piece, piece.found.first(), format!("the URL of a button of template `{name}` has a placeholder that is not at its end; WhatsApp takes one {{{{1}}}}, as the URL's last part"), "put one {{1}} at the end of the URL"));
                        }
                    }
                    _ => {}
                }
            }
        }
    }
}

impl Rule for TemplateExample {
    fn info(&self) -> &'static RuleInfo {
        &EXAMPLE
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        for (at, t) in template_objects(cx.payload) {
            let name = name_of(t);
            for piece in pieces(t, &at) {
                let Some((values, ex_at, named_ex)) = &piece.example else {
                    continue;
                };
                let keys = distinct(&piece.found);
                let d = |message: String, help: &str| {
                    Diagnostic::warning(EXAMPLE.name, ex_at.clone(), message)
                        .with_help(help.to_string())
                        .with_source(EXAMPLE.source)
                };
                if piece.kind == Kind::Url {
                    let Some(first) = piece.found.first() else {
                        continue;
                    };
                    let prefix: String = piece.text.chars().take(first.range.start).collect();
                    if let Some(v) = values.first()
                        && !v.starts_with(&prefix)
                    {
                        out.push(d(format!("the example `{v}` of a URL button of template `{name}` does not start with the button's URL `{prefix}`"), "give the whole example URL, the button's URL with an example suffix"));
                    }
                    continue;
                }
                if *named_ex {
                    let names: Vec<String> = keys
                        .iter()
                        .filter_map(|k| match k {
                            Key::Name(n) => Some(n.clone()),
                            Key::Number(_) => None,
                        })
                        .collect();
                    let missing: Vec<&String> = names
                        .iter()
                        .filter(|n| !values.contains(&n.as_str()))
                        .collect();
                    let extra: Vec<&&str> = values
                        .iter()
                        .filter(|v| !names.iter().any(|n| n == **v))
                        .collect();
                    if !missing.is_empty() || !extra.is_empty() {
                        out.push(d(format!("the named examples of template `{name}` give {}; its placeholders are {}", values.join(", "), names.join(", ")), "give one example per named placeholder, by its name"));
                    }
                } else if values.len() != keys.len() {
                    out.push(d(format!("the example of template `{name}` gives {} value{} for {} placeholder{} ({:?})", values.len(), if values.len() == 1 { "" } else { "s" }, keys.len(), if keys.len() == 1 { "" } else { "s" }, piece.text.chars().take(80).collect::<String>()), "give one example value per placeholder, in order"));
                }
            }
        }
    }
}
