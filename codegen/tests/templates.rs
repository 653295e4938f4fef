//! Typed templates: the generated source of `examples/templates/` as an
//! insta snapshot (a template or generator edit shows up as a reviewable
//! diff), and the errors a templates file that cannot be read gives.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use std::path::{Path, PathBuf};

use preflight_codegen::templates::{self, TemplatesError};

fn example_file() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/templates/message_templates.json")
}

#[test]
fn example_templates() {
    let source = templates::generate_files(&[example_file()]).unwrap();
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_snapshot!("templates__message_templates", source));
}

#[test]
fn a_file_that_cannot_be_read_is_named() {
    let missing = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/no-such-templates.json");
    let err = templates::generate_files(&[&missing]).unwrap_err();
    assert!(matches!(err, TemplatesError::Read { .. }));
    assert!(err.to_string().contains("no-such-templates.json"), "{err}");
}

#[test]
fn a_file_that_is_not_templates_is_named() {
    let err = templates::generate_text("akun.json", "{\"data\": [").unwrap_err();
    assert!(matches!(err, TemplatesError::Parse { .. }));
    assert!(err.to_string().starts_with("akun.json:1:"), "{err}");
    let err = templates::generate_text("akun.json", "[{\"language\": \"id\"}]").unwrap_err();
    assert!(err.to_string().contains("`name`"), "{err}");
}

#[test]
fn a_template_defined_twice_is_an_error() {
    let text = r#"[{"name": "a", "language": "id"}, {"name": "a", "language": "id"}]"#;
    let err = templates::generate_text("akun.json", text).unwrap_err();
    assert!(matches!(err, TemplatesError::Duplicate { .. }), "{err}");
}

#[test]
fn names_that_would_collide_get_distinct_types() {
    let text = r#"[{"name": "promo_1212", "language": "id"}, {"name": "promo-1212", "language": "id"},
        {"name": "Promo1212", "language": "id"}, {"name": "sandeza_parts", "language": ""}]"#;
    let source = templates::generate_text("akun.json", text).unwrap();
    for name in [
        "Promo1212Id",
        "Promo1212Id2",
        "Promo1212Id3",
        "SandezaParts2",
    ] {
        assert!(
            source.contains(&format!("pub struct {name} ")),
            "{name} in:\n{source}"
        );
    }
    // The generated file parses as Rust with every name once.
    let file: syn::File = syn::parse_str(&source).unwrap();
    let mut names: Vec<String> = file
        .items
        .iter()
        .filter_map(|i| match i {
            syn::Item::Struct(s) => Some(s.ident.to_string()),
            syn::Item::Type(t) => Some(t.ident.to_string()),
            _ => None,
        })
        .collect();
    let n = names.len();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), n);
}
