//! Runtime support shared by every generated type.
//!
//! The generator emits small declarations (a marker type with its limits, an
//! enum with its accepted spellings); the behaviour lives here once, tested
//! once: validation on construction and deserialization, the spelling a
//! value was given, bounded collections, the endpoint trait and the parse
//! error. Nothing here knows a provider.

#[cfg(feature = "proptest")]
pub mod strategies;

mod build;
pub use build::{
    BuildError, Fields, Input, Items, Problem, Slot, boxed, items, pointer_to_path, set, set_items,
    validated,
};

use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

// ---------------------------------------------------------------- errors

/// A value that breaks a constraint of its type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{type_name}: {message}")]
pub struct ConstraintError {
    /// The generated type (`SendRequestRefId`).
    pub type_name: &'static str,
    /// What is wrong (`51 characters; at most 50 allowed`).
    pub message: String,
}

impl ConstraintError {
    fn new(type_name: &'static str, message: impl Into<String>) -> Self {
        Self {
            type_name,
            message: message.into(),
        }
    }
}

/// Why [`crate::types::Request::parse`] failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseError {
    /// The endpoint id is not one of [`crate::types::Request::ENDPOINTS`].
    #[error("unknown endpoint '{id}'; known: {known}")]
    UnknownEndpoint {
        /// The id given.
        id: String,
        /// The known ids, comma-separated.
        known: String,
    },
    /// The text is not JSON.
    #[error("{endpoint}: not valid JSON: {message}")]
    Json {
        /// The endpoint.
        endpoint: String,
        /// The parser's message, with line and column.
        message: String,
    },
    /// The payload fits the endpoint's type but preflight reports error
    /// findings on it (a rule the type cannot hold: a phone form, a media
    /// link's extension, a newline in a template parameter, a field another
    /// field requires): every one of them, in the validator's order.
    #[error("{endpoint}: {}", findings.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Invalid {
        /// The endpoint.
        endpoint: String,
        /// The error findings.
        findings: Vec<Finding>,
    },
    /// The payload does not fit the endpoint's type.
    #[error("{endpoint}: {} {message}", if pointer.is_empty() { "the payload:".to_string() } else { format!("field {pointer}:") })]
    Mismatch {
        /// The endpoint.
        endpoint: String,
        /// RFC 6901 pointer of the offending field, from the validator's
        /// first error finding (empty if it found none).
        pointer: String,
        /// What is wrong.
        message: String,
    },
}

impl ParseError {
    /// An unknown endpoint id.
    #[must_use]
    pub fn unknown_endpoint(id: &str, known: &[&str]) -> Self {
        Self::UnknownEndpoint {
            id: id.to_string(),
            known: known.join(", "),
        }
    }

    /// The pointer of the offending field, for a mismatch (the first
    /// finding's, for an invalid payload).
    #[must_use]
    pub fn pointer(&self) -> Option<&str> {
        match self {
            Self::Mismatch { pointer, .. } => Some(pointer),
            Self::Invalid { findings, .. } => findings.first().map(|f| f.pointer.as_str()),
            _ => None,
        }
    }
}

/// One error finding that made a parse or build fail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The rule id (`phone-format`).
    pub rule: String,
    /// RFC 6901 pointer of the field (`/msisdn`).
    pub pointer: String,
    /// The finding's message (secrets already masked).
    pub message: String,
}

impl Finding {
    fn from_diagnostic(d: &crate::Diagnostic) -> Self {
        Self {
            rule: d.rule.clone(),
            pointer: d.pointer.clone(),
            message: d.message.clone(),
        }
    }

    /// The field as a path (`channel.whatsapp.button[0].index`), `the
    /// payload` for the root.
    #[must_use]
    pub fn path(&self) -> String {
        field_path(&self.pointer)
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} [{}]", self.path(), self.message, self.rule)
    }
}

/// An RFC 6901 pointer as a field path a reader knows from code:
/// `/channel/whatsapp/button/0/index` → `channel.whatsapp.button[0].index`.
#[must_use]
pub fn field_path(pointer: &str) -> String {
    if pointer.is_empty() {
        return "the payload".to_string();
    }
    let mut out = String::new();
    for seg in pointer.split('/').skip(1) {
        let seg = seg.replace("~1", "/").replace("~0", "~");
        if !seg.is_empty() && seg.bytes().all(|b| b.is_ascii_digit()) {
            out.push('[');
            out.push_str(&seg);
            out.push(']');
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&seg);
        }
    }
    out
}

/// The validator's options, for generated code outside preflight
/// (`Request::parse_with`).
pub use crate::Options;

/// Parses JSON text for `endpoint` (generated `Request::parse` calls this).
///
/// # Errors
///
/// [`ParseError::Json`] when the text is not JSON.
pub fn parse_json(endpoint: &str, json: &str) -> Result<Value, ParseError> {
    serde_json::from_str(json).map_err(|e| ParseError::Json {
        endpoint: endpoint.to_string(),
        message: e.to_string(),
    })
}

/// Deserializes `value` into an endpoint's type and runs the full validator
/// on it: a value this returns is a payload preflight accepts. On a type
/// failure the validator finds the field, so the error names it even when
/// serde's message does not.
///
/// # Errors
///
/// [`ParseError::Mismatch`] with the pointer of the first error finding
/// when the value does not fit the type, [`ParseError::Invalid`] with every
/// error finding when it fits but preflight rejects it.
pub fn from_value<T: DeserializeOwned>(endpoint: &str, value: Value) -> Result<T, ParseError> {
    from_value_with(endpoint, value, &crate::Options::default())
}

/// [`from_value`] with validator options (rule levels, templates).
///
/// # Errors
///
/// As [`from_value`].
pub fn from_value_with<T: DeserializeOwned>(
    endpoint: &str,
    value: Value,
    options: &crate::Options,
) -> Result<T, ParseError> {
    let errors: Vec<Finding> = match crate::validate_value_with(endpoint, &value, options) {
        Ok(report) => report
            .diagnostics
            .iter()
            .filter(|d| d.severity == crate::Severity::Error)
            .map(Finding::from_diagnostic)
            .collect(),
        // A schema of the caller's own (types generated outside preflight):
        // preflight has no rules for it, the type is the check.
        Err(crate::Error::UnknownEndpoint { .. }) => Vec::new(),
        Err(e) => vec![Finding {
            rule: "internal".into(),
            pointer: String::new(),
            message: e.to_string(),
        }],
    };
    match T::deserialize(&value) {
        Ok(v) if errors.is_empty() => Ok(v),
        Ok(_) => Err(ParseError::Invalid {
            endpoint: endpoint.to_string(),
            findings: errors,
        }),
        Err(e) => {
            let (pointer, message) = match errors.first() {
                Some(d) => (d.pointer.clone(), format!("{} ({e})", d.message)),
                None => (String::new(), e.to_string()),
            };
            Err(ParseError::Mismatch {
                endpoint: endpoint.to_string(),
                pointer,
                message,
            })
        }
    }
}

// ---------------------------------------------------------------- endpoint

/// A generated request type: its endpoint id and the full validator.
pub trait Endpoint: Serialize {
    /// The endpoint id (`sandeza/send`).
    const ENDPOINT: &'static str;

    /// Runs the full validator (schema keywords and preflight rules) on the
    /// serialized form: what the types cannot hold (cross-field rules,
    /// warnings) is reported here.
    fn validate(&self) -> crate::Report {
        let outcome = serde_json::to_value(self)
            .map_err(crate::Error::from)
            .and_then(|v| crate::validate_value(Self::ENDPOINT, &v));
        match outcome {
            Ok(report) => report,
            Err(e) => crate::Report {
                diagnostics: vec![crate::Diagnostic::error("internal", "", e.to_string())],
            },
        }
    }
}

// ---------------------------------------------------------------- serde helpers

/// A generated struct, deserialized from a JSON object only. serde's derived
/// `Deserialize` also takes a JSON array of the fields in order, which no
/// provider accepts; the generated `Deserialize` goes through
/// [`deserialize_object`], which asks for a map.
pub trait ObjectOnly<'de>: Sized {
    /// The type's name, for the error message.
    const NAME: &'static str;
    /// Deserializes the object's entries (serde's derived code).
    ///
    /// # Errors
    ///
    /// Whatever the fields reject.
    fn from_map<A: serde::de::MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

struct ObjectVisitor<T>(PhantomData<fn() -> T>);

impl<'de, T: ObjectOnly<'de>> serde::de::Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a JSON object ({})", T::NAME)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::from_map(map)
    }
}

/// `Deserialize` of a generated struct: a JSON object, never an array.
///
/// # Errors
///
/// The input is not an object, or a field is rejected.
pub fn deserialize_object<'de, D: Deserializer<'de>, T: ObjectOnly<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_map(ObjectVisitor(PhantomData))
}

/// `deserialize_with` for optional fields: present means `Some`, and `null`
/// is *not* taken as absent (it is rejected unless the field is nullable,
/// whose type is then `Option<Nullable<T>>`). Absent is handled by `default`.
///
/// # Errors
///
/// Whatever `T` rejects.
pub fn deserialize_some<'de, T, D>(deserializer: D) -> Result<Option<T>, D::Error>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    T::deserialize(deserializer).map(Some)
}

/// A value that may be JSON `null`, kept apart from an absent field.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Nullable<T> {
    /// `null`.
    Null,
    /// A value.
    Value(T),
}

impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Null => serializer.serialize_unit(),
            Self::Value(v) => v.serialize(serializer),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match Option::<T>::deserialize(deserializer)? {
            Some(v) => Self::Value(v),
            None => Self::Null,
        })
    }
}

// ---------------------------------------------------------------- literals

/// One accepted spelling of an enum value or `const`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Lit {
    /// A string.
    Str(&'static str),
    /// An integer.
    Int(i64),
    /// A boolean.
    Bool(bool),
    /// `null`.
    Null,
    /// Any other JSON value, as text.
    Json(&'static str),
}

impl Lit {
    /// True if `value` is this spelling.
    #[must_use]
    pub fn matches(&self, value: &Value) -> bool {
        match (self, value) {
            (Self::Str(s), Value::String(v)) => s == v,
            (Self::Int(i), Value::Number(n)) => n.as_i64() == Some(*i),
            (Self::Bool(b), Value::Bool(v)) => b == v,
            (Self::Null, Value::Null) => true,
            (Self::Json(text), v) => serde_json::from_str::<Value>(text).is_ok_and(|x| x == *v),
            _ => false,
        }
    }

    /// True if any of `lits` matches `value`.
    #[must_use]
    pub fn any_matches(lits: &[Lit], value: &Value) -> bool {
        lits.iter().any(|l| l.matches(value))
    }

    fn to_value(self) -> Value {
        match self {
            Self::Str(s) => Value::String(s.to_string()),
            Self::Int(i) => Value::from(i),
            Self::Bool(b) => Value::Bool(b),
            Self::Null => Value::Null,
            Self::Json(t) => serde_json::from_str(t).unwrap_or(Value::Null),
        }
    }
}

impl fmt::Display for Lit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Str(s) => write!(f, "{s:?}"),
            Self::Int(i) => write!(f, "{i}"),
            Self::Bool(b) => write!(f, "{b}"),
            Self::Null => f.write_str("null"),
            Self::Json(t) => f.write_str(t),
        }
    }
}

/// A generated enum of literal values, with every spelling each accepts.
pub trait Literal: Sized + Copy + PartialEq + 'static {
    /// The type's name, for errors.
    const NAME: &'static str;
    /// Every accepted spelling with its value; the first spelling of a value
    /// is the one it serializes to unless another was given.
    const TABLE: &'static [(Lit, Self)];

    /// The spelling this value serializes to by default.
    #[must_use]
    fn canonical(self) -> Lit {
        Self::TABLE
            .iter()
            .find(|(_, v)| *v == self)
            .map_or(Lit::Null, |(l, _)| *l)
    }

    /// Every spelling of this value.
    fn spellings(self) -> impl Iterator<Item = Lit> {
        Self::TABLE
            .iter()
            .filter(move |(_, v)| *v == self)
            .map(|(l, _)| *l)
    }
}

/// Serializes a literal by its canonical spelling (generated code calls this).
///
/// # Errors
///
/// The serializer's.
pub fn serialize_literal<T: Literal, S: Serializer>(
    v: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    v.canonical().to_value().serialize(serializer)
}

fn literal_index<T: Literal>(value: &Value) -> Result<usize, String> {
    T::TABLE
        .iter()
        .position(|(l, _)| l.matches(value))
        .ok_or_else(|| {
            let expected: Vec<String> = T::TABLE.iter().map(|(l, _)| l.to_string()).collect();
            format!("{}: {value} is not one of {}", T::NAME, expected.join(", "))
        })
}

/// Deserializes a literal from any of its spellings (generated code calls this).
///
/// # Errors
///
/// A value that is none of the spellings.
pub fn deserialize_literal<'de, T: Literal, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    let value = Value::deserialize(deserializer)?;
    let i = literal_index::<T>(&value).map_err(D::Error::custom)?;
    T::TABLE
        .get(i)
        .map(|(_, v)| *v)
        .ok_or_else(|| D::Error::custom("spelling table"))
}

/// A literal that keeps the spelling it was given (`"BODY"` stays `"BODY"`,
/// `"1"` stays a string and `1` a number), for values the schema accepts in
/// several casings or forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Spelled<E> {
    value: E,
    spelling: usize,
}

impl<E: Literal> Spelled<E> {
    /// The value in its canonical spelling.
    #[must_use]
    pub fn new(value: E) -> Self {
        let spelling = E::TABLE.iter().position(|(_, v)| *v == value).unwrap_or(0);
        Self { value, spelling }
    }

    /// The value in a given spelling.
    ///
    /// # Errors
    ///
    /// The spelling is not one the schema accepts.
    pub fn with_spelling(value: &Value) -> Result<Self, ConstraintError> {
        let spelling = literal_index::<E>(value).map_err(|m| ConstraintError::new(E::NAME, m))?;
        let value = E::TABLE
            .get(spelling)
            .map(|(_, v)| *v)
            .ok_or_else(|| ConstraintError::new(E::NAME, "spelling table"))?;
        Ok(Self { value, spelling })
    }

    /// The value.
    #[must_use]
    pub fn value(&self) -> E {
        self.value
    }

    /// The spelling it serializes to.
    #[must_use]
    pub fn spelling(&self) -> Lit {
        E::TABLE.get(self.spelling).map_or(Lit::Null, |(l, _)| *l)
    }
}

impl<E: Literal> From<E> for Spelled<E> {
    fn from(value: E) -> Self {
        Self::new(value)
    }
}

impl<E: Literal + Default> Default for Spelled<E> {
    fn default() -> Self {
        Self::new(E::default())
    }
}

impl<E> std::ops::Deref for Spelled<E> {
    type Target = E;
    fn deref(&self) -> &E {
        &self.value
    }
}

impl<E: Literal> Serialize for Spelled<E> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.spelling().to_value().serialize(serializer)
    }
}

impl<'de, E: Literal> Deserialize<'de> for Spelled<E> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        Self::with_spelling(&value).map_err(D::Error::custom)
    }
}

/// The discriminator of a tagged `oneOf` (generated code calls this).
///
/// # Errors
///
/// The value is not an object or has no such property.
pub fn tag_of<'v>(value: &'v Value, tag: &str, expected: &[&str]) -> Result<&'v Value, String> {
    match value {
        Value::Object(map) => map
            .get(tag)
            .ok_or_else(|| format!("missing field `{tag}` (one of {})", expected.join(", "))),
        other => Err(format!("expected an object with `{tag}`, found {other}")),
    }
}

/// The message for a discriminator value no variant has.
#[must_use]
pub fn unknown_tag(tag: &str, got: &Value, expected: &[&str]) -> String {
    format!(
        "unknown `{tag}` {got}; expected one of {}",
        expected.join(", ")
    )
}

// ---------------------------------------------------------------- bounded vectors

/// A vector with `MIN..=MAX` items (`minItems`/`maxItems`), checked on
/// construction and deserialization. `MAX` is `usize::MAX` when unbounded.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BoundedVec<T, const MIN: usize, const MAX: usize>(Vec<T>);

impl<T, const MIN: usize, const MAX: usize> BoundedVec<T, MIN, MAX> {
    fn check(len: usize) -> Result<(), ConstraintError> {
        if len < MIN {
            return Err(ConstraintError::new(
                "array",
                format!("{len} items; at least {MIN} required"),
            ));
        }
        if len > MAX {
            return Err(ConstraintError::new(
                "array",
                format!("{len} items; at most {MAX} allowed"),
            ));
        }
        Ok(())
    }

    /// The items.
    #[must_use]
    pub fn as_slice(&self) -> &[T] {
        &self.0
    }

    /// The items, owned.
    #[must_use]
    pub fn into_inner(self) -> Vec<T> {
        self.0
    }

    /// Adds an item unless the vector is full.
    ///
    /// # Errors
    ///
    /// The vector already has `MAX` items.
    pub fn try_push(&mut self, item: T) -> Result<(), ConstraintError> {
        Self::check(self.0.len() + 1)?;
        self.0.push(item);
        Ok(())
    }
}

impl<T, const MAX: usize> BoundedVec<T, 1, MAX> {
    /// A vector of one item (always valid when at least one is required).
    #[must_use]
    pub fn one(item: T) -> Self {
        Self(vec![item])
    }
}

impl<T, const MIN: usize, const MAX: usize> TryFrom<Vec<T>> for BoundedVec<T, MIN, MAX> {
    type Error = ConstraintError;
    fn try_from(v: Vec<T>) -> Result<Self, ConstraintError> {
        Self::check(v.len())?;
        Ok(Self(v))
    }
}

impl<T, const MIN: usize, const MAX: usize> std::ops::Deref for BoundedVec<T, MIN, MAX> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        &self.0
    }
}

impl<T: Serialize, const MIN: usize, const MAX: usize> Serialize for BoundedVec<T, MIN, MAX> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de, T: Deserialize<'de>, const MIN: usize, const MAX: usize> Deserialize<'de>
    for BoundedVec<T, MIN, MAX>
{
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let v = Vec::<T>::deserialize(deserializer)?;
        Self::try_from(v).map_err(D::Error::custom)
    }
}

// ---------------------------------------------------------------- strings

/// The limits of a constrained string type (generated per type).
pub trait StringSpec {
    /// The type's name, for errors.
    const NAME: &'static str;
    /// `minLength`, in characters.
    const MIN_LENGTH: usize;
    /// `maxLength`, in characters.
    const MAX_LENGTH: Option<usize>;
    /// Every `pattern` (ECMA-262, unanchored unless the pattern anchors).
    const PATTERNS: &'static [&'static str];
    /// `format` (checked: `email`, `uri`, `date-time`, `date`, …).
    const FORMAT: Option<&'static str>;
    /// Warning-level `minLength` (not enforced; honoured by strategies).
    const ADVISORY_MIN_LENGTH: Option<usize> = None;
    /// Warning-level `maxLength` (not enforced; honoured by strategies).
    const ADVISORY_MAX_LENGTH: Option<usize> = None;
    /// Warning-level patterns (not enforced; honoured by strategies).
    const ADVISORY_PATTERNS: &'static [&'static str] = &[];
    /// `x-phone`: the provider whose written phone-number form the value must
    /// be in (`oca`: digits with the country code, `+` allowed, never the
    /// trunk 0; …), checked as the `phone-format` rule checks it.
    const PHONE: Option<&'static str> = None;
    /// `x-secret`: an error never shows the value.
    const SECRET: bool = false;
}

pub(crate) fn keyword_ok(keyword: &str, argument: &str, value: &Value) -> bool {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex, OnceLock};
    type Cache = Mutex<HashMap<(String, String), Option<Arc<jsonschema::Validator>>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    let key = (keyword.to_string(), argument.to_string());
    let validator = {
        let Ok(mut guard) = cache.lock() else {
            return true;
        };
        guard
            .entry(key)
            .or_insert_with(|| {
                let schema = serde_json::json!({ keyword: argument });
                jsonschema::options()
                    .should_validate_formats(true)
                    .build(&schema)
                    .ok()
                    .map(Arc::new)
            })
            .clone()
    };
    // A pattern or format the engine cannot compile is not the value's fault.
    validator.is_none_or(|v| v.is_valid(value))
}

/// Checks a string against a spec; shared by the string-bearing wrappers.
pub(crate) fn check_string<S: StringSpec>(s: &str) -> Result<(), ConstraintError> {
    let len = s.chars().count();
    if len < S::MIN_LENGTH {
        return Err(ConstraintError::new(
            S::NAME,
            format!("{len} characters; at least {} required", S::MIN_LENGTH),
        ));
    }
    if let Some(max) = S::MAX_LENGTH
        && len > max
    {
        return Err(ConstraintError::new(
            S::NAME,
            format!("{len} characters; at most {max} allowed"),
        ));
    }
    if S::PATTERNS.is_empty() && S::FORMAT.is_none() && S::PHONE.is_none() {
        return Ok(());
    }
    let shown = || {
        if S::SECRET {
            "[redacted]".to_string()
        } else {
            format!("{s:?}")
        }
    };
    let value = Value::String(s.to_string());
    for p in S::PATTERNS {
        if !keyword_ok("pattern", p, &value) {
            return Err(ConstraintError::new(
                S::NAME,
                format!("{} does not match {p}", shown()),
            ));
        }
    }
    if let Some(f) = S::FORMAT
        && !keyword_ok("format", f, &value)
    {
        return Err(ConstraintError::new(
            S::NAME,
            format!("{} is not a valid {f}", shown()),
        ));
    }
    if let Some(form) = S::PHONE
        && let Some(problem) = crate::engine::rules::views::phone::form_problem(form, s)
    {
        return Err(ConstraintError::new(
            S::NAME,
            format!("{} {problem}", shown()),
        ));
    }
    Ok(())
}

/// A string whose length, patterns and format are checked on construction
/// and deserialization; it cannot hold a value its schema rejects.
pub struct ConstrainedString<S>(String, PhantomData<fn() -> S>);

impl<S: StringSpec> ConstrainedString<S> {
    /// Checks and wraps `value`.
    ///
    /// # Errors
    ///
    /// The value breaks a constraint.
    pub fn new(value: impl Into<String>) -> Result<Self, ConstraintError> {
        let value = value.into();
        check_string::<S>(&value)?;
        Ok(Self(value, PhantomData))
    }

    /// Wraps a value this crate built to satisfy the spec (a computed
    /// signature, the clock's seconds); checked in debug builds only.
    pub(crate) fn new_unchecked(value: String) -> Self {
        debug_assert!(check_string::<S>(&value).is_ok(), "{}", S::NAME);
        Self(value, PhantomData)
    }

    /// The string.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The string, owned.
    #[must_use]
    pub fn into_inner(self) -> String {
        self.0
    }
}

impl<S> Clone for ConstrainedString<S> {
    fn clone(&self) -> Self {
        Self(self.0.clone(), PhantomData)
    }
}
impl<S> PartialEq for ConstrainedString<S> {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}
impl<S> Eq for ConstrainedString<S> {}
impl<S> std::hash::Hash for ConstrainedString<S> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}
impl<S> fmt::Debug for ConstrainedString<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}
impl<S> fmt::Display for ConstrainedString<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
impl<S> std::ops::Deref for ConstrainedString<S> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}
impl<S> AsRef<str> for ConstrainedString<S> {
    fn as_ref(&self) -> &str {
        &self.0
    }
}
impl<S: StringSpec> TryFrom<String> for ConstrainedString<S> {
    type Error = ConstraintError;
    fn try_from(v: String) -> Result<Self, ConstraintError> {
        Self::new(v)
    }
}
impl<S: StringSpec> TryFrom<&str> for ConstrainedString<S> {
    type Error = ConstraintError;
    fn try_from(v: &str) -> Result<Self, ConstraintError> {
        Self::new(v)
    }
}
impl<S: StringSpec> FromStr for ConstrainedString<S> {
    type Err = ConstraintError;
    fn from_str(v: &str) -> Result<Self, ConstraintError> {
        Self::new(v)
    }
}
impl<S> Serialize for ConstrainedString<S> {
    fn serialize<Se: Serializer>(&self, serializer: Se) -> Result<Se::Ok, Se::Error> {
        serializer.serialize_str(&self.0)
    }
}
impl<'de, S: StringSpec> Deserialize<'de> for ConstrainedString<S> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        Self::new(s).map_err(D::Error::custom)
    }
}

// ---------------------------------------------------------------- numbers

/// The bounds of a constrained number type (generated per type).
pub trait NumberSpec {
    /// The type's name, for errors.
    const NAME: &'static str;
    /// `minimum`.
    const MINIMUM: Option<f64>;
    /// `maximum`.
    const MAXIMUM: Option<f64>;
    /// `exclusiveMinimum`.
    const EXCLUSIVE_MINIMUM: Option<f64>;
    /// `exclusiveMaximum`.
    const EXCLUSIVE_MAXIMUM: Option<f64>;
    /// `multipleOf`.
    const MULTIPLE_OF: Option<f64>;
    /// Warning-level lower bound (not enforced; honoured by strategies).
    const ADVISORY_MINIMUM: Option<f64> = None;
    /// Warning-level upper bound (not enforced; honoured by strategies).
    const ADVISORY_MAXIMUM: Option<f64> = None;
}

#[allow(
    clippy::float_cmp,
    reason = "bounds are compared exactly, as JSON Schema does"
)]
fn check_number<S: NumberSpec>(n: f64) -> Result<(), ConstraintError> {
    let fail = |m: String| Err(ConstraintError::new(S::NAME, m));
    if let Some(min) = S::MINIMUM
        && n < min
    {
        return fail(format!("{n} is below the minimum {min}"));
    }
    if let Some(max) = S::MAXIMUM
        && n > max
    {
        return fail(format!("{n} is above the maximum {max}"));
    }
    if let Some(min) = S::EXCLUSIVE_MINIMUM
        && n <= min
    {
        return fail(format!("{n} must be above {min}"));
    }
    if let Some(max) = S::EXCLUSIVE_MAXIMUM
        && n >= max
    {
        return fail(format!("{n} must be below {max}"));
    }
    if let Some(m) = S::MULTIPLE_OF {
        let q = n / m;
        if q.round() != q {
            return fail(format!("{n} is not a multiple of {m}"));
        }
    }
    Ok(())
}

/// An integer within its schema's bounds.
pub struct BoundedInteger<S>(i64, PhantomData<fn() -> S>);

impl<S: NumberSpec> BoundedInteger<S> {
    /// Checks and wraps `value`.
    ///
    /// # Errors
    ///
    /// The value is out of bounds.
    #[allow(clippy::cast_precision_loss, reason = "bounds in schemas are small")]
    pub fn new(value: i64) -> Result<Self, ConstraintError> {
        check_number::<S>(value as f64)?;
        Ok(Self(value, PhantomData))
    }

    /// The integer.
    #[must_use]
    pub fn get(&self) -> i64 {
        self.0
    }
}

/// A number within its schema's bounds, kept as written (`1` stays `1`,
/// `1.0` stays `1.0`).
pub struct BoundedNumber<S>(serde_json::Number, PhantomData<fn() -> S>);

impl<S: NumberSpec> BoundedNumber<S> {
    /// Checks and wraps `value`.
    ///
    /// # Errors
    ///
    /// The value is out of bounds.
    pub fn new(value: serde_json::Number) -> Result<Self, ConstraintError> {
        check_number::<S>(value.as_f64().unwrap_or(f64::NAN))?;
        Ok(Self(value, PhantomData))
    }

    /// Checks and wraps a float.
    ///
    /// # Errors
    ///
    /// The value is out of bounds or not finite.
    pub fn from_f64(value: f64) -> Result<Self, ConstraintError> {
        let n = serde_json::Number::from_f64(value)
            .ok_or_else(|| ConstraintError::new(S::NAME, "not a finite number"))?;
        Self::new(n)
    }

    /// The value as a float.
    #[must_use]
    pub fn as_f64(&self) -> f64 {
        self.0.as_f64().unwrap_or(f64::NAN)
    }

    /// The value as written.
    #[must_use]
    pub fn as_number(&self) -> &serde_json::Number {
        &self.0
    }
}

macro_rules! number_common {
    ($ty:ident, $inner:ty) => {
        impl<S> Clone for $ty<S> {
            fn clone(&self) -> Self {
                Self(self.0.clone(), PhantomData)
            }
        }
        impl<S> PartialEq for $ty<S> {
            fn eq(&self, other: &Self) -> bool {
                self.0 == other.0
            }
        }
        impl<S> fmt::Debug for $ty<S> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Debug::fmt(&self.0, f)
            }
        }
        impl<S> fmt::Display for $ty<S> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }
        impl<S> Serialize for $ty<S> {
            fn serialize<Se: Serializer>(&self, serializer: Se) -> Result<Se::Ok, Se::Error> {
                self.0.serialize(serializer)
            }
        }
        impl<'de, S: NumberSpec> Deserialize<'de> for $ty<S> {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let v = <$inner>::deserialize(deserializer)?;
                Self::new(v).map_err(D::Error::custom)
            }
        }
        impl<S: NumberSpec> FromStr for $ty<S> {
            type Err = ConstraintError;
            fn from_str(s: &str) -> Result<Self, ConstraintError> {
                let v: $inner = s
                    .trim()
                    .parse()
                    .map_err(|_| ConstraintError::new(S::NAME, format!("{s:?} is not a number")))?;
                Self::new(v)
            }
        }
    };
}
number_common!(BoundedInteger, i64);
number_common!(BoundedNumber, serde_json::Number);

impl<S: NumberSpec> TryFrom<i64> for BoundedInteger<S> {
    type Error = ConstraintError;
    fn try_from(v: i64) -> Result<Self, ConstraintError> {
        Self::new(v)
    }
}
impl<S> Eq for BoundedInteger<S> {}
impl<S: NumberSpec> TryFrom<f64> for BoundedNumber<S> {
    type Error = ConstraintError;
    fn try_from(v: f64) -> Result<Self, ConstraintError> {
        Self::from_f64(v)
    }
}
impl<S: NumberSpec> TryFrom<i64> for BoundedNumber<S> {
    type Error = ConstraintError;
    fn try_from(v: i64) -> Result<Self, ConstraintError> {
        Self::new(v.into())
    }
}

// ---------------------------------------------------------------- number or string

/// The form a "number or string" value was given in.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Form<N> {
    /// A JSON number.
    Number(N),
    /// A JSON string.
    String(String),
}

macro_rules! number_or_string {
    ($(#[$doc:meta])* $ty:ident, $inner:ty, $as_f64:expr) => {
        $(#[$doc])*
        pub struct $ty<S>(Form<$inner>, PhantomData<fn() -> S>);

        impl<S: NumberSpec + StringSpec> $ty<S> {
            /// Checks and wraps a value in either form.
            ///
            /// # Errors
            ///
            /// The number is out of bounds or the string breaks its constraints.
            pub fn new(form: Form<$inner>) -> Result<Self, ConstraintError> {
                match &form {
                    Form::Number(n) => check_number::<S>($as_f64(n))?,
                    Form::String(s) => check_string::<S>(s)?,
                }
                Ok(Self(form, PhantomData))
            }

            /// Checks and wraps the string form.
            ///
            /// # Errors
            ///
            /// The string breaks its constraints.
            pub fn from_string(s: impl Into<String>) -> Result<Self, ConstraintError> {
                Self::new(Form::String(s.into()))
            }

            /// The value in the form it was given.
            #[must_use]
            pub fn form(&self) -> &Form<$inner> {
                &self.0
            }

            /// The numeric value, parsing the string form.
            #[must_use]
            pub fn as_f64(&self) -> Option<f64> {
                match &self.0 {
                    Form::Number(n) => Some($as_f64(n)),
                    Form::String(s) => s.trim().parse().ok(),
                }
            }
        }

        impl<S> Clone for $ty<S> {
            fn clone(&self) -> Self {
                Self(self.0.clone(), PhantomData)
            }
        }
        impl<S> PartialEq for $ty<S> {
            fn eq(&self, other: &Self) -> bool {
                self.0 == other.0
            }
        }
        impl<S> fmt::Debug for $ty<S> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Debug::fmt(&self.0, f)
            }
        }
        impl<S> Serialize for $ty<S> {
            fn serialize<Se: Serializer>(&self, serializer: Se) -> Result<Se::Ok, Se::Error> {
                self.0.serialize(serializer)
            }
        }
        impl<'de, S: NumberSpec + StringSpec> Deserialize<'de> for $ty<S> {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let form = Form::<$inner>::deserialize(deserializer)?;
                Self::new(form).map_err(D::Error::custom)
            }
        }
        impl<S: NumberSpec + StringSpec> TryFrom<&str> for $ty<S> {
            type Error = ConstraintError;
            fn try_from(v: &str) -> Result<Self, ConstraintError> {
                Self::from_string(v)
            }
        }
        impl<S: NumberSpec + StringSpec> TryFrom<String> for $ty<S> {
            type Error = ConstraintError;
            fn try_from(v: String) -> Result<Self, ConstraintError> {
                Self::from_string(v)
            }
        }
    };
}

#[allow(clippy::cast_precision_loss, reason = "bounds in schemas are small")]
fn i64_as_f64(n: &i64) -> f64 {
    *n as f64
}
fn number_as_f64(n: &serde_json::Number) -> f64 {
    n.as_f64().unwrap_or(f64::NAN)
}

number_or_string!(
    /// `"type": ["integer", "string"]`: an integer or its string form (the
    /// docs' `"index": "3"`), kept in the form given.
    IntegerOrString, i64, i64_as_f64
);
number_or_string!(
    /// `"type": ["number", "string"]`: a number or its string form
    /// (`"-6.2"`), kept in the form given.
    NumberOrString, serde_json::Number, number_as_f64
);

impl<S: NumberSpec + StringSpec> TryFrom<i64> for IntegerOrString<S> {
    type Error = ConstraintError;
    fn try_from(v: i64) -> Result<Self, ConstraintError> {
        Self::new(Form::Number(v))
    }
}
impl<S: NumberSpec + StringSpec> TryFrom<f64> for NumberOrString<S> {
    type Error = ConstraintError;
    fn try_from(v: f64) -> Result<Self, ConstraintError> {
        let n = serde_json::Number::from_f64(v)
            .ok_or_else(|| ConstraintError::new(<S as NumberSpec>::NAME, "not a finite number"))?;
        Self::new(Form::Number(n))
    }
}

// ---------------------------------------------------------------- JSON Schema

/// `schemars::JsonSchema` for the runtime types: each carries the schema
/// keywords its checks enforce (lengths, patterns, formats, bounds, item
/// counts, literal values), so a schema generated from a request type accepts
/// what the type accepts. Warning-level (advisory) limits are left out: the
/// payloads they flag are still accepted.
#[cfg(feature = "schemars")]
mod json_schema {
    use std::borrow::Cow;

    use schemars::{JsonSchema, Schema, SchemaGenerator};
    use serde_json::{Map, Value};

    use super::{
        BoundedInteger, BoundedNumber, BoundedVec, ConstrainedString, IntegerOrString, Literal,
        Nullable, NumberOrString, NumberSpec, Spelled, StringSpec,
    };

    /// A bound as JSON: integral values as integers (`"minimum": 1`).
    #[allow(
        clippy::cast_possible_truncation,
        clippy::float_cmp,
        reason = "only integral values within i64 range are converted"
    )]
    fn number(v: f64) -> Option<Value> {
        if v.fract() == 0.0 && v.abs() < 9.0e15 {
            Some(Value::from(v as i64))
        } else {
            serde_json::Number::from_f64(v).map(Value::Number)
        }
    }

    fn string_keywords<S: StringSpec>(map: &mut Map<String, Value>) {
        if S::MIN_LENGTH > 0 {
            map.insert("minLength".into(), S::MIN_LENGTH.into());
        }
        if let Some(max) = S::MAX_LENGTH {
            map.insert("maxLength".into(), max.into());
        }
        if let Some((first, rest)) = S::PATTERNS.split_first() {
            map.insert("pattern".into(), (*first).into());
            if !rest.is_empty() {
                let all: Vec<Value> = rest
                    .iter()
                    .map(|p| serde_json::json!({ "pattern": p }))
                    .collect();
                map.insert("allOf".into(), Value::Array(all));
            }
        }
        if let Some(f) = S::FORMAT {
            map.insert("format".into(), f.into());
        }
    }

    fn number_keywords<S: NumberSpec>(map: &mut Map<String, Value>) {
        for (key, v) in [
            ("minimum", S::MINIMUM),
            ("maximum", S::MAXIMUM),
            ("exclusiveMinimum", S::EXCLUSIVE_MINIMUM),
            ("exclusiveMaximum", S::EXCLUSIVE_MAXIMUM),
            ("multipleOf", S::MULTIPLE_OF),
        ] {
            if let Some(n) = v.and_then(number) {
                map.insert(key.into(), n);
            }
        }
    }

    fn schema_of(types: Value, fill: impl FnOnce(&mut Map<String, Value>)) -> Schema {
        let mut map = Map::new();
        map.insert("type".into(), types);
        fill(&mut map);
        Schema::from(map)
    }

    /// The schema of a generated literal enum: `const` for one value, `enum`
    /// of every accepted spelling otherwise (generated code calls this).
    pub fn literal_schema<T: Literal>(_: &mut SchemaGenerator) -> Schema {
        let mut values: Vec<Value> = Vec::new();
        for (lit, _) in T::TABLE {
            let v = lit.to_value();
            if !values.contains(&v) {
                values.push(v);
            }
        }
        let mut map = Map::new();
        if values.len() == 1 {
            if let Some(v) = values.pop() {
                map.insert("const".into(), v);
            }
        } else {
            map.insert("enum".into(), Value::Array(values));
        }
        Schema::from(map)
    }

    impl<S: StringSpec> JsonSchema for ConstrainedString<S> {
        fn inline_schema() -> bool {
            true
        }
        fn schema_name() -> Cow<'static, str> {
            Cow::Borrowed(S::NAME)
        }
        fn schema_id() -> Cow<'static, str> {
            Cow::Borrowed(std::any::type_name::<Self>())
        }
        fn json_schema(_: &mut SchemaGenerator) -> Schema {
            schema_of("string".into(), string_keywords::<S>)
        }
    }

    impl<S: NumberSpec> JsonSchema for BoundedInteger<S> {
        fn inline_schema() -> bool {
            true
        }
        fn schema_name() -> Cow<'static, str> {
            Cow::Borrowed(S::NAME)
        }
        fn schema_id() -> Cow<'static, str> {
            Cow::Borrowed(std::any::type_name::<Self>())
        }
        fn json_schema(_: &mut SchemaGenerator) -> Schema {
            schema_of("integer".into(), number_keywords::<S>)
        }
    }

    impl<S: NumberSpec> JsonSchema for BoundedNumber<S> {
        fn inline_schema() -> bool {
            true
        }
        fn schema_name() -> Cow<'static, str> {
            Cow::Borrowed(S::NAME)
        }
        fn schema_id() -> Cow<'static, str> {
            Cow::Borrowed(std::any::type_name::<Self>())
        }
        fn json_schema(_: &mut SchemaGenerator) -> Schema {
            schema_of("number".into(), number_keywords::<S>)
        }
    }

    /// Number keywords apply to the number form and string keywords to the
    /// string form, as JSON Schema keywords apply only to their own type.
    macro_rules! number_or_string_schema {
        ($ty:ident, $number:literal) => {
            impl<S: NumberSpec + StringSpec> JsonSchema for $ty<S> {
                fn inline_schema() -> bool {
                    true
                }
                fn schema_name() -> Cow<'static, str> {
                    Cow::Borrowed(<S as NumberSpec>::NAME)
                }
                fn schema_id() -> Cow<'static, str> {
                    Cow::Borrowed(std::any::type_name::<Self>())
                }
                fn json_schema(_: &mut SchemaGenerator) -> Schema {
                    schema_of(serde_json::json!([$number, "string"]), |map| {
                        number_keywords::<S>(map);
                        string_keywords::<S>(map);
                    })
                }
            }
        };
    }
    number_or_string_schema!(IntegerOrString, "integer");
    number_or_string_schema!(NumberOrString, "number");

    impl<T: JsonSchema, const MIN: usize, const MAX: usize> JsonSchema for BoundedVec<T, MIN, MAX> {
        fn inline_schema() -> bool {
            true
        }
        fn schema_name() -> Cow<'static, str> {
            Cow::Owned(format!("Array_of_{}", T::schema_name()))
        }
        fn schema_id() -> Cow<'static, str> {
            Cow::Owned(format!("[{}; {MIN}..={MAX}]", T::schema_id()))
        }
        fn json_schema(generator: &mut SchemaGenerator) -> Schema {
            let items = generator.subschema_for::<T>();
            schema_of("array".into(), |map| {
                map.insert("items".into(), items.to_value());
                if MIN > 0 {
                    map.insert("minItems".into(), MIN.into());
                }
                if MAX != usize::MAX {
                    map.insert("maxItems".into(), MAX.into());
                }
            })
        }
    }

    impl<T: JsonSchema> JsonSchema for Nullable<T> {
        fn inline_schema() -> bool {
            true
        }
        fn schema_name() -> Cow<'static, str> {
            Cow::Owned(format!("Nullable_{}", T::schema_name()))
        }
        fn schema_id() -> Cow<'static, str> {
            Cow::Owned(format!("Nullable<{}>", T::schema_id()))
        }
        fn json_schema(generator: &mut SchemaGenerator) -> Schema {
            let value = generator.subschema_for::<T>();
            schemars::json_schema!({ "anyOf": [value, { "type": "null" }] })
        }
    }

    /// A spelled value has the schema of its enum: every spelling is accepted.
    impl<E: Literal + JsonSchema> JsonSchema for Spelled<E> {
        fn inline_schema() -> bool {
            E::inline_schema()
        }
        fn schema_name() -> Cow<'static, str> {
            E::schema_name()
        }
        fn schema_id() -> Cow<'static, str> {
            E::schema_id()
        }
        fn json_schema(generator: &mut SchemaGenerator) -> Schema {
            E::json_schema(generator)
        }
    }
}

#[cfg(feature = "schemars")]
pub use json_schema::literal_schema;
