//! One message, several copies. The copy in a sender's Sent folder and the one delivered to a
//! colleague differ in their trace headers (Received, Delivered-To …), a Sent copy may carry
//! Bcc; each is stored as it came (keyed on a digest of its full bytes), and each user is served
//! their own. [`display_key`] recognises copies that read the same, so a relation's timeline
//! shows such a message once; [`without_recipient_headers`] is a copy as a colleague may see it.

use sha2::{Digest, Sha256};

/// The header fields that make up what a reader sees of a message (with the body). Trace and
/// per-recipient fields are left out, so the copies of one message share the key; anything a
/// reader would notice (another sender, subject, date, recipients or body) gives another.
const DISPLAYED: &[&str] = &[
    "content-disposition",
    "content-language",
    "content-transfer-encoding",
    "content-type",
    "date",
    "from",
    "in-reply-to",
    "message-id",
    "mime-version",
    "references",
    "reply-to",
    "sender",
    "subject",
    "to",
    "cc",
];

/// Header fields that belong to one recipient's copy: who got it blind, or as whom it was
/// delivered. A colleague who does not own the copy is served it without them.
const PER_RECIPIENT: &[&str] = &[
    "bcc",
    "resent-bcc",
    "delivered-to",
    "x-original-to",
    "envelope-to",
    "x-envelope-to",
    "x-delivered-to",
    "x-rcpt-to",
];

/// One header field as it stands in the raw message: its name and the bytes of the whole
/// field (name, value and folded continuation lines, with the line ending).
struct Field<'a> {
    name: &'a [u8],
    raw: &'a [u8],
}

/// The header fields and where the body starts (`raw.len()` when there is none). The fields
/// cover the header from its first byte, one after the other.
fn fields(raw: &[u8]) -> (Vec<Field<'_>>, usize) {
    // (name, start, end) of each field while the lines are read.
    let mut spans: Vec<(&[u8], usize, usize)> = Vec::new();
    let mut pos = 0;
    let mut body = raw.len();
    while pos < raw.len() {
        let end = raw[pos..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(raw.len(), |i| pos + i + 1);
        let line = &raw[pos..end];
        if line == b"\r\n" || line == b"\n" {
            body = end;
            break;
        }
        match (line.first(), spans.last_mut()) {
            // A folded continuation belongs to the field before it.
            (Some(b' ' | b'\t'), Some(last)) => last.2 = end,
            _ => {
                let name = line
                    .iter()
                    .position(|&b| b == b':')
                    .map_or(&line[..0], |colon| line[..colon].trim_ascii());
                spans.push((name, pos, end));
            }
        }
        pos = end;
    }
    let fields = spans
        .into_iter()
        .map(|(name, start, end)| Field {
            name,
            raw: &raw[start..end],
        })
        .collect();
    (fields, body)
}

fn is_one_of(name: &[u8], list: &[&str]) -> bool {
    list.iter().any(|n| name.eq_ignore_ascii_case(n.as_bytes()))
}

/// A digest of what a reader sees: the displayed header fields (unfolded, whitespace
/// collapsed, in a fixed order) and the body (line endings and trailing white space
/// normalised). Two copies with the same key read alike in the message view.
pub fn display_key(raw: &[u8]) -> String {
    let (fields, body) = fields(raw);
    let mut shown: Vec<(Vec<u8>, Vec<u8>)> = fields
        .iter()
        .filter(|f| is_one_of(f.name, DISPLAYED))
        .map(|f| {
            let value = &f.raw[f.raw.iter().position(|&b| b == b':').map_or(0, |i| i + 1)..];
            let collapsed: Vec<&[u8]> = value
                .split(|b| b.is_ascii_whitespace())
                .filter(|w| !w.is_empty())
                .collect();
            (f.name.to_ascii_lowercase(), collapsed.join(&b' '))
        })
        .collect();
    // Stable: fields of one name keep their order.
    shown.sort_by(|a, b| a.0.cmp(&b.0));
    let mut hash = Sha256::new();
    for (name, value) in &shown {
        hash.update(name);
        hash.update([0]);
        hash.update(value);
        hash.update([b'\n']);
    }
    hash.update([0, 0]);
    let body = raw[body..].trim_ascii_end();
    let mut rest = body;
    while let Some(i) = rest.windows(2).position(|w| w == b"\r\n") {
        hash.update(&rest[..i]);
        hash.update([b'\n']);
        rest = &rest[i + 2..];
    }
    hash.update(rest);
    format!("d:{}", hex::encode(hash.finalize()))
}

/// The message without the header fields of one recipient's copy (Bcc, Delivered-To …): what
/// a colleague who does not own this copy is served. Everything else stays byte for byte.
pub fn without_recipient_headers(raw: &[u8]) -> Vec<u8> {
    let (fields, _) = fields(raw);
    let header_end: usize = fields.iter().map(|f| f.raw.len()).sum();
    let mut out = Vec::with_capacity(raw.len());
    for field in fields.iter().filter(|f| !is_one_of(f.name, PER_RECIPIENT)) {
        out.extend_from_slice(field.raw);
    }
    out.extend_from_slice(&raw[header_end..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SENT: &[u8] = b"Message-ID: <a@x>\r\nFrom: anna@demo.nl\r\nTo: piet@klant.nl\r\nBcc: bert@demo.nl\r\n\
Date: Tue, 3 Nov 2026 10:15:00 +0100\r\nSubject: Offerte\r\n\r\nBeste Piet,\r\nIBAN NL01 BANK 0123 4567 89\r\n";
    const DELIVERED: &[u8] = b"Return-Path: <anna@demo.nl>\r\nDelivered-To: piet@klant.nl\r\n\
Received: from mx.demo.nl by mx.klant.nl\r\n\tfor <piet@klant.nl>; Tue, 3 Nov 2026 10:15:01 +0100\r\n\
Message-ID: <a@x>\r\nFrom: anna@demo.nl\r\nTo: piet@klant.nl\r\n\
Date: Tue, 3 Nov 2026 10:15:00 +0100\r\nSubject:  Offerte\r\n\r\nBeste Piet,\r\nIBAN NL01 BANK 0123 4567 89\r\n\r\n";

    #[test]
    fn copies_of_one_message_read_alike() {
        assert_eq!(display_key(SENT), display_key(DELIVERED));
        let lf: Vec<u8> = String::from_utf8_lossy(DELIVERED)
            .replace("\r\n", "\n")
            .into_bytes();
        assert_eq!(display_key(SENT), display_key(&lf));
    }

    #[test]
    fn another_body_or_recipient_is_another_message() {
        let doctored = String::from_utf8_lossy(SENT).replace("0123 4567 89", "9999 9999 99");
        assert_ne!(display_key(SENT), display_key(doctored.as_bytes()));
        let other_to = String::from_utf8_lossy(SENT).replace("To: piet", "To: kees");
        assert_ne!(display_key(SENT), display_key(other_to.as_bytes()));
        let other_subject = String::from_utf8_lossy(SENT).replace("Offerte", "Factuur");
        assert_ne!(display_key(SENT), display_key(other_subject.as_bytes()));
    }

    #[test]
    fn recipient_headers_are_left_out_and_the_rest_kept() {
        let redacted = without_recipient_headers(SENT);
        let text = String::from_utf8_lossy(&redacted);
        assert!(!text.contains("Bcc"), "{text}");
        assert!(!text.contains("bert@demo.nl"), "{text}");
        assert_eq!(
            text,
            String::from_utf8_lossy(SENT).replace("Bcc: bert@demo.nl\r\n", "")
        );
        let delivered = String::from_utf8_lossy(&without_recipient_headers(DELIVERED)).into_owned();
        assert!(!delivered.contains("Delivered-To"), "{delivered}");
        assert!(delivered.contains("Received: from mx.demo.nl by mx.klant.nl\r\n\tfor"));
        assert!(delivered.ends_with("IBAN NL01 BANK 0123 4567 89\r\n\r\n"));
    }

    #[test]
    fn odd_input_does_not_panic() {
        for raw in [
            &b""[..],
            b"\r\n",
            b"no colon at all",
            b" folded first\r\nBcc: x\r\n",
            b"Bcc: a\r\n\tb\r\n",
            b"Subject: x\r\n\r\n",
            b"\xff\xfe: \x00\r\n\r\n\xff",
        ] {
            let _ = display_key(raw);
            let redacted = without_recipient_headers(raw);
            assert!(
                !String::from_utf8_lossy(&redacted)
                    .to_ascii_lowercase()
                    .contains("bcc:")
            );
        }
    }
}
