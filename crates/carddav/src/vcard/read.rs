//! Reading: a vCard a client sent (2.1, 3.0 or 4.0, through calcard) checked and taken apart
//! into what the CRM models — name with tussenvoegsel, company, job title, e-mail addresses,
//! phone numbers, one address, notes, UID.

use calcard::vcard::{
    VCard, VCardEntry, VCardParameterName, VCardParameterValue, VCardProperty, VCardType,
    VCardValue,
};
use calcard::{Entry, Parser};
use postkamer_domain::relation::names::{split_display_name, split_family_name};
use postkamer_domain::relation::{Address, EmailInput, PhoneInput, PhoneKind};

use super::charset::card_text;
use super::{CardData, MAX_CARD_BYTES, ReceivedCard, VCardError};

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
    Ok(ReceivedCard {
        data,
        original: text.into_owned(),
    })
}

pub(super) fn parse_one(text: &str) -> Result<VCard, VCardError> {
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

pub(super) fn text_of(entry: &VCardEntry, index: usize) -> String {
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

pub(super) fn phone_kind(entry: &VCardEntry) -> PhoneKind {
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
pub(super) fn modelled_address(card: &VCard) -> Option<usize> {
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

pub(super) fn read(card: &VCard) -> Result<CardData, VCardError> {
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
