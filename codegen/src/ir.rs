//! The intermediate representation between schemas and Rust.
//!
//! The parser fills it, `names.rs` gives every type, field and variant its
//! Rust name, and the emitters read it. It says what the types *are*
//! (a struct with these fields, an enum discriminated by `type`, a string of
//! at most 50 characters); it knows nothing about tokens.

/// Index of a type in [`Ir::types`].
pub type TypeId = usize;

/// Everything the generator will emit.
#[derive(Debug, Clone, Default)]
pub struct Ir {
    /// Every named type, in the order they were met.
    pub types: Vec<TypeDef>,
    /// One per endpoint schema, in file order.
    pub endpoints: Vec<Endpoint>,
    /// Module names with their doc text, in order.
    pub modules: Vec<(String, String)>,
}

/// One endpoint: a schema file outside `common/`.
#[derive(Debug, Clone)]
pub struct Endpoint {
    /// `<provider>/<endpoint>`, from the file path.
    pub id: String,
    /// The Rust module (`three_dolphins`).
    pub module: String,
    /// The variant name in `Request` (`ThreeDolphinsBroadcast`).
    pub variant: String,
    /// The request type.
    pub root: TypeId,
}

/// How a type wants to be named; `names.rs` turns it into candidates.
#[derive(Debug, Clone)]
pub enum NameHint {
    /// Fixed name (endpoint roots): never changed.
    Fixed(String),
    /// A `$defs` entry: the keys from outer to inner, and the file's stem.
    Def {
        /// `$defs` keys, outermost first.
        keys: Vec<String>,
        /// The schema file's endpoint part, for disambiguation.
        file: String,
    },
    /// An anonymous schema under a named parent: `<Parent><suffix>`.
    Child {
        /// The type this one is nested in.
        parent: TypeId,
        /// The path from the parent (`RefId`, `ItemsItem`).
        suffix: String,
        /// The node's `title`, tried first when short.
        title: Option<String>,
        /// A suffix that tells apart properties whose names differ only in
        /// case or separators (from the field's Rust name).
        alt: Option<String>,
    },
}

/// A type to emit.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// Rust module.
    pub module: String,
    /// Final Rust name (set by `names.rs`).
    pub name: String,
    /// Where the name comes from.
    pub hint: NameHint,
    /// The schema file it comes from.
    pub file: String,
    /// The pointer of its node.
    pub pointer: String,
    /// The `title` of the node.
    pub title: Option<String>,
    /// The `description` of the node.
    pub doc: Option<String>,
    /// What it is.
    pub kind: Kind,
    /// Keywords of its node the type cannot hold (`not`, `contains`,
    /// `uniqueItems`, …) as a JSON schema: value strategies filter on it.
    pub residual: Option<String>,
}

/// What a type is.
#[derive(Debug, Clone)]
pub enum Kind {
    /// Reserved while its node is being parsed (recursion); never emitted.
    Placeholder,
    /// A type alias for a shape that needs no type of its own.
    Alias(Shape),
    /// An object.
    Struct(StructDef),
    /// A `oneOf` whose variants are told apart by one property's value.
    Tagged(TaggedDef),
    /// A `oneOf`/`anyOf` without a discriminator: the first variant that fits.
    Untagged(Vec<Variant>),
    /// An `enum` or `const` of JSON values.
    Values(Vec<ValueVariant>),
    /// A string with length, pattern or format constraints.
    String(StringSpec),
    /// An integer with bounds.
    Integer(NumberSpec),
    /// A number with bounds.
    Number(NumberSpec),
    /// `"type": ["integer", "string"]`: either form, kept as given.
    IntegerOrString(NumberSpec, StringSpec),
    /// `"type": ["number", "string"]`: either form, kept as given.
    NumberOrString(NumberSpec, StringSpec),
}

/// The type of a field, an item or a variant payload.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// A generated type.
    Named(TypeId),
    /// Any string.
    String,
    /// `true` / `false`.
    Bool,
    /// Any integer (`i64`).
    Integer,
    /// Any number, kept as written (`serde_json::Number`).
    Number,
    /// Only `null`.
    Null,
    /// Any JSON value.
    Any,
    /// A free-form object.
    Object,
    /// An array with item count bounds.
    Array {
        /// Item type.
        items: Box<Shape>,
        /// `minItems`.
        min: usize,
        /// `maxItems`.
        max: Option<usize>,
        /// Advisory (warning-only) `minItems`/`maxItems`, for value strategies.
        advisory: (Option<usize>, Option<usize>),
    },
    /// An object with arbitrary keys whose values all have one shape.
    Map(Box<Shape>),
    /// The shape or `null`.
    Nullable(Box<Shape>),
}

/// An object type.
#[derive(Debug, Clone, Default)]
pub struct StructDef {
    /// The properties, in schema order.
    pub fields: Vec<Field>,
    /// `additionalProperties: false`.
    pub deny_unknown: bool,
    /// Keeps properties the schema does not list (when they are allowed), so
    /// they survive a round trip.
    pub extra: Option<Shape>,
    /// The Rust name of the `extra` field.
    pub extra_name: String,
    /// `minProperties` (not held by the type; honoured by value strategies).
    pub min_properties: usize,
}

/// One property.
#[derive(Debug, Clone)]
pub struct Field {
    /// The JSON name.
    pub raw: String,
    /// The Rust name (set by `names.rs`, without `r#`).
    pub name: String,
    /// The property's description.
    pub doc: Option<String>,
    /// The type.
    pub shape: Shape,
    /// Listed in `required`.
    pub required: bool,
    /// A required single-valued literal: the constructor fills it in.
    pub literal: bool,
}

/// A discriminated `oneOf`.
#[derive(Debug, Clone)]
pub struct TaggedDef {
    /// The discriminating property.
    pub tag: String,
    /// The variants.
    pub variants: Vec<TaggedVariant>,
}

/// One variant of a discriminated `oneOf`.
#[derive(Debug, Clone)]
pub struct TaggedVariant {
    /// Variant name candidates, best first.
    pub candidates: Vec<String>,
    /// Final name.
    pub name: String,
    /// Every value of the tag that selects this variant.
    pub tags: Vec<serde_json::Value>,
    /// The variant's struct.
    pub shape: Shape,
}

/// One variant of an untagged union.
#[derive(Debug, Clone)]
pub struct Variant {
    /// Variant name candidates, best first.
    pub candidates: Vec<String>,
    /// Final name.
    pub name: String,
    /// The payload.
    pub shape: Shape,
    /// The branch's description.
    pub doc: Option<String>,
}

/// One logical value of an enum, with every spelling the schema accepts.
#[derive(Debug, Clone)]
pub struct ValueVariant {
    /// Variant name candidates, best first.
    pub candidates: Vec<String>,
    /// Final name.
    pub name: String,
    /// Accepted JSON values; the first is the canonical one.
    pub spellings: Vec<serde_json::Value>,
}

/// String constraints.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StringSpec {
    /// `minLength` (characters).
    pub min_length: usize,
    /// `maxLength` (characters).
    pub max_length: Option<usize>,
    /// Every `pattern` that applies.
    pub patterns: Vec<String>,
    /// `format`.
    pub format: Option<String>,
    /// Advisory (warning-only) `minLength`, for value strategies.
    pub advisory_min_length: Option<usize>,
    /// Advisory (warning-only) `maxLength`, for value strategies.
    pub advisory_max_length: Option<usize>,
    /// Advisory (warning-only) patterns, for value strategies.
    pub advisory_patterns: Vec<String>,
    /// `x-phone`: the provider whose written phone-number form the value
    /// must be in (`oca`, `sandeza`, …).
    pub phone: Option<String>,
    /// `x-secret`: the value is never shown in an error.
    pub secret: bool,
}

impl StringSpec {
    /// True if nothing is constrained.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// Numeric constraints.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NumberSpec {
    /// `minimum`.
    pub minimum: Option<f64>,
    /// `maximum`.
    pub maximum: Option<f64>,
    /// `exclusiveMinimum`.
    pub exclusive_minimum: Option<f64>,
    /// `exclusiveMaximum`.
    pub exclusive_maximum: Option<f64>,
    /// `multipleOf`.
    pub multiple_of: Option<f64>,
    /// Advisory (warning-only) lower bound, for value strategies.
    pub advisory_minimum: Option<f64>,
    /// Advisory (warning-only) upper bound, for value strategies.
    pub advisory_maximum: Option<f64>,
}

impl NumberSpec {
    /// True if nothing is constrained.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}
