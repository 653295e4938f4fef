//! Enum values that the schemas accept in several spellings (`"url"`,
//! `"Url"`, `"URL"`) serialize, when built in code, as the first one in the
//! schema's `enum` (the generated type's canonical spelling). That must be
//! the spelling the provider's own samples use: this test walks every doc
//! sample under `tests/doc-samples/` along its endpoint's schema (`$ref`s
//! followed, `oneOf`/`anyOf` branches chosen by what fits, leniently: only
//! types, `enum`, `const`, `required` and closed objects count, so a
//! sample's placeholders do not hide its enum values), collects the
//! spelling at each enum with several spellings, and checks the schema's
//! first spelling of that value against it. Where the samples themselves
//! use two spellings of one value at one schema place, the one most sample
//! files use must come first; an even split is decided in the schema and
//! listed in [`DECIDED`] (one without an entry fails).

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use preflight::types::Request;
use preflight_tests::{json_files, root, sample_endpoint};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

struct Schemas {
    docs: HashMap<String, Value>,
}

/// A schema node: its document (path under `schemas/`), its pointer there.
#[derive(Clone)]
struct Node<'a> {
    file: String,
    ptr: String,
    value: &'a Value,
}

impl Schemas {
    fn load() -> Self {
        let dir = root().join("schemas");
        let mut docs = HashMap::new();
        for path in json_files(&dir) {
            let rel = path
                .strip_prefix(&dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            docs.insert(rel, value);
        }
        Schemas { docs }
    }

    fn root(&self, file: &str) -> Node<'_> {
        Node {
            file: file.to_string(),
            ptr: String::new(),
            value: &self.docs[file],
        }
    }

    /// The target of `node`'s `$ref`, if it has one.
    fn deref<'a>(&'a self, node: &Node<'a>) -> Option<Node<'a>> {
        let reference = node.value.get("$ref")?.as_str()?;
        let (target, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let file = if target.is_empty() {
            node.file.clone()
        } else {
            let mut parts: Vec<&str> = node.file.split('/').collect();
            parts.pop();
            for seg in target.split('/') {
                match seg {
                    ".." => {
                        parts.pop();
                    }
                    "." => {}
                    s => parts.push(s),
                }
            }
            parts.join("/")
        };
        let doc = self
            .docs
            .get(&file)
            .unwrap_or_else(|| panic!("{}: $ref to unknown {file}", node.file));
        let value = doc
            .pointer(fragment)
            .unwrap_or_else(|| panic!("{file}: no {fragment}"));
        Some(Node {
            file,
            ptr: fragment.to_string(),
            value,
        })
    }
}

fn child<'a>(node: &Node<'a>, path: &[&str]) -> Option<Node<'a>> {
    let mut value = node.value;
    let mut ptr = node.ptr.clone();
    for seg in path {
        value = match value {
            Value::Object(m) => m.get(*seg)?,
            Value::Array(a) => a.get(seg.parse::<usize>().ok()?)?,
            _ => return None,
        };
        ptr.push('/');
        ptr.push_str(&seg.replace('~', "~0").replace('/', "~1"));
    }
    Some(Node {
        file: node.file.clone(),
        ptr,
        value,
    })
}

fn branches<'a>(node: &Node<'a>, keyword: &str) -> Vec<Node<'a>> {
    let n = node
        .value
        .get(keyword)
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    (0..n)
        .filter_map(|i| child(node, &[keyword, &i.to_string()]))
        .collect()
}

fn same_value(spelling: &Value, given: &Value) -> bool {
    match (spelling, given) {
        (Value::String(a), Value::String(b)) => a.eq_ignore_ascii_case(b),
        (a, b) => a == b,
    }
}

fn type_fits(t: &str, v: &Value) -> bool {
    match t {
        "string" => v.is_string(),
        "integer" => v.is_i64() || v.is_u64(),
        "number" => v.is_number(),
        "boolean" => v.is_boolean(),
        "null" => v.is_null(),
        "object" => v.is_object(),
        "array" => v.is_array(),
        _ => true,
    }
}

/// Whether `value` fits `node`, leniently (types, enums in any case,
/// consts, required and closed objects; strings' lengths and patterns not).
fn fits(s: &Schemas, node: &Node<'_>, value: &Value) -> bool {
    let Value::Object(map) = node.value else {
        return node.value != &Value::Bool(false);
    };
    if let Some(target) = s.deref(node)
        && !fits(s, &target, value)
    {
        return false;
    }
    match map.get("type") {
        Some(Value::String(t)) if !type_fits(t, value) => return false,
        Some(Value::Array(ts))
            if !ts
                .iter()
                .filter_map(Value::as_str)
                .any(|t| type_fits(t, value)) =>
        {
            return false;
        }
        _ => {}
    }
    if let Some(Value::Array(options)) = map.get("enum")
        && !options.iter().any(|o| same_value(o, value))
    {
        return false;
    }
    if let Some(c) = map.get("const")
        && !same_value(c, value)
    {
        return false;
    }
    if branches(node, "allOf").iter().any(|b| !fits(s, b, value)) {
        return false;
    }
    for keyword in ["anyOf", "oneOf"] {
        let bs = branches(node, keyword);
        if !bs.is_empty() && !bs.iter().any(|b| fits(s, b, value)) {
            return false;
        }
    }
    if let Value::Object(object) = value {
        if let Some(Value::Array(required)) = map.get("required")
            && required
                .iter()
                .filter_map(Value::as_str)
                .any(|k| !object.contains_key(k))
        {
            return false;
        }
        let properties = map.get("properties").and_then(Value::as_object);
        for (k, v) in object {
            let closed = map.get("additionalProperties") == Some(&Value::Bool(false))
                && properties.is_some()
                && map.get("patternProperties").is_none();
            match child(node, &["properties", k]) {
                Some(p) if !fits(s, &p, v) => return false,
                None if closed => return false,
                _ => {}
            }
        }
    }
    if let (Value::Array(items), Some(item)) = (value, child(node, &["items"]))
        && items.iter().any(|v| !fits(s, &item, v))
    {
        return false;
    }
    true
}

/// One enum value of a sample: where in the schema, the sample's spelling.
struct Site {
    schema: String,
    spellings: Vec<Value>,
    given: String,
    sample: String,
}

fn walk(s: &Schemas, node: &Node<'_>, value: &Value, sample: &str, out: &mut Vec<Site>) {
    let Value::Object(map) = node.value else {
        return;
    };
    if let Some(target) = s.deref(node) {
        walk(s, &target, value, sample, out);
    }
    if let (Some(Value::Array(options)), Value::String(given)) = (map.get("enum"), value) {
        let several = options
            .iter()
            .any(|o| options.iter().filter(|p| same_value(o, p)).count() > 1);
        if several {
            out.push(Site {
                schema: format!("{}#{}", node.file, node.ptr),
                spellings: options.clone(),
                given: given.clone(),
                sample: sample.to_string(),
            });
        }
    }
    for b in branches(node, "allOf") {
        walk(s, &b, value, sample, out);
    }
    for keyword in ["anyOf", "oneOf"] {
        for b in branches(node, keyword) {
            if fits(s, &b, value) {
                walk(s, &b, value, sample, out);
            }
        }
    }
    if let Some(cond) = child(node, &["if"]) {
        let branch = if fits(s, &cond, value) {
            "then"
        } else {
            "else"
        };
        if let Some(b) = child(node, &[branch]) {
            walk(s, &b, value, sample, out);
        }
    }
    match value {
        Value::Object(object) => {
            for (k, v) in object {
                if let Some(p) = child(node, &["properties", k]) {
                    walk(s, &p, v, &format!("{sample}/{k}"), out);
                }
            }
        }
        Value::Array(items) => {
            if let Some(item) = child(node, &["items"]) {
                for (i, v) in items.iter().enumerate() {
                    walk(s, &item, v, &format!("{sample}/{i}"), out);
                }
            }
        }
        _ => {}
    }
}

/// Every enum value with several spellings in every doc sample that parses.
fn sites() -> Vec<Site> {
    let schemas = Schemas::load();
    let dir = root().join("tests/doc-samples");
    let mut out = Vec::new();
    for provider_dir in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        let provider = provider_dir.file_name().to_string_lossy().into_owned();
        let index =
            std::fs::read_to_string(provider_dir.path().join("INDEX.md")).unwrap_or_default();
        for path in json_files(&provider_dir.path()) {
            let file = path.file_name().unwrap().to_string_lossy().into_owned();
            let Some(endpoint) = sample_endpoint(Request::ENDPOINTS, &provider, &file, &index)
            else {
                continue;
            };
            // Some samples are not JSON (a missing comma): nothing to compare.
            let Ok(value) = serde_json::from_str::<Value>(&std::fs::read_to_string(&path).unwrap())
            else {
                continue;
            };
            let root = schemas.root(&format!("{endpoint}.json"));
            walk(
                &schemas,
                &root,
                &value,
                &format!("{provider}/{file}#"),
                &mut out,
            );
        }
    }
    out
}

/// Schema places whose samples are split evenly between two spellings of a
/// value: the spelling the schema lists first, and why.
const DECIDED: &[(&str, &str, &str)] = &[(
    "sandeza/send.json#/$defs/WhatsAppHeaderImage/properties/type",
    "image",
    "the header-image sample writes \"image\", the carousel sample (which reuses the type for a card's header) \"IMAGE\"; one type serializes one spelling, and a parsed carousel keeps its \"IMAGE\"",
)];

#[test]
fn canonical_spellings_are_the_samples() {
    let sites = sites();
    // Sandeza's samples have dozens of such values; a walk that finds none
    // is broken, not passing.
    assert!(sites.len() > 50, "only {} enum values found", sites.len());
    // (schema place, logical value) → spelling → samples using it.
    let mut uses: BTreeMap<(String, String), BTreeMap<String, Vec<String>>> = BTreeMap::new();
    let mut canonical: HashMap<(String, String), String> = HashMap::new();
    for site in &sites {
        let key = (site.schema.clone(), site.given.to_lowercase());
        let first = site
            .spellings
            .iter()
            .find(|o| same_value(o, &Value::String(site.given.clone())))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        canonical.insert(key.clone(), first);
        uses.entry(key)
            .or_default()
            .entry(site.given.clone())
            .or_default()
            .push(site.sample.clone());
    }
    let mut wrong = Vec::new();
    for (key, spellings) in &uses {
        // One vote per sample file (a carousel's two cards are one sample).
        let files = |samples: &Vec<String>| {
            let mut f: Vec<&str> = samples.iter().filter_map(|s| s.split('#').next()).collect();
            f.dedup();
            f.len()
        };
        let most = spellings.values().map(files).max().unwrap_or(0);
        let winners: Vec<&String> = spellings
            .iter()
            .filter(|(_, samples)| files(samples) == most)
            .map(|(s, _)| s)
            .collect();
        let first = &canonical[key];
        let decided = DECIDED
            .iter()
            .any(|(place, spelling, _)| *place == key.0 && spelling == first);
        let ok = match winners.as_slice() {
            [only] => *only == first,
            several => decided && several.contains(&first),
        };
        if !ok {
            wrong.push(format!(
                "{}: serializes {first:?}, the samples use {}",
                key.0,
                spellings
                    .iter()
                    .map(|(s, samples)| format!("{s:?} ({})", samples.join(", ")))
                    .collect::<Vec<_>>()
                    .join("; ")
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "put the samples' spelling first in these `enum`s (or, for an even split, decide it and list it in DECIDED):\n{}",
        wrong.join("\n")
    );
    // Every decision is still needed.
    for (place, _, _) in DECIDED {
        assert!(
            uses.keys().any(|(p, _)| p == place),
            "{place} is in DECIDED but no sample has a value there"
        );
    }
}
