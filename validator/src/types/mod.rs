//! Typed request structs, generated at build time from `schemas/`.
//!
//! `build.rs` runs `preflight-codegen` over the schemas and this module
//! includes the result: one module per provider (`sandeza`, `oca`, `qiscus`,
//! `three_dolphins`, `chatbot`) plus `common`, each request type named
//! `<Endpoint>Request`, nested types named from `$defs` keys and titles, and
//! [`Request`], the enum over every endpoint. The hand-written [`runtime`]
//! holds what every generated type shares: bounded vectors, constrained
//! strings and numbers, literals that keep their spelling, the
//! [`Endpoint`] trait and [`ParseError`].
//!
//! What the types hold: required fields (constructors take them), lengths,
//! patterns, formats, numeric bounds and item counts (checked on
//! construction and deserialization), `const` values, discriminated
//! `oneOf`s (enums) and closed objects (`deny_unknown_fields`). What they
//! leave to the validator: rules that span fields or live in prose (the
//! provider rules), unions that only ask more of one object, and
//! warning-level limits. [`Request::parse`] runs it, so a parsed request is
//! a payload preflight accepts; [`Endpoint::validate`] runs it on a value
//! built in code (and reports warnings too).
//!
//! ```
//! use preflight::types::Request;
//!
//! let json = r#"{"phone_number": "6281234567890", "message": {"type": "template",
//!     "template": {"template_code_id": "tagihan_bulanan_v2", "payload": []}}}"#;
//! let request = Request::parse("oca/push-message", json)?;
//! assert_eq!(request.endpoint_id(), "oca/push-message");
//! assert!(!request.validate().has_errors());
//! # Ok::<(), preflight::types::ParseError>(())
//! ```

pub mod runtime;

pub use runtime::{ConstraintError, Endpoint, Finding, ParseError};

include!(concat!(env!("OUT_DIR"), "/types.rs"));
