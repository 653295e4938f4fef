//! Bundling: one endpoint's schema as a single, self-contained document, for
//! editors and other validators that cannot (or must not) fetch the shared
//! pieces under `schemas/common/` or a sibling endpoint's `$defs`.
//!
//! Every `$ref` into another document is brought under the bundle's own
//! `$defs` and rewritten to point there: a target under another document's
//! `$defs` becomes `#/$defs/<dir>.<file>.<name>` (`common.whatsapp.Caption`),
//! any other target (a whole document, a property) brings that whole document
//! as `#/$defs/<dir>.<file>`, with the rest of the pointer kept. The pieces
//! brought in are rewritten the same way, transitively, so their own
//! `#/$defs/…` refs keep working; they lose `$id` and `$schema` (a bundle is
//! one resource: the root keeps its `$id`, so the bundle is the same schema
//! under the same name). Refs within the root are left as they are.
//!
//! The bundle is made from the documents as written, not as the registry
//! reads them: the `x-` keywords stay as they are (`x-tolerate` is
//! preflight's second reading, which other validators ignore), so another
//! validator gives the bundle exactly the verdicts it gives the original
//! documents. What this module does not do: inline `$ref`s (recursive
//! definitions could not be), or resolve `$anchor`s (the schemas use none; a
//! ref to one is an error rather than a bundle that silently breaks).

use crate::engine::schema::refs::{SCHEMA_BASE, percent_decode, resolve_ref};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, VecDeque};

/// One piece brought into a bundle: a document's `$id`, and the name under
/// its `$defs` (`None`: the whole document).
type Piece = (String, Option<String>);

/// The bundle of the document `root`, reading documents (as written) with
/// `text_of(uri)`.
///
/// # Errors
/// A message naming the document and ref when a target cannot be bundled: a
/// document that is not embedded or does not parse, a ref to an anchor, a
/// name that collides with one of the root's own `$defs`.
pub(crate) fn bundle(
    root: &str,
    text_of: &dyn Fn(&str) -> Option<&'static str>,
) -> Result<Value, String> {
    let parse = |uri: &str| -> Result<Value, String> {
        let text = text_of(uri).ok_or_else(|| format!("no schema document {uri}"))?;
        serde_json::from_str(text).map_err(|e| format!("parsing {uri}: {e}"))
    };
    let mut bundler = Bundler {
        root: root.to_string(),
        names: BTreeMap::new(),
        pending: VecDeque::new(),
    };
    let mut out = parse(root)?;
    bundler.rewrite(&mut out, root)?;
    let mut brought: BTreeMap<String, Value> = BTreeMap::new();
    while let Some((uri, name)) = bundler.pending.pop_front() {
        let doc = parse(&uri)?;
        let mut node = match &name {
            Some(name) => doc
                .get("$defs")
                .and_then(|defs| defs.get(name))
                .cloned()
                .ok_or_else(|| format!("{uri} has no $defs/{name}"))?,
            None => doc,
        };
        if let Value::Object(map) = &mut node {
            map.remove("$id");
            map.remove("$schema");
        }
        bundler.rewrite(&mut node, &uri)?;
        let stable = bundler
            .names
            .get(&(uri.clone(), name))
            .cloned()
            .unwrap_or_default();
        brought.insert(stable, node);
    }
    if brought.is_empty() {
        return Ok(out);
    }
    let Value::Object(top) = &mut out else {
        return Err(format!("{root} is not a JSON object"));
    };
    let defs = top
        .entry("$defs")
        .or_insert_with(|| Value::Object(Map::new()));
    let Value::Object(defs) = defs else {
        return Err(format!("{root}: $defs is not an object"));
    };
    for (name, node) in brought {
        if defs.contains_key(&name) {
            return Err(format!(
                "{root}: its own $defs/{name} collides with a bundled piece"
            ));
        }
        defs.insert(name, node);
    }
    Ok(out)
}

struct Bundler {
    root: String,
    /// Every piece met so far and its name under the bundle's `$defs`.
    names: BTreeMap<Piece, String>,
    /// Pieces met but not yet copied.
    pending: VecDeque<Piece>,
}

impl Bundler {
    /// Rewrites every `$ref` under `node`, which belongs to document `uri`.
    fn rewrite(&mut self, node: &mut Value, uri: &str) -> Result<(), String> {
        match node {
            Value::Object(map) => {
                for (key, value) in map.iter_mut() {
                    match (key.as_str(), value) {
                        ("$ref", Value::String(reference)) => {
                            *reference = self.target(reference, uri)?;
                        }
                        // Values, not schemas: a `$ref` key in an example is data.
                        ("enum" | "const" | "examples" | "default", _) => {}
                        (_, value) => self.rewrite(value, uri)?,
                    }
                }
            }
            Value::Array(items) => {
                for item in items {
                    self.rewrite(item, uri)?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// What `reference`, met in document `uri`, becomes in the bundle.
    fn target(&mut self, reference: &str, uri: &str) -> Result<String, String> {
        let resolved = resolve_ref(&format!("{uri}#"), reference);
        let (base, fragment) = resolved.split_once('#').unwrap_or((&resolved, ""));
        if !fragment.is_empty() && !fragment.starts_with('/') {
            return Err(format!(
                "{uri}: `$ref: {reference}` names an anchor, which bundling does not resolve"
            ));
        }
        if base == self.root {
            return Ok(format!("#{fragment}"));
        }
        let (piece, rest) = match fragment.strip_prefix("/$defs/") {
            Some(after) => {
                let (segment, rest) = match after.find('/') {
                    Some(i) => after.split_at(i),
                    None => (after, ""),
                };
                let name = unescape(&percent_decode(segment));
                ((base.to_string(), Some(name)), rest)
            }
            None => ((base.to_string(), None), fragment),
        };
        let name = match self.names.get(&piece) {
            Some(name) => name.clone(),
            None => {
                let name = stable_name(&piece)
                    .ok_or_else(|| format!("{uri}: `$ref: {reference}` leaves {SCHEMA_BASE}"))?;
                self.names.insert(piece.clone(), name.clone());
                self.pending.push_back(piece);
                name
            }
        };
        Ok(format!("#/$defs/{}{rest}", encode(&name)))
    }
}

/// `common/whatsapp.json` and `Caption` → `common.whatsapp.Caption`.
fn stable_name((uri, name): &Piece) -> Option<String> {
    let path = uri.strip_prefix(SCHEMA_BASE)?;
    let path = path.strip_suffix(".json").unwrap_or(path).replace('/', ".");
    Some(match name {
        Some(name) => format!("{path}.{name}"),
        None => path,
    })
}

/// A JSON-pointer reference token, decoded.
fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// A `$defs` name as a pointer token in a URI fragment.
fn encode(name: &str) -> String {
    let token = name.replace('~', "~0").replace('/', "~1");
    let mut out = String::with_capacity(token.len());
    for c in token.chars() {
        if c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=:@".contains(c) {
            out.push(c);
        } else {
            let mut buf = [0; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

/// Every `$ref` under `node` (for the tests: a bundle has only `#…` ones).
#[cfg(test)]
fn refs(node: &Value, out: &mut Vec<String>) {
    let mut found = Vec::new();
    super::refs::collect_refs(node, &mut found);
    out.extend(found.into_iter().map(str::to_string));
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;
    use serde_json::json;
    use std::collections::HashMap;

    fn docs() -> HashMap<String, &'static str> {
        let mut m = HashMap::new();
        m.insert(
            format!("{SCHEMA_BASE}p/a.json"),
            r##"{"$schema": "https://json-schema.org/draft/2020-12/schema",
                "$id": "https://preflight.invalid/schemas/p/a.json",
                "type": "object",
                "properties": {
                    "x": {"$ref": "../common/c.json#/$defs/X"},
                    "y": {"$ref": "b.json"},
                    "z": {"$ref": "#/$defs/Z"},
                    "w": {"$ref": "../common/c.json#/$defs/X/properties/v"},
                    "e": {"const": {"$ref": "not/a/ref.json"}}
                },
                "$defs": {"Z": {"type": "string", "x-source": "platform"}}}"##,
        );
        m.insert(
            format!("{SCHEMA_BASE}p/b.json"),
            r##"{"$id": "https://preflight.invalid/schemas/p/b.json", "$schema": "https://json-schema.org/draft/2020-12/schema",
                "type": "array", "items": {"$ref": "../common/c.json#/$defs/X"}}"##,
        );
        m.insert(
            format!("{SCHEMA_BASE}common/c.json"),
            r##"{"$id": "https://preflight.invalid/schemas/common/c.json",
                "$defs": {"X": {"type": "object", "properties": {"v": {"$ref": "#/$defs/V"}}},
                          "V": {"maxLength": 3}}}"##,
        );
        m
    }

    #[test]
    fn every_ref_points_into_the_bundle() {
        let docs = docs();
        let text_of = |uri: &str| docs.get(uri).copied();
        let b = bundle(&format!("{SCHEMA_BASE}p/a.json"), &text_of).unwrap();
        assert_eq!(b["$id"], "https://preflight.invalid/schemas/p/a.json");
        let p = &b["properties"];
        assert_eq!(p["x"]["$ref"], "#/$defs/common.c.X");
        assert_eq!(p["y"]["$ref"], "#/$defs/p.b");
        assert_eq!(p["z"]["$ref"], "#/$defs/Z");
        assert_eq!(p["w"]["$ref"], "#/$defs/common.c.X/properties/v");
        assert_eq!(p["e"], json!({"const": {"$ref": "not/a/ref.json"}}));
        let defs = &b["$defs"];
        assert_eq!(defs["Z"]["x-source"], "platform");
        assert_eq!(
            defs["common.c.X"]["properties"]["v"]["$ref"],
            "#/$defs/common.c.V"
        );
        assert_eq!(defs["common.c.V"], json!({"maxLength": 3}));
        assert_eq!(defs["p.b"]["items"]["$ref"], "#/$defs/common.c.X");
        assert!(defs["p.b"].get("$id").is_none() && defs["p.b"].get("$schema").is_none());
        let mut all = Vec::new();
        refs(&b, &mut all);
        // The `const` value is data, the rest are refs: all internal.
        assert!(
            all.iter()
                .all(|r| r.starts_with('#') || r == "not/a/ref.json")
        );
    }

    #[test]
    fn what_cannot_be_bundled_is_an_error() {
        let docs = docs();
        let anchor = format!("{SCHEMA_BASE}p/anchor.json");
        let mut with_anchor = docs.clone();
        with_anchor.insert(anchor.clone(), r##"{"$ref": "b.json#thing"}"##);
        let text_of = |uri: &str| with_anchor.get(uri).copied();
        assert!(bundle(&anchor, &text_of).unwrap_err().contains("anchor"));
        let missing = format!("{SCHEMA_BASE}p/missing.json");
        let mut with_missing = docs;
        with_missing.insert(missing.clone(), r##"{"$ref": "nowhere.json"}"##);
        let text_of = |uri: &str| with_missing.get(uri).copied();
        assert!(
            bundle(&missing, &text_of)
                .unwrap_err()
                .contains("no schema document")
        );
    }

    #[test]
    fn names_are_uri_safe() {
        assert_eq!(encode("a/b~c d"), "a~1b~0c%20d");
    }
}
