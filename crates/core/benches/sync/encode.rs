//! The encodings the benchmark's mail is written in: RFC 2047 encoded words, quoted-printable,
//! base64 and RFC 2822 dates.

use crate::seed::Rng;
use postkamer_domain::calendar;

/// `Name <address>`, the name RFC 2047-encoded when it is not ASCII.
pub fn address(rng: &mut Rng, name: &str, email: &str) -> String {
    if name.is_ascii() {
        format!("{name} <{email}>")
    } else {
        format!("{} <{email}>", encode_words(rng, name))
    }
}

/// RFC 2047: UTF-8 Q, UTF-8 B or ISO-8859-1 Q, as different mailers do.
pub fn encode_words(rng: &mut Rng, text: &str) -> String {
    if text.is_ascii() {
        return text.to_owned();
    }
    match rng.below(10) {
        0..=4 => q_word(text),
        5..=7 => chunks_at_chars(text, 45)
            .iter()
            .map(|c| format!("=?UTF-8?B?{}?=", base64(c.as_bytes(), 0)))
            .collect::<Vec<_>>()
            .join("\n "),
        _ if text.chars().all(|c| u32::from(c) < 256) => {
            let latin1: String = text
                .chars()
                .map(|c| match c {
                    'a'..='z' | 'A'..='Z' | '0'..='9' | '.' | '-' => c.to_string(),
                    ' ' => "_".to_owned(),
                    c => format!("={:02X}", u32::from(c)),
                })
                .collect();
            format!("=?ISO-8859-1?Q?{latin1}?=")
        }
        _ => q_word(text),
    }
}

pub fn q_word(text: &str) -> String {
    chunks_at_chars(text, 20)
        .iter()
        .map(|chunk| {
            let q: String = chunk
                .bytes()
                .map(|b| match b {
                    b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'.' | b'-' => {
                        char::from(b).to_string()
                    }
                    b' ' => "_".to_owned(),
                    b => format!("={b:02X}"),
                })
                .collect();
            format!("=?UTF-8?Q?{q}?=")
        })
        .collect::<Vec<_>>()
        .join("\n ")
}

/// `text` cut into pieces of at most `max` bytes, at character boundaries.
fn chunks_at_chars(text: &str, max: usize) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut end = 0;
    for (i, c) in text.char_indices() {
        if i + c.len_utf8() - start > max && end > start {
            out.push(&text[start..end]);
            start = end;
        }
        end = i + c.len_utf8();
    }
    if end > start {
        out.push(&text[start..end]);
    }
    out
}

/// Quoted-printable with soft line breaks at 76 columns (LF line ends).
pub fn quoted_printable(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let mut column = 0;
        let bytes = line.as_bytes();
        for (j, &b) in bytes.iter().enumerate() {
            let last = j + 1 == bytes.len();
            let token = match b {
                b' ' | b'\t' if !last => char::from(b).to_string(),
                33..=60 | 62..=126 => char::from(b).to_string(),
                _ => format!("={b:02X}"),
            };
            if column + token.len() > 75 {
                out.push_str("=\n");
                column = 0;
            }
            column += token.len();
            out.push_str(&token);
        }
    }
    out
}

/// Standard base64; with `wrap` > 0, lines of `wrap` characters.
pub fn base64(bytes: &[u8], wrap: usize) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len() * 4 / 3 + bytes.len() / 57 + 4);
    let mut column = 0;
    for chunk in bytes.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for k in 0..4 {
            let c = if k <= chunk.len() {
                char::from(ALPHABET[((n >> (18 - 6 * k)) & 63) as usize])
            } else {
                '='
            };
            if wrap > 0 && column == wrap {
                out.push('\n');
                column = 0;
            }
            out.push(c);
            column += 1;
        }
    }
    out
}

/// `Tue, 5 Mar 2024 10:00:00 +0100`, in Dutch time (summer time from April to October, near
/// enough for test mail).
pub fn rfc2822(unix: i64) -> String {
    const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = calendar::utc(unix * 1000).month;
    let offset = if (4..=10).contains(&month) { 2 } else { 1 };
    let local = unix + offset * 3600;
    let days = local.div_euclid(86_400);
    let secs = local.rem_euclid(86_400);
    let calendar::DateTime {
        year: y,
        month: m,
        day: d,
        ..
    } = calendar::utc(local * 1000);
    format!(
        "{}, {d} {} {y} {:02}:{:02}:{:02} +0{offset}00",
        DAYS[(days + 4).rem_euclid(7) as usize],
        MONTHS[(m - 1) as usize],
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}
