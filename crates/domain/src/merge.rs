//! The merge fields a template may hold (Div. → Samenvoegveld): a closed list, each with its
//! Dutch and English label. A field is written `{relatie.voornaam}`, with an optional fallback
//! for when the value is empty: `{relatie.voornaam|relatie}`.

use serde::{Deserialize, Serialize};

/// One merge field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum MergeField {
    #[serde(rename = "relatie.aanhef")]
    Aanhef,
    #[serde(rename = "relatie.voornaam")]
    Voornaam,
    #[serde(rename = "relatie.tussenvoegsel")]
    Tussenvoegsel,
    #[serde(rename = "relatie.achternaam")]
    Achternaam,
    #[serde(rename = "relatie.volledige_naam")]
    VolledigeNaam,
    #[serde(rename = "relatie.functie")]
    Functie,
    #[serde(rename = "bedrijf.naam")]
    BedrijfNaam,
    #[serde(rename = "bedrijf.plaats")]
    BedrijfPlaats,
    #[serde(rename = "gebruiker.naam")]
    GebruikerNaam,
    #[serde(rename = "gebruiker.functie")]
    GebruikerFunctie,
    #[serde(rename = "gebruiker.email")]
    GebruikerEmail,
    #[serde(rename = "gebruiker.telefoon")]
    GebruikerTelefoon,
    #[serde(rename = "datum.vandaag")]
    Vandaag,
}

impl MergeField {
    /// Every field, in the order the Samenvoegveld menu lists them.
    pub const ALL: [MergeField; 13] = [
        MergeField::Aanhef,
        MergeField::Voornaam,
        MergeField::Tussenvoegsel,
        MergeField::Achternaam,
        MergeField::VolledigeNaam,
        MergeField::Functie,
        MergeField::BedrijfNaam,
        MergeField::BedrijfPlaats,
        MergeField::GebruikerNaam,
        MergeField::GebruikerFunctie,
        MergeField::GebruikerEmail,
        MergeField::GebruikerTelefoon,
        MergeField::Vandaag,
    ];

    /// The field's key, as written in a template: `relatie.voornaam`.
    pub fn key(self) -> &'static str {
        match self {
            MergeField::Aanhef => "relatie.aanhef",
            MergeField::Voornaam => "relatie.voornaam",
            MergeField::Tussenvoegsel => "relatie.tussenvoegsel",
            MergeField::Achternaam => "relatie.achternaam",
            MergeField::VolledigeNaam => "relatie.volledige_naam",
            MergeField::Functie => "relatie.functie",
            MergeField::BedrijfNaam => "bedrijf.naam",
            MergeField::BedrijfPlaats => "bedrijf.plaats",
            MergeField::GebruikerNaam => "gebruiker.naam",
            MergeField::GebruikerFunctie => "gebruiker.functie",
            MergeField::GebruikerEmail => "gebruiker.email",
            MergeField::GebruikerTelefoon => "gebruiker.telefoon",
            MergeField::Vandaag => "datum.vandaag",
        }
    }

    /// The field for a key; `None` for a field not on the list.
    pub fn parse(key: &str) -> Option<MergeField> {
        MergeField::ALL.into_iter().find(|f| f.key() == key)
    }

    /// (Dutch, English) label for the menu and the chip.
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            MergeField::Aanhef => ("Aanhef", "Salutation"),
            MergeField::Voornaam => ("Voornaam", "First name"),
            MergeField::Tussenvoegsel => ("Tussenvoegsel", "Name prefix"),
            MergeField::Achternaam => ("Achternaam", "Last name"),
            MergeField::VolledigeNaam => ("Volledige naam", "Full name"),
            MergeField::Functie => ("Functie", "Job title"),
            MergeField::BedrijfNaam => ("Bedrijfsnaam", "Company name"),
            MergeField::BedrijfPlaats => ("Plaats bedrijf", "Company city"),
            MergeField::GebruikerNaam => ("Uw naam", "Your name"),
            MergeField::GebruikerFunctie => ("Uw functie", "Your job title"),
            MergeField::GebruikerEmail => ("Uw e-mailadres", "Your e-mail address"),
            MergeField::GebruikerTelefoon => ("Uw telefoonnummer", "Your phone number"),
            MergeField::Vandaag => ("Datum van vandaag", "Today's date"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_parses_back_and_serialises_as_itself() {
        for field in MergeField::ALL {
            assert_eq!(MergeField::parse(field.key()), Some(field));
            let json = serde_json::to_string(&field).unwrap();
            assert_eq!(json, format!("\"{}\"", field.key()));
        }
        assert_eq!(MergeField::parse("relatie.geheim"), None);
    }
}
