//! `x-tolerate`: a second reading of a field that a provider's doc
//! contradicts itself about, accepted with a warning.
//!
//! Where a doc's table and prose disagree and no sample settles it (OCA types
//! a button's `parameters` as "Object" but describes "an array"), neither
//! reading may fail a build. The schema states the likely reading as usual,
//! for the generated types and every other tool, and lists the other reading
//! under `x-tolerate` with why. When the registry loads a document it turns
//! such a node into `anyOf: [the node, the other reading]`, the other reading
//! marked `x-discrepancy` with the why: a payload in that form passes the
//! schema and gets the `doc-discrepancy` warning instead of an error.

use serde_json::{Map, Value};

/// Expands every `x-tolerate` in a schema document, in place.
pub fn expand(node: &mut Value) {
    match node {
        Value::Object(map) => {
            for v in map.values_mut() {
                expand(v);
            }
            if let Some(readings) = map.remove("x-tolerate") {
                let mut likely = Map::new();
                let mut outer = Map::new();
                for (k, v) in std::mem::take(map) {
                    // Words about the field stay on the field; the schema
                    // itself becomes the first reading.
                    if matches!(k.as_str(), "title" | "description") {
                        outer.insert(k.clone(), v.clone());
                    }
                    likely.insert(k, v);
                }
                let mut branches = vec![Value::Object(likely)];
                for reading in readings.as_array().into_iter().flatten() {
                    let (Some(schema), why) = (
                        reading.get("schema").cloned(),
                        reading.get("why").cloned().unwrap_or(Value::Null),
                    ) else {
                        continue;
                    };
                    let mut schema = schema;
                    expand(&mut schema);
                    // Wrapped, so the mark stays on the branch even when the
                    // reading is a `$ref` (which the graph follows).
                    let mut branch = Map::new();
                    branch.insert("allOf".into(), Value::Array(vec![schema]));
                    branch.insert("x-discrepancy".into(), why);
                    branches.push(Value::Object(branch));
                }
                outer.insert("anyOf".into(), Value::Array(branches));
                *map = outer;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(expand),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_tolerated_reading_becomes_a_marked_branch() {
        let mut node = json!({"properties": {"p": {
            "description": "the button's parameter",
            "type": "array",
            "x-tolerate": [{"schema": {"type": "object"}, "why": "the table says Object"}]
        }}});
        expand(&mut node);
        assert_eq!(
            node["properties"]["p"],
            json!({
                "description": "the button's parameter",
                "anyOf": [
                    {"description": "the button's parameter", "type": "array"},
                    {"allOf": [{"type": "object"}], "x-discrepancy": "the table says Object"}
                ]
            })
        );
    }
}
