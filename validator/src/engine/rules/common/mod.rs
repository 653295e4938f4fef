//! Rules shared by several providers, driven by schema annotations: media URLs
//! (`x-media`), phone numbers (`x-phone`) and WhatsApp template text
//! parameters (`x-format: whatsapp-template-param`).
//!
//! None of them names a field: a schema node carrying the annotation is what
//! makes a value a media URL or a phone number, so a new endpoint gets these
//! checks by annotating its schema. Provider-specific string syntaxes
//! (Sandeza's `x-format`s, the chatbot gateway's coordinates) live with their
//! provider's rules.

use super::context::Rule;

mod doc_discrepancy;
mod implausible_phone;
mod insecure_media_url;
mod media_extension;
mod media_url;
mod phone_format;
mod template_param_whitespace;
mod url_button_full_url;

/// This group's rules, in listing order.
pub static RULES: &[&dyn Rule] = &[
    &media_url::MediaUrl,
    &insecure_media_url::InsecureMediaUrl,
    &media_extension::MediaExtension,
    &phone_format::PhoneFormat,
    &implausible_phone::ImplausiblePhone,
    &template_param_whitespace::TemplateParamWhitespace,
    &url_button_full_url::UrlButtonFullUrl,
    &doc_discrepancy::DocDiscrepancy,
];
