//! From JSON Schema documents to the IR.
//!
//! The subset our schemas use: objects with `properties`/`required`/
//! `additionalProperties`, arrays with item bounds, strings, numbers,
//! `enum`/`const` (with `x-enum-names`), `oneOf`/`anyOf` (discriminated by a
//! literal property when one exists), `allOf` (merged into one node),
//! `if`/`then` that only tighten one JSON type's form, and `$ref` anywhere.
//! Keywords that only constrain values further (`not`, `contains`,
//! `uniqueItems`, `minProperties`, `x-format`, …) are left to the validator:
//! the types stay a superset there and `validate()` has the last word.
//! Keywords that would change the *shape* and that we cannot model
//! (`prefixItems`, `patternProperties`, `$dynamicRef`, …) are errors.

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::case;
use crate::error::{CodegenError, ErrorKind};
use crate::ir::{
    Endpoint, Field, Ir, Kind, NameHint, NumberSpec, Shape, StringSpec, StructDef, TaggedDef,
    TaggedVariant, TypeDef, TypeId, ValueVariant, Variant,
};
use crate::schema_set::{DocId, Location, SchemaSet, escape};

/// Keywords that describe a node without constraining it.
const ANNOTATIONS: &[&str] = &[
    "description",
    "title",
    "$comment",
    "examples",
    "default",
    "deprecated",
    "readOnly",
    "writeOnly",
    "$schema",
    "$id",
    "$anchor",
    "$defs",
    "definitions",
    "$vocabulary",
    "contentMediaType",
    "contentEncoding",
];

/// Keywords whose shape we cannot express; rejected with a reason.
const UNSUPPORTED: &[(&str, &str)] = &[
    (
        "prefixItems",
        "tuple arrays (`prefixItems`) are not supported",
    ),
    (
        "patternProperties",
        "`patternProperties` is not supported; use `additionalProperties`",
    ),
    ("$dynamicRef", "`$dynamicRef` is not supported"),
    ("$recursiveRef", "`$recursiveRef` is not supported"),
    ("dependentSchemas", "`dependentSchemas` is not supported"),
    ("unevaluatedItems", "`unevaluatedItems` is not supported"),
];

const MAX_DEPTH: usize = 64;

/// A schema node with the document its relative `$ref`s are resolved in.
#[derive(Debug, Clone)]
struct Node {
    doc: DocId,
    ptr: String,
    map: Map<String, Value>,
}

#[derive(Debug, Clone)]
struct Ctx {
    module: String,
    hint: NameHint,
}

pub(crate) struct Parser<'a> {
    set: &'a SchemaSet,
    ir: Ir,
    memo: HashMap<Location, TypeId>,
    /// Identical `$defs` entries of one module (the same key and content in
    /// several files of a provider) share one type.
    by_content: HashMap<(String, String, String), TypeId>,
    depth: usize,
}

fn is_annotation(k: &str) -> bool {
    ANNOTATIONS.contains(&k) || k.starts_with("x-")
}

fn desc(map: &Map<String, Value>) -> Option<String> {
    map.get("description")
        .and_then(Value::as_str)
        .map(str::to_string)
}

fn title(map: &Map<String, Value>) -> Option<String> {
    map.get("title").and_then(Value::as_str).map(str::to_string)
}

fn as_usize(v: Option<&Value>) -> Option<usize> {
    let v = v?;
    v.as_u64()
        .map(|n| usize::try_from(n).unwrap_or(usize::MAX))
        .or_else(|| v.as_f64().filter(|f| *f >= 0.0).map(|f| f.ceil() as usize))
}

/// The module and endpoint parts of a schema file path.
pub(crate) fn file_parts(path: &str) -> (String, Option<String>) {
    let trimmed = path.strip_suffix(".json").unwrap_or(path);
    match trimmed.split_once('/') {
        Some(("common", _)) => ("common".into(), None),
        Some((provider, rest)) => (provider.to_string(), Some(rest.to_string())),
        None => (trimmed.to_string(), Some(trimmed.to_string())),
    }
}

/// The Rust module of a provider directory (`3dolphins` → `three_dolphins`).
pub(crate) fn module_name(provider: &str) -> String {
    let s = case::snake(provider);
    if case::is_keyword(&s) || s == "self" || s == "super" || s == "crate" {
        format!("{s}_")
    } else {
        s
    }
}

impl<'a> Parser<'a> {
    pub(crate) fn new(set: &'a SchemaSet) -> Self {
        Self {
            set,
            ir: Ir::default(),
            memo: HashMap::new(),
            by_content: HashMap::new(),
            depth: 0,
        }
    }

    fn file(&self, doc: DocId) -> String {
        self.set
            .doc(doc)
            .map(|d| d.path.clone())
            .unwrap_or_default()
    }

    fn err(
        &self,
        kind: ErrorKind,
        doc: DocId,
        ptr: &str,
        reason: impl Into<String>,
    ) -> CodegenError {
        CodegenError::new(kind, self.file(doc), ptr, reason)
    }

    fn module_of(&self, doc: DocId) -> String {
        module_name(&file_parts(&self.file(doc)).0)
    }

    /// Parses every document: endpoints first (their roots get fixed names),
    /// then every `$defs` entry, so shared types exist even when unused.
    pub(crate) fn parse(mut self) -> Result<Ir, CodegenError> {
        let docs = self.set.documents();
        let mut modules: Vec<(String, String)> = Vec::new();
        for (doc, d) in docs.iter().enumerate() {
            let (provider, endpoint) = file_parts(&d.path);
            let module = module_name(&provider);
            if !modules.iter().any(|(m, _)| *m == module) {
                modules.push((module.clone(), provider.clone()));
            }
            if let Some(endpoint) = endpoint {
                let loc = Location {
                    doc,
                    pointer: String::new(),
                };
                let name = format!("{}Request", case::pascal(&endpoint));
                let id = self.reserve(&loc, module.clone(), NameHint::Fixed(name))?;
                self.ir.endpoints.push(Endpoint {
                    id: format!("{provider}/{endpoint}"),
                    module: module.clone(),
                    variant: format!("{}{}", case::pascal(&provider), case::pascal(&endpoint)),
                    root: id,
                });
            }
        }
        for ep in self.ir.endpoints.clone() {
            let Some(def) = self.ir.types.get(ep.root) else {
                continue;
            };
            let (file, pointer) = (def.file.clone(), def.pointer.clone());
            let doc = docs.iter().position(|d| d.path == file).unwrap_or(0);
            self.fill(&Location { doc, pointer }, ep.root)?;
        }
        for (doc, d) in docs.iter().enumerate() {
            let mut defs = Vec::new();
            collect_defs(&d.root, String::new(), &mut defs);
            for pointer in defs {
                self.named(&Location { doc, pointer })?;
            }
        }
        self.ir.modules = modules;
        self.check_alias_cycles()?;
        Ok(self.ir)
    }

    fn node_at(&self, loc: &Location) -> Result<Node, CodegenError> {
        match self.set.node(loc) {
            Some(Value::Object(map)) => Ok(Node {
                doc: loc.doc,
                ptr: loc.pointer.clone(),
                map: map.clone(),
            }),
            Some(Value::Bool(true)) => Ok(Node {
                doc: loc.doc,
                ptr: loc.pointer.clone(),
                map: Map::new(),
            }),
            Some(_) => Err(self.err(
                ErrorKind::Unsupported,
                loc.doc,
                &loc.pointer,
                "a schema must be an object (or `true`)",
            )),
            None => Err(self.err(ErrorKind::Reference, loc.doc, &loc.pointer, "no such node")),
        }
    }

    fn child_node(&self, parent: &Node, value: &Value, seg: &str) -> Result<Node, CodegenError> {
        let ptr = format!("{}/{}", parent.ptr, seg);
        match value {
            Value::Object(map) => Ok(Node {
                doc: parent.doc,
                ptr,
                map: map.clone(),
            }),
            Value::Bool(true) => Ok(Node {
                doc: parent.doc,
                ptr,
                map: Map::new(),
            }),
            Value::Bool(false) => Err(self.err(
                ErrorKind::Unsupported,
                parent.doc,
                &ptr,
                "the `false` schema (nothing is valid) has no type",
            )),
            _ => Err(self.err(
                ErrorKind::Json,
                parent.doc,
                &ptr,
                "a subschema must be an object or a boolean",
            )),
        }
    }

    fn reserve(
        &mut self,
        loc: &Location,
        module: String,
        hint: NameHint,
    ) -> Result<TypeId, CodegenError> {
        let node = self.node_at(loc)?;
        let id = self.ir.types.len();
        self.ir.types.push(TypeDef {
            module,
            name: String::new(),
            hint,
            file: self.file(loc.doc),
            pointer: loc.pointer.clone(),
            title: title(&node.map),
            doc: desc(&node.map),
            kind: Kind::Placeholder,
            residual: residual(&node.map),
        });
        self.memo.insert(loc.clone(), id);
        Ok(id)
    }

    fn fill(&mut self, loc: &Location, id: TypeId) -> Result<(), CodegenError> {
        let node = self.node_at(loc)?;
        let kind = self.kind(node, id)?;
        if let Some(t) = self.ir.types.get_mut(id) {
            t.kind = kind;
        }
        Ok(())
    }

    /// The type of the node at `loc`, created once however often it is referenced.
    fn named(&mut self, loc: &Location) -> Result<Shape, CodegenError> {
        if let Some(id) = self.memo.get(loc) {
            return Ok(Shape::Named(*id));
        }
        let segs: Vec<String> = loc
            .pointer
            .split('/')
            .skip(1)
            .map(|s| s.replace("~1", "/").replace("~0", "~"))
            .collect();
        let (_, endpoint) = file_parts(&self.file(loc.doc));
        let file = endpoint.unwrap_or_default();
        let mut keys: Vec<String> = Vec::new();
        let mut i = 0;
        while i < segs.len() {
            let s = segs.get(i).map(String::as_str).unwrap_or("");
            if (s == "$defs" || s == "definitions") && i + 1 < segs.len() {
                keys.push(segs.get(i + 1).cloned().unwrap_or_default());
                i += 2;
            } else {
                if s != "properties" && s != "items" {
                    keys.push(case::pascal(s));
                }
                i += 1;
            }
        }
        if keys.is_empty() {
            keys.push(case::pascal(&file));
        }
        let module = self.module_of(loc.doc);
        let content = self.set.node(loc).map(|v| {
            let mut v = v.clone();
            absolutize(self.set, loc.doc, &mut v);
            v.to_string()
        });
        let content_key = content.map(|c| (module.clone(), keys.join("/"), c));
        if let Some(id) = content_key
            .as_ref()
            .and_then(|k| self.by_content.get(k))
            .copied()
        {
            self.memo.insert(loc.clone(), id);
            return Ok(Shape::Named(id));
        }
        let id = self.reserve(loc, module, NameHint::Def { keys, file })?;
        if let Some(k) = content_key {
            self.by_content.insert(k, id);
        }
        self.fill(loc, id)?;
        Ok(Shape::Named(id))
    }

    fn new_type(&mut self, node: &Node, ctx: &Ctx) -> TypeId {
        let id = self.ir.types.len();
        let hint = match &ctx.hint {
            NameHint::Child {
                parent,
                suffix,
                alt,
                ..
            } => NameHint::Child {
                parent: *parent,
                suffix: suffix.clone(),
                title: title(&node.map),
                alt: alt.clone(),
            },
            h => h.clone(),
        };
        self.ir.types.push(TypeDef {
            module: ctx.module.clone(),
            name: String::new(),
            hint,
            file: self.file(node.doc),
            pointer: node.ptr.clone(),
            title: title(&node.map),
            doc: desc(&node.map),
            kind: Kind::Placeholder,
            residual: residual(&node.map),
        });
        id
    }

    fn child_ctx(&self, parent: TypeId, suffix: &str) -> Ctx {
        let module = self
            .ir
            .types
            .get(parent)
            .map(|t| t.module.clone())
            .unwrap_or_default();
        Ctx {
            module,
            hint: NameHint::Child {
                parent,
                suffix: suffix.to_string(),
                title: None,
                alt: None,
            },
        }
    }

    fn check_keywords(&self, node: &Node) -> Result<(), CodegenError> {
        for (k, reason) in UNSUPPORTED {
            if node.map.contains_key(*k) {
                return Err(self.err(
                    ErrorKind::Unsupported,
                    node.doc,
                    &format!("{}/{}", node.ptr, k),
                    *reason,
                ));
            }
        }
        Ok(())
    }

    /// The shape of a node used as a field, item or variant: a plain Rust
    /// type when the node needs none of its own, else a new (or shared) type.
    fn shape(&mut self, node: Node, ctx: &Ctx) -> Result<Shape, CodegenError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            self.depth -= 1;
            return Err(self.err(
                ErrorKind::Unsupported,
                node.doc,
                &node.ptr,
                "schema nested too deeply",
            ));
        }
        let r = self.shape_inner(node, ctx);
        self.depth -= 1;
        r
    }

    fn shape_inner(&mut self, node: Node, ctx: &Ctx) -> Result<Shape, CodegenError> {
        let node = Node {
            map: soften(node.map),
            ..node
        };
        self.check_keywords(&node)?;
        if let Some(r) = node.map.get("$ref") {
            let r = r.as_str().ok_or_else(|| {
                self.err(
                    ErrorKind::Json,
                    node.doc,
                    &node.ptr,
                    "`$ref` must be a string",
                )
            })?;
            if node.map.keys().all(|k| k == "$ref" || is_annotation(k)) {
                let loc = self
                    .set
                    .resolve(node.doc, &format!("{}/$ref", node.ptr), r)?;
                return self.named(&loc);
            }
            let merged = self.merge(&node)?;
            return self.shape(merged, ctx);
        }
        if node.map.contains_key("allOf") {
            let merged = self.merge(&node)?;
            return self.shape(merged, ctx);
        }
        if let Some(inner) = self.nullable_branch(&node)? {
            let s = self.shape(inner, ctx)?;
            return Ok(match s {
                Shape::Nullable(_) | Shape::Any | Shape::Null => s,
                other => Shape::Nullable(Box::new(other)),
            });
        }
        if node.map.contains_key("oneOf")
            || node.map.contains_key("anyOf")
            || node.map.contains_key("enum")
            || node.map.contains_key("const")
        {
            return self.new_named(node, ctx);
        }
        let types = self.types(&node)?;
        let only = |t: &str| types.len() == 1 && types.first().is_some_and(|x| x == t);
        if only("array") {
            return self.array(&node, ctx);
        }
        if only("boolean") {
            return Ok(Shape::Bool);
        }
        if only("null") {
            return Ok(Shape::Null);
        }
        if only("string") && self.string_spec(&node)?.is_empty() {
            return Ok(Shape::String);
        }
        if only("integer") && self.number_spec(&node)?.is_empty() {
            return Ok(Shape::Integer);
        }
        if only("number") && self.number_spec(&node)?.is_empty() {
            return Ok(Shape::Number);
        }
        if only("object") {
            let has_props = node
                .map
                .get("properties")
                .and_then(Value::as_object)
                .is_some_and(|p| !p.is_empty())
                || node
                    .map
                    .get("required")
                    .and_then(Value::as_array)
                    .is_some_and(|r| !r.is_empty());
            let ap = node.map.get("additionalProperties");
            if !has_props {
                match ap {
                    None | Some(Value::Bool(true)) => return Ok(Shape::Object),
                    Some(Value::Object(_)) => {
                        let sub = self.child_node(
                            &node,
                            ap.unwrap_or(&Value::Bool(true)),
                            "additionalProperties",
                        )?;
                        let inner = self.shape(sub, ctx)?;
                        return Ok(Shape::Map(Box::new(inner)));
                    }
                    _ => {}
                }
            }
        }
        if types.is_empty() {
            return Ok(Shape::Any);
        }
        self.new_named(node, ctx)
    }

    fn new_named(&mut self, node: Node, ctx: &Ctx) -> Result<Shape, CodegenError> {
        let mut node = node;
        if residual(&node.map).is_some()
            && (node.map.contains_key("allOf") || node.map.contains_key("$ref"))
        {
            node = self.merge(&node)?;
        }
        let id = self.new_type(&node, ctx);
        let kind = self.kind(node, id)?;
        if let Some(t) = self.ir.types.get_mut(id) {
            t.kind = kind;
        }
        Ok(Shape::Named(id))
    }

    /// The JSON types a node admits, inferred from keywords when `type` is absent.
    fn types(&self, node: &Node) -> Result<Vec<String>, CodegenError> {
        match node.map.get("type") {
            Some(Value::String(s)) => Ok(vec![s.clone()]),
            Some(Value::Array(a)) => {
                let mut out = Vec::new();
                for t in a {
                    match t.as_str() {
                        Some(s) if !out.iter().any(|o: &String| o == s) => out.push(s.to_string()),
                        Some(_) => {}
                        None => {
                            return Err(self.err(
                                ErrorKind::Json,
                                node.doc,
                                &format!("{}/type", node.ptr),
                                "`type` entries must be strings",
                            ));
                        }
                    }
                }
                if out.is_empty() {
                    return Err(self.err(
                        ErrorKind::Contradiction,
                        node.doc,
                        &format!("{}/type", node.ptr),
                        "`type` is an empty list: nothing is valid",
                    ));
                }
                for t in &out {
                    if ![
                        "string", "integer", "number", "boolean", "null", "array", "object",
                    ]
                    .contains(&t.as_str())
                    {
                        return Err(self.err(
                            ErrorKind::Json,
                            node.doc,
                            &format!("{}/type", node.ptr),
                            format!("unknown type {t:?}"),
                        ));
                    }
                }
                Ok(out)
            }
            Some(_) => Err(self.err(
                ErrorKind::Json,
                node.doc,
                &format!("{}/type", node.ptr),
                "`type` must be a string or a list of strings",
            )),
            None => {
                let m = &node.map;
                let has = |ks: &[&str]| ks.iter().any(|k| m.contains_key(*k));
                if has(&[
                    "properties",
                    "required",
                    "additionalProperties",
                    "minProperties",
                    "maxProperties",
                ]) {
                    Ok(vec!["object".into()])
                } else if has(&["items", "minItems", "maxItems"]) {
                    Ok(vec!["array".into()])
                } else if has(&["minLength", "maxLength", "pattern", "format"]) {
                    Ok(vec!["string".into()])
                } else if has(&[
                    "minimum",
                    "maximum",
                    "exclusiveMinimum",
                    "exclusiveMaximum",
                    "multipleOf",
                ]) {
                    Ok(vec!["number".into()])
                } else {
                    Ok(vec![])
                }
            }
        }
    }

    /// `type: [X, "null"]` or `oneOf: [X, {type: null}]`: the X part.
    fn nullable_branch(&self, node: &Node) -> Result<Option<Node>, CodegenError> {
        if let Some(Value::Array(ts)) = node.map.get("type") {
            let has_null = ts.iter().any(|t| t == "null");
            if has_null && ts.len() > 1 {
                let rest: Vec<Value> = ts.iter().filter(|t| *t != "null").cloned().collect();
                let mut map = node.map.clone();
                map.insert(
                    "type".into(),
                    if rest.len() == 1 {
                        rest.into_iter().next().unwrap_or(Value::Null)
                    } else {
                        Value::Array(rest)
                    },
                );
                if let Some(Value::Array(e)) = map.get("enum").cloned() {
                    map.insert(
                        "enum".into(),
                        Value::Array(e.into_iter().filter(|v| !v.is_null()).collect()),
                    );
                }
                return Ok(Some(Node {
                    doc: node.doc,
                    ptr: node.ptr.clone(),
                    map,
                }));
            }
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(Value::Array(bs)) = node.map.get(key)
                && bs.len() == 2
                && node.map.keys().all(|k| k == key || is_annotation(k))
            {
                let is_null = |b: &Value| {
                    b.get("type").is_some_and(|t| t == "null")
                        && b.as_object()
                            .is_some_and(|m| m.keys().all(|k| k == "type" || is_annotation(k)))
                };
                if let (Some(a), Some(b)) = (bs.first(), bs.get(1)) {
                    let (other, idx) = if is_null(a) {
                        (b, 1)
                    } else if is_null(b) {
                        (a, 0)
                    } else {
                        continue;
                    };
                    let mut n = self.child_node(node, other, &format!("{key}/{idx}"))?;
                    if !n.map.contains_key("description")
                        && let Some(d) = node.map.get("description")
                    {
                        n.map.insert("description".into(), d.clone());
                    }
                    return Ok(Some(n));
                }
            }
        }
        Ok(None)
    }

    fn array(&mut self, node: &Node, ctx: &Ctx) -> Result<Shape, CodegenError> {
        let items = match node.map.get("items") {
            None | Some(Value::Bool(true)) => Shape::Any,
            Some(v) => {
                let sub = self.child_node(node, v, "items")?;
                let item_ctx = match &ctx.hint {
                    NameHint::Child {
                        parent,
                        suffix,
                        alt,
                        ..
                    } => Ctx {
                        module: ctx.module.clone(),
                        hint: NameHint::Child {
                            parent: *parent,
                            suffix: format!("{suffix}Item"),
                            title: None,
                            alt: alt.as_ref().map(|a| format!("{a}Item")),
                        },
                    },
                    NameHint::Def { keys, file } => {
                        let mut keys = keys.clone();
                        if let Some(last) = keys.last_mut() {
                            last.push_str("Item");
                        }
                        Ctx {
                            module: ctx.module.clone(),
                            hint: NameHint::Def {
                                keys,
                                file: file.clone(),
                            },
                        }
                    }
                    NameHint::Fixed(n) => Ctx {
                        module: ctx.module.clone(),
                        hint: NameHint::Fixed(format!("{n}Item")),
                    },
                };
                self.shape(sub, &item_ctx)?
            }
        };
        let min = as_usize(node.map.get("minItems")).unwrap_or(0);
        let max = as_usize(node.map.get("maxItems"));
        if let Some(max) = max
            && max < min
        {
            return Err(self.err(
                ErrorKind::Contradiction,
                node.doc,
                &node.ptr,
                format!("maxItems {max} is below minItems {min}"),
            ));
        }
        let advisory_max = as_usize(node.map.get("x-soft-maxItems"));
        let advisory_min = as_usize(node.map.get("x-soft-minItems"));
        Ok(Shape::Array {
            items: Box::new(items),
            min,
            max,
            advisory: (advisory_min, advisory_max),
        })
    }

    fn string_spec(&self, node: &Node) -> Result<StringSpec, CodegenError> {
        let m = &node.map;
        let mut patterns = Vec::new();
        if let Some(p) = m.get("pattern") {
            let p = p.as_str().ok_or_else(|| {
                self.err(
                    ErrorKind::Json,
                    node.doc,
                    &format!("{}/pattern", node.ptr),
                    "`pattern` must be a string",
                )
            })?;
            patterns.push(p.to_string());
        }
        if let Some(Value::Array(extra)) = m.get("x-preflight-patterns") {
            for p in extra.iter().filter_map(Value::as_str) {
                if !patterns.iter().any(|q| q == p) {
                    patterns.push(p.to_string());
                }
            }
        }
        let spec = StringSpec {
            min_length: as_usize(m.get("minLength")).unwrap_or(0),
            max_length: as_usize(m.get("maxLength")),
            patterns,
            format: m.get("format").and_then(Value::as_str).map(str::to_string),
            advisory_min_length: as_usize(m.get("x-soft-minLength")),
            advisory_max_length: as_usize(m.get("x-soft-maxLength")),
            advisory_patterns: m
                .get("x-soft-patterns")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default(),
            phone: m.get("x-phone").and_then(Value::as_str).map(str::to_string),
            secret: m.get("x-secret") == Some(&Value::Bool(true)),
        };
        if spec.max_length.is_some_and(|max| max < spec.min_length) {
            return Err(self.err(
                ErrorKind::Contradiction,
                node.doc,
                &node.ptr,
                "maxLength is below minLength",
            ));
        }
        Ok(spec)
    }

    fn number_spec(&self, node: &Node) -> Result<NumberSpec, CodegenError> {
        let m = &node.map;
        let num = |k: &str| -> Result<Option<f64>, CodegenError> {
            match m.get(k) {
                None => Ok(None),
                Some(v) => v.as_f64().map(Some).ok_or_else(|| {
                    self.err(
                        ErrorKind::Json,
                        node.doc,
                        &format!("{}/{k}", node.ptr),
                        format!("`{k}` must be a number"),
                    )
                }),
            }
        };
        let spec = NumberSpec {
            minimum: num("minimum")?,
            maximum: num("maximum")?,
            exclusive_minimum: num("exclusiveMinimum")?,
            exclusive_maximum: num("exclusiveMaximum")?,
            multiple_of: num("multipleOf")?.filter(|m| *m > 0.0),
            advisory_minimum: num("x-soft-minimum")?.or(num("x-soft-exclusiveMinimum")?),
            advisory_maximum: num("x-soft-maximum")?.or(num("x-soft-exclusiveMaximum")?),
        };
        if let (Some(a), Some(b)) = (spec.minimum, spec.maximum)
            && b < a
        {
            return Err(self.err(
                ErrorKind::Contradiction,
                node.doc,
                &node.ptr,
                "maximum is below minimum",
            ));
        }
        Ok(spec)
    }

    /// Applies `if {type: T} then {…}` conditionals to the string form of a
    /// multi-type node: that is exactly "the string form must also match".
    fn string_conditionals(&self, node: &Node, spec: &mut StringSpec) {
        for c in conditionals(&node.map) {
            let Some(iff) = c.get("if").and_then(Value::as_object) else {
                continue;
            };
            if iff.get("type").is_some_and(|t| t == "string")
                && let Some(then) = c.get("then").and_then(Value::as_object)
            {
                if let Some(p) = then.get("pattern").and_then(Value::as_str)
                    && !spec.patterns.iter().any(|q| q == p)
                {
                    spec.patterns.push(p.to_string());
                }
                if let Some(n) = as_usize(then.get("maxLength")) {
                    spec.max_length = Some(spec.max_length.map_or(n, |m| m.min(n)));
                }
                if let Some(n) = as_usize(then.get("minLength")) {
                    spec.min_length = spec.min_length.max(n);
                }
            }
        }
    }

    /// What a named type is.
    fn kind(&mut self, node: Node, id: TypeId) -> Result<Kind, CodegenError> {
        let node = Node {
            map: soften(node.map),
            ..node
        };
        self.check_keywords(&node)?;
        if let Some(r) = node.map.get("$ref")
            && node.map.keys().all(|k| k == "$ref" || is_annotation(k))
        {
            let r = r.as_str().ok_or_else(|| {
                self.err(
                    ErrorKind::Json,
                    node.doc,
                    &node.ptr,
                    "`$ref` must be a string",
                )
            })?;
            let loc = self
                .set
                .resolve(node.doc, &format!("{}/$ref", node.ptr), r)?;
            return Ok(Kind::Alias(self.named(&loc)?));
        }
        if node.map.contains_key("$ref") || node.map.contains_key("allOf") {
            let merged = self.merge(&node)?;
            if let Some(r) = residual(&merged.map)
                && let Some(t) = self.ir.types.get_mut(id)
            {
                t.residual = Some(r);
            }
            return self.kind(merged, id);
        }
        if self.nullable_branch(&node)?.is_some() {
            let ctx = self.child_ctx(id, "Value");
            return Ok(Kind::Alias(self.shape(node, &ctx)?));
        }
        if node.map.contains_key("enum") || node.map.contains_key("const") {
            return self.values(&node);
        }
        if let Some(key) = self.assertion_union(&node)? {
            return self.assertions_on_one_object(node, id, key);
        }
        if node.map.contains_key("oneOf") || node.map.contains_key("anyOf") {
            return self.one_of(&node, id);
        }
        let types = self.types(&node)?;
        let set: Vec<&str> = types.iter().map(String::as_str).collect();
        match set.as_slice() {
            ["object"] => self.object(&node, id),
            ["string"] => {
                let spec = self.string_spec(&node)?;
                Ok(if spec.is_empty() {
                    Kind::Alias(Shape::String)
                } else {
                    Kind::String(spec)
                })
            }
            ["integer"] => {
                let spec = self.number_spec(&node)?;
                Ok(if spec.is_empty() {
                    Kind::Alias(Shape::Integer)
                } else {
                    Kind::Integer(spec)
                })
            }
            ["number"] => {
                let spec = self.number_spec(&node)?;
                Ok(if spec.is_empty() {
                    Kind::Alias(Shape::Number)
                } else {
                    Kind::Number(spec)
                })
            }
            [a, b]
                if (*a == "integer" && *b == "string") || (*a == "string" && *b == "integer") =>
            {
                let mut s = self.string_spec(&node)?;
                self.string_conditionals(&node, &mut s);
                Ok(Kind::IntegerOrString(self.number_spec(&node)?, s))
            }
            [a, b] if (*a == "number" && *b == "string") || (*a == "string" && *b == "number") => {
                let mut s = self.string_spec(&node)?;
                self.string_conditionals(&node, &mut s);
                Ok(Kind::NumberOrString(self.number_spec(&node)?, s))
            }
            [_, _, ..] => {
                // Any other union of JSON types: an untagged enum with one
                // variant per type, each carrying that type's constraints.
                let mut variants = Vec::new();
                for t in &types {
                    let mut map = node.map.clone();
                    map.insert("type".into(), Value::String(t.clone()));
                    for k in ["title", "description"] {
                        map.remove(k);
                    }
                    let sub = Node {
                        doc: node.doc,
                        ptr: node.ptr.clone(),
                        map,
                    };
                    let name = case::pascal(t);
                    let ctx = self.child_ctx(id, &name);
                    let shape = self.shape(sub, &ctx)?;
                    variants.push(Variant {
                        candidates: vec![name],
                        name: String::new(),
                        shape,
                        doc: None,
                    });
                }
                Ok(Kind::Untagged(variants))
            }
            _ => {
                let ctx = self.child_ctx(id, "Value");
                Ok(Kind::Alias(self.shape(node, &ctx)?))
            }
        }
    }

    /// The `oneOf`/`anyOf` key of an object whose branches only assert
    /// something more about the same object: which of its properties are
    /// required, a narrower type or bound for one of them, `not`, property
    /// counts. Such a union is a constraint, not a choice of shapes: the
    /// object is one type and the validator checks the branches (variants
    /// here would be near-identical structs, and a value would parse back
    /// as whichever branch it fits first). A union whose branches are
    /// discriminated by a literal, or bring their own properties or `$ref`s,
    /// stays a union.
    fn assertion_union(&self, node: &Node) -> Result<Option<&'static str>, CodegenError> {
        const ASSERTIONS: &[&str] = &[
            "title",
            "description",
            "$comment",
            "required",
            "properties",
            "not",
            "minProperties",
            "maxProperties",
            "dependentRequired",
        ];
        let key = match (
            node.map.contains_key("oneOf"),
            node.map.contains_key("anyOf"),
        ) {
            (true, false) => "oneOf",
            (false, true) => "anyOf",
            _ => return Ok(None),
        };
        let Some(Value::Object(props)) = node.map.get("properties") else {
            return Ok(None);
        };
        let mut base = node.map.clone();
        base.remove(key);
        if self.types(&Node {
            map: base,
            ..node.clone()
        })? != ["object"]
        {
            return Ok(None);
        }
        let Some(Value::Array(branches)) = node.map.get(key) else {
            return Ok(None);
        };
        let mut views = Vec::new();
        for b in branches {
            let Value::Object(b) = b else {
                return Ok(None);
            };
            if b.keys()
                .any(|k| !ASSERTIONS.contains(&k.as_str()) && !is_annotation(k))
                || Value::Object(b.clone()).to_string().contains("\"$ref\"")
            {
                return Ok(None);
            }
            let names_known = |v: Option<&Value>| match v {
                None => true,
                Some(Value::Array(names)) => names
                    .iter()
                    .all(|n| n.as_str().is_some_and(|n| props.contains_key(n))),
                Some(_) => false,
            };
            let own_props = match b.get("properties") {
                None => true,
                Some(Value::Object(p)) => p.keys().all(|k| props.contains_key(k)),
                Some(_) => false,
            };
            if !own_props || !names_known(b.get("required")) {
                return Ok(None);
            }
            views.push(Node {
                doc: node.doc,
                ptr: node.ptr.clone(),
                map: b.clone(),
            });
        }
        if self.discriminator(&views).is_some() {
            return Ok(None);
        }
        Ok(Some(key))
    }

    /// The object of [`Self::assertion_union`] as one type: the union is
    /// left to the validator (and to the value strategies, as a residual
    /// schema), and the type's doc says what it asks.
    fn assertions_on_one_object(
        &mut self,
        node: Node,
        id: TypeId,
        key: &str,
    ) -> Result<Kind, CodegenError> {
        let mut map = node.map.clone();
        let union = map.remove(key).unwrap_or(Value::Null);
        let forms: Vec<String> = union
            .as_array()
            .map(|bs| {
                bs.iter()
                    .filter_map(|b| {
                        let b = b.as_object()?;
                        title(b).or_else(|| {
                            let req = b.get("required")?.as_array()?;
                            let names: Vec<String> = req
                                .iter()
                                .filter_map(Value::as_str)
                                .map(|n| format!("`{n}`"))
                                .collect();
                            Some(names.join(" and "))
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        if let Some(t) = self.ir.types.get_mut(id) {
            let mut schema = Map::new();
            schema.insert(key.to_string(), union);
            let own = Value::Object(schema);
            t.residual = Some(match t.residual.take() {
                Some(prev) => match serde_json::from_str::<Value>(&prev) {
                    Ok(prev) => serde_json::json!({ "allOf": [prev, own] }).to_string(),
                    Err(_) => own.to_string(),
                },
                None => own.to_string(),
            });
            if !forms.is_empty() {
                let how = if key == "oneOf" {
                    "exactly one of"
                } else {
                    "at least one of"
                };
                let note = format!(
                    "Not held by the type, checked by `validate()`: {how} {}.",
                    forms.join("; ")
                );
                t.doc = Some(match t.doc.take() {
                    Some(d) => format!("{d}\n\n{note}"),
                    None => note,
                });
            }
        }
        self.kind(Node { map, ..node }, id)
    }

    fn object(&mut self, node: &Node, id: TypeId) -> Result<Kind, CodegenError> {
        let props = match node.map.get("properties") {
            None => Map::new(),
            Some(Value::Object(p)) => p.clone(),
            Some(_) => {
                return Err(self.err(
                    ErrorKind::Json,
                    node.doc,
                    &format!("{}/properties", node.ptr),
                    "`properties` must be an object",
                ));
            }
        };
        let required: Vec<String> = match node.map.get("required") {
            None => Vec::new(),
            Some(Value::Array(r)) => r
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
            Some(_) => {
                return Err(self.err(
                    ErrorKind::Json,
                    node.doc,
                    &format!("{}/required", node.ptr),
                    "`required` must be a list of strings",
                ));
            }
        };
        let mut def = StructDef {
            min_properties: as_usize(node.map.get("minProperties")).unwrap_or(0),
            ..StructDef::default()
        };
        let raws: Vec<String> = props.keys().cloned().collect();
        let field_names = crate::names::field_names(&raws);
        for (i, (raw, sub)) in props.iter().enumerate() {
            let child = self.child_node(node, sub, &format!("properties/{}", escape(raw)))?;
            let mut doc = desc(&child.map);
            if doc.is_none()
                && let Some(r) = child.map.get("$ref").and_then(Value::as_str)
                && let Ok(loc) = self.set.resolve(child.doc, &child.ptr, r)
            {
                doc = self
                    .set
                    .node(&loc)
                    .and_then(Value::as_object)
                    .and_then(desc);
            }
            let mut ctx = self.child_ctx(id, &case::pascal(raw));
            if let NameHint::Child { alt, .. } = &mut ctx.hint {
                *alt = field_names.get(i).map(|f| case::pascal(f));
            }
            let shape = self.shape(child, &ctx)?;
            let is_required = required.iter().any(|r| r == raw);
            def.fields.push(Field {
                raw: raw.clone(),
                name: String::new(),
                doc,
                literal: is_required && self.is_literal(&shape),
                shape,
                required: is_required,
            });
        }
        for r in &required {
            if !props.contains_key(r) {
                def.fields.push(Field {
                    raw: r.clone(),
                    name: String::new(),
                    doc: None,
                    shape: Shape::Any,
                    required: true,
                    literal: false,
                });
            }
        }
        let closed = |v: Option<&Value>| v.is_some_and(|v| *v == Value::Bool(false));
        match node.map.get("additionalProperties") {
            _ if closed(node.map.get("additionalProperties"))
                || closed(node.map.get("unevaluatedProperties")) =>
            {
                def.deny_unknown = true;
            }
            Some(v @ Value::Object(_)) => {
                let sub = self.child_node(node, v, "additionalProperties")?;
                let ctx = self.child_ctx(id, "Extra");
                def.extra = Some(self.shape(sub, &ctx)?);
            }
            _ => def.extra = Some(Shape::Any),
        }
        Ok(Kind::Struct(def))
    }

    /// True if the shape is an enum with exactly one value (a `const`).
    fn is_literal(&self, shape: &Shape) -> bool {
        let mut s = shape;
        let mut hops = 0;
        while let Shape::Named(id) = s {
            hops += 1;
            match self.ir.types.get(*id).map(|t| &t.kind) {
                Some(Kind::Values(v)) => return v.len() == 1,
                Some(Kind::Alias(inner)) if hops < 16 => s = inner,
                _ => return false,
            }
        }
        false
    }

    fn values(&self, node: &Node) -> Result<Kind, CodegenError> {
        let values: Vec<Value> = match (node.map.get("enum"), node.map.get("const")) {
            (_, Some(c)) => vec![c.clone()],
            (Some(Value::Array(e)), None) => e.clone(),
            _ => {
                return Err(self.err(
                    ErrorKind::Json,
                    node.doc,
                    &format!("{}/enum", node.ptr),
                    "`enum` must be an array",
                ));
            }
        };
        if values.is_empty() {
            return Err(self.err(
                ErrorKind::Contradiction,
                node.doc,
                &format!("{}/enum", node.ptr),
                "empty `enum`: nothing is valid",
            ));
        }
        let names = node.map.get("x-enum-names").and_then(Value::as_object);
        let mut groups: Vec<(String, Vec<Value>)> = Vec::new();
        for v in values {
            let key = group_key(&v);
            match groups.iter_mut().find(|(k, _)| *k == key) {
                Some((_, vs)) => {
                    if !vs.contains(&v) {
                        vs.push(v);
                    }
                }
                None => groups.push((key, vec![v])),
            }
        }
        let mut out = Vec::new();
        for (_, spellings) in groups {
            let mut candidates = Vec::new();
            if let Some(names) = names {
                for s in &spellings {
                    let text = value_text(s);
                    if let Some(n) = names.get(&text).and_then(Value::as_str) {
                        candidates.push(case::pascal(n));
                        break;
                    }
                }
            }
            let text = spellings.first().map(value_text).unwrap_or_default();
            if text.chars().any(|c| c.is_ascii_alphabetic()) {
                candidates.push(case::pascal(&text));
            }
            candidates.push(case::spelled_out(&text));
            out.push(ValueVariant {
                candidates,
                name: String::new(),
                spellings,
            });
        }
        Ok(Kind::Values(out))
    }

    /// A flattened view of a branch (refs followed, `allOf` merged) for
    /// looking at its properties, or `None` if it is not an object schema.
    fn view(&self, node: &Node) -> Result<Node, CodegenError> {
        if node.map.contains_key("$ref") || node.map.contains_key("allOf") {
            self.merge(node)
        } else {
            Ok(node.clone())
        }
    }

    /// The literal values a property schema allows, if it is an enum/const.
    fn literal_values(&self, node: &Node) -> Option<Vec<Value>> {
        let v = self.view(node).ok()?;
        if let Some(c) = v.map.get("const") {
            return Some(vec![c.clone()]);
        }
        v.map.get("enum").and_then(Value::as_array).cloned()
    }

    fn one_of(&mut self, node: &Node, id: TypeId) -> Result<Kind, CodegenError> {
        let key = if node.map.contains_key("oneOf") {
            "oneOf"
        } else {
            "anyOf"
        };
        let branches = match node.map.get(key) {
            Some(Value::Array(b)) if !b.is_empty() => b.clone(),
            _ => {
                return Err(self.err(
                    ErrorKind::Json,
                    node.doc,
                    &format!("{}/{key}", node.ptr),
                    format!("`{key}` must be a non-empty array"),
                ));
            }
        };
        // Properties beside the oneOf apply to every branch.
        let mut base = node.map.clone();
        base.remove(key);
        base.remove("oneOf");
        base.remove("anyOf");
        let distribute = base.keys().any(|k| !is_annotation(k) && k != "type");
        for k in ["title", "description"] {
            base.remove(k);
        }
        let mut nodes = Vec::new();
        for (i, b) in branches.iter().enumerate() {
            let n = self.child_node(node, b, &format!("{key}/{i}"))?;
            if distribute {
                let mut map = Map::new();
                map.insert(
                    "allOf".into(),
                    Value::Array(vec![Value::Object(base.clone()), b.clone()]),
                );
                if let Some(d) = desc(&n.map) {
                    map.insert("description".into(), Value::String(d));
                }
                nodes.push((
                    Node {
                        doc: n.doc,
                        ptr: n.ptr.clone(),
                        map,
                    },
                    n,
                ));
            } else {
                nodes.push((n.clone(), n));
            }
        }
        let views: Vec<Node> = nodes
            .iter()
            .map(|(n, _)| self.view(n))
            .collect::<Result<_, _>>()?;
        // Def keys of ref branches, for names.
        let def_keys: Vec<Option<String>> = nodes
            .iter()
            .map(|(_, orig)| {
                orig.map
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(def_key)
            })
            .collect();
        let stripped = strip_common_words(&def_keys);
        let variant_names: Vec<Option<String>> = nodes
            .iter()
            .zip(&views)
            .map(|((_, orig), view)| {
                orig.map
                    .get("x-variant-name")
                    .or_else(|| view.map.get("x-variant-name"))
                    .and_then(Value::as_str)
                    .map(case::pascal)
            })
            .collect();

        if let Some(tag) = self.discriminator(&views) {
            let mut variants = Vec::new();
            for (i, (n, orig)) in nodes.into_iter().enumerate() {
                let view = views.get(i).cloned().unwrap_or_else(|| n.clone());
                let tags = view
                    .map
                    .get("properties")
                    .and_then(|p| p.get(&tag))
                    .and_then(|p| self.child_node(&view, p, "x").ok())
                    .and_then(|p| self.literal_values(&p))
                    .unwrap_or_default();
                let mut candidates = Vec::new();
                candidates.extend(variant_names.get(i).cloned().flatten());
                let keys: Vec<String> = tags.iter().map(group_key).collect();
                if keys.windows(2).all(|w| w.first() == w.get(1))
                    && let Some(t) = tags.first()
                {
                    let text = value_text(t);
                    if text.chars().any(|c| c.is_ascii_alphabetic()) {
                        candidates.push(case::pascal(&text));
                    }
                }
                candidates.extend(stripped.get(i).cloned().flatten());
                candidates.extend(def_keys.get(i).cloned().flatten());
                candidates.extend(title(&view.map).map(|t| case::pascal(&t)));
                candidates.push(case::spelled_out(
                    &tags.first().map(value_text).unwrap_or_default(),
                ));
                let shape =
                    self.variant_shape(id, &candidates, if distribute { n } else { orig })?;
                variants.push(TaggedVariant {
                    candidates,
                    name: String::new(),
                    tags,
                    shape,
                });
            }
            return Ok(Kind::Tagged(TaggedDef { tag, variants }));
        }

        let kinds: Vec<Option<String>> = views.iter().map(|v| self.kind_name(v)).collect();
        let mut variants = Vec::new();
        for (i, (n, orig)) in nodes.into_iter().enumerate() {
            let view = views.get(i).cloned().unwrap_or_else(|| n.clone());
            let mut candidates = Vec::new();
            candidates.extend(variant_names.get(i).cloned().flatten());
            candidates.extend(kinds.get(i).cloned().flatten());
            candidates.extend(stripped.get(i).cloned().flatten());
            candidates.extend(def_keys.get(i).cloned().flatten());
            candidates.extend(title(&view.map).map(|t| case::pascal(&t)));
            candidates.push(format!(
                "{}Branch",
                case::pascal(&case::number_words(i as u64 + 1))
            ));
            let doc = desc(&orig.map).or_else(|| desc(&view.map));
            let shape = self.variant_shape(id, &candidates, if distribute { n } else { orig })?;
            variants.push(Variant {
                candidates,
                name: String::new(),
                shape,
                doc,
            });
        }
        Ok(Kind::Untagged(variants))
    }

    /// The shape of a `oneOf`/`anyOf` variant, its nested types named after
    /// the variant's first name candidate.
    fn variant_shape(
        &mut self,
        union: TypeId,
        candidates: &[String],
        node: Node,
    ) -> Result<Shape, CodegenError> {
        let suffix = candidates.first().map_or("Variant", String::as_str);
        let ctx = self.child_ctx(union, suffix);
        self.shape(node, &ctx)
    }

    fn kind_name(&self, view: &Node) -> Option<String> {
        if view.map.contains_key("enum") || view.map.contains_key("const") {
            return None;
        }
        let types = self.types(view).ok()?;
        match types.as_slice() {
            [t] => Some(match t.as_str() {
                "boolean" => "Bool".to_string(),
                other => case::pascal(other),
            }),
            _ => None,
        }
    }

    /// A property that every branch requires, holds to literal values, and
    /// whose values no two branches share.
    fn discriminator(&self, views: &[Node]) -> Option<String> {
        if views.len() < 2 {
            return None;
        }
        let first = views.first()?;
        let props = first.map.get("properties")?.as_object()?;
        'cand: for name in props.keys() {
            let mut seen: Vec<Value> = Vec::new();
            for v in views {
                let required = v.map.get("required").and_then(Value::as_array);
                if !required.is_some_and(|r| r.iter().any(|x| x == name)) {
                    continue 'cand;
                }
                let Some(p) = v.map.get("properties").and_then(|p| p.get(name)) else {
                    continue 'cand;
                };
                let Ok(pn) = self.child_node(v, p, "x") else {
                    continue 'cand;
                };
                let Some(vals) = self.literal_values(&pn) else {
                    continue 'cand;
                };
                if vals.is_empty() {
                    continue 'cand;
                }
                for val in vals {
                    if seen.contains(&val) {
                        continue 'cand;
                    }
                    seen.push(val);
                }
            }
            return Some(name.clone());
        }
        None
    }

    /// Flattens `$ref` siblings and `allOf` into one node, the intersection
    /// of all parts; relative `$ref`s inside the parts are made absolute so
    /// the merged node resolves the same wherever its parts came from.
    fn merge(&self, node: &Node) -> Result<Node, CodegenError> {
        let mut parts = Vec::new();
        self.flatten(node.doc, &node.ptr, &node.map, 0, &mut parts)?;
        let mut acc = Map::new();
        for part in parts {
            self.merge_into(&mut acc, part, node)?;
        }
        Ok(Node {
            doc: node.doc,
            ptr: node.ptr.clone(),
            map: acc,
        })
    }

    fn flatten(
        &self,
        doc: DocId,
        ptr: &str,
        map: &Map<String, Value>,
        depth: usize,
        out: &mut Vec<Map<String, Value>>,
    ) -> Result<(), CodegenError> {
        if depth > 32 {
            return Err(self.err(
                ErrorKind::Unsupported,
                doc,
                ptr,
                "`allOf`/`$ref` chain too deep (recursive `allOf`?)",
            ));
        }
        let mut own = soften(map.clone());
        let r = own.remove("$ref");
        let all = own.remove("allOf");
        let mut own_value = Value::Object(own);
        absolutize(self.set, doc, &mut own_value);
        if let Value::Object(m) = own_value {
            out.push(m);
        }
        if let Some(r) = r {
            let r = r
                .as_str()
                .ok_or_else(|| self.err(ErrorKind::Json, doc, ptr, "`$ref` must be a string"))?;
            let loc = self.set.resolve(doc, &format!("{ptr}/$ref"), r)?;
            match self.set.node(&loc) {
                Some(Value::Object(m)) => {
                    let mut m = m.clone();
                    // The referenced node's own annotations must not override
                    // the referring node's (its description wins).
                    m.remove("$defs");
                    self.flatten(loc.doc, &loc.pointer, &m, depth + 1, out)?
                }
                Some(Value::Bool(true)) => {}
                _ => {
                    return Err(self.err(
                        ErrorKind::Unsupported,
                        doc,
                        ptr,
                        "`$ref` to a non-object schema",
                    ));
                }
            }
        }
        if let Some(all) = all {
            let Value::Array(all) = all else {
                return Err(self.err(ErrorKind::Json, doc, ptr, "`allOf` must be an array"));
            };
            for (i, b) in all.iter().enumerate() {
                match b {
                    Value::Object(m) => {
                        self.flatten(doc, &format!("{ptr}/allOf/{i}"), m, depth + 1, out)?
                    }
                    Value::Bool(true) => {}
                    _ => {
                        return Err(self.err(
                            ErrorKind::Unsupported,
                            doc,
                            &format!("{ptr}/allOf/{i}"),
                            "`allOf` branch is not an object schema",
                        ));
                    }
                }
            }
        }
        Ok(())
    }

    fn merge_into(
        &self,
        acc: &mut Map<String, Value>,
        part: Map<String, Value>,
        node: &Node,
    ) -> Result<(), CodegenError> {
        let contradiction =
            |reason: String| self.err(ErrorKind::Contradiction, node.doc, &node.ptr, reason);
        let mut part = part;
        if part.contains_key("if") {
            let mut c = Map::new();
            for k in ["if", "then", "else"] {
                if let Some(v) = part.remove(k) {
                    c.insert(k.into(), v);
                }
            }
            let entry = acc
                .entry("x-preflight-conditionals")
                .or_insert_with(|| Value::Array(vec![]));
            if let Value::Array(a) = entry {
                a.push(Value::Object(c));
            }
        }
        for (k, v) in part {
            match k.as_str() {
                "properties" => {
                    let Value::Object(props) = v else { continue };
                    let entry = acc
                        .entry("properties")
                        .or_insert_with(|| Value::Object(Map::new()));
                    if let Value::Object(target) = entry {
                        for (pk, pv) in props {
                            match target.get_mut(&pk) {
                                Some(existing) => {
                                    let old = existing.take();
                                    *existing = serde_json::json!({ "allOf": [old, pv] });
                                }
                                None => {
                                    target.insert(pk, pv);
                                }
                            }
                        }
                    }
                }
                "required" => {
                    let entry = acc
                        .entry("required")
                        .or_insert_with(|| Value::Array(vec![]));
                    if let (Value::Array(target), Value::Array(new)) = (entry, v) {
                        for r in new {
                            if !target.contains(&r) {
                                target.push(r);
                            }
                        }
                    }
                }
                "type" => {
                    let new = type_set(&v);
                    match acc.get("type") {
                        None => {
                            acc.insert(k, v);
                        }
                        Some(old) => {
                            let old = type_set(old);
                            let mut both: Vec<String> = Vec::new();
                            for t in &old {
                                if new.contains(t)
                                    || (t == "integer" && new.iter().any(|n| n == "number"))
                                {
                                    both.push(t.clone());
                                } else if t == "number" && new.iter().any(|n| n == "integer") {
                                    both.push("integer".into());
                                }
                            }
                            if both.is_empty() {
                                return Err(contradiction(format!(
                                    "`allOf` requires types {old:?} and {new:?} at once"
                                )));
                            }
                            let value = if both.len() == 1 {
                                Value::String(both.into_iter().next().unwrap_or_default())
                            } else {
                                Value::Array(both.into_iter().map(Value::String).collect())
                            };
                            acc.insert(k, value);
                        }
                    }
                }
                "minLength"
                | "minItems"
                | "minProperties"
                | "minimum"
                | "exclusiveMinimum"
                | "minContains"
                | "x-soft-minLength"
                | "x-soft-minItems"
                | "x-soft-minimum"
                | "x-soft-exclusiveMinimum" => {
                    let keep = match (acc.get(&k).and_then(Value::as_f64), v.as_f64()) {
                        (Some(a), Some(b)) => b > a,
                        _ => true,
                    };
                    if keep {
                        acc.insert(k, v);
                    }
                }
                "maxLength"
                | "maxItems"
                | "maxProperties"
                | "maximum"
                | "exclusiveMaximum"
                | "maxContains"
                | "x-soft-maxLength"
                | "x-soft-maxItems"
                | "x-soft-maximum"
                | "x-soft-exclusiveMaximum" => {
                    let keep = match (acc.get(&k).and_then(Value::as_f64), v.as_f64()) {
                        (Some(a), Some(b)) => b < a,
                        _ => true,
                    };
                    if keep {
                        acc.insert(k, v);
                    }
                }
                "pattern" => match acc.get("pattern") {
                    None => {
                        acc.insert(k, v);
                    }
                    Some(old) if *old == v => {}
                    Some(_) => {
                        let entry = acc
                            .entry("x-preflight-patterns")
                            .or_insert_with(|| Value::Array(vec![]));
                        if let Value::Array(a) = entry {
                            a.push(v);
                        }
                    }
                },
                "enum" => match acc.get("enum").and_then(Value::as_array) {
                    None => {
                        acc.insert(k, v);
                    }
                    Some(old) => {
                        let new = v.as_array().cloned().unwrap_or_default();
                        let both: Vec<Value> =
                            old.iter().filter(|x| new.contains(x)).cloned().collect();
                        if both.is_empty() {
                            return Err(contradiction(
                                "`allOf` of enums with no value in common".into(),
                            ));
                        }
                        acc.insert(k, Value::Array(both));
                    }
                },
                "const" => match acc.get("const") {
                    Some(old) if *old != v => {
                        return Err(contradiction(
                            "`allOf` of two different `const` values".into(),
                        ));
                    }
                    _ => {
                        acc.insert(k, v);
                    }
                },
                "additionalProperties" | "unevaluatedProperties" => {
                    if v == Value::Bool(false) || !acc.contains_key(&k) {
                        acc.insert(k, v);
                    }
                }
                "items" => match acc.get_mut("items") {
                    Some(old) => {
                        let o = old.take();
                        *old = serde_json::json!({ "allOf": [o, v] });
                    }
                    None => {
                        acc.insert(k, v);
                    }
                },
                "if" | "then" | "else" => {}
                "x-preflight-conditionals" | "x-preflight-patterns" | "x-soft-patterns" => {
                    let entry = acc
                        .entry(k.as_str())
                        .or_insert_with(|| Value::Array(vec![]));
                    if let (Value::Array(a), Value::Array(new)) = (entry, v) {
                        a.extend(new);
                    }
                }
                "oneOf" | "anyOf" => {
                    if acc.contains_key("oneOf") || acc.contains_key("anyOf") {
                        return Err(self.err(
                            ErrorKind::Unsupported,
                            node.doc,
                            &node.ptr,
                            "`allOf` of several `oneOf`/`anyOf` is not supported",
                        ));
                    }
                    acc.insert(k, v);
                }
                "$defs" | "definitions" | "$id" | "$schema" | "$anchor" => {}
                _ => {
                    if !acc.contains_key(&k) {
                        acc.insert(k, v);
                    }
                }
            }
        }
        Ok(())
    }

    /// Type aliases cannot be recursive: a `$ref` cycle through plain
    /// aliases has no Rust type.
    fn check_alias_cycles(&self) -> Result<(), CodegenError> {
        for (start, t) in self.ir.types.iter().enumerate() {
            let mut cur = start;
            let mut steps = 0;
            while let Some(Kind::Alias(s)) = self.ir.types.get(cur).map(|t| &t.kind) {
                let Some(next) = first_named(s) else { break };
                if next == start {
                    return Err(CodegenError::new(
                        ErrorKind::Unsupported,
                        &t.file,
                        &t.pointer,
                        "circular `$ref` through plain aliases has no Rust type",
                    ));
                }
                cur = next;
                steps += 1;
                if steps > self.ir.types.len() {
                    break;
                }
            }
            if matches!(t.kind, Kind::Placeholder) {
                return Err(CodegenError::new(
                    ErrorKind::Unsupported,
                    &t.file,
                    &t.pointer,
                    "circular `$ref` without an object in between",
                ));
            }
        }
        Ok(())
    }
}

/// Constraints of a node marked `x-severity: warning` are advisory: the
/// validator warns, the types do not refuse. They move to `x-soft-*` keys,
/// which only the value strategies read (so generated payloads stay clear
/// of warnings too).
fn soften(mut map: Map<String, Value>) -> Map<String, Value> {
    if map.get("x-severity").and_then(Value::as_str) != Some("warning") {
        return map;
    }
    map.remove("x-severity");
    for k in [
        "minLength",
        "maxLength",
        "minItems",
        "maxItems",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
    ] {
        if let Some(v) = map.remove(k) {
            map.insert(format!("x-soft-{k}"), v);
        }
    }
    let mut soft_patterns = Vec::new();
    if let Some(p) = map.remove("pattern") {
        soft_patterns.push(p);
    }
    if let Some(Value::Array(ps)) = map.remove("x-preflight-patterns") {
        soft_patterns.extend(ps);
    }
    if !soft_patterns.is_empty() {
        map.insert("x-soft-patterns".into(), Value::Array(soft_patterns));
    }
    map
}

/// The keywords of a node that no Rust type holds, as a schema of their own.
fn residual(map: &Map<String, Value>) -> Option<String> {
    const KEYS: &[&str] = &[
        "not",
        "contains",
        "minContains",
        "maxContains",
        "uniqueItems",
        "dependentRequired",
        "propertyNames",
        "maxProperties",
    ];
    let mut out = Map::new();
    for k in KEYS {
        if let Some(v) = map.get(*k) {
            out.insert((*k).to_string(), v.clone());
        }
    }
    if out.is_empty() {
        None
    } else {
        Some(Value::Object(out).to_string())
    }
}

fn first_named(s: &Shape) -> Option<TypeId> {
    match s {
        Shape::Named(id) => Some(*id),
        Shape::Array { items, .. } => first_named(items),
        Shape::Map(i) | Shape::Nullable(i) => first_named(i),
        _ => None,
    }
}

fn conditionals(map: &Map<String, Value>) -> Vec<Map<String, Value>> {
    let mut out = Vec::new();
    if map.contains_key("if") {
        let mut c = Map::new();
        for k in ["if", "then", "else"] {
            if let Some(v) = map.get(k) {
                c.insert(k.into(), v.clone());
            }
        }
        out.push(c);
    }
    if let Some(Value::Array(a)) = map.get("x-preflight-conditionals") {
        out.extend(a.iter().filter_map(Value::as_object).cloned());
    }
    out
}

fn type_set(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.clone()],
        Value::Array(a) => a
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => vec![],
    }
}

/// Values that are one logical value in different casings or forms
/// (`"BODY"`, `"body"`; `"1"`, `1`) share a key.
fn group_key(v: &Value) -> String {
    match v {
        Value::String(s) => s.to_lowercase(),
        other => other.to_string().to_lowercase(),
    }
}

fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Strips the words all sibling `$defs` keys share at the start and end
/// (`SessionTextMessage`, `SessionAudioMessage` → `Text`, `Audio`).
/// The key a `$ref` ends in (`#/$defs/ButtonUrl` → `ButtonUrl`), as a type
/// name: `None` for a reference to a whole document (`#`, `other.json`),
/// PascalCased when the key is not already a Rust identifier (`a-b` → `AB`).
fn def_key(reference: &str) -> Option<String> {
    let fragment = reference.split_once('#').map_or("", |(_, f)| f);
    let key = fragment.rsplit_once('/')?.1;
    let key = key.replace("~1", "/").replace("~0", "~");
    if syn::parse_str::<syn::Ident>(&key).is_ok() {
        Some(key)
    } else {
        Some(case::pascal(&key))
    }
}

fn strip_common_words(keys: &[Option<String>]) -> Vec<Option<String>> {
    let words: Vec<Option<Vec<String>>> = keys
        .iter()
        .map(|k| k.as_ref().map(|k| split_pascal(k)))
        .collect();
    if words.len() < 2 || words.iter().any(Option::is_none) {
        return vec![None; keys.len()];
    }
    let ws: Vec<&Vec<String>> = words.iter().flatten().collect();
    let min_len = ws.iter().map(|w| w.len()).min().unwrap_or(0);
    let mut prefix = 0;
    while prefix < min_len
        && ws
            .iter()
            .all(|w| w.get(prefix) == ws.first().and_then(|f| f.get(prefix)))
    {
        prefix += 1;
    }
    let mut suffix = 0;
    while suffix < min_len - prefix
        && ws.iter().all(|w| {
            w.get(w.len() - 1 - suffix) == ws.first().and_then(|f| f.get(f.len() - 1 - suffix))
        })
    {
        suffix += 1;
    }
    ws.iter()
        .map(|w| {
            let mid = w
                .get(prefix..w.len() - suffix)
                .map(|s| s.concat())
                .unwrap_or_default();
            if mid.is_empty() { None } else { Some(mid) }
        })
        .collect()
}

fn split_pascal(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let chars: Vec<char> = s.chars().collect();
    let mut cur = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let next_lower = chars.get(i + 1).is_some_and(char::is_ascii_lowercase);
        let prev_lower = i > 0
            && chars
                .get(i - 1)
                .is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit());
        if c.is_ascii_uppercase() && !cur.is_empty() && (prev_lower || next_lower) {
            out.push(std::mem::take(&mut cur));
        }
        cur.push(c);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn absolutize(set: &SchemaSet, doc: DocId, v: &mut Value) {
    match v {
        Value::Object(map) => {
            for (k, child) in map.iter_mut() {
                if k == "$ref" {
                    if let Value::String(r) = child {
                        *r = set.absolute(doc, r);
                    }
                } else if !matches!(k.as_str(), "enum" | "const" | "examples" | "default") {
                    absolutize(set, doc, child);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|c| absolutize(set, doc, c)),
        _ => {}
    }
}

fn collect_defs(v: &Value, ptr: String, out: &mut Vec<String>) {
    let Some(map) = v.as_object() else { return };
    for key in ["$defs", "definitions"] {
        if let Some(Value::Object(defs)) = map.get(key) {
            for (k, d) in defs {
                let p = format!("{ptr}/{key}/{}", escape(k));
                out.push(p.clone());
                collect_defs(d, p, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::def_key;

    #[test]
    fn def_keys_are_type_names_or_nothing() {
        assert_eq!(
            def_key("#/$defs/WhatsAppButtonUrl").as_deref(),
            Some("WhatsAppButtonUrl")
        );
        assert_eq!(
            def_key("common.json#/$defs/Msisdn").as_deref(),
            Some("Msisdn")
        );
        assert_eq!(def_key("#/$defs/a-b").as_deref(), Some("AB"));
        assert_eq!(def_key("#/$defs/type").as_deref(), Some("Type"));
        // A whole document has no key: the variant is named otherwise.
        assert_eq!(def_key("#"), None);
        assert_eq!(
            def_key("https://preflight.invalid/schemas/root.json#"),
            None
        );
        assert_eq!(
            def_key("https://preflight.invalid/schemas/other.json"),
            None
        );
    }
}
