//! JSON Schema errors, translated into findings a person can act on.
//!
//! The jsonschema crate reports a keyword, an instance path and a schema
//! path. A user needs the field, the limit, the actual value and whose rule it
//! is ("ref_id is 51 characters; Sandeza allows at most 50"), a suggestion for a
//! misspelt field, the allowed values of an enum, and, for a `oneOf` miss, the
//! errors of the variant the payload evidently meant (picked by its
//! discriminator) rather than a wall of every variant's errors.
//!
//! Severity and provenance come from the schema node that carries the failing
//! keyword: `x-severity` and `x-source` there (see `schemas/README.md`).

use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::diagnostic::{Edit, Fix};
use crate::engine::facts::graph::Graph;
use crate::engine::schema::registry::Endpoint;
use crate::engine::text::pointer;
use crate::engine::text::secrets;
use jsonschema::ValidationError;
use jsonschema::error::{TypeKind, ValidationErrorKind};
use serde_json::Value;

/// What translation needs to know about the payload being checked.
pub struct Context<'a> {
    /// The endpoint whose schema produced the errors.
    pub endpoint: &'a Endpoint,
    /// The endpoint schema's graph: what translation knows of the schema.
    pub graph: &'static Graph,
    /// The payload.
    pub payload: &'a Value,
    /// Pointers whose values are secrets (from `x-secret`).
    pub secret_pointers: &'a [String],
}

impl Context<'_> {
    fn is_secret(&self, ptr: &str) -> bool {
        secrets::is_secret_pointer(ptr, self.secret_pointers)
    }

    /// A short rendering of the value at `ptr` for a message, or `[redacted]`.
    fn shown(&self, ptr: &str) -> String {
        if self.is_secret(ptr) {
            return "[redacted]".to_string();
        }
        match self.payload.pointer(ptr) {
            Some(v) => short(v),
            None => "(missing)".to_string(),
        }
    }
}

/// How a message names the value at `ptr`: the field in backticks, or "the
/// payload" for the root.
fn field_label(ptr: &str) -> String {
    if ptr.is_empty() {
        "the payload".to_string()
    } else {
        format!("`{}`", pointer::field_name(ptr))
    }
}

/// A value as messages show it: strings quoted, long values cut.
pub fn short(value: &Value) -> String {
    let text = match value {
        Value::Object(_) => "an object".to_string(),
        Value::Array(a) => format!("an array of {}", a.len()),
        other => other.to_string(),
    };
    if text.chars().count() > 60 {
        let cut: String = text.chars().take(57).collect();
        format!("{cut}…")
    } else {
        text
    }
}

/// Translates every error of one payload.
pub fn translate_all<'e, 'i: 'e>(
    cx: &Context<'_>,
    errors: impl Iterator<Item = &'e ValidationError<'i>>,
    out: &mut Vec<Diagnostic>,
) {
    let errors: Vec<&ValidationError<'_>> = errors.collect();
    for (i, error) in errors.iter().enumerate() {
        if looser_limit(error, &errors[..i], &errors[i + 1..]) {
            continue;
        }
        translate(cx, error, out);
    }
}

/// Two `maxLength`s failing at one place (a shared definition's limit and a
/// narrower one beside it, such as a 3Dolphins header value's 60 and a
/// template parameter's 1,024) are one mistake: only the tighter limit is
/// reported (the first of equal ones).
fn looser_limit(
    error: &ValidationError<'_>,
    before: &[&ValidationError<'_>],
    after: &[&ValidationError<'_>],
) -> bool {
    let ValidationErrorKind::MaxLength { limit } = error.kind() else {
        return false;
    };
    let tighter = |other: &&ValidationError<'_>, strict: bool| {
        matches!(other.kind(), ValidationErrorKind::MaxLength { limit: l }
            if other.instance_path() == error.instance_path() && (*l < *limit || (!strict && *l == *limit)))
    };
    before.iter().any(|o| tighter(o, false)) || after.iter().any(|o| tighter(o, true))
}

fn keyword_uri(error: &ValidationError<'_>) -> Option<String> {
    error
        .absolute_keyword_location()
        .map(|u| u.as_str().to_string())
}

/// The schema node that carries the failing keyword (the keyword's parent).
fn owner_node(cx: &Context<'_>, keyword_uri: &str) -> Option<&'static Value> {
    cx.graph.owner(keyword_uri).map(|info| info.node)
}

fn severity_and_source(cx: &Context<'_>, keyword_uri: Option<&str>) -> (Severity, Source) {
    let facts = keyword_uri
        .and_then(|u| cx.graph.owner(u))
        .map(|info| &info.facts);
    (
        facts.and_then(|f| f.severity).unwrap_or(Severity::Error),
        facts.and_then(|f| f.source).unwrap_or(Source::Provider),
    )
}

/// "Sandeza allows" / "WhatsApp allows".
fn who(cx: &Context<'_>, source: Source) -> &'static str {
    match source {
        Source::Platform => "WhatsApp",
        Source::Provider => cx.endpoint.provider_display(),
    }
}

fn translate(cx: &Context<'_>, error: &ValidationError<'_>, out: &mut Vec<Diagnostic>) {
    let ptr = error.instance_path().as_str().to_string();
    let uri = keyword_uri(error);
    let (severity, source) = severity_and_source(cx, uri.as_deref());
    let field = field_label(&ptr);
    let owner = who(cx, source);
    let node = uri.as_deref().and_then(|u| owner_node(cx, u));
    let description_help = uri
        .as_deref()
        .and_then(|u| cx.graph.owner(u))
        .and_then(|info| info.facts.description)
        .map(str::to_string);

    let make = |rule: &str, pointer: String, message: String| {
        let mut d = Diagnostic::new(rule, severity, pointer, message).with_source(source);
        d.schema_pointer = uri.clone();
        d
    };

    match error.kind() {
        ValidationErrorKind::Required { property } => {
            let name = property.as_str().unwrap_or_default().to_string();
            let child = pointer::join(&ptr, &name);
            let described = node
                .and_then(|n| n.get("properties"))
                .and_then(|p| p.get(&name))
                .map(|s| resolve_description(cx, s));
            let container = if ptr.is_empty() {
                "the payload".to_string()
            } else {
                format!("`{}`", pointer::display_path(&ptr))
            };
            let mut d = make(
                "required",
                child,
                format!("`{name}` is required in {container} and is missing"),
            );
            d.help = Some(match described {
                Some(Some(text)) => format!("add `{name}`: {}", first_sentence(&text)),
                _ => format!("add `{name}`"),
            });
            out.push(d);
        }
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            let known: Vec<String> = node
                .and_then(|n| n.get("properties"))
                .and_then(Value::as_object)
                .map(|p| p.keys().cloned().collect())
                .unwrap_or_default();
            let container = if ptr.is_empty() {
                "the payload".to_string()
            } else {
                format!("`{}`", pointer::display_path(&ptr))
            };
            let aliases = node.and_then(|n| n.get("x-aliases"));
            for name in unexpected {
                if let Some(alias) = aliases.and_then(|a| a.get(name)) {
                    // A name the doc itself uses for this field: a warning.
                    let canonical = alias.get("for").and_then(Value::as_str).unwrap_or_default();
                    let why = alias.get("why").and_then(Value::as_str).unwrap_or_default();
                    let mut d = Diagnostic::new(
                        "doc-discrepancy",
                        Severity::Warning,
                        pointer::join(&ptr, name),
                        format!(
                            "`{name}` is written where {} doc contradicts itself about the field's name: {why}",
                            if owner.ends_with('s') { format!("{owner}'") } else { format!("{owner}'s") }
                        ),
                    )
                    .with_source(Source::Provider)
                    .with_help(format!("name it `{canonical}`"))
                    .with_note("the doc discrepancies and the decisions taken are listed in preflight's schemas/README.md");
                    d.explains_missing = Some(pointer::join(&ptr, canonical));
                    out.push(d);
                    continue;
                }
                let mut d = make(
                    "additional-properties",
                    pointer::join(&ptr, name),
                    format!("unknown field `{name}` in {container}; {owner} does not accept it"),
                );
                let unused: Vec<&str> = known
                    .iter()
                    .map(String::as_str)
                    .filter(|k| cx.payload.pointer(&pointer::join(&ptr, k)).is_none())
                    .collect();
                let suggestion =
                    crate::engine::text::suggest::closest(name, known.iter().map(String::as_str));
                // The misspelling explains a missing required field of that name.
                d.explains_missing = suggestion
                    .as_ref()
                    .filter(|s| cx.payload.pointer(&pointer::join(&ptr, s)).is_none())
                    .map(|s| pointer::join(&ptr, s));
                // Renaming to the one close field the object lacks: safe.
                if let Some(s) = suggestion
                    .as_ref()
                    .filter(|s| cx.payload.pointer(&pointer::join(&ptr, s)).is_none())
                {
                    d.fix = Some(Fix::safe(
                        format!("rename `{name}` to `{s}`"),
                        vec![Edit::key(&pointer::join(&ptr, name), s)],
                    ));
                }
                d.help = Some(match suggestion {
                    Some(s) => format!("did you mean `{s}`?"),
                    None if known.is_empty() => "remove it".to_string(),
                    None => format!(
                        "remove it; the fields {} accepts here are {}",
                        owner,
                        list_code(
                            unused.iter().copied().chain(
                                known
                                    .iter()
                                    .map(String::as_str)
                                    .filter(|k| !unused.contains(k))
                            )
                        )
                    ),
                });
                out.push(d);
            }
        }
        ValidationErrorKind::Type { kind } => {
            let expected = match kind {
                TypeKind::Single(t) => article(&t.to_string()),
                TypeKind::Multiple(set) => set
                    .iter()
                    .map(|t| article(&t.to_string()))
                    .collect::<Vec<_>>()
                    .join(" or "),
            };
            let actual = cx.payload.pointer(&ptr).map_or("nothing", type_phrase);
            let mut d = make(
                "type",
                ptr.clone(),
                format!(
                    "{field} must be {expected}, not {actual} ({})",
                    cx.shown(&ptr)
                ),
            );
            if let Some(Value::String(s)) = cx.payload.pointer(&ptr) {
                if expected.contains("integer") || expected.contains("number") {
                    if s.trim().parse::<f64>().is_ok() && !cx.is_secret(&ptr) {
                        d.help = Some(format!("send the number without quotes: {}", s.trim()));
                        // The same number, unquoted: safe where it is exact.
                        let number = serde_json::from_str::<serde_json::Number>(s.trim())
                            .ok()
                            .filter(|n| !expected.contains("integer") || n.is_i64() || n.is_u64());
                        if let Some(n) = number {
                            d.fix = Some(Fix::safe(
                                format!("send {n} without quotes"),
                                vec![Edit::value(&ptr, &Value::Number(n))],
                            ));
                        }
                    }
                } else if expected.contains("boolean") && matches!(s.as_str(), "true" | "false") {
                    d.help = Some(format!("send the boolean without quotes: {s}"));
                    d.fix = Some(Fix::safe(
                        format!("send {s} without quotes"),
                        vec![Edit::value(&ptr, &Value::Bool(s == "true"))],
                    ));
                }
            } else if let Some(Value::Number(n)) = cx.payload.pointer(&ptr)
                && expected == "a string"
                && !cx.is_secret(&ptr)
            {
                d.help = Some(format!("send it as a string: \"{n}\""));
                d.fix = Some(Fix::safe(
                    format!("send \"{n}\" in quotes"),
                    vec![Edit::value(&ptr, &Value::String(n.to_string()))],
                ));
            }
            out.push(d);
        }
        ValidationErrorKind::Enum { options } => {
            let allowed: Vec<String> = options
                .as_array()
                .map(|a| a.iter().map(|v| v.to_string()).collect())
                .unwrap_or_default();
            let mut d = make(
                "enum",
                ptr.clone(),
                format!(
                    "{field} is {}; {owner} accepts {}",
                    cx.shown(&ptr),
                    one_of_phrase(&allowed)
                ),
            );
            d.help = enum_help(cx, &ptr, options);
            if let Some(v) = enum_fix(cx, &ptr, options) {
                d.fix = Some(Fix::safe(
                    format!("write it as {v}"),
                    vec![Edit::value(&ptr, &v)],
                ));
            }
            // An uncertain list (`x-severity: warning`) says why it is one;
            // a value the doc writes in several casings, what the field is.
            // (`enum_help` says `write "body"` only for such a value.)
            let one_value = d.help.as_deref().is_some_and(|h| h.starts_with("write \""));
            if severity == Severity::Warning {
                d.note = description_help.as_deref().map(first_sentence);
            } else if one_value {
                d.note = description_help.clone();
            }
            out.push(d);
        }
        ValidationErrorKind::Constant { expected_value } => {
            let mut d = make(
                "const",
                ptr.clone(),
                format!("{field} is {}; it must be {expected_value}", cx.shown(&ptr)),
            );
            d.help = enum_help(cx, &ptr, &Value::Array(vec![(**expected_value).clone()]));
            out.push(d);
        }
        ValidationErrorKind::MaxLength { limit } => {
            let n = char_len(cx.payload.pointer(&ptr));
            let mut d = make(
                "max-length",
                ptr.clone(),
                format!("{field} is {n} characters; {owner} allows at most {limit}"),
            );
            d.help = Some(format!(
                "shorten it by {} characters",
                n.saturating_sub(*limit as usize)
            ));
            d.note = description_help;
            out.push(d);
        }
        ValidationErrorKind::MinLength { limit } => {
            let n = char_len(cx.payload.pointer(&ptr));
            let message = if n == 0 {
                format!(
                    "{field} is empty; {owner} requires at least {limit} character{}",
                    plural(*limit)
                )
            } else {
                format!("{field} is {n} characters; {owner} requires at least {limit}")
            };
            let mut d = make("min-length", ptr.clone(), message);
            if n == 0 {
                d.help = Some(format!(
                    "give it a value of at least {limit} character{}",
                    plural(*limit)
                ));
            }
            d.note = description_help;
            out.push(d);
        }
        ValidationErrorKind::Pattern { pattern } => {
            let mut d = make(
                "pattern",
                ptr.clone(),
                format!(
                    "{field} {} does not have the form {owner} expects (`{pattern}`)",
                    cx.shown(&ptr)
                ),
            );
            d.help = description_help.map(|t| first_sentence(&t));
            out.push(d);
        }
        ValidationErrorKind::Format { format } => {
            let what = match format.as_str() {
                "email" => "an email address",
                "uri" => "an absolute URL (with scheme, like https://…)",
                "date-time" => "an ISO 8601 date-time with a time zone (2026-11-21T09:30:00+07:00)",
                "date" => "a date (YYYY-MM-DD)",
                other => other,
            };
            let mut d = make(
                "format",
                ptr.clone(),
                format!("{field} {} is not {what}", cx.shown(&ptr)),
            );
            d.help = description_help.map(|t| first_sentence(&t));
            out.push(d);
        }
        ValidationErrorKind::Maximum { limit }
        | ValidationErrorKind::ExclusiveMaximum { limit } => {
            let exclusive = matches!(error.kind(), ValidationErrorKind::ExclusiveMaximum { .. });
            let rule = if exclusive {
                "exclusive-maximum"
            } else {
                "maximum"
            };
            let bound = if exclusive { "less than" } else { "at most" };
            out.push(make(
                rule,
                ptr.clone(),
                format!(
                    "{field} is {}; {owner} allows {bound} {limit}",
                    cx.shown(&ptr)
                ),
            ));
        }
        ValidationErrorKind::Minimum { limit }
        | ValidationErrorKind::ExclusiveMinimum { limit } => {
            let exclusive = matches!(error.kind(), ValidationErrorKind::ExclusiveMinimum { .. });
            let rule = if exclusive {
                "exclusive-minimum"
            } else {
                "minimum"
            };
            let bound = if exclusive { "more than" } else { "at least" };
            out.push(make(
                rule,
                ptr.clone(),
                format!(
                    "{field} is {}; {owner} requires {bound} {limit}",
                    cx.shown(&ptr)
                ),
            ));
        }
        ValidationErrorKind::MaxItems { limit } => {
            let n = cx
                .payload
                .pointer(&ptr)
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            out.push(make(
                "max-items",
                ptr.clone(),
                format!("{field} has {n} items; {owner} allows at most {limit}"),
            ));
        }
        ValidationErrorKind::MinItems { limit } => {
            let n = cx
                .payload
                .pointer(&ptr)
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            let message = if n == 0 {
                format!(
                    "{field} is empty; {owner} requires at least {limit} item{}",
                    plural(*limit)
                )
            } else {
                format!(
                    "{field} has {n} item{}; {owner} requires at least {limit}",
                    plural(n as u64)
                )
            };
            let mut d = make("min-items", ptr.clone(), message);
            d.help = Some(format!(
                "add at least {} item{}",
                limit.saturating_sub(n as u64),
                plural(limit.saturating_sub(n as u64))
            ));
            d.note = description_help;
            out.push(d);
        }
        ValidationErrorKind::UniqueItems => {
            out.push(make(
                "unique-items",
                ptr.clone(),
                format!("{field} has repeated items; {owner} requires every item to be different"),
            ));
        }
        ValidationErrorKind::MaxProperties { limit } => {
            out.push(make(
                "max-properties",
                ptr.clone(),
                format!("{field} has too many fields; {owner} allows at most {limit}"),
            ));
        }
        ValidationErrorKind::MinProperties { limit } => {
            let mut d = make(
                "min-properties",
                ptr.clone(),
                format!("{field} needs at least {limit} field{}", plural(*limit)),
            );
            d.help = description_help.map(|t| first_sentence(&t));
            out.push(d);
        }
        ValidationErrorKind::Contains => {
            out.push(make(
                "contains",
                ptr.clone(),
                format!("{field} has no item of the kind {owner} requires"),
            ));
        }
        ValidationErrorKind::OneOfNotValid { context } | ValidationErrorKind::AnyOf { context } => {
            one_of_miss(
                cx,
                error,
                &ptr,
                uri.as_deref(),
                context,
                severity,
                source,
                out,
            );
        }
        ValidationErrorKind::OneOfMultipleValid { .. } => {
            let titles = uri
                .as_deref()
                .and_then(|u| cx.graph.branch(u))
                .map(variant_titles)
                .unwrap_or_default();
            out.push(make(
                "one-of",
                ptr.clone(),
                format!(
                    "{field} fits more than one of the shapes {owner} accepts ({}); it must fit exactly one",
                    titles.join(", ")
                ),
            ));
        }
        ValidationErrorKind::Not { .. } => {
            let mut d = make(
                "not",
                ptr.clone(),
                format!("{field} has a form {owner} does not accept"),
            );
            d.help = description_help.map(|t| first_sentence(&t));
            out.push(d);
        }
        ValidationErrorKind::FalseSchema => {
            out.push(make(
                "additional-properties",
                ptr.clone(),
                format!("{field} is not allowed here"),
            ));
        }
        ValidationErrorKind::PropertyNames { error } => {
            translate(cx, error, out);
        }
        ValidationErrorKind::UnevaluatedProperties { unexpected } => {
            for name in unexpected {
                out.push(make(
                    "unevaluated-properties",
                    pointer::join(&ptr, name),
                    format!("unknown field `{name}`; {owner} does not accept it"),
                ));
            }
        }
        other => {
            let rule = match other {
                ValidationErrorKind::MultipleOf { .. } => "multiple-of",
                ValidationErrorKind::UnevaluatedItems { .. }
                | ValidationErrorKind::AdditionalItems { .. } => "additional-items",
                ValidationErrorKind::ContentEncoding { .. } => "content-encoding",
                ValidationErrorKind::ContentMediaType { .. } => "content-media-type",
                ValidationErrorKind::Custom { .. } => "schema",
                _ => "schema",
            };
            let text = if cx.is_secret(&ptr) {
                error.masked_with("[redacted]").to_string()
            } else {
                error.to_string()
            };
            out.push(make(rule, ptr.clone(), format!("{field}: {text}")));
        }
    }
}

/// Reports a `oneOf`/`anyOf` miss as the errors of the variant the payload
/// meant: the one its discriminator names, else the closest by error count.
#[allow(
    clippy::too_many_arguments,
    reason = "one call site; the parts are distinct"
)]
fn one_of_miss(
    cx: &Context<'_>,
    error: &ValidationError<'_>,
    ptr: &str,
    uri: Option<&str>,
    context: &[Vec<ValidationError<'static>>],
    severity: Severity,
    source: Source,
    out: &mut Vec<Diagnostic>,
) {
    let field = field_label(ptr);
    let branch = uri.and_then(|u| cx.graph.branch(u).map(|b| (u, b)));
    let instance = cx.payload.pointer(ptr);
    if let (Some((u, branch)), Some(instance)) = (branch, instance) {
        if let Some((property, values)) = &branch.discriminator {
            let disc = Discriminator { property, values };
            match instance.get(disc.property) {
                Some(value) => {
                    if let Some(index) = disc.values.iter().position(|vs| vs.contains(value))
                        && let Some(errors) = context.get(index)
                    {
                        translate_all(cx, errors.iter(), out);
                        return;
                    }
                    let allowed: Vec<String> = disc
                        .values
                        .iter()
                        .flatten()
                        .map(|v| v.to_string())
                        .collect();
                    let at = pointer::join(ptr, disc.property);
                    let mut d = Diagnostic::new(
                        "enum",
                        severity,
                        at.clone(),
                        format!(
                            "`{}` is {}; {} accepts {}",
                            disc.property,
                            cx.shown(&at),
                            who(cx, source),
                            one_of_phrase(&allowed)
                        ),
                    )
                    .with_source(source);
                    d.help = enum_help(
                        cx,
                        &at,
                        &Value::Array(disc.values.iter().flatten().cloned().collect()),
                    );
                    d.schema_pointer = Some(u.to_string());
                    out.push(d);
                    return;
                }
                None if instance.is_object() => {
                    let allowed: Vec<String> = disc
                        .values
                        .iter()
                        .flatten()
                        .map(|v| v.to_string())
                        .collect();
                    let mut d = Diagnostic::new(
                        "required",
                        severity,
                        pointer::join(ptr, disc.property),
                        format!(
                            "`{}` is required in {} and is missing: it says which kind of {} this is",
                            disc.property,
                            if ptr.is_empty() { "the payload".to_string() } else { format!("`{}`", pointer::display_path(ptr)) },
                            pointer::field_name(ptr)
                        ),
                    )
                    .with_source(source)
                    .with_help(format!("add `{}` with one of {}", disc.property, allowed.join(", ")));
                    d.schema_pointer = Some(u.to_string());
                    out.push(d);
                    return;
                }
                None => {}
            }
        }
        // A field with a tolerated second reading (`x-tolerate`): when
        // neither fits, the likely reading's errors say what to fix.
        let likely: Vec<usize> = branch
            .variants
            .iter()
            .enumerate()
            .filter(|(_, v)| {
                cx.graph
                    .info(v.node)
                    .is_none_or(|i| i.facts.discrepancy.is_none())
            })
            .map(|(i, _)| i)
            .collect();
        if likely.len() == 1
            && branch.variants.len() > 1
            && let Some(errors) = context.get(likely[0])
        {
            translate_all(cx, errors.iter(), out);
            return;
        }
        // No discriminator for every variant: first the variants a tag
        // member names (`type: "body"` where two button variants share
        // `"button"`), then among them the one nearest to the object by its
        // members (an object where one variant takes an object and the
        // others a string), then the one the payload got furthest into; its
        // errors, each at its place.
        let candidates = tagged(cx, branch, instance);
        let chosen = match candidates.as_slice() {
            [only] => Some(*only),
            _ => best_by_members(cx, branch, &candidates, instance).or_else(|| {
                let scored: Vec<(usize, usize)> = candidates
                    .iter()
                    .filter_map(|&i| context.get(i).map(|errors| (i, badness(ptr, errors))))
                    .collect();
                let &(best, best_score) = scored.iter().min_by_key(|(_, s)| *s)?;
                let ties = scored.iter().filter(|(_, s)| *s == best_score).count();
                (ties == 1).then_some(best)
            }),
        };
        if let Some(best) = chosen
            && let Some(errors) = context.get(best)
        {
            translate_variant(cx, ptr, branch, best, errors, out);
            return;
        }
        let titles = variant_titles(branch);
        let mut d = Diagnostic::new(
            "one-of",
            severity,
            ptr.to_string(),
            format!(
                "{field} ({}) fits none of the shapes {} accepts: {}",
                short(instance),
                who(cx, source),
                titles.join("; ")
            ),
        )
        .with_source(source);
        let mut hints = Vec::new();
        for (title, errors) in titles.iter().zip(context) {
            let mut sub = Vec::new();
            translate_all(cx, errors.iter().take(1), &mut sub);
            if let Some(first) = sub.first() {
                hints.push(format!("as {title}: {}", first.message));
            }
        }
        if !hints.is_empty() {
            d.help = Some(hints.join("; "));
        }
        d.schema_pointer = Some(u.to_string());
        out.push(d);
        return;
    }
    let mut d = Diagnostic::new(
        "one-of",
        severity,
        ptr.to_string(),
        format!("{field}: {error}"),
    )
    .with_source(source);
    d.schema_pointer = uri.map(str::to_string);
    out.push(d);
}

/// The variants a tag member of the object names: a member every variant
/// declares with a `const` or `enum` (`type`), whose value some but not all
/// variants take. Every variant when there is no such member, or when the
/// value is none of theirs (that is the tag's own mistake).
fn tagged(
    cx: &Context<'_>,
    branch: &crate::engine::facts::graph::Branch,
    instance: &Value,
) -> Vec<usize> {
    let all: Vec<usize> = (0..branch.variants.len()).collect();
    let Some(map) = instance.as_object() else {
        return all;
    };
    let allowed = |variant: &crate::engine::facts::graph::Variant, name: &str| {
        let info = cx.graph.info(variant.node)?;
        let mut schema = info.property(name)?;
        for _ in 0..4 {
            if let Some(c) = schema.get("const") {
                return Some(vec![c]);
            }
            if let Some(e) = schema.get("enum").and_then(Value::as_array) {
                return Some(e.iter().collect::<Vec<_>>());
            }
            schema = cx.graph.info(schema)?.ref_target?;
        }
        None
    };
    for (name, value) in map {
        let Some(sets) = branch
            .variants
            .iter()
            .map(|v| allowed(v, name))
            .collect::<Option<Vec<_>>>()
        else {
            continue;
        };
        let named: Vec<usize> = sets
            .iter()
            .enumerate()
            .filter(|(_, set)| set.contains(&value))
            .map(|(i, _)| i)
            .collect();
        if !named.is_empty() && named.len() < all.len() {
            return named;
        }
    }
    all
}

/// Among `candidates`, the one variant nearest to an object by its members
/// ([`Variant::member_distance`]: fields missing or unknown, members of the
/// wrong kind), or `None` when two are equally near.
///
/// [`Variant::member_distance`]: crate::engine::facts::graph::Variant::member_distance
fn best_by_members(
    cx: &Context<'_>,
    branch: &crate::engine::facts::graph::Branch,
    candidates: &[usize],
    instance: &Value,
) -> Option<usize> {
    let scores: Vec<(usize, usize)> = candidates
        .iter()
        .filter_map(|&i| {
            branch
                .variants
                .get(i)?
                .member_distance(cx.graph, instance)
                .map(|d| (i, d))
        })
        .collect();
    let &(first, best) = scores.iter().min_by_key(|(_, d)| *d)?;
    (scores.iter().filter(|(_, d)| *d == best).count() == 1).then_some(first)
}

/// Translates the errors of the variant `chosen`, except that members
/// written in the form of a sibling variant of another `x-form` (a
/// delimiter-format string beside JSON-format objects) are one finding each
/// saying the forms cannot be mixed, not the chosen variant's complaint
/// about them. When those are the more, the members in the chosen form are
/// the odd ones out, and the findings are at them.
fn translate_variant(
    cx: &Context<'_>,
    ptr: &str,
    branch: &crate::engine::facts::graph::Branch,
    chosen: usize,
    errors: &[ValidationError<'static>],
    out: &mut Vec<Diagnostic>,
) {
    let mut mixes: Vec<Mix<'_>> = Vec::new();
    for error in errors {
        if let Some(mix) = mixed_form(cx, ptr, branch, chosen, error)
            && !mixes.iter().any(|m| m.name == mix.name)
        {
            mixes.push(mix);
        }
    }
    if let Some(first) = mixes.first() {
        let names: Vec<String> = mixes.iter().map(|m| m.name.clone()).collect();
        if names.len() > first.in_ours.len() {
            for member in &first.in_ours {
                out.push(mix_finding(
                    cx,
                    ptr,
                    member,
                    (first.form, &names, first.other_form),
                    first.theirs,
                    first.schema_pointer.clone(),
                ));
            }
        } else {
            for mix in &mixes {
                out.push(mix_finding(
                    cx,
                    ptr,
                    &mix.name,
                    (mix.other_form, &mix.in_ours, mix.form),
                    mix.ours,
                    mix.schema_pointer.clone(),
                ));
            }
        }
    }
    for error in errors {
        let at = error.instance_path().as_str();
        if mixes.iter().any(|m| pointer::join(ptr, &m.name) == at) {
            continue;
        }
        translate(cx, error, out);
    }
}

/// A member of `ptr` in the form of a sibling variant of another `x-form`
/// than the chosen one, beside members in the chosen form.
struct Mix<'g> {
    /// The member's name.
    name: String,
    /// The chosen variant's form, and its node.
    form: &'static str,
    ours: &'g crate::engine::facts::graph::NodeInfo,
    /// The form the member is in, and that variant's node.
    other_form: &'static str,
    theirs: &'g crate::engine::facts::graph::NodeInfo,
    /// The members in the chosen form (the other form never takes their kind).
    in_ours: Vec<String>,
    schema_pointer: Option<String>,
}

fn mixed_form<'g>(
    cx: &Context<'g>,
    ptr: &str,
    branch: &'g crate::engine::facts::graph::Branch,
    chosen: usize,
    error: &ValidationError<'_>,
) -> Option<Mix<'g>> {
    let graph: &'g Graph = cx.graph;
    let variant = branch.variants.get(chosen)?;
    let ours = graph.info(variant.node)?;
    let form = ours.facts.form?;
    let at = error.instance_path().as_str();
    let token = at.strip_prefix(ptr)?.strip_prefix('/')?;
    if token.contains('/') {
        return None;
    }
    let name = pointer::field_name(at);
    let map = cx.payload.pointer(ptr)?.as_object()?;
    let value = cx.payload.pointer(at)?;
    for other in &branch.variants {
        let Some(theirs) = graph.info(other.node) else {
            continue;
        };
        let Some(other_form) = theirs.facts.form.filter(|f| *f != form) else {
            continue;
        };
        let Some(schema) = theirs.property(&name) else {
            continue;
        };
        let fits = graph
            .info(schema)
            .and_then(|i| graph.registry.fragment_validator(&i.uri))
            .is_some_and(|v| v.is_valid(value));
        if !fits {
            continue;
        }
        let in_ours: Vec<String> = map
            .iter()
            .filter(|(k, v)| {
                k.as_str() != name
                    && theirs
                        .property(k)
                        .is_some_and(|s| !crate::engine::facts::graph::kind_ok(graph, s, v, 0))
            })
            .map(|(k, _)| k.clone())
            .collect();
        if in_ours.is_empty() {
            continue;
        }
        return Some(Mix {
            name,
            form,
            ours,
            other_form,
            theirs,
            in_ours,
            schema_pointer: keyword_uri(error),
        });
    }
    None
}

/// The finding at member `name` of `ptr`, written in `its_form` while
/// `rest` are in `rest_form` (whose variant is `rest_variant`).
fn mix_finding(
    cx: &Context<'_>,
    ptr: &str,
    name: &str,
    (its_form, rest, rest_form): (&str, &[String], &str),
    rest_variant: &crate::engine::facts::graph::NodeInfo,
    schema_pointer: Option<String>,
) -> Diagnostic {
    let at = pointer::join(ptr, name);
    let source = Source::Provider;
    let described = rest_variant
        .property(name)
        .and_then(|s| resolve_description(cx, s))
        .map(|t| format!(": {};", first_sentence(&t)))
        .unwrap_or_else(|| ",".to_string());
    let others = and_code(rest.iter().map(String::as_str));
    let mut d = Diagnostic::new(
        "one-of",
        Severity::Error,
        at.clone(),
        format!(
            "`{name}` is in the {its_form} ({}) while {others} {} in the {rest_form}; {} does not accept the two forms mixed in one message",
            cx.shown(&at),
            if rest.len() == 1 { "is" } else { "are" },
            who(cx, source),
        ),
    )
    .with_source(source)
    .with_help(format!(
        "write `{name}` in the {rest_form} too{described} or write {others} in the {its_form} as well"
    ));
    d.schema_pointer = schema_pointer;
    d
}

/// How far a payload is from a variant: errors at the `oneOf`'s own level
/// (wrong type, unknown or missing fields) weigh more than deeper ones.
fn badness(ptr: &str, errors: &[ValidationError<'static>]) -> usize {
    errors
        .iter()
        .map(|e| {
            let shallow = e.instance_path().as_str() == ptr;
            match e.kind() {
                ValidationErrorKind::Type { .. } if shallow => 100,
                ValidationErrorKind::AdditionalProperties { unexpected } if shallow => {
                    10 * unexpected.len()
                }
                ValidationErrorKind::Required { .. } if shallow => 10,
                ValidationErrorKind::Constant { .. } | ValidationErrorKind::Enum { .. } => 5,
                _ => 1,
            }
        })
        .sum()
}

/// A discriminator of a branch, borrowed from the graph.
struct Discriminator<'g> {
    property: &'g str,
    values: &'g [Vec<Value>],
}

fn variant_titles(branch: &crate::engine::facts::graph::Branch) -> Vec<String> {
    branch.variants.iter().map(|v| v.title.clone()).collect()
}

/// A property schema's description, following a `$ref` if it has none itself.
fn resolve_description(cx: &Context<'_>, schema: &Value) -> Option<String> {
    if let Some(d) = schema.get("description").and_then(Value::as_str) {
        return Some(d.to_string());
    }
    cx.graph
        .info(schema)?
        .ref_target?
        .get("description")?
        .as_str()
        .map(str::to_string)
}

/// The allowed value a given one stands for exactly: the same text in
/// another case or with spaces around it, the same number in or out of
/// quotes. `None` when the value is a secret or none fits.
fn enum_fix(cx: &Context<'_>, ptr: &str, options: &Value) -> Option<Value> {
    if cx.is_secret(ptr) {
        return None;
    }
    let given = cx.payload.pointer(ptr)?;
    options.as_array()?.iter().find_map(|o| match (given, o) {
        (Value::String(g), Value::String(s)) if g.eq_ignore_ascii_case(s) || g.trim() == s => {
            Some(o.clone())
        }
        (Value::String(g), Value::Number(n)) if g.trim() == n.to_string() => Some(o.clone()),
        (Value::Number(n), Value::String(s)) if n.to_string() == *s => Some(o.clone()),
        _ => None,
    })
}

fn enum_help(cx: &Context<'_>, ptr: &str, options: &Value) -> Option<String> {
    if cx.is_secret(ptr) {
        return None;
    }
    let given = cx.payload.pointer(ptr)?;
    let opts = options.as_array()?;
    // Same text, other casing or type: say exactly what to send.
    for o in opts {
        match (given, o) {
            (Value::String(g), Value::String(s)) if g.eq_ignore_ascii_case(s) || g.trim() == s => {
                return Some(format!("write it as \"{s}\""));
            }
            (Value::String(g), Value::Number(n)) if g.trim() == n.to_string() => {
                return Some(format!("send the number without quotes: {n}"));
            }
            (Value::Number(n), Value::String(s)) if n.to_string() == *s => {
                return Some(format!("send it as a string: \"{s}\""));
            }
            _ => {}
        }
    }
    let given = given.as_str()?;
    let names: Vec<&str> = opts.iter().filter_map(Value::as_str).collect();
    if let Some(s) = crate::engine::text::suggest::closest(given, names.iter().copied()) {
        return Some(format!("did you mean \"{s}\"?"));
    }
    // One value in the casings the doc writes it in ("body", "Body", "BODY"):
    // say it.
    match names.split_first() {
        Some((first, rest))
            if names.len() == opts.len() && rest.iter().all(|n| n.eq_ignore_ascii_case(first)) =>
        {
            Some(format!("write \"{first}\""))
        }
        _ => None,
    }
}

fn one_of_phrase(allowed: &[String]) -> String {
    match allowed.len() {
        0 => "no value here".to_string(),
        1 => format!("only {}", allowed[0]),
        _ => format!("one of {}", allowed.join(", ")),
    }
}

fn list_code<'a>(names: impl Iterator<Item = &'a str>) -> String {
    names
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// "`a`", "`a` and `b`", "`a`, `b` and `c`".
fn and_code<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let mut items: Vec<String> = names.map(|n| format!("`{n}`")).collect();
    match items.pop() {
        None => String::new(),
        Some(last) if items.is_empty() => last,
        Some(last) => format!("{} and {last}", items.join(", ")),
    }
}

fn char_len(value: Option<&Value>) -> usize {
    value
        .and_then(Value::as_str)
        .map_or(0, |s| s.chars().count())
}

fn plural(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn article(type_name: &str) -> String {
    match type_name {
        "array" | "object" | "integer" => format!("an {type_name}"),
        "null" => "null".to_string(),
        other => format!("a {other}"),
    }
}

/// "a string", "a number", … for the value a payload has.
pub fn type_phrase(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_f64() => "a number",
        Value::Number(_) => "an integer",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The first sentence of a description, for a help line (lowercased at the
/// start unless it starts with an acronym such as "URL" or "SHA-256").
pub fn first_sentence(text: &str) -> String {
    let cut = text
        .char_indices()
        .find(|&(i, c)| c == '.' && text[i + 1..].starts_with(' '))
        .map_or(text, |(i, _)| &text[..i]);
    let cut = cut.trim_end_matches('.');
    let mut chars = cut.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && second.is_lowercase() => {
            let mut out: String = first.to_lowercase().collect();
            out.push_str(&cut[first.len_utf8()..]);
            out
        }
        _ => cut.to_string(),
    }
}
