//! Durations as people write them in policies and commands (`30s`, `10m`,
//! `24h`, `7d`), and UTC timestamps as sanctions show them.
//!
//! One small format everywhere, so that the policy variable, the moderator's
//! `timeoutUser` command and the documentation agree. Timestamps are written
//! in RFC 3339 (`2026-12-01T09:10:00Z`) by hand: the only calendar arithmetic
//! needed is days-to-date, which does not justify a date-time dependency in
//! the functions.

use std::time::Duration;

/// Parses `<whole number><unit>` with unit `s`, `m`, `h` or `d`.
///
/// ```
/// use std::time::Duration;
/// use sanctions::period::parse;
/// assert_eq!(parse("10m"), Ok(Duration::from_secs(600)));
/// assert_eq!(parse("7d"), Ok(Duration::from_secs(7 * 86_400)));
/// assert!(parse("10").unwrap_err().contains("unit"));
/// ```
pub fn parse(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let (number, unit) = text.split_at(digits);
    if number.is_empty() {
        return Err(format!(
            "expected a duration such as 30s, 10m, 24h or 7d, got {text:?}"
        ));
    }
    let scale = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3_600,
        "d" => 86_400,
        "" => {
            return Err(format!(
                "{text:?} has no unit: write s, m, h or d after the number (10m)"
            ))
        }
        other => return Err(format!("unknown unit {other:?}: expected s, m, h or d")),
    };
    let n: u64 = number
        .parse()
        .map_err(|_| format!("{number:?} is too large"))?;
    if n == 0 {
        return Err(format!("{text:?} is zero: a duration must be positive"));
    }
    n.checked_mul(scale)
        .map(Duration::from_secs)
        .ok_or_else(|| format!("{text:?} is too large"))
}

/// Writes a duration in the largest unit that divides it (`600s` is `10m`).
///
/// ```
/// use std::time::Duration;
/// assert_eq!(sanctions::period::format(Duration::from_secs(86_400)), "1d");
/// assert_eq!(sanctions::period::format(Duration::from_secs(90)), "90s");
/// ```
pub fn format(duration: Duration) -> String {
    let s = duration.as_secs();
    for (unit, scale) in [("d", 86_400), ("h", 3_600), ("m", 60)] {
        if s > 0 && s.is_multiple_of(scale) {
            return format!("{}{unit}", s / scale);
        }
    }
    format!("{s}s")
}

/// Milliseconds since the Unix epoch as RFC 3339 UTC, to the second.
///
/// ```
/// assert_eq!(sanctions::period::rfc3339(0), "1970-01-01T00:00:00Z");
/// assert_eq!(sanctions::period::rfc3339(1_796_115_600_000), "2026-12-01T09:00:00Z");
/// ```
pub fn rfc3339(epoch_ms: i64) -> String {
    let secs = epoch_ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

/// Howard Hinnant's days-to-civil algorithm (proleptic Gregorian).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// The current time in milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// `duration` in milliseconds, saturating.
pub fn millis(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_round_trip_and_bad_ones_say_why() {
        for text in ["30s", "10m", "25h", "7d", "90s"] {
            assert_eq!(format(parse(text).unwrap()), text);
        }
        assert!(parse("0m").unwrap_err().contains("zero"));
        assert!(parse("5w").unwrap_err().contains("unknown unit"));
        assert!(parse("m").unwrap_err().contains("expected a duration"));
        assert!(parse("99999999999999999999d")
            .unwrap_err()
            .contains("too large"));
    }

    #[test]
    fn timestamps_cross_leap_years_and_month_ends() {
        assert_eq!(rfc3339(951_782_400_000), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(1_709_251_199_000), "2024-02-29T23:59:59Z");
        assert_eq!(rfc3339(1_735_689_600_000), "2025-01-01T00:00:00Z");
        assert_eq!(rfc3339(-1000), "1969-12-31T23:59:59Z");
    }
}
