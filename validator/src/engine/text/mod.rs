//! Layer 0: bytes and text. Parsing a payload once (with duplicate keys
//! noticed), places in the text (spans, lines, character columns), JSON
//! pointers, masks that keep secrets out of printed text, and "did you mean".
//! Nothing here knows a schema.

pub(crate) mod parse;
pub(crate) mod pieces;
pub(crate) mod pointer;
pub(crate) mod secrets;
pub(crate) mod span;
pub(crate) mod suggest;
