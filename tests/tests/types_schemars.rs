//! The `schemars` feature: the JSON Schema `schemars::schema_for!` derives
//! from each generated request type is one a user can publish in their own
//! OpenAPI document. Every real payload under `examples/<id>/` validates
//! under it, and it carries the constraints the types enforce: a string
//! mutated past its length limits is rejected by the derived schema exactly
//! when the type rejects it.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use std::path::{Path, PathBuf};

use preflight::types::{Request, chatbot, oca, qiscus, sandeza, three_dolphins};
use serde_json::Value;

/// `schema_for!` of every endpoint's request type, by endpoint id.
macro_rules! schemas {
    ($($id:literal => $ty:ty),* $(,)?) => {
        fn schemas() -> Vec<(&'static str, Value)> {
            vec![$(($id, serde_json::to_value(schemars::schema_for!($ty)).unwrap())),*]
        }
    };
}

schemas! {
    "3dolphins/broadcast-multiple" => three_dolphins::BroadcastMultipleRequest,
    "3dolphins/broadcast-whatsapp" => three_dolphins::BroadcastWhatsappRequest,
    "3dolphins/broadcast" => three_dolphins::BroadcastRequest,
    "3dolphins/verify-phone" => three_dolphins::VerifyPhoneRequest,
    "chatbot/checknumber" => chatbot::ChecknumberRequest,
    "chatbot/notify" => chatbot::NotifyRequest,
    "chatbot/sendcontact" => chatbot::SendcontactRequest,
    "chatbot/sendcontacttogroup" => chatbot::SendcontacttogroupRequest,
    "chatbot/sendlocation" => chatbot::SendlocationRequest,
    "chatbot/sendlocationtogroup" => chatbot::SendlocationtogroupRequest,
    "chatbot/sendmedia" => chatbot::SendmediaRequest,
    "chatbot/sendmediatogroup" => chatbot::SendmediatogroupRequest,
    "chatbot/sendwa" => chatbot::SendwaRequest,
    "chatbot/sendwatogroup" => chatbot::SendwatogroupRequest,
    "chatbot/webhook-reply" => chatbot::WebhookReplyRequest,
    "chatbot/webhook" => chatbot::WebhookRequest,
    "oca/push-message" => oca::PushMessageRequest,
    "qiscus/broadcast-client" => qiscus::BroadcastClientRequest,
    "qiscus/send-broadcast" => qiscus::SendBroadcastRequest,
    "qiscus/upload-csv" => qiscus::UploadCsvRequest,
    "sandeza/send" => sandeza::SendRequest,
}

fn examples(id: &str) -> Vec<(PathBuf, Value)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples")
        .join(id);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let v = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
            (p, v)
        })
        .collect()
}

fn validator(id: &str, schema: &Value) -> jsonschema::Validator {
    jsonschema::options()
        .should_validate_formats(true)
        .build(schema)
        .unwrap_or_else(|e| panic!("{id}: the derived schema does not compile: {e}\n{schema:#}"))
}

fn errors(v: &jsonschema::Validator, payload: &Value) -> Vec<String> {
    v.iter_errors(payload)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

#[test]
fn every_endpoint_has_a_schema() {
    let ids: Vec<&str> = schemas().iter().map(|(id, _)| *id).collect();
    let mut expected = Request::ENDPOINTS.to_vec();
    let mut got = ids.clone();
    expected.sort_unstable();
    got.sort_unstable();
    assert_eq!(got, expected, "the list above is every endpoint");
    for (id, schema) in schemas() {
        let via_request = serde_json::to_value(Request::json_schema_for(id).unwrap()).unwrap();
        assert_eq!(via_request, schema, "{id}: Request::json_schema_for");
    }
    assert!(Request::json_schema_for("nope/nope").is_none());
}

#[test]
fn every_example_validates_under_the_derived_schema() {
    for (id, schema) in schemas() {
        let v = validator(id, &schema);
        let examples = examples(id);
        assert!(!examples.is_empty(), "{id}: no examples");
        for (path, payload) in examples {
            let errs = errors(&v, &payload);
            assert!(
                errs.is_empty(),
                "{}: rejected by the schema derived for {id}:\n{}",
                path.display(),
                errs.join("\n")
            );
        }
    }
}

/// Pointers of every string in `v`.
fn string_pointers(v: &Value, at: &str, out: &mut Vec<String>) {
    let esc = |k: &str| k.replace('~', "~0").replace('/', "~1");
    match v {
        Value::String(_) => out.push(at.to_string()),
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                string_pointers(x, &format!("{at}/{i}"), out);
            }
        }
        Value::Object(m) => {
            for (k, x) in m {
                string_pointers(x, &format!("{at}/{}", esc(k)), out);
            }
        }
        _ => {}
    }
}

/// Replaces each string of each example by an empty and by a 5000-character
/// string: the derived schema accepts the mutant exactly when the generated
/// type does, and it rejects the mutants that break a `maxLength`.
#[test]
fn length_limits_are_carried() {
    // The types and the schema keywords, not preflight's own rules.
    let mut keywords = preflight::Options::default();
    for rule in preflight::rules::all() {
        if rule.kind() != preflight::rules::RuleKind::Keyword {
            keywords
                .levels
                .insert(rule.name.to_string(), preflight::Level::Off);
        }
    }
    let mut length_rejections = 0usize;
    for (id, schema) in schemas() {
        let v = validator(id, &schema);
        let mut per_endpoint = 0usize;
        for (path, payload) in examples(id) {
            let mut pointers = Vec::new();
            string_pointers(&payload, "", &mut pointers);
            for p in pointers {
                for replacement in [String::new(), "x".repeat(5000)] {
                    let mut mutant = payload.clone();
                    *mutant.pointer_mut(&p).unwrap() = Value::String(replacement.clone());
                    let parsed = Request::from_value_with(id, mutant.clone(), &keywords);
                    // The types also hold the provider's phone form (`x-phone`),
                    // which no schema keyword says: a value the type refuses
                    // for it is one preflight's rules refuse at that field.
                    let rule_refuses = || {
                        preflight::validate_value(id, &mutant)
                            .unwrap()
                            .diagnostics
                            .iter()
                            .any(|d| d.severity == preflight::Severity::Error && d.pointer == p)
                    };
                    let schema_errs = errors(&v, &mutant);
                    if schema_errs.is_empty() && parsed.is_err() && rule_refuses() {
                        continue;
                    }
                    let type_ok = parsed.is_ok();
                    assert_eq!(
                        schema_errs.is_empty(),
                        type_ok,
                        "{} with {p} = {} characters: the type {} it, the derived schema {}",
                        path.display(),
                        replacement.len(),
                        if type_ok { "accepts" } else { "rejects" },
                        if schema_errs.is_empty() {
                            "accepts it".to_string()
                        } else {
                            format!("rejects it: {}", schema_errs.join("; "))
                        },
                    );
                    if !replacement.is_empty()
                        && schema_errs.iter().any(|e| e.contains("longer than"))
                    {
                        per_endpoint += 1;
                    }
                }
            }
        }
        length_rejections += per_endpoint;
    }
    assert!(length_rejections > 0, "no mutant broke a maxLength");
}

/// One mutant by hand: a Sandeza `ref_id` over its 50 characters.
#[test]
fn a_too_long_field_is_rejected() {
    let (_, schema) = schemas()
        .into_iter()
        .find(|(id, _)| *id == "sandeza/send")
        .unwrap();
    let v = validator("sandeza/send", &schema);
    let (_, mut payload) = examples("sandeza/send").into_iter().next().unwrap();
    assert!(v.is_valid(&payload));
    payload["ref_id"] = Value::String("x".repeat(51));
    assert!(!v.is_valid(&payload), "51-character ref_id accepted");
}
