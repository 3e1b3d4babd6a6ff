//! TXT records as text.

use crate::dns::TxtRecord;

/// The record's strings concatenated without separator, as SPF, DKIM and DMARC read them.
pub fn joined(record: &TxtRecord) -> String {
    String::from_utf8_lossy(&record.concat()).into_owned()
}

/// The record as DNS tools show it: one string as is, several strings each in quotes. Line
/// breaks and other control characters are made visible (`\n`).
pub fn display(record: &TxtRecord) -> String {
    let visible = |bytes: &[u8]| {
        String::from_utf8_lossy(bytes)
            .chars()
            .flat_map(|c| match c {
                '\n' => "\\n".chars().collect::<Vec<_>>(),
                '\r' => "\\r".chars().collect(),
                '\t' => "\\t".chars().collect(),
                c if c.is_control() => c.escape_unicode().collect(),
                c => vec![c],
            })
            .collect::<String>()
    };
    match record.as_slice() {
        [one] => visible(one),
        several => several
            .iter()
            .map(|s| format!("\"{}\"", visible(s)))
            .collect::<Vec<_>>()
            .join(" "),
    }
}
