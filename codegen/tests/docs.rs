//! Every generated item is documented in the user's words: its doc says
//! what the thing is (the schema's `title`/`description`, the field's
//! description), never only where it comes from (`Schema: …#/$defs/…`) or a
//! phrase that fits any type ("One of the accepted forms").

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use std::path::Path;

/// Doc lines that say nothing about what the item is.
fn is_boilerplate(line: &str) -> bool {
    let line = line.trim();
    line.is_empty()
        || line.starts_with("Schema: `")
        || line.starts_with("Checked on construction")
        || line == "One of the accepted forms."
        || (line.starts_with("The `") && line.ends_with("` property."))
}

fn doc_text(attrs: &[syn::Attribute]) -> Vec<String> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

#[derive(Default)]
struct Undocumented {
    path: Vec<String>,
    hidden: usize,
    found: Vec<String>,
}

impl Undocumented {
    fn check(&mut self, what: &str, attrs: &[syn::Attribute]) {
        if self.hidden > 0 {
            return;
        }
        let lines = doc_text(attrs);
        if lines.iter().all(|l| is_boilerplate(l)) {
            self.found.push(format!(
                "{}::{what}: {:?}",
                self.path.join("::"),
                lines.join(" / ")
            ));
        }
    }
}

fn is_hidden(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("doc")
            && matches!(&a.meta, syn::Meta::List(l) if l.tokens.to_string() == "hidden")
    })
}

impl Undocumented {
    fn items(&mut self, items: &[syn::Item]) {
        for item in items {
            match item {
                syn::Item::Mod(m) => {
                    let hidden = is_hidden(&m.attrs);
                    self.hidden += usize::from(hidden);
                    self.check(&format!("mod {}", m.ident), &m.attrs);
                    self.path.push(m.ident.to_string());
                    if let Some((_, inner)) = &m.content {
                        self.items(inner);
                    }
                    self.path.pop();
                    self.hidden -= usize::from(hidden);
                }
                syn::Item::Struct(s) => {
                    self.check(&format!("struct {}", s.ident), &s.attrs);
                    for f in &s.fields {
                        if let Some(ident) = &f.ident {
                            self.check(&format!("{}.{ident}", s.ident), &f.attrs);
                        }
                    }
                }
                syn::Item::Enum(e) => {
                    self.check(&format!("enum {}", e.ident), &e.attrs);
                    for v in &e.variants {
                        self.check(&format!("{}::{}", e.ident, v.ident), &v.attrs);
                    }
                }
                syn::Item::Type(t) => self.check(&format!("type {}", t.ident), &t.attrs),
                _ => {}
            }
        }
    }
}

#[test]
fn every_generated_item_says_what_it_is() {
    let schemas = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas");
    let generated =
        preflight_codegen::generate_dir(&schemas, &preflight_codegen::Options::for_preflight())
            .unwrap();
    let file: syn::File = syn::parse2(generated.tokens).unwrap();
    let mut v = Undocumented::default();
    v.items(&file.items);
    assert!(
        v.found.is_empty(),
        "{} generated items are documented only by a pointer or a phrase that fits any type:\n{}",
        v.found.len(),
        v.found.join("\n")
    );
}
