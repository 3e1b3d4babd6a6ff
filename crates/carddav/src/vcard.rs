//! vCards and contact persons. Reading takes what the CRM models (name with tussenvoegsel,
//! company, job title, e-mail addresses, phone numbers, one address, notes, UID) out of a vCard
//! (2.1, 3.0 or 4.0, through calcard); writing puts the CRM's values back **into the card the
//! phone sent last**, so everything the CRM does not model — photos, birthdays, labels, groups,
//! X- properties, a second address — is returned as it came. An e-mail address or phone number
//! the CRM still has keeps its group, labels and parameters.

use std::borrow::Cow;

use calcard::vcard::{
    VCard, VCardEntry, VCardParameter, VCardParameterName, VCardParameterValue, VCardProperty,
    VCardType, VCardValue, VCardVersion,
};
use calcard::{Entry, Parser};
use mail_parser::decoders::charsets::map::charset_decoder;
use postkamer_domain::relation::names::{split_display_name, split_family_name};
use postkamer_domain::relation::{Address, EmailInput, PhoneInput, PhoneKind};
use sha2::{Digest, Sha256};

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
    /// The whole card, written as vCard 4.0, for [`render`].
    pub original: String,
}

/// Reads a vCard sent by a client.
pub fn parse(bytes: &[u8]) -> Result<ReceivedCard, VCardError> {
    if bytes.len() > MAX_CARD_BYTES {
        return Err(VCardError::TooLarge {
            max: MAX_CARD_BYTES,
        });
    }
    let text = card_text(bytes)?;
    let card = parse_one(&text)?;
    let data = read(&card)?;
    let mut original = String::new();
    card.write_to(&mut original, VCardVersion::V4_0)
        .map_err(|_| VCardError::NotAVCard("cannot be written back".into()))?;
    Ok(ReceivedCard { data, original })
}

/// The card as text: UTF-8 as every current client sends it, or — for the legacy exports that
/// declare their charset (Outlook's vCard 2.1 writes `CHARSET=Windows-1252` and then raw
/// Windows-1252 bytes, sometimes on lines without the parameter) — each line that is not UTF-8
/// decoded in the charset the card declares. Without such a declaration the bytes are refused
/// rather than guessed at.
fn card_text(bytes: &[u8]) -> Result<Cow<'_, str>, VCardError> {
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

fn parse_one(text: &str) -> Result<VCard, VCardError> {
    let mut parser = Parser::new(text);
    let card = match parser.entry() {
        Entry::VCard(card) => card,
        Entry::InvalidLine(line) => {
            return Err(VCardError::NotAVCard(truncate(&line)));
        }
        Entry::Eof => return Err(VCardError::NotAVCard("empty".into())),
        other => return Err(VCardError::NotAVCard(truncate(&format!("{other:?}")))),
    };
    match parser.entry() {
        Entry::Eof => Ok(card),
        Entry::VCard(_) => Err(VCardError::Several),
        _ => Ok(card),
    }
}

fn truncate(text: &str) -> String {
    text.chars().take(80).collect()
}

fn text_of(entry: &VCardEntry, index: usize) -> String {
    match entry.values.get(index) {
        Some(VCardValue::Text(text)) => text.trim().to_owned(),
        Some(VCardValue::Component(parts)) => parts.join(" ").trim().to_owned(),
        _ => String::new(),
    }
}

fn entries<'a>(
    card: &'a VCard,
    property: &'a VCardProperty,
) -> impl Iterator<Item = &'a VCardEntry> {
    card.entries.iter().filter(move |e| &e.name == property)
}

fn has_type(entry: &VCardEntry, wanted: &VCardType) -> bool {
    entry.params.iter().any(|p| match (&p.name, &p.value) {
        (VCardParameterName::Type, VCardParameterValue::Type(t)) => t == wanted,
        _ => false,
    })
}

fn has_type_text(entry: &VCardEntry, wanted: &str) -> bool {
    entry.params.iter().any(|p| match (&p.name, &p.value) {
        (VCardParameterName::Type, VCardParameterValue::Text(t)) => t.eq_ignore_ascii_case(wanted),
        _ => false,
    })
}

fn is_preferred(entry: &VCardEntry) -> bool {
    has_type_text(entry, "pref")
        || entry
            .params
            .iter()
            .any(|p| p.name == VCardParameterName::Pref)
}

fn phone_kind(entry: &VCardEntry) -> PhoneKind {
    if has_type(entry, &VCardType::Fax) || has_type_text(entry, "fax") {
        PhoneKind::Fax
    } else if has_type(entry, &VCardType::Cell) || has_type_text(entry, "cell") {
        PhoneKind::Mobiel
    } else if has_type(entry, &VCardType::Home) || has_type_text(entry, "home") {
        PhoneKind::Prive
    } else if has_type(entry, &VCardType::Work) || has_type_text(entry, "work") {
        PhoneKind::Werk
    } else {
        PhoneKind::Overig
    }
}

/// The address the CRM models: the first work address, else the first one.
fn modelled_address(card: &VCard) -> Option<usize> {
    let addresses: Vec<usize> = card
        .entries
        .iter()
        .enumerate()
        .filter(|(_, e)| e.name == VCardProperty::Adr)
        .map(|(i, _)| i)
        .collect();
    addresses
        .iter()
        .copied()
        .find(|&i| has_type(&card.entries[i], &VCardType::Work))
        .or(addresses.first().copied())
}

fn read(card: &VCard) -> Result<CardData, VCardError> {
    let uid = entries(card, &VCardProperty::Uid)
        .map(|e| text_of(e, 0))
        .find(|u| !u.is_empty())
        .ok_or(VCardError::NoUid)?;
    let (first_name, tussenvoegsel, last_name) = match entries(card, &VCardProperty::N).next() {
        Some(n) if !(text_of(n, 0).is_empty() && text_of(n, 1).is_empty()) => {
            let (tussenvoegsel, last) = split_family_name(&text_of(n, 0));
            let first = [text_of(n, 1), text_of(n, 2)]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            (first, tussenvoegsel, last)
        }
        _ => {
            let display = entries(card, &VCardProperty::Fn)
                .map(|e| text_of(e, 0))
                .next()
                .unwrap_or_default();
            split_display_name(&display)
        }
    };
    let mut emails: Vec<EmailInput> = entries(card, &VCardProperty::Email)
        .filter(|e| !text_of(e, 0).is_empty())
        .map(|e| EmailInput {
            address: text_of(e, 0),
            primary: is_preferred(e),
        })
        .collect();
    let preferred = emails.iter().position(|e| e.primary).unwrap_or(0);
    for (i, email) in emails.iter_mut().enumerate() {
        email.primary = i == preferred;
    }
    let phones = entries(card, &VCardProperty::Tel)
        .filter(|e| !text_of(e, 0).is_empty())
        .map(|e| PhoneInput {
            number: text_of(e, 0).trim_start_matches("tel:").to_owned(),
            kind: phone_kind(e),
        })
        .collect();
    let address = modelled_address(card)
        .map(|i| {
            let adr = &card.entries[i];
            let street = [text_of(adr, 2), text_of(adr, 1)]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            Address {
                street,
                postal_code: text_of(adr, 5),
                city: text_of(adr, 3),
                country: text_of(adr, 6),
            }
        })
        .unwrap_or_default();
    let single = |property: VCardProperty| {
        entries(card, &property)
            .map(|e| text_of(e, 0))
            .next()
            .unwrap_or_default()
    };
    Ok(CardData {
        uid,
        first_name,
        tussenvoegsel,
        last_name,
        organisation: single(VCardProperty::Org),
        job_title: single(VCardProperty::Title),
        emails,
        phones,
        address,
        notes: single(VCardProperty::Note),
    })
}

fn text(value: &str) -> VCardValue {
    VCardValue::Text(value.to_owned())
}

fn type_param(t: VCardType) -> VCardParameter {
    VCardParameter {
        name: VCardParameterName::Type,
        value: VCardParameterValue::Type(t),
    }
}

fn type_text(t: &str) -> VCardParameter {
    VCardParameter {
        name: VCardParameterName::Type,
        value: VCardParameterValue::Text(t.to_owned()),
    }
}

fn phone_types(kind: PhoneKind) -> Vec<VCardParameter> {
    match kind {
        PhoneKind::Werk => vec![type_param(VCardType::Work), type_param(VCardType::Voice)],
        PhoneKind::Mobiel => vec![type_param(VCardType::Cell), type_param(VCardType::Voice)],
        PhoneKind::Prive => vec![type_param(VCardType::Home), type_param(VCardType::Voice)],
        PhoneKind::Fax => vec![type_param(VCardType::Work), type_param(VCardType::Fax)],
        PhoneKind::Overig => vec![type_param(VCardType::Voice)],
    }
}

fn digits(number: &str) -> String {
    number.chars().filter(char::is_ascii_digit).collect()
}

fn without_pref(params: &[VCardParameter]) -> Vec<VCardParameter> {
    params
        .iter()
        .filter(|p| {
            !(p.name == VCardParameterName::Pref
                || matches!(&p.value, VCardParameterValue::Text(t) if t.eq_ignore_ascii_case("pref")))
        })
        .cloned()
        .collect()
}

/// The vCard for a contact person: the CRM's values in the card the client sent last (if any).
pub fn render(data: &CardData, original: Option<&str>, version: Version) -> String {
    let mut card = original
        .and_then(|text| parse_one(text).ok())
        .unwrap_or_else(|| VCard {
            entries: Vec::new(),
        });
    merge(&mut card, data);
    let mut out = String::new();
    // Writing into a String cannot fail.
    let _ = card.write_to(&mut out, version.calcard());
    out
}

/// A strong ETag: changes exactly when the vCard changes. The vCard is a function of the CRM's
/// data, the phone's original and this code, so those are hashed (much cheaper than rendering
/// 10,000 cards for a listing); a new release changes every ETag once, so phones fetch the
/// cards as this version writes them.
pub fn etag(data: &CardData, original: Option<&str>) -> String {
    use base64::Engine as _;
    // Every field, each with its length (so no two cards hash alike by shifting text between
    // fields); destructured, so a new field cannot be forgotten here.
    let CardData {
        uid,
        first_name,
        tussenvoegsel,
        last_name,
        organisation,
        job_title,
        emails,
        phones,
        address,
        notes,
    } = data;
    let mut hasher = Sha256::new();
    let mut field = |text: &str| {
        hasher.update((text.len() as u64).to_le_bytes());
        hasher.update(text.as_bytes());
    };
    field(env!("CARGO_PKG_VERSION"));
    for text in [
        uid,
        first_name,
        tussenvoegsel,
        last_name,
        organisation,
        job_title,
        notes,
    ] {
        field(text);
    }
    for text in [
        &address.street,
        &address.postal_code,
        &address.city,
        &address.country,
    ] {
        field(text);
    }
    field(&emails.len().to_string());
    for email in emails {
        field(&email.address);
        field(if email.primary { "1" } else { "0" });
    }
    field(&phones.len().to_string());
    for phone in phones {
        field(&phone.number);
        field(phone.kind.as_str());
    }
    if let Some(original) = original {
        hasher.update([1]);
        hasher.update(original.as_bytes());
    }
    let digest = hasher.finalize();
    format!(
        "\"{}\"",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&digest[..18])
    )
}

fn merge(card: &mut VCard, data: &CardData) {
    let old = std::mem::take(&mut card.entries);
    let address_at = {
        let probe = VCard {
            entries: old.clone(),
        };
        modelled_address(&probe)
    };
    let mut out: Vec<VCardEntry> = Vec::with_capacity(old.len() + 8);
    let mut emails_left: Vec<&EmailInput> = data.emails.iter().collect();
    let mut phones_left: Vec<&PhoneInput> = data.phones.iter().collect();
    let mut seen = std::collections::HashSet::new();
    for (i, entry) in old.into_iter().enumerate() {
        match &entry.name {
            VCardProperty::Version | VCardProperty::Prodid | VCardProperty::Rev => {}
            VCardProperty::Uid | VCardProperty::N | VCardProperty::Fn => {}
            VCardProperty::Org | VCardProperty::Title | VCardProperty::Note => {
                if seen.insert(entry.name.clone()) {
                    out.push(entry);
                }
            }
            VCardProperty::Email => {
                let value = text_of(&entry, 0);
                if let Some(at) = emails_left
                    .iter()
                    .position(|e| e.address.eq_ignore_ascii_case(&value))
                {
                    let email = emails_left.remove(at);
                    out.push(email_entry(Some(entry), email));
                }
            }
            VCardProperty::Tel => {
                let value = digits(&text_of(&entry, 0));
                if let Some(at) = phones_left.iter().position(|p| digits(&p.number) == value) {
                    let phone = phones_left.remove(at);
                    out.push(phone_entry(Some(entry), phone));
                }
            }
            VCardProperty::Adr if Some(i) == address_at => {
                if !data.address.is_empty() {
                    out.push(address_entry(Some(entry), &data.address));
                }
            }
            _ => out.push(entry),
        }
    }
    // The properties every card has, in front.
    let mut head = vec![
        VCardEntry::new(VCardProperty::Uid).with_value(text(&data.uid)),
        VCardEntry::new(VCardProperty::N).with_values(
            [
                [data.tussenvoegsel.as_str(), data.last_name.as_str()]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(" "),
                data.first_name.clone(),
                String::new(),
                String::new(),
                String::new(),
            ]
            .iter()
            .map(|s| text(s))
            .collect(),
        ),
        VCardEntry::new(VCardProperty::Fn).with_value(text(&data.display_name())),
    ];
    // ORG, TITLE and NOTE: the CRM's value in the client's entry (keeping e.g. ORG's units
    // when the company is the same), removed when the CRM has none.
    for (property, value) in [
        (VCardProperty::Org, &data.organisation),
        (VCardProperty::Title, &data.job_title),
        (VCardProperty::Note, &data.notes),
    ] {
        let at = out.iter().position(|e| e.name == property);
        match (at, value.is_empty()) {
            (Some(at), true) => {
                out.remove(at);
            }
            (Some(at), false) => {
                let entry = &mut out[at];
                if text_of(entry, 0) != *value {
                    entry.values = vec![text(value)];
                }
            }
            (None, false) => head.push(VCardEntry::new(property).with_value(text(value))),
            (None, true) => {}
        }
    }
    out.splice(0..0, head);
    out.extend(emails_left.into_iter().map(|e| email_entry(None, e)));
    out.extend(phones_left.into_iter().map(|p| phone_entry(None, p)));
    if address_at.is_none() && !data.address.is_empty() {
        out.push(address_entry(None, &data.address));
    }
    card.entries = out;
}

fn email_entry(existing: Option<VCardEntry>, email: &EmailInput) -> VCardEntry {
    let mut entry = existing.unwrap_or_else(|| {
        VCardEntry::new(VCardProperty::Email)
            .with_param(type_text("INTERNET"))
            .with_param(type_param(VCardType::Work))
    });
    entry.params = without_pref(&entry.params);
    if email.primary {
        entry.params.push(type_text("pref"));
    }
    entry.values = vec![text(&email.address)];
    entry
}

fn phone_entry(existing: Option<VCardEntry>, phone: &PhoneInput) -> VCardEntry {
    let mut entry = existing.unwrap_or_else(|| VCardEntry::new(VCardProperty::Tel));
    if entry.params.is_empty() || phone_kind(&entry) != phone.kind {
        let others: Vec<VCardParameter> = entry
            .params
            .into_iter()
            .filter(|p| p.name != VCardParameterName::Type)
            .collect();
        entry.params = others;
        entry.params.extend(phone_types(phone.kind));
    }
    entry.values = vec![text(&phone.number)];
    entry
}

fn address_entry(existing: Option<VCardEntry>, address: &Address) -> VCardEntry {
    let mut entry = existing.unwrap_or_else(|| {
        VCardEntry::new(VCardProperty::Adr).with_param(type_param(VCardType::Work))
    });
    entry.values = [
        "",
        "",
        &address.street,
        &address.city,
        "",
        &address.postal_code,
        &address.country,
    ]
    .into_iter()
    .map(text)
    .collect();
    entry
}

#[cfg(test)]
mod tests {
    use super::*;

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
            v3.contains("item1.EMAIL;TYPE=INTERNET,pref:jan@demo.nl"),
            "{v3}"
        );
        assert!(v3.contains("item1.X-ABLabel:_$!<Other>!$_"), "{v3}");
        assert!(v3.contains("ORG:Demo BV;Verkoop"), "{v3}");
        assert!(v3.contains("BDAY"), "{v3}");
        assert!(v3.contains("X-SOCIALPROFILE"), "{v3}");
        assert!(v3.contains("PHOTO;"), "{v3}");
        assert!(
            v3.contains("item2.ADR;TYPE=HOME:;;Thuisweg 2;Zeist;;3700 AA;Nederland"),
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
}
