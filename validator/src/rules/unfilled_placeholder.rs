//! `unfilled-placeholder`: values left as the docs' stand-ins.

use super::{Rule, RuleContext, RuleInfo};
use crate::diagnostic::{Diagnostic, Severity, Source};

/// The rule.
pub struct UnfilledPlaceholder;

static INFO: RuleInfo = RuleInfo {
    name: "unfilled-placeholder",
    default_severity: Severity::Error,
    source: Source::Provider,
    providers: &[],
    summary: "A value is still a placeholder copied from the provider's doc.",
    docs: "## What it does\nReports string values that are still the docs' stand-ins: the literal `\"string\"` (Swagger's default example), `your-…` slugs (`your-url-for-image`), `{{...}}` template markers (`{{fill_your_recipient_number}}`, `{{nohp}}`), `<...>` markers (`<value from sprint>`), bracketed `[...]` markers, and runs of `xxx` inside numbers and ids (`62858xxxxxxxx`). Fields whose real syntax uses such markers are exempt: the schema marks them `x-placeholder-exempt` (3Dolphins macro keys are `{{1}}`, `{{2}}` by design).\n\n## Why is this bad?\nCopied samples reach production more often than anyone admits. The provider accepts the request (it is well-formed) and the message goes to no one, or reads \"Dear <name>\".\n\n## Source\nAll five providers' docs use these stand-ins in their samples.\n\n## Example\n```json\n{\"msisdn\": \"62858xxxxxxxx\"}\n```\nUse instead:\n```json\n{\"msisdn\": \"6285812345678\"}\n```\n",
};

impl Rule for UnfilledPlaceholder {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        for found in cx.hygiene_strings() {
            let Some((range, kind)) = found.placeholder.clone() else {
                continue;
            };
            let (ptr, text) = (found.pointer.as_str(), found.text);
            if cx.annotations.flag(ptr, "x-placeholder-exempt") {
                continue;
            }
            let field = crate::pointer::field_name(ptr);
            let shown: String = if cx.is_secret(ptr) {
                "[redacted]".to_string()
            } else {
                text.chars()
                    .skip(range.start)
                    .take(range.end - range.start)
                    .collect()
            };
            let d = Diagnostic::error(
                INFO.name,
                ptr,
                format!("`{field}` still holds the doc placeholder `{shown}`"),
            )
            .with_help(format!("replace it with the real {kind}"))
            .with_source(Source::Provider)
            .with_value_range(range);
            out.push(d);
        }
    }
}

/// Finds the first placeholder in `text`: its character range and what the
/// real value would be.
pub fn find_placeholder(text: &str) -> Option<(std::ops::Range<usize>, &'static str)> {
    // Swagger/OpenAPI's default example value, and `your-…` slugs
    // (`your-url-for-image`, `your_app_id`, `YOUR_TOKEN`).
    let start = text.as_bytes().get(..5);
    let your =
        start.is_some_and(|s| s.eq_ignore_ascii_case(b"your-") || s.eq_ignore_ascii_case(b"your_"));
    if text == "string" || your {
        return Some((0..text.chars().count(), "value"));
    }
    // Nearly every real value has none of the marker characters: skip it cheaply.
    // One pass: a marker character, or a run of three x's.
    let mut run = 0;
    let candidate = text.bytes().any(|b| match b {
        b'{' | b'<' | b'[' => true,
        b'x' | b'X' => {
            run += 1;
            run == 3
        }
        _ => {
            run = 0;
            false
        }
    });
    if !candidate {
        return None;
    }
    let chars: Vec<char> = text.chars().collect();
    // {{ ... }}
    if let Some(start) = find_seq(&chars, &['{', '{'], 0) {
        if let Some(end) = find_seq(&chars, &['}', '}'], start + 2) {
            return Some((start..end + 2, "value"));
        }
    }
    // < ... > with a word inside (not an HTML-ish `<br>` in a message body, which
    // would have no space and be short; doc markers read like `<value from sprint>`).
    if let Some(start) = chars.iter().position(|&c| c == '<') {
        if let Some(len) = chars[start + 1..].iter().position(|&c| c == '>') {
            let inner: String = chars[start + 1..start + 1 + len].iter().collect();
            // A marker hugs its brackets (`<value from sprint>`); `a < b and c > d` does not.
            if inner.len() >= 3
                && (inner.contains(' ') || inner.contains('_'))
                && !inner.contains('=')
                && !inner.starts_with(' ')
                && !inner.ends_with(' ')
            {
                return Some((start..start + len + 2, "value"));
            }
        }
    }
    // [ ... ] doc markers like [nama pelanggan], [YOUR_TOKEN]
    if let Some(start) = chars.iter().position(|&c| c == '[') {
        if let Some(len) = chars[start + 1..].iter().position(|&c| c == ']') {
            let inner: String = chars[start + 1..start + 1 + len].iter().collect();
            let marker = inner.len() >= 3
                && inner
                    .chars()
                    .all(|c| c.is_alphabetic() || c == ' ' || c == '_')
                && (inner.contains('_')
                    || inner.chars().all(|c| !c.is_lowercase() || c == ' ')
                    || inner.contains(' '));
            if marker && (inner.to_uppercase() == inner || inner.contains(' ')) {
                return Some((start..start + len + 2, "value"));
            }
        }
    }
    // xxxx runs in numbers and ids: at least 3 x's next to digits, or 4+ anywhere in a token.
    let lower: Vec<char> = chars.iter().map(|c| c.to_ascii_lowercase()).collect();
    let mut i = 0;
    while i < lower.len() {
        if lower[i] == 'x' {
            let start = i;
            while i < lower.len() && lower[i] == 'x' {
                i += 1;
            }
            let run = i - start;
            let before_digit = start > 0
                && lower[start - 1].is_ascii_hexdigit()
                && !lower[start - 1].is_alphabetic();
            let after_digit = i < lower.len() && lower[i].is_ascii_digit();
            let token_start = start == 0 || !lower[start - 1].is_alphabetic();
            let token_end = i == lower.len() || !lower[i].is_alphabetic();
            if (run >= 3 && (before_digit || after_digit)) || (run >= 4 && token_start && token_end)
            {
                let kind = if before_digit || after_digit {
                    "number or id"
                } else {
                    "value"
                };
                return Some((start..i, kind));
            }
        } else {
            i += 1;
        }
    }
    None
}

fn find_seq(chars: &[char], seq: &[char], from: usize) -> Option<usize> {
    if chars.len() < seq.len() {
        return None;
    }
    (from..=chars.len() - seq.len()).find(|&i| chars[i..i + seq.len()] == *seq)
}

#[cfg(test)]
mod tests {
    use super::find_placeholder;

    #[test]
    fn finds_doc_markers() {
        for (text, found) in [
            ("62858xxxxxxxx", "xxxxxxxx"),
            (
                "{{fill_your_recipient_number}}",
                "{{fill_your_recipient_number}}",
            ),
            ("<value from sprint>", "<value from sprint>"),
            ("<generated by client>", "<generated by client>"),
            ("Halo [NAMA PELANGGAN]", "[NAMA PELANGGAN]"),
            ("U4a5d496a17259bde978850xxxxxxxxxx", "xxxxxxxxxx"),
            ("xxxx9f4b-334a", "xxxx"),
            ("string", "string"),
            ("your-url-for-image", "your-url-for-image"),
            ("YOUR_API_KEY", "YOUR_API_KEY"),
        ] {
            let (range, _) = find_placeholder(text).unwrap_or_else(|| panic!("{text}"));
            let got: String = text.chars().skip(range.start).take(range.len()).collect();
            assert_eq!(got, found, "{text}");
        }
    }

    #[test]
    fn leaves_real_values_alone() {
        for text in [
            "6285812345678",
            "Tagihan Anda Rp 250.000",
            "Box XL",
            "https://cdn.tokobaju.co.id/promo/banner-1212.jpg",
            "a < b and c > d",
            "[1, 2]",
            "Maxxis",
            "exxon",
            "String",
            "yourself",
            "Your order has shipped",
        ] {
            assert!(find_placeholder(text).is_none(), "{text}");
        }
    }
}
