//! Real vCards from iOS/macOS, Android and Outlook exports (resources/vcards/README.md says where
//! each comes from): what the CRM does not model — photos, groups and labels, X- properties,
//! birthdays, folded lines, non-ASCII — survives GET → PUT → GET, and the CRM's fields are read.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use postkamer_carddav::vcard::{self, VCardError, Version};

/// Properties the CRM models (rewritten from its own data on every GET).
const MODELLED: &[&str] = &[
    "BEGIN", "END", "VERSION", "PRODID", "REV", "UID", "N", "FN", "ORG", "TITLE", "EMAIL", "TEL",
    "ADR", "NOTE",
];

fn files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("resources/vcards");
    let mut out = Vec::new();
    for dir in std::fs::read_dir(&root).unwrap() {
        let dir = dir.unwrap().path();
        if dir.is_dir() {
            for file in std::fs::read_dir(&dir).unwrap() {
                let file = file.unwrap().path();
                if file.extension().is_some_and(|e| e == "vcf") {
                    out.push(file);
                }
            }
        }
    }
    out.sort();
    assert!(out.len() >= 10, "fixtures present: {out:?}");
    out
}

/// The unmodelled properties of a card: group-less upper-case names with their values, as
/// calcard reads them (so folding and encoding differences do not count).
fn unmodelled(text: &str) -> BTreeSet<String> {
    let parsed = vcard::parse(text.as_bytes()).unwrap();
    let v4 = vcard::render(&parsed.data, Some(&parsed.original), Version::V4);
    v4.replace("\r\n ", "")
        .lines()
        .filter_map(|line| {
            let (head, value) = line.split_once(':')?;
            let name = head
                .split(';')
                .next()?
                .rsplit('.')
                .next()?
                .to_ascii_uppercase();
            (!MODELLED.contains(&name.as_str())).then(|| format!("{name}:{value}"))
        })
        .collect()
}

#[test]
fn real_vcards_survive_get_put_get() {
    let mut checked = 0;
    for file in files() {
        let bytes = std::fs::read(&file).unwrap();
        let text = match std::str::from_utf8(&bytes) {
            Ok(text) => text.to_owned(),
            // Outlook's Windows-1252 exports: what a client would send after reading them.
            Err(_) => windows_1252(&bytes),
        };
        let text = text.as_str();
        for (index, card) in split_cards(text).iter().enumerate() {
            let name = format!("{} #{index}", file.display());
            round_trip(&name, card);
            checked += 1;
        }
    }
    assert!(checked >= 10);
}

/// An export may hold several cards; a PUT holds one.
fn split_cards(text: &str) -> Vec<String> {
    let mut cards = Vec::new();
    let mut current = String::new();
    for line in text.split_inclusive('\n') {
        current.push_str(line);
        if line.trim_end().eq_ignore_ascii_case("END:VCARD") {
            cards.push(std::mem::take(&mut current));
        }
    }
    cards
}

fn round_trip(name: &str, text: &str) {
    {
        let received = match vcard::parse(text.as_bytes()) {
            Ok(card) => card,
            Err(VCardError::NoUid) => {
                // Exports without UID (a phone always sends one): give it one, as a client would.
                let with_uid = text.replacen("END:VCARD", "UID:test-uid\r\nEND:VCARD", 1);
                vcard::parse(with_uid.as_bytes()).unwrap()
            }
            Err(e) => panic!("{name}: {e}"),
        };
        let original_extra = unmodelled(&received.original);
        // GET as iOS (3.0) and DAVx5 (4.0), then PUT each back unchanged, then GET again.
        for version in [Version::V3, Version::V4] {
            let first = vcard::render(&received.data, Some(&received.original), version);
            let again = vcard::parse(first.as_bytes())
                .unwrap_or_else(|e| panic!("{name} {version:?}: {e}\n{first}"));
            assert_eq!(
                again.data, received.data,
                "{name} {version:?}: the CRM's fields survive"
            );
            let second = vcard::render(&again.data, Some(&again.original), version);
            assert_eq!(
                first, second,
                "{name} {version:?}: a second round trip changes nothing"
            );
            let kept = unmodelled(&again.original);
            let lost: Vec<_> = original_extra.difference(&kept).collect();
            assert!(lost.is_empty(), "{name} {version:?}: lost {lost:?}");
        }
    }
}

/// A file of `resources/vcards`.
fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("resources/vcards")
            .join(path),
    )
    .unwrap()
}

/// An export as a client would send it: with a UID (exports may have none).
fn with_uid(card: Vec<u8>) -> Vec<u8> {
    if String::from_utf8_lossy(&card).contains("\nUID") {
        return card;
    }
    let end = card.windows(9).position(|w| w == b"END:VCARD").unwrap();
    [&card[..end], b"UID:x\r\n", &card[end..]].concat()
}

/// Windows-1252 text as UTF-8 (the bytes 0x80–0x9F only where the fixtures need them).
fn windows_1252(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| char::from(b)).collect()
}

#[test]
fn outlooks_windows_1252_cards_are_read_in_the_charset_they_declare() {
    let read = |path: &str| {
        let bytes = fixture(path);
        assert!(std::str::from_utf8(&bytes).is_err(), "{path} is not UTF-8");
        vcard::parse(&with_uid(bytes)).unwrap_or_else(|e| panic!("{path}: {e}"))
    };
    // A raw 0xDF on a line with CHARSET=Windows-1252.
    let label = read("outlook/outlook-windows1252-qp-label.vcf");
    assert_eq!(label.data.address.street, "Business-Straße 19");
    assert_eq!(label.data.last_name, "Wimmel");
    // A raw 0xE4 on a line without the parameter (another line declares it); the quoted-
    // printable label in the same charset is decoded too, and Outlook's X- properties kept.
    let photo = read("outlook/outlook-windows1252-qp-photo.vcf");
    assert_eq!(photo.data.address.street, "Lämmerweg 12");
    assert!(
        photo.original.contains("Lämmerweg 12"),
        "{}",
        photo.original
    );
    assert!(photo.original.contains("X-MS-OL-DESIGN"));
    let v3 = vcard::render(&photo.data, Some(&photo.original), Version::V3);
    assert!(
        v3.contains("Lämmerweg 12") && v3.contains("X-MS-CARDPICTURE"),
        "{v3}"
    );

    // Bytes that are not UTF-8 without a declared charset (or declaring UTF-8) are refused.
    for card in [
        &b"BEGIN:VCARD\r\nVERSION:2.1\r\nN:M\xfcller\r\nUID:x\r\nEND:VCARD\r\n"[..],
        b"BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8:M\xfcller\r\nUID:x\r\nEND:VCARD\r\n",
    ] {
        assert_eq!(vcard::parse(card), Err(VCardError::NotUtf8));
    }
}

#[test]
fn the_crm_reads_names_companies_and_addresses_of_real_exports() {
    let read = |path: &str| vcard::parse(&with_uid(fixture(path))).unwrap().data;
    let joerg = read("nonascii/mac-addressbook-mueller-joerg-folded-photo.vcf");
    assert_eq!(
        (joerg.first_name.as_str(), joerg.last_name.as_str()),
        ("Jörg", "Müller")
    );
    let tester = read("outlook/outlook-dutch-de-tester-photo.vcf");
    assert_eq!(tester.tussenvoegsel, "de", "{tester:?}");
}
