//! vCards and contact persons. Reading takes what the CRM models (name with tussenvoegsel,
//! company, job title, e-mail addresses, phone numbers, one address, notes, UID) out of a vCard
//! (2.1, 3.0 or 4.0, through calcard); writing puts the CRM's values back **into the card the
//! phone sent last**, so everything the CRM does not model — photos, birthdays, labels, groups,
//! X- properties, a second address — is returned as it came. An e-mail address or phone number
//! the CRM still has keeps its group, labels and parameters.

use calcard::vcard::VCardVersion;
use postkamer_domain::relation::{Address, EmailInput, PhoneInput};

mod charset;
mod read;
mod sent;
mod write;

pub use read::parse;
pub use write::{etag, render};

/// The largest vCard accepted (photos included).
pub const MAX_CARD_BYTES: usize = 2 * 1024 * 1024;

/// Which vCard version to write: 3.0 (iOS, the default) or 4.0 (on request).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    V3,
    V4,
}

impl Version {
    /// From an `Accept` header or a CardDAV `address-data` content type: 4.0 only when asked for.
    pub fn from_media_type(value: Option<&str>) -> Version {
        match value {
            Some(v) if v.contains("4.0") => Version::V4,
            _ => Version::V3,
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Version::V3 => "text/vcard; charset=utf-8; version=3.0",
            Version::V4 => "text/vcard; charset=utf-8; version=4.0",
        }
    }

    fn calcard(self) -> VCardVersion {
        match self {
            Version::V3 => VCardVersion::V3_0,
            Version::V4 => VCardVersion::V4_0,
        }
    }
}

/// What the CRM keeps of a contact person, as plain values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CardData {
    pub uid: String,
    pub first_name: String,
    pub tussenvoegsel: String,
    pub last_name: String,
    /// The company's name (ORG).
    pub organisation: String,
    pub job_title: String,
    pub emails: Vec<EmailInput>,
    pub phones: Vec<PhoneInput>,
    pub address: Address,
    pub notes: String,
}

impl CardData {
    pub fn display_name(&self) -> String {
        [&self.first_name, &self.tussenvoegsel, &self.last_name]
            .into_iter()
            .filter(|s| !s.is_empty())
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Why a vCard was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VCardError {
    #[error("the vCard is larger than {max} bytes")]
    TooLarge { max: usize },
    #[error("not UTF-8 text")]
    NotUtf8,
    #[error("not a vCard: {0}")]
    NotAVCard(String),
    #[error("the vCard has no UID")]
    NoUid,
    #[error("more than one vCard in the body")]
    Several,
}

/// A vCard as a client sent it: the CRM's part, and the whole card to keep.
#[derive(Debug, Clone, PartialEq)]
pub struct ReceivedCard {
    pub data: CardData,
    /// The whole card as the client sent it (as UTF-8), for [`render`].
    pub original: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use postkamer_domain::relation::PhoneKind;

    const IOS: &str = "BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//Apple Inc.//iPhone OS 17.0//EN\r\n\
N:van der Berg;Jan;;;\r\nFN:Jan van der Berg\r\nORG:Demo BV;Verkoop\r\nTITLE:Inkoper\r\n\
item1.EMAIL;type=INTERNET;type=pref:jan@demo.nl\r\nitem1.X-ABLabel:_$!<Other>!$_\r\n\
EMAIL;type=INTERNET;type=HOME:jan@thuis.nl\r\nTEL;type=CELL;type=VOICE;type=pref:06-12345678\r\n\
TEL;type=WORK;type=VOICE:030 123 4567\r\nitem2.ADR;type=HOME:;;Thuisweg 2;Zeist;;3700 AA;Nederland\r\n\
item2.X-ABADR:nl\r\nADR;type=WORK:;;Kantoorlaan 1;Utrecht;;3511 AA;Nederland\r\n\
BDAY:1980-05-17\r\nX-SOCIALPROFILE;type=twitter:https://twitter.com/jan\r\nNOTE:Klant sinds 2019\r\n\
PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHR\r\n oaHBwgJC4nICIsIxwcKDcp\r\n\
UID:4F1B2C3D-AAAA-BBBB-CCCC-1234567890AB\r\nEND:VCARD\r\n";

    #[test]
    fn an_ios_card_maps_to_the_crm_fields() {
        let card = parse(IOS.as_bytes()).unwrap();
        let data = &card.data;
        assert_eq!(data.uid, "4F1B2C3D-AAAA-BBBB-CCCC-1234567890AB");
        assert_eq!(
            (
                data.first_name.as_str(),
                data.tussenvoegsel.as_str(),
                data.last_name.as_str()
            ),
            ("Jan", "van der", "Berg")
        );
        assert_eq!(data.organisation, "Demo BV");
        assert_eq!(data.job_title, "Inkoper");
        assert_eq!(
            data.emails,
            vec![
                EmailInput {
                    address: "jan@demo.nl".into(),
                    primary: true
                },
                EmailInput {
                    address: "jan@thuis.nl".into(),
                    primary: false
                },
            ]
        );
        assert_eq!(data.phones[0].kind, PhoneKind::Mobiel);
        assert_eq!(data.phones[1].kind, PhoneKind::Werk);
        assert_eq!(data.address.street, "Kantoorlaan 1");
        assert_eq!(data.address.postal_code, "3511 AA");
        assert_eq!(data.notes, "Klant sinds 2019");
    }

    /// The content lines of a card (unfolded), sorted: the same card whatever the order.
    fn content_lines(card: &str) -> Vec<String> {
        let unfolded = card.replace("\r\n ", "").replace("\r\n\t", "");
        let mut lines: Vec<String> = unfolded
            .split("\r\n")
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect();
        lines.sort();
        lines
    }

    #[test]
    fn an_unchanged_card_comes_back_line_for_line_as_the_phone_sent_it() {
        let card = parse(IOS.as_bytes()).unwrap();
        let back = render(&card.data, Some(&card.original), Version::V3);
        assert_eq!(content_lines(&back), content_lines(IOS), "{back}");
        // The photo's folding too.
        assert!(
            back.contains("Ew8UHR\r\n oaHBwgJC4nICIsIxwcKDcp\r\n"),
            "{back}"
        );
        // A changed title rewrites TITLE only.
        let mut data = card.data.clone();
        data.job_title = "Hoofd inkoop".into();
        let back = render(&data, Some(&card.original), Version::V3);
        let mut expected = content_lines(IOS);
        expected.retain(|l| l != "TITLE:Inkoper");
        expected.push("TITLE:Hoofd inkoop".into());
        expected.sort();
        assert_eq!(content_lines(&back), expected, "{back}");
        // A legacy 2.1 card is written by calcard (its quoted-printable lines are not spliced).
        let legacy = "BEGIN:VCARD\r\nVERSION:2.1\r\nUID:oud-1\r\nN:Jansen;Piet\r\nFN:Piet Jansen\r\nEND:VCARD\r\n";
        let old = parse(legacy.as_bytes()).unwrap();
        let back = render(&old.data, Some(&old.original), Version::V3);
        assert!(
            back.contains("VERSION:3.0\r\n") && back.contains("FN:Piet Jansen"),
            "{back}"
        );
    }

    #[test]
    fn crm_changes_go_into_the_phones_card_and_keep_everything_else() {
        let card = parse(IOS.as_bytes()).unwrap();
        let mut data = card.data.clone();
        data.job_title = "Hoofd inkoop".into();
        data.emails.retain(|e| e.address != "jan@thuis.nl");
        data.phones.push(PhoneInput {
            number: "+31 20 555 0000".into(),
            kind: PhoneKind::Fax,
        });
        let v3 = render(&data, Some(&card.original), Version::V3);
        assert!(v3.contains("VERSION:3.0"), "{v3}");
        assert!(v3.contains("TITLE:Hoofd inkoop"), "{v3}");
        assert!(!v3.contains("jan@thuis.nl"), "{v3}");
        assert!(
            v3.contains("\r\nitem1.EMAIL;type=INTERNET;type=pref:jan@demo.nl\r\n"),
            "as the phone wrote it: {v3}"
        );
        assert!(v3.contains("item1.X-ABLabel:_$!<Other>!$_"), "{v3}");
        assert!(v3.contains("ORG:Demo BV;Verkoop"), "{v3}");
        assert!(v3.contains("BDAY"), "{v3}");
        assert!(v3.contains("X-SOCIALPROFILE"), "{v3}");
        assert!(v3.contains("PHOTO;"), "{v3}");
        assert!(
            v3.contains("item2.ADR;type=HOME:;;Thuisweg 2;Zeist;;3700 AA;Nederland"),
            "{v3}"
        );
        assert!(v3.contains("TEL;TYPE=WORK,FAX:+31 20 555 0000"), "{v3}");
        // Reading it back gives the CRM's data.
        let again = parse(v3.as_bytes()).unwrap();
        assert_eq!(again.data, data);
        let v4 = render(&data, Some(&card.original), Version::V4);
        assert!(v4.contains("VERSION:4.0"), "{v4}");
        assert_eq!(parse(v4.as_bytes()).unwrap().data, data);
    }

    #[test]
    fn a_card_made_by_the_crm_alone() {
        let data = CardData {
            uid: "pk-1".into(),
            first_name: "Sanne".into(),
            tussenvoegsel: "de".into(),
            last_name: "Wit".into(),
            organisation: "Bakkerij de Wit".into(),
            emails: vec![EmailInput {
                address: "sanne@dewit.nl".into(),
                primary: true,
            }],
            phones: vec![PhoneInput {
                number: "06 1111 2222".into(),
                kind: PhoneKind::Mobiel,
            }],
            address: Address {
                street: "Dorpsstraat 1".into(),
                postal_code: "1234 AB".into(),
                city: "Ede".into(),
                country: String::new(),
            },
            notes: "Regel een\nRegel twee, met komma; en puntkomma".into(),
            ..CardData::default()
        };
        let v3 = render(&data, None, Version::V3);
        assert!(
            v3.starts_with(
                "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:pk-1\r\nN:de Wit;Sanne;;;\r\nFN:Sanne de Wit\r\n"
            ),
            "{v3}"
        );
        assert_eq!(parse(v3.as_bytes()).unwrap().data, data);
        assert_eq!(etag(&data, None), etag(&data, None));
        let mut changed = data.clone();
        changed.notes.push('!');
        assert_ne!(etag(&data, None), etag(&changed, None));
    }

    #[test]
    fn bad_cards_are_refused_clearly() {
        assert_eq!(parse(b"hallo"), Err(VCardError::NotAVCard("hallo".into())));
        assert_eq!(parse(&[0xff, 0xfe, 0x00]), Err(VCardError::NotUtf8));
        assert_eq!(
            parse(b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Geen UID\r\nEND:VCARD\r\n"),
            Err(VCardError::NoUid)
        );
        let two = format!("{IOS}{IOS}");
        assert_eq!(parse(two.as_bytes()), Err(VCardError::Several));
        let big = vec![b'a'; MAX_CARD_BYTES + 1];
        assert!(matches!(parse(&big), Err(VCardError::TooLarge { .. })));
    }

    /// What a client stored comes back as stored — FN and N exactly (a tussenvoegsel like
    /// "van 't" included), groups, parameters, X-properties, a multi-line NOTE with non-ASCII —
    /// and only a field changed in the CRM is rewritten.
    #[test]
    fn a_round_trip_keeps_every_property_as_the_client_wrote_it() {
        let sent = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:hek-1\r\n\
N;LANGUAGE=nl:van 't Hek;Jan;;Dhr.;\r\nFN:Jan van 't Hek\r\nitem1.EMAIL;type=INTERNET;type=pref:jan@hek.nl\r\n\
item1.X-ABLabel:werk\r\nX-CUSTOM;X-PARAM=een:waarde\r\nNOTE:Regel één\\nregel twéé\r\nEND:VCARD\r\n";
        let card = parse(sent.as_bytes()).unwrap();
        let back = render(&card.data, Some(&card.original), Version::V3);
        // Every line exactly as sent: parameters as spelled, no CHARSET added.
        assert_eq!(content_lines(&back), content_lines(sent), "{back}");
        // Asked for as 4.0, the card is written as 4.0 (no 3.0 spellings spliced in).
        let v4 = render(&card.data, Some(&card.original), Version::V4);
        assert!(
            v4.contains("VERSION:4.0") && !v4.contains("VERSION:3.0"),
            "{v4}"
        );
        assert_eq!(parse(v4.as_bytes()).unwrap().data, card.data);
        assert_eq!(
            parse(back.as_bytes()).unwrap().data,
            card.data,
            "the same values read back"
        );

        // The user renames him in the CRM: N and FN follow, the rest stays.
        let mut renamed = card.data.clone();
        renamed.last_name = "Hekman".into();
        renamed.tussenvoegsel.clear();
        let back = render(&renamed, Some(&card.original), Version::V3);
        assert!(!back.contains("van 't Hek"), "{back}");
        assert!(back.contains("FN:Jan Hekman"), "{back}");
        assert!(back.contains("X-CUSTOM;X-PARAM=een:waarde"), "{back}");
        assert!(back.contains("item1.X-ABLabel:werk"), "{back}");
    }
}
