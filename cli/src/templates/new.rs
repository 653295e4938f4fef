//! `preflight templates new`: a payload that sends one template through one
//! endpoint, filled from the template's own `example` values, so that it
//! validates clean against the same templates. The fastest way to write a
//! correct fixture.
//!
//! Each endpoint carries a template differently (and some parts not at
//! all): where an endpoint cannot carry what the template needs, [`build`]
//! says what, rather than print a payload that would fail. Values the
//! template gives no example for are realistic ones (a phone number, a
//! media URL with the right extension), never placeholders.

use anyhow::{Result, bail};
use preflight::templates::{
    Button, ButtonKind, HeaderFormat, Key, Status, Template, Templates, Text,
};
use serde_json::{Value, json};

/// The recipient number every payload uses.
const PHONE: &str = "6281234567890";

/// The endpoints that send templates.
pub const ENDPOINTS: [&str; 8] = [
    "sandeza/send",
    "oca/push-message",
    "qiscus/broadcast-client",
    "qiscus/send-broadcast",
    "qiscus/upload-csv",
    "3dolphins/broadcast",
    "3dolphins/broadcast-multiple",
    "3dolphins/broadcast-whatsapp",
];

/// The payload sending `template` through `endpoint` (`delimited`: Sandeza's
/// delimiter form), naming the template by the provider's id where the
/// configuration maps one to it.
///
/// # Errors
/// The endpoint does not send templates, the template is not approved, or
/// the endpoint cannot carry a part the template needs.
pub fn build(
    template: &Template,
    endpoint: &str,
    delimited: bool,
    templates: &Templates,
) -> Result<Value> {
    if !ENDPOINTS.contains(&endpoint) {
        bail!(
            "{endpoint} does not send WhatsApp templates; the endpoints that do are {}",
            ENDPOINTS.join(", ")
        );
    }
    if delimited && endpoint != "sandeza/send" {
        bail!("--form delimited is Sandeza's delimiter form: only for sandeza/send");
    }
    let code = (template.status != Status::Approved).then(|| {
        template
            .status
            .send_error()
            .map(|e| format!(" (WhatsApp would answer {e})"))
            .unwrap_or_default()
    });
    if let Some(code) = code {
        bail!(
            "template `{}` ({}) is {}, not APPROVED: it cannot be sent{code}",
            template.name,
            template.language,
            template.status.as_str()
        );
    }
    let parts = Parts::of(template);
    let cannot = |what: &str| -> anyhow::Error {
        anyhow::anyhow!(
            "{endpoint} cannot send template `{}` ({}): {what}",
            template.name,
            template.language
        )
    };
    let provider = endpoint.split('/').next().unwrap_or_default();
    let id = provider_id(templates, provider, &template.name);
    match endpoint {
        "sandeza/send" if delimited => sandeza_delimited(template, &parts, &id, cannot),
        "sandeza/send" => sandeza_json(template, &parts, &id, cannot),
        "oca/push-message" => oca(&parts, &id, cannot),
        "qiscus/broadcast-client" => qiscus_client(template, &parts, templates, cannot),
        "qiscus/send-broadcast" | "qiscus/upload-csv" => {
            let Some(detail) = qiscus_detail_id(templates, &template.name) else {
                return Err(cannot(
                    "it names templates only by `template_detail_id`, a number, and none is mapped to this template: add one to `[templates.ids.qiscus]` in preflight.toml (\"8402\" = \"konfirmasi_pendaftaran\")",
                ));
            };
            Ok(if endpoint == "qiscus/upload-csv" {
                json!({"template_detail_id": detail, "separator": ";"})
            } else {
                json!({
                    "template_detail_id": detail,
                    "broadcast_file_id": 2290533,
                    "name": title(&template.name),
                    "separator": ";",
                })
            })
        }
        "3dolphins/broadcast" => dolphins(template, &parts, &id, false, cannot),
        "3dolphins/broadcast-multiple" => Ok(Value::Array(vec![dolphins(
            template, &parts, &id, false, cannot,
        )?])),
        _ => dolphins(template, &parts, &id, true, cannot),
    }
}

/// The id a provider knows the template by: the mapped id (the smallest,
/// when several map to it), else its name.
fn provider_id(templates: &Templates, provider: &str, name: &str) -> String {
    templates
        .ids
        .get(provider)
        .and_then(|ids| {
            ids.iter()
                .filter(|(_, n)| *n == name)
                .map(|(id, _)| id.clone())
                .min()
        })
        .unwrap_or_else(|| name.to_string())
}

/// The Qiscus `template_detail_id` mapped to `name`, as a number.
fn qiscus_detail_id(templates: &Templates, name: &str) -> Option<u64> {
    templates.ids.get("qiscus").and_then(|ids| {
        ids.iter()
            .filter(|(_, n)| *n == name)
            .filter_map(|(id, _)| id.parse().ok())
            .min()
    })
}

/// `pengingat_tagihan` → `Pengingat tagihan`.
fn title(name: &str) -> String {
    let spaced = name.replace(['_', '-'], " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => spaced,
    }
}

/// A header's value at send time.
enum HeaderValue {
    Text(String),
    Media { kind: &'static str, url: String },
    Location,
}

/// A button's parameter at send time.
enum ButtonValue {
    /// A dynamic URL's suffix or an OTP code, sent as text.
    Text(String),
    /// A coupon code.
    Coupon(String),
    /// A multi-product message's products.
    Mpm,
}

/// What a send of the template fills in, from its examples.
struct Parts {
    header: Option<HeaderValue>,
    body: Vec<String>,
    buttons: Vec<(usize, &'static str, ButtonValue)>,
    cards: Vec<Card>,
}

struct Card {
    header: Option<HeaderValue>,
    body: Vec<String>,
    /// Per button: its index and, for a URL button, the suffix.
    buttons: Vec<(usize, Option<String>)>,
}

/// The values of a text's parameters, in send order: positional by number,
/// named by first appearance; each the template's example, else a
/// realistic value.
fn values(text: &Text, fallback: &str) -> Vec<String> {
    let keys = text.keys();
    let mut indexed: Vec<(usize, &Key)> = keys.iter().enumerate().collect();
    indexed.sort_by_key(|(i, k)| match k {
        Key::Number(n) => (*n as usize, *i),
        Key::Name(_) => (0, *i),
    });
    indexed
        .iter()
        .map(|(i, _)| {
            text.examples
                .get(*i)
                .cloned()
                .flatten()
                .filter(|v| !v.trim().is_empty())
                .unwrap_or_else(|| format!("{fallback} {}", i + 1))
        })
        .collect()
}

fn media(format: &HeaderFormat, what: &str) -> Option<HeaderValue> {
    let (kind, ext) = match format {
        HeaderFormat::Image => ("image", "jpg"),
        HeaderFormat::Video => ("video", "mp4"),
        HeaderFormat::Document => ("document", "pdf"),
        HeaderFormat::Location => return Some(HeaderValue::Location),
        _ => return None,
    };
    Some(HeaderValue::Media {
        kind,
        url: format!("https://example.com/{what}.{ext}"),
    })
}

/// A dynamic URL's suffix: the example URL minus the URL's static prefix.
fn suffix(button: &Button) -> String {
    let url = button.url.as_ref().map(|u| u.text.as_str()).unwrap_or("");
    let prefix = url.split("{{").next().unwrap_or("");
    button
        .example
        .first()
        .and_then(|e| e.strip_prefix(prefix))
        .filter(|s| !s.is_empty())
        .map_or_else(|| "TB-88213".to_string(), str::to_string)
}

impl Parts {
    fn of(t: &Template) -> Parts {
        let header = t.header.as_ref().and_then(|h| match &h.text {
            Some(text) => values(text, "Judul")
                .into_iter()
                .next()
                .map(HeaderValue::Text),
            None => media(&h.format, "header"),
        });
        let body = t
            .body
            .as_ref()
            .map(|b| values(b, "Nilai"))
            .unwrap_or_default();
        let code = body
            .first()
            .cloned()
            .unwrap_or_else(|| "482913".to_string());
        let buttons = t
            .buttons
            .iter()
            .enumerate()
            .filter_map(|(i, b)| match b.kind {
                ButtonKind::Url if b.needs_parameter() => {
                    Some((i, "url", ButtonValue::Text(suffix(b))))
                }
                ButtonKind::Otp => Some((i, "otp", ButtonValue::Text(code.clone()))),
                ButtonKind::CopyCode => Some((
                    i,
                    "copy_code",
                    ButtonValue::Coupon(
                        b.example
                            .first()
                            .cloned()
                            .unwrap_or_else(|| "HEMAT25".to_string()),
                    ),
                )),
                ButtonKind::Mpm => Some((i, "mpm", ButtonValue::Mpm)),
                _ => None,
            })
            .collect();
        let cards = t
            .cards
            .iter()
            .enumerate()
            .map(|(n, c)| Card {
                header: c
                    .header
                    .as_ref()
                    .and_then(|h| media(&h.format, &format!("kartu-{}", n + 1))),
                body: c
                    .body
                    .as_ref()
                    .map(|b| values(b, "Nilai"))
                    .unwrap_or_default(),
                buttons: c
                    .buttons
                    .iter()
                    .enumerate()
                    .filter_map(|(i, b)| match b.kind {
                        ButtonKind::QuickReply => Some((i, None)),
                        ButtonKind::Url if b.needs_parameter() => Some((i, Some(suffix(b)))),
                        _ => None,
                    })
                    .collect(),
            })
            .collect();
        Parts {
            header,
            body,
            buttons,
            cards,
        }
    }

    fn is_static(&self) -> bool {
        self.header.is_none()
            && self.body.is_empty()
            && self.buttons.is_empty()
            && self.cards.is_empty()
    }
}

const LATITUDE: &str = "-6.1753924";
const LONGITUDE: &str = "106.8271528";
const PLACE: &str = "Toko Baju Nusantara Gambir";
const ADDRESS: &str = "Jl. Medan Merdeka Barat No. 5, Gambir, Jakarta Pusat";

fn text_params(values: &[String]) -> Value {
    Value::Array(
        values
            .iter()
            .map(|v| json!({"type": "text", "text": v}))
            .collect(),
    )
}

fn sandeza_envelope(template: &Template, whatsapp: Value) -> Value {
    json!({
        "signature": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "time": "1764135118",
        "type": "2",
        "username": "tokobaju_cs",
        "ref_id": "wa-000001",
        "subject": title(&template.name),
        "sender_id": "Toko Baju Nusantara",
        "budget_code": "CS-WA",
        "channel": {"whatsapp": whatsapp},
    })
}

fn sandeza_json(
    template: &Template,
    parts: &Parts,
    id: &str,
    cannot: impl Fn(&str) -> anyhow::Error,
) -> Result<Value> {
    let mut wa = serde_json::Map::new();
    wa.insert("msisdn".into(), json!(PHONE));
    wa.insert("template_id".into(), json!(id));
    if parts.is_static() {
        wa.insert("message".into(), json!(""));
    } else {
        if let Some(h) = &parts.header {
            let parameter = match h {
                HeaderValue::Text(t) => json!({"type": "text", "text": t}),
                HeaderValue::Media { kind, url } => {
                    let mut object = json!({"link": url});
                    if *kind == "document" {
                        object["filename"] = json!("dokumen.pdf");
                    }
                    json!({"type": kind, *kind: object})
                }
                HeaderValue::Location => json!({"type": "location", "location": {
                    "latitude": LATITUDE, "longitude": LONGITUDE, "name": PLACE, "address": ADDRESS}}),
            };
            wa.insert(
                "header".into(),
                json!({"type": "header", "parameters": [parameter]}),
            );
        }
        if !parts.body.is_empty() {
            wa.insert(
                "message".into(),
                json!({"type": "body", "parameters": text_params(&parts.body)}),
            );
        }
        let mut buttons = Vec::new();
        for (index, kind, value) in &parts.buttons {
            let (sub_type, parameter) = match value {
                ButtonValue::Text(t) => ("URL", json!({"type": "text", "text": t})),
                ButtonValue::Mpm => ("mpm", mpm_action()),
                ButtonValue::Coupon(_) => {
                    return Err(cannot(&format!(
                        "its button {index} is a COPY_CODE button ({kind}), and Sandeza's buttons are URL, catalog and MPM only"
                    )));
                }
            };
            buttons.push(json!({"type": "button", "sub_type": sub_type, "index": index, "parameters": [parameter]}));
        }
        if !buttons.is_empty() {
            wa.insert("button".into(), Value::Array(buttons));
        }
        if !parts.cards.is_empty() {
            let cards: Vec<Value> = parts
                .cards
                .iter()
                .enumerate()
                .map(|(n, card)| {
                    let mut components = Vec::new();
                    if let Some(HeaderValue::Media { kind, url }) = &card.header {
                        components.push(json!({"type": "header", "parameters": [{"type": kind, *kind: {"link": url}}]}));
                    }
                    if !card.body.is_empty() {
                        components.push(json!({"type": "body", "parameters": text_params(&card.body)}));
                    }
                    for (i, suffix) in &card.buttons {
                        components.push(match suffix {
                            None => json!({"type": "button", "sub_type": "quick_reply", "index": i.to_string(),
                                "parameters": [{"type": "payload", "payload": format!("kartu_{}_tombol_{i}", n + 1)}]}),
                            Some(s) => json!({"type": "button", "sub_type": "URL", "index": i.to_string(),
                                "parameters": [{"type": "text", "text": s}]}),
                        });
                    }
                    json!({"card_index": n, "components": components})
                })
                .collect();
            wa.insert(
                "carousel".into(),
                json!({"type": "carousel", "cards": cards}),
            );
        }
    }
    wa.insert("attachment".into(), json!(""));
    wa.insert("backup_on".into(), json!(""));
    wa.insert("backup_exp".into(), json!(""));
    Ok(sandeza_envelope(template, Value::Object(wa)))
}

fn mpm_action() -> Value {
    json!({"type": "action", "action": {
        "thumbnail_product_retailer_id": "mangga-harum-001",
        "sections": [{"title": "Produk Pilihan", "product_items": [
            {"product_retailer_id": "mangga-harum-001"},
            {"product_retailer_id": "salak-pondoh-003"}
        ]}]
    }})
}

fn sandeza_delimited(
    template: &Template,
    parts: &Parts,
    id: &str,
    cannot: impl Fn(&str) -> anyhow::Error,
) -> Result<Value> {
    if parts.is_static() {
        // A template without parameters is sent the same in both forms.
        return sandeza_json(template, parts, id, cannot);
    }
    if !parts.cards.is_empty() {
        return Err(cannot(
            "it is a carousel, and Sandeza's delimiter form has no carousel (use the JSON form)",
        ));
    }
    let mut wa = serde_json::Map::new();
    wa.insert("msisdn".into(), json!(PHONE));
    wa.insert("template_id".into(), json!(id));
    let header = match &parts.header {
        None => String::new(),
        Some(HeaderValue::Text(t)) => format!("text:=:{t}"),
        Some(HeaderValue::Media { kind, url }) => format!("{kind}:=:{url}"),
        Some(HeaderValue::Location) => {
            format!("location:=:{LATITUDE}:=:{LONGITUDE}:=:{PLACE}:=:{ADDRESS}")
        }
    };
    if !header.is_empty() {
        wa.insert("header".into(), json!(header));
    }
    let body: Vec<String> = parts.body.iter().map(|v| format!("text:=:{v}")).collect();
    wa.insert("message".into(), json!(body.join("||")));
    match parts.buttons.as_slice() {
        [] => {}
        // The segment fills the template's button that takes a parameter,
        // whatever its index.
        [(_, _, ButtonValue::Text(t))] => {
            wa.insert("button".into(), json!(format!("button:=:url:=:{t}")));
        }
        [(index, kind, _)] => {
            return Err(cannot(&format!(
                "its button {index} ({}) needs a parameter the delimiter form cannot carry (it carries one URL button: button:=:url:=:value); use the JSON form",
                kind.to_ascii_uppercase()
            )));
        }
        _ => {
            return Err(cannot(
                "several of its buttons take parameters, and the delimiter form carries one (button:=:url:=:value); use the JSON form",
            ));
        }
    }
    wa.insert("attachment".into(), json!(""));
    wa.insert("backup_on".into(), json!(""));
    wa.insert("backup_exp".into(), json!(""));
    Ok(sandeza_envelope(template, Value::Object(wa)))
}

fn oca(parts: &Parts, id: &str, cannot: impl Fn(&str) -> anyhow::Error) -> Result<Value> {
    if !parts.cards.is_empty() {
        return Err(cannot("it is a carousel, and OCA's payload has no cards"));
    }
    let mut payload = Vec::new();
    if let Some(h) = &parts.header {
        let parameter = match h {
            HeaderValue::Text(t) => json!({"type": "text", "text": t}),
            HeaderValue::Media { kind, url } => json!({"type": kind, *kind: {"url": url}}),
            HeaderValue::Location => {
                return Err(cannot(
                    "its header is a LOCATION, and OCA's header parameters are text, image, video and document only",
                ));
            }
        };
        payload.push(json!({"position": "header", "parameters": [parameter]}));
    }
    if !parts.body.is_empty() {
        payload.push(json!({"position": "body", "parameters": text_params(&parts.body)}));
    }
    for (index, kind, value) in &parts.buttons {
        match value {
            ButtonValue::Text(t) => payload
                .push(json!({"position": "button", "sub_types": "url_dynamic",
                "index": index, "parameters": [{"type": "text", "text": t}]})),
            _ => {
                return Err(cannot(&format!(
                    "its button {index} is a {} button, and OCA's button sub_types are quick_reply and url_dynamic only",
                    kind.to_ascii_uppercase()
                )));
            }
        }
    }
    Ok(json!({
        "message": {"type": "template", "template": {"template_code_id": id, "payload": payload}},
        "phone_number": PHONE,
    }))
}

fn qiscus_client(
    template: &Template,
    parts: &Parts,
    templates: &Templates,
    cannot: impl Fn(&str) -> anyhow::Error,
) -> Result<Value> {
    if !parts.cards.is_empty() {
        return Err(cannot(
            "it is a carousel, and broadcast-client has no cards",
        ));
    }
    if let Some(h) = &parts.header {
        let what = match h {
            HeaderValue::Text(_) => "a placeholder",
            HeaderValue::Media { kind, .. } => kind,
            HeaderValue::Location => "a location",
        };
        // Not a mistake of the payload: said once, as `validate` says it.
        eprintln!(
            "preflight: note: its header takes a parameter ({what}), and broadcast-client has no header field: Qiscus fills the header from the template's settings in Qiscus (check it is set there)"
        );
    }
    let mut button_params = Vec::new();
    for (index, kind, value) in &parts.buttons {
        match value {
            ButtonValue::Text(t) => {
                button_params.push(json!({"type": "url", "values": t, "index": index}));
            }
            ButtonValue::Coupon(code) => {
                button_params.push(json!({"type": "copy_code", "values": code, "index": index}));
            }
            _ => {
                return Err(cannot(&format!(
                    "its button {index} is a {} button, and broadcast-client's button_params carry URL suffixes, OTP and coupon codes only",
                    kind.to_ascii_uppercase()
                )));
            }
        }
    }
    // The detail id is what Qiscus shows for the template; without a
    // mapping, a stable number made from the name.
    let detail = qiscus_detail_id(templates, &template.name).unwrap_or_else(|| {
        10_000
            + template
                .name
                .bytes()
                .fold(0u64, |h, b| (h * 31 + u64::from(b)) % 90_000)
    });
    let mut payload = json!({
        "channel_id": 4127,
        "name": title(&template.name),
        "template_name": template.name,
        "template_detail_id": detail,
        "namespace": "a3f9c2d1_5b7e_4c80_9f1a_7d2e6b4c9a10",
        "language": template.language,
        "variables": parts.body,
        "phone_number": PHONE,
    });
    if !button_params.is_empty() {
        payload["button_params"] = Value::Array(button_params);
    }
    Ok(payload)
}

fn dolphins(
    template: &Template,
    parts: &Parts,
    id: &str,
    inline: bool,
    cannot: impl Fn(&str) -> anyhow::Error,
) -> Result<Value> {
    if !parts.cards.is_empty() {
        return Err(cannot(
            "it is a carousel, and a 3Dolphins broadcast has no cards",
        ));
    }
    if let Some((index, kind, _)) = parts.buttons.first() {
        return Err(cannot(&format!(
            "its button {index} ({}) needs a parameter, and a 3Dolphins broadcast has no button parameters",
            kind.to_ascii_uppercase()
        )));
    }
    let mut content = Vec::new();
    let mut header_vars = Vec::new();
    match &parts.header {
        None => {}
        Some(HeaderValue::Text(t)) => {
            let key = template
                .header
                .as_ref()
                .and_then(|h| h.text.as_ref())
                .and_then(|text| text.keys().first().map(ToString::to_string))
                .unwrap_or_else(|| "{{1}}".to_string());
            header_vars.push((key, "Judul".to_string(), t.clone()));
        }
        Some(HeaderValue::Media { kind, url }) => content.push(json!({"type": kind, "url": url})),
        Some(HeaderValue::Location) => {
            return Err(cannot(
                "its header is a LOCATION, and 3Dolphins content is text, image, video or document",
            ));
        }
    }
    // Macro keys as the template writes them ({{1}}, or a NAMED
    // template's {{nama}}), numbered ones in number order as `values` gives them.
    let body_vars: Vec<(String, String, String)> = template
        .body
        .as_ref()
        .map(|b| {
            let mut keys = b.keys().to_vec();
            keys.sort_by_key(|k| match k {
                Key::Number(n) => *n,
                Key::Name(_) => 0,
            });
            keys.iter()
                .zip(&parts.body)
                .map(|(k, v)| {
                    let column = match k {
                        Key::Number(n) => format!("Kolom{n}"),
                        Key::Name(name) => title(name),
                    };
                    (k.to_string(), column, v.clone())
                })
                .collect()
        })
        .unwrap_or_default();
    let macros = |vars: &[(String, String, String)]| -> Value {
        Value::Array(
            vars.iter()
                .map(|(key, column, value)| {
                    if inline {
                        json!({"type": "personalized", "key": key, "value": column})
                    } else {
                        json!({"type": "static", "key": key, "value": value})
                    }
                })
                .collect(),
        )
    };
    let mut payload = serde_json::Map::new();
    payload.insert("name".into(), json!(title(&template.name)));
    payload.insert("channel".into(), json!("2ada6f6e1b7c4d0e9f3a5b61"));
    payload.insert("sendingMode".into(), json!("Now"));
    payload.insert("templateId".into(), json!(id));
    if !inline {
        payload.insert("recipient".into(), json!("6071c3e2a9b84f1d2c3e4a57"));
    }
    if !header_vars.is_empty() {
        payload.insert("headerVariables".into(), macros(&header_vars));
    }
    if !body_vars.is_empty() {
        payload.insert("bodyVariables".into(), macros(&body_vars));
    }
    payload.insert("content".into(), Value::Array(content));
    if inline {
        let mut row = serde_json::Map::new();
        row.insert("Recipient".into(), json!(PHONE));
        for (_, column, value) in header_vars.iter().chain(&body_vars) {
            row.insert(column.clone(), json!(value));
        }
        payload.insert("whatsappRecipient".into(), json!([row]));
    }
    Ok(Value::Object(payload))
}
