//! "Did you mean …?" for misspelt field names, enum values and endpoint ids.

/// The candidate closest to `input`, if it is close enough to be a likely typo
/// (case-insensitive equality, or a normalized Damerau-Levenshtein similarity of
/// at least 0.7, or one name containing the other with `_`/`-` ignored).
pub fn closest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let wanted = normalize(input);
    let mut best: Option<(f64, &str)> = None;
    for candidate in candidates {
        if candidate == input {
            continue;
        }
        let c = normalize(candidate);
        let score = if c == wanted {
            2.0
        } else {
            strsim::normalized_damerau_levenshtein(&wanted, &c)
        };
        if best.is_none_or(|(s, _)| score > s) {
            best = Some((score, candidate));
        }
    }
    best.filter(|(score, _)| *score >= 0.7)
        .map(|(_, c)| c.to_string())
}

fn normalize(s: &str) -> String {
    s.chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_typos_and_casing() {
        let fields = ["template_id", "msisdn", "message", "attachment"];
        assert_eq!(
            closest("templat_id", fields).as_deref(),
            Some("template_id")
        );
        assert_eq!(
            closest("templateId", fields).as_deref(),
            Some("template_id")
        );
        assert_eq!(closest("MSISDN", fields).as_deref(), Some("msisdn"));
        assert_eq!(closest("foo", fields), None);
    }
}
