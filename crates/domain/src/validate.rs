//! Validation results shared by the UI and the JSON API. A rule is written once (in
//! [`crate::relation`]), produces [`FieldError`]s naming the field by its path in the submitted
//! input (`emails[1].address`), and each error knows its Dutch and English message.

use crate::Locale;
use serde::{Deserialize, Serialize};

/// What is wrong with one field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Invalid {
    Required,
    TooLong {
        max: usize,
    },
    TooMany {
        max: usize,
    },
    ControlCharacters,
    Email,
    DuplicateEmail,
    SeveralPrimary,
    Phone,
    Kvk,
    PostalCode,
    Url,
    Domain,
    UnknownCompany,
    PasswordTooShort {
        min: usize,
    },
    PasswordMismatch,
    EmailTaken,
    WrongPassword,
    Host,
    Port,
    Date,
    PlaintextNotLocal,
    DomainTaken,
    NameTaken,
    OwnAddress,
    /// The mail server changed: the stored password is not sent to a new host.
    PasswordForNewHost,
    /// An attachment that is not readable (its data is not base64, or its name is empty).
    Attachment,
    /// A template's document or subject line breaks a rule of the editor's schema.
    Template {
        rule: crate::templates::TemplateRule,
    },
}

impl Invalid {
    pub fn message(self, locale: Locale) -> String {
        use Invalid::*;
        match locale {
            Locale::Nl => match self {
                Required => "Dit veld is verplicht.".into(),
                TooLong { max } => format!("Maximaal {max} tekens."),
                TooMany { max } => format!("Maximaal {max} items."),
                ControlCharacters => "Bevat ongeldige (besturings)tekens.".into(),
                Email => "Dit is geen geldig e-mailadres.".into(),
                DuplicateEmail => "Dit e-mailadres staat er al bij.".into(),
                SeveralPrimary => "Er kan maar één primair e-mailadres zijn.".into(),
                Phone => "Dit is geen geldig telefoonnummer.".into(),
                Kvk => "Een KvK-nummer bestaat uit 8 cijfers.".into(),
                PostalCode => "Een Nederlandse postcode ziet eruit als 1234 AB.".into(),
                Url => "Dit is geen geldig webadres.".into(),
                Domain => "Dit is geen geldige domeinnaam (bijvoorbeeld voorbeeld.nl).".into(),
                UnknownCompany => "Dit bedrijf bestaat niet (meer).".into(),
                PasswordTooShort { min } => {
                    format!("Het wachtwoord moet minstens {min} tekens hebben.")
                }
                PasswordMismatch => "De wachtwoorden komen niet overeen.".into(),
                EmailTaken => "Er is al een gebruiker met dit e-mailadres.".into(),
                WrongPassword => "Het huidige wachtwoord klopt niet.".into(),
                Host => "Dit is geen geldige servernaam (bijvoorbeeld imap.voorbeeld.nl).".into(),
                Port => "Een poort is een getal van 1 tot en met 65535.".into(),
                Date => "Vul een datum in als 2025-01-31.".into(),
                PlaintextNotLocal => "Zonder versleuteling kan alleen een server op deze computer (127.0.0.1); kies TLS of STARTTLS.".into(),
                DomainTaken => "Dit domein is al toegevoegd.".into(),
                NameTaken => "U gebruikt deze naam al; kies een andere.".into(),
                PasswordForNewHost => "De server is gewijzigd: typ het wachtwoord opnieuw. Het opgeslagen wachtwoord wordt alleen naar de oude server gestuurd.".into(),
                OwnAddress => "Dit is een adres van uw eigen organisatie (van een collega of op een eigen domein) en kan niet bij een contactpersoon staan.".into(),
                Attachment => "Een bijlage is onleesbaar: geef een bestandsnaam en de inhoud in base64.".into(),
                Template { rule } => rule.message(Locale::Nl).into(),
            },
            Locale::En => match self {
                Required => "This field is required.".into(),
                TooLong { max } => format!("At most {max} characters."),
                TooMany { max } => format!("At most {max} items."),
                ControlCharacters => "Contains invalid (control) characters.".into(),
                Email => "This is not a valid e-mail address.".into(),
                DuplicateEmail => "This e-mail address is already listed.".into(),
                SeveralPrimary => "Only one e-mail address can be primary.".into(),
                Phone => "This is not a valid phone number.".into(),
                Kvk => "A KvK number has 8 digits.".into(),
                PostalCode => "A Dutch postal code looks like 1234 AB.".into(),
                Url => "This is not a valid web address.".into(),
                Domain => "This is not a valid domain name (for example example.com).".into(),
                UnknownCompany => "This company does not exist (any more).".into(),
                PasswordTooShort { min } => {
                    format!("The password needs at least {min} characters.")
                }
                PasswordMismatch => "The passwords do not match.".into(),
                EmailTaken => "A user with this e-mail address already exists.".into(),
                WrongPassword => "The current password is wrong.".into(),
                Host => "This is not a valid server name (for example imap.example.com).".into(),
                Port => "A port is a number from 1 to 65535.".into(),
                Date => "Enter a date like 2025-01-31.".into(),
                PlaintextNotLocal => "Without encryption only a server on this computer (127.0.0.1) is allowed; choose TLS or STARTTLS.".into(),
                DomainTaken => "This domain has already been added.".into(),
                NameTaken => "You already use this name; choose another.".into(),
                PasswordForNewHost => "The server has changed: type the password again. The stored password is only sent to the old server.".into(),
                OwnAddress => "This is an address of your own organisation (a colleague's, or at one of your own domains) and cannot belong to a contact person.".into(),
                Attachment => "An attachment cannot be read: give a file name and the content in base64.".into(),
                Template { rule } => rule.message(Locale::En).into(),
            },
        }
    }
}

/// One invalid field: its path in the submitted input and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    pub field: String,
    #[serde(flatten)]
    pub error: Invalid,
}

/// Every problem found in one submission, in field order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{} invalid field(s)", .0.len())]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ValidationErrors(pub Vec<FieldError>);

impl ValidationErrors {
    pub fn single(field: impl Into<String>, error: Invalid) -> Self {
        Self(vec![FieldError {
            field: field.into(),
            error,
        }])
    }

    pub fn push(&mut self, field: impl Into<String>, error: Invalid) {
        self.0.push(FieldError {
            field: field.into(),
            error,
        });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The first error for `field`, if any, in the given language.
    pub fn message_for(&self, field: &str, locale: Locale) -> Option<String> {
        self.0
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.error.message(locale))
    }

    /// `Ok(value)` when nothing was found, the collected errors otherwise.
    pub fn into_result<T>(self, value: impl FnOnce() -> T) -> Result<T, Self> {
        if self.0.is_empty() {
            Ok(value())
        } else {
            Err(self)
        }
    }
}

/// Field checks shared by the relation and account rules.
pub(crate) struct Check<'a> {
    pub errors: &'a mut ValidationErrors,
}

impl Check<'_> {
    /// Trims `value`, checks length and control characters; `None` when empty.
    pub fn text(&mut self, field: &str, value: &str, max: usize, required: bool) -> Option<String> {
        let value = value.trim();
        if value.is_empty() {
            if required {
                self.errors.push(field, Invalid::Required);
            }
            return None;
        }
        if value.chars().count() > max {
            self.errors.push(field, Invalid::TooLong { max });
            return None;
        }
        if value.chars().any(char::is_control) {
            self.errors.push(field, Invalid::ControlCharacters);
            return None;
        }
        Some(value.to_owned())
    }

    /// Like [`Check::text`], but line breaks and tabs are allowed (notes).
    pub fn multiline(&mut self, field: &str, value: &str, max: usize) -> Option<String> {
        let value = value.trim();
        if value.is_empty() {
            return None;
        }
        if value.chars().count() > max {
            self.errors.push(field, Invalid::TooLong { max });
            return None;
        }
        if value
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        {
            self.errors.push(field, Invalid::ControlCharacters);
            return None;
        }
        Some(value.replace("\r\n", "\n"))
    }
}
