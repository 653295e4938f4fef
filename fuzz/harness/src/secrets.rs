//! Payloads with a secret planted under a secret key, broken the ways the
//! bytes say: the secrets targets' input. The secret is made of letters no
//! message of preflight's uses together (`QJZKWV`), and nothing else of the
//! payload holds them, so four of them in a row in an output is a leak.

/// (endpoint, payload with `$S` where the secret goes). The keys name a
/// secret: `signature`, `webhookkey`, `password`, `Qiscus-Secret-Key`,
/// `secretkey`, misspelt ones.
pub const TEMPLATES: &[(Option<&str>, &str)] = &[
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
    (
        Some("chatbot/sendmedia"),
        "{\"nohp\": \"6281234567890\", \"url\": \"https://tokobaju.co.id/a.jpg\", \"password\": [\"$S\", {\"x\": \"$S\"}]}",
    ),
];

/// The secret keys of [`TEMPLATES`]: an edit never lands inside one (it
/// would no longer name a secret, nor its value be one).
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

/// What an edit inserts: JSON tokens, and nothing with an upper-case letter.
const BREAKS: &[&str] = &[
    "\n", "\"", ":", ",", "{", "}", "[", "]", "-", "1x", "\\", "\"a\"", " ", "\\u", "\r", "\u{1b}",
    "é", "//", "/*", "null", "\t",
];

/// A payload with a planted secret.
#[derive(Debug, Clone)]
pub struct Planted {
    /// The endpoint it is checked for (`None`: detected).
    pub endpoint: Option<&'static str>,
    /// The payload's text.
    pub text: String,
    /// The secret value.
    pub secret: String,
}

/// Byte `i` of `text`, moved out of any secret key (to just past it and
/// its closing quote) and onto a character boundary.
fn beside_keys(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    for key in KEYS {
        for (start, _) in text.match_indices(key) {
            let end = start + key.len();
            if i >= start && i <= end {
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

/// The payload `bytes` describe: template, secret, how the value is
/// written, then edits of three bytes (what, where as a fraction of the
/// length in two bytes).
pub fn plant(bytes: &[u8]) -> Planted {
    let get = |i: usize| bytes.get(i).copied().unwrap_or(0);
    let (endpoint, template) = TEMPLATES[usize::from(get(0)) % TEMPLATES.len()];
    let letters = ['Q', 'J', 'Z', 'K', 'W', 'V'];
    let len = 10 + usize::from(get(1) % 10);
    let secret: String = (0..len)
        .map(|i| letters[usize::from(get(2 + i % 8).wrapping_add(i as u8)) % letters.len()])
        .collect();
    let value = match get(10) % 4 {
        0 => secret.clone(),
        1 => format!("{secret}\\\"{secret}"),
        2 => format!("{secret}\"]"),
        _ => format!("{secret}\\n{secret}"),
    };
    let mut text = template.replace("$S", &value);
    for op in bytes.get(11..).unwrap_or_default().chunks_exact(3).take(16) {
        let f = (usize::from(op[1]) << 8) | usize::from(op[2]);
        let i = beside_keys(&text, (text.len() * f) >> 16);
        match op[0] % 4 {
            0 | 1 => {
                let b = BREAKS[usize::from(op[0] / 4) % BREAKS.len()];
                text.insert_str(i, b);
            }
            2 => text.truncate(i),
            _ => {
                if i < text.len() {
                    text.remove(i);
                }
            }
        }
    }
    Planted {
        endpoint,
        text,
        secret,
    }
}
