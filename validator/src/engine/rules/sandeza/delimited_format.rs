//! `delimited-format`: Sandeza's WhatsApp delimiter format (`type:=:value`
//! segments joined by `||`), including the checks the JSON format's header
//! gets from the schema (media URL extensions, text limits), since here the
//! values sit inside one string.

use super::shared::{Piece, ordinal, split_pieces};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::engine::facts::delimited::Spec;
use crate::engine::rules::context::{Rule, RuleContext, RuleInfo};
use crate::engine::text::pointer::FieldName;
use serde_json::Value;
use std::ops::Range;

/// The rule.
pub struct DelimitedFormat;

static INFO: RuleInfo = RuleInfo {
    name: "delimited-format",
    default_severity: Severity::Error,
    source: Source::Provider,
    providers: &["sandeza/"],
    summary: "A WhatsApp `message`, `header` or `button` in Sandeza's delimiter format is malformed.",
    docs: include_str!("delimited-format.md"),
};

impl Rule for DelimitedFormat {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        for (ptr, text) in cx.strings_with_format("sandeza-delimited") {
            if text.is_empty() || cx.is_placeholder(ptr, text) {
                continue;
            }
            let Some(spec) = cx
                .annotations
                .at(ptr)
                .find_map(|a| a.facts().delimited.as_ref())
            else {
                continue;
            };
            Checker {
                ptr,
                spec,
                out: &mut *out,
            }
            .check(text);
        }
    }
}

struct Checker<'a> {
    ptr: &'a str,
    spec: &'a Spec,
    out: &'a mut Vec<Diagnostic>,
}

/// A value quoted in a message: shortened when long.
fn quote(s: &str) -> String {
    if s.chars().count() > 40 {
        let head: String = s.chars().take(37).collect();
        format!("`{head}…`")
    } else {
        format!("`{s}`")
    }
}

impl<'a> Checker<'a> {
    /// The field's name as messages show it, formatted only when a message is.
    fn field(&self) -> FieldName<'a> {
        FieldName(self.ptr)
    }

    fn push(
        &mut self,
        severity: Severity,
        source: Source,
        range: Range<usize>,
        message: String,
        help: String,
    ) {
        let d = Diagnostic::new(INFO.name, severity, self.ptr, message)
            .with_help(help)
            .with_source(source)
            .with_value_range(range);
        self.out.push(d);
    }

    fn error(&mut self, range: Range<usize>, message: String, help: String) {
        self.push(Severity::Error, Source::Provider, range, message, help);
    }

    fn check(&mut self, text: &str) {
        let segments = split_pieces(text, "||", 0);
        let count = segments.len();
        for (i, seg) in segments.iter().enumerate() {
            let n = i + 1;
            if seg.text.trim().is_empty() {
                let why = if count > 1 && (i == 0 || i + 1 == count) {
                    "a `||` at the start or end leaves an empty parameter"
                } else {
                    "two `||` in a row leave an empty parameter"
                };
                let range = if seg.range.is_empty() {
                    let start = if i > 0 {
                        seg.range.start.saturating_sub(2)
                    } else {
                        seg.range.start
                    };
                    start..start + 2
                } else {
                    seg.range.clone()
                };
                self.error(
                    range,
                    format!(
                        "`{}` parameter {n} of {count} is empty: {why}",
                        self.field()
                    ),
                    "remove the extra `||`; parameters are `type:=:value` joined by `||`"
                        .to_string(),
                );
                continue;
            }
            if let Some(max) = self.spec.max_parameters
                && n > max
            {
                self.error(
                        seg.range.clone(),
                        format!(
                            "`{}` holds {count} parameters; a template {} takes {max}, and this is the {}",
                            self.field(),
                            self.spec.component,
                            ordinal(n)
                        ),
                        format!("send one `type:=:value` in `{}`; body values go in `message`", self.field()),
                    );
                continue;
            }
            self.segment(seg, n);
        }
    }

    fn example(&self) -> &'static str {
        match self.spec.component.as_str() {
            "header" => "image:=:https://example.co.id/banner.jpg",
            "button" => "button:=:url:=:login.html",
            _ => "text:=:Budi||text:=:Rp 250.000",
        }
    }

    fn segment(&mut self, seg: &Piece<'_>, n: usize) {
        let parts = split_pieces(seg.text, ":=:", seg.range.start);
        let field = self.field();
        let Some(kind_piece) = parts.first() else {
            return;
        };
        if parts.len() < 2 {
            let hint = if seg.text.contains(':') || seg.text.contains('=') {
                "the delimiter is exactly `:=:`"
            } else {
                "each parameter is `type:=:value`"
            };
            self.error(
                seg.range.clone(),
                format!(
                    "`{field}` parameter {n} ({}) has no `:=:` between its type and its value",
                    quote(seg.text)
                ),
                format!("{hint}, e.g. `{}`", self.example()),
            );
            return;
        }
        let kind = kind_piece.text.trim().to_ascii_lowercase();
        if !self.spec.types.contains(&kind) {
            let allowed = self.spec.types.join(", ");
            let (message, help) = if kind_piece.text.is_empty() {
                (
                    format!("`{field}` parameter {n} has no type before `:=:`"),
                    format!(
                        "start the parameter with its type ({allowed}), e.g. `{}`",
                        self.example()
                    ),
                )
            } else {
                (
                    format!(
                        "`{field}` parameter {n}: {} is not a {} parameter type; Sandeza accepts {allowed}",
                        quote(kind_piece.text),
                        self.spec.component
                    ),
                    format!("use one of {allowed}, e.g. `{}`", self.example()),
                )
            };
            let range = if kind_piece.range.is_empty() {
                seg.range.clone()
            } else {
                kind_piece.range.clone()
            };
            self.error(range, message, help);
            return;
        }
        match kind.as_str() {
            "location" => self.location(seg, &parts, n),
            "button" => self.button(seg, &parts, n),
            _ => {
                if parts.len() > 2 {
                    self.error(
                        seg.range.clone(),
                        format!(
                            "`{field}` parameter {n} ({}) has {} `:=:` delimiters; {} {kind} parameter is `{kind}:=:value`",
                            quote(seg.text),
                            parts.len() - 1,
                            article(&kind)
                        ),
                        "join parameters with `||`, not `|` or `:=:`".to_string(),
                    );
                    return;
                }
                let value = &parts[1];
                if value.text.is_empty() {
                    self.error(
                        seg.range.clone(),
                        format!("`{field}` parameter {n} (`{kind}:=:`) has an empty value"),
                        format!("put the value after `{kind}:=:`"),
                    );
                    return;
                }
                if kind == "text" {
                    self.text_value(value, n);
                } else if let Some(node) = self
                    .spec
                    .media
                    .iter()
                    .find(|(k, _)| *k == kind)
                    .map(|(_, v)| *v)
                {
                    self.media(value, &kind, node, n);
                }
            }
        }
    }

    /// WhatsApp's rules for a text parameter, from the node `x-delimited.text`
    /// points at.
    fn text_value(&mut self, value: &Piece<'_>, n: usize) {
        let field = self.field();
        let Some(node) = self.spec.text else {
            return;
        };
        let template_param =
            node.get("x-format").and_then(Value::as_str) == Some("whatsapp-template-param");
        if template_param && let Some((range, what)) = bad_whitespace(value.text) {
            let start = value.range.start;
            self.push(
                    Severity::Error,
                    Source::Platform,
                    start + range.start..start + range.end,
                    format!("`{field}` parameter {n} contains {what}; WhatsApp rejects template parameters with a newline, a tab or more than 4 consecutive spaces"),
                    "replace it with a single space, or move the line break into the template text".to_string(),
                );
        }
        if let Some(max) = node.get("maxLength").and_then(Value::as_u64) {
            let len = value.text.chars().count();
            if len as u64 > max {
                self.push(
                    Severity::Error,
                    Source::Platform,
                    value.range.clone(),
                    if self.spec.component == "body" {
                        format!("`{field}` parameter {n} is {len} characters; a template body holds at most {max} with its parameters filled in, so it can never fit (WhatsApp would answer 132005)")
                    } else {
                        format!("`{field}` parameter {n} is {len} characters; WhatsApp allows at most {max} in a template {} parameter", self.spec.component)
                    },
                    format!("shorten the value to {max} characters"),
                );
            }
        }
    }

    fn media(&mut self, value: &Piece<'_>, kind: &str, node: &'static Value, n: usize) {
        let field = self.field();
        let url = value.text;
        let Some(media) = node.get("x-media") else {
            return;
        };
        let max_bytes = media.get("max-bytes").and_then(Value::as_u64);
        // Formatted only for a finding.
        let with_note = |d: Diagnostic| {
            match max_bytes {
            Some(b) => d.with_note(format!("Sandeza allows at most {} MB for {} {kind} header; preflight does not download media", b / (1024 * 1024), article(kind))),
            None => d,
        }
        };
        let lower = url.to_ascii_lowercase();
        if let Some(pos) = url.chars().position(char::is_whitespace) {
            let at = value.range.start + pos;
            self.out.push(with_note(
                Diagnostic::error(INFO.name, self.ptr, format!("`{field}` parameter {n}: the {kind} URL contains a space, so it is not a valid URL"))
                    .with_help("percent-encode it (`%20`) or rename the file")
                    .with_source(Source::Provider)
                    .with_value_range(at..at + 1),
            ));
            return;
        }
        if lower.starts_with("http://") {
            let required = media.get("https").and_then(Value::as_str) == Some("required");
            let severity = if required {
                Severity::Error
            } else {
                Severity::Warning
            };
            let https = format!("https://{}", url.get(7..).unwrap_or_default());
            self.out.push(with_note(
                Diagnostic::new(
                    INFO.name,
                    severity,
                    self.ptr,
                    format!("`{field}` parameter {n}: the {kind} URL uses plain http; many WhatsApp partners fetch media over https only"),
                )
                .with_help(format!("serve it over https: `{https}`"))
                .with_source(if required { Source::Provider } else { Source::Platform })
                .with_value_range(value.range.start..value.range.start + 4),
            ));
        } else if !lower.starts_with("https://") {
            self.out.push(
                Diagnostic::error(INFO.name, self.ptr, format!("`{field}` parameter {n}: {} is not an http(s) URL; {} {kind} header takes the file's URL", quote(url), article(kind)))
                    .with_help(format!("give the full URL: `{kind}:=:https://…`"))
                    .with_source(Source::Provider)
                    .with_value_range(value.range.clone()),
            );
            return;
        }
        let Some((ext, ext_range)) = extension(url) else {
            let allowed = list(media);
            self.out.push(with_note(
                Diagnostic::error(INFO.name, self.ptr, format!("`{field}` parameter {n}: the {kind} URL has no file extension; Sandeza accepts {allowed}"))
                    .with_help(format!("link the file itself, ending in {allowed}"))
                    .with_source(Source::Provider)
                    .with_value_range(value.range.clone()),
            ));
            return;
        };
        let range = value.range.start + ext_range.start..value.range.start + ext_range.end;
        if !allows(media, &ext) {
            let allowed = list(media);
            self.out.push(with_note(
                Diagnostic::error(INFO.name, self.ptr, format!("`{field}` parameter {n}: `.{ext}` is not an allowed {kind} type; Sandeza's {kind} header accepts {allowed}"))
                    .with_help(format!("convert the file to {allowed}"))
                    .with_source(Source::Provider)
                    .with_value_range(range),
            ));
            return;
        }
        // Platform limits layered on the provider's list (document headers: PDF only).
        for sub in node
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let Some(narrow) = sub.get("x-media") else {
                continue;
            };
            if allows(narrow, &ext) {
                continue;
            }
            let severity = if sub.get("x-severity").and_then(Value::as_str) == Some("warning") {
                Severity::Warning
            } else {
                Severity::Error
            };
            let why = sub
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or("WhatsApp does not accept this file type here.");
            self.out.push(
                Diagnostic::new(
                    INFO.name,
                    severity,
                    self.ptr,
                    format!(
                        "`{field}` parameter {n} is a `.{ext}` {kind}: {}",
                        why.trim_end_matches('.')
                    ),
                )
                .with_help(format!("send it as {}", list(narrow)))
                .with_source(Source::Platform)
                .with_value_range(range.clone()),
            );
        }
    }

    fn location(&mut self, seg: &Piece<'_>, parts: &[Piece<'_>], n: usize) {
        let field = self.field();
        if parts.len() != 5 {
            self.error(
                seg.range.clone(),
                format!(
                    "`{field}` parameter {n}: a location has 5 parts (`location:=:latitude:=:longitude:=:name:=:address`), this one has {}",
                    parts.len()
                ),
                "give latitude, longitude, name and address, separated by `:=:`".to_string(),
            );
            return;
        }
        for (piece, what, limit) in [
            (&parts[1], "latitude", 90.0),
            (&parts[2], "longitude", 180.0),
        ] {
            let t = piece.text.trim();
            if !is_decimal(t) {
                let range = if piece.range.is_empty() {
                    seg.range.clone()
                } else {
                    piece.range.clone()
                };
                self.error(
                    range,
                    format!(
                        "`{field}` parameter {n}: the {what} {} is not a decimal number",
                        quote(piece.text)
                    ),
                    format!("write the {what} in decimal degrees with a dot, e.g. `-6.1753924`"),
                );
                continue;
            }
            if let Ok(v) = t.parse::<f64>()
                && v.abs() > limit
            {
                self.push(
                    Severity::Warning,
                    Source::Platform,
                    piece.range.clone(),
                    format!("`{field}` parameter {n}: the {what} {t} is outside -{limit}…{limit}"),
                    "check the coordinates; latitude comes first, then longitude".to_string(),
                );
            }
        }
    }

    fn button(&mut self, seg: &Piece<'_>, parts: &[Piece<'_>], n: usize) {
        let field = self.field();
        if parts.len() != 3 {
            self.error(
                seg.range.clone(),
                format!("`{field}` parameter {n} ({}) has {} parts; a button parameter is `button:=:url:=:value`", quote(seg.text), parts.len()),
                "write `button:=:url:=:` followed by the URL suffix or the OTP code".to_string(),
            );
            return;
        }
        let sub = parts[1].text.trim().to_ascii_lowercase();
        if !self.spec.sub_types.is_empty() && !self.spec.sub_types.contains(&sub) {
            let range = if parts[1].range.is_empty() {
                seg.range.clone()
            } else {
                parts[1].range.clone()
            };
            self.error(
                range,
                format!(
                    "`{field}` parameter {n}: {} is not a button sub-type Sandeza accepts in this format ({})",
                    quote(parts[1].text),
                    self.spec.sub_types.join(", ")
                ),
                "write `button:=:url:=:value`".to_string(),
            );
            return;
        }
        if parts[2].text.is_empty() {
            self.error(
                seg.range.clone(),
                format!("`{field}` parameter {n} has an empty value after `button:=:url:=:`"),
                "put the URL suffix (or the OTP code) after `button:=:url:=:`".to_string(),
            );
            return;
        }
        self.text_value(&parts[2], n);
    }
}

fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// `-6.1753924`, `106`: an optional minus, digits, optionally a dot and digits.
fn is_decimal(t: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let t = t.strip_prefix('-').unwrap_or(t);
    match t.split_once('.') {
        Some((a, b)) => digits(a) && digits(b),
        None => digits(t),
    }
}

/// The first newline, tab or run of more than 4 spaces: its character range
/// and a name.
pub(crate) fn bad_whitespace(text: &str) -> Option<(Range<usize>, &'static str)> {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\n' | '\r' => return Some((i..i + 1, "a newline")),
            '\t' => return Some((i..i + 1, "a tab")),
            ' ' => {
                let start = i;
                while i < chars.len() && chars[i] == ' ' {
                    i += 1;
                }
                if i - start > 4 {
                    return Some((start..i, "more than 4 consecutive spaces"));
                }
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The lowercase extension of a URL's path and its character range in the URL.
fn extension(url: &str) -> Option<(String, Range<usize>)> {
    let end = url.find(['?', '#']).unwrap_or(url.len());
    let path = url.get(..end)?;
    let after_scheme = path.find("://").map_or(0, |i| i + 3);
    let slash = path.get(after_scheme..)?.find('/')? + after_scheme;
    let last = path.get(slash..)?;
    let dot = last.rfind('.')?;
    let ext = last.get(dot + 1..)?;
    if ext.is_empty() || ext.contains('/') {
        return None;
    }
    let start = path.get(..slash + dot + 1)?.chars().count();
    Some((ext.to_ascii_lowercase(), start..start + ext.chars().count()))
}

fn allows(media: &Value, ext: &str) -> bool {
    media
        .get("extensions")
        .and_then(Value::as_array)
        .is_none_or(|exts| {
            exts.iter()
                .any(|e| e.as_str().is_some_and(|e| e.eq_ignore_ascii_case(ext)))
        })
}

fn list(media: &Value) -> String {
    let exts: Vec<String> = media
        .get("extensions")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(|e| format!(".{e}"))
                .collect()
        })
        .unwrap_or_default();
    match exts.split_last() {
        None => "a supported file".to_string(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::{bad_whitespace, extension, is_decimal};

    #[test]
    fn finds_whitespace_the_platform_rejects() {
        assert_eq!(bad_whitespace("Rp 250.000"), None);
        assert_eq!(bad_whitespace("a    b"), None);
        assert_eq!(bad_whitespace("a     b").map(|(r, _)| r), Some(1..6));
        assert_eq!(bad_whitespace("baris\nbaru").map(|(r, _)| r), Some(5..6));
        assert_eq!(bad_whitespace("tab\there").map(|(_, w)| w), Some("a tab"));
    }

    #[test]
    fn extension_of_url_path() {
        assert_eq!(
            extension("https://cdn.x.id/a/banner.JPG?v=2"),
            Some(("jpg".to_string(), 26..29))
        );
        assert_eq!(extension("https://cdn.x.id/a/banner"), None);
        assert_eq!(extension("https://cdn.x.id"), None);
        assert_eq!(extension("https://cdn.x.id/a.b/file"), None);
    }

    #[test]
    fn decimals() {
        assert!(is_decimal("-6.1753924"));
        assert!(is_decimal("106"));
        assert!(!is_decimal("6,17"));
        assert!(!is_decimal("-"));
        assert!(!is_decimal("1."));
    }
}
