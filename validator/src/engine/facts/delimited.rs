//! `x-delimited`: what Sandeza's delimiter-format fields accept (segment
//! types, sub-types, the most parameters) and which schema nodes' limits
//! apply to the values inside them, `$ref`s resolved here, once per node.

use crate::engine::schema::refs::resolve_ref;
use crate::engine::schema::registry::Registry;
use serde_json::Value;

/// What the schema says about one delimited field (`x-delimited`), read once
/// per schema node when the schema graph is built ([`crate::engine::facts::graph`]).
#[derive(Debug)]
pub(crate) struct Spec {
    /// What one segment is called in messages (`parameter`, `header`, `button`).
    pub component: String,
    /// The segment types accepted (`text`, `image`, …), lowercase.
    pub types: Vec<String>,
    /// The button sub-types accepted (`url`), lowercase.
    pub sub_types: Vec<String>,
    /// The most segments the field takes.
    pub max_parameters: Option<usize>,
    /// The schema node whose limits a text value follows.
    pub text: Option<&'static Value>,
    /// Per media type, the schema node whose limits its URL follows.
    pub media: Vec<(String, &'static Value)>,
}

impl Spec {
    /// Reads the `x-delimited` of `node`, whose absolute URI is `uri`.
    pub(crate) fn of(registry: &'static Registry, uri: &str, node: &'static Value) -> Option<Spec> {
        let spec = node.get("x-delimited")?;
        let resolve = |r: &Value| -> Option<&'static Value> {
            let target = resolve_ref(uri, r.as_str()?);
            registry.node(&target)
        };
        let strings = |key: &str| -> Vec<String> {
            spec.get(key)
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_ascii_lowercase)
                        .collect()
                })
                .unwrap_or_default()
        };
        let media = spec
            .get("media")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| Some((k.clone(), resolve(v)?)))
                    .collect()
            })
            .unwrap_or_default();
        Some(Spec {
            component: spec
                .get("component")
                .and_then(Value::as_str)
                .unwrap_or("parameter")
                .to_string(),
            types: strings("types"),
            sub_types: strings("sub-types"),
            max_parameters: spec
                .get("max-parameters")
                .and_then(Value::as_u64)
                .and_then(|n| usize::try_from(n).ok()),
            text: spec.get("text").and_then(resolve),
            media,
        })
    }
}
