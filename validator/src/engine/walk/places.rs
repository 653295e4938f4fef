//! The walk's result: every schema node that applies at each place of one
//! payload, and the look-ups rules make into it.

use crate::engine::facts::graph::{FNV_OFFSET, Facts, NodeInfo, fnv};
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
    /// The node's `format`, if any.
    pub fn format(&self) -> Option<&'static str> {
        self.info.format
    }

    /// What the node's `x-` annotations say, typed.
    pub fn facts(&self) -> &'static Facts {
        &self.info.facts
    }
}

/// A place in the payload that some schema node describes.
#[derive(Debug, Clone)]
pub(super) struct Place<'v> {
    /// FNV-1a hash of the pointer, so lookups compare strings only on a match.
    pub(super) hash: u64,
    /// The payload value.
    pub(super) value: &'v Value,
    /// The place's pointer, a range of [`Annotations::pointers`].
    pub(super) pointer: Range<u32>,
    /// The nodes that apply here, a range of [`Annotations::entries`].
    pub(super) entries: Range<u32>,
}

/// An applied node: the place (index into `places`) and the node's info.
#[derive(Clone, Copy)]
pub(super) struct Entry {
    pub(super) place: u32,
    pub(super) info: &'static NodeInfo,
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
    pub(super) places: Vec<Place<'v>>,
    /// Applied nodes in document order, contiguous per place.
    pub(super) entries: Vec<Entry>,
    /// Every place's pointer, one after another.
    pub(super) pointers: String,
    /// The union of the entries' [`NodeInfo::annotation_bits`].
    pub(super) annotation_bits: u16,
    /// The union of the entries' [`NodeInfo::def_bit`].
    pub(super) def_bits: u64,
    /// Entries whose node has a known `x-` annotation or a `format`, the
    /// only ones the per-payload searches need to look at.
    pub(super) marked: Vec<u32>,
    /// Place index by pointer hash, built on the first look-up in a payload
    /// with many places (rules look places up one by one: a scan each would
    /// make a long array quadratic).
    pub(super) by_hash: std::sync::OnceLock<std::collections::HashMap<u64, u32>>,
}

/// Payloads with at most this many places are looked up by a scan.
const SCANNED_PLACES: usize = 48;

impl<'v> Annotations<'v> {
    pub(super) fn pointer_of(&self, place: &Place<'_>) -> &str {
        &self.pointers[place.pointer.start as usize..place.pointer.end as usize]
    }

    fn applied<'a>(&'a self, entry: &Entry) -> Applied<'a> {
        let place = &self.places[entry.place as usize];
        Applied {
            pointer: self.pointer_of(place),
            value: place.value,
            uri: &entry.info.uri,
            info: entry.info,
        }
    }

    /// The applied nodes that carry a `format` or one of
    /// [`crate::engine::facts::graph::ANNOTATION_KEYS`], in document order.
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
        if self.def_bits & crate::engine::facts::graph::def_bit(def) == 0 {
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

    /// Every place where an applied node has `fact`, with that node's facts
    /// and the payload value there; one entry per place (the first node that
    /// has it), in document order.
    pub fn with_fact(&self, fact: Fact) -> Vec<Keyed<'_>> {
        let bit = crate::engine::facts::graph::annotation_bit(fact.key());
        let mut out: Vec<Keyed<'_>> = Vec::new();
        if self.annotation_bits & bit == 0 {
            return out;
        }
        let mut last_place = u32::MAX;
        for e in self.marked.iter().map(|&i| &self.entries[i as usize]) {
            if e.place == last_place || e.info.annotation_bits & bit == 0 {
                continue;
            }
            if fact.holds(&e.info.facts) {
                last_place = e.place;
                let a = self.applied(e);
                out.push(Keyed {
                    pointer: a.pointer,
                    facts: &e.info.facts,
                    value: a.value,
                });
            }
        }
        out
    }

    /// The facts of every node that applies at `pointer`.
    pub fn facts_at<'a>(&'a self, pointer: &str) -> impl Iterator<Item = &'static Facts> + 'a {
        self.at(pointer).map(|a| a.facts())
    }

    /// Pointers of values marked `x-secret`.
    pub fn secret_pointers(&self) -> Vec<String> {
        self.with_fact(Fact::Secret)
            .into_iter()
            .map(|k| k.pointer.to_string())
            .collect()
    }
}

/// A typed fact a search looks for, one per indexed `x-` annotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fact {
    /// `x-phone`.
    Phone,
    /// `x-format`.
    Format,
    /// `x-secret: true`.
    Secret,
    /// `x-discrepancy`.
    Discrepancy,
}

impl Fact {
    fn key(self) -> &'static str {
        match self {
            Fact::Phone => "x-phone",
            Fact::Format => "x-format",
            Fact::Secret => "x-secret",
            Fact::Discrepancy => "x-discrepancy",
        }
    }

    fn holds(self, facts: &Facts) -> bool {
        match self {
            Fact::Phone => facts.phone.is_some(),
            Fact::Format => facts.format.is_some(),
            Fact::Secret => facts.secret,
            Fact::Discrepancy => facts.discrepancy.is_some(),
        }
    }
}

/// A place where a schema node has a given fact: see [`Annotations::with_fact`].
#[derive(Debug, Clone, Copy)]
pub struct Keyed<'a> {
    /// Pointer into the payload.
    pub pointer: &'a str,
    /// The facts of the node that has it.
    pub facts: &'static Facts,
    /// The payload value at the pointer.
    pub value: &'a Value,
}
