//! Reading `x-media` annotations and media URLs, shared by the three media
//! rules (`media-url`, `insecure-media-url`, `media-extension`).
//!
//! A media field may carry more than one `x-media` (an `allOf` branch adds a
//! platform warning to a provider's list, as Sandeza's template document
//! header does); [`fields`] gathers them per place in the payload. A value may
//! be a separated list (`list-separator`, Sandeza's `;` attachments): [`items`]
//! splits it and keeps each item's character range, so every finding points
//! at its own item. Nothing here downloads anything: sizes are only reported as
//! notes.

use super::hygiene;
use crate::diagnostic::Source;
pub(crate) use crate::engine::facts::media::MediaSpec;
use crate::engine::walk::Annotations;
use serde_json::Value;
use std::ops::Range;
use std::sync::OnceLock;

/// A place in the payload that holds one or more media URLs.
#[derive(Debug)]
pub struct MediaField<'a> {
    /// Pointer to the string.
    pub pointer: &'a str,
    /// The string.
    pub text: &'a str,
    /// Every `x-media` that applies, the field's own first.
    pub specs: Vec<&'static MediaSpec>,
    /// The URLs in the value (one, or the items of a separated list), each
    /// read once for the three media rules.
    pub items: Vec<(Item<'a>, Result<Url<'a>, UrlProblem>)>,
    /// A node here has `format: uri` and the value is not a URI, which the
    /// schema already reports: the media rules stay silent about its syntax.
    pub syntax_reported: bool,
    /// The value is a secret: never quote it.
    pub secret: bool,
    /// The value is a doc placeholder, `unfilled-placeholder`'s finding.
    pub placeholder: bool,
}

impl MediaField<'_> {
    /// The list separator, if any spec gives one.
    pub fn separator(&self) -> Option<&'static str> {
        self.specs.iter().find_map(|s| s.separator)
    }

    /// The strongest https demand: `required` over `preferred`.
    pub fn https(&self) -> Option<(&'static MediaSpec, bool)> {
        let required = self.specs.iter().find(|s| s.https == Some("required"));
        match required {
            Some(&s) => Some((s, true)),
            None => self
                .specs
                .iter()
                .find(|s| s.https == Some("preferred"))
                .map(|&s| (s, false)),
        }
    }

    /// The note every media finding carries: the size limit preflight cannot
    /// check, and why a warning branch exists.
    pub fn note(&self, owner: &str) -> Option<String> {
        let limit = self
            .specs
            .iter()
            .filter_map(|s| s.max_bytes.map(|b| (b, s.source)))
            .min_by_key(|(b, _)| *b);
        limit.map(|(bytes, source)| {
            let whose = match source {
                Source::Platform => "WhatsApp",
                Source::Provider => owner,
            };
            capitalised(&format!(
                "{whose} accepts files of at most {} here; preflight does not download media, so check the size yourself",
                size(bytes)
            ))
        })
    }
}

/// Every media field of the payload, in document order. One pass over the
/// applied schema nodes: rules run on every payload. `schema_valid`: the
/// payload satisfies its schema (so every `format: uri` value is a URI).
pub(crate) fn fields<'a>(
    annotations: &'a Annotations<'a>,
    schema_valid: bool,
) -> Vec<MediaField<'a>> {
    let mut out: Vec<MediaField<'a>> = Vec::new();
    let mut uri_pointers: Vec<&str> = Vec::new();
    let mut values: Vec<&'a Value> = Vec::new();
    for applied in annotations.marked() {
        if applied.format() == Some("uri") {
            uri_pointers.push(applied.pointer);
        }
        let Some(spec) = applied.facts().media.as_ref() else {
            continue;
        };
        if let Some(field) = out.iter_mut().find(|f| applied.pointer == f.pointer) {
            field.specs.push(spec);
            continue;
        }
        let Some(text) = applied.value.as_str() else {
            continue;
        };
        values.push(applied.value);
        out.push(MediaField {
            pointer: applied.pointer,
            text,
            specs: vec![spec],
            items: Vec::new(),
            syntax_reported: false,
            secret: false,
            placeholder: false,
        });
    }
    for (field, value) in out.iter_mut().zip(values) {
        let separator = field.separator();
        field.items = items(field.text, separator)
            .into_iter()
            .map(|item| {
                let url = parse_url(item.text);
                (item, url)
            })
            .collect();
        // A payload the schema accepts has only valid URIs where it says `format: uri`.
        field.syntax_reported =
            !schema_valid && uri_pointers.contains(&field.pointer) && !is_valid_uri(value);
        field.secret = hygiene::is_secret(annotations, field.pointer);
        field.placeholder = hygiene::is_placeholder(annotations, field.pointer, field.text);
    }
    out
}

/// JSON Schema's `format: uri`, exactly as the schema check applies it.
fn is_valid_uri(value: &Value) -> bool {
    static CHECK: OnceLock<Option<jsonschema::Validator>> = OnceLock::new();
    CHECK
        .get_or_init(|| {
            jsonschema::options()
                .should_validate_formats(true)
                .build(&serde_json::json!({"format": "uri"}))
                .ok()
        })
        .as_ref()
        .is_none_or(|v| v.is_valid(value))
}

/// One URL of a field: the whole value, or one item of a separated list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item<'t> {
    /// 1-based position among the non-empty items.
    pub number: usize,
    /// The item without surrounding whitespace.
    pub text: &'t str,
    /// Where `text` is in the value, in characters.
    pub range: Range<usize>,
    /// Whitespace between the previous separator and the item (characters).
    pub space_before: Option<Range<usize>>,
    /// Whitespace between the item and the next separator (characters).
    pub space_after: Option<Range<usize>>,
}

/// Splits a value into its URLs. Empty items are skipped (Sandeza's docs send
/// `""` for "no attachment"); whitespace at the very start or end of the value
/// is left to `surrounding-whitespace`, whitespace next to a separator is
/// recorded on the item.
pub fn items<'t>(text: &'t str, separator: Option<&str>) -> Vec<Item<'t>> {
    let segments: Vec<&str> = match separator {
        Some(sep) => text.split(sep).collect(),
        None => vec![text],
    };
    let sep_chars = separator.map_or(0, |s| s.chars().count());
    let last = segments.len().saturating_sub(1);
    let mut out = Vec::new();
    let mut offset = 0;
    for (i, segment) in segments.iter().enumerate() {
        let len = segment.chars().count();
        let trimmed = segment.trim();
        if !trimmed.is_empty() {
            let lead = segment.chars().take_while(|c| c.is_whitespace()).count();
            let trail = segment
                .chars()
                .rev()
                .take_while(|c| c.is_whitespace())
                .count();
            out.push(Item {
                number: out.len() + 1,
                text: trimmed,
                range: offset + lead..offset + len - trail,
                space_before: (i > 0 && lead > 0).then(|| offset..offset + lead),
                space_after: (i < last && trail > 0).then(|| offset + len - trail..offset + len),
            });
        }
        offset += len + sep_chars;
    }
    out
}

/// The parts of an absolute URL the rules look at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url<'t> {
    /// The scheme as written (`https`, `HTTP`).
    pub scheme: &'t str,
    /// The host, without user info and port.
    pub host: &'t str,
    /// The path, without query string and fragment.
    pub path: &'t str,
    /// Byte offset of the path in the text.
    pub path_at: usize,
}

/// Why a string is not an absolute http(s) URL with a host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlProblem {
    /// No `scheme:` at the start (`www.domain.com/a.pdf`, `https//…`).
    NoScheme,
    /// A scheme other than http or https (`ftp`, `file`, `data`).
    OtherScheme(String),
    /// `https:` not followed by `//` (`https:/cdn…`).
    NoSlashes,
    /// `https://` with nothing, or only user info or a port, before the path.
    NoHost,
}

/// Reads an absolute http(s) URL. Whitespace inside is not judged here.
pub fn parse_url(text: &str) -> Result<Url<'_>, UrlProblem> {
    let scheme_end = text.find(':').filter(|&i| {
        let s = &text[..i];
        s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    });
    let Some(scheme_end) = scheme_end else {
        return Err(UrlProblem::NoScheme);
    };
    let scheme = &text[..scheme_end];
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return Err(UrlProblem::OtherScheme(scheme.to_ascii_lowercase()));
    }
    let Some(rest) = text[scheme_end + 1..].strip_prefix("//") else {
        return Err(UrlProblem::NoSlashes);
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if host_port.starts_with('[') {
        host_port.find(']').map_or(host_port, |i| &host_port[..=i])
    } else {
        host_port.split(':').next().unwrap_or("")
    };
    if host.is_empty() {
        return Err(UrlProblem::NoHost);
    }
    let path_at = scheme_end + 3 + authority_end;
    let after = &text[path_at..];
    let path_end = after.find(['?', '#']).unwrap_or(after.len());
    Ok(Url {
        scheme,
        host,
        path: &after[..path_end],
        path_at,
    })
}

/// The URL the user most likely meant, for a URL that lacks its scheme or
/// slashes.
pub fn repaired(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    for scheme in ["https", "http"] {
        // `https//host`, `https:/host`, `https:host`
        if let Some(rest) = lower.strip_prefix(scheme) {
            let rest_orig = &text[scheme.len()..];
            let tail = rest_orig.trim_start_matches([':', '/']);
            if rest.starts_with(':') || rest.starts_with("//") {
                if tail.is_empty() {
                    return None;
                }
                return Some(format!("{}://{tail}", &text[..scheme.len()]));
            }
        }
    }
    // `www.domain.com/a.pdf`, `cdn.domain.co.id/a.pdf`
    let host = text.split(['/', '?', '#']).next().unwrap_or("");
    let looks_like_host = (text.len() > host.len() || host.starts_with("www."))
        && host.contains('.')
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'))
        && host
            .rsplit('.')
            .next()
            .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()));
    let text = text.trim_start_matches('/');
    (looks_like_host && !text.is_empty()).then(|| format!("https://{text}"))
}

/// True for a host no provider can fetch from: the sender's own machine or a
/// private network.
pub fn is_private_host(host: &str) -> bool {
    let lower = |suffix: &str| {
        host.len() >= suffix.len()
            && host.as_bytes()[host.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
    };
    if host.eq_ignore_ascii_case("localhost")
        || lower(".localhost")
        || host == "[::1]"
        || host == "0.0.0.0"
    {
        return true;
    }
    let mut octets = [0u8; 4];
    let mut parts = host.split('.');
    for octet in &mut octets {
        match parts.next().map(str::parse::<u8>) {
            Some(Ok(n)) => *octet = n,
            _ => return false,
        }
    }
    if parts.next().is_some() {
        return false;
    }
    matches!(
        (octets[0], octets[1]),
        (127 | 10, _) | (192, 168) | (169, 254)
    ) || (octets[0] == 172 && (16..=31).contains(&octets[1]))
}

/// What the last path segment says the file is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Extension {
    /// A short alphanumeric extension, lowercased (`jpg`).
    Known(String),
    /// No extension, or nothing that reads as one (`/download`, `/v1.2026-11`).
    Missing,
}

/// The extension of a URL path (query string and fragment already removed),
/// with its character range within the path.
pub fn extension(path: &str) -> (Extension, Option<Range<usize>>) {
    let segment_start = path.rfind('/').map_or(0, |i| i + 1);
    let segment = &path[segment_start..];
    let Some(dot) = segment.rfind('.') else {
        return (Extension::Missing, None);
    };
    let ext = &segment[dot + 1..];
    if ext.is_empty()
        || ext.len() > 5
        || !ext.chars().all(|c| c.is_ascii_alphanumeric())
        || dot == 0
    {
        return (Extension::Missing, None);
    }
    let start = path[..segment_start + dot].chars().count();
    let len = ext.chars().count() + 1;
    (
        Extension::Known(ext.to_ascii_lowercase()),
        Some(start..start + len),
    )
}

/// A size in bytes as people write it: `2 MB`, `100 KB`.
pub fn size(bytes: u64) -> String {
    const MB: u64 = 1024 * 1024;
    if bytes >= MB && bytes.is_multiple_of(MB) {
        format!("{} MB", bytes / MB)
    } else if bytes >= MB {
        format!("{:.1} MB", bytes as f64 / MB as f64)
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

/// Capitalises the first letter (`the chatbot gateway` → `The chatbot gateway`).
pub fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// "`link`" or, in a list of more than one URL, "item 2 of `attachment`".
pub fn label(field: &str, item: &Item<'_>, count: usize) -> String {
    if count > 1 {
        format!("item {} of `{field}`", item.number)
    } else {
        format!("`{field}`")
    }
}

/// Character index in `text` of byte index `byte`.
pub fn char_index(text: &str, byte: usize) -> usize {
    text.get(..byte).map_or(0, |s| s.chars().count())
}

/// The extensions as a message lists them: `.jpg, .jpeg or .png`.
pub fn list_extensions(list: &[&str]) -> String {
    match list {
        [] => "no extension".to_string(),
        [one] => format!("only .{one}"),
        [init @ .., last] => format!(
            "{} or .{last}",
            init.iter()
                .map(|e| format!(".{e}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;

    #[test]
    fn splits_lists_and_keeps_positions() {
        let text = "https://a.co.id/x.pdf; https://a.co.id/y.pdf;;";
        let got = items(text, Some(";"));
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].text, "https://a.co.id/x.pdf");
        assert_eq!(got[0].range, 0..21);
        assert_eq!(got[0].space_after, None);
        assert_eq!(got[1].number, 2);
        assert_eq!(got[1].range, 23..44);
        assert_eq!(got[1].space_before, Some(22..23));
        let chars: String = text.chars().skip(23).take(21).collect();
        assert_eq!(chars, "https://a.co.id/y.pdf");
        assert!(items("", Some(";")).is_empty());
        assert!(items(" ; ", Some(";")).is_empty());
        // Outer whitespace belongs to surrounding-whitespace, not to the item.
        let outer = items(" https://a.co.id/x.pdf ", None);
        assert_eq!(outer[0].space_before, None);
        assert_eq!(outer[0].space_after, None);
        assert_eq!(outer[0].range, 1..22);
    }

    #[test]
    fn counts_characters_not_bytes() {
        let got = items("https://a.co.id/ü.pdf;https://a.co.id/b.pdf", Some(";"));
        assert_eq!(got[1].range, 22..43);
    }

    #[test]
    fn parses_urls() {
        let u = parse_url("https://user@cdn.toko.co.id:8443/a/b.JPG?v=2#top").unwrap();
        assert_eq!(
            (u.scheme, u.host, u.path, u.path_at),
            ("https", "cdn.toko.co.id", "/a/b.JPG", 32)
        );
        assert_eq!(parse_url("HTTP://x.co.id").unwrap().path, "");
        assert_eq!(parse_url("https://[::1]:80/a").unwrap().host, "[::1]");
        assert_eq!(parse_url("www.domain.com/a.pdf"), Err(UrlProblem::NoScheme));
        assert_eq!(parse_url("https//a.co.id/a.pdf"), Err(UrlProblem::NoScheme));
        assert_eq!(parse_url("/files/a.pdf"), Err(UrlProblem::NoScheme));
        assert_eq!(
            parse_url("ftp://a.co.id/a.pdf"),
            Err(UrlProblem::OtherScheme("ftp".into()))
        );
        assert_eq!(
            parse_url("data:image/png;base64,AAA"),
            Err(UrlProblem::OtherScheme("data".into()))
        );
        assert_eq!(
            parse_url("https:/a.co.id/a.pdf"),
            Err(UrlProblem::NoSlashes)
        );
        assert_eq!(parse_url("https:a.co.id/a.pdf"), Err(UrlProblem::NoSlashes));
        assert_eq!(parse_url("https:///a.pdf"), Err(UrlProblem::NoHost));
        assert_eq!(parse_url("https://"), Err(UrlProblem::NoHost));
        assert_eq!(parse_url("https://user@:80/a.pdf"), Err(UrlProblem::NoHost));
    }

    #[test]
    fn repairs_obvious_slips() {
        assert_eq!(
            repaired("www.domain.com/test.pdf").as_deref(),
            Some("https://www.domain.com/test.pdf")
        );
        assert_eq!(
            repaired("https//a.co.id/x.pdf").as_deref(),
            Some("https://a.co.id/x.pdf")
        );
        assert_eq!(
            repaired("https:/a.co.id/x.pdf").as_deref(),
            Some("https://a.co.id/x.pdf")
        );
        assert_eq!(
            repaired("https:a.co.id/x.pdf").as_deref(),
            Some("https://a.co.id/x.pdf")
        );
        assert_eq!(repaired("your-url-for-image"), None);
        assert_eq!(repaired("/uploads/a.pdf"), None);
        assert_eq!(repaired("invoice.pdf"), None);
    }

    #[test]
    fn reads_extensions_without_query_or_fragment() {
        let path = parse_url("https://a.co.id/promo/banner.JPG?w=800#x")
            .unwrap()
            .path;
        assert_eq!(
            extension(path),
            (Extension::Known("jpg".into()), Some(13..17))
        );
        assert_eq!(extension("/download").0, Extension::Missing);
        assert_eq!(extension("").0, Extension::Missing);
        assert_eq!(extension("/v1.2/download").0, Extension::Missing);
        assert_eq!(extension("/tagihan.2026-11").0, Extension::Missing);
        assert_eq!(extension("/.hidden").0, Extension::Missing);
        assert_eq!(extension("/a/file.").0, Extension::Missing);
        assert_eq!(extension("/a.b/c.tar.gz").0, Extension::Known("gz".into()));
        assert_eq!(
            extension("/ü/ä.webp"),
            (Extension::Known("webp".into()), Some(4..9))
        );
    }

    #[test]
    fn private_hosts() {
        for h in [
            "localhost",
            "127.0.0.1",
            "10.1.2.3",
            "192.168.1.20",
            "172.20.0.5",
            "app.localhost",
        ] {
            assert!(is_private_host(h), "{h}");
        }
        for h in ["cdn.toko.co.id", "172.32.0.1", "8.8.8.8", "10.example.com"] {
            assert!(!is_private_host(h), "{h}");
        }
    }

    #[test]
    fn formats_sizes_and_lists() {
        assert_eq!(size(2_097_152), "2 MB");
        assert_eq!(size(104_857_600), "100 MB");
        assert_eq!(size(102_400), "100 KB");
        assert_eq!(size(1_572_864), "1.5 MB");
        assert_eq!(list_extensions(&["pdf"]), "only .pdf");
        assert_eq!(
            list_extensions(&["jpg", "jpeg", "png"]),
            ".jpg, .jpeg or .png"
        );
    }
}
