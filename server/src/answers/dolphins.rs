//! 3Dolphins WhatsApp broadcast: every call's sample response, each under
//! "Response status : 200" (or "Response: 200"); the doc shows no error
//! response.

use super::{Answer, Asked, Ids, UpstreamFailure, preflight_failure};
use preflight::http::Route;
use serde_json::{Map, Value, json};

/// The message of the broadcast samples.
const MADE: &str = "Successfully make Broadcast Item";

pub(super) fn success(route: &Route, asked: Asked<'_>, ids: &Ids) -> Option<Answer> {
    let body = match route.id {
        "3dolphins/upload-recipient" => json!({"recipient_id": ids.hex24()}),
        "3dolphins/verify-phone" => paged(json!({"status": "success", "data": verified(asked)})),
        "3dolphins/broadcast" => paged(json!({
            "status": "success",
            "data": {"id": ids.hex24()},
            "message": MADE,
        })),
        "3dolphins/broadcast-multiple" => {
            let count = match asked.body {
                Some(Value::Array(items)) => items.len(),
                _ => 1,
            };
            let data: Vec<Value> = (0..count)
                .map(|_| json!({"id": ids.hex24(), "message": MADE, "status": "success"}))
                .collect();
            paged(json!({"status": "success", "data": data}))
        }
        "3dolphins/broadcast-detail" => {
            paged(json!({"status": "success", "data": detail(asked, ids)}))
        }
        "3dolphins/broadcast-delete" => paged(json!({
            "status": "success",
            "data": "Successfully delete Broadcast Item",
        })),
        // Its sample alone has no paging fields.
        "3dolphins/broadcast-whatsapp" => json!({
            "status": "success",
            "data": {"id": ids.hex24()},
            "message": MADE,
        }),
        _ => return None,
    };
    Some(Answer { status: 200, body })
}

/// The paging fields every sample but Create Broadcast WhatsApp's ends with.
fn paged(mut body: Value) -> Value {
    if let Some(object) = body.as_object_mut() {
        object.insert("hasMore".into(), json!(false));
        object.insert("nextIndex".into(), json!(0));
        object.insert("prevIndex".into(), json!(0));
        object.insert("totalResults".into(), json!(0));
    }
    body
}

/// Verify Phone Number's `data`: one `{"input", "status"}` per number sent,
/// in order, `input` echoed. The stand-in cannot know who has WhatsApp: a
/// number in the doc's form (digits, starting with 62 or 0, 9 to 15 digits)
/// is `valid`, anything else `invalid`.
fn verified(asked: Asked<'_>) -> Value {
    let numbers: &[Value] = match asked.body {
        Some(Value::Array(items)) => items,
        _ => &[],
    };
    numbers
        .iter()
        .map(|n| {
            let valid = n.as_str().is_some_and(plausible);
            json!({"input": n, "status": if valid { "valid" } else { "invalid" }})
        })
        .collect()
}

fn plausible(number: &str) -> bool {
    (9..=15).contains(&number.len())
        && number.bytes().all(|b| b.is_ascii_digit())
        && (number.starts_with("62") || number.starts_with('0'))
}

/// Get Broadcast Detail's `data`: the sample's, with `id` the broadcast id
/// the request names (query `id`, `broadcastId`, `broadcast_id`…; none: a
/// fresh one).
fn detail(asked: Asked<'_>, ids: &Ids) -> Value {
    let id = asked
        .param(&["id", "broadcastid"])
        .map_or_else(|| ids.hex24(), str::to_string);
    let message = r#"{"header":[],"body":[{"type":"static","key":"{{1}}","value":"{value}"},{"type":"static","key":"{{2}}","value":"{value}"}]}"#;
    json!({
        "id": id,
        "spell": ["New Notification", message],
        "owner": "owner-id",
        "createdDate": 1_614_657_234_000_u64,
        "createdBy": "created-by-id",
        "modifiedDate": 1_614_657_340_548_u64,
        "modifiedBy": "system",
        "templateId": "template-id",
        "actionDate": 1_614_657_339_000_u64,
        "name": "New Notification",
        "message": message,
        "recipient": [
            r#"{"type":"contact","id":"{recipient-id}","phone":"{phone-number}","selected":true}"#
        ],
        "status": "Sent",
        "channel": "your-channel-id",
        "channelType": "your-channel-type",
        "sendingMode": "Now",
        "scheduledDate": 1_614_657_339_000_u64,
        "scheduledTime": "10:55"
    })
}

/// The samples' `"status": "success"` turned to `"error"`, a `message`,
/// and preflight's error object (3Dolphins documents no error shape).
pub(super) fn upstream_failure(route: &Route, failure: UpstreamFailure, detail: &str) -> Value {
    let error: Map<String, Value> = preflight_failure(route, failure, detail);
    let message = error.get("message").cloned().unwrap_or(Value::Null);
    json!({
        "status": "error",
        "message": message,
        "preflight_stand_in": true,
        "error": error,
    })
}
