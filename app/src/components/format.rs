//! Dates and sizes as the pages show them: UTC and Europe/Amsterdam dates computed the same
//! way on the server and in the browser, and file sizes in KB/MB.

/// "27-11-2026 10:31" in the browser's zone is not known on the server; show UTC dates.
pub fn format_date(millis: i64) -> String {
    let secs = millis.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let rem = secs.rem_euclid(86_400);
    format!("{d:02}-{m:02}-{y} {:02}:{:02}", rem / 3600, rem % 3600 / 60)
}

/// A moment as a Dutch user reads it: Europe/Amsterdam time, "27-11-2026 10:51". Computed the
/// same way on the server and in the browser (no time-zone database needed: CET, and CEST from
/// the last Sunday of March to the last Sunday of October, switching at 01:00 UTC).
pub fn format_local_date(millis: i64) -> String {
    format_date(millis.saturating_add(amsterdam_offset_secs(millis) * 1000))
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

/// "12 KB", "1,4 MB" (Dutch decimal comma).
pub fn format_size(bytes: u64, locale: postkamer_domain::Locale) -> String {
    const MB: u64 = 1024 * 1024;
    if bytes < MB {
        return format!("{} KB", bytes.div_ceil(1024).max(1));
    }
    let tenths = (bytes * 10 + MB / 2) / MB;
    let text = format!("{}.{}", tenths / 10, tenths % 10);
    match locale {
        postkamer_domain::Locale::Nl => format!("{} MB", text.replace('.', ",")),
        postkamer_domain::Locale::En => format!("{text} MB"),
    }
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
    #[test]
    fn formats_dates() {
        assert_eq!(super::format_date(0), "01-01-1970 00:00");
        assert_eq!(super::format_date(1_795_776_660_000), "27-11-2026 10:51");
    }

    #[test]
    fn dates_in_dutch_time() {
        use super::format_local_date as local;
        assert_eq!(local(1_795_773_060_000), "27-11-2026 10:51");
        assert_eq!(local(1_782_907_200_000), "01-07-2026 14:00");
        // Summer time starts 29 March 2026 at 01:00 UTC and ends 25 October 2026 at 01:00 UTC.
        assert_eq!(local(1_774_745_940_000), "29-03-2026 01:59");
        assert_eq!(local(1_774_746_000_000), "29-03-2026 03:00");
        assert_eq!(local(1_792_889_940_000), "25-10-2026 02:59");
        assert_eq!(local(1_792_890_000_000), "25-10-2026 02:00");
        assert_eq!(super::days_from_civil(1970, 1, 1), 0);
    }

    #[test]
    fn sizes() {
        use postkamer_domain::Locale;
        assert_eq!(super::format_size(10, Locale::Nl), "1 KB");
        assert_eq!(super::format_size(12_000, Locale::Nl), "12 KB");
        assert_eq!(super::format_size(1_468_006, Locale::Nl), "1,4 MB");
        assert_eq!(super::format_size(1_468_006, Locale::En), "1.4 MB");
    }
}
