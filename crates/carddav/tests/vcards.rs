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
        let Ok(text) = std::str::from_utf8(&bytes) else {
            // Outlook's Windows-1252 exports: refused clearly, not mangled.
            assert_eq!(
                vcard::parse(&bytes),
                Err(VCardError::NotUtf8),
                "{}",
                file.display()
            );
            continue;
        };
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

#[test]
fn the_crm_reads_names_companies_and_addresses_of_real_exports() {
    let read = |path: &str| {
        let bytes = std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("resources/vcards")
                .join(path),
        )
        .unwrap();
        let text = String::from_utf8(bytes).unwrap();
        let text = if text.contains("\nUID") {
            text
        } else {
            text.replacen("END:VCARD", "UID:x\r\nEND:VCARD", 1)
        };
        vcard::parse(text.as_bytes()).unwrap().data
    };
    let joerg = read("nonascii/mac-addressbook-mueller-joerg-folded-photo.vcf");
    assert_eq!(
        (joerg.first_name.as_str(), joerg.last_name.as_str()),
        ("Jörg", "Müller")
    );
    let tester = read("outlook/outlook-dutch-de-tester-photo.vcf");
    assert_eq!(tester.tussenvoegsel, "de", "{tester:?}");
}
