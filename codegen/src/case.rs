//! Turning schema names into Rust identifiers.
//!
//! One place decides how a property, a `$defs` key, a title or an enum value
//! becomes an identifier, so the naming test fixture exercises all of it.
//! Collisions between names are resolved by the caller (`names.rs`); this
//! module only makes single names readable and legal.

/// Rust keywords (strict and reserved, all editions) that need `r#` or a suffix.
const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

/// Keywords that cannot be raw identifiers (`r#self` is not allowed).
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// True if `s` is a Rust keyword.
pub fn is_keyword(s: &str) -> bool {
    KEYWORDS.contains(&s)
}

/// Splits a name into lowercase words at separators, case changes and
/// letter/digit changes that start a new word (`sendingMode` → `sending`,
/// `mode`; `HTTPServer` → `http`, `server`; `Qiscus-App-Id` → `qiscus`, `app`, `id`).
pub fn words(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = s.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_alphanumeric() {
            let prev = if i > 0 {
                chars.get(i - 1).copied()
            } else {
                None
            };
            let next = chars.get(i + 1).copied();
            let boundary = match prev {
                Some(p) if p.is_ascii_alphanumeric() => {
                    (p.is_ascii_lowercase() && c.is_ascii_uppercase())
                        || (p.is_ascii_uppercase()
                            && c.is_ascii_uppercase()
                            && next.is_some_and(|n| n.is_ascii_lowercase()))
                        || (p.is_ascii_digit() && c.is_ascii_uppercase())
                }
                _ => false,
            };
            if boundary && !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            cur.push(c.to_ascii_lowercase());
        } else {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            if !c.is_ascii() {
                // Non-ASCII letters become their code point so the name stays
                // ASCII and distinct (`é` → `u00e9`).
                out.push(format!("u{:04x}", c as u32));
            }
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn capitalize(w: &str) -> String {
    let mut c = w.chars();
    match c.next() {
        Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
        None => String::new(),
    }
}

/// English words for a number, for enum values such as `"1"` (`One`).
pub fn number_words(n: u64) -> String {
    const SMALL: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 10] = [
        "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    if n < 20 {
        return SMALL.get(n as usize).copied().unwrap_or("zero").to_string();
    }
    if n < 100 {
        let t = TENS.get((n / 10) as usize).copied().unwrap_or("");
        return if n.is_multiple_of(10) {
            t.to_string()
        } else {
            format!("{t} {}", number_words(n % 10))
        };
    }
    if n < 1000 {
        let rest = n % 100;
        let head = format!("{} hundred", number_words(n / 100));
        return if rest == 0 {
            head
        } else {
            format!("{head} {}", number_words(rest))
        };
    }
    // Large numbers: digit by digit stays readable and unique.
    n.to_string()
        .chars()
        .map(|d| number_words(u64::from(d.to_digit(10).unwrap_or(0))))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Replaces a leading run of digits with its English words, since an
/// identifier cannot start with a digit (`1st` → `one`, `st`).
fn fix_leading_digits(words: Vec<String>) -> Vec<String> {
    let mut words = words;
    if let Some(first) = words.first().cloned() {
        let digits: String = first.chars().take_while(char::is_ascii_digit).collect();
        if !digits.is_empty() {
            let rest = &first[digits.len()..];
            let spoken = match digits.parse::<u64>() {
                Ok(n) => number_words(n),
                Err(_) => digits
                    .chars()
                    .map(|d| number_words(u64::from(d.to_digit(10).unwrap_or(0))))
                    .collect::<Vec<_>>()
                    .join(" "),
            };
            let mut new: Vec<String> = spoken.split(' ').map(str::to_string).collect();
            if !rest.is_empty() {
                new.push(rest.to_string());
            }
            words.splice(0..1, new);
        }
    }
    words
}

/// `PascalCase` for type and variant names; empty input gives `Empty`.
pub fn pascal(s: &str) -> String {
    let w = fix_leading_digits(words(s));
    if w.is_empty() {
        return "Empty".to_string();
    }
    let out: String = w.iter().map(|w| capitalize(w)).collect();
    if NOT_RAW.contains(&out.as_str()) || is_keyword(&out) {
        format!("{out}_")
    } else {
        out
    }
}

/// `snake_case` for field and module names; empty input gives `field`.
pub fn snake(s: &str) -> String {
    let w = fix_leading_digits(words(s));
    if w.is_empty() {
        return "field".to_string();
    }
    w.join("_")
}

/// A readable, unique-per-input spelling of a value that has no letters
/// (`"-"` → `Dash`, `"1.5"` → `OneDotFive`): every character is named.
pub fn spelled_out(s: &str) -> String {
    if s.is_empty() {
        return "Empty".to_string();
    }
    let mut out = String::new();
    let mut letters = String::new();
    let flush = |letters: &mut String, out: &mut String| {
        if !letters.is_empty() {
            out.push_str(&capitalize(letters));
            letters.clear();
        }
    };
    for c in s.chars() {
        if c.is_ascii_alphabetic() {
            letters.push(c);
            continue;
        }
        flush(&mut letters, &mut out);
        let word = match c {
            '0'..='9' => capitalize(&number_words(u64::from(c.to_digit(10).unwrap_or(0)))),
            '-' => "Dash".into(),
            '_' => "Underscore".into(),
            '.' => "Dot".into(),
            ' ' => "Space".into(),
            '+' => "Plus".into(),
            '/' => "Slash".into(),
            ':' => "Colon".into(),
            '@' => "At".into(),
            '#' => "Hash".into(),
            '*' => "Star".into(),
            ',' => "Comma".into(),
            other => format!("U{:04X}", other as u32),
        };
        out.push_str(&word);
    }
    flush(&mut letters, &mut out);
    out
}

/// Makes a field or module name legal: keywords become raw identifiers
/// (`type` → `r#type`), the few that cannot be raw get a trailing underscore.
pub fn field_ident(snake_name: &str) -> proc_macro2::Ident {
    if NOT_RAW.contains(&snake_name) {
        proc_macro2::Ident::new(&format!("{snake_name}_"), proc_macro2::Span::call_site())
    } else if is_keyword(snake_name) {
        proc_macro2::Ident::new_raw(snake_name, proc_macro2::Span::call_site())
    } else {
        proc_macro2::Ident::new(snake_name, proc_macro2::Span::call_site())
    }
}

/// An identifier for an already-legal type or variant name.
pub fn type_ident(name: &str) -> proc_macro2::Ident {
    proc_macro2::Ident::new(name, proc_macro2::Span::call_site())
}

/// The name style of a raw name, used to tell apart names that differ only
/// in case or separators (`sendingMode` vs `sending_mode`).
pub fn style_suffix(raw: &str) -> &'static str {
    let has_upper = raw.chars().any(|c| c.is_ascii_uppercase());
    let has_lower = raw.chars().any(|c| c.is_ascii_lowercase());
    let first_upper = raw.chars().next().is_some_and(|c| c.is_ascii_uppercase());
    if raw.contains('-') {
        if has_upper { "header" } else { "kebab" }
    } else if raw.contains('.') {
        "dotted"
    } else if raw.contains(' ') {
        "spaced"
    } else if has_upper && !has_lower {
        "upper"
    } else if first_upper {
        "pascal"
    } else if has_upper {
        "camel"
    } else if raw.contains('_') {
        "snake"
    } else {
        "lower"
    }
}

/// An injective fallback: every character that `snake` would lose is kept
/// as its code point, so two different raw names never meet here.
pub fn exact_snake(raw: &str) -> String {
    let mut out = String::new();
    for c in raw.chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if c.is_ascii_uppercase() {
            out.push_str(&format!("_{}", c.to_ascii_lowercase()));
            out.push('_');
        } else {
            out.push_str(&format!("_x{:x}_", c as u32));
        }
    }
    let out = out.trim_matches('_').replace("__", "_");
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        format!("field_{out}")
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases() {
        assert_eq!(pascal("sendingMode"), "SendingMode");
        assert_eq!(pascal("Qiscus-App-Id"), "QiscusAppId");
        assert_eq!(pascal("en-US"), "EnUs");
        assert_eq!(pascal("1"), "One");
        assert_eq!(pascal("self"), "Self_");
        assert_eq!(pascal("HTTPServer"), "HttpServer");
        assert_eq!(snake("sendingMode"), "sending_mode");
        assert_eq!(snake("Qiscus-App-Id"), "qiscus_app_id");
        assert_eq!(snake("ref_id"), "ref_id");
        assert_eq!(snake("3dolphins"), "three_dolphins");
        assert_eq!(snake("WhatsAppTemplate"), "whats_app_template");
        assert_eq!(spelled_out("-"), "Dash");
        assert_eq!(number_words(42), "forty two");
        assert_ne!(exact_snake("a-b"), exact_snake("a_b"));
    }
}
