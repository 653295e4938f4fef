//! Typed templates: one Rust type per registered WhatsApp template and
//! language, read from templates files (Meta's `message_templates` export,
//! as `preflight-templates` reads it), whose fields are the template's
//! placeholders and whose methods turn a value into each provider's
//! request parts.
//!
//! What a generated type looks like, for `pengingat_tagihan` in `id`
//! (`Halo {{1}}, tagihan listrik Anda sebesar {{2}} jatuh tempo pada {{3}}.`):
//! a struct `PengingatTagihanId` with `body_1`, `body_2` and `body_3`, each
//! a `preflight::types::common::TemplateTextParameter`; the consts `NAME`,
//! `LANGUAGE`, `CATEGORY`, `STATUS` and `CANNOT_SEND`; and `to_sandeza`,
//! `to_oca`, `to_qiscus` and `to_3dolphins`, each generated only when the
//! provider can carry every part the template needs (`CANNOT_SEND` says
//! why the others are missing). The field names:
//!
//! | template part | field | type |
//! | --- | --- | --- |
//! | body `{{n}}` (positional) | `body_n` | `common::TemplateTextParameter` |
//! | body `{{name}}` (NAMED) | `name` (snake case) | `common::TemplateTextParameter` |
//! | TEXT header `{{1}}` / `{{name}}` | `header_1` / `name` (`header_name` when the body has `name` too) | `common::HeaderTextParameter` |
//! | IMAGE, VIDEO, DOCUMENT header | `header_image`, `header_video`, `header_document` | `ImageLink`, `VideoLink`, `DocumentLink` (URLs checked when made) |
//! | LOCATION header | `header_location` | `sandeza::TemplateLocation` |
//! | button `i`, URL with `{{1}}` | `button_i_suffix` | `common::UrlButtonSuffix` |
//! | button `i`, COPY_CODE | `button_i_coupon` | `common::CouponCode` |
//! | button `i`, MPM | `button_i_products` | `sandeza::MpmAction` |
//! | carousel card `c` | `card_c_header_image`, `card_c_body_n`, `card_c_button_i_suffix` | as above |
//!
//! Static buttons (a URL without `{{1}}`, a phone number, quick replies,
//! catalog, flow) take no field; an AUTHENTICATION template's OTP button
//! sends the body's `{{1}}`, the code, so it takes none either. The text
//! types hold lengths; a newline, tab or run of spaces in a value (the
//! schema's `x-format`) is left to validation.
//!
//! The generated code refers to the `preflight` and `serde_json` crates
//! and defines a few items once (`ImageLink`, `VideoLink`, `DocumentLink`,
//! `SandezaParts`, `QiscusParts`, `DolphinsParts`): include each generated
//! file in a module of its own.
//!
//! Type names are the template's name and language in PascalCase
//! (`otp_login` in `en_US` is `OtpLoginEnUs`); names that would meet (or
//! meet the file's shared items) get a number, in file order.
//!
//! ```
//! let source = preflight_codegen::templates::generate_text(
//!     "templates.json",
//!     r#"{"data": [{"name": "pengingat_tagihan", "language": "id", "status": "APPROVED",
//!        "category": "UTILITY", "components": [{"type": "BODY", "text": "Halo {{1}}, tagihan {{2}}"}]}]}"#,
//! )?;
//! assert!(source.contains("pub struct PengingatTagihanId"));
//! assert!(source.contains("pub body_2: ::preflight::types::common::TemplateTextParameter"));
//! # Ok::<(), preflight_codegen::templates::TemplatesError>(())
//! ```

mod emit;
mod plan;

use std::path::{Path, PathBuf};

use preflight_templates::{LoadError, Template, TemplateSet};

pub use plan::{Field, FieldKind, Plan, plan};

/// Why typed templates could not be generated.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TemplatesError {
    /// A templates file cannot be read.
    #[error("{file}: cannot read: {source}")]
    Read {
        /// The file, as given.
        file: String,
        /// The reason.
        source: std::io::Error,
    },
    /// A templates file is not JSON, or not templates.
    #[error("{message}")]
    Parse {
        /// The file, as given.
        file: String,
        /// What is wrong, starting with the file and then its line and
        /// column or the pointer (`templates.json:3:1: not JSON: …`).
        message: String,
    },
    /// The same template name and language in two places.
    #[error("{file}: template `{name}` ({language}) is defined twice (also at {first})")]
    Duplicate {
        /// Where the second definition is.
        file: String,
        /// The template's name.
        name: String,
        /// Its language.
        language: String,
        /// The first definition's file and pointer.
        first: String,
    },
    /// The generated code does not parse (a bug in the generator).
    #[error("generated code does not parse: {0}")]
    Format(String),
    /// The output file cannot be written.
    #[error("{file}: cannot write: {source}")]
    Write {
        /// The output path.
        file: String,
        /// The reason.
        source: std::io::Error,
    },
}

fn parse_error(file: &str, e: LoadError) -> TemplatesError {
    TemplatesError::Parse {
        file: file.to_string(),
        message: e.to_string(),
    }
}

/// Reads the templates of `files` (each a file; a directory's `.json`
/// files, in name order), in order.
///
/// # Errors
/// A file cannot be read or is not a templates file; a name and language
/// defined twice.
pub fn read(files: &[impl AsRef<Path>]) -> Result<Vec<Template>, TemplatesError> {
    let mut texts = Vec::new();
    for f in files {
        let f = f.as_ref();
        let mut paths = Vec::new();
        if f.is_dir() {
            preflight_templates::json_files(f, &mut paths).map_err(|source| {
                TemplatesError::Read {
                    file: f.display().to_string(),
                    source,
                }
            })?;
        } else {
            paths.push(f.to_path_buf());
        }
        for p in paths {
            let name = p.display().to_string();
            let text = std::fs::read_to_string(&p).map_err(|source| TemplatesError::Read {
                file: name.clone(),
                source,
            })?;
            texts.push((name, text));
        }
    }
    templates_of(texts.iter().map(|(f, t)| (f.as_str(), t.as_str())))
}

/// The templates of `(file name, text)` pairs, in order.
fn templates_of<'a>(
    texts: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<Vec<Template>, TemplatesError> {
    let mut out: Vec<Template> = Vec::new();
    for (file, text) in texts {
        let mut set = TemplateSet::new();
        set.add_text(file, text).map_err(|e| parse_error(file, e))?;
        for t in set.iter() {
            if let Some(first) = out
                .iter()
                .find(|o| o.name == t.name && o.language == t.language)
            {
                return Err(TemplatesError::Duplicate {
                    file: file.to_string(),
                    name: t.name.clone(),
                    language: t.language.clone(),
                    first: format!("{}#{}", first.origin.file, first.origin.pointer),
                });
            }
            out.push(t.clone());
        }
    }
    Ok(out)
}

/// The typed templates of `templates` as tokens.
pub fn generate(templates: &[Template]) -> proc_macro2::TokenStream {
    emit::file(&plan(templates))
}

/// The typed templates of `templates`, formatted.
///
/// # Errors
/// Only [`TemplatesError::Format`], a bug.
pub fn generate_source(templates: &[Template]) -> Result<String, TemplatesError> {
    let tokens = generate(templates);
    let file: syn::File = syn::parse2(tokens).map_err(|e| TemplatesError::Format(e.to_string()))?;
    Ok(prettyplease::unparse(&file))
}

/// The typed templates of one templates document's text, named `file` in
/// errors, formatted.
///
/// # Errors
/// The text is not a templates file.
pub fn generate_text(file: &str, text: &str) -> Result<String, TemplatesError> {
    generate_source(&templates_of([(file, text)])?)
}

/// The typed templates of `files`, formatted.
///
/// # Errors
/// As [`read`].
pub fn generate_files(files: &[impl AsRef<Path>]) -> Result<String, TemplatesError> {
    generate_source(&read(files)?)
}

/// Writes the typed templates of `files` to `out`.
///
/// # Errors
/// As [`read`], and [`TemplatesError::Write`].
pub fn write(files: &[impl AsRef<Path>], out: impl AsRef<Path>) -> Result<(), TemplatesError> {
    let source = generate_files(files)?;
    let out = out.as_ref();
    std::fs::write(out, source).map_err(|source| TemplatesError::Write {
        file: out.display().to_string(),
        source,
    })
}

/// For a build script: writes the typed templates of `files` to
/// `$OUT_DIR/<file_name>` and prints `cargo:rerun-if-changed` for every
/// file given, so the code follows the templates. Returns the path
/// written, for `include!`.
///
/// ```no_run
/// // build.rs
/// fn main() -> Result<(), Box<dyn std::error::Error>> {
///     preflight_codegen::templates::build(&["templates/message_templates.json"], "templates.rs")?;
///     Ok(())
/// }
/// // src/templates.rs:
/// // include!(concat!(env!("OUT_DIR"), "/templates.rs"));
/// ```
///
/// # Errors
/// `OUT_DIR` is not set (not in a build script), and as [`write`].
pub fn build(files: &[impl AsRef<Path>], file_name: &str) -> Result<PathBuf, TemplatesError> {
    for f in files {
        println!("cargo:rerun-if-changed={}", f.as_ref().display());
    }
    let dir = std::env::var_os("OUT_DIR").ok_or_else(|| TemplatesError::Write {
        file: file_name.to_string(),
        source: std::io::Error::new(
            std::io::ErrorKind::NotFound,
            "OUT_DIR is not set: call this from a build script",
        ),
    })?;
    let out = Path::new(&dir).join(file_name);
    write(files, &out)?;
    Ok(out)
}
