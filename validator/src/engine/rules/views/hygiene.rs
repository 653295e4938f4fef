//! What the two hygiene rules look for in every string: a doc placeholder
//! left in (`unfilled-placeholder`), whitespace at an end
//! (`surrounding-whitespace`); and what a value's facts say about showing it.

use crate::engine::walk::Annotations;

/// Finds the first placeholder in `text`: its character range and what the
/// real value would be.
pub(crate) fn find_placeholder(text: &str) -> Option<(std::ops::Range<usize>, &'static str)> {
    // Swagger/OpenAPI's default example value, and `your-…` slugs
    // (`your-url-for-image`, `your_app_id`, `YOUR_TOKEN`).
    let start = text.as_bytes().get(..5);
    let your =
        start.is_some_and(|s| s.eq_ignore_ascii_case(b"your-") || s.eq_ignore_ascii_case(b"your_"));
    if text == "string" || your {
        return Some((0..text.chars().count(), "value"));
    }
    // Nearly every real value has none of the marker characters: skip it cheaply.
    // One pass: a marker character, or a run of three x's.
    let mut run = 0;
    let candidate = text.bytes().any(|b| match b {
        b'{' | b'<' | b'[' => true,
        b'x' | b'X' => {
            run += 1;
            run == 3
        }
        _ => {
            run = 0;
            false
        }
    });
    if !candidate {
        return None;
    }
    let chars: Vec<char> = text.chars().collect();
    // {{ ... }}
    if let Some(start) = find_seq(&chars, &['{', '{'], 0)
        && let Some(end) = find_seq(&chars, &['}', '}'], start + 2)
    {
        return Some((start..end + 2, "value"));
    }
    // < ... > with a word inside (not an HTML-ish `<br>` in a message body, which
    // would have no space and be short; doc markers read like `<value from sprint>`).
    if let Some(start) = chars.iter().position(|&c| c == '<')
        && let Some(len) = chars[start + 1..].iter().position(|&c| c == '>')
    {
        let inner: String = chars[start + 1..start + 1 + len].iter().collect();
        // A marker hugs its brackets (`<value from sprint>`); `a < b and c > d` does not.
        if inner.len() >= 3
            && (inner.contains(' ') || inner.contains('_'))
            && !inner.contains('=')
            && !inner.starts_with(' ')
            && !inner.ends_with(' ')
        {
            return Some((start..start + len + 2, "value"));
        }
    }
    // [ ... ] doc markers like [nama pelanggan], [YOUR_TOKEN]
    if let Some(start) = chars.iter().position(|&c| c == '[')
        && let Some(len) = chars[start + 1..].iter().position(|&c| c == ']')
    {
        let inner: String = chars[start + 1..start + 1 + len].iter().collect();
        let marker = inner.len() >= 3
            && inner
                .chars()
                .all(|c| c.is_alphabetic() || c == ' ' || c == '_')
            && (inner.contains('_')
                || inner.chars().all(|c| !c.is_lowercase() || c == ' ')
                || inner.contains(' '));
        if marker && (inner.to_uppercase() == inner || inner.contains(' ')) {
            return Some((start..start + len + 2, "value"));
        }
    }
    // xxxx runs in numbers and ids: at least 3 x's next to digits, or 4+ anywhere in a token.
    let lower: Vec<char> = chars.iter().map(|c| c.to_ascii_lowercase()).collect();
    let mut i = 0;
    while i < lower.len() {
        if lower[i] == 'x' {
            let start = i;
            while i < lower.len() && lower[i] == 'x' {
                i += 1;
            }
            let run = i - start;
            let before_digit = start > 0
                && lower[start - 1].is_ascii_hexdigit()
                && !lower[start - 1].is_alphabetic();
            let after_digit = i < lower.len() && lower[i].is_ascii_digit();
            let token_start = start == 0 || !lower[start - 1].is_alphabetic();
            let token_end = i == lower.len() || !lower[i].is_alphabetic();
            if (run >= 3 && (before_digit || after_digit)) || (run >= 4 && token_start && token_end)
            {
                let kind = if before_digit || after_digit {
                    "number or id"
                } else {
                    "value"
                };
                return Some((start..i, kind));
            }
        } else {
            i += 1;
        }
    }
    None
}

fn find_seq(chars: &[char], seq: &[char], from: usize) -> Option<usize> {
    if chars.len() < seq.len() {
        return None;
    }
    (from..=chars.len() - seq.len()).find(|&i| chars[i..i + seq.len()] == *seq)
}

/// The string starts or ends with whitespace.
pub(crate) fn padded(text: &str) -> bool {
    text.starts_with(char::is_whitespace) || text.ends_with(char::is_whitespace)
}

/// True when the value at `pointer` is a secret (never quote it): its
/// schema marks it `x-secret`, or a key on its path names a secret.
pub(crate) fn is_secret(annotations: &Annotations<'_>, pointer: &str) -> bool {
    annotations.facts_at(pointer).any(|f| f.secret)
        || crate::engine::text::secrets::is_secret_pointer(pointer, &[])
}

/// True when the value is a placeholder the `unfilled-placeholder` rule
/// reports (one mistake, one finding: the other rules stay silent on it).
pub(crate) fn is_placeholder(annotations: &Annotations<'_>, pointer: &str, text: &str) -> bool {
    !annotations.facts_at(pointer).any(|f| f.placeholder_exempt) && find_placeholder(text).is_some()
}
