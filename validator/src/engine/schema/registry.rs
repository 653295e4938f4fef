//! The endpoint registry: every endpoint id preflight knows, built from the
//! embedded schemas, and the schema documents themselves for lookups by URI.
//!
//! Compiling a schema is the expensive part of start-up, so validators are
//! compiled lazily, once per endpoint per process, on first use.

use crate::engine::schema::documents::{COMMON_SCHEMAS, ENDPOINT_SCHEMAS, META_SCHEMAS};
use crate::engine::schema::refs::{SCHEMA_BASE, collect_refs, percent_decode, resolve_ref};
use crate::error::Error;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// One endpoint: a request body preflight can check.
///
/// ```
/// let e = preflight::endpoint("sandeza/send")?;
/// assert_eq!((e.provider, e.name), ("sandeza", "send"));
/// assert!(e.title().starts_with("Sandeza"));
/// assert!(e.schema().contains("\"$schema\""));
/// # Ok::<(), preflight::Error>(())
/// ```
#[derive(Debug)]
pub struct Endpoint {
    /// The public id, `<provider>/<endpoint>` (`sandeza/send`).
    pub id: &'static str,
    /// The provider part of the id (`sandeza`).
    pub provider: &'static str,
    /// The endpoint part of the id (`send`).
    pub name: &'static str,
    /// The schema's `$id`.
    pub(crate) uri: String,
    /// The schema text as embedded.
    pub(crate) schema_text: &'static str,
    /// The endpoint's position in the registry (for per-endpoint caches).
    pub(crate) index: usize,
}

impl Endpoint {
    /// The endpoint's JSON Schema (draft 2020-12), as embedded in the binary.
    pub fn schema(&self) -> &'static str {
        self.schema_text
    }

    /// The endpoint's JSON Schema as one self-contained document: every
    /// `$ref` into another schema (the shared pieces of `schemas/common/`, a
    /// sibling endpoint's `$defs`) brought under the document's own `$defs`
    /// and pointed there, so that an editor or another validator can use it
    /// with nothing else. preflight's own `x-` keywords are kept as written.
    ///
    /// ```
    /// let bundle = preflight::endpoint("oca/push-message")?.bundled_schema()?;
    /// assert!(bundle["$defs"]["common.whatsapp.ButtonIndex"].is_object());
    /// assert!(!bundle.to_string().contains("common/whatsapp.json"));
    /// # Ok::<(), preflight::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Bundle`] if the embedded schemas cannot be bundled (a bug in
    /// preflight, not in a payload).
    pub fn bundled_schema(&self) -> Result<Value, Error> {
        let registry = Registry::get()?;
        let text_of = |uri: &str| registry.texts.get(uri).copied();
        super::bundle::bundle(&self.uri, &text_of).map_err(|reason| Error::Bundle {
            endpoint: self.id.to_string(),
            reason,
        })
    }

    /// The schema's `title` (parses the schema on first use).
    pub fn title(&self) -> String {
        self.schema_text_of("title")
    }

    /// The schema's `description` (parses the schema on first use).
    pub fn description(&self) -> String {
        self.schema_text_of("description")
    }

    fn schema_text_of(&self, key: &str) -> String {
        Registry::get()
            .ok()
            .and_then(|r| r.document(&self.uri))
            .map(|doc| text_of(doc, key))
            .unwrap_or_default()
    }

    /// How messages name the provider whose rule a limit is ("Sandeza allows at most 50").
    pub(crate) fn provider_display(&self) -> &'static str {
        provider_display(self.provider)
    }

    /// The compiled validator for this endpoint (compiled on first use).
    pub(crate) fn validator(&self) -> Result<&jsonschema::Validator, Error> {
        let registry = Registry::get()?;
        let slot = &registry.validators[self.index];
        let compiled = slot.get_or_init(|| registry.compile(&self.uri));
        compiled.as_ref().map_err(|reason| Error::Schema {
            endpoint: self.id.to_string(),
            reason: reason.clone(),
        })
    }
}

/// How messages name a provider.
pub fn provider_display(provider: &str) -> &'static str {
    match provider {
        "sandeza" => "Sandeza",
        "oca" => "OCA",
        "qiscus" => "Qiscus",
        "3dolphins" => "3Dolphins",
        "chatbot" => "the chatbot gateway",
        _ => "the provider",
    }
}

/// All endpoints and schema documents.
pub struct Registry {
    /// How many of `endpoints` are endpoints; the rest are meta schemas.
    listed: usize,
    endpoints: Vec<Endpoint>,
    /// Embedded texts by `$id`.
    texts: HashMap<String, &'static str>,
    /// Parsed documents by `$id`, parsed on first use: a run parses only the
    /// schemas its endpoints reach.
    documents: HashMap<String, OnceLock<Option<Arc<Value>>>>,
    /// Per document, a resource registry of the documents it reaches by `$ref`.
    resources: HashMap<String, OnceLock<Result<jsonschema::Registry<'static>, String>>>,
    validators: Vec<OnceLock<Result<jsonschema::Validator, String>>>,
    fragments: Mutex<HashMap<String, Arc<jsonschema::Validator>>>,
}

static REGISTRY: OnceLock<Result<Registry, String>> = OnceLock::new();

impl Registry {
    /// The process-wide registry, built on first use from the embedded schemas.
    pub fn get() -> Result<&'static Registry, Error> {
        REGISTRY
            .get_or_init(Registry::build)
            .as_ref()
            .map_err(|reason| Error::Schema {
                endpoint: "(registry)".to_string(),
                reason: reason.clone(),
            })
    }

    fn build() -> Result<Registry, String> {
        let mut texts = HashMap::new();
        let mut endpoints = Vec::new();
        // Endpoints first, then the meta schemas (checked like endpoints,
        // never listed as one), then the shared pieces.
        let listed = ENDPOINT_SCHEMAS.len();
        let checked = listed + META_SCHEMAS.len();
        for (index, embedded) in ENDPOINT_SCHEMAS
            .iter()
            .chain(META_SCHEMAS)
            .chain(COMMON_SCHEMAS)
            .enumerate()
        {
            let uri = format!("{SCHEMA_BASE}{}.json", embedded.path);
            if index < checked {
                let (provider, name) = embedded
                    .path
                    .split_once('/')
                    .ok_or_else(|| format!("bad endpoint path {}", embedded.path))?;
                endpoints.push(Endpoint {
                    id: embedded.path,
                    provider,
                    name,
                    uri: uri.clone(),
                    schema_text: embedded.text,
                    index,
                });
            }
            texts.insert(uri, embedded.text);
        }
        let documents = texts.keys().map(|k| (k.clone(), OnceLock::new())).collect();
        let resources = texts.keys().map(|k| (k.clone(), OnceLock::new())).collect();
        let validators = endpoints.iter().map(|_| OnceLock::new()).collect();
        Ok(Registry {
            listed,
            endpoints,
            texts,
            documents,
            resources,
            validators,
            fragments: Mutex::new(HashMap::new()),
        })
    }

    /// Every endpoint, in listing order.
    pub fn endpoints(&self) -> &[Endpoint] {
        self.endpoints.get(..self.listed).unwrap_or_default()
    }

    /// How many schemas are checked like an endpoint's (the endpoints and
    /// the meta schemas), for per-endpoint caches.
    pub(crate) fn checked_count(&self) -> usize {
        self.endpoints.len()
    }

    /// The templates file's schema, checked the way an endpoint's is.
    pub(crate) fn templates_file(&self) -> Option<&Endpoint> {
        self.endpoints
            .iter()
            .find(|e| e.id == "meta/message-templates")
    }

    /// The endpoint with this id.
    pub fn endpoint(&self, id: &str) -> Result<&Endpoint, Error> {
        self.endpoints()
            .iter()
            .find(|e| e.id == id)
            .ok_or_else(|| Error::UnknownEndpoint {
                id: id.to_string(),
                suggestion: crate::engine::text::suggest::closest(
                    id,
                    self.endpoints().iter().map(|e| e.id),
                ),
            })
    }

    /// The `$id`s of every document reachable from `root` by `$ref`
    /// (`root` included).
    pub(crate) fn reachable_documents(&self, root: &str) -> Vec<String> {
        let mut pending = vec![root.to_string()];
        let mut done: Vec<String> = Vec::new();
        while let Some(uri) = pending.pop() {
            if done.contains(&uri) {
                continue;
            }
            if let Some(doc) = self.document(&uri) {
                let mut refs = Vec::new();
                collect_refs(doc, &mut refs);
                for r in refs {
                    if r.starts_with('#') {
                        // Within this document: nothing new to reach.
                        continue;
                    }
                    let target = resolve_ref(&format!("{uri}#"), r);
                    let base = target.split('#').next().unwrap_or_default().to_string();
                    if !done.contains(&base) && !pending.contains(&base) {
                        pending.push(base);
                    }
                }
            }
            done.push(uri);
        }
        done
    }

    /// A schema document by its `$id` (parsed on first use).
    pub fn document(&self, uri: &str) -> Option<&Arc<Value>> {
        let text = *self.texts.get(uri)?;
        self.documents
            .get(uri)?
            .get_or_init(|| {
                let mut doc: Value = serde_json::from_str(text).ok()?;
                super::tolerate::expand(&mut doc);
                Some(Arc::new(doc))
            })
            .as_ref()
    }

    /// The schema node at an absolute URI with a JSON-pointer fragment.
    pub fn node(&self, uri: &str) -> Option<&Value> {
        let (base, fragment) = uri.split_once('#').unwrap_or((uri, ""));
        let doc = self.document(base)?;
        doc.pointer(&percent_decode(fragment))
    }

    fn compile(&self, uri: &str) -> Result<jsonschema::Validator, String> {
        let base = uri.split('#').next().unwrap_or(uri);
        let resources = self
            .resources
            .get(base)
            .ok_or_else(|| format!("no schema document {base}"))?
            .get_or_init(|| {
                let pairs: Vec<(String, Arc<Value>)> = self
                    .reachable_documents(base)
                    .into_iter()
                    .filter_map(|u| self.document(&u).map(|d| (u, Arc::clone(d))))
                    .collect();
                jsonschema::Registry::new()
                    .extend(pairs)
                    .and_then(|b| b.prepare())
                    .map_err(|e| format!("building the schema registry of {base}: {e}"))
            })
            .as_ref()
            .map_err(Clone::clone)?;
        jsonschema::options()
            .with_registry(resources)
            .should_validate_formats(true)
            .build(&serde_json::json!({ "$ref": uri }))
            .map_err(|e| e.to_string())
    }

    /// A validator for any schema node by absolute URI (a `oneOf` variant, an
    /// `if` branch), compiled once and cached.
    pub fn fragment_validator(&self, uri: &str) -> Option<Arc<jsonschema::Validator>> {
        if let Ok(cache) = self.fragments.lock()
            && let Some(v) = cache.get(uri)
        {
            return Some(Arc::clone(v));
        }
        let compiled = Arc::new(self.compile(uri).ok()?);
        if let Ok(mut cache) = self.fragments.lock() {
            cache.insert(uri.to_string(), Arc::clone(&compiled));
        }
        Some(compiled)
    }
}

fn text_of(value: &Value, key: &str) -> String {
    value
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}
