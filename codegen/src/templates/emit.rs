//! Tokens of the typed templates: the items the file shares (media link
//! types, the provider part structs), then one struct per planned template
//! with its consts, `example()` and conversions.

use proc_macro2::TokenStream;
use quote::quote;

use preflight_templates::{ButtonKind, Key, ParameterFormat, Status, Template};

use super::plan::{ButtonPlan, Field, FieldKind, Plan};
use crate::case;

fn doc_lines(text: &str) -> TokenStream {
    let lines = text.lines().map(|l| {
        let l = if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        };
        quote!(#[doc = #l])
    });
    quote!(#(#lines)*)
}

/// The code of the typed templates of `plans`.
pub(crate) fn file(plans: &[Plan]) -> TokenStream {
    let shared = shared();
    let types = plans.iter().map(template);
    quote! {
        #shared
        #(#types)*
    }
}

fn shared() -> TokenStream {
    quote! {
        /// The link of an IMAGE header: a URL, checked when made
        /// (`ImageLink::new("https://…/banner.jpg")`); Sandeza's `TemplateImageLink`.
        pub type ImageLink = ::preflight::types::sandeza::TemplateImageLink;
        /// The link of a VIDEO header: a URL, checked when made; Sandeza's `TemplateVideoLink`.
        pub type VideoLink = ::preflight::types::sandeza::TemplateVideoLink;
        /// The link of a DOCUMENT header: a URL, checked when made; Sandeza's `TemplateDocumentLink`.
        pub type DocumentLink = ::preflight::types::sandeza::TemplateDocumentLink;

        /// What a template send puts in Sandeza's `channel.whatsapp` (the JSON
        /// form), besides `msisdn`, `attachment` and the backup fields.
        #[derive(Debug, Clone, PartialEq)]
        pub struct SandezaParts {
            /// `template_id`: the template's name (use Sandeza's id instead
            /// where the account knows the template by another).
            pub template_id: &'static str,
            /// `header`: the header's parameter, for a header that takes one.
            pub header: ::std::option::Option<::preflight::types::sandeza::WhatsAppTemplateHeader>,
            /// `message`: the body's parameters; `None` for a body without
            /// placeholders (send `"message": ""`).
            pub message: ::std::option::Option<::preflight::types::sandeza::WhatsAppTemplateBody>,
            /// `button`: the buttons that take a value, by index; `None` for
            /// a template without one (send `"button": ""` or leave it out).
            pub button: ::std::option::Option<::preflight::types::sandeza::WhatsAppTemplateButtons>,
            /// `carousel`: every card, for a carousel template.
            pub carousel: ::std::option::Option<::preflight::types::sandeza::WhatsAppCarousel>,
        }

        /// What a template send puts in a Qiscus `broadcast-client` request,
        /// besides the channel, broadcast name, `template_detail_id`,
        /// `namespace` and `phone_number`. Qiscus has no header field: it fills
        /// a header from the template's settings in Qiscus.
        #[derive(Debug, Clone, PartialEq)]
        pub struct QiscusParts {
            /// `template_name`.
            pub template_name: &'static str,
            /// `language`.
            pub language: &'static str,
            /// `variables`: the body's values, in order.
            pub variables: ::std::vec::Vec<::preflight::types::common::TemplateTextParameter>,
            /// `button_params`: the buttons that take a value (leave the field
            /// out when empty).
            pub button_params: ::std::vec::Vec<::preflight::types::qiscus::ButtonParam>,
        }

        /// What a template send puts in a 3Dolphins broadcast, as JSON values
        /// (the schema's macro and content items have no stable type names):
        /// the macros name recipient columns (`"type": "personalized"`), and
        /// `row` holds those columns' values for one recipient (a
        /// `whatsappRecipient` entry, with its `Recipient` added, or a row of
        /// the uploaded recipient file).
        #[derive(Debug, Clone, PartialEq)]
        pub struct DolphinsParts {
            /// `templateId`: the template's name (use 3Dolphins' id instead
            /// where the account knows the template by another).
            pub template_id: &'static str,
            /// `content`: the header's media, for a media header.
            pub content: ::std::vec::Vec<::serde_json::Value>,
            /// `headerVariables`: the header's macro, for a text header with a placeholder.
            pub header_variables: ::std::vec::Vec<::serde_json::Value>,
            /// `bodyVariables`: one macro per body placeholder.
            pub body_variables: ::std::vec::Vec<::serde_json::Value>,
            /// The recipient columns the macros name, with their values.
            pub row: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
        }
    }
}

fn field_type(kind: FieldKind) -> TokenStream {
    match kind {
        FieldKind::Body => quote!(::preflight::types::common::TemplateTextParameter),
        FieldKind::HeaderText => quote!(::preflight::types::common::HeaderTextParameter),
        FieldKind::Image => quote!(ImageLink),
        FieldKind::Video => quote!(VideoLink),
        FieldKind::Document => quote!(DocumentLink),
        FieldKind::Location => quote!(::preflight::types::sandeza::TemplateLocation),
        FieldKind::Suffix => quote!(::preflight::types::common::UrlButtonSuffix),
        FieldKind::Coupon => quote!(::preflight::types::common::CouponCode),
        FieldKind::Products => quote!(::preflight::types::sandeza::MpmAction),
    }
}

fn ident(f: &Field) -> proc_macro2::Ident {
    case::field_ident(&f.name)
}

/// `self.<field>` of field `i`.
fn this(p: &Plan, i: usize) -> TokenStream {
    match p.fields.get(i) {
        Some(f) => {
            let id = ident(f);
            quote!(self.#id)
        }
        None => quote!(compile_error!("unknown field")),
    }
}

/// The template as its doc shows it: components in a text block.
fn summary(t: &Template) -> String {
    let clean = |s: &str| s.replace("```", "'''");
    let mut lines = Vec::new();
    if let Some(h) = &t.header {
        match &h.text {
            Some(text) => lines.push(format!("HEADER: {}", clean(&text.text))),
            None => lines.push(format!("HEADER: {}", h.format.as_str())),
        }
    }
    if let Some(b) = &t.body {
        lines.push(format!("BODY: {}", clean(&b.text)));
    }
    if let Some(f) = &t.footer {
        lines.push(format!("FOOTER: {}", clean(f)));
    }
    for (i, b) in t.buttons.iter().enumerate() {
        let mut line = format!("BUTTON {i}: {}", b.kind.as_str());
        if let Some(l) = &b.text {
            line.push_str(&format!(" {:?}", clean(l)));
        }
        if let Some(u) = &b.url {
            line.push_str(&format!(" {}", clean(&u.text)));
        }
        if let Some(n) = &b.phone_number {
            line.push_str(&format!(" {}", clean(n)));
        }
        lines.push(line);
    }
    for (c, card) in t.cards.iter().enumerate() {
        if let Some(h) = &card.header {
            lines.push(format!("CARD {c} HEADER: {}", h.format.as_str()));
        }
        if let Some(b) = &card.body {
            lines.push(format!("CARD {c} BODY: {}", clean(&b.text)));
        }
        for (i, b) in card.buttons.iter().enumerate() {
            let mut line = format!("CARD {c} BUTTON {i}: {}", b.kind.as_str());
            if let Some(l) = &b.text {
                line.push_str(&format!(" {:?}", clean(l)));
            }
            if let Some(u) = &b.url {
                line.push_str(&format!(" {}", clean(&u.text)));
            }
            lines.push(line);
        }
    }
    lines.join("\n")
}

fn type_doc(p: &Plan) -> String {
    let t = &p.template;
    let format = match t.parameter_format {
        ParameterFormat::Named => ", NAMED parameters",
        ParameterFormat::Positional => "",
    };
    let mut doc = format!(
        "The `{}` template in `{}`: {}{format}.\n\n```text\n{}\n```\n",
        t.name,
        t.language,
        t.category.as_str(),
        summary(t)
    );
    let refused = (t.status != Status::Approved).then(|| {
        t.status
            .send_error()
            .map(|e| format!(" (WhatsApp answers {e})"))
            .unwrap_or_default()
    });
    if let Some(code) = refused {
        doc.push_str(&format!(
            "\nIts status was **{}** in the export: it cannot be sent until it is approved{code}.\n",
            t.status.as_str()
        ));
    }
    for (provider, reason) in &p.cannot {
        doc.push_str(&format!(
            "\nNot sendable through {}: {reason} (so there is no `to_{provider}`).\n",
            provider_title(provider)
        ));
    }
    doc
}

fn provider_title(p: &str) -> &'static str {
    match p {
        "sandeza" => "Sandeza",
        "oca" => "OCA",
        "qiscus" => "Qiscus",
        _ => "3Dolphins",
    }
}

fn template(p: &Plan) -> TokenStream {
    let t = &p.template;
    let name = case::type_ident(&p.type_name);
    let doc = doc_lines(&type_doc(p));
    let fields = p.fields.iter().map(|f| {
        let id = ident(f);
        let ty = field_type(f.kind);
        let d = doc_lines(&f.doc);
        quote! { #d pub #id: #ty, }
    });
    let tname = &t.name;
    let lang = &t.language;
    let category = t.category.as_str();
    let status = t.status.as_str();
    let cannot = p.cannot.iter().map(|(provider, reason)| {
        let id = match *provider {
            "sandeza" => "sandeza/send",
            "oca" => "oca/push-message",
            "qiscus" => "qiscus/broadcast-client",
            _ => "3dolphins/broadcast",
        };
        quote!((#id, #reason))
    });
    let example = if p.has_examples() {
        let inits = p.fields.iter().map(|f| {
            let id = ident(f);
            let ty = field_type(f.kind);
            let value = f.example.clone().unwrap_or_default();
            quote!(#id: <#ty>::new(#value)?,)
        });
        quote! {
            /// A value filled with the template's own examples, as registered
            /// (for fixtures and tests).
            ///
            /// # Errors
            /// An example breaks its field's limits.
            pub fn example() -> ::std::result::Result<Self, ::preflight::types::ConstraintError> {
                ::std::result::Result::Ok(Self { #(#inits)* })
            }
        }
    } else {
        quote!()
    };
    let sandeza = if p.can("sandeza") {
        to_sandeza(p)
    } else {
        quote!()
    };
    let oca = if p.can("oca") { to_oca(p) } else { quote!() };
    let qiscus = if p.can("qiscus") {
        to_qiscus(p)
    } else {
        quote!()
    };
    let dolphins = if p.can("3dolphins") {
        to_dolphins(p)
    } else {
        quote!()
    };
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        pub struct #name {
            #(#fields)*
        }
        impl #name {
            /// The template's name.
            pub const NAME: &'static str = #tname;
            /// The template's language.
            pub const LANGUAGE: &'static str = #lang;
            /// The template's category.
            pub const CATEGORY: &'static str = #category;
            /// The template's status in the export.
            pub const STATUS: &'static str = #status;
            /// The endpoints that cannot send the template, with the reason.
            pub const CANNOT_SEND: &'static [(&'static str, &'static str)] = &[#(#cannot),*];
            #example
            #sandeza
            #oca
            #qiscus
            #dolphins
        }
    }
}

/// `vec![…]` of `items` into a `BoundedVec` (at least one item), `?` on the count.
fn bounded(items: &[TokenStream]) -> TokenStream {
    match items {
        [one] => quote!(::preflight::types::runtime::BoundedVec::one(#one)),
        _ => {
            quote!(::preflight::types::runtime::BoundedVec::try_from(::std::vec::Vec::from([#(#items),*]))?)
        }
    }
}

fn index(i: usize) -> TokenStream {
    let i = i64::try_from(i).unwrap_or(i64::MAX);
    quote!(::preflight::types::common::ButtonIndex::try_from(#i)?)
}

/// The code an OTP button sends: the body's first value.
fn otp_code(p: &Plan) -> TokenStream {
    match p.body.first() {
        Some(&i) => {
            let f = this(p, i);
            quote!(::preflight::types::common::UrlButtonSuffix::new(#f.as_str())?)
        }
        None => quote!(compile_error!("an OTP button needs the body's code")),
    }
}

fn sandeza_media(kind: FieldKind, value: TokenStream) -> TokenStream {
    let s = quote!(::preflight::types::sandeza);
    match kind {
        FieldKind::Image => {
            quote!(#s::WhatsAppHeaderImage::new(#s::TemplateImage::new(#value.clone())))
        }
        FieldKind::Video => {
            quote!(#s::WhatsAppHeaderVideo::new(#s::TemplateVideo::new(#value.clone())))
        }
        _ => quote!(#s::WhatsAppHeaderDocument::new(#s::TemplateDocument::new(#value.clone()))),
    }
}

fn to_sandeza(p: &Plan) -> TokenStream {
    let s = quote!(::preflight::types::sandeza);
    let header = match p.header.and_then(|i| p.fields.get(i).map(|f| (i, f.kind))) {
        Some((i, kind)) => {
            let v = this(p, i);
            let param = match kind {
                FieldKind::HeaderText => {
                    quote!(#s::WhatsAppHeaderParameter::Text(#s::WhatsAppHeaderText::new(#v.clone())))
                }
                FieldKind::Location => quote!(#s::WhatsAppHeaderParameter::Location(
                    #s::WhatsAppHeaderLocation::new(#v.clone())
                )),
                FieldKind::Image => {
                    let m = sandeza_media(kind, v);
                    quote!(#s::WhatsAppHeaderParameter::Image(#m))
                }
                FieldKind::Video => {
                    let m = sandeza_media(kind, v);
                    quote!(#s::WhatsAppHeaderParameter::Video(#m))
                }
                _ => {
                    let m = sandeza_media(kind, v);
                    quote!(#s::WhatsAppHeaderParameter::Document(#m))
                }
            };
            quote!(::std::option::Option::Some(#s::WhatsAppTemplateHeader::new(
                ::preflight::types::runtime::BoundedVec::one(#param)
            )))
        }
        None => quote!(::std::option::Option::None),
    };
    let body_params = |fields: &[usize]| -> Vec<TokenStream> {
        fields
            .iter()
            .map(|&i| {
                let v = this(p, i);
                quote!(#s::TemplateBodyParameter::new(#v.clone()))
            })
            .collect()
    };
    let message = if p.body.is_empty() {
        quote!(::std::option::Option::None)
    } else {
        let params = bounded(&body_params(&p.body));
        quote!(::std::option::Option::Some(#s::WhatsAppTemplateBody::new(#params)))
    };
    let buttons: Vec<TokenStream> = p
        .buttons
        .iter()
        .map(|b: &ButtonPlan| {
            let idx = index(b.index);
            match (b.field, &b.kind) {
                (Some(i), ButtonKind::Mpm) => {
                    let v = this(p, i);
                    quote!(#s::WhatsAppTemplateButton::Mpm(#s::WhatsAppButtonMpm::new(
                        #idx,
                        ::preflight::types::runtime::BoundedVec::one(#s::MpmActionParameter::new(#v.clone())),
                    )))
                }
                (field, _) => {
                    let text = match field {
                        Some(i) => {
                            let v = this(p, i);
                            quote!(#v.clone())
                        }
                        None => otp_code(p),
                    };
                    quote!(#s::WhatsAppTemplateButton::Url(#s::WhatsAppButtonUrl::new(
                        #idx,
                        ::preflight::types::runtime::BoundedVec::one(#s::UrlButtonTextParameter::new(#text)),
                    )))
                }
            }
        })
        .collect();
    let button = if buttons.is_empty() {
        quote!(::std::option::Option::None)
    } else {
        let buttons = bounded(&buttons);
        quote!(::std::option::Option::Some(#buttons))
    };
    let carousel = if p.cards.is_empty() {
        quote!(::std::option::Option::None)
    } else {
        let cards: Vec<TokenStream> = p
            .cards
            .iter()
            .enumerate()
            .map(|(c, card)| {
                let mut components = Vec::new();
                if let Some(i) = card.header
                    && let Some(f) = p.fields.get(i)
                {
                    let m = sandeza_media(f.kind, this(p, i));
                    let param = match f.kind {
                        FieldKind::Video => quote!(#s::CarouselHeaderParameter::Video(#m)),
                        _ => quote!(#s::CarouselHeaderParameter::Image(#m)),
                    };
                    components.push(quote!(#s::CarouselComponent::Header(#s::CarouselHeader::new(
                        ::preflight::types::runtime::BoundedVec::one(#param)
                    ))));
                }
                if !card.body.is_empty() {
                    let params = bounded(&body_params(&card.body));
                    components.push(quote!(#s::CarouselComponent::Body(#s::CarouselBody::new(#params))));
                }
                for &(b, i) in &card.buttons {
                    let idx = index(b);
                    let v = this(p, i);
                    components.push(quote!(#s::CarouselComponent::UrlButton(#s::CarouselUrlButton::new(
                        #idx,
                        ::preflight::types::runtime::BoundedVec::one(#s::CarouselUrlParameter::Text(
                            #s::UrlButtonTextParameter::new(#v.clone())
                        )),
                    ))));
                }
                let c = i64::try_from(c).unwrap_or(i64::MAX);
                let components = bounded(&components);
                quote!(#s::CarouselCard::new(#s::CardIndex::new(#c)?, #components))
            })
            .collect();
        let cards = bounded(&cards);
        quote!(::std::option::Option::Some(#s::WhatsAppCarousel::new(#cards)))
    };
    quote! {
        /// The parts of a Sandeza WhatsApp template send (`channel.whatsapp`, JSON form).
        ///
        /// # Errors
        /// Only if a value breaks a limit Sandeza's types hold beyond the field's own.
        pub fn to_sandeza(&self) -> ::std::result::Result<SandezaParts, ::preflight::types::ConstraintError> {
            ::std::result::Result::Ok(SandezaParts {
                template_id: Self::NAME,
                header: #header,
                message: #message,
                button: #button,
                carousel: #carousel,
            })
        }
    }
}

fn to_oca(p: &Plan) -> TokenStream {
    let o = quote!(::preflight::types::oca);
    let mut components = Vec::new();
    if let Some(i) = p.header
        && let Some(f) = p.fields.get(i)
    {
        let v = this(p, i);
        let param = match f.kind {
            FieldKind::HeaderText => {
                quote!(#o::HeaderParameter::Text(#o::TextHeaderParameter::new(#v.clone())))
            }
            FieldKind::Image => quote!(#o::HeaderParameter::Image(#o::ImageHeaderParameter::new(
                #o::ImageMedia::new(#o::ImageMediaUrl::new(#v.as_str())?)
            ))),
            FieldKind::Video => quote!(#o::HeaderParameter::Video(#o::VideoHeaderParameter::new(
                #o::VideoMedia::new(#o::VideoMediaUrl::new(#v.as_str())?)
            ))),
            _ => quote!(#o::HeaderParameter::Document(#o::DocumentHeaderParameter::new(
                #o::DocumentMedia::new(#o::DocumentMediaUrl::new(#v.as_str())?)
            ))),
        };
        components.push(
            quote!(#o::TemplateComponent::Header(#o::HeaderComponent::new(
                ::preflight::types::runtime::BoundedVec::one(#param)
            ))),
        );
    }
    if !p.body.is_empty() {
        let params: Vec<TokenStream> = p
            .body
            .iter()
            .map(|&i| {
                let v = this(p, i);
                quote!(#o::BodyParameter::new(#v.clone()))
            })
            .collect();
        let params = bounded(&params);
        components.push(quote!(#o::TemplateComponent::Body(#o::BodyComponent::new(#params))));
    }
    for b in &p.buttons {
        let idx = index(b.index);
        let text = match b.field {
            Some(i) => {
                let v = this(p, i);
                quote!(#v.clone())
            }
            None => otp_code(p),
        };
        components.push(
            quote!(#o::TemplateComponent::Button(#o::ButtonComponent::new(
                #o::ButtonComponentSubTypes::UrlDynamic,
                #idx,
                ::preflight::types::runtime::BoundedVec::one(#o::ButtonParameter::Text(
                    #o::TextButtonParameter::new(#text)
                )),
            ))),
        );
    }
    let value = if components.is_empty() {
        quote!(::std::vec::Vec::new())
    } else {
        quote!(::std::vec::Vec::from([#(#components),*]))
    };
    quote! {
        /// The `payload` of an OCA push message's `message.template` (whose
        /// `template_code_id` is [`Self::NAME`], or OCA's id for it).
        ///
        /// # Errors
        /// Only if a value breaks a limit OCA's types hold beyond the field's own.
        pub fn to_oca(&self) -> ::std::result::Result<::std::vec::Vec<#o::TemplateComponent>, ::preflight::types::ConstraintError> {
            ::std::result::Result::Ok(#value)
        }
    }
}

fn to_qiscus(p: &Plan) -> TokenStream {
    let q = quote!(::preflight::types::qiscus);
    let variables: Vec<TokenStream> = p
        .body
        .iter()
        .map(|&i| {
            let v = this(p, i);
            quote!(#v.clone())
        })
        .collect();
    let variables = if variables.is_empty() {
        quote!(::std::vec::Vec::new())
    } else {
        quote!(::std::vec::Vec::from([#(#variables),*]))
    };
    let buttons: Vec<TokenStream> = p
        .buttons
        .iter()
        .map(|b| {
            let idx = index(b.index);
            let (kind, value) = match (b.field, &b.kind) {
                (Some(i), ButtonKind::CopyCode) => {
                    let v = this(p, i);
                    (
                        "copy_code",
                        quote!(::preflight::types::common::UrlButtonSuffix::new(#v.as_str())?),
                    )
                }
                (Some(i), _) => {
                    let v = this(p, i);
                    ("url", quote!(#v.clone()))
                }
                (None, _) => ("url", otp_code(p)),
            };
            quote!(#q::ButtonParam::new(#q::ButtonParamType::new(#kind)?, #value, #idx))
        })
        .collect();
    let button_params = if buttons.is_empty() {
        quote!(::std::vec::Vec::new())
    } else {
        quote!(::std::vec::Vec::from([#(#buttons),*]))
    };
    quote! {
        /// The template's parts of a Qiscus `broadcast-client` request.
        ///
        /// # Errors
        /// Only if a value breaks a limit Qiscus' types hold beyond the field's own.
        pub fn to_qiscus(&self) -> ::std::result::Result<QiscusParts, ::preflight::types::ConstraintError> {
            ::std::result::Result::Ok(QiscusParts {
                template_name: Self::NAME,
                language: Self::LANGUAGE,
                variables: #variables,
                button_params: #button_params,
            })
        }
    }
}

/// `pengingat_tagihan` → `Pengingat tagihan`, as `templates new` names columns.
fn title(name: &str) -> String {
    let spaced = name.replace(['_', '-'], " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => spaced,
    }
}

fn to_dolphins(p: &Plan) -> TokenStream {
    let t = &p.template;
    let mut content = Vec::new();
    let mut header_variables = Vec::new();
    let mut columns: Vec<(String, TokenStream)> = Vec::new();
    if let Some(i) = p.header
        && let Some(f) = p.fields.get(i)
    {
        let v = this(p, i);
        match f.kind {
            FieldKind::HeaderText => {
                let key = t
                    .header
                    .as_ref()
                    .and_then(|h| h.text.as_ref())
                    .and_then(|text| text.keys().first().map(ToString::to_string))
                    .unwrap_or_else(|| "{{1}}".to_string());
                header_variables.push(quote!(
                    ::serde_json::json!({"type": "personalized", "key": #key, "value": "Judul"})
                ));
                columns.push(("Judul".to_string(), quote!(#v.as_str())));
            }
            kind => {
                let word = match kind {
                    FieldKind::Image => "image",
                    FieldKind::Video => "video",
                    _ => "document",
                };
                content.push(quote!(
                    ::serde_json::json!({"type": #word, "url": #v.as_str()})
                ));
            }
        }
    }
    let keys: Vec<Key> = t
        .body
        .as_ref()
        .map(|b| {
            let mut keys = b.keys().to_vec();
            keys.sort_by_key(|k| match k {
                Key::Number(n) => *n,
                Key::Name(_) => 0,
            });
            keys
        })
        .unwrap_or_default();
    let body_variables: Vec<TokenStream> = keys
        .iter()
        .zip(&p.body)
        .map(|(k, &i)| {
            let column = match k {
                Key::Number(n) => format!("Kolom{n}"),
                Key::Name(name) => title(name),
            };
            let key = k.to_string();
            let v = this(p, i);
            columns.push((column.clone(), quote!(#v.as_str())));
            quote!(::serde_json::json!({"type": "personalized", "key": #key, "value": #column}))
        })
        .collect();
    let list = |items: &[TokenStream]| {
        if items.is_empty() {
            quote!(::std::vec::Vec::new())
        } else {
            quote!(::std::vec::Vec::from([#(#items),*]))
        }
    };
    let content = list(&content);
    let header_variables = list(&header_variables);
    let body_variables = list(&body_variables);
    let row = if columns.is_empty() {
        quote!(::serde_json::Map::new())
    } else {
        let pairs = columns
            .iter()
            .map(|(c, v)| quote!((::std::string::String::from(#c), ::serde_json::Value::from(#v))));
        quote!([#(#pairs),*].into_iter().collect())
    };
    quote! {
        /// The template's parts of a 3Dolphins broadcast (`broadcast`,
        /// `broadcast-multiple`, `broadcast-whatsapp`).
        pub fn to_3dolphins(&self) -> DolphinsParts {
            DolphinsParts {
                template_id: Self::NAME,
                content: #content,
                header_variables: #header_variables,
                body_variables: #body_variables,
                row: #row,
            }
        }
    }
}
