//! Turning bytes into a payload, once, and saying exactly what is wrong when
//! that fails.
//!
//! One parse per payload: serde_json with a visitor of our own that notices
//! duplicate keys (serde_json silently keeps the last value; some providers
//! keep the first). Duplicate paths are collected bottom-up, so a payload
//! without duplicates pays nothing for the check. Positions are not computed
//! here: the span-preserving parse in [`crate::engine::text::span`] runs only for payloads
//! that have findings.

use crate::diagnostic::Diagnostic;
use crate::engine::text::pointer;
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::map::Entry;
use serde_json::{Map, Value};
use std::fmt;

/// The largest single payload preflight parses. No provider accepts a request
/// body anywhere near this; larger files are reported, not read into memory.
pub const MAX_PAYLOAD_BYTES: usize = 32 * 1024 * 1024;

/// The deepest nesting of arrays and objects a payload may have (serde_json's
/// recursion limit: 128 levels is one too many).
pub const MAX_DEPTH: usize = 127;

/// A parsed payload.
#[derive(Debug)]
pub struct Parsed {
    /// The value, with the last occurrence of any duplicate key (serde_json's
    /// behaviour, which is what a Rust client would send).
    pub value: Value,
    /// Pointers of keys that occur more than once in their object.
    pub duplicates: Vec<String>,
}

/// Why a payload could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseFailure {
    /// The finding to report (rule `parse-error` and friends).
    pub diagnostic: Box<Diagnostic>,
    /// Byte offset into the text where the problem is.
    pub offset: usize,
}

/// Parses one payload from text (already known to be UTF-8, BOM removed).
pub fn parse_text(text: &str) -> Result<Parsed, ParseFailure> {
    if text.trim().is_empty() {
        return Err(ParseFailure {
            diagnostic: Box::new(
                Diagnostic::error(
                    "parse-error",
                    "",
                    "the file is empty: expected a JSON payload",
                )
                .with_help(
                    "put the request body (one JSON object) in the file, or delete the file",
                ),
            ),
            offset: 0,
        });
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let result = DupSeed
        .deserialize(&mut de)
        .and_then(|node| de.end().map(|()| node));
    match result {
        Ok(node) => Ok(Parsed {
            value: node.value,
            duplicates: node
                .duplicates
                .into_iter()
                .map(|mut rev| {
                    rev.reverse();
                    let mut p = String::new();
                    for token in rev {
                        p = pointer::join(&p, &token);
                    }
                    p
                })
                .collect(),
        }),
        Err(err) => Err(failure_from_serde(text, &err)),
    }
}

/// Checks bytes are UTF-8 text that could be JSON, returning the text without
/// a byte-order mark and whether there was one.
pub fn decode(bytes: &[u8]) -> Result<(&str, bool), ParseFailure> {
    let (body, bom) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (rest, true),
        None => (bytes, false),
    };
    let base = if bom { 3 } else { 0 };
    if let Some(mut nul) = memchr_nul(body) {
        // Point into the longest valid-text prefix, never inside a character.
        if let Err(e) = std::str::from_utf8(&body[..nul]) {
            nul = e.valid_up_to();
        }
        return Err(ParseFailure {
            diagnostic: Box::new(
                Diagnostic::error(
                    "parse-error",
                    "",
                    "this is a binary file, not JSON text (it contains a NUL byte)",
                )
                .with_help(
                    "point preflight at JSON payload files; binary files cannot be request bodies",
                ),
            ),
            offset: base + nul,
        });
    }
    if body.starts_with(b"\xFF\xFE") || body.starts_with(b"\xFE\xFF") {
        return Err(ParseFailure {
            diagnostic: Box::new(
                Diagnostic::error(
                    "parse-error",
                    "",
                    "the file is UTF-16 encoded; JSON request bodies must be UTF-8",
                )
                .with_help("re-save the file as UTF-8 (without a byte-order mark)"),
            ),
            offset: base,
        });
    }
    match std::str::from_utf8(body) {
        Ok(text) => Ok((text, bom)),
        Err(e) => {
            let at = e.valid_up_to();
            Err(ParseFailure {
                diagnostic: Box::new(
                    Diagnostic::error(
                        "parse-error",
                        "",
                        format!("invalid UTF-8 at byte {}: JSON request bodies must be UTF-8 text", base + at),
                    )
                    .with_help("re-save the file as UTF-8; Windows-1252 or Latin-1 text (é, ü) is the usual cause"),
                ),
                offset: base + at,
            })
        }
    }
}

fn memchr_nul(bytes: &[u8]) -> Option<usize> {
    // `contains` on bytes is word-at-a-time; the position only for a binary file.
    if bytes.contains(&0) {
        bytes.iter().position(|&b| b == 0)
    } else {
        None
    }
}

/// Maps a serde_json error to a diagnostic with a hint for the usual causes.
fn failure_from_serde(text: &str, err: &serde_json::Error) -> ParseFailure {
    let offset = offset_of(text, err.line(), err.column());
    let raw = err.to_string();
    // serde_json appends " at line L column C"; the position is reported separately.
    let what = match raw.rfind(" at line ") {
        Some(i) => raw[..i].to_string(),
        None => raw,
    };
    let help = if what.contains("trailing comma") {
        Some("remove the comma after the last item: JSON allows no trailing commas")
    } else if what.contains("expected `,` or `}`") || what.contains("expected `,` or `]`") {
        Some("add the missing comma between the two items, or close the object/array here")
    } else if what.contains("key must be a string") {
        Some("quote the key: JSON object keys are double-quoted strings")
    } else if what.contains("EOF while parsing") {
        Some("the payload ends before it is complete: look for a missing closing `}`, `]` or `\"`")
    } else if what.contains("recursion limit exceeded") {
        Some("no request body nests this deep; the file is probably generated wrongly")
    } else if what.contains("number out of range") {
        Some("the number does not fit a 64-bit float; send it as a string if it is an id")
    } else if what.contains("trailing characters") {
        Some("a file holds one JSON payload; for many payloads use an .ndjson file, one per line")
    } else if what.contains("control character") {
        Some("escape newlines and tabs inside strings as \\n and \\t")
    } else if what.contains("expected value") {
        Some(
            "a JSON value goes here: a string in double quotes, a number, true, false, null, an object or an array",
        )
    } else {
        None
    };
    let what = if what.contains("recursion limit exceeded") {
        format!(
            "the payload nests {} or more levels deep; preflight reads payloads nested at most {MAX_DEPTH} levels",
            MAX_DEPTH + 1
        )
    } else {
        what
    };
    let mut diagnostic = Diagnostic::error("parse-error", "", format!("invalid JSON: {what}"));
    if let Some(help) = help {
        diagnostic = diagnostic.with_help(help);
    }
    ParseFailure {
        diagnostic: Box::new(diagnostic),
        offset,
    }
}

/// Byte offset of serde_json's 1-based line and (byte) column.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            return (offset + column.saturating_sub(1)).min(text.len());
        }
        offset += l.len();
    }
    text.len()
}

/// A value and the duplicate-key paths found inside it, innermost token first.
struct Node {
    value: Value,
    duplicates: Vec<Vec<String>>,
}

impl Node {
    fn leaf(value: Value) -> Self {
        Node {
            value,
            duplicates: Vec::new(),
        }
    }
}

struct DupSeed;

impl<'de> DeserializeSeed<'de> for DupSeed {
    type Value = Node;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Node, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
        Ok(Node::leaf(Value::Bool(v)))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
        Ok(Node::leaf(Value::from(v)))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
        Ok(Node::leaf(Value::from(v)))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Node, E> {
        Ok(Node::leaf(
            serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number),
        ))
    }
    fn visit_str<E>(self, v: &str) -> Result<Node, E> {
        Ok(Node::leaf(Value::String(v.to_owned())))
    }
    fn visit_string<E>(self, v: String) -> Result<Node, E> {
        Ok(Node::leaf(Value::String(v)))
    }
    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::leaf(Value::Null))
    }
    fn visit_none<E>(self) -> Result<Node, E> {
        Ok(Node::leaf(Value::Null))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        let mut duplicates = Vec::new();
        while let Some(node) = seq.next_element_seed(DupSeed)? {
            if !node.duplicates.is_empty() {
                let index = items.len().to_string();
                for mut path in node.duplicates {
                    path.push(index.clone());
                    duplicates.push(path);
                }
            }
            items.push(node.value);
        }
        Ok(Node {
            value: Value::Array(items),
            duplicates,
        })
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut object = Map::new();
        let mut duplicates = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            let node = map.next_value_seed(DupSeed)?;
            for mut path in node.duplicates {
                path.push(key.clone());
                duplicates.push(path);
            }
            // One hash per key: a repeated key keeps its first position and
            // takes the last value, as serde_json does.
            match object.entry(key) {
                Entry::Vacant(slot) => {
                    slot.insert(node.value);
                }
                Entry::Occupied(mut slot) => {
                    duplicates.push(vec![slot.key().clone()]);
                    slot.insert(node.value);
                }
            }
        }
        Ok(Node {
            value: Value::Object(object),
            duplicates,
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    #[test]
    fn finds_duplicates_at_any_depth() {
        let p = parse_text(r#"{"a": {"b": 1, "b": 2}, "c": [{"d": 1, "d": 2}], "a": 3}"#).unwrap();
        assert_eq!(p.duplicates, vec!["/a/b", "/c/0/d", "/a"]);
        assert_eq!(p.value["a"], 3);
    }

    #[test]
    fn parse_errors_have_positions_and_help() {
        let f = parse_text("{\n  \"a\": 1,\n}").unwrap_err();
        assert_eq!(f.offset, 12);
        assert!(f.diagnostic.help.unwrap().contains("trailing"));
        let f = parse_text("").unwrap_err();
        assert!(f.diagnostic.message.contains("empty"));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = "[".repeat(100_000);
        let f = parse_text(&text).unwrap_err();
        assert!(
            f.diagnostic.message.contains("128 or more levels"),
            "{}",
            f.diagnostic.message
        );
        let at_the_limit = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse_text(&at_the_limit).is_ok());
        let one_more = format!("[{at_the_limit}]");
        assert!(
            parse_text(&one_more)
                .unwrap_err()
                .diagnostic
                .message
                .contains("at most 127")
        );
    }

    #[test]
    fn decode_rejects_binary_and_bad_utf8() {
        assert!(decode(b"{\"a\":\0}").is_err());
        let f = decode(b"{\"a\": \"caf\xe9\"}").unwrap_err();
        assert_eq!(f.offset, 10);
        let (text, bom) = decode(b"\xEF\xBB\xBF{}").unwrap();
        assert!(bom);
        assert_eq!(text, "{}");
    }
}
