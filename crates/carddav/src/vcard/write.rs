//! Writing: the CRM's values put into the card a client sent last (or a new card), the result
//! in vCard 3.0 or 4.0, and the card's ETag.

use calcard::vcard::{
    VCard, VCardEntry, VCardParameter, VCardParameterName, VCardParameterValue, VCardProperty,
    VCardType, VCardValue,
};
use postkamer_domain::relation::{Address, EmailInput, PhoneInput, PhoneKind};
use sha2::{Digest, Sha256};

use super::read::{modelled_address, parse_one, phone_kind, read, text_of};
use super::{CardData, Version, sent};

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

/// The vCard for a contact person: the CRM's values in the card the client sent last (if any),
/// every property the CRM left as it was in the client's own spelling.
pub fn render(data: &CardData, original: Option<&str>, version: Version) -> String {
    let sent = original.and_then(|text| parse_one(text).ok().map(|card| (text, card)));
    let lines = sent
        .as_ref()
        .and_then(|(text, card)| sent::lines(text, card, version));
    let mut card = sent.map_or_else(
        || VCard {
            entries: Vec::new(),
        },
        |(_, card)| card,
    );
    merge(&mut card, data);
    match lines {
        Some(lines) => sent::write(&card, version, &lines),
        None => {
            let mut out = String::new();
            // Writing into a String cannot fail.
            let _ = card.write_to(&mut out, version.calcard());
            out
        }
    }
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
    let (address_at, client) = {
        let probe = VCard {
            entries: old.clone(),
        };
        (modelled_address(&probe), read(&probe).ok())
    };
    // The name as the client wrote it (FN exactly, N with its parameters and group) while the
    // CRM has the same name: rewritten only when the name was changed in the CRM.
    let same_name = client.as_ref().is_some_and(|c| {
        (&c.first_name, &c.tussenvoegsel, &c.last_name)
            == (&data.first_name, &data.tussenvoegsel, &data.last_name)
    });
    let same_uid = client.as_ref().is_some_and(|c| c.uid == data.uid);
    let client_has = |test: &dyn Fn(&CardData) -> bool| client.as_ref().is_some_and(test);
    let kept = |property: &VCardProperty, keep: bool| {
        keep.then(|| old.iter().find(|e| e.name == *property).cloned())
            .flatten()
    };
    // The UID entry the card was read by (the first that is not empty).
    let kept_uid = same_uid
        .then(|| {
            old.iter()
                .find(|e| e.name == VCardProperty::Uid && text_of(e, 0) == data.uid)
                .cloned()
        })
        .flatten();
    let kept_n = kept(&VCardProperty::N, same_name);
    let kept_fn = kept(&VCardProperty::Fn, same_name);
    let mut out: Vec<VCardEntry> = Vec::with_capacity(old.len() + 8);
    let mut emails_left: Vec<&EmailInput> = data.emails.iter().collect();
    let mut phones_left: Vec<&PhoneInput> = data.phones.iter().collect();
    let mut seen = std::collections::HashSet::new();
    for (i, entry) in old.into_iter().enumerate() {
        match &entry.name {
            // The version is the one asked for; a revision stamp would be stale once the CRM
            // has changed the card (clients go by the ETag).
            VCardProperty::Version | VCardProperty::Rev => {}
            VCardProperty::Uid | VCardProperty::N | VCardProperty::Fn => {}
            VCardProperty::Org | VCardProperty::Title | VCardProperty::Note => {
                if seen.insert(entry.name.clone()) {
                    out.push(entry);
                }
            }
            // An address, number or the modelled ADR the CRM has as the client's card reads
            // it stays the client's entry as it is; otherwise the CRM's value goes into it.
            VCardProperty::Email => {
                let value = text_of(&entry, 0);
                if let Some(at) = emails_left
                    .iter()
                    .position(|e| e.address.eq_ignore_ascii_case(&value))
                {
                    let email = emails_left.remove(at);
                    out.push(if client_has(&|c: &CardData| c.emails.contains(email)) {
                        entry
                    } else {
                        email_entry(Some(entry), email)
                    });
                }
            }
            VCardProperty::Tel => {
                let value = digits(&text_of(&entry, 0));
                if let Some(at) = phones_left.iter().position(|p| digits(&p.number) == value) {
                    let phone = phones_left.remove(at);
                    let same = text_of(&entry, 0).trim_start_matches("tel:") == phone.number
                        && phone_kind(&entry) == phone.kind;
                    out.push(if same {
                        entry
                    } else {
                        phone_entry(Some(entry), phone)
                    });
                }
            }
            VCardProperty::Adr if Some(i) == address_at => {
                if client_has(&|c: &CardData| c.address == data.address) {
                    out.push(entry);
                } else if !data.address.is_empty() {
                    out.push(address_entry(Some(entry), &data.address));
                }
            }
            _ => out.push(entry),
        }
    }
    // The properties every card has, in front.
    let mut head = vec![
        kept_uid.unwrap_or_else(|| VCardEntry::new(VCardProperty::Uid).with_value(text(&data.uid))),
        kept_n.unwrap_or_else(|| {
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
            )
        }),
        kept_fn.unwrap_or_else(|| {
            VCardEntry::new(VCardProperty::Fn).with_value(text(&data.display_name()))
        }),
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
