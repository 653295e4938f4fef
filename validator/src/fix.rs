//! Applying findings' fixes to a file's text.
//!
//! A [`crate::Fix`] is edits by byte range (resolved by the engine for
//! payloads read from text, shifted to their place in the file for NDJSON
//! lines). [`apply`] applies every fix it may (safe ones, and unsafe ones when
//! asked) whose edits do not overlap an earlier fix's, and leaves the rest of
//! the text as it is: formatting, key order and line endings are kept.
//!
//! ```
//! let text = "{\"nohp\": \"0812-3456-7890\", \"pesan\": \"Halo Kak Siti\"}";
//! let report = preflight::validate("chatbot/sendwa", text.as_bytes())?;
//! let fixes: Vec<&preflight::Fix> = report.diagnostics.iter().filter_map(|d| d.fix.as_ref()).collect();
//! let fixed = preflight::fix::apply(text, &fixes, false);
//! assert_eq!(fixed.text, "{\"nohp\": \"6281234567890\", \"pesan\": \"Halo Kak Siti\"}");
//! assert_eq!(fixed.applied, 1);
//! # Ok::<(), preflight::Error>(())
//! ```

use crate::Fix;
use std::ops::Range;

/// The outcome of [`apply`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Applied {
    /// The text with the fixes applied.
    pub text: String,
    /// How many fixes were applied.
    pub applied: usize,
    /// How many were left: unsafe ones not asked for, and ones whose edits
    /// overlap a fix applied before (a second pass may apply them).
    pub skipped: usize,
}

/// Applies `fixes` to `text`: every safe fix, and unsafe ones when
/// `unsafe_fixes`; a fix is applied whole or not at all, and one whose edits
/// overlap an applied fix's (or lie outside the text, or off a character
/// boundary) is skipped.
pub fn apply(text: &str, fixes: &[&Fix], unsafe_fixes: bool) -> Applied {
    let mut taken: Vec<(Range<usize>, &str)> = Vec::new();
    let (mut applied, mut skipped) = (0, 0);
    for fix in fixes {
        if !fix.safe && !unsafe_fixes {
            skipped += 1;
            continue;
        }
        let edits: Option<Vec<(Range<usize>, &str)>> = fix
            .edits
            .iter()
            .map(|e| {
                let span = e.span.clone()?;
                let fits = span.start <= span.end
                    && span.end <= text.len()
                    && text.is_char_boundary(span.start)
                    && text.is_char_boundary(span.end);
                fits.then_some((span, e.replacement.as_str()))
            })
            .collect();
        let Some(edits) = edits else {
            skipped += 1;
            continue;
        };
        let overlaps = |a: &Range<usize>, b: &Range<usize>| a.start < b.end && b.start < a.end;
        let clash = edits.iter().enumerate().any(|(i, (a, _))| {
            taken.iter().any(|(b, _)| overlaps(a, b) || a == b)
                || edits[..i].iter().any(|(b, _)| overlaps(a, b) || a == b)
        });
        if clash {
            skipped += 1;
            continue;
        }
        taken.extend(edits);
        applied += 1;
    }
    taken.sort_by_key(|(r, _)| r.start);
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (range, replacement) in taken {
        out.push_str(&text[at..range.start]);
        out.push_str(replacement);
        at = range.end;
    }
    out.push_str(&text[at..]);
    Applied {
        text: out,
        applied,
        skipped,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;

    fn fixes_of(endpoint: &str, text: &str) -> Vec<Fix> {
        crate::validate(endpoint, text.as_bytes())
            .unwrap()
            .diagnostics
            .into_iter()
            .filter_map(|d| d.fix)
            .collect()
    }

    #[test]
    fn keeps_formatting_and_line_endings() {
        let text = "{\r\n  \"nohp\":   \"+6281234567890\" ,\r\n  \"pesan\": \"Halo\"\r\n}\r\n";
        let fixes = fixes_of("chatbot/sendwa", text);
        let refs: Vec<&Fix> = fixes.iter().collect();
        let fixed = apply(text, &refs, false);
        assert_eq!(
            fixed.text,
            "{\r\n  \"nohp\":   \"6281234567890\" ,\r\n  \"pesan\": \"Halo\"\r\n}\r\n"
        );
        // A second pass has nothing left to do.
        assert!(fixes_of("chatbot/sendwa", &fixed.text).is_empty());
    }

    #[test]
    fn unsafe_fixes_only_when_asked_and_overlaps_skipped() {
        let text = r#"{"phone_number": "6281234567890", "message": {"type": "template", "template": {"template_code_id": "promo", "payload": [{"position": "header", "parameters": [{"type": "image", "image": {"url": "http://cdn.tokobaju.co.id/a.jpg"}}]}]}}}"#;
        let fixes = fixes_of("oca/push-message", text);
        let refs: Vec<&Fix> = fixes.iter().collect();
        assert!(!refs.is_empty());
        let safe_only = apply(text, &refs, false);
        assert_eq!(safe_only.text, text);
        let with_unsafe = apply(text, &refs, true);
        assert!(
            with_unsafe
                .text
                .contains("https://cdn.tokobaju.co.id/a.jpg")
        );
        let twice = [refs[0], refs[0]];
        assert_eq!(apply(text, &twice, true).skipped, 1);
    }
}
