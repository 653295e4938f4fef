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

mod choose;
mod places;
mod replay;
mod walker;

pub(crate) use places::{Annotations, Fact, Keyed};

use crate::engine::facts::graph::Graph;
use crate::engine::schema::registry::Endpoint;
use serde_json::Value;

impl<'v> Annotations<'v> {
    /// Walks `payload` against the endpoint's schema. A payload with the
    /// shape and the branch decisions of one walked before on this thread
    /// (the lines of an NDJSON batch mostly are) replays that walk: see
    /// [`replay`].
    pub fn collect(endpoint: &Endpoint, payload: &'v Value) -> Self {
        let Some(graph) = Graph::of(endpoint) else {
            return Annotations::default();
        };
        match replay::lookup(graph, payload) {
            replay::Lookup::Replayed(found) => found,
            replay::Lookup::Walk {
                record,
                fingerprint,
            } => {
                let (found, trace) = Self::walk(graph, payload, record);
                if let Some(trace) = trace {
                    replay::keep(trace, fingerprint);
                }
                found
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]
mod tests {
    use super::replay::{self, MAX_TRACE_PLACES, fingerprint};
    use super::*;
    use crate::engine::schema::registry::Registry;
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
                // Templates files are not payloads; `with-templates/` holds
                // payloads of its parent endpoint.
                if parts
                    .iter()
                    .any(|p| p == "templates" || p == "meta" || p == "templates.json")
                {
                    continue;
                }
                let n = parts.len() - usize::from(parts[parts.len() - 2] == "with-templates");
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
                        collect(c, crate::engine::text::pointer::join(&at, k), out);
                    }
                }
                Value::Array(items) => {
                    for (i, c) in items.iter().enumerate() {
                        collect(c, crate::engine::text::pointer::join_index(&at, i), out);
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
            let graph = Graph::of(endpoint).unwrap();
            let (walked, trace) = Annotations::walk(graph, value, true);
            let trace = trace.expect("the embedded schemas' walks can be replayed");
            // The same payload always replays, to the same walk.
            let again = trace.replay(graph, value).expect("same payload replays");
            assert_eq!(describe(&again), describe(&walked), "{id}");
            // Other payloads of the endpoint, and every one-place change of
            // this one: a replay is either refused or exactly the walk.
            let others = payloads
                .iter()
                .filter(|(i, _)| i == id)
                .map(|(_, v)| v.clone());
            for other in others.chain(mutations(value)) {
                match trace.replay(graph, &other) {
                    Some(found) => {
                        replayed += 1;
                        let (reference, _) = Annotations::walk(graph, &other, false);
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
    fn sandeza_example() -> (&'static Endpoint, &'static Graph, Value) {
        let registry = Registry::get().unwrap();
        let endpoint = registry.endpoint("sandeza/send").unwrap();
        let graph = Graph::of(endpoint).unwrap();
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../examples/sandeza/send/whatsapp-json-header-image.json"
        ))
        .unwrap();
        (endpoint, graph, serde_json::from_str(&text).unwrap())
    }

    #[test]
    fn collect_replays_only_what_it_may() {
        let (endpoint, graph, first) = sandeza_example();
        let replays = || replay::replays();
        let _ = Annotations::collect(endpoint, &first);
        // A new ref_id: the same shape and decisions, replayed from the trace.
        let mut second = first.clone();
        second["ref_id"] = Value::from("inv20261121999");
        let before = replays();
        let found = Annotations::collect(endpoint, &second);
        assert_eq!(replays(), before + 1, "the last trace replays");
        let (reference, _) = Annotations::walk(graph, &second, false);
        assert_eq!(describe(&found), describe(&reference));
        assert!(std::ptr::eq(
            found.at("/ref_id").next().unwrap().value,
            &second["ref_id"]
        ));
        // The header turned into text: a different decision, walked afresh.
        let mut third = first.clone();
        third["channel"]["whatsapp"]["header"]["parameters"][0] =
            serde_json::json!({"type": "text", "text": "Promo"});
        let found = Annotations::collect(endpoint, &third);
        assert_eq!(replays(), before + 1, "a new shape is walked");
        let (reference, _) = Annotations::walk(graph, &third, false);
        assert_eq!(describe(&found), describe(&reference));
        assert!(found.with_def("WhatsAppHeaderImage").is_empty());
        // Back to the first shape: no longer the last trace, found by its hash.
        let found = Annotations::collect(endpoint, &second);
        assert_eq!(replays(), before + 2, "an older trace replays");
        let (reference, _) = Annotations::walk(graph, &second, false);
        assert_eq!(describe(&found), describe(&reference));
        // Same shape, another decision (a video link where the image was):
        // the trace is refused and the walk follows the video variant.
        let mut fourth = first.clone();
        fourth["channel"]["whatsapp"]["header"]["parameters"][0]["type"] = Value::from("video");
        let found = Annotations::collect(endpoint, &fourth);
        let (reference, _) = Annotations::walk(graph, &fourth, false);
        assert_eq!(describe(&found), describe(&reference));
    }

    #[test]
    fn big_payloads_leave_no_trace() {
        let (_, graph, mut payload) = sandeza_example();
        let (walked, trace) = Annotations::walk(graph, &payload, true);
        assert!(trace.is_some() && walked.places.len() < MAX_TRACE_PLACES);
        let parameters = &mut payload["channel"]["whatsapp"]["message"]["parameters"];
        let one = parameters[0].clone();
        *parameters = Value::Array(vec![one; MAX_TRACE_PLACES]);
        let (walked, trace) = Annotations::walk(graph, &payload, true);
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

    /// Every (pointer, schema node) the walk applies to `value`.
    fn applied(endpoint: &Endpoint, value: &Value) -> Vec<(String, &'static Value)> {
        let a = Annotations::collect(endpoint, value);
        a.entries
            .iter()
            .map(|e| {
                (
                    a.pointer_of(&a.places[e.place as usize]).to_string(),
                    e.info.node,
                )
            })
            .collect()
    }

    // The schema contract: mutating a real example at a place the walk says a
    // schema node applies gives the keyword finding at exactly that pointer.
    /// The first object in the payload whose schema requires fields, as
    /// (pointer, first required field).
    fn a_required_field(endpoint: &Endpoint, value: &Value) -> Option<(String, String)> {
        for (pointer, node) in applied(endpoint, value) {
            let Some(required) = node.get("required").and_then(Value::as_array) else {
                continue;
            };
            let Some(target) = value.pointer(&pointer).and_then(Value::as_object) else {
                continue;
            };
            if let Some(field) = required
                .iter()
                .filter_map(Value::as_str)
                .find(|f| target.contains_key(*f))
            {
                return Some((pointer, field.to_string()));
            }
        }
        None
    }

    /// A string in the payload whose schema gives it a maxLength, as (pointer, limit).
    fn a_limited_string(endpoint: &Endpoint, value: &Value) -> Option<(String, usize)> {
        applied(endpoint, value)
            .into_iter()
            .find_map(|(pointer, node)| {
                let limit = node.get("maxLength")?.as_u64()?;
                value.pointer(&pointer)?.as_str()?;
                Some((pointer, limit as usize))
            })
    }

    /// A string in the payload whose schema says `"type": "string"` only.
    fn a_plain_string(endpoint: &Endpoint, value: &Value) -> Option<String> {
        applied(endpoint, value)
            .into_iter()
            .find_map(|(pointer, node)| {
                (node.get("type")? == "string" && value.pointer(&pointer)?.is_string())
                    .then_some(pointer)
            })
    }

    #[test]
    fn mutated_examples_are_rejected_at_the_right_pointer() {
        let registry = Registry::get().unwrap();
        for e in registry.endpoints() {
            let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../examples")
                .join(e.id);
            let mut examples: Vec<_> = std::fs::read_dir(&dir)
                .unwrap()
                .map(|f| f.unwrap().path())
                .collect();
            examples.sort();
            let ex = &examples[0];
            let value: Value = serde_json::from_str(&std::fs::read_to_string(ex).unwrap()).unwrap();
            let mut tested = 0;
            if let Some((ptr, field)) = a_required_field(e, &value) {
                let mut broken = value.clone();
                broken
                    .pointer_mut(&ptr)
                    .unwrap()
                    .as_object_mut()
                    .unwrap()
                    .shift_remove(&field);
                let report = crate::validate_value(e.id, &broken).unwrap();
                let expected = format!("{ptr}/{}", field.replace('~', "~0").replace('/', "~1"));
                assert!(
                    report
                        .diagnostics
                        .iter()
                        .any(|d| d.rule == "required" && d.pointer == expected),
                    "{}: removing {expected} gave {:#?}",
                    e.id,
                    report.diagnostics
                );
                tested += 1;
            }
            if let Some((ptr, limit)) = a_limited_string(e, &value) {
                let mut broken = value.clone();
                let current = broken.pointer(&ptr).unwrap().as_str().unwrap().to_string();
                let filler = if current.chars().all(|c| c.is_ascii_digit()) && !current.is_empty() {
                    '7'
                } else {
                    'a'
                };
                let long: String = std::iter::repeat_n(filler, limit + 1).collect();
                *broken.pointer_mut(&ptr).unwrap() = Value::String(long);
                let report = crate::validate_value(e.id, &broken).unwrap();
                assert!(
                    report
                        .diagnostics
                        .iter()
                        .any(|d| d.rule == "max-length" && d.pointer == ptr),
                    "{}: {} characters at {ptr} gave {:#?}",
                    e.id,
                    limit + 1,
                    report.diagnostics
                );
                tested += 1;
            }
            if let Some(ptr) = a_plain_string(e, &value) {
                let mut broken = value.clone();
                *broken.pointer_mut(&ptr).unwrap() = Value::from(12345);
                let report = crate::validate_value(e.id, &broken).unwrap();
                assert!(
                    report
                        .diagnostics
                        .iter()
                        .any(|d| d.rule == "type" && d.pointer == ptr),
                    "{}: a number at {ptr} gave {:#?}",
                    e.id,
                    report.diagnostics
                );
                tested += 1;
            }
            assert!(
                tested > 0,
                "{}: no mutation applies to {}",
                e.id,
                ex.display()
            );
        }
    }
}
