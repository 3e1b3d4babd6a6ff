//! Small pieces of IMAP syntax: quoted names, dates, compact UID sets, COPYUID lookups, and the
//! server's text out of a response.

use async_imap::imap_proto::rfc4315::UidSetMember;
use async_imap::imap_proto::{Outcome, Response, ResponseCode};

use super::Flags;
use super::error::{BadInput, ImapError};

/// The mailbox name as an IMAP quoted string. Refuses empty names, line breaks, NUL and
/// non-ASCII (mailbox names from LIST are modified UTF-7, so always ASCII).
pub(crate) fn quote_mailbox(name: &str) -> Result<String, ImapError> {
    quote(name, BadInput::FolderName)
}

/// `value` as an IMAP quoted string; `invalid` when it is empty, long, or not plain ASCII on
/// one line.
pub(crate) fn quote(name: &str, invalid: BadInput) -> Result<String, ImapError> {
    let valid = !name.is_empty()
        && name.len() <= 1000
        && name
            .bytes()
            .all(|b| b.is_ascii() && b != b'\r' && b != b'\n' && b != 0);
    if !valid {
        return Err(ImapError::InvalidInput(invalid));
    }
    let mut quoted = String::with_capacity(name.len() + 2);
    quoted.push('"');
    for c in name.chars() {
        if c == '"' || c == '\\' {
            quoted.push('\\');
        }
        quoted.push(c);
    }
    quoted.push('"');
    Ok(quoted)
}

/// `(year, month, day)` as an IMAP search date, e.g. `5-Mar-2024`.
pub(crate) fn imap_date((year, month, day): (i32, u8, u8)) -> Result<String, ImapError> {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => 0,
    };
    if !(1..=9999).contains(&year) || day == 0 || day > days_in_month {
        return Err(ImapError::InvalidInput(BadInput::Date));
    }
    let name = MONTHS[usize::from(month - 1)];
    Ok(format!("{day}-{name}-{year:04}"))
}

/// The flag list for APPEND: `()`, `(\Seen)`, `(\Seen \Flagged)`.
pub(crate) fn flag_list(flags: Flags) -> &'static str {
    match (flags.seen, flags.flagged) {
        (false, false) => "()",
        (true, false) => "(\\Seen)",
        (false, true) => "(\\Flagged)",
        (true, true) => "(\\Seen \\Flagged)",
    }
}

/// Compact UID sets (`1:5,7,9:12`) covering the sorted, de-duplicated `uids`, each at most about
/// `max_len` bytes long so a command line stays well under server limits (Dovecot: 64 KiB).
pub(crate) fn uid_sets(uids: &[u32], max_len: usize) -> Vec<String> {
    let mut sets = Vec::new();
    let mut current = String::new();
    let mut i = 0;
    while i < uids.len() {
        let start = uids[i];
        let mut end = start;
        while i + 1 < uids.len() && uids[i + 1] == end.saturating_add(1) {
            i += 1;
            end = uids[i];
        }
        i += 1;
        let piece = if start == end {
            start.to_string()
        } else {
            format!("{start}:{end}")
        };
        if !current.is_empty() && current.len() + 1 + piece.len() > max_len {
            sets.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(',');
        }
        current.push_str(&piece);
    }
    if !current.is_empty() {
        sets.push(current);
    }
    sets
}

fn member_len(member: &UidSetMember) -> u64 {
    match member {
        UidSetMember::Uid(_) => 1,
        UidSetMember::UidRange(range) => u64::from(range.end() - range.start()) + 1,
    }
}

/// The UID that `uid` got in the target folder, from a COPYUID response code: the source and
/// destination sets list the UIDs in corresponding order.
pub(crate) fn copyuid_lookup(
    source: &[UidSetMember],
    destination: &[UidSetMember],
    uid: u32,
) -> Option<u32> {
    let mut position: u64 = 0;
    let mut found = None;
    for member in source {
        match member {
            UidSetMember::Uid(u) if *u == uid => found = Some(position),
            UidSetMember::UidRange(range) if range.contains(&uid) => {
                found = Some(position + u64::from(uid - range.start()));
            }
            _ => {}
        }
        if found.is_some() {
            break;
        }
        position += member_len(member);
    }
    let mut remaining = found?;
    for member in destination {
        let len = member_len(member);
        if remaining < len {
            return match member {
                UidSetMember::Uid(u) => Some(*u),
                UidSetMember::UidRange(range) => {
                    u32::try_from(u64::from(*range.start()) + remaining).ok()
                }
            };
        }
        remaining -= len;
    }
    None
}

/// The response code of a status response (`* OK [...]` or a tagged reply), if any.
pub(crate) fn response_code<'r, 'a>(response: &'r Response<'a>) -> Option<&'r ResponseCode<'a>> {
    match response {
        Response::Data { outcome, .. } | Response::Done { outcome, .. } => outcome.code.as_ref(),
        _ => None,
    }
}

/// The human-readable text of a status response.
pub(crate) fn outcome_text(outcome: &Outcome<'_>) -> String {
    outcome
        .information
        .as_deref()
        .map(str::trim)
        .unwrap_or_default()
        .to_owned()
}

/// The server's text out of an `async_imap` NO/BAD error, which reads
/// `code: None, info: Some("[AUTHENTICATIONFAILED] Authentication failed.")`.
pub(crate) fn server_text_of_lib_error(message: &str) -> String {
    const START: &str = "info: Some(\"";
    let Some(begin) = message.find(START) else {
        return message.to_owned();
    };
    let quoted = &message[begin + START.len()..];
    let Some(end) = quoted.rfind("\")") else {
        return message.to_owned();
    };
    let mut text = String::with_capacity(end);
    let mut chars = quoted[..end].chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => text.push(' '),
                Some(other) => text.push(other),
                None => {}
            }
        } else {
            text.push(c);
        }
    }
    text.trim().to_owned()
}

/// At most `max` characters of `text`, with an ellipsis when cut.
pub(crate) fn truncate(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_escapes_and_refuses() {
        assert_eq!(quote_mailbox("INBOX").ok(), Some("\"INBOX\"".to_owned()));
        assert_eq!(
            quote_mailbox(r#"a "b" \c"#).ok(),
            Some(r#""a \"b\" \\c""#.to_owned())
        );
        for bad in ["", "a\r\nb", "nul\0", "Éléments"] {
            assert!(
                matches!(
                    quote_mailbox(bad),
                    Err(ImapError::InvalidInput(BadInput::FolderName))
                ),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn dates() {
        assert_eq!(imap_date((2024, 3, 5)).ok(), Some("5-Mar-2024".to_owned()));
        assert_eq!(
            imap_date((2024, 2, 29)).ok(),
            Some("29-Feb-2024".to_owned())
        );
        assert_eq!(
            imap_date((999, 12, 31)).ok(),
            Some("31-Dec-0999".to_owned())
        );
        for bad in [
            (2023, 2, 29),
            (2024, 13, 1),
            (2024, 0, 1),
            (2024, 4, 31),
            (2024, 1, 0),
            (0, 1, 1),
        ] {
            assert!(imap_date(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn compact_uid_sets() {
        assert!(uid_sets(&[], 100).is_empty());
        assert_eq!(uid_sets(&[7], 100), ["7"]);
        assert_eq!(
            uid_sets(&[1, 2, 3, 4, 5, 7, 9, 10, 11, 12], 100),
            ["1:5,7,9:12"]
        );
        assert_eq!(
            uid_sets(&[u32::MAX - 1, u32::MAX], 100),
            ["4294967294:4294967295"]
        );
        // Split when a set would grow past the limit; no UID lost or repeated.
        let uids: Vec<u32> = (1..=2000).map(|n| n * 2).collect();
        let sets = uid_sets(&uids, 50);
        assert!(sets.len() > 1);
        assert!(sets.iter().all(|set| set.len() <= 50));
        let back: Vec<u32> = sets
            .iter()
            .flat_map(|set| set.split(','))
            .map(|n| n.parse().unwrap_or(0))
            .collect();
        assert_eq!(back, uids);
    }

    #[test]
    fn copyuid_positions() {
        use UidSetMember::{Uid, UidRange};
        assert_eq!(copyuid_lookup(&[Uid(5)], &[Uid(42)], 5), Some(42));
        assert_eq!(copyuid_lookup(&[Uid(5)], &[Uid(42)], 6), None);
        let source = [UidRange(3..=5), Uid(9), UidRange(11..=12)];
        let destination = [UidRange(100..=103), UidRange(200..=201)];
        assert_eq!(copyuid_lookup(&source, &destination, 3), Some(100));
        assert_eq!(copyuid_lookup(&source, &destination, 5), Some(102));
        assert_eq!(copyuid_lookup(&source, &destination, 9), Some(103));
        assert_eq!(copyuid_lookup(&source, &destination, 11), Some(200));
        assert_eq!(copyuid_lookup(&source, &destination, 12), Some(201));
        // A destination set shorter than the source (a broken server) gives None, not a panic.
        assert_eq!(copyuid_lookup(&source, &[Uid(1)], 12), None);
    }

    #[test]
    fn server_text_from_library_errors() {
        assert_eq!(
            server_text_of_lib_error(
                r#"code: None, info: Some("[AUTHENTICATIONFAILED] Authentication failed.")"#
            ),
            "[AUTHENTICATIONFAILED] Authentication failed."
        );
        assert_eq!(
            server_text_of_lib_error(r#"code: None, info: Some("say \"hi\"")"#),
            r#"say "hi""#
        );
        assert_eq!(
            server_text_of_lib_error("code: None, info: None"),
            "code: None, info: None"
        );
    }

    #[test]
    fn truncation() {
        assert_eq!(truncate("abc", 5), "abc");
        assert_eq!(truncate("abcdef", 3), "abc…");
        assert_eq!(truncate("ééé", 2), "éé…");
    }
}
