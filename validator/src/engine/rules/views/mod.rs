//! What several rules read from one payload, computed once per payload:
//! its media fields with their URLs parsed, its phone-number fields, the
//! strings holding a placeholder or padded with whitespace. Views read the
//! walk's bound facts; they know no rule.

pub(crate) mod hygiene;
pub(crate) mod media;
pub(crate) mod phone;
pub(crate) mod template_send;
