//! What the generated builders share: [`Input`], the conversions a setter
//! accepts, and [`BuildError`], every problem of a build at once.
//!
//! A builder (`SendRequest::builder()`) has one setter per field, named as
//! the field. A setter takes what a user has — a `&str` for a constrained
//! string, a number for a bounded number, the typed value, a nested builder,
//! a variant struct (or its builder) for an enum of structs, any iterator of
//! items for an array — and converts it at once; `build()` then reports every
//! missing or invalid field in one [`BuildError`], each under its field path
//! (`channel.whatsapp.msisdn`, `button[0].parameters`). For an endpoint's
//! request type `build()` also runs the full validator on the serialized
//! form and fails on its error findings (warnings do not fail a build; see
//! them with `validate()` on the built value).

use std::fmt;

use serde::Serialize;
use serde_json::{Map, Value};

use super::{
    BoundedInteger, BoundedNumber, BoundedVec, ConstrainedString, Endpoint, Form, IntegerOrString,
    NumberOrString, NumberSpec, StringSpec,
};

// ---------------------------------------------------------------- errors

/// One missing or invalid field of a build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The field path (`ref_id`, `channel.whatsapp.msisdn`,
    /// `button[0].parameters`); empty for the payload as a whole.
    pub path: String,
    /// What is wrong (`58 characters; Sandeza allows at most 50`,
    /// `missing (required)`).
    pub message: String,
    /// The validator rule that found it (`phone-format`), for problems found
    /// by the validator rather than by the types.
    pub rule: Option<String>,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() {
            "(payload)"
        } else {
            &self.path
        };
        write!(f, "{path}: {}", self.message)?;
        if let Some(rule) = &self.rule {
            write!(f, " [{rule}]")?;
        }
        Ok(())
    }
}

/// Every missing or invalid field of a builder, at once; `Display` prints one
/// problem per line (`ref_id: 58 characters; Sandeza allows at most 50`).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct BuildError {
    /// The problems, in field order (the validator's after the types').
    pub problems: Vec<Problem>,
    /// What could be built, as JSON: the validator checks it when a field is
    /// missing or invalid, so its findings on the other fields come too.
    partial: Option<Value>,
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

impl BuildError {
    /// One problem with the value itself (path empty; a parent builder
    /// prefixes the field's name).
    #[must_use]
    pub fn here(message: impl Into<String>) -> Self {
        Self {
            problems: vec![Problem {
                path: String::new(),
                message: message.into(),
                rule: None,
            }],
            partial: None,
        }
    }

    /// The paths of the problems.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.problems.iter().map(|p| p.path.as_str())
    }

    /// The problem at `path`, if any.
    #[must_use]
    pub fn at(&self, path: &str) -> Option<&Problem> {
        self.problems.iter().find(|p| p.path == path)
    }

    fn prefixed(mut self, prefix: &str) -> Self {
        for p in &mut self.problems {
            p.path = join(prefix, &p.path);
        }
        self
    }
}

fn join(prefix: &str, rest: &str) -> String {
    if rest.is_empty() {
        prefix.to_string()
    } else if prefix.is_empty() || rest.starts_with('[') {
        format!("{prefix}{rest}")
    } else {
        format!("{prefix}.{rest}")
    }
}

/// How messages name the provider whose schema sets a limit.
fn provider_name(provider: &str) -> Option<&str> {
    if provider.is_empty() || provider == "common" {
        return None;
    }
    Some(
        match crate::engine::schema::registry::provider_display(provider) {
            "the provider" => provider,
            name => name,
        },
    )
}

fn at_most(provider: &str, what: impl fmt::Display) -> String {
    match provider_name(provider) {
        Some(p) => format!("{p} allows at most {what}"),
        None => format!("at most {what} allowed"),
    }
}

fn at_least(provider: &str, what: impl fmt::Display) -> String {
    match provider_name(provider) {
        Some(p) => format!("{p} requires at least {what}"),
        None => format!("at least {what} required"),
    }
}

// ---------------------------------------------------------------- inputs

/// What a setter accepts for a field of type `T`: anything that converts
/// into it (the value itself, a variant struct for its enum, `&str` for a
/// `String`), a `&str`/`String` for a constrained string, a number for a
/// bounded number, a nested builder for its struct. `provider` is the
/// provider whose schema the field is in (`sandeza`), named in limits.
pub trait Input<T> {
    /// Converts, or says why not (the path is the parent's to add).
    ///
    /// # Errors
    ///
    /// The value breaks a constraint of `T`, or a nested builder has a
    /// missing or invalid field.
    fn input(self, provider: &'static str) -> Result<T, BuildError>;
}

impl<T, U: Into<T>> Input<T> for U {
    fn input(self, _: &'static str) -> Result<T, BuildError> {
        Ok(self.into())
    }
}

fn string_problem<S: StringSpec>(s: &str, provider: &str) -> Option<String> {
    let len = s.chars().count();
    let unit = |n: usize| format!("{n} character{}", if n == 1 { "" } else { "s" });
    if len < S::MIN_LENGTH {
        return Some(if len == 0 {
            format!("empty; {}", at_least(provider, unit(S::MIN_LENGTH)))
        } else {
            format!("{}; {}", unit(len), at_least(provider, S::MIN_LENGTH))
        });
    }
    if let Some(max) = S::MAX_LENGTH
        && len > max
    {
        return Some(format!("{}; {}", unit(len), at_most(provider, max)));
    }
    super::check_string::<S>(s).err().map(|e| e.message)
}

impl<S: StringSpec> Input<ConstrainedString<S>> for &str {
    fn input(self, provider: &'static str) -> Result<ConstrainedString<S>, BuildError> {
        self.to_string().input(provider)
    }
}

impl<S: StringSpec> Input<ConstrainedString<S>> for &String {
    fn input(self, provider: &'static str) -> Result<ConstrainedString<S>, BuildError> {
        self.as_str().input(provider)
    }
}

impl<S: StringSpec> Input<ConstrainedString<S>> for String {
    fn input(self, provider: &'static str) -> Result<ConstrainedString<S>, BuildError> {
        match string_problem::<S>(&self, provider) {
            Some(m) => Err(BuildError::here(m)),
            None => ConstrainedString::new(self).map_err(|e| BuildError::here(e.message)),
        }
    }
}

#[allow(
    clippy::float_cmp,
    reason = "bounds are compared exactly, as JSON Schema does"
)]
fn number_problem<S: NumberSpec>(n: f64, provider: &str) -> Option<String> {
    if let Some(min) = S::MINIMUM
        && n < min
    {
        return Some(format!("{n}; {}", at_least(provider, min)));
    }
    if let Some(max) = S::MAXIMUM
        && n > max
    {
        return Some(format!("{n}; {}", at_most(provider, max)));
    }
    if let Some(min) = S::EXCLUSIVE_MINIMUM
        && n <= min
    {
        return Some(format!(
            "{n}; {}",
            at_least(provider, format!("more than {min}"))
        ));
    }
    if let Some(max) = S::EXCLUSIVE_MAXIMUM
        && n >= max
    {
        return Some(format!(
            "{n}; {}",
            at_most(provider, format!("less than {max}"))
        ));
    }
    None
}

macro_rules! integer_inputs {
    ($($int:ty),*) => {$(
        impl<S: NumberSpec> Input<BoundedInteger<S>> for $int {
            #[allow(clippy::cast_precision_loss, reason = "bounds in schemas are small")]
            fn input(self, provider: &'static str) -> Result<BoundedInteger<S>, BuildError> {
                let v = i64::try_from(self).map_err(|_| BuildError::here(format!("{self} is out of range")))?;
                if let Some(m) = number_problem::<S>(v as f64, provider) {
                    return Err(BuildError::here(m));
                }
                BoundedInteger::new(v).map_err(|e| BuildError::here(e.message))
            }
        }
        impl<S: NumberSpec> Input<BoundedNumber<S>> for $int {
            #[allow(clippy::cast_precision_loss, reason = "bounds in schemas are small")]
            fn input(self, provider: &'static str) -> Result<BoundedNumber<S>, BuildError> {
                let v = i64::try_from(self).map_err(|_| BuildError::here(format!("{self} is out of range")))?;
                if let Some(m) = number_problem::<S>(v as f64, provider) {
                    return Err(BuildError::here(m));
                }
                BoundedNumber::new(v.into()).map_err(|e| BuildError::here(e.message))
            }
        }
        impl<S: NumberSpec + StringSpec> Input<IntegerOrString<S>> for $int {
            #[allow(clippy::cast_precision_loss, reason = "bounds in schemas are small")]
            fn input(self, provider: &'static str) -> Result<IntegerOrString<S>, BuildError> {
                let v = i64::try_from(self).map_err(|_| BuildError::here(format!("{self} is out of range")))?;
                if let Some(m) = number_problem::<S>(v as f64, provider) {
                    return Err(BuildError::here(m));
                }
                IntegerOrString::new(Form::Number(v)).map_err(|e| BuildError::here(e.message))
            }
        }
    )*};
}
integer_inputs!(i32, i64, u32, u64, usize);

impl<S: NumberSpec> Input<BoundedNumber<S>> for f64 {
    fn input(self, provider: &'static str) -> Result<BoundedNumber<S>, BuildError> {
        if let Some(m) = number_problem::<S>(self, provider) {
            return Err(BuildError::here(m));
        }
        BoundedNumber::from_f64(self).map_err(|e| BuildError::here(e.message))
    }
}

impl<S: NumberSpec + StringSpec> Input<NumberOrString<S>> for f64 {
    fn input(self, provider: &'static str) -> Result<NumberOrString<S>, BuildError> {
        if let Some(m) = number_problem::<S>(self, provider) {
            return Err(BuildError::here(m));
        }
        NumberOrString::try_from(self).map_err(|e| BuildError::here(e.message))
    }
}

macro_rules! string_form_inputs {
    ($($ty:ident),*) => {$(
        impl<S: NumberSpec + StringSpec> Input<$ty<S>> for &str {
            fn input(self, provider: &'static str) -> Result<$ty<S>, BuildError> {
                if let Some(m) = string_problem::<S>(self, provider) {
                    return Err(BuildError::here(m));
                }
                $ty::from_string(self).map_err(|e| BuildError::here(e.message))
            }
        }
        impl<S: NumberSpec + StringSpec> Input<$ty<S>> for String {
            fn input(self, provider: &'static str) -> Result<$ty<S>, BuildError> {
                self.as_str().input(provider)
            }
        }
    )*};
}
string_form_inputs!(IntegerOrString, NumberOrString);

/// An array field's type, filled from any iterator of items (generated
/// array setters call [`items`]).
pub trait Items: Sized {
    /// The item type.
    type Item;
    /// Checks the item count.
    ///
    /// # Errors
    ///
    /// Too few or too many items.
    fn from_items(items: Vec<Self::Item>, provider: &'static str) -> Result<Self, BuildError>;
}

impl<T> Items for Vec<T> {
    type Item = T;
    fn from_items(items: Vec<T>, _: &'static str) -> Result<Self, BuildError> {
        Ok(items)
    }
}

impl<T, const MIN: usize, const MAX: usize> Items for BoundedVec<T, MIN, MAX> {
    type Item = T;
    fn from_items(items: Vec<T>, provider: &'static str) -> Result<Self, BuildError> {
        let n = items.len();
        let unit = |n: usize| format!("{n} item{}", if n == 1 { "" } else { "s" });
        if n < MIN {
            let shown = if n == 0 { "none".to_string() } else { unit(n) };
            return Err(BuildError::here(format!(
                "{shown}; {}",
                at_least(provider, unit(MIN))
            )));
        }
        if n > MAX {
            return Err(BuildError::here(format!(
                "{}; {}",
                unit(n),
                at_most(provider, MAX)
            )));
        }
        Self::try_from(items).map_err(|e| BuildError::here(e.message))
    }
}

impl<T, const MIN: usize, const MAX: usize> IntoIterator for BoundedVec<T, MIN, MAX> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    fn into_iter(self) -> Self::IntoIter {
        self.into_inner().into_iter()
    }
}

/// Converts every item of an array setter's argument, each problem under its
/// index (`[1].parameters`), then checks the count.
///
/// # Errors
///
/// Any item is invalid, or there are too few or too many.
pub fn items<C: Items, I: Input<C::Item>>(
    items: impl IntoIterator<Item = I>,
    provider: &'static str,
) -> Result<C, BuildError>
where
    C::Item: Serialize,
{
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let mut partial = Vec::new();
    for (i, item) in items.into_iter().enumerate() {
        match item.input(provider) {
            Ok(v) => {
                partial.push(serde_json::to_value(&v).unwrap_or(Value::Null));
                out.push(v);
            }
            Err(e) => {
                partial.push(e.partial.clone().unwrap_or(Value::Null));
                problems.extend(e.prefixed(&format!("[{i}]")).problems);
            }
        }
    }
    if problems.is_empty() {
        C::from_items(out, provider)
    } else {
        Err(BuildError {
            problems,
            partial: Some(Value::Array(partial)),
        })
    }
}

// ---------------------------------------------------------------- building

/// A builder's slot for one field: unset, or the converted value or why not.
pub type Slot<T> = Option<Result<T, BuildError>>;

/// A setter's work: converts `value` for the slot (generated setters call this).
pub fn set<T>(value: impl Input<T>, provider: &'static str) -> Slot<T> {
    Some(value.input(provider))
}

/// An array setter's work: [`items`] for the slot.
pub fn set_items<C: Items, I: Input<C::Item>>(
    list: impl IntoIterator<Item = I>,
    provider: &'static str,
) -> Slot<C>
where
    C::Item: Serialize,
{
    Some(items(list, provider))
}

/// A slot for a field held in a `Box` (recursive types).
#[must_use]
pub fn boxed<T>(slot: Slot<T>) -> Slot<Box<T>> {
    slot.map(|r| r.map(Box::new))
}

/// The problems of one build so far and the JSON of what is set (generated
/// `build()` methods use it; not meant to be called by hand).
#[derive(Debug, Default)]
pub struct Fields {
    problems: Vec<Problem>,
    json: Map<String, Value>,
}

impl Fields {
    /// An empty build.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    fn take<T: Serialize>(&mut self, name: &str, slot: Option<Result<T, BuildError>>) -> Option<T> {
        match slot? {
            Ok(v) => {
                if let Ok(j) = serde_json::to_value(&v) {
                    self.json.insert(name.to_string(), j);
                }
                Some(v)
            }
            Err(e) => {
                if let Some(p) = &e.partial {
                    self.json.insert(name.to_string(), p.clone());
                }
                self.problems.extend(e.prefixed(name).problems);
                None
            }
        }
    }

    /// A required field: `None` (and a `missing (required)` problem) if unset
    /// or invalid.
    pub fn required<T: Serialize>(
        &mut self,
        name: &str,
        slot: Option<Result<T, BuildError>>,
    ) -> Option<T> {
        if slot.is_none() {
            self.problems.push(Problem {
                path: name.to_string(),
                message: "missing (required)".into(),
                rule: None,
            });
            return None;
        }
        self.take(name, slot)
    }

    /// A field with one allowed value: the value set, or that value.
    pub fn literal<T: Serialize + Default>(
        &mut self,
        name: &str,
        slot: Option<Result<T, BuildError>>,
    ) -> T {
        let v = self.take(name, slot).unwrap_or_default();
        if !self.json.contains_key(name)
            && let Ok(j) = serde_json::to_value(&v)
        {
            self.json.insert(name.to_string(), j);
        }
        v
    }

    /// An optional field: `None` if unset or invalid (a problem then).
    pub fn optional<T: Serialize>(
        &mut self,
        name: &str,
        slot: Option<Result<T, BuildError>>,
    ) -> Option<T> {
        self.take(name, slot)
    }

    /// The error of a build with problems.
    #[must_use]
    pub fn fail(self) -> BuildError {
        BuildError {
            problems: self.problems,
            partial: Some(Value::Object(self.json)),
        }
    }

    /// `Ok` if no field had a problem.
    ///
    /// # Errors
    ///
    /// Every problem found.
    pub fn finish(self) -> Result<(), BuildError> {
        if self.problems.is_empty() {
            Ok(())
        } else {
            Err(self.fail())
        }
    }
}

/// `/channel/whatsapp/message` → `channel.whatsapp.message`,
/// `/button/0/parameters` → `button[0].parameters`.
#[must_use]
pub fn pointer_to_path(pointer: &str) -> String {
    let mut out = String::new();
    for seg in pointer.split('/').skip(1) {
        let seg = seg.replace("~1", "/").replace("~0", "~");
        if !seg.is_empty() && seg.bytes().all(|b| b.is_ascii_digit()) {
            out.push_str(&format!("[{seg}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&seg);
        }
    }
    out
}

fn overlaps(a: &str, b: &str) -> bool {
    let under = |x: &str, y: &str| {
        x.strip_prefix(y)
            .is_some_and(|r| r.is_empty() || r.starts_with('.') || r.starts_with('['))
    };
    under(a, b) || under(b, a)
}

fn findings(
    endpoint: &str,
    value: &Value,
    options: &crate::Options,
) -> Result<Vec<Problem>, BuildError> {
    let report = crate::validate_value_with(endpoint, value, options)
        .map_err(|e| BuildError::here(e.to_string()))?;
    Ok(report
        .diagnostics
        .iter()
        .filter(|d| d.severity == crate::Severity::Error)
        .map(|d| Problem {
            path: pointer_to_path(&d.pointer),
            message: d.message.clone(),
            rule: Some(d.rule.clone()),
        })
        .collect())
}

/// The end of an endpoint type's `build_with`: the full validator on the
/// serialized form, failing on any error finding. When the types already
/// failed, the validator checks what could be built and its findings on the
/// other fields are added.
///
/// # Errors
///
/// Every problem of the types, then every error finding of the validator.
pub fn validated<T: Endpoint>(
    built: Result<T, BuildError>,
    options: &crate::Options,
) -> Result<T, BuildError> {
    match built {
        Ok(v) => {
            let value = serde_json::to_value(&v).map_err(|e| BuildError::here(e.to_string()))?;
            let problems = findings(T::ENDPOINT, &value, options)?;
            if problems.is_empty() {
                Ok(v)
            } else {
                Err(BuildError {
                    problems,
                    partial: None,
                })
            }
        }
        Err(mut e) => {
            if let Some(partial) = e.partial.take()
                && let Ok(found) = findings(T::ENDPOINT, &partial, options)
            {
                let extra: Vec<Problem> = found
                    .into_iter()
                    .filter(|f| !e.problems.iter().any(|p| overlaps(&p.path, &f.path)))
                    .collect();
                e.problems.extend(extra);
            }
            Err(e)
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;

    #[test]
    fn pointers_become_paths() {
        assert_eq!(
            pointer_to_path("/channel/whatsapp/message"),
            "channel.whatsapp.message"
        );
        assert_eq!(
            pointer_to_path("/button/0/parameters"),
            "button[0].parameters"
        );
        assert_eq!(pointer_to_path("/a~1b/0/1"), "a/b[0][1]");
        assert_eq!(pointer_to_path(""), "");
    }

    #[test]
    fn paths_join_and_overlap() {
        assert_eq!(
            join("channel", "whatsapp.msisdn"),
            "channel.whatsapp.msisdn"
        );
        assert_eq!(join("button", "[0].parameters"), "button[0].parameters");
        assert_eq!(join("ref_id", ""), "ref_id");
        assert!(overlaps("channel.whatsapp", "channel.whatsapp.msisdn"));
        assert!(overlaps("button[0]", "button"));
        assert!(!overlaps("channel.whatsapp", "channel.whatsapp_x"));
    }

    #[test]
    fn one_line_per_problem() {
        let mut f = Fields::new();
        let none: Option<Result<String, BuildError>> = None;
        assert!(f.required("signature", none).is_none());
        let bad: Option<Result<String, BuildError>> = Some(Err(BuildError::here("too long")));
        assert!(f.optional("ref_id", bad).is_none());
        let e = f.finish().unwrap_err();
        assert_eq!(
            e.to_string(),
            "signature: missing (required)\nref_id: too long"
        );
    }
}
