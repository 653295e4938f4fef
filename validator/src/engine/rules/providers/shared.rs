//! What several rules of the other providers share: 3Dolphins broadcasts and
//! their macro lists, chatbot-gateway coordinates, and lists in prose.

use serde_json::Value;

/// The 3Dolphins broadcast objects of a payload with their pointers: the
/// payload itself, or each item of a Send Multiple Broadcast array.
pub(crate) fn broadcasts(payload: &Value) -> Vec<(String, &serde_json::Map<String, Value>)> {
    match payload {
        Value::Object(map) => vec![(String::new(), map)],
        Value::Array(items) => items
            .iter()
            .enumerate()
            .filter_map(|(i, v)| {
                v.as_object()
                    .map(|m| (crate::engine::text::pointer::join_index("", i), m))
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Every macro list (`headerVariables`, `bodyVariables`) of every broadcast
/// in the payload: the list's pointer, its name and its entries.
pub(crate) fn macro_lists(payload: &Value) -> Vec<(String, &'static str, &Vec<Value>)> {
    let mut out = Vec::new();
    for (at, broadcast) in broadcasts(payload) {
        for list in ["headerVariables", "bodyVariables"] {
            if let Some(items) = broadcast.get(list).and_then(Value::as_array) {
                out.push((crate::engine::text::pointer::join(&at, list), list, items));
            }
        }
    }
    out
}

/// The number `n` of a 3Dolphins macro key written `{{n}}`; `None` for any
/// other form (the schema's pattern reports those).
pub(crate) fn macro_number(key: &str) -> Option<u64> {
    let inner = key.strip_prefix("{{")?.strip_suffix("}}")?;
    if inner.is_empty() || !inner.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    inner.parse().ok()
}

/// A chatbot-gateway `coordinate`, `latitude-longitude`, read the way the doc
/// writes it: an optional minus, the latitude, the `-` separator, an optional
/// minus, the longitude. Ranges are character ranges of each part, sign included.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Coordinate {
    pub(crate) latitude: f64,
    pub(crate) longitude: f64,
    pub(crate) latitude_range: std::ops::Range<usize>,
    pub(crate) longitude_range: std::ops::Range<usize>,
    /// Character position of the separating `-`.
    pub(crate) separator: usize,
}

/// Parses a coordinate; `None` when it does not have the documented form
/// (the schema's pattern reports that).
pub(crate) fn parse_coordinate(text: &str) -> Option<Coordinate> {
    fn number_end(s: &str, from: usize) -> Option<usize> {
        let bytes = s.as_bytes();
        let mut i = from;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if i == from {
            return None;
        }
        if i < bytes.len() && bytes[i] == b'.' {
            let frac = i + 1;
            i = frac;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            if i == frac {
                return None;
            }
        }
        Some(i)
    }
    // ASCII only, so byte positions are character positions.
    if !text.is_ascii() {
        return None;
    }
    let lat_end = number_end(text, usize::from(text.starts_with('-')))?;
    if text.as_bytes().get(lat_end) != Some(&b'-') {
        return None;
    }
    let lon_start = lat_end + 1;
    let lon_digits = lon_start + usize::from(text.as_bytes().get(lon_start) == Some(&b'-'));
    let lon_end = number_end(text, lon_digits)?;
    if lon_end != text.len() {
        return None;
    }
    Some(Coordinate {
        latitude: text.get(..lat_end)?.parse().ok()?,
        longitude: text.get(lon_start..lon_end)?.parse().ok()?,
        latitude_range: 0..lat_end,
        longitude_range: lon_start..lon_end,
        separator: lat_end,
    })
}

/// `a`, `a and b`, `a, b and c`.
pub(crate) fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// A recipient's value for a column that a macro names, longer than `limit`
/// characters: see [`long_macro_values`].
pub(crate) struct LongMacroValue<'a> {
    /// Pointer of the recipient's value (`/whatsappRecipient/3/Nama`).
    pub(crate) pointer: String,
    /// Index of the recipient in `whatsappRecipient`.
    pub(crate) recipient: usize,
    /// The column.
    pub(crate) column: &'a str,
    /// The macro key naming it (`{{1}}`), or a description when it has none.
    pub(crate) key: &'a str,
    /// Index of the macro entry in its list.
    pub(crate) entry: usize,
    /// Pointer of the macro entry's `value`, the place that names the column.
    pub(crate) macro_pointer: String,
    /// The value's length in characters.
    pub(crate) len: usize,
}

/// Follows each personalized entry of a broadcast's `list` (`headerVariables`
/// or `bodyVariables`) to the `whatsappRecipient` column it names, and gives
/// every recipient value of such a column longer than `limit` characters. A
/// `static` entry is the text itself (the schema limits it), and a column no
/// macro names never becomes a parameter.
pub(crate) fn long_macro_values<'a>(
    payload: &'a Value,
    list: &str,
    limit: usize,
) -> Vec<LongMacroValue<'a>> {
    use crate::engine::text::pointer;
    let mut out = Vec::new();
    for (at, broadcast) in broadcasts(payload) {
        let (Some(recipients), Some(entries)) = (
            broadcast.get("whatsappRecipient").and_then(Value::as_array),
            broadcast.get(list).and_then(Value::as_array),
        ) else {
            continue;
        };
        let mut columns: Vec<(usize, &str, &str)> = Vec::new();
        for (i, item) in entries.iter().enumerate() {
            if item.get("type").and_then(Value::as_str) == Some("static") {
                continue;
            }
            if let Some(column) = item.get("value").and_then(Value::as_str)
                && !columns.iter().any(|&(_, c, _)| c == column)
            {
                let key = item.get("key").and_then(Value::as_str).unwrap_or("a macro");
                columns.push((i, column, key));
            }
        }
        for (k, recipient) in recipients.iter().enumerate() {
            for &(entry, column, key) in &columns {
                let Some(text) = recipient.get(column).and_then(Value::as_str) else {
                    continue;
                };
                // A byte count at or under the limit is a character count
                // under it: most values are never counted.
                if text.len() <= limit {
                    continue;
                }
                let len = text.chars().count();
                if len <= limit {
                    continue;
                }
                let base = pointer::join(&at, "whatsappRecipient");
                let list_at = pointer::join(&at, list);
                out.push(LongMacroValue {
                    pointer: pointer::join(&pointer::join_index(&base, k), column),
                    recipient: k,
                    column,
                    key,
                    entry,
                    macro_pointer: pointer::join(&pointer::join_index(&list_at, entry), "value"),
                    len,
                });
            }
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::{and_list, macro_number, parse_coordinate};

    #[test]
    fn reads_coordinates_as_the_doc_writes_them() {
        let c = parse_coordinate("0.525960-101.426866").unwrap();
        assert_eq!((c.latitude, c.longitude), (0.52596, 101.426866));
        assert_eq!(
            (c.latitude_range, c.separator, c.longitude_range),
            (0..8, 8, 9..19)
        );
        let c = parse_coordinate("-6.175392-106.827153").unwrap();
        assert_eq!((c.latitude, c.longitude), (-6.175392, 106.827153));
        assert_eq!(c.separator, 9);
        let c = parse_coordinate("40.7--74").unwrap();
        assert_eq!((c.latitude, c.longitude), (40.7, -74.0));
        for bad in [
            "",
            "-",
            "6.1",
            "6.-106",
            "6-106.",
            "6--",
            "{{latitude}}-{{longitude}}",
            "6-106-1",
            "6 - 106",
            "٦-١٠٦",
        ] {
            assert_eq!(parse_coordinate(bad), None, "{bad}");
        }
    }

    #[test]
    fn reads_macro_keys() {
        assert_eq!(macro_number("{{1}}"), Some(1));
        assert_eq!(macro_number("{{12}}"), Some(12));
        assert_eq!(macro_number("{{0}}"), Some(0));
        for bad in ["{1}", "{{}}", "{{ 1 }}", "{{a}}", "string", "{{1}}x"] {
            assert_eq!(macro_number(bad), None, "{bad}");
        }
    }

    #[test]
    fn lists_read_like_prose() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(and_list(&s(&["a"])), "a");
        assert_eq!(and_list(&s(&["a", "b"])), "a and b");
        assert_eq!(and_list(&s(&["a", "b", "c"])), "a, b and c");
    }
}
