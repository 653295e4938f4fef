//! `insecure-media-url`: a media URL over plain http where the provider
//! requires or prefers https (`x-media` `https`).
//!
//! The severity comes from the annotation: `required` (the provider's doc
//! demands https) is an error, `preferred` a warning. Whether the URL is a URL
//! at all is `media-url`'s business.

use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::diagnostic::{Edit, Fix};
use crate::engine::rules::context::{Rule, RuleContext, RuleInfo};
use crate::engine::rules::views::media;

/// The rule.
pub struct InsecureMediaUrl;

static INFO: RuleInfo = RuleInfo {
    name: "insecure-media-url",
    default_severity: Severity::Warning,
    source: Source::Provider,
    providers: &[],
    summary: "A media URL uses plain http where the provider requires or prefers https.",
    docs: include_str!("insecure-media-url.md"),
};

impl Rule for InsecureMediaUrl {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        for field in cx.media_fields() {
            let Some((spec, required)) = field.https() else {
                continue;
            };
            if field.placeholder {
                continue;
            }
            let source = spec.source;
            let owner = cx.whose(source);
            let secret = field.secret;
            let name = std::cell::LazyCell::new(|| {
                crate::engine::text::pointer::field_name(field.pointer)
            });
            let count = field.items.len();
            for (item, url) in &field.items {
                let Some(fixed) = url
                    .as_ref()
                    .ok()
                    .and_then(|url| https_version(item.text, url))
                else {
                    continue;
                };
                let label = media::label(&name, item, count);
                let range = item.range.start..item.range.start + 4;
                let mut d = if required {
                    Diagnostic::error(
                        INFO.name,
                        field.pointer,
                        format!("{label} uses plain http; {owner} requires https for this URL"),
                    )
                } else {
                    Diagnostic::warning(
                        INFO.name,
                        field.pointer,
                        format!(
                            "{label} uses plain http; {owner} accepts it, but https is safer: media over http can be altered or blocked on the way"
                        ),
                    )
                };
                d = d
                    .with_help(if secret {
                        "serve the file over https".to_string()
                    } else {
                        format!("serve the file over https: `{fixed}`")
                    })
                    .with_value_range(range.clone());
                // Where https is only preferred, the finding is advice: no one's limit.
                if required {
                    d = d.with_source(source);
                }
                if let Some(note) = field.note(cx.endpoint.provider_display()) {
                    d = d.with_note(note);
                }
                // Unsafe: the host may not serve the file over https.
                let mut edit = Edit::chars(field.pointer, range.clone(), "https");
                if secret {
                    edit = edit.secret();
                }
                d = d.with_fix(Fix::unsafe_("use https", vec![edit]));
                out.push(d);
            }
        }
    }
}

/// The https form of an http URL with a host (`parsed` is `url` read by
/// [`media::parse_url`]); `None` for anything else.
fn https_version(url: &str, parsed: &media::Url<'_>) -> Option<String> {
    parsed
        .scheme
        .eq_ignore_ascii_case("http")
        .then(|| format!("https{}", &url[parsed.scheme.len()..]))
}

#[cfg(test)]
mod tests {
    use crate::engine::rules::views::media::parse_url;

    fn https_version(url: &str) -> Option<String> {
        super::https_version(url, &parse_url(url).ok()?)
    }

    #[test]
    fn upgrades_http_only() {
        assert_eq!(
            https_version("http://cdn.tokobaju.co.id/a.jpg?v=1").as_deref(),
            Some("https://cdn.tokobaju.co.id/a.jpg?v=1")
        );
        assert_eq!(
            https_version("HTTP://CDN.TOKO.CO.ID/A.JPG").as_deref(),
            Some("https://CDN.TOKO.CO.ID/A.JPG")
        );
        assert_eq!(https_version("https://cdn.tokobaju.co.id/a.jpg"), None);
        assert_eq!(https_version("http:/cdn.tokobaju.co.id/a.jpg"), None);
        assert_eq!(https_version("ftp://cdn.tokobaju.co.id/a.jpg"), None);
    }
}
