//! The schema documents as a graph the annotation walker can follow without
//! string work: every schema object's absolute URI, its resolved `$ref`, its
//! `oneOf`/`anyOf` variants (with their discriminator, required fields and
//! closed field sets), its `x-` annotations as typed [`Facts`], and lazily
//! compiled validators for branches that need evaluating, all computed once
//! per process and looked up by node address (or, for translation, by URI).

use super::delimited::Spec as DelimitedSpec;
use super::media::MediaSpec;
use super::phone::Form;
use super::variants;
use crate::diagnostic::{Severity, Source};
use crate::engine::schema::refs::{percent_decode, resolve_ref};
use crate::engine::schema::registry::{Endpoint, Registry};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

/// What the walker needs to know about one schema object.
pub struct NodeInfo {
    /// The schema object itself.
    pub node: &'static Value,
    /// Absolute URI (document `$id` + `#` + JSON pointer).
    pub uri: Arc<str>,
    /// The `$defs` key, when the node is a named definition.
    pub def_name: Option<&'static str>,
    /// A bit per [`ANNOTATION_KEYS`] entry the node carries.
    pub annotation_bits: u16,
    /// [`def_bit`] of the `$defs` name, 0 for an unnamed node.
    pub def_bit: u64,
    /// The node's `format`.
    pub format: Option<&'static str>,
    /// The target of `$ref`, when there is one and it resolves.
    pub ref_target: Option<&'static Value>,
    /// `oneOf` / `anyOf` on this node.
    pub branches: Vec<Branch>,
    /// The compiled `if` subschema, when the node has `if`.
    pub if_validator: Option<Lazy>,
    /// `then` and `else`.
    pub then_else: (Option<&'static Value>, Option<&'static Value>),
    /// `properties`, in schema order (small: a linear scan beats hashing).
    pub properties: Vec<(&'static str, &'static Value)>,
    /// `additionalProperties` when it is a schema object.
    pub additional: Option<&'static Value>,
    /// `allOf`.
    pub all_of: &'static [Value],
    /// `prefixItems`.
    pub prefix_items: &'static [Value],
    /// `items` when it is a schema object.
    pub items: Option<&'static Value>,
    /// What [`shallow_ok`] checks on this node.
    pub shallow: Shallow,
    /// The node's `x-` annotations, typed.
    pub facts: Facts,
}

/// What a schema node's `x-` annotations (and a few keywords) say, typed:
/// what rules and translation read instead of the schema itself.
#[derive(Debug, Default)]
pub struct Facts {
    /// `x-media`, for the media rules.
    pub media: Option<MediaSpec>,
    /// `x-delimited`, for `delimited-format`.
    pub delimited: Option<DelimitedSpec>,
    /// `x-phone`: the provider's written form of a phone number.
    pub phone: Option<Form>,
    /// `x-status-codes`: the status codes a Sandeza `backup_on` allows.
    pub status_codes: Option<Vec<u64>>,
    /// `x-secret`: the value is never shown.
    pub secret: bool,
    /// `x-placeholder-exempt`: the value's real syntax looks like a doc placeholder.
    pub placeholder_exempt: bool,
    /// `x-format`: a value format preflight's rules check (`unix-seconds`, …).
    pub format: Option<&'static str>,
    /// `x-severity`: the node's constraints are warnings.
    pub severity: Option<Severity>,
    /// `x-source`: whose rule the node's constraints are.
    pub source: Option<Source>,
    /// The value has a fixed form (`x-phone`, `x-media`, `x-format`, `format`,
    /// `enum`, `const` or `pattern`): whitespace at its ends is a mistake.
    pub exact_form: bool,
    /// `description`, when the node has one.
    pub description: Option<&'static str>,
    /// `x-discrepancy`: this is the less likely reading of a field the
    /// provider's doc contradicts itself about (see `schema::tolerate`).
    pub discrepancy: Option<&'static str>,
    /// `x-form`: the written form a variant stands for ("JSON format"),
    /// which its sibling variants of another form cannot be mixed with.
    pub form: Option<&'static str>,
}

impl Facts {
    fn of(registry: &'static Registry, uri: &str, node: &'static Value) -> Facts {
        let text = |key: &str| node.get(key).and_then(Value::as_str);
        Facts {
            media: MediaSpec::of(node),
            delimited: DelimitedSpec::of(registry, uri, node),
            phone: text("x-phone").and_then(Form::from_annotation),
            status_codes: node
                .get("x-status-codes")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_u64).collect()),
            secret: node.get("x-secret").and_then(Value::as_bool) == Some(true),
            placeholder_exempt: node.get("x-placeholder-exempt").and_then(Value::as_bool)
                == Some(true),
            format: text("x-format"),
            severity: (text("x-severity") == Some("warning")).then_some(Severity::Warning),
            source: match text("x-source") {
                Some("platform") => Some(Source::Platform),
                Some("provider") => Some(Source::Provider),
                _ => None,
            },
            exact_form: [
                "x-phone", "x-media", "x-format", "format", "enum", "const", "pattern",
            ]
            .iter()
            .any(|k| node.get(*k).is_some_and(|v| !v.is_null())),
            description: text("description"),
            discrepancy: text("x-discrepancy"),
            form: text("x-form"),
        }
    }
}

/// The `x-` annotations rules look for on every payload, one bit each in
/// [`NodeInfo::annotation_bits`], so a search skips nodes without them.
pub const ANNOTATION_KEYS: &[&str] = &[
    "x-media",
    "x-phone",
    "x-format",
    "x-secret",
    "x-placeholder-exempt",
    "x-status-codes",
    "x-delimited",
    "x-discrepancy",
];

/// The bit of an annotation key in [`ANNOTATION_KEYS`], or 0.
pub fn annotation_bit(key: &str) -> u16 {
    ANNOTATION_KEYS
        .iter()
        .position(|k| *k == key)
        .map_or(0, |i| 1 << i)
}

/// One of 64 bits for a `$defs` name (a one-hash Bloom filter): a payload
/// whose nodes' bits lack it has no node of that name.
pub fn def_bit(name: &str) -> u64 {
    1 << (fnv(FNV_OFFSET, name.as_bytes()) >> 58)
}

/// The FNV-1a offset basis: the hash of no bytes.
pub const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// Continues an FNV-1a hash over `bytes` (so a JSON pointer's hash is its
/// parent's continued over `/token`).
pub fn fnv(mut hash: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// The keywords [`shallow_ok`] reads, extracted once.
#[derive(Default)]
pub struct Shallow {
    const_value: Option<&'static Value>,
    enum_values: Option<&'static [Value]>,
    /// Allowed JSON types as bits (see [`type_bit`]); `None` for any.
    types: Option<u8>,
    min_length: Option<u64>,
    max_length: Option<u64>,
}

impl NodeInfo {
    /// The schema of property `key`, if declared.
    pub fn property(&self, key: &str) -> Option<&'static Value> {
        self.properties
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| *v)
    }
}

/// A `oneOf` or `anyOf`.
pub struct Branch {
    /// `"oneOf"` or `"anyOf"`.
    pub keyword: &'static str,
    /// The variants, `$ref`s followed.
    pub variants: Vec<Variant>,
    /// A property whose `const`/`enum` picks the variant.
    pub discriminator: Option<(String, Vec<Vec<Value>>)>,
}

/// One variant of a branch.
pub struct Variant {
    /// The variant's schema (after following `$ref`).
    pub node: &'static Value,
    /// Fields the variant requires at its top level.
    pub required: Vec<&'static str>,
    /// The variant's declared fields, when it forbids others.
    pub closed: Option<Vec<&'static str>>,
    /// The variant's validator, compiled on first need.
    pub validator: Lazy,
    /// How messages name the variant: its `title`, else its last URI segment.
    pub title: String,
}

/// A validator for a schema URI, compiled on first use.
pub struct Lazy {
    uri: Arc<str>,
    cell: OnceLock<Option<Arc<jsonschema::Validator>>>,
}

impl Lazy {
    fn new(uri: Arc<str>) -> Self {
        Lazy {
            uri,
            cell: OnceLock::new(),
        }
    }

    /// True when `instance` is valid under the schema (false if it cannot compile).
    pub fn is_valid(&self, registry: &Registry, instance: &Value) -> bool {
        self.cell
            .get_or_init(|| registry.fragment_validator(&self.uri))
            .as_ref()
            .is_some_and(|v| v.is_valid(instance))
    }
}

/// Cheap tests that rule a variant out without validating (the walk runs the
/// first on every variant, the second only where the first leaves a choice).
impl Variant {
    /// Required fields present, no undeclared field.
    pub fn fields_fit(&self, instance: &Value) -> bool {
        let Some(map) = instance.as_object() else {
            return self.required.is_empty();
        };
        if self.required.iter().any(|r| get(map, r).is_none()) {
            return false;
        }
        match &self.closed {
            Some(known) => map.keys().all(|k| known.contains(&k.as_str())),
            None => true,
        }
    }

    /// How far the value's fields are from the variant's: required fields
    /// missing plus undeclared fields present.
    pub fn field_distance(&self, instance: &Value) -> usize {
        let Some(map) = instance.as_object() else {
            return usize::MAX;
        };
        let missing = self
            .required
            .iter()
            .filter(|r| get(map, r).is_none())
            .count();
        let unknown = self.closed.as_ref().map_or(0, |known| {
            map.keys().filter(|k| !known.contains(&k.as_str())).count()
        });
        missing + unknown
    }

    /// How far an object's members are from the variant's, for picking the
    /// variant a payload that fits none meant: `None` when the variant does
    /// not take the value's JSON type at all; else the required fields
    /// missing, plus the undeclared fields present, plus the members of a
    /// JSON type the variant's field never takes. A member of the wrong kind
    /// (an object where the variant wants a string) says the payload meant
    /// another variant; a wrong value of the right kind (an enum, a length)
    /// may be the payload's mistake in this variant, and does not count.
    pub fn member_distance(&self, graph: &Graph, instance: &Value) -> Option<usize> {
        let map = instance.as_object()?;
        if !kind_ok(graph, self.node, instance, 0) {
            return None;
        }
        let info = graph.info(self.node)?;
        let wrong_kind = map
            .iter()
            .filter(|(k, v)| info.property(k).is_some_and(|s| !kind_ok(graph, s, v, 0)))
            .count();
        Some(self.field_distance(instance) + wrong_kind)
    }

    /// The value and its fields' values pass their shallow checks: the
    /// variant's own type, `const` or `enum`; each field's type, `const`,
    /// `enum` or length bounds.
    pub fn values_fit(&self, graph: &Graph, instance: &Value) -> bool {
        if !shallow_ok(graph, self.node, instance, 2) {
            return false;
        }
        let Some(map) = instance.as_object() else {
            return true;
        };
        let Some(info) = graph.info(self.node) else {
            return true;
        };
        map.iter().all(|(k, v)| {
            info.property(k)
                .is_none_or(|schema| shallow_ok(graph, schema, v, 2))
        })
    }
}

/// `map.get(key)`, by a scan for the small objects payloads are made of:
/// comparing a few keys costs less than hashing one (serde_json's maps hash
/// with SipHash).
pub fn get<'v>(map: &'v serde_json::Map<String, Value>, key: &str) -> Option<&'v Value> {
    if map.len() <= 16 {
        map.iter().find(|(k, _)| k.as_str() == key).map(|(_, v)| v)
    } else {
        map.get(key)
    }
}

/// Whether `value` passes the checks of `schema` that need no descent into it:
/// `type`, `const`, `enum`, string length bounds, through `$ref`, `allOf` and
/// (any variant of) `oneOf`/`anyOf`. A false answer is certain; a true one
/// is only "not ruled out".
pub fn shallow_ok(graph: &Graph, schema: &Value, value: &Value, depth: usize) -> bool {
    if depth > 3 {
        return true;
    }
    let Some(info) = graph.info(schema) else {
        return schema.as_bool() != Some(false);
    };
    let sh = &info.shallow;
    if sh.const_value.is_some_and(|c| c != value) {
        return false;
    }
    if sh.enum_values.is_some_and(|e| !e.contains(value)) {
        return false;
    }
    if sh.types.is_some_and(|t| t & value_bits(value) == 0) {
        return false;
    }
    if let (Value::String(s), true) = (value, sh.min_length.is_some() || sh.max_length.is_some()) {
        let n = s.chars().count() as u64;
        if sh.max_length.is_some_and(|m| n > m) || sh.min_length.is_some_and(|m| n < m) {
            return false;
        }
    }
    if info
        .ref_target
        .is_some_and(|t| !shallow_ok(graph, t, value, depth + 1))
    {
        return false;
    }
    if !info
        .all_of
        .iter()
        .all(|s| shallow_ok(graph, s, value, depth + 1))
    {
        return false;
    }
    info.branches.iter().all(|b| {
        b.variants
            .iter()
            .any(|v| shallow_ok(graph, v.node, value, depth + 1))
    })
}

/// Whether `schema` takes values of `value`'s JSON type at all: its `type`,
/// through `$ref`, `allOf` and (any variant of) `oneOf`/`anyOf`. Like
/// [`shallow_ok`] but blind to `const`, `enum` and lengths.
pub fn kind_ok(graph: &Graph, schema: &Value, value: &Value, depth: usize) -> bool {
    if depth > 6 {
        return true;
    }
    let Some(info) = graph.info(schema) else {
        return schema.as_bool() != Some(false);
    };
    if info
        .shallow
        .types
        .is_some_and(|t| t & value_bits(value) == 0)
    {
        return false;
    }
    if info
        .ref_target
        .is_some_and(|t| !kind_ok(graph, t, value, depth + 1))
    {
        return false;
    }
    if !info
        .all_of
        .iter()
        .all(|s| kind_ok(graph, s, value, depth + 1))
    {
        return false;
    }
    info.branches.iter().all(|b| {
        b.variants
            .iter()
            .any(|v| kind_ok(graph, v.node, value, depth + 1))
    })
}

const STRING: u8 = 1;
const OBJECT: u8 = 2;
const ARRAY: u8 = 4;
const BOOLEAN: u8 = 8;
const NULL: u8 = 16;
const INTEGER: u8 = 32;
const NUMBER: u8 = 64;

/// The bit of a JSON Schema type name.
fn type_bit(t: &str) -> u8 {
    match t {
        "string" => STRING,
        "object" => OBJECT,
        "array" => ARRAY,
        "boolean" => BOOLEAN,
        "null" => NULL,
        "integer" => INTEGER,
        "number" => NUMBER | INTEGER,
        _ => 0xFF,
    }
}

/// The type bits a value satisfies (an integral number is both).
fn value_bits(value: &Value) -> u8 {
    match value {
        Value::String(_) => STRING,
        Value::Object(_) => OBJECT,
        Value::Array(_) => ARRAY,
        Value::Bool(_) => BOOLEAN,
        Value::Null => NULL,
        Value::Number(n) => {
            if n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0) {
                INTEGER | NUMBER
            } else {
                NUMBER
            }
        }
    }
}

/// Hashes node addresses: they are already unique, so one multiply spreads them.
#[derive(Default, Clone, Copy)]
pub struct AddressHasher(u64);

impl std::hash::Hasher for AddressHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_usize(&mut self, n: usize) {
        self.0 = (n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

type AddressMap<V> = HashMap<usize, V, std::hash::BuildHasherDefault<AddressHasher>>;

/// Every schema object of every document an endpoint reaches, by address.
pub struct Graph {
    nodes: AddressMap<NodeInfo>,
    /// Node addresses by absolute URI.
    by_uri: HashMap<Arc<str>, usize>,
    /// The endpoint schema's root node.
    pub root: Option<&'static Value>,
    /// The registry the graph was built from (for compiling branch validators).
    pub registry: &'static Registry,
}

impl Graph {
    /// The graph of an endpoint's schema, built on first use and kept for the
    /// process.
    pub fn of(endpoint: &Endpoint) -> Option<&'static Graph> {
        static GRAPHS: OnceLock<Vec<OnceLock<Graph>>> = OnceLock::new();
        let registry = Registry::get().ok()?;
        let slots = GRAPHS.get_or_init(|| {
            (0..registry.checked_count())
                .map(|_| OnceLock::new())
                .collect()
        });
        let slot = slots.get(endpoint.index)?;
        Some(slot.get_or_init(|| Graph::build(registry, &endpoint.uri)))
    }

    /// The node's info, if the node belongs to an embedded document.
    pub fn info(&self, node: &Value) -> Option<&NodeInfo> {
        self.nodes.get(&(node as *const Value as usize))
    }

    /// The info of the schema object at an absolute URI (a JSON-pointer
    /// fragment, percent-encoded or not).
    pub fn at(&self, uri: &str) -> Option<&NodeInfo> {
        let address = match self.by_uri.get(uri) {
            Some(a) => *a,
            None => {
                let (base, fragment) = uri.split_once('#').unwrap_or((uri, ""));
                *self
                    .by_uri
                    .get(format!("{base}#{}", percent_decode(fragment)).as_str())?
            }
        };
        self.nodes.get(&address)
    }

    /// The `oneOf`/`anyOf` whose keyword is at `keyword_uri` (`…/oneOf`).
    pub fn branch(&self, keyword_uri: &str) -> Option<&Branch> {
        let (parent, keyword) = keyword_uri.rsplit_once('/')?;
        self.at(parent)?
            .branches
            .iter()
            .find(|b| b.keyword == keyword)
    }

    /// The info of the object that carries the keyword at `keyword_uri`.
    pub fn owner(&self, keyword_uri: &str) -> Option<&NodeInfo> {
        let (parent, _) = keyword_uri.rsplit_once('/')?;
        self.at(parent)
    }

    /// Builds the graph over the document at `root` and every document it
    /// reaches by `$ref` (an endpoint's schema and the shared pieces it uses).
    pub fn build(registry: &'static Registry, root: &str) -> Graph {
        let mut nodes = AddressMap::default();
        for uri in registry.reachable_documents(root) {
            if let Some(doc) = registry.node(&format!("{uri}#")) {
                visit(registry, &uri, doc, "", None, &mut nodes);
            }
        }
        let by_uri = nodes
            .iter()
            .map(|(address, info)| (Arc::clone(&info.uri), *address))
            .collect();
        Graph {
            nodes,
            by_uri,
            root: registry.node(&format!("{root}#")),
            registry,
        }
    }
}

fn visit(
    registry: &'static Registry,
    base: &str,
    node: &'static Value,
    ptr: &str,
    def_name: Option<&'static str>,
    out: &mut AddressMap<NodeInfo>,
) {
    match node {
        Value::Object(map) => {
            let uri: Arc<str> = Arc::from(format!("{base}#{ptr}"));
            let ref_target = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| registry.node(&resolve_ref(&uri, r)));
            let mut branches = Vec::new();
            for keyword in ["oneOf", "anyOf"] {
                let Some(items) = map.get(keyword) else {
                    continue;
                };
                let here = format!("{uri}/{keyword}");
                let variants_uris = variants::variant_uris_of(registry, &here, items);
                let discriminator = variants::discriminator_of(registry, &here, items);
                let variants = variants_uris
                    .into_iter()
                    .filter_map(|u| {
                        let node = registry.node(&u)?;
                        let required = node
                            .get("required")
                            .and_then(Value::as_array)
                            .map(|r| r.iter().filter_map(Value::as_str).collect())
                            .unwrap_or_default();
                        // `additionalProperties` sees only its sibling `properties`
                        // (and `patternProperties`), whatever `allOf`/`oneOf` add.
                        let closed = (node.get("additionalProperties")
                            == Some(&Value::Bool(false))
                            && node.get("patternProperties").is_none())
                        .then(|| {
                            node.get("properties")
                                .and_then(Value::as_object)
                                .map(|p| p.keys().map(String::as_str).collect())
                                .unwrap_or_default()
                        });
                        let title = node
                            .get("title")
                            .and_then(Value::as_str)
                            .map(str::to_string)
                            .unwrap_or_else(|| {
                                u.rsplit('/').next().unwrap_or("variant").to_string()
                            });
                        Some(Variant {
                            node,
                            required,
                            closed,
                            validator: Lazy::new(Arc::from(u)),
                            title,
                        })
                    })
                    .collect();
                branches.push(Branch {
                    keyword: if keyword == "oneOf" { "oneOf" } else { "anyOf" },
                    variants,
                    discriminator,
                });
            }
            let if_validator = map
                .get("if")
                .map(|_| Lazy::new(Arc::from(format!("{uri}/if"))));
            let annotation_bits = map
                .keys()
                .filter(|k| k.starts_with("x-"))
                .fold(0, |bits, k| bits | annotation_bit(k));
            let empty: &'static [Value] = &[];
            let array = |key: &str| {
                map.get(key)
                    .and_then(Value::as_array)
                    .map_or(empty, Vec::as_slice)
            };
            let shallow = Shallow {
                const_value: map.get("const"),
                enum_values: map.get("enum").and_then(Value::as_array).map(Vec::as_slice),
                types: match map.get("type") {
                    Some(Value::String(t)) => Some(type_bit(t)),
                    Some(Value::Array(ts)) => Some(
                        ts.iter()
                            .filter_map(Value::as_str)
                            .fold(0, |acc, t| acc | type_bit(t)),
                    ),
                    _ => None,
                },
                min_length: map.get("minLength").and_then(Value::as_u64),
                max_length: map.get("maxLength").and_then(Value::as_u64),
            };
            let facts = Facts::of(registry, &uri, node);
            out.insert(
                node as *const Value as usize,
                NodeInfo {
                    node,
                    uri,
                    def_name,
                    annotation_bits,
                    def_bit: def_name.map_or(0, def_bit),
                    format: map.get("format").and_then(Value::as_str),
                    ref_target,
                    branches,
                    if_validator,
                    then_else: (map.get("then"), map.get("else")),
                    properties: map
                        .get("properties")
                        .and_then(Value::as_object)
                        .map(|p| p.iter().map(|(k, v)| (k.as_str(), v)).collect())
                        .unwrap_or_default(),
                    additional: map.get("additionalProperties").filter(|a| a.is_object()),
                    all_of: array("allOf"),
                    prefix_items: array("prefixItems"),
                    items: map.get("items").filter(|i| i.is_object()),
                    shallow,
                    facts,
                },
            );
            // This node is a `$defs` container: its members are named definitions.
            let is_defs = ptr.ends_with("/$defs") || ptr.ends_with("/definitions");
            for (k, v) in map {
                if matches!(v, Value::Object(_) | Value::Array(_)) {
                    let child_ptr = format!("{ptr}/{}", crate::engine::text::pointer::escape(k));
                    let name = is_defs.then_some(k.as_str());
                    visit(registry, base, v, &child_ptr, name, out);
                }
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                visit(registry, base, v, &format!("{ptr}/{i}"), None, out);
            }
        }
        _ => {}
    }
}
