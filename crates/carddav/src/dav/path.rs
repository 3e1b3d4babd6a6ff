//! The URL layout below the mount point, percent-coding of names, and HTTP dates.

use std::fmt::Write as _;

/// What a path names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Resource {
    Root,
    Principal(String),
    Home(String),
    /// Owner, book.
    Book(String, String),
    /// Owner, book, card.
    Card(String, String, String),
}

impl Resource {
    pub(super) fn owner(&self) -> Option<&str> {
        match self {
            Resource::Root => None,
            Resource::Principal(id)
            | Resource::Home(id)
            | Resource::Book(id, _)
            | Resource::Card(id, _, _) => Some(id),
        }
    }
}

pub(super) fn resolve(path: &str) -> Option<Resource> {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    Some(match segments.as_slice() {
        [] => Resource::Root,
        ["principals", id] => Resource::Principal(decode(id)?),
        ["addressbooks", id] => Resource::Home(decode(id)?),
        ["addressbooks", id, book] => Resource::Book(decode(id)?, decode(book)?),
        ["addressbooks", id, book, file] => {
            let name = decode(file)?;
            let name = name.strip_suffix(".vcf")?.to_owned();
            if name.is_empty() || name.contains('/') {
                return None;
            }
            Resource::Card(decode(id)?, decode(book)?, name)
        }
        _ => return None,
    })
}

/// Percent-decodes one path segment.
pub(super) fn decode(segment: &str) -> Option<String> {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = segment.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Percent-encodes a path segment (RFC 3986 unreserved characters and `@` stay).
pub(super) fn encode(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for b in segment.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~@".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// An RFC 7231 date (`Tue, 03 Nov 2026 10:15:00 GMT`) from Unix milliseconds.
pub fn http_date(millis: i64) -> String {
    let secs = millis.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][days.rem_euclid(7) as usize];
    let month_name = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ][(month - 1) as usize];
    format!(
        "{weekday}, {day:02} {month_name} {year} {:02}:{:02}:{:02} GMT",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_resolve_and_names_round_trip() {
        assert_eq!(resolve("/"), Some(Resource::Root));
        assert_eq!(resolve(""), Some(Resource::Root));
        assert_eq!(
            resolve("/principals/7/"),
            Some(Resource::Principal("7".into()))
        );
        assert_eq!(resolve("/addressbooks/7"), Some(Resource::Home("7".into())));
        assert_eq!(
            resolve("/addressbooks/7/default/"),
            Some(Resource::Book("7".into(), "default".into()))
        );
        assert_eq!(
            resolve("/addressbooks/7/default/ABC%20D%40x.vcf"),
            Some(Resource::Card(
                "7".into(),
                "default".into(),
                "ABC D@x".into()
            ))
        );
        assert_eq!(
            resolve("/addressbooks/7/selectie-3/"),
            Some(Resource::Book("7".into(), "selectie-3".into()))
        );
        assert_eq!(resolve("/addressbooks/7/default/x.txt"), None);
        assert_eq!(resolve("/addressbooks/7/default/%ZZ.vcf"), None);
        assert_eq!(resolve("/elders"), None);
        assert_eq!(encode("ABC D@x/é"), "ABC%20D@x%2F%C3%A9");
    }

    #[test]
    fn http_dates() {
        assert_eq!(http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(
            http_date(1_793_700_900_000),
            "Tue, 03 Nov 2026 10:15:00 GMT"
        );
        assert_eq!(http_date(951_782_400_000), "Tue, 29 Feb 2000 00:00:00 GMT");
    }
}
