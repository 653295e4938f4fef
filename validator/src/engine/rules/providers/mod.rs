//! Rules for OCA, Qiscus, 3Dolphins and the chatbot gateway that span fields:
//! what the providers' docs (and WhatsApp behind the first three) require of
//! two or more fields together, which JSON Schema cannot say.
//!
//! Limits that live in one place of one schema (lengths, patterns, required
//! fields, a scheduled broadcast's date, one media per 3Dolphins broadcast) are
//! the schemas' and are not repeated here. Media URLs, phone numbers and
//! template text parameters are checked by the shared rules in `rules/common`.

use super::context::Rule;

mod ambiguous_coordinate;
mod body_macro_value_too_long;
pub(crate) mod button_index_reused;
mod button_parameter_type_mismatch;
mod coordinate_out_of_range;
mod dialog_trigger_incomplete;
mod duplicate_macro_key;
mod duplicate_template_component;
mod header_macro_value_too_long;
mod impossible_date;
mod macro_keys_not_sequential;
mod missing_or_duplicate_recipients;
mod scheduled_date_ignored;
pub(crate) mod shared;
mod unknown_macro_field;
mod webhook_keyword_data_mismatch;
mod webhook_reply_success_mismatch;

/// This group's rules, in listing order: OCA, Qiscus, 3Dolphins, chatbot gateway.
pub static RULES: &[&dyn Rule] = &[
    &duplicate_template_component::DuplicateTemplateComponent,
    &button_parameter_type_mismatch::ButtonParameterTypeMismatch,
    &scheduled_date_ignored::ScheduledDateIgnored,
    &impossible_date::ImpossibleDate,
    &dialog_trigger_incomplete::DialogTriggerIncomplete,
    &missing_or_duplicate_recipients::MissingOrDuplicateRecipients,
    &duplicate_macro_key::DuplicateMacroKey,
    &macro_keys_not_sequential::MacroKeysNotSequential,
    &unknown_macro_field::UnknownMacroField,
    &header_macro_value_too_long::HeaderMacroValueTooLong,
    &body_macro_value_too_long::BodyMacroValueTooLong,
    &ambiguous_coordinate::AmbiguousCoordinate,
    &coordinate_out_of_range::CoordinateOutOfRange,
    &webhook_reply_success_mismatch::WebhookReplySuccessMismatch,
    &webhook_keyword_data_mismatch::WebhookKeywordDataMismatch,
];
