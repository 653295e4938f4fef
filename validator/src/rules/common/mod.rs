//! Rules shared by several providers: media URLs (`x-media`), phone numbers (`x-phone`), WhatsApp template text parameters, dates and time stamps.

use super::Rule;

/// This group's rules, in listing order.
pub static RULES: &[&dyn Rule] = &[];
