//! RFC 6901 JSON pointers: building, splitting and looking up, in one place so
//! every module escapes `~` and `/` the same way.

use serde_json::Value;

/// Escapes one reference token (`~` → `~0`, `/` → `~1`).
pub fn escape(token: &str) -> std::borrow::Cow<'_, str> {
    if token.bytes().any(|b| b == b'~' || b == b'/') {
        std::borrow::Cow::Owned(token.replace('~', "~0").replace('/', "~1"))
    } else {
        std::borrow::Cow::Borrowed(token)
    }
}

/// Unescapes one reference token.
pub fn unescape(token: &str) -> String {
    if token.contains('~') {
        token.replace("~1", "/").replace("~0", "~")
    } else {
        token.to_string()
    }
}

/// Appends a token to a pointer.
pub fn join(pointer: &str, token: &str) -> String {
    let mut out = String::with_capacity(pointer.len() + token.len() + 1);
    out.push_str(pointer);
    out.push('/');
    out.push_str(&escape(token));
    out
}

/// Appends an array index to a pointer.
pub fn join_index(pointer: &str, index: usize) -> String {
    format!("{pointer}/{index}")
}

/// The unescaped tokens of a pointer (`""` has none).
pub fn tokens(pointer: &str) -> Vec<String> {
    if pointer.is_empty() {
        return Vec::new();
    }
    pointer
        .strip_prefix('/')
        .unwrap_or(pointer)
        .split('/')
        .map(unescape)
        .collect()
}

/// The parent pointer, or `None` for the root.
pub fn parent(pointer: &str) -> Option<&str> {
    pointer.rfind('/').map(|i| &pointer[..i])
}

/// The last token, unescaped, or `None` for the root.
pub fn last(pointer: &str) -> Option<String> {
    pointer.rfind('/').map(|i| unescape(&pointer[i + 1..]))
}

/// Looks a pointer up in a value: `Value::pointer` without its two
/// allocations per token (rules look values up on every payload).
pub fn get<'v>(value: &'v Value, pointer: &str) -> Option<&'v Value> {
    if pointer.is_empty() {
        return Some(value);
    }
    let mut current = value;
    for token in pointer.strip_prefix('/')?.split('/') {
        current = match current {
            Value::Object(map) => {
                if token.contains('~') {
                    map.get(&unescape(token))?
                } else {
                    map.get(token)?
                }
            }
            Value::Array(items) => {
                if token.len() > 1 && token.starts_with('0') {
                    return None;
                }
                items.get(token.parse::<usize>().ok()?)?
            }
            _ => return None,
        };
    }
    Some(current)
}

/// A readable name for the value at a pointer: the field path without the root
/// slash, array indices in brackets (`channel.whatsapp.message.parameters[0].text`).
pub fn display_path(pointer: &str) -> String {
    let mut out = String::new();
    for token in tokens(pointer) {
        if !token.is_empty() && token.bytes().all(|b| b.is_ascii_digit()) {
            out.push('[');
            out.push_str(&token);
            out.push(']');
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&token);
        }
    }
    if out.is_empty() {
        "the payload".to_string()
    } else {
        out
    }
}

/// The field name a message should use for the value at a pointer: the last
/// property name with any trailing array indices (`parameters[0]`).
pub fn field_name(pointer: &str) -> String {
    let mut suffix = String::new();
    let mut rest = pointer;
    while let Some(i) = rest.rfind('/') {
        let token = &rest[i + 1..];
        rest = &rest[..i];
        if !token.is_empty() && token.bytes().all(|b| b.is_ascii_digit()) {
            suffix.insert_str(0, &format!("[{token}]"));
        } else {
            return format!("{}{suffix}", unescape(token));
        }
    }
    if suffix.is_empty() {
        "the payload".to_string()
    } else {
        format!("item{suffix}")
    }
}

/// [`field_name`] as a `Display` value, formatted only when written: rules
/// run on every payload and name a field only in a finding's message.
#[derive(Debug, Clone, Copy)]
pub struct FieldName<'a>(pub &'a str);

impl std::fmt::Display for FieldName<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&field_name(self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_round_trips() {
        let p = join("", "a/b~c");
        assert_eq!(p, "/a~1b~0c");
        assert_eq!(tokens(&p), vec!["a/b~c".to_string()]);
    }

    #[test]
    fn get_matches_serde_json() {
        let v = serde_json::json!({"a/b": {"c~d": [1, {"e": 2}]}, "": 3});
        for p in [
            "",
            "/a~1b",
            "/a~1b/c~0d",
            "/a~1b/c~0d/1/e",
            "/",
            "/x",
            "/a~1b/c~0d/01",
            "/a~1b/c~0d/9",
        ] {
            assert_eq!(get(&v, p), v.pointer(p), "{p}");
        }
    }

    #[test]
    fn names_read_like_code() {
        assert_eq!(
            display_path("/channel/whatsapp/message/parameters/0/text"),
            "channel.whatsapp.message.parameters[0].text"
        );
        assert_eq!(field_name("/message/parameters/0"), "parameters[0]");
        assert_eq!(field_name(""), "the payload");
        assert_eq!(field_name("/0"), "item[0]");
        assert_eq!(field_name("/a~1b/2/3"), "a/b[2][3]");
    }
}
