//! Layer 2: what the schemas say, read once per schema node and process: the
//! graph of nodes (resolved `$ref`s, `oneOf`/`anyOf` variants with their
//! discriminators, the cheap checks that rule a variant out) and the `x-`
//! annotations read into typed specs. Rules and translation learn about the
//! schema from here only.

pub(crate) mod delimited;
pub(crate) mod graph;
pub(crate) mod media;
pub(crate) mod phone;
pub(crate) mod variants;
