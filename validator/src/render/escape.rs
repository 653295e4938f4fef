//! Nothing a payload holds may drive the terminal that shows a report.
//!
//! Keys, values, file names and the source lines of broken files can hold
//! control characters: ESC starts a terminal escape sequence (clear the screen,
//! set the window title, rewrite earlier lines of a CI log), and bidirectional
//! overrides make text read differently from what it is. Every human-readable
//! format prints such a character as a visible escape (`\u{1b}`); JSON and SARIF
//! print it as a JSON escape (`\u001b`), so the document stays valid and decodes
//! to the original text.

use std::borrow::Cow;
use std::io;

/// True for a character no report prints as it is: C0 controls, DEL, C1
/// controls, and the bidirectional embeddings, overrides, isolates and marks
/// (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C), plus the line and
/// paragraph separators U+2028 and U+2029.
pub fn is_unsafe(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}'
        | '\u{7f}'..='\u{9f}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}'
        | '\u{200e}' | '\u{200f}' | '\u{61c}'
        | '\u{2028}' | '\u{2029}')
}

/// `text` with every [`is_unsafe`] character written as a visible escape
/// (`\u{1b}`); borrowed when there is none.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push_escaped(&mut out, c);
    }
    Cow::Owned(out)
}

/// Appends `c`, escaped when it is unsafe; returns how many columns it takes.
pub(crate) fn push_escaped(out: &mut String, c: char) -> usize {
    if is_unsafe(c) {
        let before = out.len();
        out.push_str(&format!("\\u{{{:x}}}", c as u32));
        out.len() - before
    } else {
        out.push(c);
        unicode_width::UnicodeWidthChar::width(c).unwrap_or(1)
    }
}

/// A serde_json formatter that also escapes DEL, C1 controls, the
/// bidirectional controls and U+2028/U+2029 (serde_json escapes only C0),
/// delegating everything else to `F` (compact or pretty).
pub(crate) struct SafeFormatter<F>(pub F);

/// The bytes that may begin an unsafe character (one load a byte, not five
/// comparisons: strings are most of what a SARIF log writes).
static UNSAFE_LEAD: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = b < 0x20 || matches!(b, 0x7f | 0xc2 | 0xd8 | 0xe2);
        b += 1;
    }
    table
};

impl<F: serde_json::ser::Formatter> serde_json::ser::Formatter for SafeFormatter<F> {
    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let bytes = fragment.as_bytes();
        let mut start = 0;
        // Only these bytes begin an unsafe character (C0 and DEL; C1 is
        // 0xC2 0x80–0x9F, U+061C is 0xD8 0x9C, the rest 0xE2 0x80/0x81 …):
        // everything between them is copied as it is.
        for (i, &b) in bytes.iter().enumerate() {
            if !UNSAFE_LEAD[usize::from(b)] {
                continue;
            }
            let Some(c) = fragment.get(i..).and_then(|rest| rest.chars().next()) else {
                continue;
            };
            if is_unsafe(c) {
                writer.write_all(&bytes[start..i])?;
                write!(writer, "\\u{:04x}", c as u32)?;
                start = i + c.len_utf8();
            }
        }
        writer.write_all(&bytes[start..])
    }
    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

/// `value` as pretty JSON (two-space indent) with [`SafeFormatter`]'s escapes,
/// every line after the first indented by `depth` more levels, so it can be
/// written inside a document being streamed.
pub(crate) fn pretty_json(value: &impl serde::Serialize, depth: usize) -> String {
    let mut buf = Vec::with_capacity(256);
    let formatter = SafeFormatter(serde_json::ser::PrettyFormatter::with_indent(b"  "));
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, formatter);
    // Serializing a JSON value or a plain struct into memory cannot fail.
    let _ = value.serialize(&mut ser);
    let text = String::from_utf8(buf).unwrap_or_default();
    if depth == 0 {
        return text;
    }
    let pad = "  ".repeat(depth);
    text.replace('\n', &format!("\n{pad}"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    #[test]
    fn every_control_class_is_escaped_visibly() {
        assert_eq!(escape_controls("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(escape_controls("bel\u{7}"), "bel\\u{7}");
        assert_eq!(escape_controls("del\u{7f}"), "del\\u{7f}");
        assert_eq!(escape_controls("csi\u{9b}"), "csi\\u{9b}");
        assert_eq!(escape_controls("rlo\u{202e}x"), "rlo\\u{202e}x");
        assert_eq!(escape_controls("iso\u{2066}x"), "iso\\u{2066}x");
        assert_eq!(escape_controls("nl\nx"), "nl\\u{a}x");
        assert!(matches!(
            escape_controls("Kak Siti 🎉 [OTP]"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn json_escapes_what_serde_json_leaves_raw() {
        let v = serde_json::json!({"m": "a\u{1b}b\u{7f}c\u{85}d\u{202e}e\u{2028}"});
        let text = pretty_json(&v, 0);
        for raw in ['\u{1b}', '\u{7f}', '\u{85}', '\u{202e}', '\u{2028}'] {
            assert!(!text.contains(raw), "{text:?}");
        }
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn json_escapes_every_unsafe_character_and_only_those() {
        // Every character up to U+3000 and some beyond, between safe text
        // (ASCII, Indonesian, emoji, and the lead bytes' harmless cousins
        // such as U+00A0, U+0600 and U+2019), escaped exactly when unsafe.
        let chars = (0..0x3000u32)
            .chain([0x1f389, 0xfeff, 0x10ffff])
            .filter_map(char::from_u32);
        for c in chars {
            let text = format!("[OTP] Kak Siti \u{a0}\u{2019}{c}🎉 é\u{600}");
            let out = pretty_json(&serde_json::Value::String(text.clone()), 0);
            if c != '"' && c != '\\' {
                assert_eq!(out.contains(c), !is_unsafe(c), "{c:?}: {out}");
            }
            let back: serde_json::Value = serde_json::from_str(&out).unwrap();
            assert_eq!(back, serde_json::Value::String(text), "{c:?}");
        }
    }
}
