//! The walk itself: the payload and the schema side by side, every node
//! that applies recorded at its place (and, when asked, what the walk
//! depended on, for [`super::replay`]).

use super::choose::choose;
use super::places::{Annotations, Entry, Place};
use super::replay::{Decision, Link, MAX_TRACE_PLACES, Trace};
use crate::engine::facts::graph::{FNV_OFFSET, Graph, fnv};
use serde_json::Value;
use std::ops::Range;

impl<'v> Annotations<'v> {
    /// Walks `payload` without looking for a trace to replay; with `record`,
    /// also returns the trace of this walk.
    pub(super) fn walk(
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
}

struct Walker<'w, 'v> {
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
                        self.pointer
                            .push_str(&crate::engine::text::pointer::escape(key));
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
            let chosen = choose(self.graph, branch, instance);
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
            let held = condition.is_valid(self.graph.registry, instance);
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

/// Appends the decimal digits of `n` (array indices, without `format!`).
fn push_index(out: &mut String, n: usize) {
    if n < 10 {
        out.push(char::from(b'0' + n as u8));
    } else {
        push_index(out, n / 10);
        out.push(char::from(b'0' + (n % 10) as u8));
    }
}
