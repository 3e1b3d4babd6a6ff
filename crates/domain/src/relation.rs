//! Relations (relaties): companies and their contact persons, the hub every mail, note and task
//! links to. Each `*Input` is what a form or API client submits, kept as typed so a failed
//! submission can be shown again unchanged; `validate` turns it into the normalised record.

mod address;
mod address_log;
mod company;
mod devices;
pub mod names;

/// The name of the CardDAV account on a phone (the settings page and the iOS profile).
pub const SYNC_ACCOUNT_NAME: &str = "Postkamer relaties";
mod person;
mod query;

pub use address::Address;
pub use address_log::{Actor, AddressLogEntry, AddressSource};
pub use company::{Company, CompanyInput, CompanySort, CompanySummary, ValidCompany};
pub use devices::{AppPassword, SyncDevice};
pub use person::{
    CompanyRef, EmailInput, Person, PersonEmail, PersonInput, PersonSort, PersonSummary, Phone,
    PhoneInput, PhoneKind, Salutation, ValidPerson, display_name,
};
pub use query::{CompanyQuery, PersonQuery, SavedSelection};

use serde::{Deserialize, Deserializer};

/// Accepts a JSON `null` where a string is expected, as the empty string.
pub(crate) fn null_as_empty<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(d)?.unwrap_or_default())
}

/// Checks a phone number: digits with the usual separators, optionally a leading `+`, 6 to 15
/// digits. Returns the number with runs of whitespace collapsed.
pub(crate) fn normalise_phone(input: &str) -> Option<String> {
    let trimmed = input.trim();
    let body = trimmed.strip_prefix('+').unwrap_or(trimmed);
    let digits = body.chars().filter(char::is_ascii_digit).count();
    let allowed = body
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')' | '.' | '/'));
    (allowed && (6..=15).contains(&digits))
        .then(|| trimmed.split_whitespace().collect::<Vec<_>>().join(" "))
}

#[cfg(test)]
mod tests {
    use super::normalise_phone;

    #[test]
    fn phone_numbers() {
        assert_eq!(
            normalise_phone(" 020 - 123  4567 ").as_deref(),
            Some("020 - 123 4567")
        );
        assert_eq!(
            normalise_phone("+31 (0)6 12345678").as_deref(),
            Some("+31 (0)6 12345678")
        );
        assert_eq!(normalise_phone("12345"), None);
        assert_eq!(normalise_phone("06-1234abcd"), None);
        assert_eq!(normalise_phone("'; DROP TABLE persons; --"), None);
    }
}
