//! The one error type of the generator.
//!
//! Every failure names the schema file, the JSON pointer inside it and the
//! reason, so a schema author can jump to the node. The generator never
//! panics on input: anything it cannot turn into Rust is one of these.

/// What went wrong, for callers that match on it rather than on the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A schema file could not be read.
    Io,
    /// A schema file is not valid JSON, or not a JSON Schema object.
    Json,
    /// A `$ref` points at a file, pointer or anchor that does not exist.
    Reference,
    /// The schema uses a keyword or shape the generator does not turn into types.
    Unsupported,
    /// Two things want the same Rust name and no readable way apart was found.
    Naming,
    /// The schema contradicts itself (for example `allOf` of `string` and `integer`).
    Contradiction,
}

/// A schema the generator could not turn into Rust.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}#{pointer}: {reason}")]
pub struct CodegenError {
    /// The schema file, relative to the schema root (`sandeza/send.json`).
    pub file: String,
    /// The RFC 6901 pointer of the offending node inside that file (`""` for the root).
    pub pointer: String,
    /// What is wrong, in a sentence.
    pub reason: String,
    /// The kind of failure.
    pub kind: ErrorKind,
}

impl CodegenError {
    pub(crate) fn new(
        kind: ErrorKind,
        file: impl Into<String>,
        pointer: impl Into<String>,
        reason: impl Into<String>,
    ) -> Self {
        Self {
            file: file.into(),
            pointer: pointer.into(),
            reason: reason.into(),
            kind,
        }
    }
}
