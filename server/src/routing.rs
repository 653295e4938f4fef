//! Which documented route a request is for: `/<provider>/<path under the
//! provider's base URL>`, matched by [`preflight::http::lookup`] (the
//! library's, so that a request no route takes is a finding like any other).

use preflight::http::percent_decode;
pub use preflight::http::{Lookup, lookup, served};

/// The prefix a provider's routes are served under (`/sandeza`).
pub fn prefix(provider: &str) -> String {
    format!("/{provider}")
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
