//! The library's error type: the tool failed (as opposed to the payload being
//! invalid, which is a [`crate::Report`] with findings).

/// Something preflight could not do.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The endpoint id is not one preflight knows.
    #[error("unknown endpoint '{id}'{}; run `preflight endpoints` for the list", suggestion.as_ref().map(|s| format!(" (did you mean '{s}'?)")).unwrap_or_default())]
    UnknownEndpoint {
        /// The id given.
        id: String,
        /// The closest known id, if one is close.
        suggestion: Option<String>,
    },
    /// The rule name is not one preflight knows.
    #[error("unknown rule '{name}'{}; `preflight rules` lists them", suggestion.as_ref().map(|s| format!(" (did you mean '{s}'?)")).unwrap_or_default())]
    UnknownRule {
        /// The name given.
        name: String,
        /// The closest known name, if one is close.
        suggestion: Option<String>,
    },
    /// An embedded schema failed to compile (a bug in preflight, not in the payload).
    #[error("compiling the schema of '{endpoint}': {reason}")]
    Schema {
        /// The endpoint whose schema failed.
        endpoint: String,
        /// What went wrong.
        reason: String,
    },
    /// An embedded schema could not be made self-contained (a bug in
    /// preflight, not in the payload).
    #[error("bundling the schema of '{endpoint}': {reason}")]
    Bundle {
        /// The endpoint whose schema failed.
        endpoint: String,
        /// What went wrong.
        reason: String,
    },
    /// A value could not be turned into a payload.
    #[error("serializing the payload: {0}")]
    Serialize(#[from] serde_json::Error),
}
