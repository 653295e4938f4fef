//! The set of schema documents and `$ref` resolution.
//!
//! Resolution is native and offline: a reference is a URI relative to the
//! document's base (its `$id`, else its path), and its fragment is either a
//! JSON pointer (at any depth, `$defs` nested in `$defs` included) or an
//! `$anchor`. Nothing is fetched; a reference to a document that is not in
//! the set is an error naming the file and pointer that made it.

use std::collections::HashMap;
use std::path::Path;

use serde_json::Value;

use crate::error::{CodegenError, ErrorKind};

/// Index of a document in a [`SchemaSet`].
pub type DocId = usize;

/// One schema file.
#[derive(Debug, Clone)]
pub struct Document {
    /// Path relative to the schema root, with `/` separators (`sandeza/send.json`).
    pub path: String,
    /// Absolute base URI: the `$id`, else `file:///<path>`.
    pub base: String,
    /// The parsed document.
    pub root: Value,
    anchors: HashMap<String, String>,
}

/// The schema documents the generator works on.
#[derive(Debug, Clone, Default)]
pub struct SchemaSet {
    docs: Vec<Document>,
}

/// Where a reference leads: a document and a JSON pointer inside it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Location {
    /// The document.
    pub doc: DocId,
    /// The pointer inside it.
    pub pointer: String,
}

impl SchemaSet {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a document from its text; `path` is relative to the schema root.
    pub fn add(&mut self, path: &str, text: &str) -> Result<DocId, CodegenError> {
        let value: Value = serde_json::from_str(text).map_err(|e| {
            CodegenError::new(ErrorKind::Json, path, "", format!("not valid JSON: {e}"))
        })?;
        self.add_value(path, value)
    }

    /// Adds an already parsed document; `path` is relative to the schema root.
    pub fn add_value(&mut self, path: &str, root: Value) -> Result<DocId, CodegenError> {
        let path = path.replace('\\', "/");
        if !root.is_object() {
            return Err(CodegenError::new(
                ErrorKind::Json,
                &path,
                "",
                "a schema document must be a JSON object",
            ));
        }
        if self.docs.iter().any(|d| d.path == path) {
            return Err(CodegenError::new(
                ErrorKind::Json,
                &path,
                "",
                "the same file was added twice",
            ));
        }
        let fallback = format!("file:///{path}");
        let base = match root.get("$id").and_then(Value::as_str) {
            Some(id) if id.contains("://") || id.starts_with("urn:") => strip_fragment(id),
            Some(id) => join(&fallback, id),
            None => fallback,
        };
        if let Some(other) = self.docs.iter().find(|d| d.base == base) {
            return Err(CodegenError::new(
                ErrorKind::Json,
                &path,
                "/$id",
                format!("`$id` {base} is also the id of {}", other.path),
            ));
        }
        let mut anchors = HashMap::new();
        collect_anchors(&root, String::new(), &mut anchors);
        self.docs.push(Document {
            path,
            base,
            root,
            anchors,
        });
        Ok(self.docs.len() - 1)
    }

    /// Loads every `*.json` file under `root`, recursively, in a stable order.
    pub fn load_dir(root: &Path) -> Result<Self, CodegenError> {
        let mut files = Vec::new();
        walk(root, root, &mut files)?;
        files.sort();
        let mut set = Self::new();
        for rel in files {
            let text = std::fs::read_to_string(root.join(&rel)).map_err(|e| {
                CodegenError::new(ErrorKind::Io, &rel, "", format!("cannot read: {e}"))
            })?;
            set.add(&rel, &text)?;
        }
        Ok(set)
    }

    /// The documents, in the order they were added.
    pub fn documents(&self) -> &[Document] {
        &self.docs
    }

    /// The document with this id.
    pub fn doc(&self, id: DocId) -> Option<&Document> {
        self.docs.get(id)
    }

    /// The node at `loc`.
    pub fn node(&self, loc: &Location) -> Option<&Value> {
        self.docs.get(loc.doc)?.root.pointer(&loc.pointer)
    }

    /// Makes `reference` (as written in document `from`) absolute.
    pub fn absolute(&self, from: DocId, reference: &str) -> String {
        let base = self.docs.get(from).map(|d| d.base.as_str()).unwrap_or("");
        let (uri, fragment) = split_fragment(reference);
        let target = if uri.is_empty() {
            base.to_string()
        } else {
            join(base, uri)
        };
        match fragment {
            Some(f) => format!("{target}#{f}"),
            None => target,
        }
    }

    /// Resolves `reference`, written at `at` in document `from`.
    pub fn resolve(
        &self,
        from: DocId,
        at: &str,
        reference: &str,
    ) -> Result<Location, CodegenError> {
        let file = self
            .docs
            .get(from)
            .map(|d| d.path.clone())
            .unwrap_or_default();
        let err = |reason: String| CodegenError::new(ErrorKind::Reference, &file, at, reason);
        let absolute = self.absolute(from, reference);
        let (uri, fragment) = split_fragment(&absolute);
        let doc = self
            .docs
            .iter()
            .position(|d| d.base == uri)
            .ok_or_else(|| {
                err(format!(
                    "`$ref` {reference:?}: no schema file has the id {uri}"
                ))
            })?;
        let pointer = match fragment {
            None | Some("") => String::new(),
            Some(f) if f.starts_with('/') => percent_decode(f),
            Some(anchor) => self
                .docs
                .get(doc)
                .and_then(|d| d.anchors.get(anchor))
                .cloned()
                .ok_or_else(|| err(format!("`$ref` {reference:?}: no `$anchor` {anchor:?}")))?,
        };
        let loc = Location { doc, pointer };
        if self.node(&loc).is_none() {
            return Err(err(format!(
                "`$ref` {reference:?}: nothing at that pointer in {}",
                self.docs.get(doc).map(|d| d.path.as_str()).unwrap_or("")
            )));
        }
        Ok(loc)
    }
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) -> Result<(), CodegenError> {
    let rel_of = |p: &Path| {
        p.strip_prefix(root)
            .unwrap_or(p)
            .to_string_lossy()
            .replace('\\', "/")
    };
    let entries = std::fs::read_dir(dir).map_err(|e| {
        CodegenError::new(
            ErrorKind::Io,
            dir.display().to_string(),
            "",
            format!("cannot list: {e}"),
        )
    })?;
    for entry in entries {
        let entry = entry.map_err(|e| {
            CodegenError::new(
                ErrorKind::Io,
                dir.display().to_string(),
                "",
                format!("cannot list: {e}"),
            )
        })?;
        let path = entry.path();
        if path.is_dir() {
            // `meta/` holds the schemas of preflight's own inputs (templates
            // files) and `output/` those of its outputs (the JSON report):
            // not endpoints, never request types.
            if dir == root
                && path
                    .file_name()
                    .is_some_and(|n| n == "meta" || n == "output")
            {
                continue;
            }
            walk(root, &path, out)?;
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(rel_of(&path));
        }
    }
    Ok(())
}

fn collect_anchors(v: &Value, ptr: String, out: &mut HashMap<String, String>) {
    match v {
        Value::Object(map) => {
            if let Some(a) = map.get("$anchor").and_then(Value::as_str) {
                out.entry(a.to_string()).or_insert_with(|| ptr.clone());
            }
            for (k, child) in map {
                if matches!(k.as_str(), "enum" | "const" | "examples" | "default") {
                    continue;
                }
                collect_anchors(child, format!("{ptr}/{}", escape(k)), out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                collect_anchors(child, format!("{ptr}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// Escapes one JSON pointer segment (RFC 6901).
pub fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

fn split_fragment(r: &str) -> (&str, Option<&str>) {
    match r.split_once('#') {
        Some((u, f)) => (u, Some(f)),
        None => (r, None),
    }
}

fn strip_fragment(r: &str) -> String {
    split_fragment(r).0.to_string()
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes.get(i).copied().unwrap_or(0);
        if b == b'%' {
            let hex = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            if let Some(h) = hex {
                out.push(h);
                i += 3;
                continue;
            }
        }
        out.push(b);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Joins a relative reference onto an absolute base URI (RFC 3986, the
/// subset schemas use: absolute URIs, absolute paths, relative paths with
/// `.` and `..`).
pub fn join(base: &str, rel: &str) -> String {
    if rel.contains("://") || rel.starts_with("urn:") {
        return rel.to_string();
    }
    let base = strip_fragment(base);
    let (origin, path) = match base.find("://") {
        Some(i) => {
            let after = i + 3;
            match base.get(after..).and_then(|r| r.find('/')) {
                Some(j) => (base[..after + j].to_string(), base[after + j..].to_string()),
                None => (base.clone(), "/".to_string()),
            }
        }
        None => (String::new(), base.clone()),
    };
    let joined = if rel.starts_with('/') {
        rel.to_string()
    } else {
        let dir = match path.rfind('/') {
            Some(i) => &path[..=i],
            None => "/",
        };
        format!("{dir}{rel}")
    };
    let mut segs: Vec<&str> = Vec::new();
    for seg in joined.split('/') {
        match seg {
            "." => {}
            ".." => {
                if segs.len() > 1 {
                    segs.pop();
                }
            }
            s => segs.push(s),
        }
    }
    format!("{origin}{}", segs.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins() {
        assert_eq!(
            join(
                "https://x.invalid/schemas/sandeza/send.json",
                "../common/whatsapp.json"
            ),
            "https://x.invalid/schemas/common/whatsapp.json"
        );
        assert_eq!(join("file:///a/b.json", "c.json"), "file:///a/c.json");
    }
}
