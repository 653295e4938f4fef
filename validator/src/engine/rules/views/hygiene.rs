//! What the two hygiene rules look for in every string: a doc placeholder
//! left in (`unfilled-placeholder`), whitespace at an end
//! (`surrounding-whitespace`); and what a value's facts say about showing it.
//!
//! A placeholder is judged by what the field holds ([`Role`]):
//! - anywhere, a value that *is* a doc stand-in: Swagger's `"string"`,
//!   `your-…` slugs and `YourSecretKey` names, a whole `{{nohp}}`,
//!   `<value from sprint>`, `[recipient id]`, `[email protected]`, `xxxxxx`;
//! - in an identifier (a phone number, an id, a code, a template name): also
//!   markers inside it (`{{…}}`, `{…}`, `<…>`, `[…]`), masked runs
//!   (`62858xxxxxxxx`, `2ada6f6e1bxxxxxxxxxxxx`) and descriptions of the
//!   field itself (`channel-used-for-broadcast`, `sending-mode`,
//!   `wa-template-id`);
//! - in a URL: also a host without a dot (`https://yourdomain/…`), a marker
//!   in the host (`https://[server]/…`), and `your…` parts
//!   (`yourdomain.com`, `/your_notify_url`, `yourmedia.pdf`);
//! - in prose (a message, a template text parameter, a name): only a
//!   `{{…}}` or `<…>` marker inside the text, and as a warning (it may be
//!   meant). Bracketed sender tags (`[OTP]`, `[Toko Baju]`), masked account
//!   and card numbers (`7xxxxx21`, `4xxx xxxx xxxx 1234`) and capitals
//!   (`XXXXL`) are how real messages read.

use crate::engine::walk::Annotations;
use std::ops::Range;

/// What a string field holds, for judging placeholders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// Free text: a message, a template text parameter, a name, an address.
    Prose,
    /// A value with a fixed form: a phone number, an id, a code, a template
    /// name, an enum value.
    Identifier,
    /// A URL.
    Url,
    /// Sandeza's delimiter format (`text:=:…||image:=:…`): each segment's
    /// value is judged by its own kind.
    Delimited,
}

/// A placeholder found in a string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Placeholder {
    /// Its character range in the string.
    pub range: Range<usize>,
    /// What the real value would be ("value", "number or id", "URL").
    pub kind: &'static str,
    /// Certainly a stand-in (an error); else it may be meant (a warning: a
    /// `{{…}}` or `<…>` inside a message).
    pub certain: bool,
}

/// Field names (lowercase, the end of the name) that hold identifiers.
pub(crate) const ID_SUFFIXES: &[&str] = &[
    "id",
    "_code",
    "code_id",
    "msisdn",
    "phone",
    "phone_number",
    "nohp",
    "url",
    "link",
    "template",
    "template_name",
    "namespace",
    "language",
    "recipient",
    "groupid",
    "email",
    "sender_id",
    "channel",
    "mode",
    "status",
];

/// How the field at `pointer` is read: from its schema facts, else its name.
pub(crate) fn role(annotations: &Annotations<'_>, pointer: &str) -> Role {
    let mut exact = false;
    for facts in annotations.facts_at(pointer) {
        match facts.format {
            Some("sandeza-delimited") => return Role::Delimited,
            Some("whatsapp-template-param" | "sandeza-email-vars") => return Role::Prose,
            Some(_) => exact = true,
            None => {}
        }
        if facts.media.is_some() {
            return Role::Url;
        }
        exact |= facts.exact_form;
    }
    let uri = annotations
        .at(pointer)
        .any(|a| matches!(a.format(), Some("uri" | "uri-reference" | "iri")));
    if uri {
        return Role::Url;
    }
    let name = field_of(pointer);
    if name.ends_with("url") || name.ends_with("link") || name.ends_with("uri") {
        return Role::Url;
    }
    if exact || ID_SUFFIXES.iter().any(|s| name.ends_with(s)) || name.ends_with("templateid") {
        return Role::Identifier;
    }
    Role::Prose
}

/// The lowercase name of the field at `pointer` (an array item: the array's).
fn field_of(pointer: &str) -> String {
    let mut tokens = pointer.rsplit('/');
    let mut name = tokens.next().unwrap_or("");
    if !name.is_empty() && name.bytes().all(|b| b.is_ascii_digit()) {
        name = tokens.next().unwrap_or("");
    }
    name.to_ascii_lowercase()
}

/// Whether `text` may hold a placeholder at all: one cheap pass, so the many
/// strings that cannot are skipped (rules run on every payload).
pub(crate) fn candidate(text: &str) -> bool {
    if text == "string" {
        return true;
    }
    let bytes = text.as_bytes();
    if bytes.len() >= 4 && bytes[..4].eq_ignore_ascii_case(b"your") {
        return true;
    }
    let mut run = 0;
    bytes.iter().enumerate().any(|(i, &b)| match b {
        b'{' | b'<' | b'[' | b'-' | b'_' => true,
        // `://` (a URL), without a substring searcher per string.
        b':' if bytes[i + 1..].starts_with(b"//") => true,
        b'x' | b'X' => {
            run += 1;
            run == 3
        }
        _ => {
            run = 0;
            false
        }
    })
}

/// The first placeholder in `text`, read as `role`, the field named
/// `field`. With `exempt` (`x-placeholder-exempt`), `{{…}}` is the field's
/// real syntax, not a marker.
pub(crate) fn find(text: &str, role: Role, field: &str, exempt: bool) -> Option<Placeholder> {
    if !candidate(text) {
        return None;
    }
    if let Some(whole) = whole_value(text, exempt) {
        return Some(whole);
    }
    match role {
        // A value that only restates its field's name (`sending-mode`).
        Role::Prose if restates_field(text, field) => {
            Some(certain(0..text.chars().count(), "value"))
        }
        Role::Prose => prose(text, 0, exempt),
        Role::Identifier => identifier(text, 0, field, exempt),
        Role::Url => url(text, 0, exempt),
        Role::Delimited => delimited(text, field, exempt),
    }
}

fn certain(range: Range<usize>, kind: &'static str) -> Placeholder {
    Placeholder {
        range,
        kind,
        certain: true,
    }
}

/// A value that is a doc stand-in from end to end.
fn whole_value(text: &str, exempt: bool) -> Option<Placeholder> {
    let n = text.chars().count();
    let all = || Some(certain(0..n, "value"));
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    if t == "string" || is_your_slug(t) {
        return all();
    }
    if t.len() >= 3 && t.chars().all(|c| c == 'x' || c == 'X') {
        return all();
    }
    if !exempt && t.starts_with("{{") && t.ends_with("}}") && t.len() > 4 {
        return all();
    }
    if let Some(inner) = t.strip_prefix('<').and_then(|r| r.strip_suffix('>'))
        && inner.len() >= 2
        && !inner.contains(['<', '>', '=', '/'])
    {
        return all();
    }
    if let Some(inner) = t.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
        // `[recipient id]`, `[email protected]`, `[YOUR_TOKEN]`; not `[OTP]`
        // alone (a tag), not `[1, 2]` (an array written as text).
        let words = inner
            .chars()
            .all(|c| c.is_alphabetic() || c == ' ' || c == '_');
        if words && inner.len() >= 3 && (inner.contains(' ') || inner.contains('_')) {
            return all();
        }
    }
    None
}

/// `your-broadcast-name`, `your_app_id`, `YOUR_TOKEN`, `YourSecretWebhookKey`:
/// "your" then a separator or a capital.
fn is_your_slug(t: &str) -> bool {
    let b = t.as_bytes();
    if b.len() < 6 || !b[..4].eq_ignore_ascii_case(b"your") {
        return false;
    }
    match b[4] {
        b'-' | b'_' => true,
        c if c.is_ascii_uppercase() => b[..4] == *b"Your" || b[..4] == *b"YOUR",
        _ => false,
    }
}

/// Nouns that a doc writes after "your" in a stand-in (`yourdomain`,
/// `yourmedia.pdf`, `your_notify_url`).
const YOUR_NOUNS: &[&str] = &[
    "domain", "site", "website", "company", "server", "host", "app", "media", "file", "image",
    "video", "audio", "document", "url", "link", "webhook", "notify", "callback", "endpoint",
    "api", "name", "id", "token", "key", "secret", "path",
];

/// A URL part (a host label or a path segment) that is a `your…` stand-in.
fn is_your_part(part: &str) -> bool {
    if is_your_slug(part) {
        return true;
    }
    let lower = part.to_ascii_lowercase();
    lower
        .strip_prefix("your")
        .is_some_and(|rest| YOUR_NOUNS.iter().any(|n| rest.starts_with(n)))
}

/// `{{…}}` and `<…>` markers inside free text: warnings (a message may mean
/// them); never brackets, masks or capitals.
fn prose(text: &str, offset: usize, exempt: bool) -> Option<Placeholder> {
    let marker = if exempt { None } else { double_braces(text) };
    marker
        .or_else(|| angle_marker(text))
        .map(|bytes| Placeholder {
            range: char_range(text, offset, bytes),
            kind: "value",
            certain: false,
        })
}

/// A `{{…}}` or `{…}` marker's bytes, unless the field is exempt
/// (`x-placeholder-exempt`: `{{…}}` is its own syntax).
fn braces(text: &str, exempt: bool) -> Option<(usize, usize)> {
    if exempt {
        None
    } else {
        double_braces(text).or_else(|| single_braces(text))
    }
}

/// Markers, masks and descriptions in a value with a fixed form.
fn identifier(text: &str, offset: usize, field: &str, exempt: bool) -> Option<Placeholder> {
    if let Some(bytes) = braces(text, exempt)
        .or_else(|| angle_marker(text))
        .or_else(|| bracket_marker(text))
    {
        return Some(certain(char_range(text, offset, bytes), "value"));
    }
    if let Some(bytes) = x_mask(text) {
        return Some(certain(char_range(text, offset, bytes), "number or id"));
    }
    if describes_field(text, field) {
        return Some(certain(offset..offset + text.chars().count(), "value"));
    }
    None
}

/// A URL's stand-ins: markers anywhere, a host without a dot or with a
/// marker, `your…` parts.
fn url(text: &str, offset: usize, exempt: bool) -> Option<Placeholder> {
    if let Some(bytes) = braces(text, exempt).or_else(|| angle_marker(text)) {
        return Some(certain(char_range(text, offset, bytes), "URL"));
    }
    let scheme = ["https://", "http://"]
        .iter()
        .find(|s| {
            text.as_bytes()
                .get(..s.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(s.as_bytes()))
        })
        .map(|s| s.len());
    // Byte offsets are character offsets up to the first non-ASCII character;
    // count characters for every range.
    let chars_before = |byte: usize| text[..byte].chars().count();
    if let Some(start) = scheme {
        let host_end = text[start..]
            .find(['/', '?', '#'])
            .map_or(text.len(), |i| start + i);
        let authority = &text[start..host_end];
        let host = authority.rsplit('@').next().unwrap_or(authority);
        let host = host.split(':').next().unwrap_or(host);
        let host_start = host_end - (authority.len() - authority.rfind(host).unwrap_or(0));
        let range =
            offset + chars_before(host_start)..offset + chars_before(host_start + host.len());
        let ip = host.split('.').count() == 4 && host.split('.').all(|p| p.parse::<u8>().is_ok());
        let marker = host.contains(['[', ']', '{', '}', '<', '>']);
        if marker || (!host.is_empty() && !host.contains('.') && host != "localhost" && !ip) {
            return Some(certain(range, "URL"));
        }
        if host.split('.').any(is_your_part) {
            return Some(certain(range, "URL"));
        }
        let mut at = host_end;
        for segment in text[host_end..].split(['/', '?', '#', '&', '=']) {
            let seg_start = at;
            at += segment.len() + 1;
            let stem = segment.split('.').next().unwrap_or(segment);
            if !stem.is_empty() && is_your_part(stem) {
                let s = offset + chars_before(seg_start);
                return Some(certain(s..s + segment.chars().count(), "URL"));
            }
        }
        return None;
    }
    // Not an http(s) URL: a host-like stand-in (`yourdomain.com`).
    let first = text.split(['/', '.']).next().unwrap_or("");
    is_your_part(first).then(|| certain(offset..offset + text.chars().count(), "URL"))
}

/// Each segment of Sandeza's delimiter format judged by its own kind:
/// `text` values are prose, media values URLs, button values identifiers.
fn delimited(text: &str, field: &str, exempt: bool) -> Option<Placeholder> {
    let mut at = 0;
    for segment in text.split("||") {
        let parts: Vec<&str> = segment.split(":=:").collect();
        let mut part_at = at;
        let kind = parts.first().map(|k| k.trim().to_ascii_lowercase());
        for (i, part) in parts.iter().enumerate() {
            let n = part.chars().count();
            if i > 0 {
                if let Some(mut whole) = whole_value(part, exempt) {
                    whole.range = part_at..part_at + n;
                    return Some(whole);
                }
                let found = match kind.as_deref() {
                    Some("image" | "video" | "document") => url(part, part_at, exempt),
                    Some("button") if i == parts.len() - 1 && parts.len() >= 3 => {
                        identifier(part, part_at, field, exempt)
                    }
                    _ => prose(part, part_at, exempt),
                };
                if found.is_some() {
                    return found;
                }
            }
            part_at += n + 3;
        }
        at += segment.chars().count() + 2;
    }
    None
}

// The markers below are found in the string's bytes (every marker
// character is ASCII) and return byte ranges, each a single pass: no copy of
// the string, linear in its length (a 50 MB value is one more string to
// check, not a quadratic scan).

/// The character range, from `offset`, of the bytes `s..e` of `text`.
fn char_range(text: &str, offset: usize, (s, e): (usize, usize)) -> Range<usize> {
    let start = offset + text[..s].chars().count();
    start..start + text[s..e].chars().count()
}

/// `{{ … }}`: byte range.
fn double_braces(text: &str) -> Option<(usize, usize)> {
    let start = text.find("{{")?;
    let end = start + 2 + text[start + 2..].find("}}")?;
    (end > start + 2).then_some((start, end + 2))
}

/// `{recipient-id}`: a single-brace marker around a word (not JSON: no quote
/// or colon inside). The first `{` whose text up to the next `}` is such a
/// word: the last `{` before that `}` (a word holds no brace).
fn single_braces(text: &str) -> Option<(usize, usize)> {
    // The last `{` since which every character could be in a word, and how
    // many characters since it.
    let mut open: Option<(usize, usize)> = None;
    for (i, c) in text.char_indices() {
        open = match (c, open) {
            ('{', _) => Some((i, 0)),
            ('}', Some((start, n))) if n >= 2 => return Some((start, i + 1)),
            (c, Some((start, n))) if c.is_alphanumeric() || matches!(c, '-' | '_' | ' ') => {
                Some((start, n + 1))
            }
            _ => None,
        };
    }
    None
}

/// `<value from sprint>`: words hugging angle brackets (not an HTML-ish
/// `<br>`, not `a < b and c > d`).
fn angle_marker(text: &str) -> Option<(usize, usize)> {
    let start = text.find('<')?;
    let len = text[start + 1..].find('>')?;
    words_in_angles(&text[start + 1..start + 1 + len]).then_some((start, start + len + 2))
}

/// What is between `<` and `>` reads as words standing for a value.
fn words_in_angles(inner: &str) -> bool {
    inner.len() >= 3
        && (inner.contains(' ') || inner.contains('_'))
        && !inner.contains(['=', '/', '"'])
        && !inner.starts_with(' ')
        && !inner.ends_with(' ')
}

/// `[NAMA PELANGGAN]`, `[YOUR_TOKEN]`, `[server]` inside an identifier.
fn bracket_marker(text: &str) -> Option<(usize, usize)> {
    let start = text.find('[')?;
    let len = text[start + 1..].find(']')?;
    let inner = &text[start + 1..start + 1 + len];
    (inner.chars().count() >= 3
        && inner
            .chars()
            .all(|c| c.is_alphabetic() || c == ' ' || c == '_'))
    .then_some((start, start + len + 2))
}

/// A masked run: three or more x's next to a hex digit, in a value with a
/// digit, or four or more standing alone as a token.
fn x_mask(text: &str) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let has_digit = bytes.iter().any(u8::is_ascii_digit);
    let mut i = 0;
    while i < bytes.len() {
        if !matches!(bytes[i], b'x' | b'X') {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && matches!(bytes[i], b'x' | b'X') {
            i += 1;
        }
        let run = i - start;
        // A byte of a multi-byte character is never an ASCII hex digit.
        let before = start > 0 && bytes[start - 1].is_ascii_hexdigit();
        let after = i < bytes.len() && bytes[i].is_ascii_hexdigit();
        let alone = !text[..start]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric)
            && !text[i..].chars().next().is_some_and(char::is_alphanumeric);
        if (run >= 3 && (before || after) && has_digit) || (run >= 4 && alone) {
            return Some((start, i));
        }
    }
    None
}

/// Words a doc uses to describe a field instead of filling it.
const DESCRIPTIVE: &[&str] = &[
    "id", "name", "number", "key", "code", "mode", "type", "url", "value", "used", "for", "your",
    "my", "the", "here", "token", "secret",
];

/// `channel-used-for-broadcast` for `channel`, `sending-mode` for
/// `sendingMode`, `wa-template-id` for `templateId`: a value made of words
/// only that restates the field's own name, with a describing word.
fn describes_field(text: &str, field: &str) -> bool {
    if text.is_empty()
        || text.bytes().any(|b| b.is_ascii_digit())
        || !text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b == b'-' || b == b'_')
    {
        return false;
    }
    let words: Vec<&str> = text.split(['-', '_']).filter(|w| !w.is_empty()).collect();
    if words.len() < 2 {
        return false;
    }
    let field_words = camel_words(field);
    let named: Vec<&String> = field_words.iter().filter(|w| *w != "id").collect();
    if named.is_empty() || !named.iter().all(|w| words.contains(&w.as_str())) {
        return false;
    }
    let restates =
        words.len() == field_words.len() && field_words.iter().all(|w| words.contains(&w.as_str()));
    restates || words.iter().any(|w| DESCRIPTIVE.contains(w))
}

/// A value made of the field's own words and nothing else.
fn restates_field(text: &str, field: &str) -> bool {
    if !text
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b == b'-' || b == b'_')
    {
        return false;
    }
    let words: Vec<&str> = text.split(['-', '_']).filter(|w| !w.is_empty()).collect();
    let field_words = camel_words(field);
    words.len() >= 2 && words == field_words.iter().map(String::as_str).collect::<Vec<_>>()
}

/// `sendingMode` → `sending`, `mode`; `template_id` → `template`, `id`.
fn camel_words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    for c in name.chars() {
        if c == '_' || c == '-' {
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
        } else if c.is_uppercase() && !word.is_empty() {
            out.push(std::mem::take(&mut word));
            word.extend(c.to_lowercase());
        } else {
            word.extend(c.to_lowercase());
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// The string starts or ends with whitespace.
pub(crate) fn padded(text: &str) -> bool {
    text.starts_with(char::is_whitespace) || text.ends_with(char::is_whitespace)
}

/// True when the value at `pointer` is a secret (never quote it): its
/// schema marks it `x-secret`, or a key on its path names a secret.
pub(crate) fn is_secret(annotations: &Annotations<'_>, pointer: &str) -> bool {
    annotations.facts_at(pointer).any(|f| f.secret)
        || crate::engine::text::secrets::is_secret_pointer(pointer, &[])
}

/// The placeholder `unfilled-placeholder` reports in the value at `pointer`.
pub(crate) fn placeholder_at(
    annotations: &Annotations<'_>,
    pointer: &str,
    text: &str,
) -> Option<Placeholder> {
    if !candidate(text) {
        return None;
    }
    let exempt = annotations.facts_at(pointer).any(|f| f.placeholder_exempt);
    let field = pointer.rsplit('/').next().unwrap_or("");
    find(text, role(annotations, pointer), field, exempt)
}

/// True when the value is a placeholder that `unfilled-placeholder` reports
/// as an error (one mistake, one finding: the other rules stay silent on it).
pub(crate) fn is_placeholder(annotations: &Annotations<'_>, pointer: &str, text: &str) -> bool {
    placeholder_at(annotations, pointer, text).is_some_and(|p| p.certain)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each one-pass marker finds what the first, character-vector version
    /// found (as a character range), on every string of up to ten
    /// characters drawn from the ones the markers look at, ASCII and not.
    #[test]
    fn the_one_pass_markers_find_what_the_character_scans_found() {
        type Marker = fn(&str) -> Option<(usize, usize)>;
        type Reference = fn(&[char]) -> Option<(usize, usize)>;
        let markers: [(&str, Marker, Reference); 5] = [
            ("double_braces", double_braces, reference::double_braces),
            ("single_braces", single_braces, reference::single_braces),
            ("angle_marker", angle_marker, reference::angle_marker),
            ("bracket_marker", bracket_marker, reference::bracket_marker),
            ("x_mask", x_mask, reference::x_mask),
        ];
        let alphabet = [
            '{', '}', '<', '>', '[', ']', 'x', 'X', ' ', '_', '-', '=', '/', '"', ':', 'a', 'B',
            'f', '7', '0', 'é', 'Ж', '😀', '１',
        ];
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |n: usize| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as usize % n
        };
        for _ in 0..200_000 {
            let len = next(11);
            let text: String = (0..len).map(|_| alphabet[next(alphabet.len())]).collect();
            let chars: Vec<char> = text.chars().collect();
            for (name, marker, reference) in markers {
                let found = marker(&text).map(|bytes| char_range(&text, 0, bytes));
                let expected = reference(&chars).map(|(s, e)| s..e);
                assert_eq!(found, expected, "{name} on {text:?}");
            }
        }
    }

    /// A long value with many opening braces, `x` runs or brackets and no
    /// marker is read once, not once from each of them; a marker at its end
    /// is found at its character range.
    #[test]
    fn a_long_value_is_read_once_for_its_markers() {
        let n = 400_000;
        for (text, role) in [
            ("{".repeat(n), Role::Identifier),
            ("{é".repeat(n), Role::Url),
            ("x-".repeat(n) + "7", Role::Identifier),
            ("<a ".repeat(n), Role::Prose),
            ("[ab".repeat(n), Role::Identifier),
        ] {
            assert_eq!(find(&text, role, "msisdn", false), None, "{role:?}");
        }
        let text = "é{".repeat(n) + "{ab}";
        let found = find(&text, Role::Identifier, "msisdn", false);
        let start = 2 * n;
        assert_eq!(found.map(|p| p.range), Some(start..start + 4));
    }

    fn shown(text: &str, role: Role, field: &str) -> Option<(String, bool)> {
        find(text, role, field, false).map(|p| {
            (
                text.chars()
                    .skip(p.range.start)
                    .take(p.range.len())
                    .collect(),
                p.certain,
            )
        })
    }

    /// What the five providers' docs write where a value goes.
    #[test]
    fn the_docs_stand_ins_are_placeholders() {
        use Role::*;
        for (text, role, field, found) in [
            ("string", Prose, "message", "string"),
            ("your-broadcast-name", Prose, "name", "your-broadcast-name"),
            ("your-url-for-image", Url, "url", "your-url-for-image"),
            ("YOUR_API_KEY", Identifier, "key", "YOUR_API_KEY"),
            (
                "YourSecretWebhookKey",
                Prose,
                "webhookkey",
                "YourSecretWebhookKey",
            ),
            (
                "<value from sprint>",
                Identifier,
                "username",
                "<value from sprint>",
            ),
            (
                "<current timestamp (Unix Timestamp)>",
                Identifier,
                "time",
                "<current timestamp (Unix Timestamp)>",
            ),
            ("{{nohp}}", Prose, "pesan", "{{nohp}}"),
            (
                "{{Recipient-Phone-Number}}",
                Identifier,
                "Recipient",
                "{{Recipient-Phone-Number}}",
            ),
            (
                "{{fill_your_recipient_number}}",
                Identifier,
                "phone_number",
                "{{fill_your_recipient_number}}",
            ),
            (
                "[recipient id]",
                Identifier,
                "recipient_id",
                "[recipient id]",
            ),
            ("[email protected]", Prose, "email", "[email protected]"),
            ("xxxxxx", Prose, "pesan", "xxxxxx"),
            ("62858xxxxxxxx", Identifier, "msisdn", "xxxxxxxx"),
            ("628123xxxxxx", Identifier, "nohp", "xxxxxx"),
            (
                "2ada6f6e1bxxxxxxxxxxxx",
                Identifier,
                "channel",
                "xxxxxxxxxxxx",
            ),
            ("8a2d8a2a3xxxxxxxxx", Identifier, "templateId", "xxxxxxxxx"),
            (
                "U4a5d496a17259bde978850xxxxxxxxxx",
                Identifier,
                "to",
                "xxxxxxxxxx",
            ),
            (
                "channel-used-for-broadcast",
                Identifier,
                "channel",
                "channel-used-for-broadcast",
            ),
            ("sending-mode", Identifier, "sendingMode", "sending-mode"),
            ("sending-mode", Prose, "sendingMode", "sending-mode"),
            ("wa-template-id", Identifier, "templateId", "wa-template-id"),
            ("recipient-id", Identifier, "recipient", "recipient-id"),
            ("your-channel-id", Identifier, "channel", "your-channel-id"),
            (
                "{\"id\":\"{recipient-id}\"}",
                Identifier,
                "recipientJson",
                "{recipient-id}",
            ),
            (
                "https://yourdomain/your_notify_url",
                Url,
                "notifyurl",
                "yourdomain",
            ),
            (
                "https://yourdomain.com/notify",
                Url,
                "notifyurl",
                "yourdomain.com",
            ),
            (
                "https://cdn.tokobaju.co.id/yourmedia.pdf",
                Url,
                "mediaurl",
                "yourmedia.pdf",
            ),
            (
                "https://[server]/dolphin/apiv1/graph/broadcast",
                Url,
                "url",
                "[server]",
            ),
            (
                "yourdomain.com/notify",
                Url,
                "notifyurl",
                "yourdomain.com/notify",
            ),
            (
                "image:=:https://yourdomain/img.png",
                Delimited,
                "header",
                "yourdomain",
            ),
            ("text:=:{{value}}", Delimited, "message", "{{value}}"),
        ] {
            let got = shown(text, role, field).unwrap_or_else(|| panic!("{text:?} as {role:?}"));
            assert_eq!(got.0, found, "{text:?} as {role:?}");
        }
    }

    /// What real messages, ids and URLs look like: never a placeholder.
    #[test]
    fn real_values_are_not_placeholders() {
        use Role::*;
        for (text, role, field) in [
            ("[OTP] Kode Anda 482913", Prose, "pesan"),
            ("[Toko Baju] Pesanan TB-88213 sudah dikirim", Prose, "pesan"),
            ("[INFO] ukuran XXXXL tersedia", Prose, "message"),
            ("Transfer ke rekening 7xxxxx21 berhasil", Prose, "pesan"),
            ("0857xxxx1234", Prose, "text"),
            ("kartu 4xxx xxxx xxxx 1234", Prose, "text"),
            ("PROMO HARBOLNAS 12.12 DISKON 50%", Prose, "pesan"),
            (
                "Halo Kak Siti 🎉, pesanan Anda sudah kami kirim",
                Prose,
                "pesan",
            ),
            (
                "Raden Ajeng Kartini Djojoadhiningrat Soerjosoemarno",
                Prose,
                "nama",
            ),
            ("Your order has shipped", Prose, "message"),
            ("[OTP]", Prose, "pesan"),
            ("[1, 2]", Prose, "pesan"),
            ("a < b and c > d", Prose, "pesan"),
            ("Box XL", Prose, "pesan"),
            ("6285812345678", Identifier, "msisdn"),
            ("wa-promo-000454", Identifier, "ref_id"),
            ("promo_gambar_1212", Identifier, "template_id"),
            ("pengingat-tagihan", Identifier, "template_id"),
            ("channel-whatsapp", Identifier, "channel"),
            ("tagihan_bulanan_v2", Identifier, "template_code_id"),
            ("sample_template_otp", Identifier, "template_id"),
            ("promo-akhir-tahun", Prose, "name"),
            ("toko-baju", Prose, "sender_name"),
            ("Maxxis", Identifier, "name"),
            ("exxon", Identifier, "sender_id"),
            (
                "https://cdn.tokobaju.co.id/promo/banner-1212.jpg",
                Url,
                "link",
            ),
            ("https://localhost:8080/wa/status", Url, "notifyurl"),
            ("https://10.0.0.7/wa/status", Url, "notifyurl"),
            ("https://yourbrand.co.id/promo.jpg", Url, "link"),
            ("text:=:Kak Siti||text:=:7xxxxx21", Delimited, "message"),
            ("text:=:[OTP] 482913", Delimited, "message"),
        ] {
            assert_eq!(shown(text, role, field), None, "{text:?} as {role:?}");
        }
    }

    #[test]
    fn markers_in_prose_are_only_warnings() {
        assert_eq!(
            shown("Halo {{nama}}, pesanan Anda dikirim", Role::Prose, "pesan"),
            Some(("{{nama}}".to_string(), false))
        );
        assert_eq!(
            shown("Dear <nama pelanggan>, terima kasih", Role::Prose, "pesan"),
            Some(("<nama pelanggan>".to_string(), false))
        );
        // The real syntax of an exempt field (3Dolphins macro keys).
        assert_eq!(find("{{1}}", Role::Identifier, "key", true), None);
        assert!(find("string", Role::Identifier, "key", true).is_some());
    }
}

/// The markers as first written, over a `Vec<char>` (a copy four times the
/// string's size; a `{` or `x` run searched for from each one, quadratic):
/// what the one-pass markers must find, on every string.
#[cfg(test)]
mod reference {
    pub(super) fn double_braces(chars: &[char]) -> Option<(usize, usize)> {
        let start = find_seq(chars, &['{', '{'], 0)?;
        let end = find_seq(chars, &['}', '}'], start + 2)?;
        (end > start + 2).then_some((start, end + 2))
    }

    pub(super) fn single_braces(chars: &[char]) -> Option<(usize, usize)> {
        (0..chars.len())
            .filter(|&i| chars[i] == '{')
            .find_map(|start| {
                let len = chars[start + 1..].iter().position(|&c| c == '}')?;
                let inner = &chars[start + 1..start + 1 + len];
                (inner.len() >= 2
                    && inner
                        .iter()
                        .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ' ')))
                .then_some((start, start + len + 2))
            })
    }

    pub(super) fn angle_marker(chars: &[char]) -> Option<(usize, usize)> {
        let start = chars.iter().position(|&c| c == '<')?;
        let len = chars[start + 1..].iter().position(|&c| c == '>')?;
        let inner: String = chars[start + 1..start + 1 + len].iter().collect();
        super::words_in_angles(&inner).then_some((start, start + len + 2))
    }

    pub(super) fn bracket_marker(chars: &[char]) -> Option<(usize, usize)> {
        let start = chars.iter().position(|&c| c == '[')?;
        let len = chars[start + 1..].iter().position(|&c| c == ']')?;
        let inner = &chars[start + 1..start + 1 + len];
        (inner.len() >= 3
            && inner
                .iter()
                .all(|c| c.is_alphabetic() || *c == ' ' || *c == '_'))
        .then_some((start, start + len + 2))
    }

    pub(super) fn x_mask(chars: &[char]) -> Option<(usize, usize)> {
        let mut i = 0;
        while i < chars.len() {
            if !matches!(chars[i], 'x' | 'X') {
                i += 1;
                continue;
            }
            let start = i;
            while i < chars.len() && matches!(chars[i], 'x' | 'X') {
                i += 1;
            }
            let run = i - start;
            let hex = |c: char| c.is_ascii_hexdigit();
            let before = start > 0 && hex(chars[start - 1]);
            let after = i < chars.len() && hex(chars[i]);
            let alone = (start == 0 || !chars[start - 1].is_alphanumeric())
                && (i == chars.len() || !chars[i].is_alphanumeric());
            let digits_near = chars[start.saturating_sub(1)..(i + 1).min(chars.len())]
                .iter()
                .any(char::is_ascii_digit)
                || chars.iter().any(char::is_ascii_digit);
            if (run >= 3 && (before || after) && digits_near) || (run >= 4 && alone) {
                return Some((start, i));
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
}
