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
    let text = rehome(text, &secret);
    Planted {
        endpoint,
        text,
        secret,
    }
}

/// `text` with every occurrence of `secret` that the edits moved under a
/// key of its own written in lower case: one on a line that plainly begins
/// the next member (`x--: "…"`, `, "a": "…"`) with no secret key before
/// it on that line, or below such a line and no secret key between. Such a
/// value is that key's, not the secret key's (`"secretkey":1⏎x--: "…"`):
/// preflight hides values by their keys, and the lexical mask's run-on
/// past a secret's line ends where a line begins a member
/// (docs/reliability.md, finding 10). In lower case its letters are no
/// longer looked for.
fn rehome(text: String, secret: &str) -> String {
    let homeless: Vec<usize> = text
        .match_indices(secret)
        .map(|(at, _)| at)
        .filter(|&at| under_another_key(&text[..at]))
        .collect();
    if homeless.is_empty() {
        return text;
    }
    let mut out = text;
    for at in homeless {
        let lowered = out[at..at + secret.len()].to_ascii_lowercase();
        out.replace_range(at..at + secret.len(), &lowered);
    }
    out
}

/// True when what comes just after `before` (the text up to a value) stands
/// under a key that is not secret: reading up from its line, a line that
/// begins a member of another key comes before one with a secret key in it.
fn under_another_key(before: &str) -> bool {
    let mut lines = before.rsplit('\n');
    // The value's own line, up to the value.
    let Some(own) = lines.next() else {
        return false;
    };
    std::iter::once(own).chain(lines).find_map(|line| {
        if KEYS.iter().any(|k| line.contains(k)) {
            Some(false)
        } else if begins_member(line) {
            Some(true)
        } else {
            None
        }
    }) == Some(true)
}

/// A line that begins with a key and its colon, after a comma at most:
/// `"x": …`, `, "x": …`, `x--: …` (a quoted key without escapes, or a bare
/// one of letters, digits, `_` and `-`).
fn begins_member(line: &str) -> bool {
    let rest = line.trim_start();
    let rest = rest.strip_prefix(',').map_or(rest, str::trim_start);
    let after = if let Some(quoted) = rest.strip_prefix('"') {
        match quoted.find('"') {
            Some(close) if !quoted[..close].contains('\\') => &quoted[close + 1..],
            _ => return false,
        }
    } else {
        let word = rest
            .bytes()
            .take_while(|&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
            .count();
        if word == 0 {
            return false;
        }
        &rest[word..]
    };
    after.trim_start().starts_with(':')
}

#[cfg(test)]
mod tests {
    use super::rehome;

    const S: &str = "QJZKWVQJZK";

    fn lowered(text: &str) -> String {
        rehome(text.replace("$S", S), S)
    }

    #[test]
    fn a_secret_under_a_key_of_its_own_is_lowered_and_only_that_one() {
        // The render target's input that found it (finding 10).
        let text = "{\"api_key\":\n\"$S\", \"secretkey\":1\nx--: \"$S\", \"token\": \"$S\"}";
        let out = lowered(text);
        assert_eq!(out.matches(S).count(), 2, "{out}");
        assert!(out.contains("x--: \"qjzkwvqjzk\""), "{out}");
        let out = lowered("{\"password\": 1\n, \"a\": \"$S\"}");
        assert!(!out.contains(S), "{out}");
    }

    #[test]
    fn a_secret_still_under_its_key_stays_looked_for() {
        for text in [
            // The value on the line after its key.
            "{\"signature\":\n  \"$S\"}",
            // The rest of a secret, cut by a stray quote and a line break
            // (finding 7): a stray string, not a member.
            "{\"password\": \"$S\"\n\", {\"x\": \"$S\"}",
            // A member of another key before the secret key, on its line.
            "{\"x\": 1, \"secretkey\": \"$S\"}",
            "{\"time\": 1,\n\"webhookkey\": 1\nnull \"$S\"}",
        ] {
            let out = lowered(text);
            assert_eq!(out, text.replace("$S", S));
        }
    }
}
