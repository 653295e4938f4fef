//! Which endpoint a payload is for, from its shape: the only schema it
//! satisfies, else the one whose top-level fields it matches best.
//! (Callers that know more, such as a path or a configured mapping, say so
//! before asking.)

use crate::Diagnostic;
use crate::engine::schema::refs::resolve_ref;
use crate::engine::schema::registry::{Endpoint, Registry};
use serde_json::Value;

/// The endpoint a payload's shape fits: the only schema it satisfies, else the
/// only one whose top-level fields it matches best. Otherwise a finding that
/// names the candidates and how to choose.
pub fn from_shape(value: &Value) -> Result<&'static Endpoint, Box<Diagnostic>> {
    let registry = match Registry::get() {
        Ok(r) => r,
        Err(e) => {
            return Err(Box::new(Diagnostic::error(
                "unknown-endpoint",
                "",
                format!("internal error: {e}"),
            )));
        }
    };
    if looks_like_templates(value) {
        return Err(Box::new(
            Diagnostic::error(
                "unknown-endpoint",
                "",
                "cannot tell which endpoint this payload is for: it looks like a WhatsApp templates file \
                 (Meta's `message_templates` export: templates with `name`, `language` and `components`), not a payload",
            )
            .with_help(
                "pass it with `--templates PATH`, or list it in preflight.toml's `[templates] files`; \
                 templates files are then left out of the payloads",
            ),
        ));
    }
    let endpoints = registry.endpoints();
    let valid: Vec<&'static Endpoint> = endpoints
        .iter()
        .filter(|e| e.validator().is_ok_and(|v| v.is_valid(value)))
        .collect();
    if valid.len() == 1 {
        return Ok(valid[0]);
    }
    let candidates: Vec<&'static Endpoint> = if valid.len() > 1 {
        // Several schemas accept it: the one whose fields it uses most fully
        // (a broadcast without `whatsappRecipient` is a plain broadcast).
        let coverage: Vec<(f64, &'static Endpoint)> = valid
            .iter()
            .map(|e| (coverage(value, registry, e), *e))
            .collect();
        let best = coverage.iter().map(|(c, _)| *c).fold(0.0_f64, f64::max);
        let top: Vec<&'static Endpoint> = coverage
            .iter()
            .filter(|(c, _)| (best - *c).abs() < 1e-9)
            .map(|(_, e)| *e)
            .collect();
        if top.len() == 1 {
            return Ok(top[0]);
        }
        top
    } else {
        let scored: Vec<(i64, &'static Endpoint)> = endpoints
            .iter()
            .map(|e| (fit(value, registry, e), e))
            .filter(|(s, _)| *s > 0)
            .collect();
        let best = scored.iter().map(|(s, _)| *s).max().unwrap_or(0);
        let top: Vec<&'static Endpoint> = scored
            .iter()
            .filter(|(s, _)| *s == best)
            .map(|(_, e)| *e)
            .collect();
        if top.len() == 1 {
            return Ok(top[0]);
        }
        top
    };
    let listed = if candidates.is_empty() {
        "it fits no endpoint's shape".to_string()
    } else {
        format!(
            "it could be {}",
            candidates
                .iter()
                .map(|e| e.id)
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    Err(Box::new(Diagnostic::error(
        "unknown-endpoint",
        "",
        format!("cannot tell which endpoint this payload is for: {listed}"),
    )
    .with_help(
        "pass --endpoint ID, map the file in preflight.toml ([[fixtures]] paths/endpoint), \
         or put it in a folder named after the id (fixtures/sandeza/send/); `preflight endpoints` lists the ids",
    )))
}

/// True for what Meta's `GET /{waba-id}/message_templates` returns
/// (`{"data": [...]}`) or a bare array of such templates: every item an
/// object with `name`, `language` and a `components` array.
fn looks_like_templates(value: &Value) -> bool {
    let items = match value {
        Value::Object(map) => match map.get("data") {
            Some(Value::Array(items)) => items,
            _ => return false,
        },
        Value::Array(items) => items,
        _ => return false,
    };
    !items.is_empty()
        && items.iter().all(|t| {
            t.get("name").is_some_and(Value::is_string)
                && t.get("language").is_some_and(Value::is_string)
                && t.get("components").is_some_and(Value::is_array)
        })
}

/// The share of an endpoint's top-level fields that the payload uses.
fn coverage(value: &Value, registry: &'static Registry, endpoint: &Endpoint) -> f64 {
    let shape = root_shape(registry, &format!("{}#", endpoint.uri), 0);
    let (object, known) = match (value, shape) {
        (Value::Object(map), Some(Shape::Object { known, .. })) => (map, known),
        (Value::Array(items), Some(Shape::Array { item: Some(item) })) => {
            match (items.first(), *item) {
                (Some(Value::Object(map)), Shape::Object { known, .. }) => (map, known),
                _ => return 0.0,
            }
        }
        _ => return 0.0,
    };
    let mut fields = known;
    fields.sort();
    fields.dedup();
    if fields.is_empty() {
        return 0.0;
    }
    object.keys().filter(|k| fields.contains(k)).count() as f64 / fields.len() as f64
}

/// How well a payload's top-level fields match an endpoint's: known fields
/// count for, unknown fields and missing required fields against. An array
/// payload is judged by its first item against array endpoints.
fn fit(value: &Value, registry: &'static Registry, endpoint: &Endpoint) -> i64 {
    let Some(root) = root_shape(registry, &format!("{}#", endpoint.uri), 0) else {
        return 0;
    };
    match (value, &root) {
        (Value::Object(_), Shape::Object { .. }) => score_object(value, &root),
        (Value::Array(items), Shape::Array { item: Some(item) }) => {
            match (items.first(), item.as_ref()) {
                // The first item against the item shape.
                (Some(first @ Value::Object(_)), Shape::Object { .. }) => {
                    score_object(first, item) + 1
                }
                (Some(Value::String(_)), Shape::Scalar) => 2,
                _ => 0,
            }
        }
        _ => 0,
    }
}

/// Known fields count for, unknown fields and missing required fields
/// against; never below 0.
fn score_object(value: &Value, shape: &Shape) -> i64 {
    match (value, shape) {
        (Value::Object(map), Shape::Object { known, required }) => {
            let matched = map.keys().filter(|k| known.contains(k)).count() as i64;
            let unknown = map.len() as i64 - matched;
            let missing = required.iter().filter(|r| !map.contains_key(*r)).count() as i64;
            (matched * 3 - unknown * 2 - missing).max(0)
        }
        _ => 0,
    }
}

enum Shape {
    Object {
        known: Vec<String>,
        required: Vec<String>,
    },
    Array {
        item: Option<Box<Shape>>,
    },
    Scalar,
}

fn root_shape(registry: &'static Registry, uri: &str, depth: usize) -> Option<Shape> {
    if depth > 8 {
        return None;
    }
    let node = registry.node(uri)?;
    if let Some(r) = node.get("$ref").and_then(Value::as_str) {
        return root_shape(registry, &resolve_ref(uri, r), depth + 1);
    }
    let ty = node.get("type").and_then(Value::as_str);
    if ty == Some("array") || node.get("items").is_some() {
        let item = node
            .get("items")
            .and_then(|_| root_shape(registry, &format!("{uri}/items"), depth + 1))
            .map(Box::new);
        return Some(Shape::Array { item });
    }
    if ty == Some("object") || node.get("properties").is_some() {
        let mut known: Vec<String> = node
            .get("properties")
            .and_then(Value::as_object)
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default();
        let required: Vec<String> = node
            .get("required")
            .and_then(Value::as_array)
            .map(|r| {
                r.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        // Fields declared in allOf/oneOf branches count as known too.
        for keyword in ["allOf", "oneOf", "anyOf"] {
            if let Some(branches) = node.get(keyword).and_then(Value::as_array) {
                for i in 0..branches.len() {
                    if let Some(Shape::Object { known: more, .. }) =
                        root_shape(registry, &format!("{uri}/{keyword}/{i}"), depth + 1)
                    {
                        known.extend(more);
                    }
                }
            }
        }
        return Some(Shape::Object { known, required });
    }
    Some(Shape::Scalar)
}
