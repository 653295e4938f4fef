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

use crate::endpoint::{Endpoint, Registry};
use crate::graph::{Branch, Graph, NodeInfo, Variant};
use crate::pointer;
use serde_json::Value;
use std::sync::Arc;

/// A JSON pointer shared by every schema node that applies at one place.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SharedPointer(Arc<str>);

impl SharedPointer {
    fn new(pointer: &str) -> Self {
        SharedPointer(Arc::from(pointer))
    }

    /// The pointer text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for SharedPointer {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for SharedPointer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&*self.0, f)
    }
}

impl std::fmt::Display for SharedPointer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl PartialEq<str> for SharedPointer {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for SharedPointer {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for SharedPointer {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

/// One schema node that applies to one place in the payload.
#[derive(Clone)]
pub struct Applied {
    /// Pointer into the payload.
    pub pointer: SharedPointer,
    /// Absolute URI of the schema node (document `$id` plus `#` pointer).
    pub uri: std::sync::Arc<str>,
    /// The schema node.
    pub node: &'static Value,
    info: &'static NodeInfo,
}

impl std::fmt::Debug for Applied {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Applied")
            .field("pointer", &self.pointer)
            .field("uri", &self.uri)
            .finish_non_exhaustive()
    }
}

impl Applied {
    /// The `$defs` name of the node, when it is a named definition
    /// (`…#/$defs/WhatsAppHeaderImage` → `WhatsAppHeaderImage`).
    pub fn def_name(&self) -> Option<&'static str> {
        self.info.def_name
    }

    /// The node's `x-` annotations.
    pub fn annotations(&self) -> &'static [(&'static str, &'static Value)] {
        &self.info.annotations
    }

    /// The value of one `x-` annotation on the node (no hashing: nodes carry few).
    pub fn annotation(&self, key: &str) -> Option<&'static Value> {
        self.info
            .annotations
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| *v)
    }

    /// The node's `format`, if any.
    pub fn format(&self) -> Option<&'static str> {
        self.info.format
    }
}

/// Every schema node that applies to each place in a payload.
#[derive(Debug, Clone, Default)]
pub struct Annotations {
    /// Applied nodes in document order, contiguous per place.
    entries: Vec<Applied>,
    /// Each place's range of `entries`, sorted by pointer for lookups.
    places: Vec<(SharedPointer, std::ops::Range<u32>)>,
    /// For each `x-` annotation key present, the entries that carry it, in order.
    by_annotation: Vec<(&'static str, Vec<u32>)>,
}

impl Annotations {
    /// Walks `payload` against the endpoint's schema.
    pub fn collect(registry: &'static Registry, endpoint: &Endpoint, payload: &Value) -> Self {
        let mut out = Annotations::default();
        let Some(graph) = registry.graph(endpoint) else {
            return out;
        };
        if let Some(root) = registry.node(&format!("{}#", endpoint.uri)) {
            let mut walker = Walker {
                registry,
                graph,
                out: &mut out.entries,
                places: &mut out.places,
            };
            walker.place(&[root], payload, SharedPointer::new(""), 0);
        }
        out.places.sort_by(|a, b| a.0.cmp(&b.0));
        for (i, a) in out.entries.iter().enumerate() {
            for (key, _) in &a.info.annotations {
                match out.by_annotation.iter_mut().find(|(k, _)| k == key) {
                    Some((_, list)) => list.push(i as u32),
                    None => out.by_annotation.push((key, vec![i as u32])),
                }
            }
        }
        out
    }

    /// All applied nodes.
    pub fn iter(&self) -> impl Iterator<Item = &Applied> {
        self.entries.iter()
    }

    /// The nodes that apply at `pointer`.
    pub fn at<'a>(&'a self, pointer: &'a str) -> impl Iterator<Item = &'a Applied> + 'a {
        let range = self
            .places
            .binary_search_by(|(p, _)| p.as_str().cmp(pointer))
            .ok()
            .map_or(0..0, |i| {
                let r = &self.places[i].1;
                r.start as usize..r.end as usize
            });
        self.entries[range].iter()
    }

    /// Every place where an applied node has `key`, with the key's value; one
    /// entry per place (the first node that has it).
    pub fn with_key<'a>(&'a self, key: &'a str) -> Vec<(&'a str, &'static Value)> {
        let mut out: Vec<(&'a str, &'static Value)> = Vec::new();
        // Entries are grouped by pointer, so "first per place" is "differs from the last kept".
        let mut keep = |a: &'a Applied, v: &'static Value| {
            if out.last().is_none_or(|(p, _)| *p != a.pointer.as_str()) {
                out.push((a.pointer.as_str(), v));
            }
        };
        if key.starts_with("x-") {
            if let Some((_, list)) = self.by_annotation.iter().find(|(k, _)| *k == key) {
                for &i in list {
                    let a = &self.entries[i as usize];
                    if let Some(v) = a.annotation(key) {
                        keep(a, v);
                    }
                }
            }
        } else {
            for a in &self.entries {
                if let Some(v) = a.node.get(key) {
                    keep(a, v);
                }
            }
        }
        out
    }

    /// True when some node at `pointer` has `key: true`.
    pub fn flag(&self, pointer: &str, key: &str) -> bool {
        self.at(pointer).any(|a| {
            a.info
                .annotations
                .iter()
                .any(|(k, v)| *k == key && v.as_bool() == Some(true))
        })
    }

    /// The value of `key` on the first node at `pointer` that has it.
    pub fn get(&self, pointer: &str, key: &str) -> Option<&'static Value> {
        self.at(pointer).find_map(|a| a.node.get(key))
    }

    /// The `$defs` names of the nodes at `pointer`.
    pub fn def_names<'a>(&'a self, pointer: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.at(pointer).filter_map(|a| a.def_name())
    }

    /// Pointers of values marked `x-secret`.
    pub fn secret_pointers(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .entries
            .iter()
            .filter(|a| {
                a.info
                    .annotations
                    .iter()
                    .any(|(k, v)| *k == "x-secret" && v.as_bool() == Some(true))
            })
            .map(|a| a.pointer.to_string())
            .collect();
        out.dedup();
        out
    }
}

struct Walker<'w> {
    registry: &'static Registry,
    graph: &'static Graph,
    out: &'w mut Vec<Applied>,
    places: &'w mut Vec<(SharedPointer, std::ops::Range<u32>)>,
}

const MAX_DEPTH: usize = 96;

impl Walker<'_> {
    /// One place in the payload: every schema node that applies to it first
    /// (through `$ref`, `allOf`, the chosen `oneOf`/`anyOf` variant, `if`),
    /// then its children, each with the subschemas all those nodes give it.
    fn place(
        &mut self,
        seeds: &[&'static Value],
        instance: &Value,
        ptr: SharedPointer,
        depth: usize,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        let start = self.out.len();
        for seed in seeds {
            self.expand(seed, instance, &ptr, depth);
        }
        let end = self.out.len();
        if end == start {
            return;
        }
        self.places.push((ptr.clone(), start as u32..end as u32));
        let mut subs: Vec<&'static Value> = Vec::new();
        match instance {
            Value::Object(map) => {
                for (key, value) in map {
                    subs.clear();
                    for a in &self.out[start..end] {
                        if let Some(sub) = a.info.property(key).or(a.info.additional) {
                            subs.push(sub);
                        }
                    }
                    if !subs.is_empty() {
                        let child = SharedPointer::new(&pointer::join(&ptr, key));
                        let seeds = std::mem::take(&mut subs);
                        self.place(&seeds, value, child, depth + 1);
                        subs = seeds;
                    }
                }
            }
            Value::Array(items) => {
                for (i, value) in items.iter().enumerate() {
                    subs.clear();
                    for a in &self.out[start..end] {
                        if let Some(sub) = a.info.prefix_items.get(i).or(a.info.items) {
                            subs.push(sub);
                        }
                    }
                    if !subs.is_empty() {
                        let child = SharedPointer::new(&pointer::join_index(&ptr, i));
                        let seeds = std::mem::take(&mut subs);
                        self.place(&seeds, value, child, depth + 1);
                        subs = seeds;
                    }
                }
            }
            _ => {}
        }
    }

    /// Records `node` and every node it brings in at the same place.
    fn expand(
        &mut self,
        node: &'static Value,
        instance: &Value,
        ptr: &SharedPointer,
        depth: usize,
    ) {
        if depth > MAX_DEPTH || !node.is_object() {
            return;
        }
        let Some(info) = self.graph.info(node) else {
            return;
        };
        self.out.push(Applied {
            pointer: ptr.clone(),
            uri: Arc::clone(&info.uri),
            node,
            info,
        });
        if let Some(target) = info.ref_target {
            self.expand(target, instance, ptr, depth + 1);
        }
        for sub in info.all_of {
            self.expand(sub, instance, ptr, depth + 1);
        }
        for branch in &info.branches {
            self.branch(branch, instance, ptr, depth);
        }
        if let Some(cond) = &info.if_validator {
            let sub = if cond.is_valid(self.registry, instance) {
                info.then_else.0
            } else {
                info.then_else.1
            };
            if let Some(sub) = sub {
                self.expand(sub, instance, ptr, depth + 1);
            }
        }
    }

    /// Follows the variant a `oneOf`/`anyOf` applies through: the one its
    /// discriminator names; else the plausible ones (required fields present,
    /// no undeclared field) that the value satisfies; else, for a value that
    /// satisfies none, the single plausible one, so rules still see the
    /// branch the payload evidently meant.
    fn branch(
        &mut self,
        branch: &'static Branch,
        instance: &Value,
        ptr: &SharedPointer,
        depth: usize,
    ) {
        if let Some((property, values)) = &branch.discriminator {
            if let Some(value) = instance.get(property) {
                if let Some(i) = values.iter().position(|vs| vs.contains(value)) {
                    if let Some(v) = branch.variants.get(i) {
                        self.expand(v.node, instance, ptr, depth + 1);
                    }
                }
            }
            return;
        }
        // Cheapest test first; the shallow value checks only where it leaves a choice.
        let mut plausible: Vec<&Variant> = branch
            .variants
            .iter()
            .filter(|v| v.fields_fit(instance))
            .collect();
        if plausible.len() > 1 {
            plausible.retain(|v| v.values_fit(self.graph, instance));
        }
        let chosen: Vec<&Variant> = match plausible.len() {
            // Nothing fits (a misspelt or missing field): follow the closest
            // variant, so the rules still check what the payload evidently meant.
            0 => closest(self.graph, branch, instance).into_iter().collect(),
            1 => plausible,
            _ => {
                let valid: Vec<&Variant> = plausible
                    .iter()
                    .copied()
                    .filter(|v| v.validator.is_valid(self.registry, instance))
                    .collect();
                if branch.keyword == "oneOf" {
                    valid.into_iter().take(1).collect()
                } else {
                    valid
                }
            }
        };
        for v in chosen {
            self.expand(v.node, instance, ptr, depth + 1);
        }
    }
}

/// The variant nearest to the value by field distance, when one is nearest
/// (ties broken by the shallow value checks); `None` when it is a guess.
fn closest<'b>(graph: &Graph, branch: &'b Branch, instance: &Value) -> Option<&'b Variant> {
    if !instance.is_object() {
        return None;
    }
    let best = branch
        .variants
        .iter()
        .map(|v| v.field_distance(instance))
        .min()?;
    let mut near: Vec<&Variant> = branch
        .variants
        .iter()
        .filter(|v| v.field_distance(instance) == best)
        .collect();
    if near.len() > 1 {
        near.retain(|v| v.values_fit(graph, instance));
    }
    (near.len() == 1).then(|| near[0])
}
