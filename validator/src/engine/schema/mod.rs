//! Layer 1: the schema documents embedded in the binary, the registry of
//! endpoints built from them, `$ref` resolution, and the compiled validators.

pub(crate) mod bundle;
pub(crate) mod documents;
pub(crate) mod refs;
pub(crate) mod registry;
pub(crate) mod tolerate;
