//! Docs for what the schema left undescribed, so every generated item says
//! what it is in the schema's words rather than only where it comes from.
//!
//! A type without a `description` takes its `title`; one without either
//! takes the description of the property it is the value (or an item) of.
//! A field without a description takes its type's; a union variant without
//! one takes its payload's.

use crate::ir::{Ir, Kind, Shape, TypeId};

/// The first named type a shape refers to, and whether it is an item.
fn target(shape: &Shape) -> Option<(TypeId, bool)> {
    match shape {
        Shape::Named(id) => Some((*id, false)),
        Shape::Array { items, .. } => target(items).map(|(id, _)| (id, true)),
        Shape::Map(inner) | Shape::Nullable(inner) => target(inner),
        _ => None,
    }
}

fn first_sentence(text: &str) -> &str {
    text.lines().next().unwrap_or("")
}

pub(crate) fn fill(ir: &mut Ir) {
    // 1. A type's own title.
    for t in &mut ir.types {
        if t.doc.is_none() {
            t.doc.clone_from(&t.title);
        }
    }
    // 2. The property it is the value of.
    let mut from_fields: Vec<(TypeId, String)> = Vec::new();
    for t in &ir.types {
        let Kind::Struct(s) = &t.kind else { continue };
        for f in &s.fields {
            let (Some((id, item)), Some(doc)) = (target(&f.shape), &f.doc) else {
                continue;
            };
            let text = if item {
                format!("One item of `{}` in [`{}`]: {doc}", f.raw, t.name)
            } else {
                doc.clone()
            };
            from_fields.push((id, text));
        }
    }
    for (id, text) in from_fields {
        if let Some(t) = ir.types.get_mut(id)
            && t.doc.is_none()
        {
            t.doc = Some(text);
        }
    }
    // 3. Fields and variants from their types.
    let docs: Vec<Option<String>> = ir.types.iter().map(|t| t.doc.clone()).collect();
    let doc_of = |shape: &Shape| {
        target(shape)
            .and_then(|(id, _)| docs.get(id).cloned().flatten())
            .map(|d| first_sentence(&d).to_string())
    };
    for t in &mut ir.types {
        match &mut t.kind {
            Kind::Struct(s) => {
                for f in &mut s.fields {
                    if f.doc.is_none() {
                        f.doc = doc_of(&f.shape);
                    }
                }
            }
            Kind::Untagged(vs) => {
                for v in vs {
                    if v.doc.is_none() {
                        v.doc = doc_of(&v.shape).or_else(|| plain(&v.shape).map(str::to_string));
                    }
                }
            }
            _ => {}
        }
    }
}

/// What a variant of a plain JSON type holds.
fn plain(shape: &Shape) -> Option<&'static str> {
    Some(match shape {
        Shape::String => "As a string.",
        Shape::Bool => "As a JSON boolean (`true` or `false`).",
        Shape::Integer => "As an integer.",
        Shape::Number => "As a number.",
        Shape::Null => "`null`.",
        Shape::Object => "As a JSON object.",
        Shape::Array { .. } => "As an array.",
        _ => return None,
    })
}
