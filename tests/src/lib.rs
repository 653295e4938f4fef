//! Integration tests for preflight live in `tests/`; this crate has no library code.
