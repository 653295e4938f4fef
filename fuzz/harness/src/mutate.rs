//! Bytes read as edits of a seed: the structure-aware targets' input. Each
//! edit is four bytes: what (`kind`), where (two bytes, a fraction of the
//! text's length) and with what (`arg`).

/// JSON tokens, multi-byte and control characters, and values that break
/// rules: what an edit inserts.
pub const TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ":",
    ",",
    "\"",
    "\\",
    "\\u00ad",
    "\\ud83c",
    "\\u0000",
    "1",
    "-1",
    "1e400",
    "0.5",
    "true",
    "null",
    " ",
    "\n",
    "\r\n",
    "\t",
    "\u{ad}",
    "é",
    "🎉",
    "\u{202e}",
    "\u{1b}[2J",
    "\u{feff}",
    "{{1}}",
    "{{nama}}",
    "//",
    "/*",
    "\"\":",
    "[]",
    "{}",
    "\"0812 3456 7890\"",
    "\"6281234567890\"",
    "\"https://tokobaju.co.id/a.jpg\"",
    "\"http://\"",
    "\"id\"",
    "\"APPROVED\"",
];

/// The schemas' keys and enum values (`fuzz/dict/schemas.dict`), each a
/// JSON string.
pub fn schema_words() -> &'static [String] {
    static WORDS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    WORDS.get_or_init(|| {
        include_str!("../../dict/schemas.dict")
            .lines()
            .filter_map(crate::dict::entry)
            .collect()
    })
}

/// Where an edit lands: a fraction of `len`, on a byte.
fn at(hi: u8, lo: u8, len: usize) -> usize {
    let f = (usize::from(hi) << 8) | usize::from(lo);
    (len * f) >> 16
}

/// `seed` with the edits of `ops` applied (at most 64; the text at most
/// 1 MiB).
pub fn apply(seed: &[u8], ops: &[u8]) -> Vec<u8> {
    let mut bytes = seed.to_vec();
    for op in ops.chunks_exact(4).take(64) {
        let (kind, hi, lo, arg) = (op[0], op[1], op[2], op[3]);
        let i = at(hi, lo, bytes.len());
        match kind % 9 {
            0 => bytes.insert(i, arg),
            1 => {
                let end = (i + usize::from(arg % 16) + 1).min(bytes.len());
                bytes.drain(i..end);
            }
            2 => {
                if let Some(b) = bytes.get_mut(i) {
                    *b = arg;
                }
            }
            3 => {
                let t = TOKENS[usize::from(arg) % TOKENS.len()];
                bytes.splice(i..i, t.bytes());
            }
            4 => {
                let words = schema_words();
                if !words.is_empty() {
                    let w = &words[usize::from(arg) % words.len()];
                    bytes.splice(i..i, w.bytes());
                }
            }
            5 => {
                // The bytes from here to the next `,` or `}`, repeated: long arrays, long strings.
                let end = bytes[i..]
                    .iter()
                    .position(|&b| b == b',' || b == b'}')
                    .map_or(bytes.len(), |p| i + p + 1);
                let piece = bytes[i..end].to_vec();
                for _ in 0..(usize::from(arg % 32) + 1) {
                    if bytes.len() + piece.len() > 1 << 20 {
                        break;
                    }
                    bytes.splice(end..end, piece.iter().copied());
                }
            }
            6 => bytes.truncate(i),
            7 => {
                // Replace a string value's content (from the quote after `i`) with a token.
                if let Some(q) = bytes[i..].iter().position(|&b| b == b'"') {
                    let start = i + q + 1;
                    let end = bytes[start..]
                        .iter()
                        .position(|&b| b == b'"')
                        .map_or(start, |p| start + p);
                    let t = TOKENS[usize::from(arg) % TOKENS.len()];
                    let t = t.trim_matches('"');
                    bytes.splice(start..end, t.bytes());
                }
            }
            _ => {
                // Swap two bytes.
                let j = at(arg, hi, bytes.len());
                if i < bytes.len() && j < bytes.len() {
                    bytes.swap(i, j);
                }
            }
        }
    }
    bytes
}
