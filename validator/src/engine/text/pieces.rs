//! Separated strings split into pieces, each with its character range in
//! the whole string (columns count characters, not bytes): Sandeza's
//! `type:=:value` segments joined by `||`.

use std::ops::Range;

/// One piece of a separated string: its text and its character range in the
/// whole string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Piece<'a> {
    /// The text of the piece.
    pub text: &'a str,
    /// Characters `range` of the whole string.
    pub range: Range<usize>,
}

/// Splits `text` on `sep`, keeping each piece's character range (columns
/// count characters, not bytes), starting at character `offset`.
pub(crate) fn split_pieces<'a>(text: &'a str, sep: &str, offset: usize) -> Vec<Piece<'a>> {
    let mut out = Vec::new();
    let mut char_pos = offset;
    for part in text.split(sep) {
        let len = part.chars().count();
        out.push(Piece {
            text: part,
            range: char_pos..char_pos + len,
        });
        char_pos += len + sep.chars().count();
    }
    out
}
