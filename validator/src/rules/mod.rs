//! preflight's own rules: what the providers' docs and WhatsApp require that
//! JSON Schema cannot say.
//!
//! One rule per file, registered once in [`all`] (each group's `RULES` list). A rule reads the payload
//! and the schema nodes that apply to it ([`crate::annotate`]) and reports
//! findings by JSON pointer; the engine resolves positions, applies severity
//! overrides and sorts. A limit a schema keyword already states is never
//! repeated here: one mistake, one finding.
//!
//! Some rules are implemented by the engine itself because they concern the
//! text rather than the value (`parse-error`, `duplicate-key`,
//! `byte-order-mark`, `payload-too-large`, `unknown-endpoint`); they are listed
//! in [`ENGINE_RULES`] so `preflight rules` documents them too.

use crate::Options;
use crate::annotate::{Annotations, Keyed};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::endpoint::Endpoint;
use serde_json::Value;

mod common;
pub(crate) use common::media::MediaSpec;
pub(crate) use sandeza::DelimitedSpec;
pub(crate) mod providers;
mod sandeza;
mod surrounding_whitespace;
mod unfilled_placeholder;

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
    pub(crate) media: std::sync::OnceLock<Vec<common::media::MediaField<'a>>>,
    /// The phone-number fields, computed once for the two phone rules.
    pub(crate) phones: std::sync::OnceLock<Vec<common::phone::PhoneField<'a>>>,
    /// [`RuleContext::x_formats`], searched once.
    pub(crate) x_formats: std::sync::OnceLock<Vec<Keyed<'a>>>,
    /// The strings the two hygiene rules may report, found in one pass.
    pub(crate) hygiene: std::sync::OnceLock<Vec<HygieneString<'a>>>,
}

/// A string of the payload that holds a doc placeholder or has whitespace at
/// an end: see [`RuleContext::hygiene_strings`].
pub(crate) struct HygieneString<'a> {
    /// Where it is.
    pub pointer: String,
    /// The string.
    pub text: &'a str,
    /// The placeholder in it (character range) and what the real value is.
    pub placeholder: Option<(std::ops::Range<usize>, &'static str)>,
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
                let placeholder = unfilled_placeholder::find_placeholder(text);
                let padded = surrounding_whitespace::padded(text);
                if placeholder.is_some() || padded {
                    out.push(HygieneString {
                        pointer: path.pointer(),
                        text,
                        placeholder,
                        padded,
                    });
                }
            });
            out
        })
    }

    /// Every (pointer, string value) whose schema nodes carry `x-format: format`,
    /// in pointer order.
    pub fn strings_with_format(&self, format: &str) -> Vec<(&'a str, &'a str)> {
        self.x_formats()
            .iter()
            .filter(|k| k.annotation.as_str() == Some(format))
            .filter_map(|k| k.value.as_str().map(|s| (k.pointer, s)))
            .collect()
    }

    /// Every place whose schema nodes carry `x-format`, searched once for
    /// the rules that read one format each.
    pub fn x_formats(&self) -> &[Keyed<'a>] {
        self.x_formats
            .get_or_init(|| self.annotations.with_key("x-format"))
    }

    /// True when the value at `pointer` is a secret (never quote it).
    pub fn is_secret(&self, pointer: &str) -> bool {
        self.annotations.flag(pointer, "x-secret")
            || crate::secrets::is_secret_pointer(pointer, &[])
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
                Segment::Key(k) => out.push_str(&crate::pointer::escape(k)),
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

/// Rules for every provider's payloads (hygiene).
static HYGIENE: &[&dyn Rule] = &[
    &unfilled_placeholder::UnfilledPlaceholder,
    &surrounding_whitespace::SurroundingWhitespace,
];

/// Every rule that checks payload values, in the order `preflight rules` lists
/// them: payload hygiene, then rules shared across providers (media, phone
/// numbers, WhatsApp template text), then Sandeza's, then the other providers'.
pub fn all() -> &'static [&'static dyn Rule] {
    static ALL: std::sync::OnceLock<Vec<&'static dyn Rule>> = std::sync::OnceLock::new();
    ALL.get_or_init(|| {
        HYGIENE
            .iter()
            .chain(common::RULES)
            .chain(sandeza::RULES)
            .chain(providers::RULES)
            .copied()
            .collect()
    })
}

/// Rules the engine implements while reading text.
pub static ENGINE_RULES: &[RuleInfo] = &[
    RuleInfo {
        name: "parse-error",
        default_severity: Severity::Error,
        source: Source::Provider,
        providers: &[],
        summary: "The payload is not valid JSON (or not UTF-8 text at all).",
        docs: "## What it does\nReports a file or NDJSON line that is not valid JSON: a trailing or missing comma, an unquoted key, a truncated file, an empty file, invalid UTF-8, UTF-16, a binary file, nesting deeper than 127 levels, a number beyond a 64-bit float.\n\n## Why is this bad?\nEvery provider answers HTTP 400 to a body it cannot parse.\n\n## Source\nRFC 8259.\n\n## Example\n```json\n{\"ref_id\": \"inv20261121001\",}\n```\nUse instead:\n```json\n{\"ref_id\": \"inv20261121001\"}\n```\n",
    },
    RuleInfo {
        name: "duplicate-key",
        default_severity: Severity::Error,
        source: Source::Provider,
        providers: &[],
        summary: "A key appears twice in one object.",
        docs: "## What it does\nReports a key that occurs more than once in the same object; the finding points at the later occurrence, and the message says where the first is.\n\n## Why is this bad?\nParsers disagree on which value wins: serde_json and most JavaScript parsers keep the last, others keep the first. The provider may send a different message than the one you reviewed.\n\n## Source\nRFC 8259 §4 (names SHOULD be unique).\n\n## Example\n```json\n{\"template_id\": \"tagihan_v1\", \"template_id\": \"tagihan_v2\"}\n```\nUse instead:\n```json\n{\"template_id\": \"tagihan_v2\"}\n```\n",
    },
    RuleInfo {
        name: "byte-order-mark",
        default_severity: Severity::Warning,
        source: Source::Provider,
        providers: &[],
        summary: "The file starts with a UTF-8 byte-order mark.",
        docs: "## What it does\nReports a UTF-8 byte-order mark (EF BB BF) at the start of a payload file. The payload is still checked.\n\n## Why is this bad?\nRFC 8259 forbids a BOM in JSON sent over the network, and some providers' parsers reject the body. Editors on Windows add it silently.\n\n## Source\nRFC 8259 §8.1.\n\n## Example\nA file saved as \"UTF-8 with BOM\". Use instead: save it as plain UTF-8.\n",
    },
    RuleInfo {
        name: "payload-too-large",
        default_severity: Severity::Error,
        source: Source::Provider,
        providers: &[],
        summary: "A single payload is larger than any provider accepts (32 MiB).",
        docs: "## What it does\nReports a payload file over 32 MiB without reading it into memory.\n\n## Why is this bad?\nNo messaging provider accepts a request body this large; such a file is usually a data dump picked up by mistake.\n\n## Source\npreflight.\n\n## Example\nA 100 MB JSON export in the fixtures folder. Use instead: one payload per file, or an NDJSON file with one payload per line.\n",
    },
    RuleInfo {
        name: "unknown-endpoint",
        default_severity: Severity::Error,
        source: Source::Provider,
        providers: &[],
        summary: "preflight cannot tell which endpoint a payload is for.",
        docs: "## What it does\nReports a payload whose endpoint is not given by `--endpoint`, the config file or its path, and whose shape fits no endpoint or more than one. The message names the candidates.\n\n## Why is this bad?\nA payload checked against the wrong schema gives meaningless findings; preflight would rather ask.\n\n## Source\npreflight.\n\n## Example\n`fixtures/payload.json` holding `{}`. Use instead: put it under `fixtures/sandeza/send/`, map it in `preflight.toml`, or pass `--endpoint sandeza/send`.\n",
    },
    RuleInfo {
        name: "skipped-file",
        default_severity: Severity::Warning,
        source: Source::Provider,
        providers: &[],
        summary: "A FIFO, device or socket met in a directory walk, which is not read.",
        docs: include_str!("docs/skipped-file.md"),
    },
    RuleInfo {
        name: "broken-link",
        default_severity: Severity::Error,
        source: Source::Provider,
        providers: &[],
        summary: "A symbolic link to a payload file that does not exist.",
        docs: include_str!("docs/broken-link.md"),
    },
];

/// Names of the findings JSON Schema keywords produce, with a one-line summary.
pub static KEYWORD_RULES: &[(&str, &str)] = &[
    ("required", "A field the provider requires is missing."),
    (
        "additional-properties",
        "A field the provider does not accept (often a typo).",
    ),
    ("type", "A value of the wrong JSON type."),
    ("enum", "A value outside the allowed list."),
    (
        "const",
        "A value that must be exactly one thing is something else.",
    ),
    (
        "max-length",
        "A string longer than allowed (counted in characters).",
    ),
    ("min-length", "A string shorter than allowed, or empty."),
    ("pattern", "A string not of the required form."),
    (
        "format",
        "A string that is not a valid email, URL or date-time.",
    ),
    ("maximum", "A number above the allowed maximum."),
    ("minimum", "A number below the allowed minimum."),
    (
        "exclusive-maximum",
        "A number not below the exclusive maximum.",
    ),
    (
        "exclusive-minimum",
        "A number not above the exclusive minimum.",
    ),
    ("max-items", "An array with more items than allowed."),
    ("min-items", "An array with fewer items than required."),
    (
        "unique-items",
        "An array whose items must differ has repeats.",
    ),
    (
        "contains",
        "An array lacks an item of a required kind, or has too many of one.",
    ),
    ("min-properties", "An object with too few fields."),
    ("max-properties", "An object with too many fields."),
    (
        "one-of",
        "A value that fits none (or more than one) of the shapes allowed.",
    ),
    ("not", "A value of a form that is explicitly not allowed."),
    (
        "multiple-of",
        "A number that is not a multiple of the required step.",
    ),
    (
        "additional-items",
        "An array with items beyond those the schema describes.",
    ),
    (
        "unevaluated-properties",
        "A field no part of the schema describes.",
    ),
    (
        "content-encoding",
        "A string not in the declared content encoding.",
    ),
    (
        "content-media-type",
        "A string not of the declared media type.",
    ),
    ("schema", "Any other JSON Schema keyword failure."),
];

/// True when `rule` names a finding of a JSON Schema keyword (not one of
/// preflight's own rules).
pub fn is_keyword(rule: &str) -> bool {
    KEYWORD_RULES.iter().any(|(name, _)| *name == rule)
}

/// The info of a value rule or engine rule by name.
pub fn info(name: &str) -> Option<&'static RuleInfo> {
    all()
        .iter()
        .map(|r| r.info())
        .chain(ENGINE_RULES.iter())
        .find(|i| i.name == name)
}

/// Every documented rule (value rules, then engine rules).
pub fn all_infos() -> impl Iterator<Item = &'static RuleInfo> {
    all().iter().map(|r| r.info()).chain(ENGINE_RULES.iter())
}

/// True when the rule concerns this endpoint.
pub fn applies(info: &RuleInfo, endpoint: &Endpoint) -> bool {
    info.providers.is_empty() || info.providers.iter().any(|p| endpoint.id.starts_with(p))
}
