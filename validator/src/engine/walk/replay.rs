//! Replaying the walk: a payload with the shape and the branch decisions of
//! one walked before on the same thread (the lines of an NDJSON batch mostly
//! are) gets that walk's places and nodes, rebound to its own values, without
//! walking again.

use super::choose::choose;
use super::places::{Annotations, Entry, Place};
use crate::engine::facts::graph::{Branch, FNV_OFFSET, Graph, Lazy, fnv};
use serde_json::Value;
use std::ops::Range;

/// How many traces each thread keeps, most recent first, found by a hash
/// of the payload's shape: a stream that mixes this many shapes still
/// replays (a trace is a few kilobytes).
const TRACES_KEPT: usize = 64;

/// The most places a kept trace may have (a trace costs about 100 bytes
/// a place).
pub(super) const MAX_TRACE_PLACES: usize = 2048;

/// After this many payloads in a row that no trace fitted, a thread tries
/// (and records) only every this-many-th payload, so a stream of ever-changing
/// shapes pays almost nothing for the traces.
const RETRY_EVERY: u32 = 16;

/// What the thread's traces say about a payload.
pub(super) enum Lookup<'v> {
    /// A trace fitted: the walk, replayed.
    Replayed(Annotations<'v>),
    /// None fitted: walk afresh, recording a trace to [`keep`] when `record`.
    Walk {
        /// Record the walk's trace.
        record: bool,
        /// The payload's [`fingerprint`], to keep the trace under.
        fingerprint: u64,
    },
}

/// Looks for a trace of this thread that `payload` replays.
pub(super) fn lookup<'v>(graph: &'static Graph, payload: &'v Value) -> Lookup<'v> {
    TRACES.with(|cell| {
        let mut cache = cell.borrow_mut();
        // After a run of misses (a stream of ever-new shapes), only every
        // `RETRY_EVERY`th payload looks for a trace and records one.
        cache.misses = cache.misses.wrapping_add(1);
        if cache.misses > RETRY_EVERY && cache.misses % RETRY_EVERY != 0 {
            return Lookup::Walk {
                record: false,
                fingerprint: 0,
            };
        }
        let id = std::ptr::from_ref(graph) as usize;
        // The last trace first, unhashed: a homogeneous stream replays it.
        if let Some(found) = cache
            .traces
            .first()
            .filter(|t| t.graph == id)
            .and_then(|t| t.replay(graph, payload))
        {
            cache.misses = 0;
            cache.replays += 1;
            return Lookup::Replayed(found);
        }
        let fingerprint = fingerprint(payload);
        let replayed = cache.traces.iter().enumerate().skip(1).find_map(|(i, t)| {
            (t.graph == id && t.fingerprint == fingerprint)
                .then(|| t.replay(graph, payload))
                .flatten()
                .map(|found| (i, found))
        });
        if let Some((i, found)) = replayed {
            // Most recently used first.
            cache.traces[..=i].rotate_right(1);
            cache.misses = 0;
            cache.replays += 1;
            return Lookup::Replayed(found);
        }
        Lookup::Walk {
            record: true,
            fingerprint,
        }
    })
}

/// Keeps the trace of a walk, most recent first.
pub(super) fn keep(mut trace: Trace, fingerprint: u64) {
    trace.fingerprint = fingerprint;
    TRACES.with(|cell| {
        let mut cache = cell.borrow_mut();
        cache.traces.insert(0, trace);
        cache.traces.truncate(TRACES_KEPT);
    });
}

/// Payloads replayed on this thread so far (for tests).
#[cfg(test)]
pub(super) fn replays() -> u64 {
    TRACES.with(|c| c.borrow().replays)
}

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
pub(super) struct Trace {
    /// The graph walked (its address): traces are per endpoint schema.
    pub(super) graph: usize,
    /// [`fingerprint`] of the payload walked.
    pub(super) fingerprint: u64,
    /// Per place: its pointer's hash, pointer range and entries range.
    pub(super) places: Vec<(u64, Range<u32>, Range<u32>)>,
    pub(super) entries: Vec<Entry>,
    pub(super) pointers: String,
    pub(super) annotation_bits: u16,
    pub(super) def_bits: u64,
    pub(super) marked: Vec<u32>,
    /// Per place: where its value is and what shape it had.
    pub(super) links: Vec<Link>,
    /// Object keys of the places' shapes, one after another.
    pub(super) keys: String,
    /// Ranges of `keys`, one per key.
    pub(super) key_spans: Vec<Range<u32>>,
    /// The decisions, in the order the walk made them.
    pub(super) decisions: Vec<Decision>,
    /// False when the walk made a decision a trace cannot hold.
    pub(super) replayable: bool,
}

/// Where a place's value is: its parent place and its position there (the
/// key's position in the object, or the array index), and its shape.
pub(super) struct Link {
    parent: u32,
    slot: u32,
    shape: Shape,
}

impl Link {
    /// The root: no parent.
    pub(super) const ROOT: (u32, u32) = (u32::MAX, 0);
}

pub(super) enum Shape {
    /// An object with these keys (a range of [`Trace::key_spans`]), in order.
    Object(Range<u32>),
    /// An array of this length.
    Array(usize),
    /// Anything else: the walk does not descend into it.
    Scalar,
}

/// A choice the walk made by reading the payload's values, at a place.
pub(super) enum Decision {
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
    pub(super) fn new(graph: &Graph) -> Self {
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
    pub(super) fn link(&mut self, (parent, slot): (u32, u32), instance: &Value) {
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
    pub(super) fn replay<'v>(&self, graph: &Graph, payload: &'v Value) -> Option<Annotations<'v>> {
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
                } => choose(graph, branch, values[place as usize]) == chosen,
                Decision::If {
                    place,
                    condition,
                    held,
                } => condition.is_valid(graph.registry, values[place as usize]) == held,
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

/// A hash of a value's shape (every object's keys in order, every array's
/// length, where scalars are), to find the trace a payload may replay. Equal
/// shapes hash equal; a collision only costs a replay that is refused.
pub(super) fn fingerprint(value: &Value) -> u64 {
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
