//! Which documented route a request line is for ([`lookup`]): the path is
//! `/<provider><path under the provider's base URL>`, as `preflight serve`
//! serves it; and the findings of a request no route takes
//! ([`Lookup::report`], [`too_large`]).

use super::{ROUTES, Route};
use crate::engine::pipeline;
use crate::{Diagnostic, Options, Report, Severity, Source};
use std::sync::LazyLock;

/// The rule of a request whose path or method no provider documents.
pub const UNDOCUMENTED_ROUTE: &str = "undocumented-route";

/// What a request line matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// A documented route, with its path parameters (`channel`).
    Found {
        /// The route.
        route: &'static Route,
        /// The path parameters, in order, percent-decoded.
        params: Vec<(String, String)>,
        /// The path under the provider prefix (`/api/sendwa`).
        under: String,
    },
    /// The path is documented, for other methods.
    WrongMethod {
        /// The methods the path takes.
        allowed: Vec<&'static str>,
        /// The route the path names (the first of them).
        route: &'static Route,
    },
    /// No documented route has this path.
    NotFound {
        /// The documented route whose path is nearest, as `METHOD /provider/path`.
        nearest: Option<String>,
    },
}

/// A route as `preflight serve` serves it: `POST /chatbot/api/sendwa`.
pub fn served(route: &Route) -> String {
    format!("{} /{}{}", route.method, route.provider, route.path)
}

/// Finds the route for `method` and `path` (the request target's path,
/// without the query; a trailing `/` is ignored).
///
/// ```
/// use preflight::http::{self, Lookup};
/// assert!(matches!(http::lookup("POST", "/chatbot/api/sendwa"),
///     Lookup::Found { route, .. } if route.id == "chatbot/sendwa"));
/// assert_eq!(http::lookup("POST", "/chatbot/api/sendwha"),
///     Lookup::NotFound { nearest: Some("POST /chatbot/api/sendwa".into()) });
/// ```
pub fn lookup(method: &str, path: &str) -> Lookup {
    let trimmed = path.trim_end_matches('/');
    let mut allowed = Vec::new();
    let mut path_route = None;
    if let Some((provider, under)) = split_provider(trimmed) {
        for route in ROUTES.iter().filter(|r| r.provider == provider) {
            let Some(params) = matches(route.path, under) else {
                continue;
            };
            if route.method.eq_ignore_ascii_case(method) {
                return Lookup::Found {
                    route,
                    params,
                    under: under.to_string(),
                };
            }
            allowed.push(route.method);
            path_route.get_or_insert(route);
        }
    }
    if let Some(route) = path_route {
        allowed.dedup();
        return Lookup::WrongMethod { allowed, route };
    }
    Lookup::NotFound {
        nearest: nearest(method, trimmed),
    }
}

impl Lookup {
    /// The `undocumented-route` finding of a request line no route takes
    /// (none when a route takes it), with `options`' levels applied. The
    /// method and path are shown with control characters escaped.
    ///
    /// ```
    /// use preflight::http;
    /// let report = http::lookup("GET", "/sandeza/json/send/cgw")
    ///     .report("GET", "/sandeza/json/send/cgw", &preflight::Options::default());
    /// assert_eq!(report.diagnostics[0].rule, "undocumented-route");
    /// assert!(report.diagnostics[0].message.contains("takes POST"));
    /// ```
    pub fn report(&self, method: &str, path: &str, options: &Options) -> Report {
        let shown = |s: &str| crate::render::escape_controls(s).into_owned();
        let diagnostic = match self {
            Lookup::Found { .. } => return Report::default(),
            Lookup::WrongMethod { allowed, route } => finding(format!(
                "`{}` takes {}, not {}: the provider answers 405 or 404",
                shown(path),
                allowed.join(", "),
                shown(method)
            ))
            .with_help(format!("send {} (the route `{}`)", served(route), route.id)),
            Lookup::NotFound { nearest } => {
                let d = finding(format!(
                    "no provider documents `{} {}`: the provider answers 404",
                    shown(method),
                    shown(path)
                ));
                match nearest {
                    Some(nearest) => d.with_help(format!(
                        "did you mean `{nearest}`? Routes are under /<provider>: the provider's base URL is http://HOST:PORT/<provider>"
                    )),
                    None => d.with_help(
                        "routes are under /<provider>: the provider's base URL is http://HOST:PORT/<provider>",
                    ),
                }
            }
        };
        let mut out = vec![diagnostic];
        pipeline::apply_levels(&mut out, options);
        Report { diagnostics: out }
    }
}

/// The `payload-too-large` finding of a request body over `limit` bytes
/// (`declared`: the length its `Content-Length` gave, when it gave one),
/// with `options`' levels applied.
///
/// ```
/// let report = preflight::http::too_large(1024, Some(4096), &preflight::Options::default());
/// assert_eq!(report.diagnostics[0].rule, "payload-too-large");
/// assert_eq!(report.error_count(), 1);
/// ```
pub fn too_large(limit: usize, declared: Option<u64>, options: &Options) -> Report {
    let size = match declared {
        Some(n) => format!("the request body is {n} bytes"),
        None => "the request body is longer".to_string(),
    };
    let mut out = vec![
        Diagnostic::new(
            "payload-too-large",
            Severity::Error,
            "",
            format!("{size}, over the limit of {limit} bytes; it was not read"),
        )
        .with_source(Source::Provider)
        .with_help(
            "send one message a request, with media as a URL the provider fetches; \
             `preflight serve --max-body BYTES` raises the stand-in's limit",
        ),
    ];
    pipeline::apply_levels(&mut out, options);
    Report { diagnostics: out }
}

fn finding(message: String) -> Diagnostic {
    Diagnostic::new(UNDOCUMENTED_ROUTE, Severity::Error, "", message).with_source(Source::Provider)
}

fn split_provider(path: &str) -> Option<(&str, &str)> {
    let rest = path.strip_prefix('/')?;
    let (provider, under) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    Some((provider, under))
}

/// The path parameters when `pattern` (`/a/{x}/b`) matches `path`.
fn matches(pattern: &str, path: &str) -> Option<Vec<(String, String)>> {
    let mut params = Vec::new();
    let mut pattern_parts = pattern.split('/');
    let mut path_parts = path.split('/');
    loop {
        match (pattern_parts.next(), path_parts.next()) {
            (None, None) => return Some(params),
            (Some(p), Some(s)) => {
                if let Some(name) = p.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
                    if s.is_empty() {
                        return None;
                    }
                    params.push((name.to_string(), percent_decode(s)));
                } else if p != s {
                    return None;
                }
            }
            _ => return None,
        }
    }
}

/// How many characters of an asked path [`nearest`] compares: a path
/// longer than any route by this much is no typo of one, and a client's
/// megabyte path costs no more than a long one.
const NEAREST_CHARS: usize = 512;

/// The documented route nearest to what was asked for: the least edit
/// distance (in characters, letters' case ignored) from the asked path to
/// the route's `/<provider><path>`, one more for another method; the first
/// in [`ROUTES`] on a tie. Routes are tried from the least possible distance
/// up (the difference in length), each only as far as it could still win,
/// so a request costs a few short comparisons, not one full one per route.
fn nearest(method: &str, path: &str) -> Option<String> {
    static FULL: LazyLock<Vec<Vec<char>>> = LazyLock::new(|| {
        ROUTES
            .iter()
            .map(|r| {
                format!("/{}{}", r.provider, r.path)
                    .to_ascii_lowercase()
                    .chars()
                    .collect()
            })
            .collect()
    });
    let asked: Vec<char> = path
        .chars()
        .take(NEAREST_CHARS)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    // (least possible distance, index, the method's extra one), in order.
    let mut order: Vec<(usize, usize, usize)> = FULL
        .iter()
        .zip(ROUTES)
        .enumerate()
        .map(|(i, (full, route))| {
            let extra = usize::from(!route.method.eq_ignore_ascii_case(method));
            (asked.len().abs_diff(full.len()) + extra, i, extra)
        })
        .collect();
    order.sort_unstable();
    // (distance with the method's, index) of the best so far.
    let mut best: Option<(usize, usize)> = None;
    for (bound, i, extra) in order {
        let limit = match best {
            None => usize::MAX,
            Some((distance, _)) if bound > distance => break,
            // `bound` includes `extra`: no underflow. A later route must be
            // nearer; an earlier one may tie.
            Some((distance, j)) if i < j => distance - extra,
            Some((distance, _)) if distance > extra => distance - extra - 1,
            Some(_) => continue,
        };
        let Some(full) = FULL.get(i) else { continue };
        if let Some(d) = edit_distance_within(&asked, full, limit) {
            best = Some((d + extra, i));
        }
    }
    best.and_then(|(_, i)| ROUTES.get(i)).map(served)
}

/// The Levenshtein distance between `a` and `b` when it is at most `limit`
/// (a row of the table whose least entry passes `limit` ends the count).
fn edit_distance_within(a: &[char], b: &[char], limit: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diagonal = i;
        let mut left = i + 1;
        let mut least = left;
        for (cb, cell) in b.iter().zip(row.iter_mut().skip(1)) {
            let above = *cell;
            let here = (above + 1)
                .min(left + 1)
                .min(diagonal + usize::from(ca != cb));
            *cell = here;
            diagonal = above;
            left = here;
            least = least.min(here);
        }
        if let Some(first) = row.first_mut() {
            *first = i + 1;
        }
        if least > limit {
            return None;
        }
    }
    row.last().copied().filter(|&d| d <= limit)
}

/// `s` with `%XX` escapes decoded (invalid UTF-8 replaced).
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let (Some(h), Some(l)) = (
                bytes.get(i + 1).and_then(|b| hex(*b)),
                bytes.get(i + 2).and_then(|b| hex(*b)),
            )
        {
            out.push(h * 16 + l);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::panic, reason = "tests")]
    use super::*;

    #[test]
    fn finds_documented_routes_and_parameters() {
        match lookup(
            "POST",
            "/3dolphins/dolphin/apiv1/graph/broadcast/verify/wa-01%20x",
        ) {
            Lookup::Found { route, params, .. } => {
                assert_eq!(route.id, "3dolphins/verify-phone");
                assert_eq!(params, vec![("channel".into(), "wa-01 x".into())]);
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            lookup("POST", "/chatbot/api/getqr/"),
            Lookup::Found { route, .. } if route.id == "chatbot/getqr"
        ));
    }

    /// The nearest route as a full comparison with every route finds it.
    fn nearest_by_every_comparison(method: &str, path: &str) -> Option<String> {
        let asked: String = path
            .chars()
            .take(NEAREST_CHARS)
            .collect::<String>()
            .to_ascii_lowercase();
        ROUTES
            .iter()
            .map(|r| {
                let full = format!("/{}{}", r.provider, r.path).to_ascii_lowercase();
                let distance = strsim::levenshtein(&asked, &full)
                    + usize::from(!r.method.eq_ignore_ascii_case(method));
                (distance, r)
            })
            .min_by_key(|(d, _)| *d)
            .map(|(_, r)| served(r))
    }

    #[test]
    fn the_nearest_route_is_the_one_every_comparison_finds() {
        let mut paths: Vec<String> = vec![
            String::new(),
            "/".into(),
            "x".into(),
            "/chatbot/api/sendwha".into(),
            "/CHATBOT/API/SENDWA".into(),
            "/sandeza/json/send".into(),
            "/qiscus/api/v2/broadcast".into(),
            "/oca/api/v2/push/message".into(),
            "/3dolphins/dolphin/apiv1/graph/broadcast".into(),
            "/api/sendwa".into(),
            "/sandéza/jsön/send/cgw".into(),
            "/wa/pesan/kirim?nomor=62812xxxx5678".into(),
            "/chatbot/api/sendwa/chatbot/api/sendwa".into(),
            "a".repeat(600),
            format!("/qiscus{}", "/x".repeat(400)),
        ];
        for route in ROUTES {
            let full = format!("/{}{}", route.provider, route.path);
            paths.push(full.replace(['{', '}'], ""));
            paths.push(format!("{full}s"));
            paths.push(full.chars().skip(3).collect());
            paths.push(full.to_uppercase());
        }
        for path in &paths {
            for method in ["GET", "POST", "PUT", "DELETE", "post", ""] {
                assert_eq!(
                    nearest(method, path),
                    nearest_by_every_comparison(method, path),
                    "{method} {path}"
                );
            }
        }
    }

    #[test]
    fn a_megabyte_path_is_compared_by_its_first_characters() {
        let path = format!("/chatbot/api/sendwha{}", "x".repeat(1 << 20));
        assert_eq!(
            nearest("POST", &path),
            nearest(
                "POST",
                &path.chars().take(NEAREST_CHARS).collect::<String>()
            )
        );
    }

    #[test]
    fn names_the_nearest_route_and_allowed_methods() {
        match lookup("POST", "/chatbot/api/sendwha") {
            Lookup::NotFound { nearest } => {
                assert_eq!(nearest.as_deref(), Some("POST /chatbot/api/sendwa"));
            }
            other => panic!("{other:?}"),
        }
        match lookup("GET", "/sandeza/json/send/cgw") {
            Lookup::WrongMethod { allowed, .. } => assert_eq!(allowed, vec!["POST"]),
            other => panic!("{other:?}"),
        }
    }
}
