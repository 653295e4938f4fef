//! The variants of a `oneOf`/`anyOf`, `$ref`s followed, and the property
//! that tells them apart (a discriminator): read once per schema node for the
//! graph, so the walk and translation can pick the variant a payload meant.

use crate::engine::schema::refs::resolve_ref;
use crate::engine::schema::registry::Registry;
use serde_json::Value;

/// One variant: where it is and its schema.
pub(crate) struct Variant<'r> {
    /// Its absolute URI (after following `$ref`s).
    pub uri: String,
    /// Its schema.
    pub node: &'r Value,
}

/// The variants of the `oneOf`/`anyOf` array `variants` found at `uri`.
pub(crate) fn resolve_variants_in<'r>(
    registry: &'r Registry,
    uri: &str,
    variants: &'r Value,
) -> Vec<Variant<'r>> {
    let mut out = Vec::new();
    let Some(items) = variants.as_array() else {
        return out;
    };
    for (i, item) in items.iter().enumerate() {
        let mut here = format!("{uri}/{i}");
        let mut node = item;
        for _ in 0..8 {
            match node.get("$ref").and_then(Value::as_str) {
                Some(r) => {
                    let target = resolve_ref(&here, r);
                    match registry.node(&target) {
                        Some(n) => {
                            here = target;
                            node = n;
                        }
                        None => break,
                    }
                }
                None => break,
            }
        }
        out.push(Variant { uri: here, node });
    }
    out
}

/// A property that tells the variants apart: present in every variant's
/// `properties` with a `const` or `enum`, and required by each.
pub(crate) struct Discriminator {
    pub property: String,
    /// Per variant, the values that select it.
    pub values: Vec<Vec<Value>>,
}

pub(crate) fn discriminator(variants: &[Variant<'_>]) -> Option<Discriminator> {
    let first = variants.first()?;
    let props = first.node.get("properties")?.as_object()?;
    'candidate: for name in props.keys() {
        let mut values = Vec::new();
        for v in variants {
            let Some(schema) = v.node.get("properties").and_then(|p| p.get(name)) else {
                continue 'candidate;
            };
            let selecting = if let Some(c) = schema.get("const") {
                vec![c.clone()]
            } else if let Some(e) = schema.get("enum").and_then(Value::as_array) {
                e.clone()
            } else {
                continue 'candidate;
            };
            values.push(selecting);
        }
        // Every value selects one variant only.
        let all: Vec<&Value> = values.iter().flatten().collect();
        let distinct = all
            .iter()
            .enumerate()
            .all(|(i, a)| all[i + 1..].iter().all(|b| a != b));
        if distinct {
            return Some(Discriminator {
                property: name.clone(),
                values,
            });
        }
    }
    None
}

/// The discriminator of a `oneOf`/`anyOf` node at `uri`, as (property,
/// values selecting each variant).
pub(crate) fn discriminator_of(
    registry: &Registry,
    uri: &str,
    variants: &Value,
) -> Option<(String, Vec<Vec<Value>>)> {
    discriminator(&resolve_variants_in(registry, uri, variants)).map(|d| (d.property, d.values))
}

/// Variant URIs of a `oneOf`/`anyOf` node, `$ref`s followed.
pub(crate) fn variant_uris_of(registry: &Registry, uri: &str, variants: &Value) -> Vec<String> {
    resolve_variants_in(registry, uri, variants)
        .into_iter()
        .map(|v| v.uri)
        .collect()
}
