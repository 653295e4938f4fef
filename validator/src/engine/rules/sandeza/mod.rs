//! Rules for Sandeza (`sandeza/send`): the delimiter format, email template
//! variables, backup status lists, signature, request time, OTP, SMS segments
//! and the cross-field limits of its WhatsApp messages.
//!
//! The string syntaxes are found through the schema's annotations
//! (`x-format`, `x-delimited`, `x-status-codes`), the cross-field limits
//! through the `$defs` names of the nodes that apply (`MpmAction`,
//! `SessionList`, `WhatsAppCarousel`, …). Both depend on the schema walk
//! choosing the payload's variant: a WhatsApp object that fits no variant at
//! all gets its schema findings only.

use super::context::Rule;

mod backup_status;
mod carousel_cards;
mod delimited_format;
mod duplicate_button;
mod duplicate_button_index;
mod duplicate_list_row;
mod email_template_vars;
mod list_row_count;
mod mpm_product_count;
mod otp_mismatch;
mod primary_backup_channel;
pub(crate) mod shared;
mod signature_mismatch;
mod sms_segments;
mod unix_time;

/// This group's rules, in listing order.
pub static RULES: &[&dyn Rule] = &[
    &delimited_format::DelimitedFormat,
    &email_template_vars::EmailTemplateVars,
    &backup_status::BackupStatus,
    &signature_mismatch::SignatureMismatch,
    &unix_time::UnixTime,
    &otp_mismatch::OtpMismatch,
    &mpm_product_count::MpmProductCount,
    &list_row_count::ListRowCount,
    &duplicate_button::DuplicateButton,
    &duplicate_list_row::DuplicateListRow,
    &carousel_cards::CarouselCards,
    &duplicate_button_index::DuplicateButtonIndex,
    &sms_segments::SmsSegments,
    &primary_backup_channel::PrimaryBackupChannel,
];
