//! Generates the typed templates of `examples/templates/` for the tests
//! (`preflight_tests::templates`), the way a user's build script does.
//! (Cargo runs it from the package's directory, so the path is relative to
//! `tests/`.)

fn main() -> Result<(), Box<dyn std::error::Error>> {
    preflight_codegen::templates::build(
        &["../examples/templates/message_templates.json"],
        "templates.rs",
    )?;
    Ok(())
}
