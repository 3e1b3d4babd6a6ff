//! The charset of a card: UTF-8, or the legacy charset an old export declares.

use std::borrow::Cow;

use mail_parser::decoders::charsets::map::charset_decoder;

use super::VCardError;

/// The card as text: UTF-8 as every current client sends it, or — for the legacy exports that
/// declare their charset (Outlook's vCard 2.1 writes `CHARSET=Windows-1252` and then raw
/// Windows-1252 bytes, sometimes on lines without the parameter) — each line that is not UTF-8
/// decoded in the charset the card declares. Without such a declaration the bytes are refused
/// rather than guessed at.
pub(super) fn card_text(bytes: &[u8]) -> Result<Cow<'_, str>, VCardError> {
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(Cow::Borrowed(text));
    }
    let decode = declared_charset(bytes)
        .and_then(charset_decoder)
        .ok_or(VCardError::NotUtf8)?;
    let mut text = String::with_capacity(bytes.len() + bytes.len() / 8);
    for line in bytes.split_inclusive(|b| *b == b'\n') {
        match std::str::from_utf8(line) {
            Ok(line) => text.push_str(line),
            Err(_) => text.push_str(&decode(line)),
        }
    }
    Ok(Cow::Owned(text))
}

/// The first `CHARSET=` parameter naming something other than UTF-8 or ASCII.
fn declared_charset(bytes: &[u8]) -> Option<&[u8]> {
    const PARAM: &[u8] = b"charset=";
    let mut rest = bytes;
    while let Some(at) = rest
        .windows(PARAM.len())
        .position(|w| w.eq_ignore_ascii_case(PARAM))
    {
        let value = &rest[at + PARAM.len()..];
        let end = value
            .iter()
            .position(|b| matches!(b, b';' | b':' | b',' | b'\r' | b'\n'))
            .unwrap_or(value.len());
        let charset = value[..end].trim_ascii().trim_ascii_start();
        let charset = charset.strip_prefix(b"\"").unwrap_or(charset);
        let charset = charset.strip_suffix(b"\"").unwrap_or(charset);
        if !charset.is_empty()
            && !["utf-8", "utf8", "us-ascii", "ascii"]
                .iter()
                .any(|ok| charset.eq_ignore_ascii_case(ok.as_bytes()))
        {
            return Some(charset);
        }
        rest = &value[end..];
    }
    None
}
