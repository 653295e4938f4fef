//! Placeholders in template text: `{{1}}` (positional) and `{{first_name}}`
//! (named), with their character ranges.

use std::fmt;
use std::ops::Range;

/// What a placeholder is called: its number or its name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Key {
    /// `{{1}}`.
    Number(u32),
    /// `{{first_name}}`.
    Name(String),
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Key::Number(n) => write!(f, "{{{{{n}}}}}"),
            Key::Name(s) => write!(f, "{{{{{s}}}}}"),
        }
    }
}

/// One placeholder where it stands in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placeholder {
    /// Its number or name.
    pub key: Key,
    /// Its characters in the text, braces included.
    pub range: Range<usize>,
}

/// Every placeholder of `text`, in order. `{{ 1 }}` is read as `{{1}}`; text
/// between braces that is neither a number nor a name (`{{}}`, `{{a b}}`)
/// is not a placeholder.
pub fn placeholders(text: &str) -> Vec<Placeholder> {
    let mut out = Vec::new();
    let mut rest = text;
    let mut consumed_bytes = 0;
    while let Some(open) = rest.find("{{") {
        let after = &rest[open + 2..];
        let Some(close) = after.find("}}") else { break };
        let inner = after[..close].trim();
        let start_byte = consumed_bytes + open;
        let end_byte = start_byte + 2 + close + 2;
        let key = if !inner.is_empty() && inner.bytes().all(|b| b.is_ascii_digit()) {
            inner.parse().ok().map(Key::Number)
        } else if !inner.is_empty()
            && inner
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
        {
            Some(Key::Name(inner.to_string()))
        } else {
            None
        };
        match key {
            Some(key) => {
                let start = text[..start_byte].chars().count();
                let len = text[start_byte..end_byte].chars().count();
                out.push(Placeholder {
                    key,
                    range: start..start + len,
                });
                consumed_bytes = end_byte;
                rest = &text[end_byte..];
            }
            None => {
                consumed_bytes = start_byte + 1;
                rest = &text[start_byte + 1..];
            }
        }
    }
    out
}

/// The distinct keys of `placeholders`, in order of first appearance.
pub fn distinct(placeholders: &[Placeholder]) -> Vec<Key> {
    let mut out: Vec<Key> = Vec::new();
    for p in placeholders {
        if !out.contains(&p.key) {
            out.push(p.key.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_numbers_and_names_with_character_ranges() {
        let p = placeholders("Halo {{1}}, tagihan Rp {{2}} – {{ 3 }} {{nama_depan}}");
        let keys: Vec<String> = p.iter().map(|p| p.key.to_string()).collect();
        assert_eq!(keys, ["{{1}}", "{{2}}", "{{3}}", "{{nama_depan}}"]);
        assert_eq!(p[0].range, 5..10);
        assert_eq!(p[2].range, 31..38);
    }

    #[test]
    fn text_that_is_not_a_placeholder() {
        assert!(placeholders("{{}} {{a b}} {{ {1} }} }} {{").is_empty());
        assert_eq!(placeholders("{{{1}}}").len(), 1);
        assert_eq!(distinct(&placeholders("{{1}} {{2}} {{1}}")).len(), 2);
    }
}
