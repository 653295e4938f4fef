//! `x-media`: what a schema node says about the media URL it holds (the kind,
//! the accepted extensions, https, the size limit, a list separator, whose
//! rule it is), read once per node.

use crate::diagnostic::Source;
use serde_json::Value;

/// One `x-media` annotation and what the node carrying it says about it.
#[derive(Debug)]
pub struct MediaSpec {
    /// `image`, `video`, `audio`, `document`, `sticker` or `any`.
    pub kind: &'static str,
    /// The accepted extensions (lowercase, no dot), when the annotation lists them.
    pub extensions: Option<&'static [Value]>,
    /// `required` or `preferred`, when the annotation says.
    pub https: Option<&'static str>,
    /// The size limit in bytes, when known.
    pub max_bytes: Option<u64>,
    /// The separator of a list of URLs (`;`).
    pub separator: Option<&'static str>,
    /// Whose rule the node states (`x-source`).
    pub source: Source,
    /// The node is marked `x-severity: warning`.
    pub warning: bool,
    /// Why the spec is stricter than the field's own list: `x-media.reason`,
    /// else the description of a warning branch.
    pub description: Option<&'static str>,
}

impl MediaSpec {
    /// Reads a schema node's `x-media`, once per node when the schema graph
    /// is built ([`crate::engine::facts::graph`]): rules run on every payload.
    pub(crate) fn of(node: &'static Value) -> Option<Self> {
        let media = node.get("x-media")?;
        let text = |key: &str| media.get(key).and_then(Value::as_str);
        let warning = node.get("x-severity").and_then(Value::as_str) == Some("warning");
        Some(MediaSpec {
            kind: text("kind").unwrap_or("any"),
            extensions: media
                .get("extensions")
                .and_then(Value::as_array)
                .map(Vec::as_slice),
            https: text("https"),
            max_bytes: media.get("max-bytes").and_then(Value::as_u64),
            separator: text("list-separator").filter(|s| !s.is_empty()),
            source: match node.get("x-source").and_then(Value::as_str) {
                Some("platform") => Source::Platform,
                _ => Source::Provider,
            },
            warning,
            description: text("reason").or_else(|| {
                warning
                    .then(|| node.get("description").and_then(Value::as_str))
                    .flatten()
            }),
        })
    }

    /// Whether the spec accepts extension `ext` (lowercase): `None` when it
    /// accepts any. [`MediaSpec::accepted`] without building the list.
    pub fn accepts(&self, ext: &str) -> Option<bool> {
        if let Some(list) = self.extensions {
            return Some(list.iter().any(|e| e.as_str() == Some(ext)));
        }
        platform_extensions(self.kind).map(|list| list.contains(&ext))
    }

    /// The extensions this spec accepts: its own list, else WhatsApp's for the
    /// kind, else none (any extension).
    pub fn accepted(&self) -> Option<Vec<&'static str>> {
        if let Some(list) = self.extensions {
            return Some(list.iter().filter_map(Value::as_str).collect());
        }
        platform_extensions(self.kind).map(<[&str]>::to_vec)
    }
}

/// WhatsApp's extensions for a media kind (platform-limits.md).
pub fn platform_extensions(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "image" => &["jpg", "jpeg", "png"],
        "video" => &["mp4", "3gp"],
        "audio" => &["aac", "amr", "mp3", "m4a", "ogg"],
        "document" => &["pdf", "txt", "doc", "docx", "xls", "xlsx", "ppt", "pptx"],
        "sticker" => &["webp"],
        _ => return None,
    })
}
