//! The schemas, embedded in the binary: no file is read at run time.
//!
//! The list is explicit so that adding an endpoint is a visible change; a test
//! checks it against the files under `schemas/`.

/// An embedded schema document: its path under `schemas/` and its text.
#[derive(Debug, Clone, Copy)]
pub struct EmbeddedSchema {
    /// Path under `schemas/`, without `.json` (`sandeza/send`, `common/whatsapp`).
    pub path: &'static str,
    /// The JSON text.
    pub text: &'static str,
}

macro_rules! embed {
    ($($path:literal),* $(,)?) => {
        &[$(EmbeddedSchema { path: $path, text: include_str!(concat!("../../../../schemas/", $path, ".json")) }),*]
    };
}

/// Every endpoint schema, in the order `preflight endpoints` lists them.
pub const ENDPOINT_SCHEMAS: &[EmbeddedSchema] = embed![
    "sandeza/send",
    "oca/push-message",
    "qiscus/broadcast-client",
    "qiscus/send-broadcast",
    "qiscus/upload-csv",
    "3dolphins/broadcast",
    "3dolphins/broadcast-multiple",
    "3dolphins/verify-phone",
    "3dolphins/broadcast-whatsapp",
    "chatbot/sendwa",
    "chatbot/sendmedia",
    "chatbot/sendlocation",
    "chatbot/sendcontact",
    "chatbot/sendwatogroup",
    "chatbot/sendmediatogroup",
    "chatbot/sendlocationtogroup",
    "chatbot/sendcontacttogroup",
    "chatbot/checknumber",
    "chatbot/notify",
    "chatbot/webhook",
    "chatbot/webhook-reply",
];

/// Shared pieces referenced by `$ref` from endpoint schemas.
pub const COMMON_SCHEMAS: &[EmbeddedSchema] = embed!["common/whatsapp",];

/// The schemas of preflight's own inputs, checked the way payloads are but
/// not endpoints: the templates file (`preflight validate --templates`).
pub const META_SCHEMAS: &[EmbeddedSchema] = embed!["meta/message-templates",];

/// The schemas of preflight's own outputs: never checked against, never
/// registered, only printed (`preflight schema --output`): the document
/// `--format json` prints.
pub const OUTPUT_SCHEMAS: &[EmbeddedSchema] = embed!["output/report", "output/serve",];

/// The schema of `--format json`'s document.
pub const REPORT_SCHEMA: &str = OUTPUT_SCHEMAS[0].text;

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::{COMMON_SCHEMAS, ENDPOINT_SCHEMAS, META_SCHEMAS, OUTPUT_SCHEMAS};
    use std::path::Path;

    fn on_disk(dir: &Path, root: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                on_disk(&path, root, out);
            } else if path.extension().is_some_and(|e| e == "json") {
                let rel = path.strip_prefix(root).unwrap().with_extension("");
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }

    #[test]
    fn embedded_list_matches_the_files() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas");
        let mut files = Vec::new();
        on_disk(&root, &root, &mut files);
        let embedded: Vec<&str> = ENDPOINT_SCHEMAS
            .iter()
            .chain(COMMON_SCHEMAS)
            .chain(META_SCHEMAS)
            .chain(OUTPUT_SCHEMAS)
            .map(|s| s.path)
            .collect();
        for p in &files {
            assert!(
                embedded.contains(&p.as_str()),
                "schemas/{p}.json is not embedded (add it to engine/schema/documents.rs)"
            );
        }
        for p in &embedded {
            assert!(
                files.iter().any(|d| d == p),
                "{p} is embedded but has no file"
            );
        }
        assert_eq!(ENDPOINT_SCHEMAS.len(), 21);
    }
}
