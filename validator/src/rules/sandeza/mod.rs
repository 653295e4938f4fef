//! Rules for Sandeza (`sandeza/send`): the delimiter format, email template variables, backup status lists, signature, OTP, and the cross-field limits of its WhatsApp messages.

use super::Rule;

/// This group's rules, in listing order.
pub static RULES: &[&dyn Rule] = &[];
