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
//!
//! The walk runs on every payload, so it allocates per payload, not per place:
//! places and the nodes that apply at them live in two vectors, every place's
//! JSON pointer in one string, and each place keeps a reference to its value
//! so rules never look a pointer up again.

use crate::endpoint::{Endpoint, Registry};
use crate::graph::{Branch, FNV_OFFSET, Graph, NodeInfo, Variant, fnv};
use serde_json::Value;
use std::ops::Range;

/// One schema node that applies to one place in the payload.
#[derive(Clone, Copy)]
pub struct Applied<'a> {
    /// Pointer into the payload.
    pub pointer: &'a str,
    /// The payload value at the pointer.
    pub value: &'a Value,
    /// Absolute URI of the schema node (document `$id` plus `#` pointer).
    pub uri: &'static str,
    /// The schema node.
    pub node: &'static Value,
    info: &'static NodeInfo,
}

impl std::fmt::Debug for Applied<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Applied")
            .field("pointer", &self.pointer)
            .field("uri", &self.uri)
            .finish_non_exhaustive()
    }
}

impl Applied<'_> {
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
        self.info.annotation(key)
    }

    /// The node's `format`, if any.
    pub fn format(&self) -> Option<&'static str> {
        self.info.format
    }

    /// The node's `x-media`, read when the schema graph was built.
    pub fn media(&self) -> Option<&'static crate::rules::MediaSpec> {
        self.info.media.as_ref()
    }
}

/// A place in the payload that some schema node describes.
#[derive(Debug, Clone)]
struct Place<'v> {
    /// FNV-1a hash of the pointer, so lookups compare strings only on a match.
    hash: u64,
    /// The payload value.
    value: &'v Value,
    /// The place's pointer, a range of [`Annotations::pointers`].
    pointer: Range<u32>,
    /// The nodes that apply here, a range of [`Annotations::entries`].
    entries: Range<u32>,
}

/// An applied node: the place (index into `places`) and the node's info.
#[derive(Clone, Copy)]
struct Entry {
    place: u32,
    info: &'static NodeInfo,
}

impl std::fmt::Debug for Entry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Entry")
            .field("place", &self.place)
            .field("uri", &self.info.uri)
            .finish()
    }
}

/// Every schema node that applies to each place in a payload.
#[derive(Debug, Clone, Default)]
pub struct Annotations<'v> {
    /// Places in document order (a parent before its children).
    places: Vec<Place<'v>>,
    /// Applied nodes in document order, contiguous per place.
    entries: Vec<Entry>,
    /// Every place's pointer, one after another.
    pointers: String,
    /// The union of the entries' [`NodeInfo::annotation_bits`].
    annotation_bits: u16,
    /// The union of the entries' [`NodeInfo::def_bit`].
    def_bits: u64,
    /// Entries whose node has a known `x-` annotation or a `format`, the
    /// only ones the per-payload searches need to look at.
    marked: Vec<u32>,
}

impl<'v> Annotations<'v> {
    /// Walks `payload` against the endpoint's schema.
    pub fn collect(registry: &'static Registry, endpoint: &Endpoint, payload: &'v Value) -> Self {
        let mut out = Annotations {
            places: Vec::with_capacity(32),
            entries: Vec::with_capacity(64),
            pointers: String::with_capacity(512),
            ..Annotations::default()
        };
        let Some(graph) = registry.graph(endpoint) else {
            return out;
        };
        if let Some(root) = registry.node(&format!("{}#", endpoint.uri)) {
            let mut walker = Walker {
                registry,
                graph,
                out: &mut out,
                seeds: vec![root],
                pointer: String::new(),
            };
            walker.place(0..1, payload, FNV_OFFSET, 0);
        }
        for (i, e) in out.entries.iter().enumerate() {
            out.annotation_bits |= e.info.annotation_bits;
            out.def_bits |= e.info.def_bit;
            if e.info.annotation_bits != 0 || e.info.format.is_some() {
                out.marked.push(i as u32);
            }
        }
        out
    }

    fn pointer_of(&self, place: &Place<'_>) -> &str {
        &self.pointers[place.pointer.start as usize..place.pointer.end as usize]
    }

    fn applied<'a>(&'a self, entry: &Entry) -> Applied<'a> {
        let place = &self.places[entry.place as usize];
        Applied {
            pointer: self.pointer_of(place),
            value: place.value,
            uri: &entry.info.uri,
            node: entry.info.node,
            info: entry.info,
        }
    }

    /// All applied nodes, in document order.
    pub fn iter(&self) -> impl Iterator<Item = Applied<'_>> {
        self.entries.iter().map(|e| self.applied(e))
    }

    /// The applied nodes that carry a `format` or one of
    /// [`crate::graph::ANNOTATION_KEYS`], in document order.
    pub fn marked(&self) -> impl Iterator<Item = Applied<'_>> {
        self.marked
            .iter()
            .map(|&i| self.applied(&self.entries[i as usize]))
    }

    /// The index of the place at `pointer`.
    fn place_index(&self, pointer: &str) -> Option<usize> {
        let hash = fnv(FNV_OFFSET, pointer.as_bytes());
        self.places
            .iter()
            .position(|p| p.hash == hash && self.pointer_of(p) == pointer)
    }

    /// Every place where a node named `def` (a `$defs` key) applies, with the
    /// payload value there, in document order.
    pub fn with_def<'a>(&'a self, def: &str) -> Vec<(&'a str, &'v Value)> {
        let mut out = Vec::new();
        if self.def_bits & crate::graph::def_bit(def) == 0 {
            return out;
        }
        let mut last_place = u32::MAX;
        for e in &self.entries {
            if e.place != last_place && e.info.def_name == Some(def) {
                last_place = e.place;
                let place = &self.places[e.place as usize];
                out.push((self.pointer_of(place), place.value));
            }
        }
        out
    }

    /// The nodes that apply at `pointer`.
    pub fn at<'a>(&'a self, pointer: &str) -> impl Iterator<Item = Applied<'a>> + 'a {
        let range = self.place_index(pointer).map_or(0..0, |i| {
            let r = &self.places[i].entries;
            r.start as usize..r.end as usize
        });
        self.entries[range].iter().map(|e| self.applied(e))
    }

    /// Every place where an applied node has `key`, with the key's value and
    /// the payload value there; one entry per place (the first node that has
    /// it), in document order.
    pub fn with_key<'a>(&'a self, key: &str) -> Vec<Keyed<'a>> {
        let annotation = key.starts_with("x-");
        let bit = crate::graph::annotation_bit(key);
        if bit == 0 {
            // A key without a bit: every node may have it.
            return self.keyed(self.entries.iter(), |info| {
                if annotation {
                    info.annotation(key)
                } else {
                    info.node.get(key)
                }
            });
        }
        if self.annotation_bits & bit == 0 {
            return Vec::new();
        }
        let marked = self.marked.iter().map(|&i| &self.entries[i as usize]);
        self.keyed(marked, |info| {
            if info.annotation_bits & bit == 0 {
                None
            } else {
                info.annotation(key)
            }
        })
    }

    /// [`Annotations::with_key`] over `entries`, with `find` reading the key.
    fn keyed<'a>(
        &'a self,
        entries: impl Iterator<Item = &'a Entry>,
        find: impl Fn(&NodeInfo) -> Option<&'static Value>,
    ) -> Vec<Keyed<'a>> {
        let mut out: Vec<Keyed<'a>> = Vec::new();
        let mut last_place = u32::MAX;
        for e in entries {
            if e.place == last_place {
                continue;
            }
            let found = find(e.info);
            if let Some(v) = found {
                last_place = e.place;
                let a = self.applied(e);
                out.push(Keyed {
                    pointer: a.pointer,
                    annotation: v,
                    value: a.value,
                });
            }
        }
        out
    }

    /// True when some node at `pointer` has `key: true`.
    pub fn flag(&self, pointer: &str, key: &str) -> bool {
        self.at(pointer)
            .any(|a| a.annotation(key).and_then(Value::as_bool) == Some(true))
    }

    /// The value of `key` on the first node at `pointer` that has it.
    pub fn get(&self, pointer: &str, key: &str) -> Option<&'static Value> {
        self.at(pointer).find_map(|a| a.node.get(key))
    }

    /// The `$defs` names of the nodes at `pointer`.
    pub fn def_names<'a>(&'a self, pointer: &str) -> impl Iterator<Item = &'static str> + 'a {
        self.at(pointer).filter_map(|a| a.def_name())
    }

    /// Pointers of values marked `x-secret`.
    pub fn secret_pointers(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for k in self.with_key("x-secret") {
            if k.annotation.as_bool() == Some(true) {
                out.push(k.pointer.to_string());
            }
        }
        out
    }
}

/// A place where a schema node carries a given key: see [`Annotations::with_key`].
#[derive(Debug, Clone, Copy)]
pub struct Keyed<'a> {
    /// Pointer into the payload.
    pub pointer: &'a str,
    /// The key's value on the schema node.
    pub annotation: &'static Value,
    /// The payload value at the pointer.
    pub value: &'a Value,
}

struct Walker<'w, 'v> {
    registry: &'static Registry,
    graph: &'static Graph,
    out: &'w mut Annotations<'v>,
    /// A stack of seed nodes: each place's seeds are a range of it.
    seeds: Vec<&'static Value>,
    /// The pointer of the place being walked.
    pointer: String,
}

const MAX_DEPTH: usize = 96;

impl<'v> Walker<'_, 'v> {
    /// One place in the payload: every schema node that applies to it first
    /// (through `$ref`, `allOf`, the chosen `oneOf`/`anyOf` variant, `if`),
    /// then its children, each with the subschemas all those nodes give it.
    fn place(&mut self, seeds: Range<usize>, instance: &'v Value, hash: u64, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let index = self.out.places.len() as u32;
        let start = self.out.entries.len();
        for i in seeds {
            let seed = self.seeds[i];
            self.expand(seed, instance, index, depth);
        }
        let end = self.out.entries.len();
        if end == start {
            return;
        }
        let text_start = self.out.pointers.len() as u32;
        self.out.pointers.push_str(&self.pointer);
        self.out.places.push(Place {
            hash,
            value: instance,
            pointer: text_start..self.out.pointers.len() as u32,
            entries: start as u32..end as u32,
        });
        let base = self.seeds.len();
        let parent_len = self.pointer.len();
        match instance {
            Value::Object(map) => {
                for (key, value) in map {
                    for e in &self.out.entries[start..end] {
                        if let Some(sub) = e.info.property(key).or(e.info.additional) {
                            self.seeds.push(sub);
                        }
                    }
                    if self.seeds.len() > base {
                        self.pointer.push('/');
                        self.pointer.push_str(&crate::pointer::escape(key));
                        let child = fnv(hash, &self.pointer.as_bytes()[parent_len..]);
                        self.place(base..self.seeds.len(), value, child, depth + 1);
                        self.pointer.truncate(parent_len);
                        self.seeds.truncate(base);
                    }
                }
            }
            Value::Array(items) => {
                for (i, value) in items.iter().enumerate() {
                    for e in &self.out.entries[start..end] {
                        if let Some(sub) = e.info.prefix_items.get(i).or(e.info.items) {
                            self.seeds.push(sub);
                        }
                    }
                    if self.seeds.len() > base {
                        self.pointer.push('/');
                        push_index(&mut self.pointer, i);
                        let child = fnv(hash, &self.pointer.as_bytes()[parent_len..]);
                        self.place(base..self.seeds.len(), value, child, depth + 1);
                        self.pointer.truncate(parent_len);
                        self.seeds.truncate(base);
                    }
                }
            }
            _ => {}
        }
    }

    /// Records `node` and every node it brings in at the same place.
    fn expand(&mut self, node: &'static Value, instance: &Value, place: u32, depth: usize) {
        if depth > MAX_DEPTH || !node.is_object() {
            return;
        }
        let Some(info) = self.graph.info(node) else {
            return;
        };
        self.out.entries.push(Entry { place, info });
        if let Some(target) = info.ref_target {
            self.expand(target, instance, place, depth + 1);
        }
        for sub in info.all_of {
            self.expand(sub, instance, place, depth + 1);
        }
        for branch in &info.branches {
            self.branch(branch, instance, place, depth);
        }
        if let Some(cond) = &info.if_validator {
            let sub = if cond.is_valid(self.registry, instance) {
                info.then_else.0
            } else {
                info.then_else.1
            };
            if let Some(sub) = sub {
                self.expand(sub, instance, place, depth + 1);
            }
        }
    }

    /// Follows the variant a `oneOf`/`anyOf` applies through: the one its
    /// discriminator names; else the plausible ones (required fields present,
    /// no undeclared field) that the value satisfies; else, for a value that
    /// satisfies none, the single plausible one, so rules still see the
    /// branch the payload evidently meant.
    fn branch(&mut self, branch: &'static Branch, instance: &Value, place: u32, depth: usize) {
        if let Some((property, values)) = &branch.discriminator {
            let value = instance
                .as_object()
                .and_then(|map| crate::graph::get(map, property));
            if let Some(value) = value {
                if let Some(i) = values.iter().position(|vs| vs.contains(value)) {
                    if let Some(v) = branch.variants.get(i) {
                        self.expand(v.node, instance, place, depth + 1);
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
                let valid = plausible
                    .iter()
                    .copied()
                    .filter(|v| v.validator.is_valid(self.registry, instance));
                if branch.keyword == "oneOf" {
                    valid.take(1).collect()
                } else {
                    valid.collect()
                }
            }
        };
        for v in chosen {
            self.expand(v.node, instance, place, depth + 1);
        }
    }
}

/// Appends the decimal digits of `n` (array indices, without `format!`).
fn push_index(out: &mut String, n: usize) {
    if n < 10 {
        out.push(char::from(b'0' + n as u8));
    } else {
        push_index(out, n / 10);
        out.push(char::from(b'0' + (n % 10) as u8));
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
