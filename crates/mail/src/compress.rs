//! Raw messages are stored deflate-compressed: mail text shrinks to a third or less, and
//! decompressing one message for the message view takes microseconds.

use flate2::Compression;
use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;
use std::io::{Read, Write};

/// The fast end of the scale: sync speed matters more than the last percent of space.
const LEVEL: u32 = 1;

pub fn deflate(raw: &[u8]) -> Vec<u8> {
    let mut encoder = DeflateEncoder::new(
        Vec::with_capacity(raw.len() / 2 + 64),
        Compression::new(LEVEL),
    );
    // Writing into a Vec cannot fail.
    let _ = encoder.write_all(raw);
    encoder.finish().unwrap_or_default()
}

pub fn inflate(compressed: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(compressed.len() * 3);
    DeflateDecoder::new(compressed).read_to_end(&mut out)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let raw = b"Subject: hallo\r\n\r\n".repeat(1000);
        let packed = deflate(&raw);
        assert!(packed.len() < raw.len() / 10);
        assert_eq!(inflate(&packed).expect("inflate"), raw);
        assert!(inflate(b"not deflate at all \xff\xfe").is_err() || inflate(b"x").is_err());
    }
}
