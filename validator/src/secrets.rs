//! Secrets never reach output.
//!
//! A value is secret when its schema node says `x-secret: true`, or, for
//! payloads whose endpoint is unknown or that do not parse, when its key names
//! a secret (`signature`, `password`, `secret_key`, `webhookkey`, tokens). Messages
//! never quote such values; renderers mask them in printed source lines.

/// True when a key name looks like it holds a secret.
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
    [
        "signature",
        "password",
        "passwd",
        "secret",
        "token",
        "apikey",
        "webhookkey",
        "privatekey",
    ]
    .iter()
    .any(|needle| {
        squashed
            .windows(needle.len())
            .any(|w| w == needle.as_bytes())
    })
}

/// True when the value at `pointer` is secret: listed by the schema, or named so.
pub fn is_secret_pointer(pointer: &str, schema_secrets: &[String]) -> bool {
    schema_secrets.iter().any(|s| s == pointer)
        || pointer
            .rsplit_once('/')
            .is_some_and(|(_, k)| is_secret_key(k))
}

/// Masks, in one line of source text, every string literal that follows a
/// secret-looking key (`"signature": "…"`), for lines printed from payloads
/// that could not be parsed. Each character of the value becomes `•`, so
/// columns after it stay true.
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
                    if let Some(vend) = find_string_end(v) {
                        let consumed = rest.len() - value_part.len();
                        out.push_str(&rest[..consumed]);
                        out.push('"');
                        out.push_str(&mask(&v[..vend]));
                        out.push('"');
                        rest = &v[vend + 1..];
                        continue;
                    }
                    // Unterminated on this line: hide the rest of it.
                    let consumed = rest.len() - value_part.len();
                    out.push_str(&rest[..consumed]);
                    out.push('"');
                    out.push_str(&mask(v));
                    return out;
                }
            }
        }
    }
    out.push_str(rest);
    out
}

/// Replaces every character with `•` (same character count).
pub fn mask(text: &str) -> String {
    "•".repeat(text.chars().count())
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
        assert!(!is_secret_key("key"));
        assert!(!is_secret_key("template_id"));
    }
}
