//! Secrets never reach output.
//!
//! A value is secret when its schema node says `x-secret: true`, or when a key
//! on its path names a secret (`signature`, `password`, `secret_key`,
//! `webhookkey`, tokens; misspellings one edit away too). Messages never quote
//! such values; printed source lines are masked with a [`SecretMask`].
//!
//! Two masks, for two kinds of text:
//! - a payload that parsed: the exact byte ranges of its secret values (from
//!   the span-preserving parse), plus a quote-aware pass over each printed line;
//! - a payload that did not parse: its quotes may be misaligned from the point
//!   where parsing stopped, and a key may stand on one line and its value on
//!   the next. The lexical mask finds every secret-looking word anywhere in the
//!   text and hides everything from the value that follows it (across line
//!   breaks, colons and stray quotes) to the end of that value's line. It hides
//!   more than it must; it never shows a secret.

use std::ops::Range;

/// The needles a squashed (lowercase, alphanumeric only) key is searched for.
const NEEDLES: &[&str] = &[
    "signature",
    "password",
    "passwd",
    "secret",
    "token",
    "apikey",
    "webhookkey",
    "privatekey",
    "authorization",
    "credential",
];

/// True when a key name looks like it holds a secret: it contains one of the
/// secret words, or is one edit (a typo, a swap) away from one
/// (`signatur`, `pasword`, `secert`).
pub fn is_secret_key(name: &str) -> bool {
    // Lowercased, separators dropped, in a stack buffer: this runs for many keys.
    let mut buf = [0u8; 64];
    let mut n = 0;
    for b in name.bytes().filter(u8::is_ascii_alphanumeric) {
        if n == buf.len() {
            break;
        }
        buf[n] = b.to_ascii_lowercase();
        n += 1;
    }
    let squashed = &buf[..n];
    // One pass over the key: only where a needle's first letter stands are
    // the needles compared (this runs for every key of every payload).
    let contains = (0..n).any(|i| {
        FIRST_BYTES[usize::from(squashed[i])]
            && NEEDLES.iter().any(|needle| {
                let needle = needle.as_bytes();
                needle[0] == squashed[i] && squashed[i..].starts_with(needle)
            })
    });
    contains
        || NEEDLES.iter().any(|needle| {
            let needle = needle.as_bytes();
            needle.len() >= 6
                && squashed.len().abs_diff(needle.len()) <= 1
                && one_edit_apart(squashed, needle)
        })
}

/// The bytes some needle starts with.
const FIRST_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    while i < NEEDLES.len() {
        table[NEEDLES[i].as_bytes()[0] as usize] = true;
        i += 1;
    }
    table
};

/// Damerau-Levenshtein distance at most 1 (one insertion, deletion,
/// substitution or swap of neighbours), without allocating.
fn one_edit_apart(a: &[u8], b: &[u8]) -> bool {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[prefix..], &b[prefix..]);
    match (a.len(), b.len()) {
        (0, 0) => true,
        (x, y) if x == y => {
            a[1..] == b[1..] || (x >= 2 && a[0] == b[1] && a[1] == b[0] && a[2..] == b[2..])
        }
        (x, y) if x == y + 1 => a[1..] == *b,
        (x, y) if x + 1 == y => *a == b[1..],
        _ => false,
    }
}

/// True when the value at `pointer` is secret: at or below a pointer the
/// schema marks `x-secret`, or below a key that names a secret.
pub fn is_secret_pointer(pointer: &str, schema_secrets: &[String]) -> bool {
    schema_secrets.iter().any(|s| {
        pointer == s || (pointer.starts_with(s.as_str()) && pointer[s.len()..].starts_with('/'))
    }) || pointer.split('/').skip(1).any(is_secret_key)
}

/// Replaces every character with `•` (same character count).
pub fn mask(text: &str) -> String {
    "•".repeat(text.chars().count())
}

/// The parts of one payload's text that must never be printed: sorted,
/// disjoint byte ranges.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SecretMask {
    ranges: Vec<Range<usize>>,
}

impl SecretMask {
    /// A mask of the given byte ranges of the text. A range that covers a
    /// string literal with its quotes masks what is between them.
    pub fn from_ranges(text: &str, ranges: impl IntoIterator<Item = Range<usize>>) -> Self {
        let bytes = text.as_bytes();
        let inner = ranges.into_iter().map(|r| {
            let quoted = r.end >= r.start + 2
                && bytes.get(r.start) == Some(&b'"')
                && bytes.get(r.end - 1) == Some(&b'"');
            if quoted { r.start + 1..r.end - 1 } else { r }
        });
        Self::normalized(inner.collect())
    }

    /// The conservative mask of a text that did not parse. Every
    /// secret-looking string counts as a key (in a broken text anything may
    /// stand between a key and its value), and so does a secret-looking bare word (quotes misaligned
    /// after the point where parsing stopped). What follows a key, past
    /// quotes, colons, `=` and line breaks, is hidden to the end of its line,
    /// and further lines with it while its string is left open (a raw line
    /// break inside the value) or until a line begins the next member or
    /// closes the container ([`begins_member`]): a line that goes on with
    /// bare text or a stray string may be the rest of a value cut by a stray
    /// quote and a line break.
    ///
    /// Linear in the text: the scans after keys may read at most
    /// [`SCAN_BUDGET`] times the text's length in all (a megabyte line of
    /// secret keys would make them quadratic); past that, everything from
    /// the next key's value to the end of the text is hidden.
    pub fn lexical(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut ranges = Vec::new();
        let mut budget = SCAN_BUDGET * bytes.len() + 4096;
        let mut string: Option<usize> = None;
        let mut i = 0;
        while i < bytes.len() {
            if budget == 0 {
                break;
            }
            let b = bytes[i];
            match string {
                Some(start) => match b {
                    b'\\' if bytes.get(i + 1) != Some(&b'\n') => i += 2,
                    b'"' | b'\n' => {
                        // A raw line break ends a string, for this reading.
                        string = None;
                        let after = i + usize::from(b == b'"');
                        if looks_like_a_key(&text[start..i]) {
                            mask_value(bytes, after, &mut ranges, &mut budget);
                        }
                        i += 1;
                    }
                    _ => i += 1,
                },
                None if b == b'"' => {
                    string = Some(i + 1);
                    i += 1;
                }
                None if is_word_byte(b) => {
                    let start = i;
                    while i < bytes.len() && is_word_byte(bytes[i]) {
                        i += 1;
                    }
                    if looks_like_a_key(&text[start..i]) {
                        mask_value(bytes, i, &mut ranges, &mut budget);
                    }
                }
                None => i += 1,
            }
        }
        Self::normalized(ranges)
    }

    /// `text` (starting at byte `offset` of the text this mask was made for)
    /// with every masked character replaced by `•`; nothing else changed.
    pub fn apply(&self, offset: usize, text: &str) -> String {
        let line_start = offset;
        let line = text;
        let first = self.ranges.partition_point(|r| r.end <= line_start);
        let mut ranges = self.ranges[first..].iter().peekable();
        let mut out = String::with_capacity(line.len());
        for (i, ch) in line.char_indices() {
            let at = line_start + i;
            while ranges.peek().is_some_and(|r| r.end <= at) {
                ranges.next();
            }
            if ranges.peek().is_some_and(|r| r.start <= at) {
                out.push('•');
            } else {
                out.push(ch);
            }
        }
        out
    }

    fn normalized(mut ranges: Vec<Range<usize>>) -> Self {
        ranges.retain(|r| r.start < r.end);
        ranges.sort_by_key(|r| r.start);
        let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
        for r in ranges {
            match merged.last_mut() {
                Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                _ => merged.push(r),
            }
        }
        SecretMask { ranges: merged }
    }
}

/// A string or bare word of a broken text that may be a secret key: one
/// itself, or ending in one — a key whose opening quote was lost runs on
/// from the value before it, whatever that value was
/// (`"6281234567890signatur": …`, `"628121x345678signatur" "…"`,
/// `"Budi Santosopasword"`): its last letters, one edit at most from a
/// secret word of six letters or more.
fn looks_like_a_key(word: &str) -> bool {
    if is_secret_key(word) {
        return true;
    }
    // The last 32 letters and digits, lowercased, in a stack buffer.
    let mut buf = [0u8; 32];
    let mut n = 0;
    for b in word.bytes().rev().filter(u8::is_ascii_alphanumeric) {
        if n == buf.len() {
            break;
        }
        buf[buf.len() - 1 - n] = b.to_ascii_lowercase();
        n += 1;
    }
    let tail = &buf[buf.len() - n..];
    NEEDLES.iter().any(|needle| {
        let needle = needle.as_bytes();
        needle.len() >= 6
            && (needle.len() - 1..=needle.len() + 1)
                .any(|len| len <= tail.len() && one_edit_apart(&tail[tail.len() - len..], needle))
    })
}

fn end_of_line(bytes: &[u8], from: usize) -> usize {
    bytes[from.min(bytes.len())..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |p| from + p)
}

/// How many times its length the lexical mask may read a text in all:
/// see [`SecretMask::lexical`].
const SCAN_BUDGET: usize = 16;

/// Hides the value after a key that ends at `from`: see
/// [`SecretMask::lexical`]. Each byte it reads is taken from `budget`; when
/// that runs out, everything from the value to the end of the text is hidden
/// and `budget` is left at 0.
fn mask_value(bytes: &[u8], from: usize, ranges: &mut Vec<Range<usize>>, budget: &mut usize) {
    let mut spend = |n: usize| {
        *budget = budget.saturating_sub(n);
        *budget > 0
    };
    // Past quotes, colons, `=`, line breaks and any other punctuation a
    // broken text may hold between a key and its value (`:-`, `: ,`), to
    // where a value can start: a word, a bracket, a non-ASCII character.
    let mut v = from;
    while v < bytes.len()
        && !(bytes[v].is_ascii_alphanumeric() || matches!(bytes[v], b'_' | b'[' | b'{' | 0x80..))
    {
        v += 1;
    }
    // An array or object under a secret key: all of it, to the end of the
    // line its closing bracket is on (to the end of the text when it has
    // none: a stray quote or bracket inside a secret can close it early,
    // and what follows on that line may be more of the secret).
    let bracketed = matches!(bytes.get(v), Some(b'[' | b'{'));
    let eol = if bracketed {
        end_of_line(bytes, bracket_end(bytes, v).saturating_sub(1))
    } else {
        end_of_line(bytes, v)
    };
    if !spend(eol - from.min(eol) + 1) {
        ranges.push(v.min(bytes.len())..bytes.len());
        return;
    }
    if v < eol {
        ranges.push(v..eol);
    }
    // The value's string is left open at the end of its line when it began
    // just after a quote, or when an odd number of quotes stands between
    // the key and the value (`"signature": "}…`: a stray character after
    // the opening quote), and its line has no other.
    let opened = bytes.get(v.wrapping_sub(1)) == Some(&b'"')
        || quotes(&bytes[from.min(v)..v.min(bytes.len())]) % 2 == 1;
    let mut open = !bracketed && opened && !has_quote(&bytes[v.min(eol)..eol]);
    let mut at = eol;
    while at < bytes.len() {
        let next = at + 1;
        let end = end_of_line(bytes, next);
        let line = &bytes[next..end];
        if !spend(line.len() + 1) {
            ranges.push(v.min(bytes.len())..bytes.len());
            return;
        }
        if !open && begins_member(line) {
            break;
        }
        ranges.push(next..end);
        open = open && !has_quote(line);
        at = end;
    }
}

/// True when a line of broken text begins what is plainly the next member
/// or the end of the value's container: a key and its colon (`"time": …`,
/// `, "time": …`, `time: …`) or a closing bracket followed by nothing but
/// closing brackets and commas. Anything else after a secret's line — bare
/// text, a stray string (`", {"x": …`), a bracket — may be more of the
/// secret: a raw line break or a stray quote inside it put it there.
fn begins_member(line: &[u8]) -> bool {
    let rest = line.trim_ascii();
    let rest = rest
        .strip_prefix(b",")
        .map_or(rest, <[u8]>::trim_ascii_start);
    if rest.first().is_some_and(|b| matches!(b, b'}' | b']')) {
        return rest
            .iter()
            .all(|b| matches!(b, b'}' | b']' | b',') || b.is_ascii_whitespace());
    }
    let after_key = if let Some(quoted) = rest.strip_prefix(b"\"") {
        match quoted.iter().position(|&b| b == b'"') {
            Some(close) if !quoted[..close].contains(&b'\\') => &quoted[close + 1..],
            _ => return false,
        }
    } else {
        let word = rest.iter().take_while(|&&b| is_word_byte(b)).count();
        if word == 0 {
            return false;
        }
        &rest[word..]
    };
    after_key.trim_ascii_start().starts_with(b":")
}

/// Where the array or object opening at `from` ends (just past its closing
/// bracket), brackets inside strings not counted; a raw line break ends a
/// string, as [`SecretMask::lexical`] reads it. The text's end when it does not close.
fn bracket_end(bytes: &[u8], from: usize) -> usize {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut i = from;
    while i < bytes.len() {
        match (in_string, bytes[i]) {
            (true, b'\\') => i += 1,
            (true, b'"' | b'\n') => in_string = false,
            (false, b'"') => in_string = true,
            (false, b'[' | b'{') => depth += 1,
            (false, b']' | b'}') => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

/// True when a piece of text that starts inside a string holds an unescaped
/// `"` (which closes it, or is a stray quote).
/// The quotes of `piece` not escaped by a backslash.
fn quotes(piece: &[u8]) -> usize {
    let mut n = 0;
    let mut i = 0;
    while i < piece.len() {
        match piece[i] {
            b'\\' => i += 2,
            b'"' => {
                n += 1;
                i += 1;
            }
            _ => i += 1,
        }
    }
    n
}

fn has_quote(piece: &[u8]) -> bool {
    let mut i = 0;
    while i < piece.len() {
        match piece[i] {
            b'\\' => i += 2,
            b'"' => return true,
            _ => i += 1,
        }
    }
    false
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// Masks, in one line of source text, every string literal that follows a
/// secret-looking key (`"signature": "…"`). Each character of the value
/// becomes `•`, so columns after it stay true. A value left open on the line
/// hides the rest of the line.
pub fn mask_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(start) = rest.find('"') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let Some(end) = find_string_end(after) else {
            out.push_str(&rest[start..]);
            return out;
        };
        let key = &after[..end];
        out.push('"');
        out.push_str(key);
        out.push('"');
        rest = &after[end + 1..];
        if is_secret_key(key) {
            let trimmed = rest.trim_start();
            if let Some(colon_rest) = trimmed.strip_prefix(':') {
                let value_part = colon_rest.trim_start();
                if let Some(v) = value_part.strip_prefix('"') {
                    let consumed = rest.len() - value_part.len();
                    out.push_str(&rest[..consumed]);
                    out.push('"');
                    if let Some(vend) = find_string_end(v) {
                        out.push_str(&mask(&v[..vend]));
                        out.push('"');
                        rest = &v[vend + 1..];
                        continue;
                    }
                    out.push_str(&mask(v));
                    return out;
                }
            }
        }
    }
    out.push_str(rest);
    out
}

fn find_string_end(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return Some(i),
            _ => i += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_secret_values_only() {
        let line =
            r#"  "signature": "9f2c\"ab", "username": "budi", "Qiscus-Secret-Key": "s3cr3t""#;
        let masked = mask_line(line);
        assert!(!masked.contains("9f2c"));
        assert!(!masked.contains("s3cr3t"));
        assert!(masked.contains("\"budi\""));
        assert_eq!(mask_line(r#""password": "abc"#), r#""password": "•••"#);
        assert_eq!(masked.chars().count(), line.chars().count());
    }

    #[test]
    fn secret_names() {
        assert!(is_secret_key("signature"));
        assert!(is_secret_key("Qiscus-Secret-Key"));
        assert!(is_secret_key("webhookkey"));
        assert!(is_secret_key("Authorization"));
        assert!(!is_secret_key("key"));
        assert!(!is_secret_key("template_id"));
        assert!(!is_secret_key("section"));
        assert!(!is_secret_key("taken"));
    }

    /// The first-letter pass finds every needle wherever it stands, as the
    /// plain substring search it replaces did.
    #[test]
    fn every_needle_is_found_at_every_position() {
        let naive = |name: &str| {
            let squashed: String = name
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .map(|c| c.to_ascii_lowercase())
                .collect();
            NEEDLES.iter().any(|n| squashed.contains(n))
        };
        for needle in NEEDLES {
            for (before, after) in [
                ("", ""),
                ("x_", ""),
                ("", "_v2"),
                ("Sandeza-", "-Value"),
                ("ss", "s"),
            ] {
                let name = format!("{before}{}{after}", needle.to_uppercase());
                assert!(is_secret_key(&name), "{name}");
                assert!(naive(&name), "{name}");
            }
        }
        for other in [
            "nohp",
            "pesan",
            "type",
            "messageType",
            "to",
            "username",
            "sender",
            "scheduled_time",
            "x",
        ] {
            assert_eq!(is_secret_key(other), naive(other), "{other}");
        }
    }

    #[test]
    fn misspelt_secret_names_are_secret() {
        for typo in [
            "signatur",
            "sigature",
            "signaure",
            "pasword",
            "passowrd",
            "secert",
            "singature",
        ] {
            assert!(is_secret_key(typo), "{typo}");
        }
        for other in [
            "signal",
            "passport",
            "sender_id",
            "message",
            "template",
            "nohp",
        ] {
            assert!(!is_secret_key(other), "{other}");
        }
    }

    #[test]
    fn secret_pointers_cover_what_is_below_a_secret() {
        assert!(is_secret_pointer("/signature", &[]));
        assert!(is_secret_pointer("/signature/0", &[]));
        assert!(is_secret_pointer("/auth/password/x", &[]));
        assert!(is_secret_pointer("/a/b", &["/a".to_string()]));
        assert!(!is_secret_pointer("/ab", &["/a".to_string()]));
        assert!(!is_secret_pointer("/ref_id", &[]));
    }

    fn shown(text: &str, mask: &SecretMask) -> String {
        let mut out = String::new();
        let mut start = 0;
        for line in text.split_inclusive('\n') {
            out.push_str(&mask.apply(start, line));
            start += line.len();
        }
        out
    }

    #[test]
    fn the_lexical_mask_covers_broken_text() {
        // The three cases found by fuzzing the command line: misaligned quotes
        // after the parse stopped, key and value on different lines.
        for text in [
            "{\"time\": -\"a\"signature\": \"SECRETVALUE123\"}",
            "{\"signature\"\n: \"SECRETVALUE123\", \"time\": -1x}",
            "{\"signature\":\n\"SECRETVALUE123\" \"time\": 1}",
            "{\"signature\":\n\n   SECRETVALUE123}",
            "{'password'='SECRETVALUE123'",
        ] {
            let out = shown(text, &SecretMask::lexical(text));
            assert!(!out.contains("SECRET"), "{text:?} shown as {out:?}");
            assert_eq!(out.chars().count(), text.chars().count());
        }
        let text = "{\"ref_id\": \"abc\",\n \"username\": \"budi\"";
        assert_eq!(shown(text, &SecretMask::lexical(text)), text);
    }

    #[test]
    fn the_lexical_mask_covers_an_array_or_object_under_a_secret_key() {
        // Found by the `render` fuzz target: a secret key's value is an
        // array whose string is lines below the key, and the text breaks
        // after it.
        for text in [
            "{\n  \"Qiscus-Secret-Key\":[\n\n\n \"QQVQV-QKWZZJZJZVQW\"]\",\n  \"broadcast_job_id\": 12\n}",
            "{\"signature\": {\n \"value\": \"QQVQVQKWZZ\",\n \"nested\": [\"QQVQVQKWZZ\"]\n }, \"x\": -}",
            "{\"password\": [\"a]b\",\n\"QQVQVQKWZZ\"\n",
            "{\"token\": [[],\n[\"QQVQVQKWZZ\"]]\n \"x\" 1}",
        ] {
            let out = shown(text, &SecretMask::lexical(text));
            assert!(!out.contains("QQVQ"), "{text:?} shown as {out:?}");
            assert_eq!(out.chars().count(), text.chars().count());
        }
        // Found by the `render` fuzz target: a key that lost its opening
        // quote, run on from the phone number before it.
        let text =
            "{\"phone_number\"-: \"6281234567890signatur\"KKZZKKW\\nJJQQJJZZKKZZKKW\", \"x\": {}}";
        let out = shown(text, &SecretMask::lexical(text));
        assert!(!out.contains("JJQQ") && !out.contains("KKZZ"), "{out:?}");
        // Found by the `render` fuzz target: the same, after a value that is
        // not all digits; and the class: whatever the value was.
        for text in [
            "{\"phone_number\": \"628121x345678signatur\" \"JWVJKVQVKQJKVJZJV\", \"message\": {}}",
            "{\"nama\": \"Budi Santosopasword\" \"JWVJKVQVKQJKVJZJV\"}",
            "{\"ref\": \"INV/2026/11-sigature\": \"JWVJKVQVKQJKVJZJV\" x}",
        ] {
            let out = shown(text, &SecretMask::lexical(text));
            assert!(!out.contains("JWVJ"), "{text:?} shown as {out:?}");
        }
        // Found by the `render` fuzz target: the value's string opened with
        // a quote and a stray character (`"}…`), a raw line break in it,
        // and the next line of it like a key and its colon (`WV:…`); and
        // the class: any punctuation after the opening quote.
        for text in [
            "{\n  \"signature\"\r: \"}QJ1xQZK\nWV:QZK\\nQJQZKWVQZ,{{{{{{K\",\n  \"time\": \"1764\"}",
            "{\"password\": \"-:JWVJ\nJWVJKV: x\", \"x\": 1}",
            "{\"token\" :\" ,JWVJ\n\"JWVJKV\": 1}",
        ] {
            let out = shown(text, &SecretMask::lexical(text));
            assert!(
                !out.contains("QJQZ") && !out.contains("JWVJ"),
                "{text:?} shown as {out:?}"
            );
        }
        // A value that merely ends like a short secret word is no key.
        let text = "{\"pesan\": \"Kode broken\" \"ABCDEFGH\"";
        assert_eq!(shown(text, &SecretMask::lexical(text)), text);
        let text = "{\"no_hp\": \"0812 3456 password\nQQVQVQKWZZ\", \"nama\": \"Budi\"";
        let out = shown(text, &SecretMask::lexical(text));
        assert!(!out.contains("QQVQ"), "{out:?}");
        // Found by the `render` fuzz target: a stray `-` (or a comma) on the
        // colon's line, the value on the next.
        for text in [
            "\n{\n  \"signature\"\n:-\n \"WZVJJZWJQWJKK\",\n  \"tie\"\n \"1764133337[\",]\n",
            "{\"signature\": ,\n \"WZVJJZWJQWJKK\", \"time\": 1",
            "{\"password\" = +\n\n  WZVJJZWJQWJKK\n}",
        ] {
            let out = shown(text, &SecretMask::lexical(text));
            assert!(!out.contains("WZVJ"), "{text:?} shown as {out:?}");
        }
        // Found by the `render` fuzz target: a quote and bracket inside the
        // secret close its array early, and more of it follows on that line.
        let text = "{\n\"nohp\": \"628123-4567890\", \"password\": [\n\"KJZJKQWVWKW\"]\", {\"x\": \"KZJZJKQWVWKW\"]\"}]\r}";
        let out = shown(text, &SecretMask::lexical(text));
        assert!(!out.contains("KZJZ") && !out.contains("KJZJ"), "{out:?}");
        // Found by the `render` fuzz target: the same, with a line break
        // after the quote and bracket; and the class: whatever line follows
        // a secret's, up to the next member, may be more of it.
        for text in [
            "{\"nohp\": \"6281234567890\", \"password\": [\"JKVJKVJKKVJKVJK\"]\n\", {\"x\": \"JKVJKVJKKVJKVJK\"]\"}]}",
            "{\"signature\": \"JKVJ\"]\n\"JKVJ\"\n}",
            "{\"private_key\": \"-----BEGIN KEY-----\nJKVJKVJKKVJKVJK\n{JKVJ}\n-----END KEY-----\",\n\"time\": 1",
            "{\"password\": [\"a\"]\n[\"JKVJ\"]\n\n\"JKVJ\" 1}",
        ] {
            let out = shown(text, &SecretMask::lexical(text));
            assert!(!out.contains("JKVJ"), "{text:?} shown as {out:?}");
        }
        // The next member's line, however it is written, is shown again.
        for next in [
            "\"time\": \"1764133337\"",
            "  , \"time\": 1",
            "time: 1",
            "}",
            "  ]},",
        ] {
            let text = format!("{{\"signature\": \"QQVQVQKWZZ\" 1\n{next}\n");
            let out = shown(&text, &SecretMask::lexical(&text));
            assert!(!out.contains("QQVQ"), "{out:?}");
            assert!(out.contains(next), "{next:?} hidden: {out:?}");
        }
        // What follows the closed array's line is shown again.
        let text = "{\"token\": [\n\"QQVQVQKWZZ\"\n],\n\"nama\": \"Kak Siti [OTP]\", x}";
        let out = shown(text, &SecretMask::lexical(text));
        assert!(!out.contains("QQVQ"), "{out:?}");
        assert!(out.contains("\"nama\": \"Kak Siti [OTP]\""), "{out:?}");
    }

    #[test]
    fn the_lexical_mask_of_a_megabyte_line_of_secret_keys_is_linear() {
        // Found by the `mutated_examples` fuzz target: a signature repeated
        // on one line of a megabyte, each value running on into the next
        // key (`"…ffdignature": "…`), made every key's scan read to the end
        // of the line: 89 s for one payload. The scans now share a budget;
        // past it the rest of the text is hidden, which is never less.
        let piece = "\"signature\": \"7427ed0d779c79afd67ab886746b9cf7dcbb5fd979f7e61603459ffd";
        let text = format!("{{\n  {}\"\n}}", piece.repeat(14_000));
        let mask = SecretMask::lexical(&text);
        let out = shown(&text, &mask);
        assert!(!out.contains("7427"), "a secret shown");
        assert_eq!(out.chars().count(), text.chars().count());
        // The budget spent: the rest of the text is one range from the
        // first value on.
        assert_eq!(mask.ranges.len(), 1, "{:?}", &mask.ranges[..2]);
    }

    #[test]
    fn exact_ranges_mask_inside_the_quotes() {
        let text = r#"{"s": "abc", "t": 12}"#;
        let s = text.find("\"abc\"").unwrap_or(0);
        let t = text.find("12").unwrap_or(0);
        let mask = SecretMask::from_ranges(text, [s..s + 5, t..t + 2]);
        assert_eq!(mask.apply(0, text), r#"{"s": "•••", "t": ••}"#);
        // A line that starts inside a masked range.
        assert_eq!(mask.apply(s + 2, &text[s + 2..]), r#"••", "t": ••}"#);
    }
}
