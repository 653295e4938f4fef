//! One template as Meta's `message_templates` export describes it: name,
//! language, status, category, parameter format and components, read from
//! JSON leniently (unknown fields ignored, enum values in any case).

use crate::placeholder::{self, Key, Placeholder};
use serde_json::Value;

/// A template's review status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// Approved: it can be sent.
    Approved,
    /// Paused for low quality (WhatsApp answers 132015).
    Paused,
    /// Disabled (WhatsApp answers 132016).
    Disabled,
    /// Rejected in review.
    Rejected,
    /// Still in review.
    Pending,
    /// Any other status, as written (`IN_APPEAL`, `PENDING_DELETION`, …).
    Other(String),
}

impl Status {
    fn parse(s: &str) -> Status {
        match s.to_ascii_uppercase().as_str() {
            "APPROVED" => Status::Approved,
            "PAUSED" => Status::Paused,
            "DISABLED" => Status::Disabled,
            "REJECTED" => Status::Rejected,
            "PENDING" => Status::Pending,
            _ => Status::Other(s.to_ascii_uppercase()),
        }
    }

    /// The error WhatsApp answers a send of a template in this status with,
    /// where the status has one of its own (`132015` paused, `132016`
    /// disabled).
    pub fn send_error(&self) -> Option<&'static str> {
        match self {
            Status::Paused => Some("132015"),
            Status::Disabled => Some("132016"),
            _ => None,
        }
    }

    /// The status as Meta writes it.
    pub fn as_str(&self) -> &str {
        match self {
            Status::Approved => "APPROVED",
            Status::Paused => "PAUSED",
            Status::Disabled => "DISABLED",
            Status::Rejected => "REJECTED",
            Status::Pending => "PENDING",
            Status::Other(s) => s,
        }
    }
}

/// A template's category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Category {
    /// Transactional: invoices, delivery updates.
    Utility,
    /// Promotions.
    Marketing,
    /// One-time passcodes.
    Authentication,
    /// Any other category, as written.
    Other(String),
}

impl Category {
    fn parse(s: &str) -> Category {
        match s.to_ascii_uppercase().as_str() {
            "UTILITY" => Category::Utility,
            "MARKETING" => Category::Marketing,
            "AUTHENTICATION" => Category::Authentication,
            _ => Category::Other(s.to_ascii_uppercase()),
        }
    }

    /// The category as Meta writes it.
    pub fn as_str(&self) -> &str {
        match self {
            Category::Utility => "UTILITY",
            Category::Marketing => "MARKETING",
            Category::Authentication => "AUTHENTICATION",
            Category::Other(s) => s,
        }
    }
}

/// How a template's placeholders are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParameterFormat {
    /// `{{1}}`, `{{2}}`: parameters are filled in order (the default).
    Positional,
    /// `{{first_name}}`: parameters carry the placeholder's name.
    Named,
}

impl ParameterFormat {
    /// The format as Meta writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            ParameterFormat::Positional => "POSITIONAL",
            ParameterFormat::Named => "NAMED",
        }
    }
}

/// What a template's header holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderFormat {
    /// Text, with at most one placeholder.
    Text,
    /// An image given at send time.
    Image,
    /// A video given at send time.
    Video,
    /// A document given at send time.
    Document,
    /// A location given at send time.
    Location,
    /// Any other format, as written.
    Other(String),
}

impl HeaderFormat {
    fn parse(s: &str) -> HeaderFormat {
        match s.to_ascii_uppercase().as_str() {
            "TEXT" => HeaderFormat::Text,
            "IMAGE" => HeaderFormat::Image,
            "VIDEO" => HeaderFormat::Video,
            "DOCUMENT" => HeaderFormat::Document,
            "LOCATION" => HeaderFormat::Location,
            _ => HeaderFormat::Other(s.to_ascii_uppercase()),
        }
    }

    /// The format as Meta writes it.
    pub fn as_str(&self) -> &str {
        match self {
            HeaderFormat::Text => "TEXT",
            HeaderFormat::Image => "IMAGE",
            HeaderFormat::Video => "VIDEO",
            HeaderFormat::Document => "DOCUMENT",
            HeaderFormat::Location => "LOCATION",
            HeaderFormat::Other(s) => s,
        }
    }

    /// The lowercase word a send's header parameter type uses (`image`).
    pub fn parameter_type(&self) -> std::borrow::Cow<'static, str> {
        match self {
            HeaderFormat::Text => "text".into(),
            HeaderFormat::Image => "image".into(),
            HeaderFormat::Video => "video".into(),
            HeaderFormat::Document => "document".into(),
            HeaderFormat::Location => "location".into(),
            HeaderFormat::Other(s) => s.to_ascii_lowercase().into(),
        }
    }
}

/// Text with placeholders (a body, a text header, a button URL) and the
/// example values given for them at registration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    /// The text as registered.
    pub text: String,
    /// Its placeholders, in order.
    pub placeholders: Vec<Placeholder>,
    /// Example values per distinct placeholder (in [`Text::keys`] order),
    /// where the template gives them.
    pub examples: Vec<Option<String>>,
    /// The distinct placeholders, read once.
    keys: Vec<Key>,
    /// The characters of the text outside its placeholders.
    fixed_chars: usize,
}

impl Text {
    /// `text` read for its placeholders, without examples.
    pub fn plain(text: &str) -> Text {
        Text::new(text, Examples::Positional(Vec::new()))
    }

    fn new(text: &str, examples: Examples) -> Text {
        let placeholders = placeholder::placeholders(text);
        let keys = placeholder::distinct(&placeholders);
        let examples = keys
            .iter()
            .enumerate()
            .map(|(i, key)| match (&examples, key) {
                (Examples::Positional(values), _) => values.get(i).cloned(),
                (Examples::Named(pairs), Key::Name(name)) => pairs
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, v)| v.clone()),
                _ => None,
            })
            .collect();
        let fixed_chars =
            text.chars().count() - placeholders.iter().map(|p| p.range.len()).sum::<usize>();
        Text {
            text: text.to_string(),
            placeholders,
            examples,
            keys,
            fixed_chars,
        }
    }

    /// The distinct placeholders, in order of first appearance: what a send
    /// gives one parameter each.
    pub fn keys(&self) -> &[Key] {
        &self.keys
    }

    /// The number of parameters a send gives this text.
    pub fn parameter_count(&self) -> usize {
        self.keys.len()
    }

    /// The characters of the text outside its placeholders.
    pub fn fixed_chars(&self) -> usize {
        self.fixed_chars
    }

    /// The length in characters of the text with each placeholder replaced
    /// by a value of `value_len(i, key)` characters (the `i`-th distinct
    /// placeholder); a placeholder without a value counts as itself. The
    /// same as [`Text::hydrate`]'s length, without building the text.
    pub fn hydrated_len(&self, value_len: impl Fn(usize, &Key) -> Option<usize>) -> usize {
        self.fixed_chars
            + self
                .placeholders
                .iter()
                .map(|p| {
                    let i = self.keys.iter().position(|k| *k == p.key).unwrap_or(0);
                    value_len(i, &p.key).unwrap_or(p.range.len())
                })
                .sum::<usize>()
    }

    /// The text with each placeholder replaced by `value(i, key)` (the
    /// `i`-th distinct placeholder); a placeholder without a value stays.
    pub fn hydrate(&self, value: impl Fn(usize, &Key) -> Option<String>) -> String {
        let keys = &self.keys;
        let mut out = String::new();
        let mut at = 0;
        let chars: Vec<char> = self.text.chars().collect();
        for p in &self.placeholders {
            out.extend(&chars[at.min(chars.len())..p.range.start.min(chars.len())]);
            let i = keys.iter().position(|k| *k == p.key).unwrap_or(0);
            match value(i, &p.key) {
                Some(v) => out.push_str(&v),
                None => {
                    out.extend(&chars[p.range.start.min(chars.len())..p.range.end.min(chars.len())])
                }
            }
            at = p.range.end;
        }
        out.extend(&chars[at.min(chars.len())..]);
        out
    }
}

/// A template's header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// What it holds.
    pub format: HeaderFormat,
    /// Its text, for a TEXT header.
    pub text: Option<Text>,
    /// The example media (`header_handle`), for a media header.
    pub media_example: Option<String>,
}

/// What a button does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ButtonKind {
    /// Sends a reply with a payload.
    QuickReply,
    /// Opens a URL, static or with a `{{1}}` suffix.
    Url,
    /// Calls a number.
    PhoneNumber,
    /// The one-time-passcode button of an AUTHENTICATION template.
    Otp,
    /// Copies a coupon code.
    CopyCode,
    /// Opens the catalog.
    Catalog,
    /// Opens a multi-product message.
    Mpm,
    /// Opens a WhatsApp Flow.
    Flow,
    /// Any other type, as written.
    Other(String),
}

impl ButtonKind {
    fn parse(s: &str) -> ButtonKind {
        match s.to_ascii_uppercase().as_str() {
            "QUICK_REPLY" => ButtonKind::QuickReply,
            "URL" => ButtonKind::Url,
            "PHONE_NUMBER" => ButtonKind::PhoneNumber,
            "OTP" => ButtonKind::Otp,
            "COPY_CODE" => ButtonKind::CopyCode,
            "CATALOG" => ButtonKind::Catalog,
            "MPM" => ButtonKind::Mpm,
            "FLOW" => ButtonKind::Flow,
            _ => ButtonKind::Other(s.to_ascii_uppercase()),
        }
    }

    /// The type as Meta writes it.
    pub fn as_str(&self) -> &str {
        match self {
            ButtonKind::QuickReply => "QUICK_REPLY",
            ButtonKind::Url => "URL",
            ButtonKind::PhoneNumber => "PHONE_NUMBER",
            ButtonKind::Otp => "OTP",
            ButtonKind::CopyCode => "COPY_CODE",
            ButtonKind::Catalog => "CATALOG",
            ButtonKind::Mpm => "MPM",
            ButtonKind::Flow => "FLOW",
            ButtonKind::Other(s) => s,
        }
    }
}

/// One button of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Button {
    /// What it does.
    pub kind: ButtonKind,
    /// Its label.
    pub text: Option<String>,
    /// Its URL, for a URL button (a `{{1}}` at the end makes it dynamic).
    pub url: Option<Text>,
    /// Its number, for a PHONE_NUMBER button.
    pub phone_number: Option<String>,
    /// `otp_type` of an OTP button (`COPY_CODE`, `ONE_TAP`, `ZERO_TAP`).
    pub otp_type: Option<String>,
    /// The example values given at registration.
    pub example: Vec<String>,
}

impl Button {
    /// The parameters a send gives the button: one for a dynamic URL, an
    /// OTP code or a coupon code; none for a static URL, a phone number.
    /// `None` where a parameter may be given or left out (quick replies,
    /// catalog, flow).
    pub fn parameter_count(&self) -> Option<usize> {
        match self.kind {
            ButtonKind::Url => Some(self.url.as_ref().map_or(0, Text::parameter_count)),
            ButtonKind::Otp | ButtonKind::CopyCode | ButtonKind::Mpm => Some(1),
            ButtonKind::PhoneNumber => Some(0),
            _ => None,
        }
    }

    /// True for a button a send must give a parameter (131008 otherwise).
    pub fn needs_parameter(&self) -> bool {
        self.parameter_count().is_some_and(|n| n > 0)
    }
}

/// One card of a carousel template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    /// The card's header (image or video).
    pub header: Option<Header>,
    /// The card's body.
    pub body: Option<Text>,
    /// The card's buttons.
    pub buttons: Vec<Button>,
}

/// One registered template in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    /// Its name (`pengingat_tagihan`).
    pub name: String,
    /// Its language code (`id`, `en_US`).
    pub language: String,
    /// Meta's id of the template, when the export has it.
    pub id: Option<String>,
    /// Its review status.
    pub status: Status,
    /// Its category.
    pub category: Category,
    /// How its placeholders are written.
    pub parameter_format: ParameterFormat,
    /// The header component.
    pub header: Option<Header>,
    /// The body component.
    pub body: Option<Text>,
    /// The footer text.
    pub footer: Option<String>,
    /// The buttons, in index order.
    pub buttons: Vec<Button>,
    /// The carousel's cards, for a carousel template.
    pub cards: Vec<Card>,
    /// Where it was read.
    pub origin: Origin,
}

/// Where a template was read: a file and the JSON pointer of its object.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Origin {
    /// The file, as it was given.
    pub file: String,
    /// The template object's pointer in the file (`/data/3`).
    pub pointer: String,
}

impl Template {
    /// The template's text with its placeholders, for messages: the body,
    /// else the header text.
    pub fn summary_text(&self) -> Option<&str> {
        self.body
            .as_ref()
            .or(self.header.as_ref().and_then(|h| h.text.as_ref()))
            .map(|t| t.text.as_str())
    }
}

/// A template object that cannot be read: where and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShapeError {
    /// The pointer of the offending value in the file.
    pub pointer: String,
    /// What is wrong.
    pub message: String,
}

enum Examples {
    Positional(Vec<String>),
    Named(Vec<(String, String)>),
}

fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|i| match i {
                Value::String(s) => Some(s.clone()),
                Value::Array(inner) => inner.first().and_then(Value::as_str).map(str::to_string),
                _ => None,
            })
            .collect(),
        Some(Value::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    }
}

fn named(v: Option<&Value>) -> Vec<(String, String)> {
    v.and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|i| {
                    Some((
                        i.get("param_name")?.as_str()?.to_string(),
                        i.get("example")?.as_str()?.to_string(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default()
}

fn body_examples(example: Option<&Value>) -> Examples {
    let Some(example) = example else {
        return Examples::Positional(Vec::new());
    };
    if let Some(n) = example.get("body_text_named_params") {
        return Examples::Named(named(Some(n)));
    }
    // `body_text` is an array holding one array of values.
    let values = match example.get("body_text") {
        Some(Value::Array(outer)) => match outer.first() {
            Some(Value::Array(inner)) => inner
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
            _ => strings(Some(&Value::Array(outer.clone()))),
        },
        _ => Vec::new(),
    };
    Examples::Positional(values)
}

fn header_examples(example: Option<&Value>) -> Examples {
    let Some(example) = example else {
        return Examples::Positional(Vec::new());
    };
    if let Some(n) = example.get("header_text_named_params") {
        return Examples::Named(named(Some(n)));
    }
    Examples::Positional(strings(example.get("header_text")))
}

fn text_of<'v>(v: &'v Value, key: &str) -> Option<&'v str> {
    v.get(key).and_then(Value::as_str)
}

fn kind_of(component: &Value) -> String {
    text_of(component, "type")
        .unwrap_or_default()
        .to_ascii_uppercase()
}

fn header_of(c: &Value) -> Header {
    let format = HeaderFormat::parse(text_of(c, "format").unwrap_or("TEXT"));
    let text = match format {
        HeaderFormat::Text => {
            text_of(c, "text").map(|t| Text::new(t, header_examples(c.get("example"))))
        }
        _ => None,
    };
    Header {
        format,
        text,
        media_example: c
            .get("example")
            .and_then(|e| strings(e.get("header_handle")).into_iter().next()),
    }
}

fn buttons_of(c: &Value) -> Vec<Button> {
    c.get("buttons")
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .map(|b| Button {
                    kind: ButtonKind::parse(text_of(b, "type").unwrap_or_default()),
                    text: text_of(b, "text").map(str::to_string),
                    url: text_of(b, "url").map(|u| Text::new(u, Examples::Positional(Vec::new()))),
                    phone_number: text_of(b, "phone_number").map(str::to_string),
                    otp_type: text_of(b, "otp_type").map(str::to_ascii_uppercase),
                    example: strings(b.get("example")),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The components of a template or card: header, body, footer, buttons, cards.
#[derive(Default)]
struct Parts {
    header: Option<Header>,
    body: Option<Text>,
    footer: Option<String>,
    buttons: Vec<Button>,
    cards: Vec<Card>,
}

fn parts_of(components: Option<&Value>) -> Parts {
    let mut parts = Parts::default();
    for c in components.and_then(Value::as_array).into_iter().flatten() {
        match kind_of(c).as_str() {
            "HEADER" => parts.header = Some(header_of(c)),
            "BODY" => {
                parts.body = Some(Text::new(
                    text_of(c, "text").unwrap_or_default(),
                    body_examples(c.get("example")),
                ));
            }
            "FOOTER" => parts.footer = text_of(c, "text").map(str::to_string),
            "BUTTONS" => parts.buttons = buttons_of(c),
            "CAROUSEL" => {
                parts.cards = c
                    .get("cards")
                    .and_then(Value::as_array)
                    .map(|cards| {
                        cards
                            .iter()
                            .map(|card| {
                                let p = parts_of(card.get("components"));
                                Card {
                                    header: p.header,
                                    body: p.body,
                                    buttons: p.buttons,
                                }
                            })
                            .collect()
                    })
                    .unwrap_or_default();
            }
            _ => {}
        }
    }
    parts
}

impl Template {
    /// Reads one template object found at `pointer` in `file`.
    ///
    /// # Errors
    /// A [`ShapeError`] when the object has no `name` or `language`, or is
    /// not an object.
    pub fn from_value(value: &Value, file: &str, pointer: &str) -> Result<Template, ShapeError> {
        let missing = |field: &str| ShapeError {
            pointer: pointer.to_string(),
            message: format!("a template needs a string `{field}`"),
        };
        if !value.is_object() {
            return Err(ShapeError {
                pointer: pointer.to_string(),
                message: "a template is an object".to_string(),
            });
        }
        let name = text_of(value, "name").ok_or_else(|| missing("name"))?;
        // Meta writes `language` as a code; some exports nest it.
        let language = text_of(value, "language")
            .or_else(|| value.get("language").and_then(|l| text_of(l, "code")))
            .ok_or_else(|| missing("language"))?;
        let parts = parts_of(value.get("components"));
        Ok(Template {
            name: name.to_string(),
            language: language.to_string(),
            id: match value.get("id") {
                Some(Value::String(s)) => Some(s.clone()),
                Some(Value::Number(n)) => Some(n.to_string()),
                _ => None,
            },
            status: Status::parse(text_of(value, "status").unwrap_or("APPROVED")),
            category: Category::parse(text_of(value, "category").unwrap_or("UTILITY")),
            parameter_format: match text_of(value, "parameter_format") {
                Some(f) if f.eq_ignore_ascii_case("NAMED") => ParameterFormat::Named,
                _ => ParameterFormat::Positional,
            },
            header: parts.header,
            body: parts.body,
            footer: parts.footer,
            buttons: parts.buttons,
            cards: parts.cards,
            origin: Origin {
                file: file.to_string(),
                pointer: pointer.to_string(),
            },
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_a_template_with_every_component() {
        let v = json!({
            "name": "pengingat_tagihan", "language": "id", "status": "approved",
            "category": "UTILITY", "id": 1234,
            "components": [
                {"type": "HEADER", "format": "TEXT", "text": "Tagihan {{1}}", "example": {"header_text": ["November"]}},
                {"type": "BODY", "text": "Halo {{1}}, tagihan {{2}} jatuh tempo {{3}}",
                 "example": {"body_text": [["Budi", "Rp 250.000", "10 Desember"]]}},
                {"type": "FOOTER", "text": "PT Listrik"},
                {"type": "BUTTONS", "buttons": [
                    {"type": "URL", "text": "Bayar", "url": "https://bayar.example.co.id/{{1}}", "example": ["https://bayar.example.co.id/INV-1"]},
                    {"type": "quick_reply", "text": "Sudah bayar"}]},
                {"type": "LIMITED_TIME_OFFER", "whatever": true}
            ],
            "quality_score": {"score": "GREEN"}
        });
        let t = Template::from_value(&v, "t.json", "/data/0").unwrap();
        assert_eq!(t.status, Status::Approved);
        assert_eq!(t.id.as_deref(), Some("1234"));
        let body = t.body.as_ref().unwrap();
        assert_eq!(body.parameter_count(), 3);
        assert_eq!(body.examples[1].as_deref(), Some("Rp 250.000"));
        assert_eq!(
            body.hydrate(|i, _| Some(format!("<{i}>"))),
            "Halo <0>, tagihan <1> jatuh tempo <2>"
        );
        assert_eq!(
            body.hydrated_len(|_, _| Some(3)),
            "Halo <0>, tagihan <1> jatuh tempo <2>".chars().count()
        );
        assert_eq!(t.buttons[0].parameter_count(), Some(1));
        assert_eq!(t.buttons[1].kind, ButtonKind::QuickReply);
        assert_eq!(t.buttons[1].parameter_count(), None);
        assert_eq!(
            t.header.unwrap().text.unwrap().examples,
            [Some("November".to_string())]
        );
    }

    #[test]
    fn named_examples_follow_their_names() {
        let v = json!({"name": "sapaan", "language": "id", "parameter_format": "NAMED",
            "components": [{"type": "BODY", "text": "Halo {{nama}}, poin Anda {{poin}}",
              "example": {"body_text_named_params": [{"param_name": "poin", "example": "1.250"}, {"param_name": "nama", "example": "Siti"}]}}]});
        let t = Template::from_value(&v, "t.json", "/0").unwrap();
        assert_eq!(t.parameter_format, ParameterFormat::Named);
        let body = t.body.unwrap();
        assert_eq!(
            body.examples,
            [Some("Siti".to_string()), Some("1.250".to_string())]
        );
    }

    #[test]
    fn a_template_without_name_is_an_error_at_its_place() {
        let err =
            Template::from_value(&json!({"language": "id"}), "t.json", "/data/2").unwrap_err();
        assert_eq!(err.pointer, "/data/2");
        assert!(err.message.contains("`name`"));
    }
}
