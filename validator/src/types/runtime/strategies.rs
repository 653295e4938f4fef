//! `proptest` strategies for the runtime types, behind the `proptest` feature.
//!
//! Generated types build their `Arbitrary` impls from these. Every value
//! produced is valid under the schema, warning-level limits included, and
//! reads like a real payload (Indonesian words, `.co.id` hosts) rather than
//! random code points, so the validator's placeholder and whitespace rules
//! stay quiet on them too.

use proptest::prelude::*;
use proptest::strategy::BoxedStrategy;
use serde::Serialize;
use serde_json::Value;

use super::{
    BoundedInteger, BoundedNumber, BoundedVec, ConstrainedString, Form, IntegerOrString, Literal,
    Nullable, NumberOrString, NumberSpec, Spelled, StringSpec, check_string, keyword_ok,
};

const WORDS: &[&str] = &[
    "halo",
    "pesanan",
    "anda",
    "sudah",
    "dikirim",
    "terima",
    "kasih",
    "tagihan",
    "bulan",
    "promo",
    "diskon",
    "jadwal",
    "besok",
    "kode",
    "toko",
    "pembayaran",
    "berhasil",
    "selamat",
    "pagi",
    "kami",
    "informasikan",
    "paket",
    "tiba",
    "hari",
    "layanan",
    "pelanggan",
];

/// Plain text of `min..=max` characters made of words, without leading or
/// trailing whitespace.
pub fn text(min: usize, max: usize) -> BoxedStrategy<String> {
    let max = max.max(min);
    proptest::collection::vec(proptest::sample::select(WORDS), 1..6)
        .prop_map(move |words| {
            let mut s = words.join(" ");
            if let Some(first) = s.get(..1) {
                s = first.to_uppercase() + s.get(1..).unwrap_or("");
            }
            while s.chars().count() < min {
                s.push('a');
            }
            let mut s: String = s.chars().take(max).collect();
            while s.ends_with(' ') {
                s.pop();
                s.push('a');
            }
            s
        })
        .boxed()
}

/// A small JSON number.
pub fn number() -> BoxedStrategy<serde_json::Number> {
    (0i64..10_000).prop_map(serde_json::Number::from).boxed()
}

/// A value for a schema that accepts anything.
pub fn any_json() -> BoxedStrategy<Value> {
    text(1, 20).prop_map(Value::String).boxed()
}

/// How many properties a value serializes to (for `minProperties`).
pub fn property_count<T: Serialize>(v: &T) -> usize {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_object().map(serde_json::Map::len))
        .unwrap_or(0)
}

fn strip_anchors(p: &str) -> &str {
    let p = p.strip_prefix('^').unwrap_or(p);
    match p.strip_suffix('$') {
        Some(q) if !q.ends_with('\\') => q,
        _ => p,
    }
}

fn format_regex(format: &str) -> Option<&'static str> {
    Some(match format {
        "email" | "idn-email" => "[a-z]{3,8}\\.[a-z]{3,8}@[a-z]{4,10}\\.co\\.id",
        "uri" | "iri" | "uri-reference" | "iri-reference" => {
            "https://[a-z]{4,10}\\.co\\.id/[a-z]{2,8}/[a-z0-9]{2,10}"
        }
        "date-time" => {
            "20(2[5-9]|3[0-5])-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]Z"
        }
        "date" => "20(2[5-9]|3[0-5])-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])",
        "time" => "([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]Z",
        "ipv4" => "10\\.[0-9]{1,2}\\.[0-9]{1,2}\\.[0-9]{1,2}",
        "hostname" | "idn-hostname" => "[a-z]{4,10}\\.co\\.id",
        "uuid" => "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}",
        _ => return None,
    })
}

fn advisory_ok<S: StringSpec>(s: &str) -> bool {
    let len = s.chars().count();
    if S::ADVISORY_MIN_LENGTH.is_some_and(|m| len < m)
        || S::ADVISORY_MAX_LENGTH.is_some_and(|m| len > m)
    {
        return false;
    }
    let value = Value::String(s.to_string());
    S::ADVISORY_PATTERNS
        .iter()
        .all(|p| keyword_ok("pattern", p, &value))
}

/// Strings valid under `S`, advisory limits included.
pub fn string_for<S: StringSpec>() -> BoxedStrategy<String> {
    let min = S::MIN_LENGTH.max(S::ADVISORY_MIN_LENGTH.unwrap_or(0));
    let max = [S::MAX_LENGTH, S::ADVISORY_MAX_LENGTH]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(usize::MAX)
        .min(min + 40);
    let source = S::PATTERNS
        .iter()
        .chain(S::ADVISORY_PATTERNS)
        .map(|p| strip_anchors(p).to_string())
        .chain(S::FORMAT.and_then(format_regex).map(str::to_string))
        .find_map(|p| proptest::string::string_regex(&p).ok());
    let base = match (S::PHONE, source) {
        // Indonesian mobile numbers, written the ways people write them; the
        // filter keeps those in the provider's form.
        (Some(_), _) => (
            proptest::sample::select(&["62", "+62", "0"][..]),
            proptest::sample::select(&["811", "812", "813", "821", "852", "857", "878", "895"][..]),
            proptest::collection::vec(0u8..10, 6..=8),
        )
            .prop_map(|(prefix, operator, rest)| {
                let rest: String = rest.iter().map(|d| char::from(b'0' + d)).collect();
                format!("{prefix}{operator}{rest}")
            })
            .boxed(),
        (None, Some(s)) => s.boxed(),
        (None, None) => text(min, max),
    };
    base.prop_filter("schema constraints", |s| {
        check_string::<S>(s).is_ok() && advisory_ok::<S>(s)
    })
    .boxed()
}

impl<S: StringSpec + 'static> Arbitrary for ConstrainedString<S> {
    type Parameters = ();
    type Strategy = BoxedStrategy<Self>;
    fn arbitrary_with((): ()) -> Self::Strategy {
        string_for::<S>()
            .prop_filter_map("constrained string", |s| Self::new(s).ok())
            .boxed()
    }
}

#[allow(
    clippy::cast_possible_truncation,
    reason = "bounds in schemas are small"
)]
fn int_range<S: NumberSpec>() -> (i64, i64) {
    let lo = [
        S::MINIMUM,
        S::EXCLUSIVE_MINIMUM.map(|m| m.floor() + 1.0),
        S::ADVISORY_MINIMUM,
    ]
    .into_iter()
    .flatten()
    .fold(None, |a: Option<f64>, b| Some(a.map_or(b, |a| a.max(b))));
    let hi = [
        S::MAXIMUM,
        S::EXCLUSIVE_MAXIMUM.map(|m| m.ceil() - 1.0),
        S::ADVISORY_MAXIMUM,
    ]
    .into_iter()
    .flatten()
    .fold(None, |a: Option<f64>, b| Some(a.map_or(b, |a| a.min(b))));
    let lo = lo.map(|v| v.ceil() as i64);
    let hi = hi.map(|v| v.floor() as i64);
    match (lo, hi) {
        (Some(l), Some(h)) => (l, h.max(l)),
        (Some(l), None) => (l, l.saturating_add(10_000)),
        (None, Some(h)) => (h.saturating_sub(10_000).max(0).min(h), h),
        (None, None) => (0, 10_000),
    }
}

impl<S: NumberSpec + 'static> Arbitrary for BoundedInteger<S> {
    type Parameters = ();
    type Strategy = BoxedStrategy<Self>;
    fn arbitrary_with((): ()) -> Self::Strategy {
        let (lo, hi) = int_range::<S>();
        (lo..=hi)
            .prop_filter_map("bounds", |n| Self::new(n).ok())
            .boxed()
    }
}

#[allow(clippy::cast_precision_loss, reason = "bounds in schemas are small")]
fn float_strategy<S: NumberSpec>() -> BoxedStrategy<f64> {
    let lo = [S::MINIMUM, S::EXCLUSIVE_MINIMUM, S::ADVISORY_MINIMUM]
        .into_iter()
        .flatten()
        .fold(f64::NEG_INFINITY, f64::max);
    let hi = [S::MAXIMUM, S::EXCLUSIVE_MAXIMUM, S::ADVISORY_MAXIMUM]
        .into_iter()
        .flatten()
        .fold(f64::INFINITY, f64::min);
    let lo = if lo.is_finite() {
        lo
    } else if hi.is_finite() {
        hi - 1000.0
    } else {
        0.0
    };
    let hi = if hi.is_finite() { hi } else { lo + 1000.0 };
    // Six decimals, like the coordinates in the docs.
    (0u32..=1_000_000)
        .prop_map(move |k| {
            let v = lo + (hi - lo) * f64::from(k) / 1_000_000.0;
            (v * 1_000_000.0).round() / 1_000_000.0
        })
        .boxed()
}

impl<S: NumberSpec + 'static> Arbitrary for BoundedNumber<S> {
    type Parameters = ();
    type Strategy = BoxedStrategy<Self>;
    fn arbitrary_with((): ()) -> Self::Strategy {
        float_strategy::<S>()
            .prop_filter_map("bounds", |v| Self::from_f64(v).ok())
            .boxed()
    }
}

impl<S: NumberSpec + StringSpec + 'static> Arbitrary for IntegerOrString<S> {
    type Parameters = ();
    type Strategy = BoxedStrategy<Self>;
    fn arbitrary_with((): ()) -> Self::Strategy {
        let (lo, hi) = int_range::<S>();
        (lo..=hi, any::<bool>())
            .prop_filter_map("bounds", |(n, as_string)| {
                if as_string {
                    let s = n.to_string();
                    if !advisory_ok::<S>(&s) {
                        return None;
                    }
                    Self::new(Form::String(s)).ok()
                } else {
                    Self::new(Form::Number(n)).ok()
                }
            })
            .boxed()
    }
}

impl<S: NumberSpec + StringSpec + 'static> Arbitrary for NumberOrString<S> {
    type Parameters = ();
    type Strategy = BoxedStrategy<Self>;
    fn arbitrary_with((): ()) -> Self::Strategy {
        (float_strategy::<S>(), any::<bool>())
            .prop_filter_map("bounds", |(v, as_string)| {
                if as_string {
                    let s = format!("{v:.6}");
                    if !advisory_ok::<S>(&s) {
                        return None;
                    }
                    Self::new(Form::String(s)).ok()
                } else {
                    Self::new(Form::Number(serde_json::Number::from_f64(v)?)).ok()
                }
            })
            .boxed()
    }
}

impl<E: Literal + std::fmt::Debug> Arbitrary for Spelled<E> {
    type Parameters = ();
    type Strategy = BoxedStrategy<Self>;
    fn arbitrary_with((): ()) -> Self::Strategy {
        (0..E::TABLE.len().max(1))
            .prop_filter_map("spelling", |i| {
                E::TABLE.get(i).map(|(_, v)| Spelled {
                    value: *v,
                    spelling: i,
                })
            })
            .boxed()
    }
}

impl<T: Arbitrary + 'static, const MIN: usize, const MAX: usize> Arbitrary
    for BoundedVec<T, MIN, MAX>
{
    type Parameters = ();
    type Strategy = BoxedStrategy<Self>;
    fn arbitrary_with((): ()) -> Self::Strategy {
        let hi = MAX.min(MIN + 3);
        proptest::collection::vec(any::<T>(), MIN..=hi)
            .prop_filter_map("bounds", |v| Self::try_from(v).ok())
            .boxed()
    }
}

impl<T: Arbitrary + Clone + 'static> Arbitrary for Nullable<T> {
    type Parameters = ();
    type Strategy = BoxedStrategy<Self>;
    fn arbitrary_with((): ()) -> Self::Strategy {
        prop_oneof![Just(Self::Null), any::<T>().prop_map(Self::Value)].boxed()
    }
}

/// True if `v` serializes to a value valid under `schema` (JSON text): the
/// keywords of a node that no Rust type holds (`not`, `contains`, …).
pub fn satisfies<T: Serialize>(v: &T, schema: &str) -> bool {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex, OnceLock};
    type Cache = Mutex<HashMap<String, Option<Arc<jsonschema::Validator>>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let Ok(value) = serde_json::to_value(v) else {
        return false;
    };
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    let validator = {
        let Ok(mut guard) = cache.lock() else {
            return true;
        };
        guard
            .entry(schema.to_string())
            .or_insert_with(|| {
                let schema: Value = serde_json::from_str(schema).ok()?;
                jsonschema::validator_for(&schema).ok().map(Arc::new)
            })
            .clone()
    };
    validator.is_none_or(|val| val.is_valid(&value))
}
