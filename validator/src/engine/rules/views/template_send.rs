//! A template send as every provider writes it, read into one shape: which
//! template it names (and in which language), and what it gives the
//! template's header, body, buttons and carousel cards, each piece with its
//! pointer (and, inside Sandeza's delimiter strings, its character range),
//! so the template rules compare one shape whatever the provider.

use crate::engine::text::pointer::{join, join_index};
use preflight_templates::Template;
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::ops::Range;
use std::sync::Arc;

/// How the payload writes the send (for messages and for what it can carry).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Form {
    /// Sandeza, parameters as JSON objects.
    SandezaJson,
    /// Sandeza, parameters as `type:=:value` strings joined by `||`.
    SandezaDelimited,
    /// OCA's `payload` components.
    Oca,
    /// Qiscus broadcast-client: `variables` and `button_params`.
    Qiscus,
    /// Qiscus send-broadcast and upload-csv: only the template's id (the
    /// values are in the uploaded CSV).
    QiscusId,
    /// 3Dolphins: `headerVariables`/`bodyVariables` macros and `content` media.
    Dolphins,
}

/// What a payload gives one part of the template.
#[derive(Debug)]
pub(crate) enum Slot<T> {
    /// The endpoint has no field for it.
    Cannot,
    /// The payload leaves it out (or sends `""`).
    Absent,
    /// The payload gives it.
    Given(T),
}

impl<T> Slot<T> {
    /// The part, when given.
    pub(crate) fn given(&self) -> Option<&T> {
        match self {
            Slot::Given(t) => Some(t),
            _ => None,
        }
    }
}

/// One parameter as sent.
#[derive(Debug, Clone)]
pub(crate) struct Param<'a> {
    /// Where it is (see [`Param::pointer`]).
    pub ptr: Ptr,
    /// Its value's characters inside a delimited string.
    pub range: Option<Range<usize>>,
    /// Its type as sent, lowercase (`text`, `image`, `payload`, `action`).
    pub kind: Cow<'a, str>,
    /// Its value, when it is text (a text, a payload, a code, a media URL);
    /// `None` for a 3Dolphins column (the value differs per recipient).
    pub text: Option<&'a str>,
    /// A 3Dolphins macro key (`{{1}}`, `{{nama}}`) and its pointer.
    pub key: Option<(&'a str, String)>,
    /// The recipient column a 3Dolphins `personalized` macro names.
    pub column: Option<&'a str>,
}

/// Where a parameter is, made into a pointer only for a finding: most sends
/// have none, and a pointer per parameter would be most of a send's reading.
#[derive(Debug, Clone)]
pub(crate) enum Ptr {
    /// The whole pointer.
    Full(String),
    /// `{parent}/{index}`, then `/{type}` when the value is under its type's
    /// member, then `/{key}` for a media object's `link` or `url`.
    Item {
        /// The `parameters` array's pointer, shared by its items.
        parent: Arc<str>,
        /// The item's index.
        index: usize,
        /// The value is under the member named by the parameter's type.
        typed: bool,
        /// The media object's member holding the URL.
        key: Option<&'static str>,
    },
}

impl Param<'_> {
    /// Where the parameter (its value) is.
    pub(crate) fn pointer(&self) -> String {
        match &self.ptr {
            Ptr::Full(p) => p.clone(),
            Ptr::Item {
                parent,
                index,
                typed,
                key,
            } => {
                let mut out = format!("{parent}/{index}");
                if *typed {
                    out.push('/');
                    out.push_str(&crate::engine::text::pointer::escape(&self.kind));
                }
                if let Some(k) = key {
                    out.push('/');
                    out.push_str(k);
                }
                out
            }
        }
    }

    /// Where a finding about the parameter's value goes.
    pub(crate) fn value_pointer(&self) -> String {
        self.pointer()
    }
}

/// A header or body as sent.
#[derive(Debug)]
pub(crate) struct Part<'a> {
    /// The component (an object, a delimited string, a macro list).
    pub pointer: String,
    /// The type of the header parameter as sent (`text`, `image`, …).
    pub kind: Option<Cow<'a, str>>,
    /// Where the header parameter's type is written, from `pointer`.
    pub kind_at: KindAt,
    /// Its characters inside a delimited string.
    pub kind_range: Option<Range<usize>>,
    /// The parameters.
    pub params: Vec<Param<'a>>,
}

/// One button as sent.
#[derive(Debug)]
pub(crate) struct ButtonPart<'a> {
    /// The button object (or delimited string).
    pub pointer: String,
    /// Its segment's characters inside a delimited string.
    pub range: Option<Range<usize>>,
    /// Its index (a delimited button's is its position).
    pub index: Option<u64>,
    /// Its sub-type as sent, lowercase (`url`, `quick_reply`, `url_dynamic`).
    pub sub_type: Option<Cow<'a, str>>,
    /// The member the sub-type is written in (`sub_type`, `sub_types`, `type`).
    pub sub_type_key: &'static str,
    /// Its sub-type's characters inside a delimited string.
    pub sub_type_range: Option<Range<usize>>,
    /// Its parameters.
    pub params: Vec<Param<'a>>,
}

/// Where a part's header parameter type is written, from the part's pointer.
#[derive(Debug, Clone, Copy)]
pub(crate) enum KindAt {
    /// `…/parameters/0/type` (a JSON component).
    FirstParameter,
    /// The part itself (a delimited string, a macro list).
    Itself,
    /// A member of the part (`…/type` of a 3Dolphins content item).
    Child(&'static str),
}

impl Part<'_> {
    /// Where the header parameter's type is written.
    pub(crate) fn kind_pointer(&self) -> String {
        match self.kind_at {
            KindAt::FirstParameter => format!("{}/parameters/0/type", self.pointer),
            KindAt::Itself => self.pointer.clone(),
            KindAt::Child(k) => join(&self.pointer, k),
        }
    }
}

impl ButtonPart<'_> {
    /// Where the index is written (the button itself when it is implied).
    pub(crate) fn index_pointer(&self) -> String {
        if self.range.is_some() {
            self.pointer.clone()
        } else {
            join(&self.pointer, "index")
        }
    }

    /// Where the sub-type is written.
    pub(crate) fn sub_type_pointer(&self) -> String {
        if self.range.is_some() {
            self.pointer.clone()
        } else {
            join(&self.pointer, self.sub_type_key)
        }
    }
}

/// One carousel card as sent.
#[derive(Debug)]
pub(crate) struct CardPart<'a> {
    /// The card object.
    pub pointer: String,
    /// Its header.
    pub header: Option<Part<'a>>,
    /// Its body.
    pub body: Option<Part<'a>>,
    /// Its buttons.
    pub buttons: Vec<ButtonPart<'a>>,
}

/// One template send.
#[derive(Debug)]
pub(crate) struct Send<'a> {
    /// The provider (`sandeza`), for the id mapping.
    pub provider: &'static str,
    /// How it is written.
    pub form: Form,
    /// The object that names the template.
    pub at: String,
    /// The template's id as sent.
    pub id: String,
    /// Where the id is.
    pub id_pointer: String,
    /// The language, where the payload carries one.
    pub language: Option<(&'a str, String)>,
    /// The header.
    pub header: Slot<Part<'a>>,
    /// 3Dolphins' header macros when a media `content` fills the header.
    pub header_macros: Option<Part<'a>>,
    /// The body.
    pub body: Slot<Part<'a>>,
    /// The buttons.
    pub buttons: Slot<Vec<ButtonPart<'a>>>,
    /// The carousel's cards.
    pub cards: Slot<Vec<CardPart<'a>>>,
    /// 3Dolphins' inline recipients (`whatsappRecipient`), whose columns
    /// fill the personalized macros: each one's pointer and fields.
    pub recipients: Vec<(String, &'a Map<String, Value>)>,
}

/// How a send's template was looked up.
#[derive(Debug)]
pub(crate) enum Lookup<'a> {
    /// The template (in the language chosen).
    Found(&'a Template),
    /// Not in the templates files.
    NotFound {
        /// The name looked up.
        name: String,
        /// The configuration mapped the payload's id to `name`.
        mapped: bool,
        /// The languages the name has (a language mismatch when not empty).
        languages: Vec<&'a str>,
    },
}

/// A send with its template.
#[derive(Debug)]
pub(crate) struct Bound<'a> {
    /// The send.
    pub send: Send<'a>,
    /// Its template.
    pub lookup: Lookup<'a>,
}

/// Every template send of a payload for `endpoint_id`.
pub(crate) fn sends<'a>(endpoint_id: &str, payload: &'a Value) -> Vec<Send<'a>> {
    match endpoint_id {
        "sandeza/send" => sandeza(payload).into_iter().collect(),
        "oca/push-message" => oca(payload).into_iter().collect(),
        "qiscus/broadcast-client" => qiscus(payload).into_iter().collect(),
        "qiscus/send-broadcast" | "qiscus/upload-csv" => qiscus_id(payload).into_iter().collect(),
        "3dolphins/broadcast" | "3dolphins/broadcast-multiple" | "3dolphins/broadcast-whatsapp" => {
            dolphins(payload)
        }
        _ => Vec::new(),
    }
}

fn id_text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A string member in lowercase, borrowed when it already is.
fn lower(v: Option<&Value>) -> Option<Cow<'_, str>> {
    v.and_then(Value::as_str).map(lower_str)
}

fn lower_str(s: &str) -> Cow<'_, str> {
    if s.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(s.to_ascii_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

fn index_of(v: Option<&Value>) -> Option<u64> {
    match v? {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn is_empty(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.is_empty(),
        _ => false,
    }
}

/// A JSON parameter object (`{"type": "text", "text": …}`, `{"type":
/// "image", "image": {"link": …}}`).
fn json_param<'a>(p: &'a Value, parent: &Arc<str>, index: usize) -> Param<'a> {
    let kind = lower(p.get("type")).unwrap_or_default();
    let value = p.get(kind.as_ref());
    let (text, typed, key) = match value {
        Some(Value::String(s)) => (Some(s.as_str()), true, None),
        Some(Value::Object(media)) => {
            let key = ["link", "url"].into_iter().find(|k| media.contains_key(*k));
            match key.and_then(|k| media.get(k).and_then(Value::as_str).map(|s| (k, s))) {
                Some((k, s)) => (Some(s), true, Some(k)),
                None => (None, false, None),
            }
        }
        _ => (None, false, None),
    };
    Param {
        ptr: Ptr::Item {
            parent: Arc::clone(parent),
            index,
            typed,
            key,
        },
        range: None,
        kind,
        text,
        key: None,
        column: None,
    }
}

fn json_params<'a>(component: &'a Value, pointer: &str) -> Vec<Param<'a>> {
    let at: Arc<str> = Arc::from(join(pointer, "parameters"));
    component
        .get("parameters")
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .enumerate()
                .map(|(i, p)| json_param(p, &at, i))
                .collect()
        })
        .unwrap_or_default()
}

/// A header or body component object with `parameters`.
fn json_part<'a>(component: &'a Value, pointer: &str) -> Part<'a> {
    let params = json_params(component, pointer);
    Part {
        kind: params.first().map(|p| p.kind.clone()),
        kind_at: KindAt::FirstParameter,
        kind_range: None,
        pointer: pointer.to_string(),
        params,
    }
}

fn json_button<'a>(b: &'a Value, pointer: String, sub_type_key: &'static str) -> ButtonPart<'a> {
    ButtonPart {
        range: None,
        index: index_of(b.get("index")),
        sub_type: lower(b.get(sub_type_key)),
        sub_type_key,
        sub_type_range: None,
        params: json_params(b, &pointer),
        pointer,
    }
}

/// The `type:=:value` segments of a delimited string, with each value's
/// character range: (type, its range, value, its range).
/// A delimited segment: its type and that type's range, then its values
/// with theirs.
type Segment<'a> = (&'a str, Range<usize>, Vec<(&'a str, Range<usize>)>);

fn segments(text: &str) -> Vec<Segment<'_>> {
    use crate::engine::text::pieces::split_pieces;
    split_pieces(text, "||", 0)
        .into_iter()
        .map(|seg| {
            let parts = split_pieces(seg.text, ":=:", seg.range.start);
            let (kind, rest) = match parts.split_first() {
                Some((k, rest)) => ((k.text, k.range.clone()), rest),
                None => (("", seg.range.clone()), &[][..]),
            };
            (
                kind.0,
                kind.1,
                rest.iter().map(|p| (p.text, p.range.clone())).collect(),
            )
        })
        .collect()
}

fn delimited_part<'a>(text: &'a str, pointer: &str) -> Part<'a> {
    let segs = segments(text);
    let params: Vec<Param<'a>> = segs
        .iter()
        .map(|(kind, kind_range, values)| {
            // A location's value is its four fields; a text's, the rest.
            let (value, range) = match values.as_slice() {
                [] => (None, kind_range.clone()),
                [(v, r)] => (Some(*v), r.clone()),
                [(_, first), .., (_, last)] => {
                    let start = first.start;
                    let joined = char_slice(text, start..last.end);
                    (Some(joined), start..last.end)
                }
            };
            Param {
                ptr: Ptr::Full(pointer.to_string()),
                range: Some(range),
                kind: lower_str(kind),
                text: value,
                key: None,
                column: None,
            }
        })
        .collect();
    Part {
        pointer: pointer.to_string(),
        kind: segs.first().map(|(k, _, _)| lower_str(k)),
        kind_at: KindAt::Itself,
        kind_range: segs.first().map(|(_, r, _)| r.clone()),
        params,
    }
}

fn char_slice(text: &str, range: Range<usize>) -> &str {
    let start = text
        .char_indices()
        .nth(range.start)
        .map_or(text.len(), |(i, _)| i);
    let end = text
        .char_indices()
        .nth(range.end)
        .map_or(text.len(), |(i, _)| i);
    text.get(start..end).unwrap_or_default()
}

fn delimited_buttons<'a>(text: &'a str, pointer: &str) -> Vec<ButtonPart<'a>> {
    segments(text)
        .into_iter()
        .enumerate()
        .map(|(i, (_, kind_range, values))| {
            let sub = values.first();
            let value = values.get(1);
            ButtonPart {
                pointer: pointer.to_string(),
                range: Some(kind_range.start..values.last().map_or(kind_range.end, |v| v.1.end)),
                index: u64::try_from(i).ok(),

                sub_type: sub.map(|(s, _)| lower_str(s)),
                sub_type_key: "",
                sub_type_range: sub.map(|(_, r)| r.clone()),
                params: value
                    .map(|(v, r)| Param {
                        ptr: Ptr::Full(pointer.to_string()),
                        range: Some(r.clone()),
                        kind: Cow::Borrowed("text"),
                        text: Some(*v),
                        key: None,
                        column: None,
                    })
                    .into_iter()
                    .collect(),
            }
        })
        .collect()
}

fn sandeza(payload: &Value) -> Option<Send<'_>> {
    let at = "/channel/whatsapp";
    let wa = payload.pointer(at)?;
    let id = id_text(wa.get("template_id"))?;
    let mut delimited = false;
    let header = match wa.get("header") {
        h if is_empty(h) => Slot::Absent,
        Some(Value::String(s)) => {
            delimited = true;
            Slot::Given(delimited_part(s, &join(at, "header")))
        }
        Some(h) => Slot::Given(json_part(h, &join(at, "header"))),
        None => Slot::Absent,
    };
    let body = match wa.get("message") {
        m if is_empty(m) => Slot::Absent,
        Some(Value::String(s)) => {
            delimited = true;
            Slot::Given(delimited_part(s, &join(at, "message")))
        }
        Some(m) => Slot::Given(json_part(m, &join(at, "message"))),
        None => Slot::Absent,
    };
    let buttons = match wa.get("button") {
        b if is_empty(b) => Slot::Absent,
        Some(Value::String(s)) => {
            delimited = true;
            Slot::Given(delimited_buttons(s, &join(at, "button")))
        }
        Some(Value::Array(items)) => {
            let base = join(at, "button");
            Slot::Given(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, b)| json_button(b, join_index(&base, i), "sub_type"))
                    .collect(),
            )
        }
        Some(_) | None => Slot::Absent,
    };
    let cards = match wa.get("carousel") {
        c if is_empty(c) => Slot::Absent,
        Some(c) => Slot::Given(carousel(c, &join(at, "carousel"))),
        None => Slot::Absent,
    };
    Some(Send {
        provider: "sandeza",
        form: if delimited {
            Form::SandezaDelimited
        } else {
            Form::SandezaJson
        },
        at: at.to_string(),
        id,
        id_pointer: join(at, "template_id"),
        language: None,
        header,
        header_macros: None,
        body,
        buttons,
        cards,
        recipients: Vec::new(),
    })
}

fn carousel<'a>(c: &'a Value, pointer: &str) -> Vec<CardPart<'a>> {
    let base = join(pointer, "cards");
    c.get("cards")
        .and_then(Value::as_array)
        .map(|cards| {
            cards
                .iter()
                .enumerate()
                .map(|(i, card)| {
                    let at = join_index(&base, i);
                    let comps = join(&at, "components");
                    let mut part = CardPart {
                        pointer: at.clone(),
                        header: None,
                        body: None,
                        buttons: Vec::new(),
                    };
                    for (j, comp) in card
                        .get("components")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .enumerate()
                    {
                        let cp = join_index(&comps, j);
                        match lower(comp.get("type")).as_deref() {
                            Some("header") => part.header = Some(json_part(comp, &cp)),
                            Some("body") => part.body = Some(json_part(comp, &cp)),
                            Some("button") => part.buttons.push(json_button(comp, cp, "sub_type")),
                            _ => {}
                        }
                    }
                    part
                })
                .collect()
        })
        .unwrap_or_default()
}

fn oca(payload: &Value) -> Option<Send<'_>> {
    let at = "/message/template";
    let t = payload.pointer(at)?;
    let id = id_text(t.get("template_code_id"))?;
    let (mut header, mut body, mut buttons) = (Slot::Absent, Slot::Absent, Vec::new());
    let base = join(at, "payload");
    for (i, c) in t
        .get("payload")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let cp = join_index(&base, i);
        match lower(c.get("position")).as_deref() {
            Some("header") => header = Slot::Given(json_part(c, &cp)),
            Some("body") => body = Slot::Given(json_part(c, &cp)),
            Some("button") => buttons.push(json_button(c, cp, "sub_types")),
            _ => {}
        }
    }
    Some(Send {
        provider: "oca",
        form: Form::Oca,
        at: at.to_string(),
        id,
        id_pointer: join(at, "template_code_id"),
        language: None,
        header,
        header_macros: None,
        body,
        buttons: if buttons.is_empty() {
            Slot::Absent
        } else {
            Slot::Given(buttons)
        },
        cards: Slot::Cannot,
        recipients: Vec::new(),
    })
}

fn qiscus(payload: &Value) -> Option<Send<'_>> {
    let id = id_text(payload.get("template_name"))?;
    let body = match payload.get("variables") {
        Some(Value::Array(items)) => Slot::Given(Part {
            pointer: "/variables".to_string(),
            kind: None,
            kind_at: KindAt::Itself,
            kind_range: None,
            params: items
                .iter()
                .enumerate()
                .map(|(i, v)| Param {
                    ptr: Ptr::Full(join_index("/variables", i)),
                    range: None,
                    kind: Cow::Borrowed("text"),
                    text: v.as_str(),
                    key: None,
                    column: None,
                })
                .collect(),
        }),
        _ => Slot::Absent,
    };
    let buttons = match payload.get("button_params") {
        Some(Value::Array(items)) if !items.is_empty() => Slot::Given(
            items
                .iter()
                .enumerate()
                .map(|(i, b)| {
                    let at = join_index("/button_params", i);
                    ButtonPart {
                        range: None,
                        index: index_of(b.get("index")),
                        sub_type: lower(b.get("type")),
                        sub_type_key: "type",
                        sub_type_range: None,
                        params: b
                            .get("values")
                            .map(|v| Param {
                                ptr: Ptr::Full(join(&at, "values")),
                                range: None,
                                kind: Cow::Borrowed("text"),
                                text: v.as_str(),
                                key: None,
                                column: None,
                            })
                            .into_iter()
                            .collect(),
                        pointer: at,
                    }
                })
                .collect(),
        ),
        _ => Slot::Absent,
    };
    Some(Send {
        provider: "qiscus",
        form: Form::Qiscus,
        at: String::new(),
        id,
        id_pointer: "/template_name".to_string(),
        language: payload
            .get("language")
            .and_then(Value::as_str)
            .map(|l| (l, "/language".to_string())),
        header: Slot::Cannot,
        header_macros: None,
        body,
        buttons,
        cards: Slot::Cannot,
        recipients: Vec::new(),
    })
}

fn qiscus_id(payload: &Value) -> Option<Send<'_>> {
    let id = id_text(payload.get("template_detail_id"))?;
    Some(Send {
        provider: "qiscus",
        form: Form::QiscusId,
        at: String::new(),
        id,
        id_pointer: "/template_detail_id".to_string(),
        language: None,
        header: Slot::Cannot,
        header_macros: None,
        body: Slot::Cannot,
        buttons: Slot::Cannot,
        cards: Slot::Cannot,
        recipients: Vec::new(),
    })
}

fn macro_part<'a>(broadcast: &'a Map<String, Value>, at: &str, list: &str) -> Option<Part<'a>> {
    let items = broadcast.get(list)?.as_array()?;
    let pointer = join(at, list);
    Some(Part {
        kind: Some(Cow::Borrowed("text")),
        kind_at: KindAt::Itself,
        kind_range: None,
        params: items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let ip = join_index(&pointer, i);
                let fixed = item.get("type").and_then(Value::as_str) == Some("static");
                Param {
                    ptr: Ptr::Full(join(&ip, "value")),
                    range: None,
                    kind: Cow::Borrowed("text"),
                    text: if fixed {
                        item.get("value").and_then(Value::as_str)
                    } else {
                        None
                    },
                    column: if fixed {
                        None
                    } else {
                        item.get("value").and_then(Value::as_str)
                    },
                    key: item
                        .get("key")
                        .and_then(Value::as_str)
                        .map(|k| (k, join(&ip, "key"))),
                }
            })
            .collect(),
        pointer,
    })
}

fn dolphins(payload: &Value) -> Vec<Send<'_>> {
    let mut out = Vec::new();
    for (at, b) in crate::engine::rules::providers::shared::broadcasts(payload) {
        let Some(id) = id_text(b.get("templateId")) else {
            continue;
        };
        let media = b
            .get("content")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
            .find(|(_, c)| {
                matches!(
                    c.get("type").and_then(Value::as_str),
                    Some("image" | "video" | "document")
                )
            });
        let macros = macro_part(b, &at, "headerVariables").filter(|p| !p.params.is_empty());
        let (header, header_macros) = match media {
            Some((i, c)) => {
                let cp = join_index(&join(&at, "content"), i);
                let kind = lower(c.get("type")).unwrap_or_default();
                (
                    Slot::Given(Part {
                        kind: Some(kind.clone()),
                        kind_at: KindAt::Child("type"),
                        kind_range: None,
                        params: vec![Param {
                            ptr: Ptr::Full(join(&cp, "url")),
                            range: None,
                            kind,
                            text: c.get("url").and_then(Value::as_str),
                            key: None,
                            column: None,
                        }],
                        pointer: cp,
                    }),
                    macros,
                )
            }
            None => match macros {
                Some(m) => (Slot::Given(m), None),
                None => (Slot::Absent, None),
            },
        };
        let body = match macro_part(b, &at, "bodyVariables") {
            Some(p) => Slot::Given(p),
            None => Slot::Absent,
        };
        let recipients = b
            .get("whatsappRecipient")
            .and_then(Value::as_array)
            .map(|rs| {
                let base = join(&at, "whatsappRecipient");
                rs.iter()
                    .enumerate()
                    .filter_map(|(i, r)| Some((join_index(&base, i), r.as_object()?)))
                    .collect()
            })
            .unwrap_or_default();
        out.push(Send {
            provider: "3dolphins",
            form: Form::Dolphins,
            id_pointer: join(&at, "templateId"),
            at,
            id,
            language: None,
            header,
            header_macros,
            body,
            buttons: Slot::Cannot,
            cards: Slot::Cannot,
            recipients,
        });
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_sandeza_delimited_sends_with_ranges() {
        let p = json!({"channel": {"whatsapp": {"msisdn": "6281234567890", "template_id": "x",
            "header": "image:=:https://a.co/b.jpg", "message": "text:=:Budi||text:=:Rp 2€0",
            "button": "button:=:url:=:TB-1"}}});
        let s = sends("sandeza/send", &p);
        let s = &s[0];
        assert_eq!(s.form, Form::SandezaDelimited);
        let body = s.body.given().unwrap();
        assert_eq!(body.params[1].text, Some("Rp 2€0"));
        assert_eq!(body.params[1].range, Some(20..26));
        let header = s.header.given().unwrap();
        assert_eq!(header.kind.as_deref(), Some("image"));
        let b = &s.buttons.given().unwrap()[0];
        assert_eq!((b.index, b.sub_type.as_deref()), (Some(0), Some("url")));
        assert_eq!(b.params[0].text, Some("TB-1"));
    }

    #[test]
    fn reads_a_location_segment_as_one_parameter() {
        let p = json!({"channel": {"whatsapp": {"template_id": "x",
            "header": "location:=:-6.17:=:106.82:=:Toko:=:Jl. Merdeka"}}});
        let s = sends("sandeza/send", &p);
        let h = s[0].header.given().unwrap();
        assert_eq!(h.params.len(), 1);
        assert_eq!(
            h.params[0].text,
            Some("-6.17:=:106.82:=:Toko:=:Jl. Merdeka")
        );
    }

    #[test]
    fn reads_3dolphins_media_and_macros() {
        let p = json!([{"templateId": "t", "content": [{"type": "image", "url": "https://a.co/b.png"}],
            "bodyVariables": [{"key": "{{1}}", "value": "Nama"}, {"type": "static", "key": "{{2}}", "value": "Rp 5.000"}]}]);
        let s = sends("3dolphins/broadcast-multiple", &p);
        assert_eq!(s[0].at, "/0");
        assert_eq!(s[0].header.given().unwrap().kind.as_deref(), Some("image"));
        let body = s[0].body.given().unwrap();
        assert_eq!(body.params[0].text, None);
        assert_eq!(body.params[1].text, Some("Rp 5.000"));
        assert_eq!(
            body.params[1].key.as_ref().unwrap().1,
            "/0/bodyVariables/1/key"
        );
    }
}
