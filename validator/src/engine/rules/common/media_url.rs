//! `media-url`: a media URL (`x-media`) that no provider can fetch: not an
//! absolute http(s) URL, no host, a space inside, a private host, a space next
//! to a list separator.
//!
//! Where the schema also says `format: uri`, a value that is not a URI at all
//! is the `format` keyword's finding; this rule then says nothing about that
//! value's syntax and reports only what `format: uri` accepts (`ftp://…`,
//! `https:/host`, `https://` with no host, a private host).

use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::engine::rules::context::{Rule, RuleContext, RuleInfo};
use crate::engine::rules::views::media::{self, Item, Url, UrlProblem};
use std::cell::LazyCell;

/// The rule.
pub struct MediaUrl;

static INFO: RuleInfo = RuleInfo {
    name: "media-url",
    default_severity: Severity::Error,
    source: Source::Provider,
    providers: &[],
    summary: "A media URL the provider cannot fetch: not an absolute http(s) URL with a host.",
    docs: include_str!("media-url.md"),
};

impl Rule for MediaUrl {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        for field in cx.media_fields() {
            if field.placeholder {
                continue;
            }
            // Whether a URL can be fetched at all is the provider's concern,
            // whoever states the media limits of the field.
            let source = Source::Provider;
            let owner = cx.whose(source);
            let separator = field.separator();
            let secret = field.secret;
            let name = std::cell::LazyCell::new(|| {
                crate::engine::text::pointer::field_name(field.pointer)
            });
            let syntax_reported = field.syntax_reported;
            let count = field.items.len();
            for (item, url) in &field.items {
                // Formatted only for a finding: rules run on every payload.
                let label_cell = std::cell::LazyCell::new(|| media::label(&name, item, count));
                let mut found = Vec::new();
                if !syntax_reported {
                    found.extend(syntax(
                        field.pointer,
                        item,
                        url,
                        &label_cell,
                        owner,
                        secret,
                        separator,
                    ));
                }
                if let Ok(url) = url
                    && media::is_private_host(url.host)
                {
                    let label: &str = &label_cell;
                    let start = item.range.start
                        + media::char_index(item.text, item.text.find(url.host).unwrap_or(0));
                    found.push(
                            Diagnostic::warning(
                                INFO.name,
                                field.pointer,
                                format!(
                                    "{label} points at `{}`, a host on your own machine or network; {owner}'s servers cannot reach it",
                                    if secret { "[redacted]" } else { url.host }
                                ),
                            )
                            .with_help("host the file where the internet can reach it (your CDN or public storage)")
                            .with_value_range(start..start + url.host.chars().count()),
                        );
                }
                if let (Some(sep), true) = (separator, !syntax_reported) {
                    for (range, side) in
                        [(&item.space_before, "after"), (&item.space_after, "before")]
                    {
                        if let Some(range) = range {
                            let label: &str = &label_cell;
                            found.push(
                                Diagnostic::warning(
                                    INFO.name,
                                    field.pointer,
                                    format!("{label} has whitespace {side} the `{sep}` separator; {owner} may fetch the URL with the space in it"),
                                )
                                .with_help(format!("separate the URLs with a bare `{sep}`"))
                                .with_value_range(range.clone()),
                            );
                        }
                    }
                }
                for mut d in found {
                    d.source = Some(source);
                    // Formatted only for a finding: rules run on every payload.
                    if let Some(n) = field.note(cx.endpoint.provider_display()) {
                        d.note = Some(n);
                    }
                    out.push(d);
                }
            }
            if let (Some(sep), false) = (separator, syntax_reported) {
                for (at, place) in empty_items(field.text, sep) {
                    let n = sep.chars().count();
                    out.push(
                        Diagnostic::warning(
                            INFO.name,
                            field.pointer,
                            format!(
                                "`{}` {place}; {owner} may try to fetch the empty item as a URL",
                                *name
                            ),
                        )
                        .with_help(format!("put `{sep}` only between two URLs"))
                        .with_source(source)
                        .with_value_range(at..at + n),
                    );
                }
            }
        }
    }
}

/// Byte index of a `,` that joins two URLs (`a.pdf,https://…`, `a.pdf, http://…`).
fn comma_joined(text: &str) -> Option<usize> {
    text.match_indices(',').map(|(i, _)| i).find(|&i| {
        let rest = text[i + 1..].trim_start().as_bytes();
        let starts = |p: &[u8]| rest.len() > p.len() && rest[..p.len()].eq_ignore_ascii_case(p);
        starts(b"https://") || starts(b"http://")
    })
}

/// The separators of a list that stand next to an empty item: at the start
/// (`;a.pdf`), doubled (`a.pdf;;b.pdf`) or at the end (`a.pdf;`), as the
/// character index of the separator and where it is. A value that is empty
/// or only whitespace is "no attachment", not a list.
fn empty_items(text: &str, sep: &str) -> Vec<(usize, &'static str)> {
    if text.trim().is_empty() {
        return Vec::new();
    }
    let segments: Vec<&str> = text.split(sep).collect();
    let last = segments.len() - 1;
    let n = sep.chars().count();
    let mut out = Vec::new();
    let mut offset = 0;
    for (i, segment) in segments.iter().enumerate() {
        let len = segment.chars().count();
        if segment.trim().is_empty() {
            if i == 0 {
                out.push((len, "starts with the separator"));
            } else if i == last {
                out.push((offset - n, "ends with the separator"));
            } else {
                out.push((offset - n, "has two separators with nothing between them"));
            }
        }
        offset += len + n;
    }
    out
}

/// The syntax finding of one item, if any (one per item), given the item
/// parsed; the label is formatted only for a finding.
fn syntax(
    pointer: &str,
    item: &Item<'_>,
    url: &Result<Url<'_>, UrlProblem>,
    label: &LazyCell<String, impl FnOnce() -> String>,
    owner: &str,
    secret: bool,
    separator: Option<&str>,
) -> Option<Diagnostic> {
    let shown = |s: &str| {
        if secret {
            "[redacted]".to_string()
        } else {
            format!("`{s}`")
        }
    };
    // Two URLs joined with a comma: one address that does not exist.
    if let Some(at) = comma_joined(item.text) {
        let label: &str = label;
        let start = item.range.start + media::char_index(item.text, at);
        let (message, help) = match separator {
            Some(sep) => (
                format!(
                    "{label} is two URLs joined with `,`; {owner} separates them with `{sep}`, so it would fetch one address that does not exist"
                ),
                format!("separate the URLs with `{sep}`"),
            ),
            None => (
                format!(
                    "{label} is two URLs joined with `,`; the field takes one URL, so {owner} would fetch one address that does not exist"
                ),
                "send one URL here (a second file goes in a message of its own)".to_string(),
            ),
        };
        return Some(
            Diagnostic::error(INFO.name, pointer, message)
                .with_help(help)
                .with_value_range(start..start + 1),
        );
    }
    // A space inside the URL: the file name as uploaded, not percent-encoded.
    if let Some(at) = item.text.find(char::is_whitespace) {
        let label: &str = label;
        let start = media::char_index(item.text, at);
        let run = item.text[at..]
            .chars()
            .take_while(|c| c.is_whitespace())
            .count();
        let encoded: String = item
            .text
            .chars()
            .map(|c| {
                if c.is_whitespace() {
                    "%20".to_string()
                } else {
                    c.to_string()
                }
            })
            .collect();
        let mut d = Diagnostic::error(
            INFO.name,
            pointer,
            format!("{label} contains a space; a URL cannot, and {owner} would fetch the wrong file or none"),
        )
        .with_value_range(item.range.start + start..item.range.start + start + run);
        if !secret {
            d = d.with_help(format!("percent-encode the space: `{encoded}`"));
        }
        return Some(d);
    }
    let problem = url.as_ref().err()?;
    let label: &str = label;
    let repaired = media::repaired(item.text).filter(|_| !secret);
    let (message, help, range) = match problem {
        UrlProblem::NoScheme => (
            format!(
                "{label} {} is not an absolute URL; {owner} fetches media from an `https://host/path/file` address",
                shown(item.text)
            ),
            repaired.map_or_else(
                || "give the full URL of the file, starting with `https://`".to_string(),
                |r| format!("write `{r}`"),
            ),
            item.range.clone(),
        ),
        UrlProblem::OtherScheme(scheme) if scheme == "data" => (
            format!(
                "{label} is a `data:` URL; {owner} downloads media from a URL and does not take the file inline"
            ),
            "upload the file and give its `https://` URL".to_string(),
            item.range.start..item.range.start + 5,
        ),
        UrlProblem::OtherScheme(scheme) => (
            format!(
                "{label} uses the `{scheme}:` scheme; {owner} fetches media over https (or http) only"
            ),
            "serve the file over https and give its `https://` URL".to_string(),
            item.range.start..item.range.start + scheme.chars().count() + 1,
        ),
        UrlProblem::NoSlashes => {
            let scheme = item.text.split(':').next().unwrap_or("https");
            (
                format!("{label} lacks the `//` after `{scheme}:`"),
                repaired.map_or_else(
                    || format!("write `{scheme}://` before the host"),
                    |r| format!("write `{r}`"),
                ),
                item.range.clone(),
            )
        }
        UrlProblem::NoHost => (
            format!("{label} {} has no host name", shown(item.text)),
            "put the server's host name after `https://` (`https://cdn.example.co.id/file.pdf`)"
                .to_string(),
            item.range.clone(),
        ),
    };
    Some(
        Diagnostic::error(INFO.name, pointer, message)
            .with_help(help)
            .with_value_range(range),
    )
}

#[cfg(test)]
mod tests {
    use super::syntax;
    use crate::engine::rules::views::media::{items, parse_url};

    fn first(text: &str) -> Option<(String, Option<String>, std::ops::Range<usize>)> {
        let item = items(text, Some(";")).into_iter().next()?;
        let label = std::cell::LazyCell::new(|| "`x`".to_string());
        syntax(
            "/x",
            &item,
            &parse_url(item.text),
            &label,
            "Sandeza",
            false,
            None,
        )
        .map(|d| (d.message, d.help, d.value_range.unwrap_or_default()))
    }

    #[test]
    fn accepts_fetchable_urls() {
        for url in [
            "https://cdn.tokobaju.co.id/promo/banner-1212.jpg",
            "http://files.energimandiri.co.id/a.pdf",
            "HTTPS://CDN.TOKO.CO.ID/A.JPG",
            "https://cdn.toko.co.id:8443/a.jpg?v=1",
        ] {
            assert!(first(url).is_none(), "{url}");
        }
    }

    #[test]
    fn reports_and_repairs() {
        let (_, help, range) = first("www.domain.com/test.pdf").unwrap_or_default();
        assert_eq!(
            help.as_deref(),
            Some("write `https://www.domain.com/test.pdf`")
        );
        assert_eq!(range, 0..23);
        let (message, help, range) =
            first("https://media.sandeza.id/TEST VIDEO.mp4").unwrap_or_default();
        assert!(message.contains("contains a space"), "{message}");
        assert_eq!(
            help.as_deref(),
            Some("percent-encode the space: `https://media.sandeza.id/TEST%20VIDEO.mp4`")
        );
        assert_eq!(range, 29..30);
        let (message, _, range) = first("ftp://files.toko.co.id/a.pdf").unwrap_or_default();
        assert!(message.contains("`ftp:`"), "{message}");
        assert_eq!(range, 0..4);
        let (_, help, _) = first("https:/cdn.toko.co.id/a.jpg").unwrap_or_default();
        assert_eq!(
            help.as_deref(),
            Some("write `https://cdn.toko.co.id/a.jpg`")
        );
        let (message, _, _) = first("https:///a.jpg").unwrap_or_default();
        assert!(message.contains("no host"), "{message}");
    }
}
