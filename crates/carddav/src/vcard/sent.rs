//! The card as the client sent it, line by line: a property the merge leaves as it was is written
//! back with the client's own bytes — its parameter spelling (`type=INTERNET;type=pref`), its
//! folding, no `CHARSET` added — rather than as calcard would write it. Only when the client's
//! version is the one asked for (3.0 into 3.0, 4.0 into 4.0), only when every line of the card
//! pairs up with the property calcard read from it, and never for a line with a legacy charset
//! (its text was decoded to UTF-8 on the way in).

use calcard::vcard::{VCard, VCardEntry, VCardProperty, VCardValue};

use super::Version;

/// One property of the sent card: what calcard read, and the lines it came from.
pub(super) struct SentLine<'a> {
    entry: VCardEntry,
    raw: Vec<&'a str>,
}

/// The sent card's lines paired with its properties, when they pair up and the version is
/// `version`; `None` otherwise (then every property is written by calcard).
pub(super) fn lines<'a>(
    text: &'a str,
    card: &VCard,
    version: Version,
) -> Option<Vec<SentLine<'a>>> {
    let sent_version = card
        .entries
        .iter()
        .find(|e| e.name == VCardProperty::Version)
        .and_then(|e| match e.values.first() {
            Some(VCardValue::Text(v)) => Some(v.trim()),
            _ => None,
        });
    let wanted = match version {
        Version::V3 => "3.0",
        Version::V4 => "4.0",
    };
    if sent_version != Some(wanted) {
        return None;
    }
    let mut raw_lines = content_lines(text).filter(|raw| {
        let name = name_of(raw[0]).1;
        !(name.eq_ignore_ascii_case("BEGIN") || name.eq_ignore_ascii_case("END"))
    });
    let mut out = Vec::with_capacity(card.entries.len());
    for entry in &card.entries {
        let raw = raw_lines.next()?;
        let (group, name) = name_of(raw[0]);
        let same_group = match (&entry.group, group) {
            (None, None) => true,
            (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
            _ => false,
        };
        if !same_group || !name.eq_ignore_ascii_case(entry.name.as_str()) {
            return None;
        }
        out.push(SentLine {
            entry: entry.clone(),
            raw,
        });
    }
    raw_lines.next().is_none().then_some(out)
}

/// Writes `card` in `version`: each property equal to one the client sent as the client's
/// lines, every other one as calcard writes it.
pub(super) fn write(card: &VCard, version: Version, sent: &[SentLine<'_>]) -> String {
    let mut used = vec![false; sent.len()];
    // Where the next equal line usually is: right after the last one used (the merge keeps the
    // client's order), so a card is matched in one pass unless properties moved.
    let mut next = 0;
    let mut out = String::with_capacity(sent.iter().map(|s| s.raw.len() * 80).sum::<usize>() + 256);
    out.push_str("BEGIN:VCARD\r\nVERSION:");
    out.push_str(match version {
        Version::V3 => "3.0",
        Version::V4 => "4.0",
    });
    out.push_str("\r\n");
    for entry in &card.entries {
        if matches!(
            entry.name,
            VCardProperty::Begin | VCardProperty::End | VCardProperty::Version
        ) {
            continue;
        }
        let fits = |i: usize| !used[i] && sent[i].entry == *entry && !legacy_charset(&sent[i].raw);
        let same = (next < sent.len() && fits(next))
            .then_some(next)
            .or_else(|| (0..sent.len()).find(|&i| fits(i)));
        match same {
            Some(i) => {
                used[i] = true;
                next = i + 1;
                for line in &sent[i].raw {
                    out.push_str(line);
                    out.push_str("\r\n");
                }
            }
            // Writing into a String cannot fail.
            None => {
                let _ = entry.write_to(&mut out, version == Version::V4);
            }
        }
    }
    out.push_str("END:VCARD\r\n");
    out
}

/// The card's content lines, each as its physical lines (a line starting with a space or a tab
/// continues the one before), without line ends; empty lines skipped.
fn content_lines(text: &str) -> impl Iterator<Item = Vec<&str>> {
    let mut physical = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .filter(|l| !l.is_empty())
        .peekable();
    std::iter::from_fn(move || {
        let mut line = vec![physical.next()?];
        while let Some(next) = physical.next_if(|l| l.starts_with([' ', '\t'])) {
            line.push(next);
        }
        Some(line)
    })
}

/// The group (`item1`) and name (`EMAIL`) a content line starts with.
fn name_of(first: &str) -> (Option<&str>, &str) {
    let end = first.find([';', ':']).unwrap_or(first.len());
    match first[..end].split_once('.') {
        Some((group, name)) => (Some(group), name),
        None => (None, &first[..end]),
    }
}

/// Does the line declare a charset other than UTF-8 (its text was decoded on the way in)?
fn legacy_charset(raw: &[&str]) -> bool {
    let head = raw[0]
        .split(':')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    head.split(';').any(|param| {
        param
            .strip_prefix("charset=")
            .is_some_and(|c| !matches!(c.trim_matches('"'), "utf-8" | "utf8" | "us-ascii"))
    })
}
