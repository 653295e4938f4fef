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
use crate::graph::{Branch, FNV_OFFSET, Graph, Lazy, NodeInfo, fnv};
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
    pub(crate) fn media(&self) -> Option<&'static crate::rules::MediaSpec> {
        self.info.media.as_ref()
    }

    /// The node's `x-delimited`, read when the schema graph was built.
    pub(crate) fn delimited(&self) -> Option<&'static crate::rules::DelimitedSpec> {
        self.info.delimited.as_ref()
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
    /// Place index by pointer hash, built on the first look-up in a payload
    /// with many places (rules look places up one by one: a scan each would
    /// make a long array quadratic).
    by_hash: std::sync::OnceLock<std::collections::HashMap<u64, u32>>,
}

/// Payloads with at most this many places are looked up by a scan.
const SCANNED_PLACES: usize = 48;

impl<'v> Annotations<'v> {
    /// Walks `payload` against the endpoint's schema. A payload with the
    /// shape and the branch decisions of one walked before on this thread
    /// (the lines of an NDJSON batch mostly are) replays that walk: see
    /// [`Trace`].
    pub fn collect(registry: &'static Registry, endpoint: &Endpoint, payload: &'v Value) -> Self {
        let Some(graph) = registry.graph(endpoint) else {
            return Annotations::default();
        };
        TRACES.with(|cell| {
            let mut cache = cell.borrow_mut();
            // After a run of misses (a stream of ever-new shapes), only every
            // `RETRY_EVERY`th payload looks for a trace and records one.
            cache.misses = cache.misses.wrapping_add(1);
            if cache.misses > RETRY_EVERY && cache.misses % RETRY_EVERY != 0 {
                return Self::walk(registry, graph, payload, false).0;
            }
            let id = std::ptr::from_ref(graph) as usize;
            // The last trace first, unhashed: a homogeneous stream replays it.
            if let Some(found) = cache
                .traces
                .first()
                .filter(|t| t.graph == id)
                .and_then(|t| t.replay(registry, graph, payload))
            {
                cache.misses = 0;
                cache.replays += 1;
                return found;
            }
            let fingerprint = fingerprint(payload);
            let replayed = cache.traces.iter().enumerate().skip(1).find_map(|(i, t)| {
                (t.graph == id && t.fingerprint == fingerprint)
                    .then(|| t.replay(registry, graph, payload))
                    .flatten()
                    .map(|found| (i, found))
            });
            if let Some((i, found)) = replayed {
                // Most recently used first.
                cache.traces[..=i].rotate_right(1);
                cache.misses = 0;
                cache.replays += 1;
                return found;
            }
            let (found, trace) = Self::walk(registry, graph, payload, true);
            if let Some(mut trace) = trace {
                trace.fingerprint = fingerprint;
                cache.traces.insert(0, trace);
                cache.traces.truncate(TRACES_KEPT);
            }
            found
        })
    }

    /// Walks `payload` without looking for a trace to replay; with `record`,
    /// also returns the trace of this walk.
    fn walk(
        registry: &'static Registry,
        graph: &'static Graph,
        payload: &'v Value,
        record: bool,
    ) -> (Self, Option<Trace>) {
        let mut out = Annotations {
            places: Vec::with_capacity(32),
            entries: Vec::with_capacity(64),
            pointers: String::with_capacity(512),
            ..Annotations::default()
        };
        let mut trace = record.then(|| Trace::new(graph));
        if let Some(root) = graph.root {
            let mut walker = Walker {
                registry,
                graph,
                out: &mut out,
                seeds: vec![root],
                pointer: String::new(),
                trace: trace.as_mut(),
            };
            walker.place(0..1, payload, FNV_OFFSET, 0, Link::ROOT);
        }
        for (i, e) in out.entries.iter().enumerate() {
            out.annotation_bits |= e.info.annotation_bits;
            out.def_bits |= e.info.def_bit;
            if e.info.annotation_bits != 0 || e.info.format.is_some() {
                out.marked.push(i as u32);
            }
        }
        // A trace is kept for the thread's life: not for a payload this big
        // (few are, and their walk is cheap next to their parse).
        let mut trace = trace.filter(|t| t.replayable && t.links.len() <= MAX_TRACE_PLACES);
        if let Some(t) = trace.as_mut() {
            t.places = out
                .places
                .iter()
                .map(|p| (p.hash, p.pointer.clone(), p.entries.clone()))
                .collect();
            t.entries.clone_from(&out.entries);
            t.pointers.clone_from(&out.pointers);
            t.annotation_bits = out.annotation_bits;
            t.def_bits = out.def_bits;
            t.marked.clone_from(&out.marked);
        }
        (out, trace)
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
        let scan = || {
            self.places
                .iter()
                .position(|p| p.hash == hash && self.pointer_of(p) == pointer)
        };
        if self.places.len() <= SCANNED_PLACES {
            return scan();
        }
        let index = self.by_hash.get_or_init(|| {
            let mut map = std::collections::HashMap::with_capacity(self.places.len());
            for (i, p) in self.places.iter().enumerate() {
                map.entry(p.hash).or_insert(i as u32);
            }
            map
        });
        match index.get(&hash) {
            Some(&i) if self.pointer_of(&self.places[i as usize]) == pointer => Some(i as usize),
            // Two pointers with one hash: the scan decides.
            Some(_) => scan(),
            None => None,
        }
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

/// How many traces each thread keeps, most recent first, found by a hash
/// of the payload's shape: a stream that mixes this many shapes still
/// replays (a trace is a few kilobytes).
const TRACES_KEPT: usize = 64;

/// The most places a kept trace may have (a trace costs about 100 bytes
/// a place).
const MAX_TRACE_PLACES: usize = 2048;

/// After this many payloads in a row that no trace fitted, a thread tries
/// (and records) only every this-many-th payload, so a stream of ever-changing
/// shapes pays almost nothing for the traces.
const RETRY_EVERY: u32 = 16;

/// A thread's traces and its count of payloads in a row that none fitted.
struct TraceCache {
    traces: Vec<Trace>,
    misses: u32,
    /// Payloads replayed on this thread (for tests).
    replays: u64,
}

thread_local! {
    static TRACES: std::cell::RefCell<TraceCache> = const {
        std::cell::RefCell::new(TraceCache { traces: Vec::new(), misses: 0, replays: 0 })
    };
}

/// A walk's result without the payload's values, and everything about the
/// payload the walk depended on: where each place's value is and its shape
/// (the object's keys in order, the array's length, or neither), and each
/// decision that read values (the `oneOf`/`anyOf` variants followed, whether
/// an `if` held). The walk is a function of exactly these, so a payload with
/// the same shapes at the same places and the same decisions gets the same
/// places and nodes: [`Trace::replay`] checks both (the decisions by making
/// them again) and only rebinds the values.
struct Trace {
    /// The graph walked (its address): traces are per endpoint schema.
    graph: usize,
    /// [`fingerprint`] of the payload walked.
    fingerprint: u64,
    /// Per place: its pointer's hash, pointer range and entries range.
    places: Vec<(u64, Range<u32>, Range<u32>)>,
    entries: Vec<Entry>,
    pointers: String,
    annotation_bits: u16,
    def_bits: u64,
    marked: Vec<u32>,
    /// Per place: where its value is and what shape it had.
    links: Vec<Link>,
    /// Object keys of the places' shapes, one after another.
    keys: String,
    /// Ranges of `keys`, one per key.
    key_spans: Vec<Range<u32>>,
    /// The decisions, in the order the walk made them.
    decisions: Vec<Decision>,
    /// False when the walk made a decision a trace cannot hold.
    replayable: bool,
}

/// Where a place's value is: its parent place and its position there (the
/// key's position in the object, or the array index), and its shape.
struct Link {
    parent: u32,
    slot: u32,
    shape: Shape,
}

impl Link {
    /// The root: no parent.
    const ROOT: (u32, u32) = (u32::MAX, 0);
}

enum Shape {
    /// An object with these keys (a range of [`Trace::key_spans`]), in order.
    Object(Range<u32>),
    /// An array of this length.
    Array(usize),
    /// Anything else: the walk does not descend into it.
    Scalar,
}

/// A choice the walk made by reading the payload's values, at a place.
enum Decision {
    /// The variants of a `oneOf`/`anyOf` followed, as bits.
    Branch {
        place: u32,
        branch: &'static Branch,
        chosen: u64,
    },
    /// Whether an `if` held.
    If {
        place: u32,
        condition: &'static Lazy,
        held: bool,
    },
}

impl Trace {
    fn new(graph: &Graph) -> Self {
        Trace {
            graph: std::ptr::from_ref(graph) as usize,
            fingerprint: 0,
            places: Vec::new(),
            entries: Vec::new(),
            pointers: String::new(),
            annotation_bits: 0,
            def_bits: 0,
            marked: Vec::new(),
            links: Vec::with_capacity(32),
            keys: String::with_capacity(256),
            key_spans: Vec::with_capacity(64),
            decisions: Vec::new(),
            replayable: true,
        }
    }

    /// Records a place's value: where it is and its shape.
    fn link(&mut self, (parent, slot): (u32, u32), instance: &Value) {
        let shape = match instance {
            Value::Object(map) => {
                let first = self.key_spans.len() as u32;
                for key in map.keys() {
                    let start = self.keys.len() as u32;
                    self.keys.push_str(key);
                    self.key_spans.push(start..self.keys.len() as u32);
                }
                Shape::Object(first..self.key_spans.len() as u32)
            }
            Value::Array(items) => Shape::Array(items.len()),
            _ => Shape::Scalar,
        };
        self.links.push(Link {
            parent,
            slot,
            shape,
        });
    }

    /// The walk of `payload`, when it has this trace's shapes and decisions.
    fn replay<'v>(
        &self,
        registry: &'static Registry,
        graph: &Graph,
        payload: &'v Value,
    ) -> Option<Annotations<'v>> {
        let mut values: Vec<&'v Value> = Vec::with_capacity(self.links.len());
        for link in &self.links {
            // A parent place comes before its children, already checked.
            let value = if link.parent == u32::MAX {
                payload
            } else {
                match values.get(link.parent as usize)? {
                    Value::Object(map) => map.values().nth(link.slot as usize)?,
                    Value::Array(items) => items.get(link.slot as usize)?,
                    _ => return None,
                }
            };
            let same = match (&link.shape, value) {
                (Shape::Object(keys), Value::Object(map)) => {
                    let spans = &self.key_spans[keys.start as usize..keys.end as usize];
                    map.len() == spans.len()
                        && map
                            .keys()
                            .zip(spans)
                            .all(|(k, r)| *k == self.keys[r.start as usize..r.end as usize])
                }
                (Shape::Array(len), Value::Array(items)) => items.len() == *len,
                (Shape::Scalar, v) => !v.is_object() && !v.is_array(),
                _ => false,
            };
            if !same {
                return None;
            }
            values.push(value);
        }
        for decision in &self.decisions {
            let same = match *decision {
                Decision::Branch {
                    place,
                    branch,
                    chosen,
                } => choose(registry, graph, branch, values[place as usize]) == chosen,
                Decision::If {
                    place,
                    condition,
                    held,
                } => condition.is_valid(registry, values[place as usize]) == held,
            };
            if !same {
                return None;
            }
        }
        Some(Annotations {
            places: self
                .places
                .iter()
                .zip(values)
                .map(|((hash, pointer, entries), value)| Place {
                    hash: *hash,
                    value,
                    pointer: pointer.clone(),
                    entries: entries.clone(),
                })
                .collect(),
            entries: self.entries.clone(),
            pointers: self.pointers.clone(),
            annotation_bits: self.annotation_bits,
            def_bits: self.def_bits,
            marked: self.marked.clone(),
            by_hash: std::sync::OnceLock::new(),
        })
    }
}

struct Walker<'w, 'v> {
    registry: &'static Registry,
    graph: &'static Graph,
    out: &'w mut Annotations<'v>,
    /// A stack of seed nodes: each place's seeds are a range of it.
    seeds: Vec<&'static Value>,
    /// The pointer of the place being walked.
    pointer: String,
    /// Where the walk records what it depended on, when it does.
    trace: Option<&'w mut Trace>,
}

const MAX_DEPTH: usize = 96;

impl<'v> Walker<'_, 'v> {
    /// One place in the payload: every schema node that applies to it first
    /// (through `$ref`, `allOf`, the chosen `oneOf`/`anyOf` variant, `if`),
    /// then its children, each with the subschemas all those nodes give it.
    /// `link` is the parent place and the position in it.
    fn place(
        &mut self,
        seeds: Range<usize>,
        instance: &'v Value,
        hash: u64,
        depth: usize,
        link: (u32, u32),
    ) {
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
        if let Some(trace) = self.trace.as_deref_mut() {
            trace.link(link, instance);
        }
        let base = self.seeds.len();
        let parent_len = self.pointer.len();
        match instance {
            Value::Object(map) => {
                for (slot, (key, value)) in map.iter().enumerate() {
                    for e in &self.out.entries[start..end] {
                        if let Some(sub) = e.info.property(key).or(e.info.additional) {
                            self.seeds.push(sub);
                        }
                    }
                    if self.seeds.len() > base {
                        self.pointer.push('/');
                        self.pointer.push_str(&crate::pointer::escape(key));
                        let child = fnv(hash, &self.pointer.as_bytes()[parent_len..]);
                        let link = (index, slot as u32);
                        self.place(base..self.seeds.len(), value, child, depth + 1, link);
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
                        let link = (index, i as u32);
                        self.place(base..self.seeds.len(), value, child, depth + 1, link);
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
            let chosen = choose(self.registry, self.graph, branch, instance);
            if let Some(trace) = self.trace.as_deref_mut() {
                trace.replayable &= branch.variants.len() <= 64;
                trace.decisions.push(Decision::Branch {
                    place,
                    branch,
                    chosen,
                });
            }
            for (i, v) in branch.variants.iter().enumerate().take(64) {
                if chosen & (1 << i) != 0 {
                    self.expand(v.node, instance, place, depth + 1);
                }
            }
        }
        if let Some(condition) = &info.if_validator {
            let held = condition.is_valid(self.registry, instance);
            if let Some(trace) = self.trace.as_deref_mut() {
                trace.decisions.push(Decision::If {
                    place,
                    condition,
                    held,
                });
            }
            let sub = if held {
                info.then_else.0
            } else {
                info.then_else.1
            };
            if let Some(sub) = sub {
                self.expand(sub, instance, place, depth + 1);
            }
        }
    }
}

/// A hash of a value's shape (every object's keys in order, every array's
/// length, where scalars are), to find the trace a payload may replay. Equal
/// shapes hash equal; a collision only costs a replay that is refused.
fn fingerprint(value: &Value) -> u64 {
    fn shape(value: &Value, hash: u64) -> u64 {
        match value {
            Value::Object(map) => {
                let mut hash = fnv(hash, b"{");
                for (key, child) in map {
                    hash = fnv(hash, key.as_bytes());
                    hash = shape(child, fnv(hash, b":"));
                }
                fnv(hash, b"}")
            }
            Value::Array(items) => {
                let hash = items
                    .iter()
                    .fold(fnv(hash, b"["), |h, child| shape(child, h));
                fnv(hash, b"]")
            }
            _ => fnv(hash, b"."),
        }
    }
    shape(value, FNV_OFFSET)
}

/// The variants a `oneOf`/`anyOf` applies through, as bits (variant `i` is
/// bit `i`; the graph's branches have at most 64): the one its
/// discriminator names; else the plausible ones (required fields present,
/// no undeclared field) that the value satisfies; else, for a value that
/// satisfies none, the single plausible one, so rules still see the branch
/// the payload evidently meant.
fn choose(registry: &Registry, graph: &Graph, branch: &Branch, instance: &Value) -> u64 {
    let bit = |i: usize| if i < 64 { 1u64 << i } else { 0 };
    if let Some((property, values)) = &branch.discriminator {
        return instance
            .as_object()
            .and_then(|map| crate::graph::get(map, property))
            .and_then(|value| values.iter().position(|vs| vs.contains(value)))
            .filter(|&i| i < branch.variants.len())
            .map_or(0, bit);
    }
    let variants = || branch.variants.iter().enumerate().take(64);
    // Cheapest test first; the shallow value checks only where it leaves a choice.
    let mut plausible = 0u64;
    for (i, v) in variants() {
        if v.fields_fit(instance) {
            plausible |= bit(i);
        }
    }
    if plausible.count_ones() > 1 {
        for (i, v) in variants() {
            if plausible & bit(i) != 0 && !v.values_fit(graph, instance) {
                plausible &= !bit(i);
            }
        }
    }
    match plausible.count_ones() {
        // Nothing fits (a misspelt or missing field): follow the closest
        // variant, so the rules still check what the payload evidently meant.
        0 => closest(graph, branch, instance).map_or(0, bit),
        1 => plausible,
        _ => {
            let mut valid = 0u64;
            for (i, v) in variants() {
                if plausible & bit(i) != 0 && v.validator.is_valid(registry, instance) {
                    valid |= bit(i);
                    if branch.keyword == "oneOf" {
                        break;
                    }
                }
            }
            valid
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

/// The index of the variant nearest to the value by field distance, when
/// one is nearest (ties broken by the shallow value checks); `None` when it
/// is a guess.
fn closest(graph: &Graph, branch: &Branch, instance: &Value) -> Option<usize> {
    if !instance.is_object() {
        return None;
    }
    let best = branch
        .variants
        .iter()
        .map(|v| v.field_distance(instance))
        .min()?;
    let mut near: Vec<usize> = (0..branch.variants.len())
        .filter(|&i| branch.variants[i].field_distance(instance) == best)
        .collect();
    if near.len() > 1 {
        near.retain(|&i| branch.variants[i].values_fit(graph, instance));
    }
    (near.len() == 1).then(|| near[0])
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]
mod tests {
    use super::*;
    use std::path::Path;

    /// Everything a walk produced, values by address: a replay must bind
    /// each place to the same value of the payload, not an equal one.
    fn describe(a: &Annotations<'_>) -> String {
        let mut out = format!(
            "bits {} {} marked {:?}\n",
            a.annotation_bits, a.def_bits, a.marked
        );
        for p in &a.places {
            let uris: Vec<&str> = a.entries[p.entries.start as usize..p.entries.end as usize]
                .iter()
                .map(|e| &*e.info.uri)
                .collect();
            out += &format!(
                "{} {:x} {:p} {:?}\n",
                a.pointer_of(p),
                p.hash,
                p.value,
                uris
            );
        }
        out
    }

    /// Every payload of the examples and the rule cases, by endpoint id.
    fn payloads() -> Vec<(String, Value)> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut out = Vec::new();
        let mut stack = vec![root.join("../examples"), root.join("tests/cases")];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                if path.extension().and_then(|e| e.to_str()) != Some("json") {
                    continue;
                }
                let parts: Vec<String> = path
                    .iter()
                    .map(|p| p.to_string_lossy().into_owned())
                    .collect();
                let n = parts.len();
                let id = format!("{}/{}", parts[n - 3], parts[n - 2]);
                let Ok(value) = serde_json::from_slice(&std::fs::read(&path).unwrap()) else {
                    continue;
                };
                out.push((id, value));
            }
        }
        out
    }

    /// Variants of `value` that change one place: its type, its string, a
    /// key removed or added, an item removed or repeated.
    fn mutations(value: &Value) -> Vec<Value> {
        let mut pointers = Vec::new();
        fn collect(v: &Value, at: String, out: &mut Vec<String>) {
            match v {
                Value::Object(map) => {
                    for (k, c) in map {
                        collect(c, crate::pointer::join(&at, k), out);
                    }
                }
                Value::Array(items) => {
                    for (i, c) in items.iter().enumerate() {
                        collect(c, crate::pointer::join_index(&at, i), out);
                    }
                }
                _ => {}
            }
            out.push(at);
        }
        collect(value, String::new(), &mut pointers);
        let mut out = Vec::new();
        for p in pointers {
            let target = value.pointer(&p).unwrap();
            let mut replacements = vec![
                Value::from("image"),
                Value::from("text"),
                Value::from(7),
                Value::Null,
                serde_json::json!({}),
            ];
            if let Value::String(s) = target {
                replacements.push(Value::from(format!("{s}x")));
            }
            match target {
                Value::Object(map) => {
                    let mut fewer = map.clone();
                    if let Some(k) = map.keys().next() {
                        fewer.shift_remove(k);
                    }
                    replacements.push(Value::Object(fewer));
                    let mut more = map.clone();
                    more.insert("zz_extra".into(), Value::from(1));
                    replacements.push(Value::Object(more));
                }
                Value::Array(items) => {
                    replacements.push(Value::Array(
                        items[..items.len().saturating_sub(1)].to_vec(),
                    ));
                    let mut more = items.clone();
                    if let Some(first) = items.first() {
                        more.push(first.clone());
                    }
                    replacements.push(Value::Array(more));
                }
                _ => {}
            }
            for r in replacements {
                let mut changed = value.clone();
                *changed.pointer_mut(&p).unwrap() = r;
                out.push(changed);
            }
        }
        out
    }

    #[test]
    fn a_replayed_walk_is_the_walk() {
        let registry = Registry::get().unwrap();
        let payloads = payloads();
        assert!(
            payloads.len() > 200,
            "examples and rule cases: {}",
            payloads.len()
        );
        let (mut replayed, mut refused) = (0, 0);
        for (id, value) in &payloads {
            let endpoint = registry.endpoint(id).unwrap();
            let graph = registry.graph(endpoint).unwrap();
            let (walked, trace) = Annotations::walk(registry, graph, value, true);
            let trace = trace.expect("the embedded schemas' walks can be replayed");
            // The same payload always replays, to the same walk.
            let again = trace
                .replay(registry, graph, value)
                .expect("same payload replays");
            assert_eq!(describe(&again), describe(&walked), "{id}");
            // Other payloads of the endpoint, and every one-place change of
            // this one: a replay is either refused or exactly the walk.
            let others = payloads
                .iter()
                .filter(|(i, _)| i == id)
                .map(|(_, v)| v.clone());
            for other in others.chain(mutations(value)) {
                match trace.replay(registry, graph, &other) {
                    Some(found) => {
                        replayed += 1;
                        let (reference, _) = Annotations::walk(registry, graph, &other, false);
                        assert_eq!(describe(&found), describe(&reference), "{id}: {other}");
                    }
                    None => refused += 1,
                }
            }
        }
        // Both paths are exercised: changed values of the same shape replay,
        // changed shapes and decisions do not.
        assert!(
            replayed > 1000 && refused > 1000,
            "{replayed} replayed, {refused} refused"
        );
    }

    /// Sandeza's send endpoint, its schema graph and its WhatsApp template
    /// example with an image header.
    fn sandeza_example() -> (&'static Registry, &'static Endpoint, &'static Graph, Value) {
        let registry = Registry::get().unwrap();
        let endpoint = registry.endpoint("sandeza/send").unwrap();
        let graph = registry.graph(endpoint).unwrap();
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../examples/sandeza/send/whatsapp-json-header-image.json"
        ))
        .unwrap();
        (
            registry,
            endpoint,
            graph,
            serde_json::from_str(&text).unwrap(),
        )
    }

    #[test]
    fn collect_replays_only_what_it_may() {
        let (registry, endpoint, graph, first) = sandeza_example();
        let replays = || TRACES.with(|c| c.borrow().replays);
        let _ = Annotations::collect(registry, endpoint, &first);
        // A new ref_id: the same shape and decisions, replayed from the trace.
        let mut second = first.clone();
        second["ref_id"] = Value::from("inv20261121999");
        let before = replays();
        let found = Annotations::collect(registry, endpoint, &second);
        assert_eq!(replays(), before + 1, "the last trace replays");
        let (reference, _) = Annotations::walk(registry, graph, &second, false);
        assert_eq!(describe(&found), describe(&reference));
        assert!(std::ptr::eq(
            found.at("/ref_id").next().unwrap().value,
            &second["ref_id"]
        ));
        // The header turned into text: a different decision, walked afresh.
        let mut third = first.clone();
        third["channel"]["whatsapp"]["header"]["parameters"][0] =
            serde_json::json!({"type": "text", "text": "Promo"});
        let found = Annotations::collect(registry, endpoint, &third);
        assert_eq!(replays(), before + 1, "a new shape is walked");
        let (reference, _) = Annotations::walk(registry, graph, &third, false);
        assert_eq!(describe(&found), describe(&reference));
        assert!(found.with_def("WhatsAppHeaderImage").is_empty());
        // Back to the first shape: no longer the last trace, found by its hash.
        let found = Annotations::collect(registry, endpoint, &second);
        assert_eq!(replays(), before + 2, "an older trace replays");
        let (reference, _) = Annotations::walk(registry, graph, &second, false);
        assert_eq!(describe(&found), describe(&reference));
        // Same shape, another decision (a video link where the image was):
        // the trace is refused and the walk follows the video variant.
        let mut fourth = first.clone();
        fourth["channel"]["whatsapp"]["header"]["parameters"][0]["type"] = Value::from("video");
        let found = Annotations::collect(registry, endpoint, &fourth);
        let (reference, _) = Annotations::walk(registry, graph, &fourth, false);
        assert_eq!(describe(&found), describe(&reference));
    }

    #[test]
    fn big_payloads_leave_no_trace() {
        let (registry, _, graph, mut payload) = sandeza_example();
        let (walked, trace) = Annotations::walk(registry, graph, &payload, true);
        assert!(trace.is_some() && walked.places.len() < MAX_TRACE_PLACES);
        let parameters = &mut payload["channel"]["whatsapp"]["message"]["parameters"];
        let one = parameters[0].clone();
        *parameters = Value::Array(vec![one; MAX_TRACE_PLACES]);
        let (walked, trace) = Annotations::walk(registry, graph, &payload, true);
        assert!(walked.places.len() > MAX_TRACE_PLACES);
        assert!(trace.is_none());
    }

    #[test]
    fn shapes_hash_by_keys_lengths_and_kinds() {
        let a = serde_json::json!({"a": [1, {"b": "x"}], "c": null});
        assert_eq!(
            fingerprint(&a),
            fingerprint(&serde_json::json!({"a": [2, {"b": 3}], "c": "y"}))
        );
        for other in [
            serde_json::json!({"c": null, "a": [1, {"b": "x"}]}),
            serde_json::json!({"a": [1, {"b": "x"}, 2], "c": null}),
            serde_json::json!({"a": [1, {"bb": "x"}], "c": null}),
            serde_json::json!({"a": [1, ["x"]], "c": null}),
        ] {
            assert_ne!(fingerprint(&a), fingerprint(&other), "{other}");
        }
    }
}
