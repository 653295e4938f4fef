//! How a run is configured: rule levels and the Sandeza password.

use crate::Diagnostic;
use std::collections::HashMap;

/// A configured severity for a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Report as an error.
    Error,
    /// Report as a warning.
    Warning,
    /// Do not report.
    Off,
}

/// Options for a validation run. Its `Debug` shows whether a Sandeza
/// password is set, never the password.
#[derive(Clone, Default)]
#[non_exhaustive]
pub struct Options {
    /// Severity overrides by rule name.
    pub levels: HashMap<String, Level>,
    /// The Sandeza account password: when set, `signature` is checked to equal
    /// sha256(username + password + time). Never printed.
    pub sandeza_password: Option<String>,
    /// The account's registered templates: when set, every template send is
    /// checked against the template it names (see [`crate::templates`]).
    pub templates: Option<std::sync::Arc<crate::templates::Templates>>,
    /// The account's credentials, by provider (`qiscus`) and header name
    /// (`Qiscus-Secret-Key`, matched case-insensitively): when set, a
    /// request's header is checked to carry this value (for a header with a
    /// scheme, such as 3Dolphins' `Bearer`, the token after it) by
    /// [`crate::http::validate_request`]. Never printed.
    pub credentials: HashMap<String, HashMap<String, String>>,
}

impl std::fmt::Debug for Options {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Options")
            .field("levels", &self.levels)
            .field(
                "sandeza_password",
                &self.sandeza_password.as_ref().map(|_| "<redacted>"),
            )
            .field("templates", &self.templates)
            .field(
                "credentials",
                &self
                    .credentials
                    .iter()
                    .map(|(p, h)| (p, h.keys().map(|k| (k, "<redacted>")).collect::<Vec<_>>()))
                    .collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl Options {
    /// The configured level of a rule, if any.
    pub fn level(&self, rule: &str) -> Option<Level> {
        self.levels.get(rule).copied()
    }

    /// Applies the configured levels to findings made outside the library
    /// (a file too large to read, say): `off` drops a finding, `error` and
    /// `warning` set its severity.
    pub fn apply_levels(&self, diagnostics: &mut Vec<Diagnostic>) {
        crate::engine::pipeline::apply_levels(diagnostics, self);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn debug_hides_the_password() {
        let options = super::Options {
            sandeza_password: Some("rahasia123".to_string()),
            credentials: [(
                "qiscus".to_string(),
                [("Qiscus-Secret-Key".to_string(), "sk-9f8e7d".to_string())].into(),
            )]
            .into(),
            ..Default::default()
        };
        let shown = format!("{options:?}");
        assert!(!shown.contains("rahasia123"), "{shown}");
        assert!(!shown.contains("sk-9f8e7d"), "{shown}");
        assert!(shown.contains("<redacted>"), "{shown}");
    }
}
