//! What a rule is and what it sees: [`RuleInfo`] (name, severity, whose rule,
//! docs), the [`Rule`] trait, and [`RuleContext`], the payload with its bound
//! facts and the views several rules share, each computed once per payload.

use super::views::{hygiene, media, phone};
use crate::Options;
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::engine::schema::registry::Endpoint;
use crate::engine::walk::{Annotations, Fact, Keyed};
use serde_json::Value;

/// What a rule is, for `preflight rules`, SARIF rule descriptors and docs.
#[derive(Debug)]
pub struct RuleInfo {
    /// Kebab-case name that says what is wrong (`unfilled-placeholder`).
    pub name: &'static str,
    /// Severity unless configured otherwise.
    pub default_severity: Severity,
    /// Whose rule it is.
    pub source: Source,
    /// Endpoint-id prefixes the rule concerns (`"sandeza/"`); empty for all.
    pub providers: &'static [&'static str],
    /// One line.
    pub summary: &'static str,
    /// The full doc, Markdown, under the headings "What it does", "Why is this
    /// bad?", "Source", "Example" (a failing and a passing payload).
    pub docs: &'static str,
}

/// A check on a parsed payload.
pub trait Rule: Send + Sync {
    /// The rule's name, severity and doc.
    fn info(&self) -> &'static RuleInfo;
    /// Reports every finding in the payload (never stops at the first).
    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>);
}

/// What a rule sees.
pub struct RuleContext<'a> {
    /// The endpoint the payload is for.
    pub endpoint: &'a Endpoint,
    /// The payload.
    pub payload: &'a Value,
    /// Schema nodes that apply to each place in the payload.
    pub annotations: &'a Annotations<'a>,
    /// Run options (e.g. the Sandeza password for signature checks).
    pub options: &'a Options,
    /// The payload satisfies the endpoint's schema: every schema node the
    /// walk applied holds for its value (a `format: uri` place is a URI).
    pub(crate) schema_valid: bool,
    /// The media fields, computed once for the three media rules.
    pub(crate) media: std::sync::OnceLock<Vec<media::MediaField<'a>>>,
    /// The phone-number fields, computed once for the two phone rules.
    pub(crate) phones: std::sync::OnceLock<Vec<phone::PhoneField<'a>>>,
    /// [`RuleContext::x_formats`], searched once.
    pub(crate) x_formats: std::sync::OnceLock<Vec<Keyed<'a>>>,
    /// The strings the two hygiene rules may report, found in one pass.
    pub(crate) hygiene: std::sync::OnceLock<Vec<HygieneString<'a>>>,
    /// The template sends with their templates, looked up once.
    pub(crate) templates: std::sync::OnceLock<Vec<super::views::template_send::Bound<'a>>>,
}

/// A string of the payload that holds a doc placeholder or has whitespace at
/// an end: see [`RuleContext::hygiene_strings`].
pub(crate) struct HygieneString<'a> {
    /// Where it is.
    pub pointer: String,
    /// The string.
    pub text: &'a str,
    /// The placeholder in it, if any.
    pub placeholder: Option<hygiene::Placeholder>,
    /// It starts or ends with whitespace.
    pub padded: bool,
}

impl<'a> RuleContext<'a> {
    /// The strings the hygiene rules (`unfilled-placeholder`,
    /// `surrounding-whitespace`) may report, with their pointers, in document
    /// order: one pass over the payload's strings for both rules, and a
    /// pointer built only for a string that holds a placeholder or starts or
    /// ends with whitespace (rules run on every payload; few strings do).
    pub(crate) fn hygiene_strings(&self) -> &[HygieneString<'a>] {
        self.hygiene.get_or_init(|| {
            let mut out = Vec::new();
            let mut segments = Vec::new();
            visit_strings(self.payload, &mut segments, &mut |path, text| {
                let candidate = hygiene::candidate(text);
                let padded = hygiene::padded(text);
                if !candidate && !padded {
                    return;
                }
                let pointer = path.pointer();
                let placeholder = if candidate {
                    hygiene::placeholder_at(self.annotations, &pointer, text)
                } else {
                    None
                };
                if placeholder.is_some() || padded {
                    out.push(HygieneString {
                        pointer,
                        text,
                        placeholder,
                        padded,
                    });
                }
            });
            out
        })
    }

    /// True when the value at `pointer` is a placeholder that
    /// `unfilled-placeholder` reports as an error: other rules stay silent
    /// on it (one mistake, one finding).
    pub(crate) fn is_placeholder(&self, pointer: &str, text: &str) -> bool {
        hygiene::is_placeholder(self.annotations, pointer, text)
    }

    /// Every (pointer, string value) whose schema nodes carry `x-format: format`,
    /// in pointer order.
    pub fn strings_with_format(&self, format: &str) -> Vec<(&'a str, &'a str)> {
        self.x_formats()
            .iter()
            .filter(|k| k.facts.format == Some(format))
            .filter_map(|k| k.value.as_str().map(|s| (k.pointer, s)))
            .collect()
    }

    /// Every place whose schema nodes carry `x-format`, searched once for
    /// the rules that read one format each.
    pub fn x_formats(&self) -> &[Keyed<'a>] {
        self.x_formats
            .get_or_init(|| self.annotations.with_fact(Fact::Format))
    }

    /// True when the value at `pointer` is a secret (never quote it).
    pub fn is_secret(&self, pointer: &str) -> bool {
        hygiene::is_secret(self.annotations, pointer)
    }

    /// Every media field of the payload, computed once for the three media rules.
    pub(crate) fn media_fields(&self) -> &[media::MediaField<'a>] {
        self.media
            .get_or_init(|| media::fields(self.annotations, self.schema_valid))
    }

    /// Every phone-number field of the payload, computed once for the two
    /// phone rules.
    pub(crate) fn phone_fields(&self) -> &[phone::PhoneField<'a>] {
        self.phones.get_or_init(|| phone::fields(self.annotations))
    }

    /// Who a limit of `source` belongs to, as messages name it: "WhatsApp",
    /// or the provider ("Sandeza").
    pub fn whose(&self, source: Source) -> &'static str {
        match source {
            Source::Platform => "WhatsApp",
            Source::Provider => self.endpoint.provider_display(),
        }
    }
}

/// Where a string is: the keys and indices from the payload's root.
pub struct StringPath<'p, 'v> {
    segments: &'p [Segment<'v>],
}

enum Segment<'v> {
    Key(&'v str),
    Index(usize),
}

impl StringPath<'_, '_> {
    /// The RFC 6901 pointer.
    pub fn pointer(&self) -> String {
        let mut out = String::new();
        for segment in self.segments {
            out.push('/');
            match segment {
                Segment::Key(k) => out.push_str(&crate::engine::text::pointer::escape(k)),
                Segment::Index(i) => out.push_str(&i.to_string()),
            }
        }
        out
    }
}

fn visit_strings<'v>(
    value: &'v Value,
    segments: &mut Vec<Segment<'v>>,
    f: &mut impl FnMut(&StringPath<'_, 'v>, &'v str),
) {
    match value {
        Value::String(s) => f(&StringPath { segments }, s),
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                segments.push(Segment::Index(i));
                visit_strings(v, segments, f);
                segments.pop();
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                segments.push(Segment::Key(k));
                visit_strings(v, segments, f);
                segments.pop();
            }
        }
        _ => {}
    }
}
