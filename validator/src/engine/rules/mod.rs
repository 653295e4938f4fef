//! preflight's own rules: what the providers' docs and WhatsApp require that
//! JSON Schema cannot say.
//!
//! One rule per file, registered once in [`all`] (each group's `RULES` list). A rule reads the payload
//! and the schema nodes that apply to it ([`crate::engine::walk`]) and reports
//! findings by JSON pointer; the engine resolves positions, applies severity
//! overrides and sorts. A limit a schema keyword already states is never
//! repeated here: one mistake, one finding.
//!
//! Some rules are implemented by the engine itself because they concern the
//! text rather than the value (`parse-error`, `duplicate-key`,
//! `byte-order-mark`, `payload-too-large`, `unknown-endpoint`); they are listed
//! in [`ENGINE_RULES`] so `preflight rules` documents them too.

use crate::diagnostic::{Severity, Source};
use crate::engine::schema::registry::Endpoint;

mod common;
pub(crate) mod context;
pub(crate) mod providers;
pub(crate) mod sandeza;
mod surrounding_whitespace;
pub(crate) mod templates;
mod unfilled_placeholder;
pub(crate) mod views;

use context::{Rule, RuleInfo};

/// Rules for every provider's payloads (hygiene).
static HYGIENE: &[&dyn Rule] = &[
    &unfilled_placeholder::UnfilledPlaceholder,
    &surrounding_whitespace::SurroundingWhitespace,
];

/// Every rule that checks payload values, in the order `preflight rules` lists
/// them: payload hygiene, then rules shared across providers (media, phone
/// numbers, WhatsApp template text), then Sandeza's, then the other providers',
/// then the checks against the account's templates.
pub(crate) fn checks() -> &'static [&'static dyn Rule] {
    static ALL: std::sync::OnceLock<Vec<&'static dyn Rule>> = std::sync::OnceLock::new();
    ALL.get_or_init(|| {
        HYGIENE
            .iter()
            .chain(common::RULES)
            .chain(sandeza::RULES)
            .chain(providers::RULES)
            .chain(templates::RULES)
            .copied()
            .collect()
    })
}

/// Rules the engine implements while reading text.
pub(crate) static ENGINE_RULES: &[RuleInfo] = &[
    RuleInfo {
        name: "parse-error",
        default_severity: Severity::Error,
        source: Source::Provider,
        providers: &[],
        summary: "The payload is not valid JSON (or not UTF-8 text at all).",
        docs: include_str!("docs/parse-error.md"),
    },
    RuleInfo {
        name: "duplicate-key",
        default_severity: Severity::Error,
        source: Source::Provider,
        providers: &[],
        summary: "A key appears twice in one object.",
        docs: include_str!("docs/duplicate-key.md"),
    },
    RuleInfo {
        name: "byte-order-mark",
        default_severity: Severity::Warning,
        source: Source::Provider,
        providers: &[],
        summary: "The file starts with a UTF-8 byte-order mark.",
        docs: include_str!("docs/byte-order-mark.md"),
    },
    RuleInfo {
        name: "payload-too-large",
        default_severity: Severity::Error,
        source: Source::Provider,
        providers: &[],
        summary: "A single payload is larger than any provider accepts (32 MiB).",
        docs: include_str!("docs/payload-too-large.md"),
    },
    RuleInfo {
        name: "unknown-endpoint",
        default_severity: Severity::Error,
        source: Source::Provider,
        providers: &[],
        summary: "preflight cannot tell which endpoint a payload is for.",
        docs: include_str!("docs/unknown-endpoint.md"),
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
    RuleInfo {
        name: "unused-ignore",
        default_severity: Severity::Warning,
        source: Source::Provider,
        providers: &[],
        summary: "An `[[ignore]]` of preflight.toml that suppressed nothing in the files it applies to.",
        docs: include_str!("docs/unused-ignore.md"),
    },
    RuleInfo {
        name: "unmatched-glob",
        default_severity: Severity::Warning,
        source: Source::Provider,
        providers: &[],
        summary: "A glob in preflight.toml that matches no file.",
        docs: include_str!("docs/unmatched-glob.md"),
    },
    RuleInfo {
        name: "expectation-mismatch",
        default_severity: Severity::Error,
        source: Source::Provider,
        providers: &[],
        summary: "`preflight test`: a fixture does not give what it is expected to give.",
        docs: include_str!("docs/expectation-mismatch.md"),
    },
];

/// Checks of whole HTTP requests (`preflight::http::validate_request`,
/// `preflight serve`): headers, content type, uploaded files, routes.
pub(crate) static REQUEST_RULES: &[RuleInfo] = &[
    RuleInfo {
        name: "missing-auth-header",
        default_severity: Severity::Error,
        source: Source::Provider,
        providers: &[],
        summary: "A request without a header the provider reads its credentials from.",
        docs: include_str!("docs/missing-auth-header.md"),
    },
    RuleInfo {
        name: "auth-header-form",
        default_severity: Severity::Error,
        source: Source::Provider,
        providers: &[],
        summary: "A credential header that cannot be a credential: no `Bearer` scheme, a doc placeholder, not text.",
        docs: include_str!("docs/auth-header-form.md"),
    },
    RuleInfo {
        name: "credentials-mismatch",
        default_severity: Severity::Error,
        source: Source::Provider,
        providers: &[],
        summary: "A credential header that differs from the configured one.",
        docs: include_str!("docs/credentials-mismatch.md"),
    },
    RuleInfo {
        name: "wrong-content-type",
        default_severity: Severity::Error,
        source: Source::Provider,
        providers: &[],
        summary: "A request body sent with a `Content-Type` its route does not read.",
        docs: include_str!("docs/wrong-content-type.md"),
    },
    RuleInfo {
        name: "missing-upload-file",
        default_severity: Severity::Error,
        source: Source::Provider,
        providers: &[],
        summary: "An upload route's form without its file in the documented field.",
        docs: include_str!("docs/missing-upload-file.md"),
    },
    RuleInfo {
        name: "upload-file-format",
        default_severity: Severity::Error,
        source: Source::Provider,
        providers: &[],
        summary: "An uploaded recipients file that is not what the route takes (.xlsx, or CSV by the separator).",
        docs: include_str!("docs/upload-file-format.md"),
    },
    RuleInfo {
        name: "sibling-route-body",
        default_severity: Severity::Error,
        source: Source::Provider,
        providers: &[],
        summary: "A body sent to one route that is another documented route's payload.",
        docs: include_str!("docs/sibling-route-body.md"),
    },
    RuleInfo {
        name: "undocumented-route",
        default_severity: Severity::Error,
        source: Source::Provider,
        providers: &[],
        summary: "A request to a path, or with a method, no provider documents.",
        docs: include_str!("docs/undocumented-route.md"),
    },
];

/// Names of the findings JSON Schema keywords produce, with a one-line summary.
pub(crate) static KEYWORD_RULES: &[(&str, &str)] = &[
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

/// Every documented rule (value rules, then engine rules).
pub(crate) fn all_infos() -> impl Iterator<Item = &'static RuleInfo> {
    checks().iter().map(|r| r.info()).chain(ENGINE_RULES.iter())
}

/// True when the rule concerns this endpoint.
pub(crate) fn applies(info: &RuleInfo, endpoint: &Endpoint) -> bool {
    if endpoint.provider == "meta" || info.providers.iter().any(|p| p.starts_with("meta/")) {
        // preflight's own input files: only their schema and their own rules.
        return info.providers.iter().any(|p| endpoint.id.starts_with(p));
    }
    info.providers.is_empty() || info.providers.iter().any(|p| endpoint.id.starts_with(p))
}
