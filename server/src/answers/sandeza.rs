//! Sandeza (`POST /json/send/cgw`): the doc shows requests only, no response
//! and no error, so every answer here is preflight's stand-in, marked as such.

use super::{Answer, Asked, Ids, UpstreamFailure, preflight_failure};
use preflight::http::Route;
use serde_json::{Value, json};

/// What the stand-in says about itself.
pub(super) const NOTE: &str = "Sandeza's doc shows no response for /json/send/cgw: \
this body is preflight's stand-in, not Sandeza's";

/// 200 with `{"preflight_stand_in": true, "note", "ref_id", "id"}`: the
/// request's `ref_id` (the client's own unique id) echoed, and a fresh id.
pub(super) fn success(asked: Asked<'_>, ids: &Ids) -> Answer {
    Answer {
        status: 200,
        body: json!({
            "preflight_stand_in": true,
            "note": NOTE,
            "ref_id": asked.echo("ref_id"),
            "id": ids.uuid_like(),
        }),
    }
}

/// `{"preflight_stand_in": true, "error": {kind, provider, route, message, detail}}`.
pub(super) fn upstream_failure(route: &Route, failure: UpstreamFailure, detail: &str) -> Value {
    json!({
        "preflight_stand_in": true,
        "error": preflight_failure(route, failure, detail),
    })
}
