//! Typed request structs generated from the schemas (see `build.rs`).
