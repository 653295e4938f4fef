//! Generates `preflight::types` from `schemas/` (see `src/types/mod.rs`).
//!
//! The generator is a pure library; this script only finds the schemas,
//! writes the code to `OUT_DIR/types.rs` and tells cargo when to run again.
//! A schema the generator cannot handle fails the build with the file, the
//! JSON pointer and the reason.
//!
//! The code is written as one token stream, not run through prettyplease:
//! rustc does not care, and formatting would triple the script's time. The
//! formatted source of every schema is in `codegen/tests/snapshots/`, and
//! `PREFLIGHT_FORMAT_TYPES=1` formats this file too (for reading compiler
//! errors in it).

use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let schemas = manifest.join("../schemas");
    println!("cargo:rerun-if-changed={}", schemas.display());
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=PREFLIGHT_FORMAT_TYPES");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default()).join("types.rs");
    let started = std::time::Instant::now();
    let format = std::env::var_os("PREFLIGHT_FORMAT_TYPES").is_some_and(|v| v == "1");
    let options = preflight_codegen::Options::for_preflight();
    let source = preflight_codegen::generate_dir(&schemas, &options).and_then(|g| {
        if format {
            g.to_source()
        } else {
            Ok(g.tokens.to_string())
        }
    });
    let source = match source {
        Ok(s) => s,
        Err(e) => {
            println!("cargo:warning=preflight-codegen: schemas/{e}");
            eprintln!("preflight-codegen failed on schemas/{e}");
            std::process::exit(1);
        }
    };
    let elapsed = started.elapsed();
    // Rewrite only on change, so an unchanged schema set does not recompile the crate.
    if std::fs::read_to_string(&out).ok().as_deref() != Some(source.as_str())
        && let Err(e) = std::fs::write(&out, source)
    {
        eprintln!("writing {}: {e}", out.display());
        std::process::exit(1);
    }
    // Visible with `cargo build -vv`; the README quotes this number.
    eprintln!(
        "preflight-codegen: generated types in {} µs",
        elapsed.as_micros()
    );
}
