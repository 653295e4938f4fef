//! `url-button-full-url`: a dynamic URL button's parameter holds a whole URL
//! (`https://…`) where WhatsApp expects the suffix it appends to the URL
//! registered with the template (`x-format: url-button-suffix`, also inside
//! Sandeza's `button:=:url:=:…` segments).

use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::engine::rules::context::{Rule, RuleContext, RuleInfo};
use crate::engine::text::pointer;
use serde_json::Value;
use std::ops::Range;

/// The rule.
pub struct UrlButtonFullUrl;

static INFO: RuleInfo = RuleInfo {
    name: "url-button-full-url",
    default_severity: Severity::Warning,
    source: Source::Platform,
    providers: &[],
    summary: "A URL button's parameter is a whole URL, not the suffix WhatsApp appends to the template's URL.",
    docs: include_str!("url-button-full-url.md"),
};

const FORMAT: &str = "url-button-suffix";

impl Rule for UrlButtonFullUrl {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        for keyed in cx.x_formats() {
            let Some(text) = keyed.value.as_str() else {
                continue;
            };
            // With the template known, `template-url-suffix` knows the URL.
            if crate::engine::rules::templates::template_known_at(cx, keyed.pointer) {
                continue;
            }
            if keyed.facts.format == Some(FORMAT) {
                if let Some(scheme) = whole_url(text) {
                    let field = pointer::field_name(keyed.pointer);
                    out.push(finding(
                        keyed.pointer,
                        format!("`{field}`"),
                        text,
                        0..text.chars().count(),
                        scheme,
                    ));
                }
                continue;
            }
            let Some(spec) = keyed.facts.delimited.as_ref() else {
                continue;
            };
            let suffix_node = spec
                .text
                .and_then(|n| n.get("x-format"))
                .and_then(Value::as_str);
            if suffix_node != Some(FORMAT) {
                continue;
            }
            let field = pointer::field_name(keyed.pointer);
            for (n, value, range) in delimited_values(text) {
                if let Some(scheme) = whole_url(value) {
                    out.push(finding(
                        keyed.pointer,
                        format!("`{field}` parameter {n}"),
                        value,
                        range,
                        scheme,
                    ));
                }
            }
        }
    }
}

fn finding(ptr: &str, what: String, url: &str, range: Range<usize>, scheme: &str) -> Diagnostic {
    let url = url.trim();
    let suffix = suggested_suffix(url, scheme);
    let help = match suffix {
        Some(s) => format!(
            "send only the part the template's URL does not already hold: if the template's URL is `{}{{{{1}}}}`, send `{s}`",
            clip(&url[..url.len() - s.len()])
        ),
        None => "send only the part the template's URL does not already hold (the text that replaces its {{1}})".to_string(),
    };
    Diagnostic::warning(
        INFO.name,
        ptr,
        format!(
            "{what} is a whole URL (`{}`); WhatsApp appends a URL button's parameter to the URL registered with the template, so the button would open that URL with this one glued to its end",
            clip(url)
        ),
    )
    .with_help(help)
    .with_note("a warning, not an error: a template whose URL is a redirect such as `https://s.example.co.id/r?to={{1}}` does take a whole URL (percent-encoded); with the account's templates at hand the template's URL settles it")
    .with_source(Source::Platform)
    .with_value_range(range)
}

/// The scheme a value starts with when it is a whole URL (`https://`,
/// `http://`, `www.`), compared without case and after leading spaces.
fn whole_url(text: &str) -> Option<&'static str> {
    let t = text.trim_start();
    let head: String = t.chars().take(8).collect::<String>().to_ascii_lowercase();
    ["https://", "http://", "www."]
        .into_iter()
        .find(|s| head.starts_with(s) && t.len() > s.len())
}

/// What most likely belongs in the parameter: the URL's last path segment
/// with its query (`lacak/TB-88213?src=wa` → `TB-88213?src=wa`); `None` when
/// the URL is only a host.
fn suggested_suffix<'a>(url: &'a str, scheme: &str) -> Option<&'a str> {
    let url = url.trim();
    let rest = url.get(scheme.len()..)?;
    let path_at = rest.find('/')? + scheme.len();
    let path = match url.find(['?', '#']) {
        Some(q) if q > path_at => &url[..q],
        _ => url,
    };
    let last = path.rfind('/')?;
    if last < path_at || last + 1 >= path.len() {
        return None;
    }
    Some(&url[last + 1..])
}

/// A URL shortened for a message.
fn clip(text: &str) -> String {
    if text.chars().count() > 100 {
        format!("{}…", text.chars().take(99).collect::<String>())
    } else {
        text.to_string()
    }
}

/// The values of Sandeza `button:=:url:=:VALUE` segments: the segment's
/// number (from 1), the value and its character range in the whole string.
fn delimited_values(text: &str) -> Vec<(usize, &str, Range<usize>)> {
    let mut out = Vec::new();
    let mut at = 0;
    for (i, segment) in text.split("||").enumerate() {
        let parts: Vec<&str> = segment.split(":=:").collect();
        if parts.len() >= 3 {
            let before: usize = parts[..parts.len() - 1]
                .iter()
                .map(|p| p.chars().count() + 3)
                .sum();
            if let Some(value) = parts.last() {
                let start = at + before;
                out.push((i + 1, *value, start..start + value.chars().count()));
            }
        }
        at += segment.chars().count() + 2;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_urls() {
        assert_eq!(
            whole_url("https://tokobaju.co.id/lacak/TB-88213"),
            Some("https://")
        );
        assert_eq!(whole_url("HTTP://tokobaju.co.id"), Some("http://"));
        assert_eq!(whole_url("www.tokobaju.co.id/promo"), Some("www."));
        for suffix in [
            "TB-88213",
            "login.html",
            "lacak/TB-88213?src=wa",
            "482913",
            "https",
            "www",
            "https:",
        ] {
            assert_eq!(whole_url(suffix), None, "{suffix}");
        }
    }

    #[test]
    fn suffix_is_the_last_segment_with_its_query() {
        assert_eq!(
            suggested_suffix("https://tokobaju.co.id/lacak/TB-88213?src=wa", "https://"),
            Some("TB-88213?src=wa")
        );
        assert_eq!(
            suggested_suffix("https://tokobaju.co.id/", "https://"),
            None
        );
        assert_eq!(suggested_suffix("https://tokobaju.co.id", "https://"), None);
        assert_eq!(
            suggested_suffix("www.tokobaju.co.id/promo", "www."),
            Some("promo")
        );
    }

    #[test]
    fn delimited_ranges() {
        let text = "button:=:url:=:https://a.id/x||button:=:url:=:TB-1";
        let got = delimited_values(text);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].1, "https://a.id/x");
        let chars: Vec<char> = text.chars().collect();
        let r = got[1].2.clone();
        assert_eq!(chars[r].iter().collect::<String>(), "TB-1");
    }
}
