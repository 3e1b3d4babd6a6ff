//! Dates as Dutch users read them, computed the same way on the server and in the browser
//! (no time-zone database needed): Europe/Amsterdam is CET, and CEST from the last Sunday of
//! March to the last Sunday of October, switching at 01:00 UTC.

/// A moment split into its calendar date and time of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateTime {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: i64,
    pub minute: i64,
}

/// `millis` (Unix milliseconds) in UTC.
pub fn utc(millis: i64) -> DateTime {
    let secs = millis.div_euclid(1000);
    let (year, month, day) = civil_from_days(secs.div_euclid(86_400));
    let rem = secs.rem_euclid(86_400);
    DateTime {
        year,
        month,
        day,
        hour: rem / 3600,
        minute: rem % 3600 / 60,
    }
}

/// `millis` in Europe/Amsterdam time.
pub fn amsterdam(millis: i64) -> DateTime {
    utc(millis.saturating_add(amsterdam_offset_secs(millis) * 1000))
}

/// "7 december 2026" (Amsterdam date).
pub fn dutch_long_date(millis: i64) -> String {
    const MONTHS: [&str; 12] = [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ];
    let d = amsterdam(millis);
    let month = MONTHS[usize::try_from(d.month.clamp(1, 12) - 1).unwrap_or(0)];
    format!("{} {month} {}", d.day, d.year)
}

fn amsterdam_offset_secs(millis: i64) -> i64 {
    let secs = millis.div_euclid(1000);
    let (year, _, _) = civil_from_days(secs.div_euclid(86_400));
    let summer_from = last_sunday(year, 3) * 86_400 + 3600;
    let summer_until = last_sunday(year, 10) * 86_400 + 3600;
    if (summer_from..summer_until).contains(&secs) {
        7200
    } else {
        3600
    }
}

/// The day number (days since 1970-01-01) of the last Sunday of a 31-day month.
fn last_sunday(year: i64, month: i64) -> i64 {
    let last = days_from_civil(year, month, 31);
    // 1970-01-01 was a Thursday: weekday 4 when Sunday is 0.
    last - (last + 4).rem_euclid(7)
}

/// Howard Hinnant's civil-to-days algorithm.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Howard Hinnant's days-to-civil algorithm.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = u32::try_from(doy - (153 * mp + 2) / 5 + 1).unwrap_or(1);
    let m = u32::try_from(if mp < 10 { mp + 3 } else { mp - 9 }).unwrap_or(1);
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_dates_round_trip() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(days_from_civil(2026, 12, 7)), (2026, 12, 7));
    }

    #[test]
    fn a_long_dutch_date_in_amsterdam() {
        // 6 December 2026 23:30 UTC is already the 7th in Amsterdam.
        assert_eq!(dutch_long_date(1_796_599_800_000), "7 december 2026");
        assert_eq!(dutch_long_date(1_782_907_200_000), "1 juli 2026");
    }
}
