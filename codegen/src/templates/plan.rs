//! What each template's type holds, before any tokens: its name, its fields
//! (one per placeholder or dynamic value, with the template's example), how
//! each provider's request uses them, and which providers cannot carry the
//! template at all (and why).

use std::collections::HashSet;

use preflight_templates::{ButtonKind, HeaderFormat, Key, Template, Text};

use crate::case;

/// Names the generated file defines once, which no template type may take.
pub(crate) const SHARED: &[&str] = &[
    "ImageLink",
    "VideoLink",
    "DocumentLink",
    "SandezaParts",
    "QiscusParts",
    "DolphinsParts",
];

/// What a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// A body placeholder's value.
    Body,
    /// A text header's placeholder value.
    HeaderText,
    /// An image header's link.
    Image,
    /// A video header's link.
    Video,
    /// A document header's link.
    Document,
    /// A location header's place.
    Location,
    /// A dynamic URL button's suffix.
    Suffix,
    /// A copy-code button's coupon.
    Coupon,
    /// A multi-product button's products.
    Products,
}

/// One field of a template's type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The field's name (a legal identifier once [`case::field_ident`] has it).
    pub name: String,
    /// What it holds.
    pub kind: FieldKind,
    /// Its doc line, in the template's words.
    pub doc: String,
    /// The template's example value for it, where the template gives one.
    pub example: Option<String>,
}

/// A button that takes a value at send time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ButtonPlan {
    /// Its 0-based index in the template.
    pub index: usize,
    /// Its type, as Meta writes it.
    pub kind: ButtonKind,
    /// The field that fills it; `None` for an OTP button, which sends the
    /// body's first value (the code).
    pub field: Option<usize>,
}

/// One carousel card's fields.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CardPlan {
    /// The header's field and kind.
    pub header: Option<usize>,
    /// The body's fields, in send order.
    pub body: Vec<usize>,
    /// The dynamic URL buttons: (index, field).
    pub buttons: Vec<(usize, usize)>,
}

/// A template's type, planned.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The template.
    pub template: Template,
    /// The type's name.
    pub type_name: String,
    /// Its fields, in declaration order.
    pub fields: Vec<Field>,
    /// The header's field.
    pub header: Option<usize>,
    /// The body's fields, in send order (positional by number, named by
    /// first appearance).
    pub body: Vec<usize>,
    /// The buttons that take a value.
    pub buttons: Vec<ButtonPlan>,
    /// The carousel's cards.
    pub cards: Vec<CardPlan>,
    /// The providers that cannot send the template, with the reason.
    pub cannot: Vec<(&'static str, String)>,
}

impl Plan {
    /// True when every field has an example (so `example()` is generated).
    pub fn has_examples(&self) -> bool {
        self.fields.iter().all(|f| f.example.is_some())
    }

    /// True when `provider` can send the template.
    pub fn can(&self, provider: &str) -> bool {
        !self.cannot.iter().any(|(p, _)| *p == provider)
    }
}

/// The distinct keys of `text` in send order with their examples:
/// positional by number, named by first appearance. (`Text::examples` is
/// in first-appearance order.)
fn keys_in_order(text: &Text) -> Vec<(Key, Option<String>)> {
    let mut indexed: Vec<(usize, &Key)> = text.keys().iter().enumerate().collect();
    indexed.sort_by_key(|(i, k)| match k {
        Key::Number(n) => (*n as usize, *i),
        Key::Name(_) => (0, *i),
    });
    indexed
        .into_iter()
        .map(|(i, k)| {
            let example = text
                .examples
                .get(i)
                .cloned()
                .flatten()
                .filter(|v| !v.trim().is_empty());
            (k.clone(), example)
        })
        .collect()
}

/// Field names of one type, kept unique.
#[derive(Default)]
struct Names(HashSet<String>);

impl Names {
    fn take(&mut self, wanted: String) -> String {
        let mut name = wanted.clone();
        let mut n = 2;
        while self.0.contains(&name) {
            name = format!("{wanted}_{n}");
            n += 1;
        }
        self.0.insert(name.clone());
        name
    }
}

fn quoted(example: Option<&String>) -> String {
    example.map_or_else(String::new, |e| format!(" (example: {e:?})"))
}

/// The fields of a body (`prefix` `body_` or `card_0_body_`), pushed.
fn body_fields(
    text: &Text,
    prefix: &str,
    named_prefix: &str,
    what: &str,
    names: &mut Names,
    fields: &mut Vec<Field>,
) -> Vec<usize> {
    keys_in_order(text)
        .into_iter()
        .map(|(key, example)| {
            let wanted = match &key {
                Key::Number(n) => format!("{prefix}{n}"),
                Key::Name(name) => format!("{named_prefix}{}", case::snake(name)),
            };
            let name = names.take(wanted);
            fields.push(Field {
                doc: format!("The value of {what}'s `{key}`{}.", quoted(example.as_ref())),
                name,
                kind: FieldKind::Body,
                example,
            });
            fields.len() - 1
        })
        .collect()
}

fn media_kind(format: &HeaderFormat) -> Option<(FieldKind, &'static str)> {
    match format {
        HeaderFormat::Image => Some((FieldKind::Image, "image")),
        HeaderFormat::Video => Some((FieldKind::Video, "video")),
        HeaderFormat::Document => Some((FieldKind::Document, "document")),
        HeaderFormat::Location => Some((FieldKind::Location, "location")),
        _ => None,
    }
}

/// A dynamic URL's suffix example: the example URL minus the URL's fixed
/// prefix.
fn suffix_example(url: &str, example: Option<&String>) -> Option<String> {
    let prefix = url.split("{{").next().unwrap_or("");
    example
        .and_then(|e| e.strip_prefix(prefix))
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// Plans one template's type (its name is set by [`plan`]).
fn plan_one(t: &Template) -> Plan {
    let mut names = Names::default();
    let mut fields = Vec::new();
    // Named body placeholders take their plain names; a header placeholder
    // of the same name is `header_<name>`.
    let body_names: HashSet<String> = t
        .body
        .as_ref()
        .map(|b| {
            b.keys()
                .iter()
                .filter_map(|k| match k {
                    Key::Name(n) => Some(case::snake(n)),
                    Key::Number(_) => None,
                })
                .collect()
        })
        .unwrap_or_default();
    let header = t
        .header
        .as_ref()
        .and_then(|h| match (&h.text, media_kind(&h.format)) {
            (Some(text), _) => keys_in_order(text)
                .into_iter()
                .next()
                .map(|(key, example)| {
                    let wanted = match &key {
                        Key::Number(n) => format!("header_{n}"),
                        Key::Name(n) if body_names.contains(&case::snake(n)) => {
                            format!("header_{}", case::snake(n))
                        }
                        Key::Name(n) => case::snake(n),
                    };
                    fields.push(Field {
                        name: names.take(wanted),
                        kind: FieldKind::HeaderText,
                        doc: format!(
                            "The value of the header's `{key}`{}.",
                            quoted(example.as_ref())
                        ),
                        example,
                    });
                    fields.len() - 1
                }),
            (None, Some((kind, word))) => {
                let example = h.media_example.clone().filter(|e| !e.trim().is_empty());
                let doc = match kind {
                    FieldKind::Location => "The place the LOCATION header shows.".to_string(),
                    _ => format!(
                        "The link of the {} header's {word}{}.",
                        h.format.as_str(),
                        quoted(example.as_ref())
                    ),
                };
                fields.push(Field {
                    name: names.take(format!("header_{word}")),
                    kind,
                    doc,
                    example: if kind == FieldKind::Location {
                        None
                    } else {
                        example
                    },
                });
                Some(fields.len() - 1)
            }
            (None, None) => None,
        });
    let body = t
        .body
        .as_ref()
        .map(|b| body_fields(b, "body_", "", "the body", &mut names, &mut fields))
        .unwrap_or_default();
    let mut buttons = Vec::new();
    for (index, b) in t.buttons.iter().enumerate() {
        let label = b
            .text
            .as_deref()
            .map_or_else(String::new, |l| format!(" ({l:?})"));
        let (field, doc, example) = match b.kind {
            ButtonKind::Url if b.needs_parameter() => {
                let url = b.url.as_ref().map(|u| u.text.as_str()).unwrap_or("");
                let example = suffix_example(url, b.example.first());
                (
                    Some((FieldKind::Suffix, "suffix")),
                    format!(
                        "The suffix of URL button {index}{label}, in place of the `{{{{1}}}}` of `{url}`{}.",
                        quoted(example.as_ref())
                    ),
                    example,
                )
            }
            ButtonKind::CopyCode => {
                let example = b.example.first().cloned();
                (
                    Some((FieldKind::Coupon, "coupon")),
                    format!(
                        "The coupon code that COPY_CODE button {index}{label} copies{}.",
                        quoted(example.as_ref())
                    ),
                    example,
                )
            }
            ButtonKind::Mpm => (
                Some((FieldKind::Products, "products")),
                format!("The products MPM button {index}{label} opens."),
                None,
            ),
            ButtonKind::Otp => {
                buttons.push(ButtonPlan {
                    index,
                    kind: b.kind.clone(),
                    field: None,
                });
                continue;
            }
            _ => continue,
        };
        if let Some((kind, word)) = field {
            fields.push(Field {
                name: names.take(format!("button_{index}_{word}")),
                kind,
                doc,
                example,
            });
            buttons.push(ButtonPlan {
                index,
                kind: b.kind.clone(),
                field: Some(fields.len() - 1),
            });
        }
    }
    let mut cards = Vec::new();
    for (c, card) in t.cards.iter().enumerate() {
        let mut plan = CardPlan::default();
        if let Some(h) = &card.header
            && let Some((kind, word)) = media_kind(&h.format)
        {
            let example = h.media_example.clone();
            fields.push(Field {
                name: names.take(format!("card_{c}_header_{word}")),
                kind,
                doc: format!(
                    "The link of card {c}'s {} header{}.",
                    h.format.as_str(),
                    quoted(example.as_ref())
                ),
                example,
            });
            plan.header = Some(fields.len() - 1);
        }
        if let Some(b) = &card.body {
            let prefix = format!("card_{c}_body_");
            let named = format!("card_{c}_");
            let what = format!("card {c}'s body");
            plan.body = body_fields(b, &prefix, &named, &what, &mut names, &mut fields);
        }
        for (index, b) in card.buttons.iter().enumerate() {
            if b.kind == ButtonKind::Url && b.needs_parameter() {
                let url = b.url.as_ref().map(|u| u.text.as_str()).unwrap_or("");
                let example = suffix_example(url, b.example.first());
                fields.push(Field {
                    name: names.take(format!("card_{c}_button_{index}_suffix")),
                    kind: FieldKind::Suffix,
                    doc: format!(
                        "The suffix of card {c}'s URL button {index}, in place of the `{{{{1}}}}` of `{url}`{}.",
                        quoted(example.as_ref())
                    ),
                    example,
                });
                plan.buttons.push((index, fields.len() - 1));
            }
        }
        cards.push(plan);
    }
    let mut plan = Plan {
        template: t.clone(),
        type_name: String::new(),
        fields,
        header,
        body,
        buttons,
        cards,
        cannot: Vec::new(),
    };
    plan.cannot = cannot(&plan);
    plan
}

/// Which providers cannot send the template, and why: the same limits as
/// `preflight templates new` states.
fn cannot(p: &Plan) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    let header_kind = p.header.and_then(|i| p.fields.get(i)).map(|f| f.kind);
    let carousel = !p.cards.is_empty();
    let button = |kinds: &[ButtonKind]| {
        p.buttons
            .iter()
            .find(|b| !kinds.contains(&b.kind))
            .map(|b| (b.index, b.kind.as_str().to_string()))
    };
    if let Some((i, k)) = button(&[ButtonKind::Url, ButtonKind::Otp, ButtonKind::Mpm]) {
        out.push((
            "sandeza",
            format!("its button {i} is a {k} button, and Sandeza's buttons are URL, catalog and MPM only"),
        ));
    }
    if carousel {
        out.push((
            "oca",
            "it is a carousel, and OCA's payload has no cards".to_string(),
        ));
    } else if header_kind == Some(FieldKind::Location) {
        out.push((
            "oca",
            "its header is a LOCATION, and OCA's header parameters are text, image, video and document only".to_string(),
        ));
    } else if let Some((i, k)) = button(&[ButtonKind::Url, ButtonKind::Otp]) {
        out.push((
            "oca",
            format!("its button {i} is a {k} button, and OCA's button sub_types are quick_reply and url_dynamic only"),
        ));
    }
    if carousel {
        out.push((
            "qiscus",
            "it is a carousel, and broadcast-client has no cards".to_string(),
        ));
    } else if let Some((i, k)) = button(&[ButtonKind::Url, ButtonKind::Otp, ButtonKind::CopyCode]) {
        out.push((
            "qiscus",
            format!("its button {i} is a {k} button, and broadcast-client's button_params carry URL suffixes, OTP and coupon codes only"),
        ));
    }
    if carousel {
        out.push((
            "3dolphins",
            "it is a carousel, and a 3Dolphins broadcast has no cards".to_string(),
        ));
    } else if let Some(b) = p.buttons.first() {
        out.push((
            "3dolphins",
            format!(
                "its button {} ({}) needs a parameter, and a 3Dolphins broadcast has no button parameters",
                b.index,
                b.kind.as_str()
            ),
        ));
    } else if header_kind == Some(FieldKind::Location) {
        out.push((
            "3dolphins",
            "its header is a LOCATION, and 3Dolphins content is text, image, video or document"
                .to_string(),
        ));
    }
    out
}

/// The type name of a template before collisions: its name and language in
/// PascalCase.
pub(crate) fn natural_name(name: &str, language: &str) -> String {
    let name = case::pascal(name);
    if case::words(language).is_empty() {
        // `Self_` stays: a keyword alone is no identifier.
        return name;
    }
    format!("{}{}", name.trim_end_matches('_'), case::pascal(language))
}

/// Plans every template's type, with names unique across the file: a name
/// several templates would take (or a shared item's) gets `2`, `3`, … in
/// file order, never one another template takes naturally.
pub fn plan(templates: &[Template]) -> Vec<Plan> {
    let natural: Vec<String> = templates
        .iter()
        .map(|t| natural_name(&t.name, &t.language))
        .collect();
    let mut taken: HashSet<String> = SHARED.iter().map(|s| (*s).to_string()).collect();
    // Every natural name is reserved first, so a numbered name never takes
    // one a later template needs.
    let reserved: HashSet<String> = natural.iter().cloned().collect();
    templates
        .iter()
        .zip(natural)
        .map(|(t, wanted)| {
            let mut name = wanted.clone();
            let mut n = 2;
            while taken.contains(&name) || (name != wanted && reserved.contains(&name)) {
                name = format!("{wanted}{n}");
                n += 1;
            }
            taken.insert(name.clone());
            let mut p = plan_one(t);
            p.type_name = name;
            p
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn template(v: Value) -> Template {
        Template::from_value(&v, "t.json", "/0").unwrap()
    }

    fn names(p: &Plan) -> Vec<&str> {
        p.fields.iter().map(|f| f.name.as_str()).collect()
    }

    #[test]
    fn positional_placeholders_are_numbered_fields_in_number_order() {
        let t = template(json!({"name": "sapaan_gelar", "language": "id",
            "components": [{"type": "HEADER", "format": "TEXT", "text": "Jadwal {{1}}"},
                           {"type": "BODY", "text": "Yth. {{2}} {{1}}, {{2}} lagi"}]}));
        let p = &plan(&[t])[0];
        assert_eq!(p.type_name, "SapaanGelarId");
        assert_eq!(names(p), ["header_1", "body_1", "body_2"]);
        assert_eq!(p.body, [1, 2]);
        assert_eq!(p.fields[0].kind, FieldKind::HeaderText);
    }

    #[test]
    fn named_placeholders_are_their_names() {
        let t = template(
            json!({"name": "konfirmasi", "language": "en_US", "parameter_format": "NAMED",
            "components": [{"type": "HEADER", "format": "TEXT", "text": "{{nama}}"},
                           {"type": "BODY", "text": "Halo {{nama}}, total {{totalHarga}} via {{type}}"}]}),
        );
        let p = &plan(&[t])[0];
        assert_eq!(p.type_name, "KonfirmasiEnUs");
        assert_eq!(names(p), ["header_nama", "nama", "total_harga", "type"]);
        assert_eq!(case::field_ident("type").to_string(), "r#type");
    }

    #[test]
    fn header_kinds_are_typed() {
        for (format, kind, name) in [
            ("IMAGE", FieldKind::Image, "header_image"),
            ("VIDEO", FieldKind::Video, "header_video"),
            ("DOCUMENT", FieldKind::Document, "header_document"),
            ("LOCATION", FieldKind::Location, "header_location"),
        ] {
            let t = template(json!({"name": "h", "language": "id",
                "components": [{"type": "HEADER", "format": format}, {"type": "BODY", "text": "Halo"}]}));
            let p = &plan(&[t])[0];
            assert_eq!(names(p), [name]);
            assert_eq!(p.fields[0].kind, kind);
        }
        // A text header without a placeholder takes nothing.
        let t = template(json!({"name": "h", "language": "id",
            "components": [{"type": "HEADER", "format": "TEXT", "text": "Tagihan"}]}));
        assert!(plan(&[t])[0].fields.is_empty());
    }

    #[test]
    fn only_dynamic_buttons_take_values() {
        let t = template(json!({"name": "b", "language": "id", "components": [
            {"type": "BODY", "text": "Halo"},
            {"type": "BUTTONS", "buttons": [
                {"type": "QUICK_REPLY", "text": "Ya"},
                {"type": "URL", "text": "Situs", "url": "https://a.co.id/"},
                {"type": "URL", "text": "Lacak", "url": "https://a.co.id/lacak/{{1}}", "example": ["https://a.co.id/lacak/TB-1"]},
                {"type": "PHONE_NUMBER", "text": "Telepon", "phone_number": "+62215000"},
                {"type": "COPY_CODE", "example": "HEMAT25"},
                {"type": "CATALOG", "text": "Katalog"},
                {"type": "FLOW", "text": "Isi"}]}]}));
        let p = &plan(&[t])[0];
        assert_eq!(names(p), ["button_2_suffix", "button_4_coupon"]);
        assert_eq!(p.fields[0].example.as_deref(), Some("TB-1"));
        assert_eq!(p.fields[1].example.as_deref(), Some("HEMAT25"));
        assert!(!p.can("sandeza") && !p.can("oca") && p.can("qiscus") && !p.can("3dolphins"));
    }

    #[test]
    fn an_otp_button_sends_the_code_and_takes_no_field() {
        let t = template(
            json!({"name": "otp", "language": "id", "category": "AUTHENTICATION",
            "components": [{"type": "BODY", "text": "*{{1}}* adalah kode Anda."},
                           {"type": "BUTTONS", "buttons": [{"type": "OTP", "otp_type": "COPY_CODE"}]}]}),
        );
        let p = &plan(&[t])[0];
        assert_eq!(names(p), ["body_1"]);
        assert_eq!(p.buttons[0].field, None);
    }

    #[test]
    fn type_names_never_collide() {
        let ts: Vec<Template> = [
            ("promo_1212", "id"),
            ("promo-1212", "id"),
            ("Promo1212", "id"),
            ("promo_1212_id", ""),
            ("promo_12122", "id"),
            ("sandeza_parts", ""),
            ("1212", "id"),
            ("self", ""),
            ("self", "id"),
            ("otp_login", "en_US"),
            ("otp_login", "id"),
            ("otp_login_en", "US"),
        ]
        .iter()
        .map(|(n, l)| template(json!({"name": n, "language": l})))
        .collect();
        let plans = plan(&ts);
        let names: Vec<&str> = plans.iter().map(|p| p.type_name.as_str()).collect();
        let distinct: HashSet<&&str> = names.iter().collect();
        assert_eq!(distinct.len(), names.len(), "{names:?}");
        assert_eq!(names[0], "Promo1212Id");
        assert_eq!(names[9], "OtpLoginEnUs");
        assert_eq!(names[10], "OtpLoginId");
        assert!(!names.contains(&"SandezaParts"));
        assert!(
            names
                .iter()
                .all(|n| syn::parse_str::<syn::Ident>(n).is_ok())
        );
    }
}
