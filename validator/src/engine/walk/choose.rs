//! Which `oneOf`/`anyOf` variants a value goes through: one pure function,
//! used by the walk and by the replay alike, so they cannot disagree.

use crate::engine::facts::graph::{Branch, Graph};
use serde_json::Value;

/// The variants a `oneOf`/`anyOf` applies through, as bits (variant `i` is
/// bit `i`; the graph's branches have at most 64): the one its
/// discriminator names; else the plausible ones (required fields present,
/// no undeclared field) that the value satisfies; else, for a value that
/// satisfies none, the single plausible one, so rules still see the branch
/// the payload evidently meant.
pub(super) fn choose(graph: &Graph, branch: &Branch, instance: &Value) -> u64 {
    let bit = |i: usize| if i < 64 { 1u64 << i } else { 0 };
    if let Some((property, values)) = &branch.discriminator {
        return instance
            .as_object()
            .and_then(|map| crate::engine::facts::graph::get(map, property))
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
                if plausible & bit(i) != 0 && v.validator.is_valid(graph.registry, instance) {
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
