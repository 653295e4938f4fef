//! Rules for OCA, Qiscus, 3Dolphins and the chatbot gateway that span fields.

use super::Rule;

/// This group's rules, in listing order.
pub static RULES: &[&dyn Rule] = &[];
