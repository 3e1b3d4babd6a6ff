//! Dates and sizes as the pages show them: UTC and Europe/Amsterdam dates computed the same
//! way on the server and in the browser, and file sizes in KB/MB.

use postkamer_domain::calendar;

/// "27-11-2026 10:31" in the browser's zone is not known on the server; show UTC dates.
pub fn format_date(millis: i64) -> String {
    numeric(calendar::utc(millis))
}

/// A moment as a Dutch user reads it: Europe/Amsterdam time, "27-11-2026 10:51" (see
/// [`calendar`]).
pub fn format_local_date(millis: i64) -> String {
    numeric(calendar::amsterdam(millis))
}

fn numeric(t: calendar::DateTime) -> String {
    format!(
        "{:02}-{:02}-{} {:02}:{:02}",
        t.day, t.month, t.year, t.hour, t.minute
    )
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
