//! `preflight-codegen`: typed Rust request structs from preflight's JSON Schemas.
//!
//! A pure library: schemas in, a [`proc_macro2::TokenStream`] or formatted
//! source out. It prints nothing, reads no environment variables and knows
//! nothing of `OUT_DIR`; `validator/build.rs` and the `preflight-codegen`
//! binary are thin front ends around [`generate`]. (The one exception is
//! [`templates::build`], the build-script helper of typed templates, which
//! writes to `OUT_DIR` and prints `cargo:rerun-if-changed`.)
//!
//! [`templates`] generates typed templates: one type per WhatsApp template
//! and language of the account's templates files, whose fields are the
//! template's placeholders.
//!
//! The pipeline is schema → IR (`parse`) → names (`names`) → tokens
//! (`emit`): `$ref`s are resolved natively (local pointers at any depth,
//! nested `$defs`, other files, `$anchor`), names come from `$defs` keys,
//! titles and property paths, and anything the generator cannot express is
//! a [`CodegenError`] naming the file, the pointer and the reason — never a
//! panic. What the types cannot hold (cross-field rules, `minProperties`,
//! `x-format` syntaxes) stays with the validator, which the generated
//! `validate()` runs.
//!
//! ```
//! let mut set = preflight_codegen::SchemaSet::new();
//! set.add("demo/ping.json", r#"{
//!     "type": "object",
//!     "properties": {"id": {"type": "string", "maxLength": 8}},
//!     "required": ["id"],
//!     "additionalProperties": false
//! }"#)?;
//! let source = preflight_codegen::generate_source(&set, &preflight_codegen::Options::default())?;
//! assert!(source.contains("pub struct PingRequest"));
//! # Ok::<(), preflight_codegen::CodegenError>(())
//! ```

mod case;
mod docs;
mod emit;
mod error;
mod ir;
mod names;
mod parse;
mod schema_set;
pub mod templates;

pub use error::{CodegenError, ErrorKind};
pub use schema_set::{Document, SchemaSet};

/// What to generate and which paths the generated code refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Options {
    /// Path of the runtime support module (bounded vectors, constrained
    /// strings, literals), as seen from where the code is included.
    /// `crate::types::runtime` inside preflight, `::preflight::types::runtime`
    /// elsewhere.
    pub runtime: String,
    /// Emit the `Request` enum over every endpoint (needs `runtime::ParseError`).
    pub request_enum: bool,
    /// Implement `runtime::Endpoint` for each request type (its `validate()`
    /// calls the preflight validator, so only for preflight's own schemas).
    pub endpoint_impls: bool,
    /// Emit `proptest::arbitrary::Arbitrary` impls behind this cargo feature.
    pub proptest_feature: Option<String>,
    /// Derive `schemars::JsonSchema` behind this cargo feature.
    pub schemars_feature: Option<String>,
}

impl Default for Options {
    /// Code for a crate that depends on `preflight` (the binary's default).
    fn default() -> Self {
        Self {
            runtime: "::preflight::types::runtime".into(),
            request_enum: true,
            endpoint_impls: false,
            proptest_feature: None,
            schemars_feature: None,
        }
    }
}

impl Options {
    /// The options `validator/build.rs` uses: code included in preflight itself.
    #[must_use]
    pub fn for_preflight() -> Self {
        Self {
            runtime: "crate::types::runtime".into(),
            request_enum: true,
            endpoint_impls: true,
            proptest_feature: Some("proptest".into()),
            schemars_feature: Some("schemars".into()),
        }
    }

    /// Sets the runtime path.
    #[must_use]
    pub fn with_runtime(mut self, path: impl Into<String>) -> Self {
        self.runtime = path.into();
        self
    }

    /// Sets the feature that gates the `Arbitrary` impls (`None`: no impls).
    #[must_use]
    pub fn with_proptest_feature(mut self, feature: Option<String>) -> Self {
        self.proptest_feature = feature;
        self
    }

    /// Sets the feature that gates `derive(schemars::JsonSchema)` (`None`: no
    /// derives). The crate including the code needs `schemars` 1.x as an
    /// optional dependency enabled by that feature.
    #[must_use]
    pub fn with_schemars_feature(mut self, feature: Option<String>) -> Self {
        self.schemars_feature = feature;
        self
    }
}

/// One endpoint found in the schema set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointInfo {
    /// `<provider>/<endpoint>`.
    pub id: String,
    /// Rust module of the provider.
    pub module: String,
    /// Name of the request type in that module.
    pub type_name: String,
}

/// The generated code and what it contains.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The code, unformatted.
    pub tokens: proc_macro2::TokenStream,
    /// Every endpoint, in file order.
    pub endpoints: Vec<EndpointInfo>,
}

impl Generated {
    /// The code formatted with prettyplease.
    ///
    /// # Errors
    ///
    /// Only if the generator produced tokens that are not a Rust file (a bug).
    pub fn to_source(&self) -> Result<String, CodegenError> {
        let file: syn::File = syn::parse2(self.tokens.clone()).map_err(|e| {
            CodegenError::new(
                ErrorKind::Unsupported,
                "",
                "",
                format!("generated code does not parse: {e}"),
            )
        })?;
        Ok(prettyplease::unparse(&file))
    }
}

/// Generates the types of every schema in `set`. Files under `common/` are
/// shared pieces (module `common`); every other file is an endpoint
/// `<provider>/<endpoint>` whose root becomes `<provider>::<Endpoint>Request`.
///
/// # Errors
///
/// A [`CodegenError`] naming the file, pointer and reason for any schema the
/// generator cannot turn into Rust.
pub fn generate(set: &SchemaSet, options: &Options) -> Result<Generated, CodegenError> {
    let mut ir = parse::Parser::new(set).parse()?;
    names::assign(&mut ir)?;
    docs::fill(&mut ir);
    let emitter = emit::Emitter::new(&ir, options)?;
    let tokens = emitter.emit()?;
    let endpoints = ir
        .endpoints
        .iter()
        .map(|e| EndpointInfo {
            id: e.id.clone(),
            module: e.module.clone(),
            type_name: ir
                .types
                .get(e.root)
                .map(|t| t.name.clone())
                .unwrap_or_default(),
        })
        .collect();
    Ok(Generated { tokens, endpoints })
}

/// [`generate`], formatted.
///
/// # Errors
///
/// As [`generate`].
pub fn generate_source(set: &SchemaSet, options: &Options) -> Result<String, CodegenError> {
    generate(set, options)?.to_source()
}

/// Loads every `*.json` under `dir` and generates their types.
///
/// # Errors
///
/// A file cannot be read or parsed, or [`generate`] fails.
pub fn generate_dir(dir: &std::path::Path, options: &Options) -> Result<Generated, CodegenError> {
    let set = SchemaSet::load_dir(dir)?;
    generate(&set, options)
}
