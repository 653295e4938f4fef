//! # preflight-server
//!
//! `preflight serve`: a local stand-in for every provider preflight knows, and
//! a gate in front of the real ones. Each request is checked with
//! [`preflight::http::validate_request`] — the library is the only validator —
//! answered like the provider, and recorded.

pub mod answers;
pub mod callbacks;
pub mod client;
pub mod gate;
pub mod webhook_test;
