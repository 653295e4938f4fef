//! The providers' documented HTTP requests: every route (method and path under
//! the provider's base URL), what body it takes, which headers carry its
//! credentials, and [`validate_request`], which checks a whole request —
//! headers, body and uploaded files — with the same engine as [`crate::validate_with`].
//!
//! ```
//! let route = preflight::http::route("chatbot/sendwa").unwrap();
//! assert_eq!((route.method, route.path), ("POST", "/api/sendwa"));
//! assert_eq!(route.endpoint, Some("chatbot/sendwa"));
//! ```

/// What a route's body is, as the provider's doc shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum BodyKind {
    /// A JSON document (`Content-Type: application/json`).
    Json,
    /// `multipart/form-data`: form fields (checked as the route's endpoint,
    /// a JSON object of strings) and files.
    Multipart,
    /// No body (a `GET`, a `DELETE`, or a `POST` the doc sends with `--data ''`).
    Empty,
}

/// A header that carries a credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct AuthHeader {
    /// The header's name as the doc writes it (`Qiscus-Secret-Key`); matched
    /// case-insensitively.
    pub name: &'static str,
    /// A scheme the value starts with (`Bearer`), if the doc shows one.
    pub scheme: Option<&'static str>,
}

/// A file a multipart route takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Upload {
    /// The form field's name (`file`, `uploadFile`).
    pub field: &'static str,
    /// What the file must be.
    pub kind: UploadKind,
}

/// The kinds of file the providers take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum UploadKind {
    /// Qiscus' recipients CSV (separator `,` or `;`, as the form says).
    Csv,
    /// 3Dolphins' recipients workbook (`.xlsx`).
    Xlsx,
}

/// One documented route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Route {
    /// The route's id: the endpoint id where the route's body has a schema
    /// (`sandeza/send`), otherwise `<provider>/<name>` (`3dolphins/broadcast-detail`).
    pub id: &'static str,
    /// The provider (`sandeza`, `oca`, `qiscus`, `3dolphins`, `chatbot`).
    pub provider: &'static str,
    /// The HTTP method (`POST`, `GET`, `DELETE`).
    pub method: &'static str,
    /// The path under the provider's base URL; `{name}` is a path parameter
    /// (`/dolphin/apiv1/graph/broadcast/verify/{channel}`).
    pub path: &'static str,
    /// The endpoint id whose schema the body (or the form's fields) is checked against.
    pub endpoint: Option<&'static str>,
    /// The bodies the route takes; the first is the documented one.
    pub bodies: &'static [BodyKind],
    /// The headers that carry the credentials; all are required.
    pub auth: &'static [AuthHeader],
    /// The file a multipart route takes.
    pub upload: Option<Upload>,
    /// Where the provider's doc disagrees with itself about this route, what
    /// preflight does about it (said in a finding when it applies).
    pub discrepancy: Option<&'static str>,
    /// Another path the doc's own samples send this route's body to
    /// (`/api/sendcontact` for `sendcontacttogroup`): a body of this route
    /// arriving there is checked as this route's, with a `doc-discrepancy`
    /// warning.
    pub also_at: Option<&'static str>,
}

const JSON: &[BodyKind] = &[BodyKind::Json];
const EMPTY: &[BodyKind] = &[BodyKind::Empty];
const OCA_AUTH: &[AuthHeader] = &[AuthHeader {
    name: "Authorization",
    scheme: None,
}];
const QISCUS_AUTH: &[AuthHeader] = &[
    AuthHeader {
        name: "Qiscus-App-Id",
        scheme: None,
    },
    AuthHeader {
        name: "Qiscus-Secret-Key",
        scheme: None,
    },
];
const DOLPHINS_AUTH: &[AuthHeader] = &[AuthHeader {
    name: "Authorization",
    scheme: Some("Bearer"),
}];
const CHATBOT_AUTH: &[AuthHeader] = &[AuthHeader {
    name: "secretkey",
    scheme: None,
}];

const fn documented(
    id: &'static str,
    provider: &'static str,
    method: &'static str,
    path: &'static str,
    endpoint: Option<&'static str>,
    bodies: &'static [BodyKind],
    auth: &'static [AuthHeader],
) -> Route {
    Route {
        id,
        provider,
        method,
        path,
        endpoint,
        bodies,
        auth,
        upload: None,
        discrepancy: None,
        also_at: None,
    }
}

const fn chatbot(id: &'static str, path: &'static str) -> Route {
    documented(id, "chatbot", "POST", path, Some(id), JSON, CHATBOT_AUTH)
}

const fn dolphins(id: &'static str, path: &'static str) -> Route {
    documented(id, "3dolphins", "POST", path, Some(id), JSON, DOLPHINS_AUTH)
}

/// Every documented route, in the order of the providers' docs.
pub const ROUTES: &[Route] = &[
    // Sandeza authenticates in the body (`signature`), not in a header.
    documented(
        "sandeza/send",
        "sandeza",
        "POST",
        "/json/send/cgw",
        Some("sandeza/send"),
        JSON,
        &[],
    ),
    documented(
        "oca/push-message",
        "oca",
        "POST",
        "/api/v2/push/message",
        Some("oca/push-message"),
        JSON,
        OCA_AUTH,
    ),
    documented(
        "qiscus/broadcast-client",
        "qiscus",
        "POST",
        "/api/v3/admin/broadcast/client",
        Some("qiscus/broadcast-client"),
        JSON,
        QISCUS_AUTH,
    ),
    Route {
        upload: Some(Upload {
            field: "file",
            kind: UploadKind::Csv,
        }),
        ..documented(
            "qiscus/upload-csv",
            "qiscus",
            "POST",
            "/api/v3/admin/broadcast/upload_csv",
            Some("qiscus/upload-csv"),
            &[BodyKind::Multipart],
            QISCUS_AUTH,
        )
    },
    Route {
        discrepancy: Some(
            "Qiscus' parameter table says send_broadcast takes multipart/form-data, \
             but its sample request sends application/json; preflight accepts both",
        ),
        ..documented(
            "qiscus/send-broadcast",
            "qiscus",
            "POST",
            "/api/v3/admin/broadcast/send_broadcast",
            Some("qiscus/send-broadcast"),
            &[BodyKind::Json, BodyKind::Multipart],
            QISCUS_AUTH,
        )
    },
    Route {
        upload: Some(Upload {
            field: "uploadFile",
            kind: UploadKind::Xlsx,
        }),
        ..documented(
            "3dolphins/upload-recipient",
            "3dolphins",
            "POST",
            "/dolphin/apiv1/graph/broadcast/upload/recipient",
            None,
            &[BodyKind::Multipart],
            DOLPHINS_AUTH,
        )
    },
    dolphins(
        "3dolphins/verify-phone",
        "/dolphin/apiv1/graph/broadcast/verify/{channel}",
    ),
    dolphins("3dolphins/broadcast", "/dolphin/apiv1/graph/broadcast"),
    dolphins(
        "3dolphins/broadcast-multiple",
        "/dolphin/apiv1/graph/broadcast/multiple",
    ),
    documented(
        "3dolphins/broadcast-detail",
        "3dolphins",
        "GET",
        "/dolphin/apiv1/graph/broadcast/detail",
        None,
        EMPTY,
        DOLPHINS_AUTH,
    ),
    documented(
        "3dolphins/broadcast-delete",
        "3dolphins",
        "DELETE",
        "/dolphin/apiv1/graph/broadcast/delete",
        None,
        EMPTY,
        DOLPHINS_AUTH,
    ),
    dolphins("3dolphins/broadcast-whatsapp", "/graph/broadcast/whatsapp"),
    chatbot("chatbot/sendwa", "/api/sendwa"),
    chatbot("chatbot/sendmedia", "/api/sendmedia"),
    chatbot("chatbot/sendlocation", "/api/sendlocation"),
    chatbot("chatbot/sendcontact", "/api/sendcontact"),
    chatbot("chatbot/sendwatogroup", "/api/sendwatogroup"),
    chatbot("chatbot/sendmediatogroup", "/api/sendmediatogroup"),
    chatbot("chatbot/sendlocationtogroup", "/api/sendlocationtogroup"),
    Route {
        discrepancy: Some(
            "the chatbot gateway's sendcontacttogroup samples post to /api/sendcontact; \
             preflight answers both paths and names the one the body fits",
        ),
        also_at: Some("/api/sendcontact"),
        ..chatbot("chatbot/sendcontacttogroup", "/api/sendcontacttogroup")
    },
    documented(
        "chatbot/groups",
        "chatbot",
        "POST",
        "/api/groups",
        None,
        EMPTY,
        CHATBOT_AUTH,
    ),
    documented(
        "chatbot/getqr",
        "chatbot",
        "POST",
        "/api/getqr",
        None,
        EMPTY,
        CHATBOT_AUTH,
    ),
    chatbot("chatbot/checknumber", "/api/checknumber"),
];

mod request;
mod routes;
pub use request::{
    AUTH_HEADER_FORM, Body, CREDENTIALS_MISMATCH, File, MISSING_AUTH_HEADER, MISSING_UPLOAD_FILE,
    QISCUS_CSV_MAX_RECIPIENTS, Request, SIBLING_ROUTE_BODY, UNAUTHORIZED_RULES, UPLOAD_FILE_FORMAT,
    WRONG_CONTENT_TYPE, is_unauthorized, validate_request, validate_request_parsed,
};
pub use routes::{Lookup, UNDOCUMENTED_ROUTE, lookup, percent_decode, served, too_large};

/// The route with this id.
pub fn route(id: &str) -> Option<&'static Route> {
    ROUTES.iter().find(|r| r.id == id)
}

/// Every route of one provider.
pub fn routes_of(provider: &str) -> impl Iterator<Item = &'static Route> {
    ROUTES.iter().filter(move |r| r.provider == provider)
}
