//! No secret reaches any output format, however broken the payload.
//!
//! Payloads holding a secret value under a secret key (`signature`,
//! `webhookkey`, `password`, `Qiscus-Secret-Key`, misspelt ones) are broken
//! the ways fuzzing found: the key and its value split across lines, stray
//! quotes, truncation at any byte, a value of the wrong type. Each is checked
//! and rendered in every format, and no four consecutive characters of the
//! secret may appear in what is printed. Secrets are drawn from letters that
//! no message of preflight's uses together, so a hit is a leak.

#![allow(clippy::unwrap_used, reason = "tests")]

use preflight::render::{self, FileResult, Format};
use preflight::{Options, Origin};
use proptest::prelude::*;

/// Renders one payload's report in every format, as the CLI does.
fn outputs(endpoint: Option<&str>, text: &str) -> Vec<String> {
    let endpoint = endpoint.map(|id| preflight::endpoint(id).unwrap());
    let findings = preflight::check(
        text.as_bytes(),
        endpoint,
        &Options::default(),
        Origin::default(),
    )
    .unwrap()
    .findings;
    let files = [FileResult {
        path: "fixtures/payload.json".to_string(),
        endpoint: endpoint.map(|e| e.id.to_string()),
        payloads: 1,
        findings,
    }];
    [
        Format::Text,
        Format::Json,
        Format::Sarif,
        Format::Github,
        Format::Concise,
    ]
    .into_iter()
    .map(|f| render::render(f, &files, false))
    .collect()
}

fn assert_hidden(secret: &str, endpoint: Option<&str>, text: &str) {
    for out in outputs(endpoint, text) {
        let chars: Vec<char> = secret.chars().collect();
        for w in chars.windows(4) {
            let piece: String = w.iter().collect();
            assert!(
                !out.contains(&piece),
                "`{piece}` of the secret is shown for {text:?}:\n{out}"
            );
        }
    }
}

/// (endpoint, payload template with `$S` where the secret value goes).
const TEMPLATES: &[(Option<&str>, &str)] = &[
    (
        Some("sandeza/send"),
        "{\n  \"signature\": \"$S\",\n  \"time\": \"1764133337\",\n  \"type\": \"2\",\n  \"username\": \"tokobaju_fin\",\n  \"ref_id\": \"inv202611250142\"\n}",
    ),
    (
        Some("chatbot/webhook"),
        "{\"keyword\": \"penawaran\", \"data\": {\"nama\": \"Siti\", \"nohp\": \"6281311122233\"}, \"webhookkey\": \"$S\", \"from\": \"6281311122233\"}",
    ),
    (
        Some("chatbot/sendwa"),
        "{\"nohp\": \"6281234567890\", \"pesan\": \"[OTP] 482913\", \"password\": \"$S\"}",
    ),
    (
        Some("qiscus/send-broadcast"),
        "{\n  \"Qiscus-Secret-Key\": \"$S\",\n  \"broadcast_job_id\": 12\n}",
    ),
    (
        Some("oca/push-message"),
        "{\"phone_number\": \"6281234567890\", \"signatur\": \"$S\", \"message\": {\"type\": \"template\"}}",
    ),
    (
        None,
        "{\"api_key\": \"$S\", \"secretkey\": \"$S\", \"token\": \"$S\"}",
    ),
];

/// Ways the value itself is written.
fn value_forms(secret: &str) -> Vec<String> {
    vec![
        secret.to_string(),
        format!("{secret}\\\"{secret}"),
        format!("{secret}\"]"),
    ]
}

/// A secret value: letters no message or rule doc uses together (`X` is
/// left out: rule docs quote masks such as `XXXXL`).
fn secret() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        proptest::sample::select(vec!['Q', 'J', 'Z', 'K', 'W', 'V']),
        10..20,
    )
    .prop_map(|c| c.into_iter().collect())
}

/// One way of breaking a text.
#[derive(Debug, Clone)]
enum Break {
    /// Insert a line break (after whitespace or punctuation) at this fraction.
    Newline(f64),
    /// Insert a stray quote.
    Quote(f64),
    /// Insert a JSON token.
    Token(f64, &'static str),
    /// Cut the text here.
    Truncate(f64),
    /// Delete a byte.
    Delete(f64),
}

fn breaks() -> impl Strategy<Value = Vec<Break>> {
    let one = prop_oneof![
        (0.0..1.0f64).prop_map(Break::Newline),
        (0.0..1.0f64).prop_map(Break::Quote),
        (
            0.0..1.0f64,
            proptest::sample::select(vec![
                ":", ",", "{", "}", "[", "]", "-", "1x", "\\", "\"a\"", " "
            ])
        )
            .prop_map(|(f, t)| Break::Token(f, t)),
        (0.0..1.0f64).prop_map(Break::Truncate),
        (0.0..1.0f64).prop_map(Break::Delete),
    ];
    proptest::collection::vec(one, 0..5)
}

/// The secret key names of the templates: a break inside one makes it no
/// longer a secret key (and its value no longer a secret), so breaks land
/// beside them, never inside.
const KEYS: &[&str] = &[
    "signature",
    "webhookkey",
    "password",
    "Qiscus-Secret-Key",
    "signatur",
    "api_key",
    "secretkey",
    "token",
];

fn at(text: &str, f: f64) -> usize {
    let mut i = ((text.len() as f64) * f) as usize;
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    for key in KEYS {
        for (start, _) in text.match_indices(key) {
            let end = start + key.len();
            if i >= start && i <= end {
                // Past the key's closing quote: nothing is added to the name.
                return if text[end..].starts_with('"') {
                    end + 1
                } else {
                    end
                };
            }
        }
    }
    i
}

fn apply(mut text: String, breaks: &[Break]) -> String {
    for b in breaks {
        match b {
            Break::Newline(f) => text.insert(at(&text, *f), '\n'),
            Break::Quote(f) => text.insert(at(&text, *f), '"'),
            Break::Token(f, t) => text.insert_str(at(&text, *f), t),
            Break::Truncate(f) => text.truncate(at(&text, *f)),
            Break::Delete(f) => {
                let i = at(&text, *f);
                if i < text.len() {
                    text.remove(i);
                }
            }
        }
    }
    text
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn no_secret_in_any_format(
        secret in secret(),
        template in 0..TEMPLATES.len(),
        form in 0..3usize,
        breaks in breaks(),
    ) {
        let (endpoint, template) = TEMPLATES[template];
        let value = value_forms(&secret)[form].clone();
        let text = apply(template.replace("$S", &value), &breaks);
        assert_hidden(&secret, endpoint, &text);
    }
}

#[test]
fn the_cases_fuzzing_found() {
    for text in [
        "{\"time\": -\"a\"signature\": \"QJXZKWVQJXZK\"}",
        "{\"signature\"\n: \"QJXZKWVQJXZK\", \"time\": -1x}",
        "{\"signature\":\n\"QJXZKWVQJXZK\" \"time\": 1}",
    ] {
        assert_hidden("QJXZKWVQJXZK", Some("sandeza/send"), text);
    }
}

#[test]
fn truncated_at_every_byte() {
    let secret = "QJXZKWVQJXZKWV";
    for (endpoint, template) in TEMPLATES {
        let text = template.replace("$S", secret);
        for cut in 0..=text.len() {
            if text.is_char_boundary(cut) {
                assert_hidden(secret, *endpoint, &text[..cut]);
            }
        }
    }
}

#[test]
fn secret_values_of_every_type() {
    let secret = "QJXZKWVQJXZKWV";
    for value in [
        format!("[\"{secret}\"]"),
        format!("{{\"v\": \"{secret}\"}}"),
        format!("[[\"{secret}\", 1]]"),
        format!("\"{secret}\\n\""),
    ] {
        let text = format!(
            "{{\"signature\": {value}, \"time\": \"1764133337\", \"type\": \"2\", \"username\": \"budi\"}}"
        );
        assert_hidden(secret, Some("sandeza/send"), &text);
        let text =
            format!("{{\"nohp\": \"6281234567890\", \"pesan\": \"Halo\", \"secretkey\": {value}}}");
        assert_hidden(secret, Some("chatbot/sendwa"), &text);
    }
}
