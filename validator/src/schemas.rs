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
        &[$(EmbeddedSchema { path: $path, text: include_str!(concat!("../../schemas/", $path, ".json")) }),*]
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
