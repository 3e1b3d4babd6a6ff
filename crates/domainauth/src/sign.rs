//! DKIM signing of outgoing mail: RSA-SHA256, relaxed/relaxed, with the selector that is
//! signing for the domain. The signature header is prepended to the message, so the bytes that
//! come out are the bytes that are stored and sent.

use mail_auth::common::headers::HeaderWriter;
use mail_auth::dkim::{Canonicalization, DkimSigner};
use postkamer_domain::sending::Selector;

use crate::keys::{DkimKeyPair, KeyError};

/// The headers a signature covers (each when present; `h=` names the ones found).
pub const SIGNED_HEADERS: [&str; 11] = [
    "From",
    "To",
    "Cc",
    "Subject",
    "Date",
    "Message-ID",
    "MIME-Version",
    "Content-Type",
    "Reply-To",
    "In-Reply-To",
    "References",
];

#[derive(Debug, thiserror::Error)]
pub enum SignError {
    #[error(transparent)]
    Key(#[from] KeyError),
    #[error("DKIM signing failed: {0}")]
    Sign(String),
}

/// `message` with a `DKIM-Signature` header for `domain` and `selector` in front of it.
pub fn sign(
    message: &[u8],
    key: &DkimKeyPair,
    domain: &str,
    selector: Selector,
) -> Result<Vec<u8>, SignError> {
    let signature = DkimSigner::from_key(key.signing_key()?)
        .domain(domain)
        .selector(selector.as_str())
        .headers(SIGNED_HEADERS)
        .header_canonicalization(Canonicalization::Relaxed)
        .body_canonicalization(Canonicalization::Relaxed)
        .sign(message)
        .map_err(|e| SignError::Sign(e.to_string()))?;
    let header = signature.to_header();
    let mut signed = Vec::with_capacity(header.len() + message.len());
    signed.extend_from_slice(header.as_bytes());
    signed.extend_from_slice(message);
    Ok(signed)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MESSAGE: &[u8] = b"From: Anna <anna@example.nl>\r\nTo: bob@example.com\r\nSubject: Offerte\r\nDate: Mon, 7 Dec 2026 10:00:00 +0100\r\nMessage-ID: <1@example.nl>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHallo Bob,\r\n";

    #[test]
    fn the_signature_is_prepended_and_covers_every_header_of_the_list() {
        let key = DkimKeyPair::generate().unwrap();
        let signed = sign(MESSAGE, &key, "example.nl", Selector::Key002).unwrap();
        let text = String::from_utf8(signed).unwrap();
        assert!(
            text.starts_with(
                "DKIM-Signature: v=1; a=rsa-sha256; s=key002; d=example.nl; c=relaxed/relaxed;"
            ),
            "{text}"
        );
        assert!(text.ends_with(std::str::from_utf8(MESSAGE).unwrap()));
        let header = &text[..text.find("\r\nFrom:").unwrap()];
        let h = header
            .split("h=")
            .nth(1)
            .unwrap()
            .split(';')
            .next()
            .unwrap();
        let named: Vec<String> = h
            .split(':')
            .map(|n| n.trim().to_ascii_lowercase())
            .collect();
        // Also those the message lacks (Cc, Reply-To …): then nobody can add one after signing
        // without breaking the signature (RFC 6376, 8.15).
        for name in SIGNED_HEADERS {
            assert!(
                named.contains(&name.to_ascii_lowercase()),
                "{name} missing from {h}"
            );
        }
    }
}
