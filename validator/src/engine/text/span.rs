//! From JSON pointers to places in a file.
//!
//! Rules and schema keywords report pointers; this module turns them into byte
//! spans once, with a strict span-preserving parse (jsonc-parser with every
//! leniency off), and into 1-based lines and character columns with one line
//! index per text, so every output format agrees. It runs only for payloads
//! that have findings: the all-valid path never builds an AST.

use crate::diagnostic::Position;
use crate::engine::text::pointer;
use jsonc_parser::ast;
use jsonc_parser::{CollectOptions, ParseOptions};
use std::ops::Range;

/// Byte offsets of line starts, for offset → (line, character column).
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes `text`. Lines end at `\n`; a `\r` before it belongs to the line
    /// ending, so CRLF files get the same columns as LF files.
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr_newlines(text.as_bytes()).map(|i| i + 1));
        LineIndex { starts }
    }

    /// The 1-based line and character column of a byte offset (clamped to the
    /// text, and to a character boundary).
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.starts[line];
        let column = text[start..offset].chars().count() + 1;
        Position {
            line: line + 1,
            column,
        }
    }

    /// The positions of many byte offsets at once: sorts and dedupes
    /// `offsets` (each clamped to the text and floored to a character
    /// boundary) and returns their positions in that order. One pass over the
    /// text, so a long line with many findings costs its length once, not once
    /// per finding.
    pub fn positions(&self, text: &str, offsets: &mut Vec<usize>) -> Vec<Position> {
        for o in offsets.iter_mut() {
            *o = floor_char_boundary(text, (*o).min(text.len()));
        }
        offsets.sort_unstable();
        offsets.dedup();
        let mut out = Vec::with_capacity(offsets.len());
        let (mut line, mut at, mut column) = (0usize, 0usize, 1usize);
        for &offset in offsets.iter() {
            let target = match self.starts.binary_search(&offset) {
                Ok(i) => i,
                Err(i) => i - 1,
            };
            if target != line {
                line = target;
                at = self.starts[line];
                column = 1;
            }
            column += text[at..offset].chars().count();
            at = offset;
            out.push(Position {
                line: line + 1,
                column,
            });
        }
        out
    }

    /// The text of 1-based line `line`, without its line ending.
    pub fn line_text<'t>(&self, text: &'t str, line: usize) -> &'t str {
        let Some(&start) = self.starts.get(line.saturating_sub(1)) else {
            return "";
        };
        let end = self.starts.get(line).map_or(text.len(), |&e| e);
        text[start..end].trim_end_matches(['\n', '\r'])
    }

    /// Byte offset where 1-based line `line` starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(0)
    }
}

fn memchr_newlines(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    bytes
        .iter()
        .enumerate()
        .filter_map(|(i, &b)| (b == b'\n').then_some(i))
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// What a pointer resolved to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// The value's byte range.
    pub value: Range<usize>,
    /// The key's byte range, when the value is an object property.
    pub key: Option<Range<usize>>,
    /// True when the pointer itself did not resolve and this is its nearest
    /// existing ancestor (a missing required field).
    pub ancestor: bool,
}

/// Where a pointer walk ended: the node reached, its key's range when it is
/// an object property, and whether the whole pointer resolved.
struct Walked<'t, 'a> {
    node: &'t ast::Value<'a>,
    key: Option<Range<usize>>,
    complete: bool,
}

/// A span-preserving parse of one payload's text.
pub struct SpanTree<'a> {
    root: Option<ast::Value<'a>>,
    /// For objects with many properties, property indices by name (built on
    /// the first look-up into each): findings on every key of a large object
    /// must not cost a scan each.
    keys: std::cell::RefCell<std::collections::HashMap<usize, KeyIndex>>,
}

/// Property indices of one object, by name, in file order.
type KeyIndex = std::collections::HashMap<String, Vec<usize>>;

/// Objects with at most this many properties are scanned.
const SCANNED_PROPERTIES: usize = 32;

impl<'a> SpanTree<'a> {
    /// Parses `text` strictly. Text that serde_json accepted always parses here;
    /// if it somehow does not, every lookup falls back to the start of the text.
    pub fn parse(text: &'a str) -> Self {
        let options = ParseOptions {
            allow_comments: false,
            allow_loose_object_property_names: false,
            allow_trailing_commas: false,
            allow_missing_commas: false,
            allow_single_quoted_strings: false,
            allow_hexadecimal_numbers: false,
            allow_unary_plus_numbers: false,
            allow_bare_decimal_point_numbers: false,
            allow_non_finite_numbers: false,
            allow_extended_string_escapes: false,
        };
        let root = jsonc_parser::parse_to_ast(text, &CollectOptions::default(), &options)
            .ok()
            .and_then(|r| r.value);
        SpanTree {
            root,
            keys: std::cell::RefCell::default(),
        }
    }

    /// Indices of the properties of `object` named `name`, in file order.
    fn properties_named(&self, object: &ast::Object<'_>, name: &str) -> Vec<usize> {
        if object.properties.len() <= SCANNED_PROPERTIES {
            return object
                .properties
                .iter()
                .enumerate()
                .filter(|(_, p)| prop_name(&p.name) == name)
                .map(|(i, _)| i)
                .collect();
        }
        let mut keys = self.keys.borrow_mut();
        let index = keys
            .entry(std::ptr::from_ref(object) as usize)
            .or_insert_with(|| {
                let mut index = KeyIndex::with_capacity(object.properties.len());
                for (i, p) in object.properties.iter().enumerate() {
                    index
                        .entry(prop_name(&p.name).into_owned())
                        .or_default()
                        .push(i);
                }
                index
            });
        index.get(name).cloned().unwrap_or_default()
    }

    /// Resolves a pointer. With duplicate keys, the last occurrence wins (the
    /// value serde_json kept). A pointer that does not resolve gives its nearest
    /// existing ancestor with `ancestor: true`.
    pub fn locate(&self, ptr: &str) -> Option<Located> {
        let walked = self.descend(ptr)?;
        Some(Located {
            value: range_of(walked.node),
            key: walked.key,
            ancestor: !walked.complete,
        })
    }

    /// Byte ranges of every occurrence of key `name` in the object at
    /// `object_ptr`, in file order (for duplicate-key findings).
    pub fn key_occurrences(&self, object_ptr: &str, name: &str) -> Vec<Range<usize>> {
        match self.descend(object_ptr) {
            Some(Walked {
                node: ast::Value::Object(object),
                complete: true,
                ..
            }) => self
                .properties_named(object, name)
                .into_iter()
                .map(|i| name_range(&object.properties[i].name))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Follows `ptr` as far as it goes (the last of duplicate keys wins).
    fn descend(&self, ptr: &str) -> Option<Walked<'_, 'a>> {
        let mut walked = Walked {
            node: self.root.as_ref()?,
            key: None,
            complete: true,
        };
        for token in pointer::tokens(ptr) {
            let next = match walked.node {
                ast::Value::Object(object) => self
                    .properties_named(object, &token)
                    .last()
                    .map(|&i| &object.properties[i])
                    .map(|p| (&p.value, Some(name_range(&p.name)))),
                ast::Value::Array(array) => token
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| array.elements.get(i))
                    .map(|v| (v, None)),
                _ => None,
            };
            match next {
                Some((node, key)) => {
                    walked.node = node;
                    walked.key = key;
                }
                None => {
                    walked.complete = false;
                    break;
                }
            }
        }
        Some(walked)
    }

    /// Byte ranges of the values (strings, numbers, whole objects and arrays)
    /// for which `is_secret(pointer, key)` holds, at any depth, for masking
    /// secrets in printed source lines.
    pub fn string_values_of_keys(
        &self,
        is_secret: &dyn Fn(&str, &str) -> bool,
    ) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        if let Some(root) = self.root.as_ref() {
            collect_secret_ranges(root, "", is_secret, &mut out);
        }
        out
    }
}

fn collect_secret_ranges(
    value: &ast::Value<'_>,
    ptr: &str,
    is_secret: &dyn Fn(&str, &str) -> bool,
    out: &mut Vec<Range<usize>>,
) {
    match value {
        ast::Value::Object(object) => {
            for p in &object.properties {
                let name = prop_name(&p.name);
                let child = pointer::join(ptr, &name);
                // A secret container is hidden whole: whatever is inside it.
                if is_secret(&child, &name) {
                    out.push(range_of(&p.value));
                } else {
                    collect_secret_ranges(&p.value, &child, is_secret, out);
                }
            }
        }
        ast::Value::Array(array) => {
            for (i, v) in array.elements.iter().enumerate() {
                collect_secret_ranges(v, &pointer::join_index(ptr, i), is_secret, out);
            }
        }
        _ => {}
    }
}

fn prop_name<'a>(name: &'a ast::ObjectPropName<'_>) -> std::borrow::Cow<'a, str> {
    match name {
        ast::ObjectPropName::String(s) => std::borrow::Cow::Borrowed(s.value.as_ref()),
        ast::ObjectPropName::Word(w) => std::borrow::Cow::Borrowed(w.value),
    }
}

fn name_range(name: &ast::ObjectPropName<'_>) -> Range<usize> {
    match name {
        ast::ObjectPropName::String(s) => s.range.start..s.range.end,
        ast::ObjectPropName::Word(w) => w.range.start..w.range.end,
    }
}

fn range_of(value: &ast::Value<'_>) -> Range<usize> {
    let r = match value {
        ast::Value::StringLit(v) => v.range,
        ast::Value::NumberLit(v) => v.range,
        ast::Value::BooleanLit(v) => v.range,
        ast::Value::Object(v) => v.range,
        ast::Value::Array(v) => v.range,
        ast::Value::NullKeyword(v) => v.range,
    };
    r.start..r.end
}

/// Maps a range of characters of a decoded string to bytes of its JSON
/// literal (`literal` starts at the opening quote, at byte `literal_start` of
/// the text). Escapes count as the one character they decode to; a `\uXXXX`
/// surrogate pair counts as one.
pub fn string_range_in_literal(
    text: &str,
    literal: Range<usize>,
    chars: Range<usize>,
) -> Range<usize> {
    let Some(raw) = text.get(literal.clone()) else {
        return literal;
    };
    // The byte offsets (relative to the literal) where the decoded characters
    // `chars.start` and `chars.end` begin, in one pass that keeps only those
    // two (a 30 MB string is no 240 MB table of offsets); past the last
    // character, the closing quote.
    let stop_char = chars.end.max(chars.start);
    let (mut start, mut stop) = (None, None);
    let bytes = raw.as_bytes();
    let mut i = 1; // skip the opening quote
    let end = raw.len().saturating_sub(1);
    let mut c = 0;
    while i < end {
        if c == chars.start {
            start = Some(i);
        }
        if c == stop_char {
            stop = Some(i);
            break;
        }
        if bytes[i] == b'\\' {
            if bytes.get(i + 1) == Some(&b'u') {
                let high = raw
                    .get(i + 2..i + 6)
                    .and_then(|h| u16::from_str_radix(h, 16).ok());
                i += 6;
                if matches!(high, Some(0xD800..=0xDBFF)) && raw.get(i..i + 2) == Some("\\u") {
                    i += 6;
                }
            } else {
                i += 2;
            }
        } else {
            let ch_len = raw[i..].chars().next().map_or(1, char::len_utf8);
            i += ch_len;
        }
        c += 1;
    }
    let start = literal.start + start.unwrap_or(end);
    let stop = literal.start + stop.unwrap_or(end);
    start..stop.max(start)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    #[test]
    fn columns_are_characters_and_crlf_is_one_ending() {
        let text = "{\r\n  \"nama\": \"Sütçü\", \"x\": 1\r\n}";
        let idx = LineIndex::new(text);
        let at = text.find("\"x\"").unwrap();
        assert_eq!(
            idx.position(text, at),
            Position {
                line: 2,
                column: 20
            }
        );
        assert_eq!(idx.line_text(text, 2), "  \"nama\": \"Sütçü\", \"x\": 1");
    }

    #[test]
    fn locates_values_keys_and_missing_fields() {
        let text = r#"{"a": {"b": [10, {"c": "d"}]}, "a": {"b": [1]}}"#;
        let tree = SpanTree::parse(text);
        let found = tree.locate("/a/b/0").unwrap();
        assert_eq!(&text[found.value.clone()], "1", "last duplicate wins");
        let missing = tree.locate("/a/zzz").unwrap();
        assert!(missing.ancestor);
        assert_eq!(&text[missing.value], r#"{"b": [1]}"#);
        assert_eq!(tree.key_occurrences("", "a").len(), 2);
    }

    #[test]
    fn string_ranges_skip_escapes() {
        let text = r#""a\"b\u00e9c;d""#;
        let r = string_range_in_literal(text, 0..text.len(), 4..5);
        assert_eq!(&text[r], "c");
        let r = string_range_in_literal(text, 0..text.len(), 6..7);
        assert_eq!(&text[r], "d");
    }

    /// Every character range of every literal (escapes, surrogate pairs,
    /// multi-byte characters, a broken escape at the end) maps to the bytes
    /// the character's own literal text spans: the range from where its
    /// first character begins to where the character after its last begins.
    #[test]
    fn string_ranges_are_where_the_characters_begin() {
        let pieces = [
            "a",
            "é",
            "😀",
            "\\\"",
            "\\n",
            "\\u00e9",
            "\\ud83d\\ude00",
            "\\\\",
            "x",
        ];
        for first in pieces {
            for second in pieces {
                for third in pieces {
                    let parts = [first, second, third];
                    let literal = format!("\"{}\"", parts.concat());
                    // Where each piece (one decoded character) begins, and
                    // the closing quote.
                    let mut begins = vec![1];
                    for part in parts {
                        begins.push(begins.last().unwrap() + part.len());
                    }
                    for start in 0..=4 {
                        for end in start..=4 {
                            let r = string_range_in_literal(&literal, 0..literal.len(), start..end);
                            let expected = begins[start.min(3)]..begins[end.min(3)];
                            assert_eq!(r, expected, "{literal} {start}..{end}");
                        }
                    }
                }
            }
        }
        // A literal cut in an escape: past its last whole character, the
        // closing quote's place.
        let text = r#""ab\u00""#;
        assert_eq!(string_range_in_literal(text, 0..text.len(), 1..9), 2..7);
    }
}
