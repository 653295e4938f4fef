//! `media-extension`: a media URL whose file extension the provider (or
//! WhatsApp) does not take for that kind of media.
//!
//! The extension is read from the URL's last path segment, after dropping the
//! query string and the fragment. Every `x-media` at the field is checked, the
//! field's own list first; a stricter `allOf` branch (WhatsApp's PDF-only
//! template document header behind Sandeza's longer list, the WhatsApp media
//! types behind the chatbot gateway's silent doc) reports only when the
//! provider's own list accepts the file, so one file gets one finding.
//! `.webp` as an image is an error wherever WhatsApp is behind the provider
//! (131053), a warning only where the spec itself is one.

use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::engine::rules::context::{Rule, RuleContext, RuleInfo};
use crate::engine::rules::views::media::{self, Extension, MediaSpec};

/// The rule.
pub struct MediaExtension;

static INFO: RuleInfo = RuleInfo {
    name: "media-extension",
    default_severity: Severity::Error,
    source: Source::Provider,
    providers: &[],
    summary: "A media URL's file extension is not one the provider accepts for that media.",
    docs: include_str!("media-extension.md"),
};

impl Rule for MediaExtension {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
        for field in cx.media_fields() {
            if field.placeholder {
                continue;
            }
            let secret = field.secret;
            let name = std::cell::LazyCell::new(|| {
                crate::engine::text::pointer::field_name(field.pointer)
            });
            let count = field.items.len();
            for (item, url) in &field.items {
                let Ok(url) = url else {
                    continue;
                };
                let (ext, ext_range) = media::extension(url.path);
                let Some(finding) = judge(&field.specs, &ext) else {
                    continue;
                };
                let at = item.range.start + media::char_index(item.text, url.path_at);
                let range = ext_range.map_or(item.range.clone(), |r| at + r.start..at + r.end);
                let label = media::label(&name, item, count);
                let owner = cx.whose(finding.spec.source);
                let mut d = match finding.problem {
                    Problem::Webp => Diagnostic::new(
                        INFO.name,
                        if finding.spec.warning { Severity::Warning } else { Severity::Error },
                        field.pointer,
                        format!("{label} is a .webp image; WhatsApp takes .webp only as a sticker, and an image message with it fails after sending with error 131053"),
                    )
                    .with_help("convert the image to .jpg or .png")
                    .with_source(Source::Platform),
                    Problem::NotListed { ext, accepted } => {
                        let mut d = Diagnostic::new(
                            INFO.name,
                            if finding.spec.warning { Severity::Warning } else { Severity::Error },
                            field.pointer,
                            format!(
                                "{label} is a .{ext} file; {owner} accepts {}{}",
                                media::list_extensions(&accepted),
                                kind_phrase(finding.spec.kind)
                            ),
                        )
                        .with_source(finding.spec.source);
                        if let [only] = accepted.as_slice() {
                            d = d.with_help(format!("convert the file to .{only} and link to that"));
                        } else if ext == "webp" {
                            d = d.with_help("convert the image to .jpg or .png (WhatsApp takes .webp only as a sticker)");
                        }
                        d
                    }
                    Problem::Missing { accepted } => Diagnostic::warning(
                        INFO.name,
                        field.pointer,
                        format!(
                            "{label} has no file extension; {owner} infers the media type from the file name{}",
                            accepted.map_or(String::new(), |a| format!(" and accepts {}{}", media::list_extensions(&a), kind_phrase(finding.spec.kind)))
                        ),
                    )
                    .with_help(if secret {
                        "link to the file by its name with the extension".to_string()
                    } else {
                        "link to the file by its name with the extension (`…/banner-1212.jpg`), not to a download id".to_string()
                    })
                    .with_source(finding.spec.source),
                };
                let size_note = field.note(cx.endpoint.provider_display());
                let note = match (finding.spec.description, size_note) {
                    (Some(why), Some(size)) => Some(format!("{why} {size}")),
                    (Some(why), None) => Some(why.to_string()),
                    (None, size) => size,
                };
                if let Some(note) = note {
                    d = d.with_note(note);
                }
                out.push(d.with_value_range(range));
            }
        }
    }
}

/// " for an image", " for a document", "" for any media.
fn kind_phrase(kind: &str) -> &'static str {
    match kind {
        "image" => " for an image",
        "video" => " for a video",
        "audio" => " for audio",
        "document" => " for a document",
        "sticker" => " for a sticker",
        _ => " here",
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Problem {
    /// `.webp` where an image is expected.
    Webp,
    /// An extension the spec does not list.
    NotListed {
        ext: String,
        accepted: Vec<&'static str>,
    },
    /// No extension.
    Missing { accepted: Option<Vec<&'static str>> },
}

struct Finding<'s> {
    spec: &'s MediaSpec,
    problem: Problem,
}

/// The one finding for an extension against every spec at the field: the
/// most severe one (an error before a warning branch's finding).
fn judge<'s>(specs: &[&'s MediaSpec], ext: &Extension) -> Option<Finding<'s>> {
    let first = *specs.first()?;
    let ext = match ext {
        Extension::Missing => {
            return Some(Finding {
                spec: first,
                problem: Problem::Missing {
                    accepted: first.accepted(),
                },
            });
        }
        Extension::Known(e) => e,
    };
    // `.webp` as an image is WhatsApp's finding (it takes it only as a
    // sticker), unless the provider's own list (not WhatsApp's) leaves it out:
    // then it is outside the provider's list (below).
    let by_severity = || {
        let errors = specs.iter().filter(|s| !s.warning);
        errors.chain(specs.iter().filter(|s| s.warning))
    };
    if ext == "webp"
        && let Some(&spec) = by_severity().find(|s| {
            s.kind == "image"
                && (s.source == Source::Platform || s.accepts("webp").is_none_or(|yes| yes))
        })
    {
        return Some(Finding {
            spec,
            problem: Problem::Webp,
        });
    }
    let failing = |spec: &&&'s MediaSpec| spec.accepts(ext).is_some_and(|yes| !yes);
    let spec = *by_severity().find(failing)?;
    Some(Finding {
        spec,
        problem: Problem::NotListed {
            ext: ext.clone(),
            accepted: spec.accepted().unwrap_or_default(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::{Problem, judge};
    use crate::diagnostic::Source;
    use crate::engine::rules::views::media::{MediaSpec, extension, parse_url};

    fn spec(kind: &'static str, extensions: Option<Vec<&'static str>>, warning: bool) -> MediaSpec {
        // Specs borrow their lists from the embedded schemas, which live forever.
        let extensions = extensions.map(|list| {
            let values: Vec<serde_json::Value> = list.into_iter().map(Into::into).collect();
            &*Box::leak(values.into_boxed_slice())
        });
        MediaSpec {
            kind,
            extensions,
            https: None,
            max_bytes: None,
            separator: None,
            source: Source::Provider,
            warning,
            description: None,
        }
    }

    fn problem(specs: &[MediaSpec], url: &str) -> Option<(Problem, bool)> {
        let path = parse_url(url).ok()?.path;
        let specs: Vec<&MediaSpec> = specs.iter().collect();
        judge(&specs, &extension(path).0).map(|f| (f.problem, f.spec.warning))
    }

    #[test]
    fn template_document_header_reports_once() {
        let specs = [
            spec(
                "document",
                Some(vec!["txt", "xls", "xlsx", "doc", "ppt", "pdf"]),
                false,
            ),
            spec("document", Some(vec!["pdf"]), false),
        ];
        assert_eq!(problem(&specs, "https://a.co.id/tagihan.pdf"), None);
        assert_eq!(
            problem(&specs, "https://a.co.id/tagihan.xls").map(|p| p.0),
            Some(Problem::NotListed {
                ext: "xls".into(),
                accepted: vec!["pdf"]
            }),
            "Sandeza's list takes it, WhatsApp's PDF-only header does not"
        );
        assert_eq!(
            problem(&specs, "https://a.co.id/tagihan.DOCX?dl=1").map(|p| p.0),
            Some(Problem::NotListed {
                ext: "docx".into(),
                accepted: vec!["txt", "xls", "xlsx", "doc", "ppt", "pdf"]
            }),
            "a .docx is outside Sandeza's own list: that list's finding"
        );
    }

    #[test]
    fn webp_image_is_whatsapps_finding_even_if_listed() {
        let specs = [spec("image", Some(vec!["jpg", "png", "webp"]), false)];
        assert_eq!(
            problem(&specs, "https://a.co.id/promo.webp#x"),
            Some((Problem::Webp, false))
        );
        let mut whatsapp = spec("image", None, true);
        whatsapp.source = Source::Platform;
        let branch = [whatsapp];
        assert_eq!(
            problem(&branch, "https://a.co.id/promo.webp"),
            Some((Problem::Webp, true)),
            "a warning branch keeps its severity"
        );
    }

    #[test]
    fn kind_defaults_and_any() {
        let image = [spec("image", None, false)];
        assert_eq!(problem(&image, "https://a.co.id/a.jpeg"), None);
        assert!(matches!(
            problem(&image, "https://a.co.id/a.gif"),
            Some((Problem::NotListed { .. }, false))
        ));
        let any = [spec("any", None, false)];
        assert_eq!(problem(&any, "https://a.co.id/a.gif"), None);
        assert_eq!(
            problem(&any, "https://a.co.id/media/8812").map(|p| p.0),
            Some(Problem::Missing { accepted: None })
        );
    }
}
