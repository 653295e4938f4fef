//! Which documented route a request is for: `/<provider>/<path under the
//! provider's base URL>`, matched against [`preflight::http::ROUTES`].

use preflight::http::{ROUTES, Route};

/// What the request line matched.
#[derive(Debug)]
pub enum Lookup {
    /// A documented route, with its path parameters (`channel`).
    Found {
        /// The route.
        route: &'static Route,
        /// The path parameters, in order.
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

/// The prefix a provider's routes are served under (`/sandeza`).
pub fn prefix(provider: &str) -> String {
    format!("/{provider}")
}

/// A route as the server serves it: `POST /chatbot/api/sendwa`.
pub fn served(route: &Route) -> String {
    format!("{} /{}{}", route.method, route.provider, route.path)
}

/// Finds the route for `method` and `path` (the request target's path, without the query).
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

/// The documented route nearest to what was asked for.
fn nearest(method: &str, path: &str) -> Option<String> {
    let asked = path.to_ascii_lowercase();
    ROUTES
        .iter()
        .map(|r| {
            let full = format!("/{}{}", r.provider, r.path);
            let mut distance = strsim::levenshtein(&asked, &full.to_ascii_lowercase());
            if !r.method.eq_ignore_ascii_case(method) {
                distance += 1;
            }
            (distance, r)
        })
        .min_by_key(|(d, _)| *d)
        .map(|(_, r)| served(r))
}

fn percent_decode(s: &str) -> String {
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

/// The query string's pairs, percent-decoded (`+` as a space).
pub fn query_pairs(query: Option<&str>) -> Vec<(String, String)> {
    query
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (
                percent_decode(&k.replace('+', " ")),
                percent_decode(&v.replace('+', " ")),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
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

    #[test]
    fn query_pairs_decode() {
        assert_eq!(
            query_pairs(Some("id=abc%2F1&x=a+b&flag")),
            vec![
                ("id".into(), "abc/1".into()),
                ("x".into(), "a b".into()),
                ("flag".into(), String::new())
            ]
        );
    }
}
