//! The few date computations the samples need: now, and ISO 8601 in UTC.

/// Seconds since the Unix epoch.
pub(super) fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// `2022-03-05T11:01:18`, with a `Z` when `zulu`.
pub(super) fn iso_utc(secs: i64, zulu: bool) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}{}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        if zulu { "Z" } else { "" }
    )
}

/// Seconds since the epoch of `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`
/// (the fraction dropped); `None` for anything else.
pub(super) fn parse_iso(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let part = s.get(r)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut rest = s.get(19..)?;
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        rest = fraction.get(digits..)?;
    }
    let offset = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes().first() {
                Some(b'+') => 1,
                Some(b'-') => -1,
                _ => return None,
            };
            let hm = rest.get(1..)?;
            let two = |r: std::ops::Range<usize>| -> Option<i64> {
                let part = hm.get(r)?;
                part.bytes()
                    .all(|c| c.is_ascii_digit())
                    .then(|| part.parse().ok())?
            };
            if hm.len() != 5 || hm.as_bytes()[2] != b':' {
                return None;
            }
            let (h, m) = (two(0..2)?, two(3..5)?);
            if h > 23 || m > 59 {
                return None;
            }
            sign * (h * 3600 + m * 60)
        }
    };
    let days = days_from_civil(year, month, day);
    Some(days * 86_400 + hour * 3600 + minute * 60 + second - offset)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qiscus_sample_times_round_trip() {
        // Qiscus' sample: "started_at": "2022-03-05T10:15:00.000Z" is answered
        // "sent_at": "2022-03-05T10:15:00Z".
        let secs = parse_iso("2022-03-05T10:15:00.000Z");
        assert_eq!(secs, Some(1_646_475_300));
        assert_eq!(iso_utc(1_646_475_300, true), "2022-03-05T10:15:00Z");
        assert_eq!(iso_utc(1_646_478_078, false), "2022-03-05T11:01:18");
    }

    #[test]
    fn offsets_are_converted_to_utc() {
        assert_eq!(
            parse_iso("2022-03-05T17:15:00+07:00"),
            parse_iso("2022-03-05T10:15:00Z")
        );
        assert_eq!(
            parse_iso("2024-02-29T00:30:00-01:00").map(|s| iso_utc(s, true)),
            Some("2024-02-29T01:30:00Z".to_string())
        );
    }

    #[test]
    fn other_forms_are_not_read() {
        for s in [
            "2022-03-05",
            "2022-03-05T10:15:00",
            "2022-13-05T10:15:00Z",
            "2022-03-05T10:15:00.Z",
            "2022-03-05T10:15:00+0700",
            "besok pagi jam 10",
            "2022-03-05T10:15:00Z trailing",
            "２０２２-03-05T10:15:00Z",
        ] {
            assert_eq!(parse_iso(s), None, "{s}");
        }
    }

    #[test]
    fn epoch_and_leap_days() {
        assert_eq!(iso_utc(0, true), "1970-01-01T00:00:00Z");
        assert_eq!(iso_utc(951_782_400, true), "2000-02-29T00:00:00Z");
        assert_eq!(parse_iso("2000-02-29T00:00:00Z"), Some(951_782_400));
    }
}
