//! The WhatsApp chatbot gateway: the send calls, `groups`, `getqr`,
//! `checknumber`, each "Status: 200 OK" with its sample, and the one error
//! every call documents, "Status: 400 Bad Request" with
//! `{"success": false, "errorMessage": "[Pesan Error]"}`. Also what the
//! gateway sends the user: the `notifyurl` status callbacks and the keyword
//! webhook.

use super::time::now_secs;
use super::{Answer, Asked, Ids, UpstreamFailure, first_error, preflight_failure};
use preflight::http::Route;
use serde_json::{Value, json};

/// The stand-in bot's own WhatsApp number (`from` of a send, `number` of
/// getqr), in the samples' form (`6283xxxxxxxxx`).
pub const BOT_NUMBER: &str = "6283100000000";

/// The customer's number in a keyword webhook when none is given, the
/// doc's `6282386xxxxxx` filled in.
pub const STAND_IN_CUSTOMER: &str = "6282386123456";

/// The webhook key sent when the user gives none. Not the doc's placeholder
/// (`"webhookkey": "YourSecretWebhookKey"`), which preflight itself reports as
/// unfilled: a marked stand-in the user's webhook should refuse.
pub const WEBHOOK_KEY_STAND_IN: &str = "preflight-stand-in-webhook-key";

pub(super) fn success(route: &Route, asked: Asked<'_>, ids: &Ids) -> Option<Answer> {
    let body = match route.id {
        "chatbot/sendwa" => sent(asked, ids, "text"),
        "chatbot/sendwatogroup" | "chatbot/sendlocation" | "chatbot/sendlocationtogroup" => {
            sent(asked, ids, "chat")
        }
        "chatbot/sendmedia" | "chatbot/sendmediatogroup" => {
            sent(asked, ids, media_type(asked.text("mediaurl")))
        }
        "chatbot/sendcontact" | "chatbot/sendcontacttogroup" => sent(asked, ids, "vcard"),
        "chatbot/groups" => json!({
            "success": true,
            "message": [
                {"groupid": "12036300000000001", "groupname": "test", "grouplastchat": 1_678_975_656},
                {"groupid": "12036400000000002", "groupname": "test 2", "grouplastchat": 1_678_975_657}
            ]
        }),
        // The connected variant ("Jika client sudah terhubung dengan WhatsApp").
        "chatbot/getqr" => json!({
            "success": true,
            "message": {
                "isAuthenticated": true,
                "number": BOT_NUMBER,
                "name": BOT_NUMBER,
                "qrcode": ""
            }
        }),
        "chatbot/checknumber" => json!({
            "success": true,
            "message": asked.text("nohp").is_some_and(plausible),
        }),
        _ => return None,
    };
    Some(Answer { status: 200, body })
}

/// A send's answer: `{"success": true, "message": {id, status, type,
/// timestamp, from, to}}` with `id` fresh (`3EB0` + 16 hex), `status` 0,
/// `timestamp` now, `from` the bot, `to` the request's number (`…@c.us`)
/// or group (`…@g.us`), as the samples' (address-obfuscated) values read.
fn sent(asked: Asked<'_>, ids: &Ids, kind: &str) -> Value {
    let to = match (asked.text("groupid"), asked.text("nohp")) {
        (Some(group), _) => Value::from(jid(group, "@g.us")),
        (None, Some(number)) => Value::from(jid(number, "@c.us")),
        (None, None) => Value::Null,
    };
    json!({
        "success": true,
        "message": {
            "id": ids.wa_message_id(),
            "status": 0,
            "type": kind,
            "timestamp": now_secs(),
            "from": format!("{BOT_NUMBER}@c.us"),
            "to": to,
        }
    })
}

fn jid(id: &str, suffix: &str) -> String {
    let id = id.trim();
    if id.contains('@') {
        id.to_string()
    } else {
        format!("{id}{suffix}")
    }
}

/// The WhatsApp message type of a media URL, by its extension: `image`,
/// `video`, `audio`, else `document`; no extension: `image`, the samples'.
fn media_type(url: Option<&str>) -> &'static str {
    let Some(url) = url else {
        return "image";
    };
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let name = path.rsplit('/').next().unwrap_or(path);
    let Some((_, ext)) = name.rsplit_once('.') else {
        return "image";
    };
    match ext.to_ascii_lowercase().as_str() {
        "jpg" | "jpeg" | "png" | "gif" | "webp" => "image",
        "mp4" | "3gp" | "mov" | "mkv" | "avi" | "webm" => "video",
        "mp3" | "ogg" | "opus" | "wav" | "m4a" | "aac" | "amr" => "audio",
        _ => "document",
    }
}

/// A WhatsApp number as the gateway's samples write them: 62 and 8 to 13 digits.
fn plausible(number: &str) -> bool {
    let number = number.trim();
    (10..=15).contains(&number.len())
        && number.starts_with("62")
        && number.bytes().all(|b| b.is_ascii_digit())
}

/// 400 with `{"success": false, "errorMessage": <first error>, "preflight": <findings>}`.
pub(super) fn invalid(findings: &Value) -> Answer {
    Answer {
        status: 400,
        body: json!({
            "success": false,
            "errorMessage": first_error(findings),
            "preflight": findings,
        }),
    }
}

/// The documented error shape, with preflight's error object under `preflight`.
pub(super) fn upstream_failure(route: &Route, failure: UpstreamFailure, detail: &str) -> Value {
    let error = preflight_failure(route, failure, detail);
    let message = match detail.trim() {
        "" => failure.sentence("the gateway"),
        d => format!("{}: {d}", failure.sentence("the gateway")),
    };
    json!({
        "success": false,
        "errorMessage": message,
        "preflight": {"error": error},
    })
}

/// The acks a delivered message's status goes through after the send
/// answered `status` 0: 1 (on the server), 2 (delivered to the phone), 3
/// (read). The doc announces its list ("Berikut ini list ack yang dikirimkan
/// Chatbot:") but gives none; its samples show 3 and 1; the levels are
/// WhatsApp Web's, as `chatbot/notify`'s schema says.
pub(super) fn notify_sequence(msgid: &str) -> Vec<Value> {
    [1, 2, 3]
        .into_iter()
        .map(|ack| json!({"msgid": msgid, "ack": ack}))
        .collect()
}

/// See [`super::keyword_webhook`].
pub(super) fn keyword_webhook(keyword: &str, data: &str, from: Option<&str>) -> Value {
    let from = from
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .unwrap_or(STAND_IN_CUSTOMER);
    // "penawaran#Jhon Doe#…" given as the keyword: the keyword is up to its first '#'.
    let (keyword, typed) = match keyword.find('#') {
        Some(at) if at + 1 < keyword.len() => {
            let rest = &keyword[at + 1..];
            let typed = if data.is_empty() {
                rest.to_string()
            } else {
                format!("{rest}#{data}")
            };
            (&keyword[..=at], typed)
        }
        _ => (keyword, data.to_string()),
    };
    let data = if keyword.ends_with('#') {
        // "Jika kata kunci webhook menggunakan tanda pagar (#), maka data
        // setelah tanda pagar (#) akan dikirim ke URL Webhook."
        let values: Vec<Value> = if typed.is_empty() {
            Vec::new()
        } else {
            typed.split('#').map(Value::from).collect()
        };
        Value::from(values)
    } else {
        // "… maka data nama dan no hp akan dikirim ke URL Webhook."
        json!({"nama": typed, "nohp": from})
    };
    json!({
        "keyword": keyword,
        "data": data,
        "webhookkey": WEBHOOK_KEY_STAND_IN,
        "from": from,
    })
}
