//! Which schema nodes apply to which parts of a payload.
//!
//! Rules that the schema attaches to a node (`x-media`, `x-phone`, `x-format`,
//! `x-secret`, `x-placeholder-exempt`, …) need to know, for each value in the
//! payload, the schema nodes that describe it. JSON Schema annotations would
//! say so, but only for payloads that fully validate; a payload with a missing
//! field elsewhere must still get its media URL checked. So this module walks
//! the payload and the schema side by side, choosing a `oneOf` branch by its
//! discriminator (or, lacking one, by which branches the value satisfies) and
//! an `if` by evaluating it, and records every node that applies.

use crate::endpoint::{resolve_ref, Endpoint, Registry};
use crate::pointer;
use serde_json::Value;

/// One schema node that applies to one place in the payload.
#[derive(Debug, Clone)]
pub struct Applied {
    /// Pointer into the payload.
    pub pointer: String,
    /// Absolute URI of the schema node (document `$id` plus `#` pointer).
    pub uri: String,
    /// The schema node.
    pub node: &'static Value,
}

impl Applied {
    /// The `$defs` name of the node, when it is a named definition
    /// (`…#/$defs/WhatsAppHeaderImage` → `WhatsAppHeaderImage`).
    pub fn def_name(&self) -> Option<&str> {
        let fragment = self.uri.split_once('#')?.1;
        let (parent, name) = fragment.rsplit_once('/')?;
        parent.ends_with("/$defs").then_some(name)
    }
}

/// Every schema node that applies to each place in a payload.
#[derive(Debug, Clone, Default)]
pub struct Annotations {
    entries: Vec<Applied>,
}

impl Annotations {
    /// Walks `payload` against the endpoint's schema.
    pub fn collect(registry: &'static Registry, endpoint: &Endpoint, payload: &Value) -> Self {
        let mut out = Annotations::default();
        if let Some(root) = registry.node(&format!("{}#", endpoint.uri)) {
            let mut walker = Walker {
                registry,
                endpoint,
                out: &mut out.entries,
            };
            walker.walk(format!("{}#", endpoint.uri), root, payload, "", 0);
        }
        out
    }

    /// All applied nodes.
    pub fn iter(&self) -> impl Iterator<Item = &Applied> {
        self.entries.iter()
    }

    /// The nodes that apply at `pointer`.
    pub fn at<'a>(&'a self, pointer: &'a str) -> impl Iterator<Item = &'a Applied> + 'a {
        self.entries.iter().filter(move |a| a.pointer == pointer)
    }

    /// Every place where an applied node has `key`, with the key's value; one
    /// entry per place (the first node that has it).
    pub fn with_key<'a>(&'a self, key: &'a str) -> Vec<(&'a str, &'static Value)> {
        let mut seen: Vec<&str> = Vec::new();
        let mut out = Vec::new();
        for a in &self.entries {
            if let Some(v) = a.node.get(key) {
                if !seen.contains(&a.pointer.as_str()) {
                    seen.push(&a.pointer);
                    out.push((a.pointer.as_str(), v));
                }
            }
        }
        out
    }

    /// True when some node at `pointer` has `key: true`.
    pub fn flag(&self, pointer: &str, key: &str) -> bool {
        self.at(pointer)
            .any(|a| a.node.get(key).and_then(Value::as_bool) == Some(true))
    }

    /// The value of `key` on the first node at `pointer` that has it.
    pub fn get(&self, pointer: &str, key: &str) -> Option<&'static Value> {
        self.at(pointer).find_map(|a| a.node.get(key))
    }

    /// The `$defs` names of the nodes at `pointer`.
    pub fn def_names<'a>(&'a self, pointer: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.at(pointer).filter_map(Applied::def_name)
    }

    /// Pointers of values marked `x-secret`.
    pub fn secret_pointers(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .entries
            .iter()
            .filter(|a| a.node.get("x-secret").and_then(Value::as_bool) == Some(true))
            .map(|a| a.pointer.clone())
            .collect();
        out.dedup();
        out
    }
}

struct Walker<'w> {
    registry: &'static Registry,
    endpoint: &'w Endpoint,
    out: &'w mut Vec<Applied>,
}

const MAX_DEPTH: usize = 96;

impl Walker<'_> {
    fn is_valid(&self, uri: &str, instance: &Value) -> bool {
        self.registry
            .fragment_validator(uri)
            .is_some_and(|v| v.is_valid(instance))
    }

    fn walk(&mut self, uri: String, node: &'static Value, instance: &Value, ptr: &str, depth: usize) {
        if depth > MAX_DEPTH || !node.is_object() {
            return;
        }
        self.out.push(Applied {
            pointer: ptr.to_string(),
            uri: uri.clone(),
            node,
        });
        if let Some(r) = node.get("$ref").and_then(Value::as_str) {
            let target = resolve_ref(&uri, r);
            if let Some(n) = self.registry.node(&target) {
                self.walk(target, n, instance, ptr, depth + 1);
            }
        }
        if let Some(all) = node.get("allOf").and_then(Value::as_array) {
            for (i, sub) in all.iter().enumerate() {
                self.walk(format!("{uri}/allOf/{i}"), sub, instance, ptr, depth + 1);
            }
        }
        for keyword in ["oneOf", "anyOf"] {
            if let Some(variants) = node.get(keyword) {
                self.branch(&uri, keyword, variants, instance, ptr, depth);
            }
        }
        if node.get("if").is_some() {
            let cond_uri = format!("{uri}/if");
            let (key, sub) = if self.is_valid(&cond_uri, instance) {
                ("then", node.get("then"))
            } else {
                ("else", node.get("else"))
            };
            if let Some(sub) = sub {
                self.walk(format!("{uri}/{key}"), sub, instance, ptr, depth + 1);
            }
        }
        match instance {
            Value::Object(map) => {
                let props = node.get("properties").and_then(Value::as_object);
                let additional = node.get("additionalProperties").filter(|a| a.is_object());
                for (key, value) in map {
                    let child = pointer::join(ptr, key);
                    if let Some(sub) = props.and_then(|p| p.get(key)) {
                        let sub_uri = format!("{uri}/properties/{}", pointer::escape(key));
                        self.walk(sub_uri, sub, value, &child, depth + 1);
                    } else if let Some(sub) = additional {
                        self.walk(format!("{uri}/additionalProperties"), sub, value, &child, depth + 1);
                    }
                }
            }
            Value::Array(items) => {
                let prefix = node.get("prefixItems").and_then(Value::as_array);
                let rest = node.get("items").filter(|i| i.is_object());
                for (i, value) in items.iter().enumerate() {
                    let child = pointer::join_index(ptr, i);
                    if let Some(sub) = prefix.and_then(|p| p.get(i)) {
                        self.walk(format!("{uri}/prefixItems/{i}"), sub, value, &child, depth + 1);
                    } else if let Some(sub) = rest {
                        self.walk(format!("{uri}/items"), sub, value, &child, depth + 1);
                    }
                }
            }
            _ => {}
        }
    }

    fn branch(&mut self, uri: &str, keyword: &str, variants: &'static Value, instance: &Value, ptr: &str, depth: usize) {
        let here = format!("{uri}/{keyword}");
        if let Some((disc, uris)) = crate::translate::discriminator_for(self.registry, self.endpoint, &here, variants) {
            if let Some(value) = instance.get(&disc.property) {
                if let Some(i) = disc.values.iter().position(|vs| vs.contains(value)) {
                    if let (Some(target), Some(n)) = (uris.get(i), uris.get(i).and_then(|u| self.registry.node(u))) {
                        self.walk(target.clone(), n, instance, ptr, depth + 1);
                    }
                }
            }
            return;
        }
        let uris = crate::translate::variant_uris(self.registry, self.endpoint, &here, variants);
        let valid: Vec<&String> = uris.iter().filter(|u| self.is_valid(u, instance)).collect();
        let chosen: Vec<&String> = if keyword == "oneOf" {
            valid.into_iter().take(1).collect()
        } else {
            valid
        };
        for u in chosen {
            if let Some(n) = self.registry.node(u) {
                self.walk(u.clone(), n, instance, ptr, depth + 1);
            }
        }
    }
}
