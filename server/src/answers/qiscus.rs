//! Qiscus outbound broadcast: `broadcast/client`, `upload_csv` and
//! `send_broadcast`. The doc shows one sample response per call (no status
//! line: the body's own `"status": 200` is taken as the HTTP status, and
//! upload_csv's, which has none, as 200) and no error response.

use super::time::{iso_utc, now_secs, parse_iso};
use super::{Answer, Asked, Ids, UpstreamFailure, preflight_failure};
use preflight::http::Route;
use serde_json::{Value, json};

pub(super) fn success(route: &Route, asked: Asked<'_>, ids: &Ids) -> Option<Answer> {
    let body = match route.id {
        "qiscus/broadcast-client" => broadcast_client(asked, ids),
        "qiscus/upload-csv" => upload_csv(ids),
        "qiscus/send-broadcast" => send_broadcast(asked, ids),
        _ => return None,
    };
    Some(Answer { status: 200, body })
}

/// The sample of "Send individual message": `broadcast_job_id` and the
/// log's `id` fresh (8 digits, as `14528583`); `phone_number`, `language`,
/// `namespace` echoed, `name` the request's `template_name` (the sample
/// answers `"name": "invoince_update"` to `"template_name": "invoince_update"`,
/// `"name": "Test Broadcast"`), `variables` the request's list as a JSON
/// string, `sent_at` the request's `started_at` in UTC without fraction
/// (else now).
fn broadcast_client(asked: Asked<'_>, ids: &Ids) -> Value {
    let job = ids.numeric(8);
    let log = ids.numeric(8);
    let variables = match asked.field("variables") {
        Some(v) => serde_json::to_string(v).unwrap_or_else(|_| "[]".into()),
        None => "[]".into(),
    };
    json!({
        "data": {
            "broadcast_job_id": job,
            "broadcast_logs": [
                {
                    "id": log,
                    "message_id": null,
                    "notes": null,
                    "phone_number": asked.echo("phone_number"),
                    "sent_at": started_at(asked),
                    "status": "scheduled",
                    "variables": variables,
                }
            ],
            "language": asked.echo("language"),
            "name": asked.echo("template_name"),
            "namespace": asked.echo("namespace"),
        },
        "status": 200
    })
}

/// The sample of "Upload file": `broadcast_file_id` fresh (7 digits, as
/// `2272837`); the balance and the estimate are the sample's (the stand-in
/// neither keeps a balance nor counts the file's rows).
fn upload_csv(ids: &Ids) -> Value {
    json!({
        "broadcast_file_id": ids.numeric(7),
        "current_balance": {
            "credits": "0",
            "free_session": 1000,
            "quota": 857
        },
        "estimation_charge": {
            "credit": 0,
            "free_session": 1,
            "quota": 0
        }
    })
}

/// The sample of "Send Broadcast": the job's `id` fresh (8 digits);
/// `name` and `template_detail_id` echoed (a form's `"172"` as the number
/// the sample shows), `started_at` as in [`broadcast_client`], `created_at`
/// now (the sample's form, without `Z`); the channel, template and user are
/// the sample's (the request does not carry them).
fn send_broadcast(asked: Asked<'_>, ids: &Ids) -> Value {
    let template_detail_id = match asked.field("template_detail_id") {
        Some(Value::String(s)) => s
            .trim()
            .parse::<u64>()
            .map_or_else(|_| Value::from(s.clone()), Value::from),
        Some(v) => v.clone(),
        None => Value::Null,
    };
    json!({
        "data": {
            "broadcast_job": {
                "canceled_at": null,
                "canceled_by": null,
                "channel_id": 534,
                "channel_name": "Qiscus Sandbox 3",
                "created_at": iso_utc(now_secs(), false),
                "id": ids.numeric(8),
                "language": "id",
                "name": asked.echo("name"),
                "started_at": started_at(asked),
                "status": 4,
                "template_detail_id": template_detail_id,
                "template_id": 191,
                "template_name": "invoince_update",
                "total_failed": null,
                "total_read": null,
                "total_received": null,
                "total_recipient": 1,
                "total_sent": null,
                "user": {
                    "name": "Alena"
                }
            }
        },
        "status": 200
    })
}

/// The request's `started_at` as Qiscus answers it (`2022-03-05T10:15:00.000Z`
/// → `2022-03-05T10:15:00Z`, an offset converted to UTC); a value of
/// another form as sent; none: now.
fn started_at(asked: Asked<'_>) -> Value {
    match asked.field("started_at") {
        Some(Value::String(s)) if !s.trim().is_empty() => {
            parse_iso(s.trim()).map_or_else(|| Value::from(s.clone()), |t| iso_utc(t, true).into())
        }
        Some(Value::Null) | None => iso_utc(now_secs(), true).into(),
        Some(Value::String(_)) => iso_utc(now_secs(), true).into(),
        Some(v) => v.clone(),
    }
}

/// The samples' envelope `status` set to the HTTP status, beside
/// preflight's error object (Qiscus documents no error shape).
pub(super) fn upstream_failure(route: &Route, failure: UpstreamFailure, detail: &str) -> Value {
    json!({
        "status": failure.status(),
        "preflight_stand_in": true,
        "error": preflight_failure(route, failure, detail),
    })
}
