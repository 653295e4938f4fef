//! The answers against the providers' docs: each sample below is copied from
//! the doc named beside it (`/work/shared/provider-docs/`), and an answer
//! must have the sample's keys, in order, with values of the sample's types.

use super::*;
use preflight::http::{ROUTES, route};
use serde_json::{Value, json};

fn r(id: &str) -> &'static Route {
    route(id).unwrap()
}

fn answer(id: &str, body: Option<&Value>, params: &[(String, String)], ids: &Ids) -> Answer {
    success(r(id), Asked { body, params }, ids)
}

fn answer_json(id: &str, body: Value) -> Answer {
    answer(id, Some(&body), &[], &Ids::new())
}

/// Same keys (in the same order) at every level, same JSON types for the
/// leaves; an array's items each shaped like the sample's first item. A
/// sample `null` matches anything (the samples write `null` for "none yet").
fn assert_shape(sample: &Value, got: &Value, at: &str) {
    match (sample, got) {
        (Value::Null, _) => {}
        (Value::Object(s), Value::Object(g)) => {
            let sk: Vec<&String> = s.keys().collect();
            let gk: Vec<&String> = g.keys().collect();
            assert_eq!(sk, gk, "keys at {at}: {got}");
            for (k, v) in s {
                assert_shape(v, &g[k], &format!("{at}/{k}"));
            }
        }
        (Value::Array(s), Value::Array(g)) => {
            if let Some(first) = s.first() {
                assert!(!g.is_empty(), "empty array at {at}");
                for (i, item) in g.iter().enumerate() {
                    assert_shape(first, item, &format!("{at}/{i}"));
                }
            }
        }
        (Value::String(_), Value::String(_))
        | (Value::Bool(_), Value::Bool(_))
        | (Value::Number(_), Value::Number(_)) => {}
        _ => panic!("type at {at}: sample {sample}, got {got}"),
    }
}

fn is_hex(s: &str, upper: bool) -> bool {
    s.bytes().all(|b| {
        b.is_ascii_digit()
            || if upper {
                (b'A'..=b'F').contains(&b)
            } else {
                (b'a'..=b'f').contains(&b)
            }
    })
}

fn is_hex24(v: &Value) -> bool {
    v.as_str()
        .is_some_and(|s| s.len() == 24 && is_hex(s, false))
}

// ---- every route -------------------------------------------------------

#[test]
fn every_route_has_a_documented_answer_not_the_fallback() {
    let ids = Ids::new();
    for route in ROUTES {
        let a = success(
            route,
            Asked {
                body: None,
                params: &[],
            },
            &ids,
        );
        assert_eq!(a.status, 200, "{}", route.id);
        let stand_in = a.body.get("preflight_stand_in").is_some();
        assert_eq!(
            stand_in,
            route.provider == "sandeza",
            "{}: {}",
            route.id,
            a.body
        );
        assert!(a.body.get("route").is_none(), "{}: {}", route.id, a.body);
    }
}

#[test]
fn every_route_answers_twice_with_different_bodies_where_ids_are_fresh() {
    // Every route's sample carries an id, except: 3Dolphins verify and
    // delete, the gateway's groups, getqr and checknumber.
    let without_ids = [
        "3dolphins/verify-phone",
        "3dolphins/broadcast-delete",
        "chatbot/groups",
        "chatbot/getqr",
        "chatbot/checknumber",
    ];
    let ids = Ids::new();
    for route in ROUTES {
        let asked = Asked {
            body: None,
            params: &[],
        };
        let (a, b) = (success(route, asked, &ids), success(route, asked, &ids));
        if without_ids.contains(&route.id) {
            assert_eq!(a, b, "{}", route.id);
        } else {
            assert_ne!(a.body, b.body, "{}", route.id);
        }
    }
}

#[test]
fn upstream_failures_are_502_and_504_in_json_for_every_route() {
    for route in ROUTES {
        let t = upstream_failure(route, UpstreamFailure::Timeout, "no answer within 30 s");
        let u = upstream_failure(route, UpstreamFailure::Unreachable, "connection refused");
        assert_eq!((t.status, u.status), (504, 502), "{}", route.id);
        for (a, detail) in [(&t, "no answer within 30 s"), (&u, "connection refused")] {
            assert!(
                a.body.to_string().contains(detail),
                "{}: {}",
                route.id,
                a.body
            );
            if route.provider == "chatbot" {
                // The gateway's documented error shape.
                assert_eq!(a.body["success"], false);
                assert!(a.body["errorMessage"].is_string());
                assert_eq!(a.body["preflight"]["error"]["route"], route.id);
            } else {
                assert_eq!(a.body["preflight_stand_in"], true, "{}", route.id);
                assert_eq!(a.body["error"]["route"], route.id);
                assert_eq!(a.body["error"]["provider"], route.provider);
            }
        }
        let kind = |a: &Answer| {
            let e = a.body.get("error").unwrap_or(&a.body["preflight"]["error"]);
            e["kind"].as_str().unwrap().to_string()
        };
        assert_eq!(kind(&t), "upstream-timeout");
        assert_eq!(kind(&u), "upstream-unreachable");
    }
    // The envelopes' own status keys say failure too.
    let oca = upstream_failure(r("oca/push-message"), UpstreamFailure::Timeout, "");
    assert_eq!(oca.body["success"], false);
    let qiscus = upstream_failure(r("qiscus/upload-csv"), UpstreamFailure::Unreachable, "");
    assert_eq!(qiscus.body["status"], 502);
    let dolphins = upstream_failure(r("3dolphins/broadcast"), UpstreamFailure::Timeout, "");
    assert_eq!(dolphins.body["status"], "error");
}

// ---- ids -----------------------------------------------------------------

#[test]
fn ids_are_never_the_same_twice_and_keep_their_shapes() {
    let ids = Ids::new();
    let mut seen = std::collections::HashSet::new();
    for _ in 0..2000 {
        let (h, w, u, n) = (
            ids.hex24(),
            ids.wa_message_id(),
            ids.uuid_like(),
            ids.numeric(8),
        );
        assert!(is_hex24(&Value::from(h.clone())), "{h}");
        assert!(
            w.len() == 20 && w.starts_with("3EB0") && is_hex(&w, true),
            "{w}"
        );
        let groups: Vec<usize> = u.split('-').map(str::len).collect();
        assert_eq!(groups, [8, 4, 4, 4, 12], "{u}");
        assert!(is_hex(&u.replace('-', ""), false), "{u}");
        assert_eq!(n.to_string().len(), 8, "{n}");
        for id in [h, w, u, n.to_string()] {
            assert!(seen.insert(id.clone()), "{id} twice");
        }
    }
}

#[test]
fn runs_with_different_seeds_give_different_ids() {
    let (a, b) = (
        Ids::with_seed(1_733_000_000_000_000_001),
        Ids::with_seed(1_733_000_000_000_000_002),
    );
    assert_ne!(a.hex24(), b.hex24());
    assert_ne!(a.uuid_like(), b.uuid_like());
    assert_ne!(a.numeric(8), b.numeric(8));
    // The same seed gives the same sequence (benchmarks can compare runs).
    let (c, d) = (Ids::with_seed(7), Ids::with_seed(7));
    assert_eq!(c.hex24(), d.hex24());
    assert_eq!(c.wa_message_id(), d.wa_message_id());
}

#[test]
fn numeric_ids_have_the_digits_asked_for() {
    let ids = Ids::with_seed(u64::MAX);
    for digits in 1..=18 {
        let n = ids.numeric(digits);
        assert_eq!(n.to_string().len(), digits as usize, "{digits}: {n}");
    }
    assert_eq!(Ids::with_seed(3).numeric(0).to_string().len(), 1);
    assert_eq!(Ids::with_seed(3).numeric(40).to_string().len(), 18);
}

// ---- Sandeza ---------------------------------------------------------------

#[test]
fn sandeza_has_no_sample_and_answers_a_marked_stand_in_echoing_ref_id() {
    // sandeza-cgw-single-channel.txt documents requests only ("Sample JSON
    // Request" throughout; no response, no status).
    let body = json!({
        "signature": "9f2c4e0d8b7a6f5e4d3c2b1a09f8e7d6c5b4a3928170f6e5d4c3b2a190817263",
        "time": "1730458063",
        "type": 2,
        "username": "divisi_cs",
        "ref_id": "inv-2024-11-000123",
        "subject": "[OTP] Kode verifikasi",
        "sender_id": "TOKOBATIK",
        "channel": {"sms": {"message": "Kode OTP Anda 482913 🔐", "msisdn": "081234567890"}}
    });
    let a = answer_json("sandeza/send", body);
    assert_eq!(a.status, 200);
    assert_eq!(a.body["preflight_stand_in"], true);
    assert_eq!(a.body["ref_id"], "inv-2024-11-000123");
    assert!(a.body["note"].as_str().unwrap().contains("stand-in"));
    assert_eq!(a.body["id"].as_str().unwrap().len(), 36);
    // The signature is never echoed.
    assert!(!a.body.to_string().contains("9f2c4e0d8b7a"), "{}", a.body);
}

// ---- OCA -------------------------------------------------------------------

#[test]
fn oca_push_message_answers_the_sample_with_a_fresh_msgid() {
    // oca-push-message-template.txt, "Response:"
    let sample = json!({"msgid": "xxxx9f4b-334a-27b2-xxxxb1e2xxxx", "success": true});
    let body = json!({
        "message": {"type": "template", "template": {
            "template_code_id": "promo_lebaran_2024",
            "payload": [{"position": "body", "parameters": [{"type": "text", "text": "Ibu Siti Nurhaliza"}]}]
        }},
        "phone_number": "6281381475159"
    });
    let ids = Ids::new();
    let a = answer("oca/push-message", Some(&body), &[], &ids);
    let b = answer("oca/push-message", Some(&body), &[], &ids);
    assert_eq!(a.status, 200);
    assert_shape(&sample, &a.body, "");
    assert_eq!(a.body["success"], true);
    assert_ne!(a.body["msgid"], b.body["msgid"]);
    let msgid = a.body["msgid"].as_str().unwrap();
    let lens: Vec<usize> = msgid.split('-').map(str::len).collect();
    assert_eq!(lens, [8, 4, 4, 4, 12]);
}

// ---- Qiscus ----------------------------------------------------------------

/// qiscus-outbound-broadcast.txt, "Send individual message", Sample Request.
fn qiscus_client_request() -> Value {
    json!({
        "channel_id": 534,
        "name": "Test Broadcast",
        "template_name": "invoince_update",
        "template_detail_id": 172,
        "namespace": "6616bb93_d895_41e7_8bbe_2c528219e56e",
        "language": "id",
        "variables": ["Nurcholis", "Rp. 30.000", "10 Maret 2022"],
        "phone_number": "6281527975868",
        "button_params": [{"type": "url", "values": "coba", "index": 0}],
        "started_at": "2022-03-05T10:15:00.000Z"
    })
}

#[test]
fn qiscus_broadcast_client_answers_the_sample_for_the_sample_request() {
    // The Sample Response, word for word but for the two ids.
    let sample = json!({
        "data": {
            "broadcast_job_id": 14528583,
            "broadcast_logs": [{
                "id": 25702462,
                "message_id": null,
                "notes": null,
                "phone_number": "6281527975868",
                "sent_at": "2022-03-05T10:15:00Z",
                "status": "scheduled",
                "variables": "[\"Nurcholis\",\"Rp. 30.000\",\"10 Maret 2022\"]"
            }],
            "language": "id",
            "name": "invoince_update",
            "namespace": "6616bb93_d895_41e7_8bbe_2c528219e56e"
        },
        "status": 200
    });
    let ids = Ids::new();
    let req = qiscus_client_request();
    let a = answer("qiscus/broadcast-client", Some(&req), &[], &ids);
    let b = answer("qiscus/broadcast-client", Some(&req), &[], &ids);
    assert_eq!(a.status, 200);
    assert_shape(&sample, &a.body, "");
    let mut same = a.body.clone();
    same["data"]["broadcast_job_id"] = sample["data"]["broadcast_job_id"].clone();
    same["data"]["broadcast_logs"][0]["id"] = sample["data"]["broadcast_logs"][0]["id"].clone();
    assert_eq!(same, sample);
    let job = |x: &Answer| x.body["data"]["broadcast_job_id"].as_u64().unwrap();
    let log = |x: &Answer| x.body["data"]["broadcast_logs"][0]["id"].as_u64().unwrap();
    assert_ne!(job(&a), job(&b));
    assert_ne!(log(&a), log(&b));
    assert_eq!(job(&a).to_string().len(), 8);
}

#[test]
fn qiscus_broadcast_client_echoes_other_values() {
    let mut req = qiscus_client_request();
    req["phone_number"] = json!("6285712345678");
    req["template_name"] = json!("tagihan_bulanan");
    req["variables"] = json!([
        "Bapak Muhammad Rizky Pratama Wijayakusuma",
        "Rp 1.250.000 😊"
    ]);
    req["started_at"] = json!("2024-12-01T09:00:00+07:00");
    let a = answer_json("qiscus/broadcast-client", req);
    let log = &a.body["data"]["broadcast_logs"][0];
    assert_eq!(log["phone_number"], "6285712345678");
    assert_eq!(a.body["data"]["name"], "tagihan_bulanan");
    assert_eq!(log["sent_at"], "2024-12-01T02:00:00Z");
    let vars: Value = serde_json::from_str(log["variables"].as_str().unwrap()).unwrap();
    assert_eq!(
        vars,
        json!([
            "Bapak Muhammad Rizky Pratama Wijayakusuma",
            "Rp 1.250.000 😊"
        ])
    );
}

#[test]
fn qiscus_unscheduled_broadcast_is_sent_now() {
    let mut req = qiscus_client_request();
    req.as_object_mut().unwrap().remove("started_at");
    let a = answer_json("qiscus/broadcast-client", req);
    let sent = a.body["data"]["broadcast_logs"][0]["sent_at"]
        .as_str()
        .unwrap();
    let t = time::parse_iso(sent).unwrap();
    assert!((time::now_secs() - t).abs() < 60, "{sent}");
}

#[test]
fn qiscus_upload_csv_answers_the_sample_with_a_fresh_file_id() {
    // "Upload file", Sample response.
    let sample = json!({
        "broadcast_file_id": 2272837,
        "current_balance": {"credits": "0", "free_session": 1000, "quota": 857},
        "estimation_charge": {"credit": 0, "free_session": 1, "quota": 0}
    });
    // A multipart form's fields arrive as strings.
    let form = json!({"template_detail_id": "172", "separator": ","});
    let ids = Ids::new();
    let a = answer("qiscus/upload-csv", Some(&form), &[], &ids);
    let b = answer("qiscus/upload-csv", Some(&form), &[], &ids);
    assert_eq!(a.status, 200);
    assert_shape(&sample, &a.body, "");
    assert_ne!(a.body["broadcast_file_id"], b.body["broadcast_file_id"]);
    assert_eq!(
        a.body["broadcast_file_id"]
            .as_u64()
            .unwrap()
            .to_string()
            .len(),
        7
    );
    assert_eq!(a.body["current_balance"], sample["current_balance"]);
}

#[test]
fn qiscus_send_broadcast_answers_the_sample_echoing_name_and_template() {
    // "Send Broadcast", Sample response.
    let sample = json!({
      "data": {"broadcast_job": {
          "canceled_at": null, "canceled_by": null, "channel_id": 534,
          "channel_name": "Qiscus Sandbox 3", "created_at": "2022-03-05T11:01:18",
          "id": 14529081, "language": "id", "name": "Test Cholis 3",
          "started_at": "2022-03-05T11:59:00Z", "status": 4, "template_detail_id": 172,
          "template_id": 191, "template_name": "invoince_update", "total_failed": null,
          "total_read": null, "total_received": null, "total_recipient": 1,
          "total_sent": null, "user": {"name": "Alena"}
      }},
      "status": 200
    });
    // Sample request (JSON) …
    let json_req = json!({
        "template_detail_id": 172, "broadcast_file_id": 2272836, "name": "Test Cholis 3",
        "separator": ",", "started_at": "2022-03-05T11:59:00.000Z"
    });
    // … and the multipart form the parameter table says.
    let form = json!({
        "template_detail_id": "172", "broadcast_file_id": "2272836", "name": "Test Cholis 3",
        "separator": ",", "started_at": "2022-03-05T11:59:00.000Z"
    });
    let ids = Ids::new();
    let a = answer("qiscus/send-broadcast", Some(&json_req), &[], &ids);
    let b = answer("qiscus/send-broadcast", Some(&form), &[], &ids);
    for x in [&a, &b] {
        assert_eq!(x.status, 200);
        assert_shape(&sample, &x.body, "");
        let job = &x.body["data"]["broadcast_job"];
        assert_eq!(job["name"], "Test Cholis 3");
        assert_eq!(job["template_detail_id"], 172);
        assert_eq!(job["started_at"], "2022-03-05T11:59:00Z");
        let created = job["created_at"].as_str().unwrap();
        assert!(created.len() == 19 && !created.ends_with('Z'), "{created}");
    }
    let id = |x: &Answer| x.body["data"]["broadcast_job"]["id"].clone();
    assert_ne!(id(&a), id(&b));
}

// ---- 3Dolphins -------------------------------------------------------------

/// The broadcast samples' response ("Response: 200").
fn dolphins_broadcast_sample() -> Value {
    json!({
      "status": "success",
      "data": {"id": "[broadcast-id]"},
      "message": "Successfully make Broadcast Item",
      "hasMore": false, "nextIndex": 0, "prevIndex": 0, "totalResults": 0
    })
}

#[test]
fn dolphins_upload_recipient_answers_a_fresh_recipient_id() {
    // Create Recipients: "Response status : 200" {"recipient_id": "[recipient id]"}
    let form = json!({});
    let ids = Ids::new();
    let a = answer("3dolphins/upload-recipient", Some(&form), &[], &ids);
    let b = answer("3dolphins/upload-recipient", Some(&form), &[], &ids);
    assert_eq!(a.status, 200);
    assert_shape(&json!({"recipient_id": "[recipient id]"}), &a.body, "");
    assert!(is_hex24(&a.body["recipient_id"]));
    assert_ne!(a.body, b.body);
}

#[test]
fn dolphins_verify_echoes_every_number_in_order() {
    // Verify Phone Number: "Response status : 200"
    let sample = json!({
      "status": "success",
      "data": [
        {"input": "phone-number-1", "status": "valid"},
        {"input": "phone-number-2", "status": "invalid"}
      ],
      "hasMore": false, "nextIndex": 0, "prevIndex": 0, "totalResults": 0
    });
    let body = json!([
        "6281812345678",
        "081812345678",
        "+6281812345678",
        "0812-3456-7890"
    ]);
    let params = vec![(
        "channel".to_string(),
        "2ada6f6e1b4c4e0d9a7f3c21".to_string(),
    )];
    let a = answer("3dolphins/verify-phone", Some(&body), &params, &Ids::new());
    assert_eq!(a.status, 200);
    assert_shape(&sample, &a.body, "");
    let got: Vec<(&str, &str)> = a.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["input"].as_str().unwrap(), d["status"].as_str().unwrap()))
        .collect();
    // "nomor telepon harus diisi dengan format '62' (kode negara) atau '0',
    // tidak dapat diisi dengan '+'."
    assert_eq!(
        got,
        [
            ("6281812345678", "valid"),
            ("081812345678", "valid"),
            ("+6281812345678", "invalid"),
            ("0812-3456-7890", "invalid"),
        ]
    );
}

#[test]
fn dolphins_broadcast_answers_the_sample_with_a_fresh_24_hex_id() {
    let body = json!({
        "name": "Promo Ramadhan [VIP] 🌙", "channel": "2ada6f6e1b4c4e0d9a7f3c21",
        "sendingMode": "Now", "templateId": "8a2d8a2a3c1f4b5e", "recipient": "64f1c2a9e4b0a1b2c3d4e5f6",
        "content": [{"type": "text", "message": "Halo Bapak/Ibu"}]
    });
    let ids = Ids::new();
    let a = answer("3dolphins/broadcast", Some(&body), &[], &ids);
    let b = answer("3dolphins/broadcast", Some(&body), &[], &ids);
    assert_eq!(a.status, 200);
    let mut sample = dolphins_broadcast_sample();
    assert_shape(&sample, &a.body, "");
    assert!(is_hex24(&a.body["data"]["id"]));
    assert_ne!(a.body["data"]["id"], b.body["data"]["id"]);
    sample["data"]["id"] = a.body["data"]["id"].clone();
    assert_eq!(a.body, sample);
}

#[test]
fn dolphins_multiple_answers_one_item_per_broadcast() {
    // Send Multiple Broadcast: "Response status : 200"
    let sample = json!({
      "status": "success",
      "data": [{"id": "[id]", "message": "Successfully make Broadcast Item", "status": "success"}],
      "hasMore": false, "nextIndex": 0, "prevIndex": 0, "totalResults": 0
    });
    let one = json!({"name": "Tagihan Desember", "channel": "2ada6f6e1b4c4e0d9a7f3c21",
        "sendingMode": "Now", "content": [{"type": "text", "message": "Tagihan Anda"}]});
    let body = json!([one.clone(), one.clone(), one]);
    let a = answer(
        "3dolphins/broadcast-multiple",
        Some(&body),
        &[],
        &Ids::new(),
    );
    assert_eq!(a.status, 200);
    assert_shape(&sample, &a.body, "");
    let items = a.body["data"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    let distinct: std::collections::HashSet<&str> =
        items.iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(distinct.len(), 3);
    assert!(items.iter().all(|i| is_hex24(&i["id"])));
}

#[test]
fn dolphins_detail_echoes_the_broadcast_id() {
    // Get Broadcast Detail by ID: "Broadcast id: [broadcast id]",
    // "Response status : 200", data.id "your-broadcast-id".
    let ids = Ids::new();
    for key in ["id", "broadcastId", "broadcast_id"] {
        let params = vec![(key.to_string(), "173ae7e4401f2a3b4c5d6e7f".to_string())];
        let a = answer("3dolphins/broadcast-detail", None, &params, &ids);
        assert_eq!(a.status, 200);
        assert_eq!(a.body["data"]["id"], "173ae7e4401f2a3b4c5d6e7f", "{key}");
        assert_eq!(a.body["status"], "success");
        assert_eq!(a.body["data"]["status"], "Sent");
        assert_eq!(a.body["data"]["sendingMode"], "Now");
        assert_eq!(a.body["data"]["createdDate"], 1_614_657_234_000_u64);
        let keys: Vec<&String> = a.body["data"].as_object().unwrap().keys().collect();
        // The sample's 18 members.
        assert_eq!(keys.len(), 18);
    }
    // No id given: a fresh one.
    let a = answer("3dolphins/broadcast-detail", None, &[], &ids);
    assert!(is_hex24(&a.body["data"]["id"]));
}

#[test]
fn dolphins_delete_answers_the_sample() {
    // Delete Broadcast: "Response status : 200"
    let sample = json!({
      "status": "success",
      "data": "Successfully delete Broadcast Item",
      "hasMore": false, "nextIndex": 0, "prevIndex": 0, "totalResults": 0
    });
    let params = vec![("id".to_string(), "173ae7e4401f2a3b4c5d6e7f".to_string())];
    let a = answer("3dolphins/broadcast-delete", None, &params, &Ids::new());
    assert_eq!((a.status, &a.body), (200, &sample));
}

#[test]
fn dolphins_broadcast_whatsapp_answers_its_own_sample_without_paging() {
    // Create Broadcast WhatsApp: "Response Status: 200"
    let sample = json!({
      "status": "success",
      "data": {"id": "173ae7e440xxxxxxxxxxxxxx"},
      "message": "Successfully make Broadcast Item"
    });
    let body = json!({"name": "Broadcast", "channel": "2ada6f6e1b4c4e0d9a7f3c21", "sendingMode": "Now",
        "templateId": "8a2d8a2a3c1f4b5e", "content": [],
        "whatsappRecipient": [{"Recipient": "6281812345678", "Panggilan": "Zulfa", "Nama": "Fahimah"}]});
    let a = answer_json("3dolphins/broadcast-whatsapp", body);
    assert_eq!(a.status, 200);
    assert_shape(&sample, &a.body, "");
    // Same length and alphabet as the sample's 173ae7e440xxxxxxxxxxxxxx.
    assert!(is_hex24(&a.body["data"]["id"]));
}

#[test]
fn dolphins_qiscus_oca_and_sandeza_document_no_error_response() {
    let findings =
        json!({"files": [], "summary": {"files": 1, "payloads": 1, "errors": 1, "warnings": 0}});
    for route in ROUTES.iter().filter(|r| r.provider != "chatbot") {
        assert_eq!(invalid(route, &findings), None, "{}", route.id);
    }
}

// ---- the chatbot gateway ---------------------------------------------------

/// A send's sample response (chatbot-gateway-api.txt, "Status: 200 OK",
/// "Pesan berhasil dikirim"); the doc's `from`/`to` are obfuscated addresses.
fn chatbot_sent_sample(kind: &str) -> Value {
    json!({
        "success": true,
        "message": {
            "id": "3EB02B7BEAD27AFA278E",
            "status": 0,
            "type": kind,
            "timestamp": 1678849330,
            "from": "[email protected]",
            "to": "[email protected]"
        }
    })
}

#[test]
fn chatbot_sends_answer_the_samples_type_and_echo_the_destination() {
    // The samples' "type" per call: sendwa "text", sendlocation "chat",
    // sendcontact "vcard", sendwatogroup "chat", sendlocationtogroup "chat",
    // sendcontacttogroup "vcard".
    let person = "6281234567890";
    let group = "120363025246125888";
    let contact = json!({"name": "Bu Rina (CS) 🛍️", "numbers": ["6281298765432"]});
    let cases = [
        (
            "chatbot/sendwa",
            json!({"nohp": person, "pesan": "[OTP] 482913"}),
            "text",
            format!("{person}@c.us"),
        ),
        (
            "chatbot/sendlocation",
            json!({"nohp": person, "latitude": "0.525960", "longitude": "101.426866", "pesan": "Kantor Pusat"}),
            "chat",
            format!("{person}@c.us"),
        ),
        (
            "chatbot/sendcontact",
            json!({"nohp": person, "contact": contact}),
            "vcard",
            format!("{person}@c.us"),
        ),
        (
            "chatbot/sendwatogroup",
            json!({"groupid": group, "pesan": "Rapat jam 10"}),
            "chat",
            format!("{group}@g.us"),
        ),
        (
            "chatbot/sendlocationtogroup",
            json!({"groupid": group, "latitude": "0.525960", "longitude": "101.426866", "pesan": "Kantor Pusat"}),
            "chat",
            format!("{group}@g.us"),
        ),
        (
            "chatbot/sendcontacttogroup",
            json!({"groupid": format!("{group}@g.us"), "contact": contact}),
            "vcard",
            format!("{group}@g.us"),
        ),
        // The gateway's sendcontacttogroup samples post to /api/sendcontact:
        // the group still is the destination.
        (
            "chatbot/sendcontact",
            json!({"groupid": group, "contact": contact}),
            "vcard",
            format!("{group}@g.us"),
        ),
    ];
    let ids = Ids::new();
    for (id, body, kind, to) in cases {
        let a = answer(id, Some(&body), &[], &ids);
        let b = answer(id, Some(&body), &[], &ids);
        assert_eq!(a.status, 200, "{id}");
        assert_shape(&chatbot_sent_sample(kind), &a.body, id);
        let m = &a.body["message"];
        assert_eq!(m["type"], kind, "{id}");
        assert_eq!(m["status"], 0);
        assert_eq!(m["to"], to.as_str(), "{id}");
        assert_eq!(m["from"], format!("{BOT_NUMBER}@c.us"));
        let msgid = m["id"].as_str().unwrap();
        assert!(
            msgid.len() == 20 && msgid.starts_with("3EB0") && is_hex(msgid, true),
            "{msgid}"
        );
        assert_ne!(a.body["message"]["id"], b.body["message"]["id"]);
        assert!((time::now_secs() - m["timestamp"].as_i64().unwrap()).abs() < 60);
        assert_eq!(message_id(&a), Some(msgid));
    }
}

#[test]
fn chatbot_media_type_follows_the_file() {
    let cases = [
        ("https://tokobatik.co.id/promo/katalog.jpg", "image"),
        ("https://tokobatik.co.id/promo/KATALOG.PNG?v=2", "image"),
        ("https://tokobatik.co.id/promo/iklan.mp4", "video"),
        ("https://tokobatik.co.id/promo/jingle.mp3#t=1", "audio"),
        ("https://yourdomain/yourmedia.pdf", "document"),
        ("https://tokobatik.co.id/media/12345", "image"),
    ];
    for id in ["chatbot/sendmedia", "chatbot/sendmediatogroup"] {
        for (url, kind) in cases {
            let body = json!({"nohp": "6281234567890", "groupid": "120363025246125888", "pesan": "Katalog", "mediaurl": url});
            let a = answer_json(id, body);
            assert_shape(&chatbot_sent_sample(kind), &a.body, id);
            assert_eq!(a.body["message"]["type"], kind, "{url}");
        }
    }
}

#[test]
fn chatbot_groups_getqr_checknumber_answer_their_samples() {
    // groups: "Data group berhasil diambil"
    let groups = json!({"success": true, "message": [
        {"groupid": "120363xxxxxxxxxxx", "groupname": "test", "grouplastchat": 1678975656},
        {"groupid": "120364xxxxxxxxxxx", "groupname": "test 2", "grouplastchat": 1678975657}
    ]});
    let a = answer("chatbot/groups", None, &[], &Ids::new());
    assert_eq!(a.status, 200);
    assert_shape(&groups, &a.body, "");
    for g in a.body["message"].as_array().unwrap() {
        let id = g["groupid"].as_str().unwrap();
        // The sample's 17 characters, its masked digits filled in, so a
        // client can send to it without preflight calling it a placeholder.
        assert!(
            id.len() == 17 && id.bytes().all(|b| b.is_ascii_digit()),
            "{id}"
        );
        let report = preflight::validate_value(
            "chatbot/sendwatogroup",
            &json!({"groupid": id, "pesan": "Rapat jam 10"}),
        )
        .unwrap();
        assert!(report.is_clean(), "{id}: {:?}", report.diagnostics);
    }
    // getqr: "Jika client sudah terhubung dengan WhatsApp …"
    let qr = json!({"success": true, "message": {"isAuthenticated": true,
        "number": "6283xxxxxxxxx", "name": "6283xxxxxxxxx", "qrcode": ""}});
    let a = answer("chatbot/getqr", None, &[], &Ids::new());
    assert_eq!(a.status, 200);
    assert_shape(&qr, &a.body, "");
    assert_eq!(a.body["message"]["number"].as_str().unwrap().len(), 13);
    // checknumber: {"success": true, "message": true}
    let yes = answer_json("chatbot/checknumber", json!({"nohp": "628123456789"}));
    assert_eq!(
        (yes.status, &yes.body),
        (200, &json!({"success": true, "message": true}))
    );
    let no = answer_json("chatbot/checknumber", json!({"nohp": "0812-3456-789"}));
    // The stand-in cannot ask WhatsApp: a number not in the gateway's form is "not registered".
    assert_eq!(
        (no.status, &no.body),
        (200, &json!({"success": true, "message": false}))
    );
}

/// The findings document the server builds, from a real validation.
fn findings_of(endpoint: &str, payload: &Value) -> Value {
    let report = preflight::validate_value(endpoint, payload).unwrap();
    let diagnostics: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|d| serde_json::to_value(d).unwrap())
        .collect();
    json!({
        "files": [{"path": "POST /chatbot/api/sendwa", "endpoint": endpoint, "diagnostics": diagnostics}],
        "summary": {"files": 1, "payloads": 1, "errors": report.error_count(), "warnings": report.warning_count()}
    })
}

#[test]
fn chatbot_invalid_is_the_documented_400_with_the_first_error() {
    // Every call: "Status: 400 Bad Request" {"success": false, "errorMessage": "[Pesan Error]"}
    let bad = json!({"nohp": "+62 812-3456-7890", "pesan": "Halo Kak Dewi 👋"});
    let findings = findings_of("chatbot/sendwa", &bad);
    let errors = findings["summary"]["errors"].as_u64().unwrap();
    assert!(errors >= 1, "{findings}");
    let first = findings["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["severity"] == "error")
        .unwrap()["message"]
        .as_str()
        .unwrap()
        .to_string();
    for route in preflight::http::routes_of("chatbot") {
        let a = invalid(route, &findings).unwrap();
        assert_eq!(a.status, 400);
        let keys: Vec<&String> = a.body.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["success", "errorMessage", "preflight"]);
        assert_eq!(a.body["success"], false);
        let message = a.body["errorMessage"].as_str().unwrap();
        assert!(
            message.starts_with(&format!("preflight: {first}")),
            "{message}"
        );
        if errors > 1 {
            assert!(
                message.ends_with(&format!(
                    "(and {} more error{})",
                    errors - 1,
                    if errors == 2 { "" } else { "s" }
                )),
                "{message}"
            );
        }
        assert_eq!(a.body["preflight"], findings);
    }
}

#[test]
fn first_error_skips_warnings_and_counts_the_rest() {
    let findings = json!({"files": [{"path": "POST /chatbot/api/sendwa", "endpoint": "chatbot/sendwa", "diagnostics": [
        {"rule": "implausible-phone", "severity": "warning", "pointer": "/nohp", "message": "a warning first"},
        {"rule": "required", "severity": "error", "pointer": "/pesan", "message": "`pesan` is required"},
        {"rule": "type", "severity": "error", "pointer": "/nohp", "message": "`nohp` must be a string"},
        {"rule": "max-length", "severity": "error", "pointer": "/x", "message": "third"}
    ]}], "summary": {}});
    let a = invalid(r("chatbot/sendwa"), &findings).unwrap();
    assert_eq!(
        a.body["errorMessage"],
        "preflight: `pesan` is required (and 2 more errors)"
    );
    // No finding at all (the core only calls with errors, but never panics).
    let empty = invalid(r("chatbot/checknumber"), &json!({})).unwrap();
    assert_eq!(
        empty.body["errorMessage"],
        "preflight: the request is invalid"
    );
    // Only warnings: the first is said.
    let warn =
        json!({"files": [{"diagnostics": [{"severity": "warning", "message": "hati-hati"}]}]});
    let a = invalid(r("chatbot/sendwa"), &warn).unwrap();
    assert_eq!(a.body["errorMessage"], "preflight: hati-hati");
}

#[test]
fn notify_url_is_read_from_the_send_request() {
    let body = json!({"nohp": "6281234567890", "pesan": "x", "notifyurl": "https://tokobatik.co.id/wa/notify"});
    let asked = Asked {
        body: Some(&body),
        params: &[],
    };
    assert_eq!(
        notify_url(&asked),
        Some("https://tokobatik.co.id/wa/notify")
    );
    let none = json!({"nohp": "6281234567890", "pesan": "x", "notifyurl": " "});
    assert_eq!(
        notify_url(&Asked {
            body: Some(&none),
            params: &[]
        }),
        None
    );
    assert_eq!(
        notify_url(&Asked {
            body: None,
            params: &[]
        }),
        None
    );
}

#[test]
fn notify_sequence_is_valid_and_ends_read() {
    // "Contoh payload yang dikirimkan oleh Chatbot ke notifyurl"
    // {"msgid": "3EB020B4DBA916EB3379", "ack": 3}
    let ids = Ids::new();
    let msgid = ids.wa_message_id();
    let seq = notify_sequence(&msgid);
    let acks: Vec<i64> = seq.iter().map(|b| b["ack"].as_i64().unwrap()).collect();
    assert_eq!(acks, [1, 2, 3]);
    for body in &seq {
        assert_shape(
            &json!({"msgid": "3EB020B4DBA916EB3379", "ack": 3}),
            body,
            "",
        );
        assert_eq!(body["msgid"], msgid.as_str());
        let report = preflight::validate_value("chatbot/notify", body).unwrap();
        assert!(report.is_clean(), "{body}: {:?}", report.diagnostics);
    }
}

#[test]
fn keyword_webhook_with_a_hash_keyword_sends_the_values_typed_after_it() {
    // "User-input: 'penawaran#Jhon Doe#[email protected]'" →
    // {"keyword": "penawaran#", "data": ["Jhon Doe", "…"], "webhookkey": …, "from": "6282386xxxxxx"}
    let sample = json!({"keyword": "penawaran#", "data": ["Jhon Doe", "jhon@example.com"],
        "webhookkey": "YourSecretWebhookKey", "from": "6282386xxxxxx"});
    let body = keyword_webhook(
        "penawaran#",
        "Budi Santoso#budi@tokobaju.co.id",
        "6282386123456",
    );
    assert_shape(&sample, &body, "");
    assert_eq!(body["keyword"], "penawaran#");
    assert_eq!(body["data"], json!(["Budi Santoso", "budi@tokobaju.co.id"]));
    assert_eq!(body["from"], "6282386123456");
    assert_eq!(body["webhookkey"], WEBHOOK_KEY_STAND_IN);
    // The whole chat given as the keyword reads the same.
    assert_eq!(
        keyword_webhook(
            "penawaran#Budi Santoso#budi@tokobaju.co.id",
            "",
            "6282386123456"
        ),
        body
    );
    assert_eq!(
        keyword_webhook(
            "penawaran#Budi Santoso",
            "budi@tokobaju.co.id",
            "6282386123456"
        ),
        body
    );
    // Nothing typed after the '#'.
    assert_eq!(
        keyword_webhook("penawaran#", "", "6282386123456")["data"],
        json!([])
    );
}

#[test]
fn keyword_webhook_without_a_hash_sends_the_name_and_number() {
    // "User-input: 'penawaran'" → "data": {"nama": "Jhon Doe", "nohp": "6282386xxxxxx"}
    let sample = json!({"keyword": "penawaran", "data": {"nama": "Jhon Doe", "nohp": "6282386xxxxxx"},
        "webhookkey": "YourSecretWebhookKey", "from": "6282386xxxxxx"});
    let body = keyword_webhook(
        "penawaran",
        "Raden Ayu Kusumawardhani Puspitasari",
        "6285612345678",
    );
    assert_shape(&sample, &body, "");
    assert_eq!(
        body["data"],
        json!({"nama": "Raden Ayu Kusumawardhani Puspitasari", "nohp": "6285612345678"})
    );
    assert_eq!(body["from"], "6285612345678");
    // No number given: the stand-in customer, in both places.
    let body = keyword_webhook_from("promo", "Siti", None);
    assert_eq!(body["from"], STAND_IN_CUSTOMER);
    assert_eq!(body["data"]["nohp"], STAND_IN_CUSTOMER);
    assert_eq!(keyword_webhook("promo", "Siti", ""), body);
}

#[test]
fn keyword_webhooks_are_valid_chatbot_webhook_bodies() {
    let bodies = [
        keyword_webhook("penawaran#", "Jhon Doe#jhon@example.com", "6282386123456"),
        keyword_webhook(
            "daftar#",
            "Ni Luh Putu Ayu 🌺#Denpasar#[VIP]",
            "6281337123456",
        ),
        keyword_webhook("penawaran", "Jhon Doe", "6282386123456"),
        keyword_webhook_from("info", "Andi", None),
        keyword_webhook("penawaran#", "", ""),
    ];
    for body in &bodies {
        let report = preflight::validate_value("chatbot/webhook", body).unwrap();
        assert!(!report.has_errors(), "{body}: {:?}", report.diagnostics);
    }
}
