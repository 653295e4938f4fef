//! OCA (`POST /api/v2/push/message`). The doc's only response:
//!
//! ```text
//! Response:
//! {
//!     "msgid": "xxxx9f4b-334a-27b2-xxxxb1e2xxxx",
//!     "success": true
//! }
//! ```
//!
//! No status is written (200 assumed) and no error response is shown.

use super::{Answer, Ids, UpstreamFailure, preflight_failure};
use preflight::http::Route;
use serde_json::{Value, json};

/// 200 with the sample, `msgid` fresh (8-4-4-4-12 lower-case hex).
pub(super) fn success(route: &Route, ids: &Ids) -> Option<Answer> {
    (route.id == "oca/push-message").then(|| Answer {
        status: 200,
        body: json!({"msgid": ids.uuid_like(), "success": true}),
    })
}

/// The sample's `success`, false, beside preflight's error object (OCA
/// documents no error shape).
pub(super) fn upstream_failure(route: &Route, failure: UpstreamFailure, detail: &str) -> Value {
    json!({
        "success": false,
        "preflight_stand_in": true,
        "error": preflight_failure(route, failure, detail),
    })
}
