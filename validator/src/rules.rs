//! What preflight checks: its own rules, the checks of the input text, and
//! the JSON Schema keywords it reports, each with a name, a default
//! severity, whose rule it is, a one-line summary and a Markdown doc.
//!
//! ```
//! let rule = preflight::rules::get("phone-format")?;
//! assert_eq!(rule.kind(), preflight::rules::RuleKind::Payload);
//! assert!(rule.docs.contains("## Why is this bad?"));
//! assert!(preflight::rules::all().any(|r| r.name == "max-length"));
//! # Ok::<(), preflight::Error>(())
//! ```

use crate::Error;
use crate::diagnostic::{Severity, Source};
use crate::engine::rules as registry;
pub use crate::engine::rules::context::RuleInfo;
use std::sync::OnceLock;

/// What a rule looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RuleKind {
    /// One of preflight's own rules on a payload's values.
    Payload,
    /// A check of the input itself: its text, its size, where it came from
    /// (`parse-error`, `duplicate-key`, `payload-too-large`, …).
    Input,
    /// A check of a whole HTTP request: its headers, its content type, the
    /// file it uploads, its route (`preflight serve`).
    Request,
    /// A JSON Schema keyword (`required`, `max-length`, …): the limit, its
    /// severity and whose rule it is come from the endpoint's schema.
    Keyword,
}

/// The doc every keyword shares (its limit is the schema's).
const KEYWORD_DOC: &str = include_str!("engine/rules/docs/keyword.md");

fn keywords() -> &'static [RuleInfo] {
    static KEYWORDS: OnceLock<Vec<RuleInfo>> = OnceLock::new();
    KEYWORDS.get_or_init(|| {
        registry::KEYWORD_RULES
            .iter()
            .map(|(name, summary)| RuleInfo {
                name,
                default_severity: Severity::Error,
                source: Source::Provider,
                providers: &[],
                summary,
                docs: KEYWORD_DOC,
            })
            .collect()
    })
}

/// Every rule, check and keyword: preflight's rules in listing order, then
/// the input checks, then the keywords.
pub fn all() -> impl Iterator<Item = &'static RuleInfo> {
    registry::all_infos()
        .chain(registry::REQUEST_RULES)
        .chain(keywords())
}

/// The rule, check or keyword named `name`.
///
/// # Errors
/// [`Error::UnknownRule`], with the closest name when there is one.
pub fn get(name: &str) -> Result<&'static RuleInfo, Error> {
    all()
        .find(|r| r.name == name)
        .ok_or_else(|| Error::UnknownRule {
            name: name.to_string(),
            suggestion: crate::engine::text::suggest::closest(name, all().map(|r| r.name)),
        })
}

impl RuleInfo {
    /// What the rule looks at.
    pub fn kind(&self) -> RuleKind {
        if registry::KEYWORD_RULES.iter().any(|(n, _)| *n == self.name) {
            RuleKind::Keyword
        } else if registry::REQUEST_RULES.iter().any(|r| r.name == self.name) {
            RuleKind::Request
        } else if registry::ENGINE_RULES.iter().any(|r| r.name == self.name) {
            RuleKind::Input
        } else {
            RuleKind::Payload
        }
    }

    /// True when the rule concerns endpoint `id` (`providers` empty: all).
    pub fn applies_to(&self, id: &str) -> bool {
        self.providers.is_empty() || self.providers.iter().any(|p| id.starts_with(p))
    }
}
