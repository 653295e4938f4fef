//! `$ref`s: finding them in a document, and resolving one against the URI
//! of the document it appears in. No document is ever fetched: every `$id`
//! lives under [`SCHEMA_BASE`], a reserved domain.

use serde_json::Value;

/// The base every schema `$id` lives under; never fetched (`.invalid` is a
/// reserved top-level domain).
pub const SCHEMA_BASE: &str = "https://preflight.invalid/schemas/";

/// Every `$ref` string in a schema document.
pub fn collect_refs<'v>(node: &'v Value, out: &mut Vec<&'v str>) {
    match node {
        Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("$ref", Value::String(r)) => out.push(r),
                    _ => collect_refs(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

/// Decodes `%XX` escapes in a URI fragment (schema pointers to keys with
/// spaces or non-ASCII characters).
pub fn percent_decode(fragment: &str) -> String {
    if !fragment.contains('%') {
        return fragment.to_string();
    }
    let bytes = fragment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(b) = fragment
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Resolves a `$ref` value against the URI of the document it appears in.
pub fn resolve_ref(base: &str, reference: &str) -> String {
    let base_doc = base.split('#').next().unwrap_or(base);
    if let Some(fragment) = reference.strip_prefix('#') {
        return format!("{base_doc}#{fragment}");
    }
    if reference.contains("://") {
        return if reference.contains('#') {
            reference.to_string()
        } else {
            format!("{reference}#")
        };
    }
    let (path, fragment) = reference.split_once('#').unwrap_or((reference, ""));
    let dir = match base_doc.rfind('/') {
        Some(i) => &base_doc[..=i],
        None => "",
    };
    let mut segments: Vec<&str> = dir.trim_end_matches('/').split('/').collect();
    for part in path.split('/') {
        match part {
            ".." => {
                segments.pop();
            }
            "." | "" => {}
            other => segments.push(other),
        }
    }
    format!("{}#{fragment}", segments.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refs_resolve_like_uris() {
        let base = "https://preflight.invalid/schemas/sandeza/send.json#/properties/a";
        assert_eq!(
            resolve_ref(base, "../common/whatsapp.json#/$defs/Caption"),
            "https://preflight.invalid/schemas/common/whatsapp.json#/$defs/Caption"
        );
        assert_eq!(
            resolve_ref(base, "#/$defs/X"),
            "https://preflight.invalid/schemas/sandeza/send.json#/$defs/X"
        );
        assert_eq!(
            resolve_ref(base, "broadcast.json"),
            "https://preflight.invalid/schemas/sandeza/broadcast.json#"
        );
    }
}
