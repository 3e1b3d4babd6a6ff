use crate::relation::{Address, normalise_phone, null_as_empty};
use crate::validate::{Check, Invalid, ValidationErrors};
use crate::{CompanyId, EmailAddress, PersonId, SortDir};
use serde::{Deserialize, Serialize};

/// The kind of a phone number, as phones and vCards know them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum PhoneKind {
    #[default]
    Werk,
    Mobiel,
    Prive,
    Fax,
    Overig,
}

impl PhoneKind {
    pub const ALL: [PhoneKind; 5] = [
        PhoneKind::Werk,
        PhoneKind::Mobiel,
        PhoneKind::Prive,
        PhoneKind::Fax,
        PhoneKind::Overig,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PhoneKind::Werk => "werk",
            PhoneKind::Mobiel => "mobiel",
            PhoneKind::Prive => "prive",
            PhoneKind::Fax => "fax",
            PhoneKind::Overig => "overig",
        }
    }

    pub fn parse(s: &str) -> PhoneKind {
        match s {
            "mobiel" => PhoneKind::Mobiel,
            "prive" => PhoneKind::Prive,
            "fax" => PhoneKind::Fax,
            "overig" => PhoneKind::Overig,
            _ => PhoneKind::Werk,
        }
    }
}

/// How a letter to the person opens: the merge field `relatie.aanhef`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Salutation {
    /// "Beste Anna" when the first name is known, else "Geachte heer/mevrouw Jansen".
    #[default]
    Automatisch,
    /// "Beste Anna".
    Informeel,
    /// "Geachte heer Jansen".
    Heer,
    /// "Geachte mevrouw Jansen".
    Mevrouw,
    /// "Geachte Anna Jansen": formal, without heer or mevrouw.
    Neutraal,
}

impl Salutation {
    pub const ALL: [Salutation; 5] = [
        Salutation::Automatisch,
        Salutation::Informeel,
        Salutation::Heer,
        Salutation::Mevrouw,
        Salutation::Neutraal,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Salutation::Automatisch => "automatisch",
            Salutation::Informeel => "informeel",
            Salutation::Heer => "heer",
            Salutation::Mevrouw => "mevrouw",
            Salutation::Neutraal => "neutraal",
        }
    }

    /// The stored form back; anything else is [`Salutation::Automatisch`].
    pub fn parse(s: &str) -> Salutation {
        Salutation::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .unwrap_or_default()
    }

    /// The greeting for a person of these names, without a comma: "Beste Anna", "Geachte heer
    /// Van der Berg". Without a first name in front, the tussenvoegsel starts with a capital,
    /// as Dutch spelling has it ("heer Van der Berg", but "Jan van der Berg").
    pub fn greeting(self, first: Option<&str>, tussenvoegsel: Option<&str>, last: &str) -> String {
        let first = first.map(str::trim).filter(|f| !f.is_empty());
        let surname = || {
            let particle = tussenvoegsel.map(str::trim).filter(|t| !t.is_empty());
            let last = last.trim();
            match particle {
                Some(particle) => format!("{} {last}", capitalised(particle)),
                None => last.to_owned(),
            }
        };
        let full = || display_name(first, tussenvoegsel.map(str::trim), last.trim());
        match (self, first) {
            (Salutation::Automatisch | Salutation::Informeel, Some(first)) => {
                format!("Beste {first}")
            }
            (Salutation::Informeel, None) => format!("Beste {}", surname()),
            (Salutation::Automatisch, None) => format!("Geachte heer/mevrouw {}", surname()),
            (Salutation::Heer, _) => format!("Geachte heer {}", surname()),
            (Salutation::Mevrouw, _) => format!("Geachte mevrouw {}", surname()),
            (Salutation::Neutraal, Some(_)) => format!("Geachte {}", full()),
            (Salutation::Neutraal, None) => format!("Geachte {}", surname()),
        }
    }
}

/// "van der" → "Van der".
fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EmailInput {
    #[serde(deserialize_with = "null_as_empty")]
    pub address: String,
    #[serde(default)]
    pub primary: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PhoneInput {
    #[serde(deserialize_with = "null_as_empty")]
    pub number: String,
    #[serde(default)]
    pub kind: PhoneKind,
}

/// A contact person as submitted by a form or an API client.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonInput {
    #[serde(default, deserialize_with = "null_as_empty")]
    pub first_name: String,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub tussenvoegsel: String,
    #[serde(deserialize_with = "null_as_empty")]
    pub last_name: String,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub job_title: String,
    /// How a letter opens ("Beste Anna", "Geachte heer Jansen"); automatic when left out.
    #[serde(default)]
    pub salutation: Salutation,
    #[serde(default)]
    pub emails: Vec<EmailInput>,
    #[serde(default)]
    pub phones: Vec<PhoneInput>,
    #[serde(default)]
    pub address: Address,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub notes: String,
    #[serde(default)]
    pub company_id: Option<CompanyId>,
    /// Synchronise this person to the phones of users who switched sync on.
    #[serde(default)]
    pub synchroniseren: bool,
}

/// One e-mail address of a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonEmail {
    pub address: EmailAddress,
    pub primary: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Phone {
    pub number: String,
    pub kind: PhoneKind,
}

/// A validated, normalised contact person ready to store: at most one primary address, and
/// exactly one when there are any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidPerson {
    pub first_name: Option<String>,
    pub tussenvoegsel: Option<String>,
    pub last_name: String,
    pub job_title: Option<String>,
    pub salutation: Salutation,
    pub emails: Vec<PersonEmail>,
    pub phones: Vec<Phone>,
    pub address: Address,
    pub notes: Option<String>,
    pub company_id: Option<CompanyId>,
    pub synchroniseren: bool,
}

impl ValidPerson {
    pub fn display_name(&self) -> String {
        display_name(
            self.first_name.as_deref(),
            self.tussenvoegsel.as_deref(),
            &self.last_name,
        )
    }

    pub fn primary_email(&self) -> Option<&EmailAddress> {
        self.emails.iter().find(|e| e.primary).map(|e| &e.address)
    }
}

/// "Jan", "van der", "Berg" → "Jan van der Berg".
pub fn display_name(first: Option<&str>, tussenvoegsel: Option<&str>, last: &str) -> String {
    [first, tussenvoegsel, Some(last)]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

impl PersonInput {
    pub const MAX_EMAILS: usize = 10;
    pub const MAX_PHONES: usize = 10;

    pub fn validate(&self) -> Result<ValidPerson, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let mut check = Check {
            errors: &mut errors,
        };
        let first_name = check.text("first_name", &self.first_name, 100, false);
        let tussenvoegsel = check
            .text("tussenvoegsel", &self.tussenvoegsel, 20, false)
            .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "));
        let last_name = check.text("last_name", &self.last_name, 100, true);
        let job_title = check.text("job_title", &self.job_title, 100, false);
        let notes = check.multiline("notes", &self.notes, 10_000);

        if self.emails.len() > Self::MAX_EMAILS {
            check.errors.push(
                "emails",
                Invalid::TooMany {
                    max: Self::MAX_EMAILS,
                },
            );
        }
        let mut emails: Vec<PersonEmail> = Vec::new();
        let mut primary_seen = false;
        for (i, e) in self.emails.iter().enumerate().take(Self::MAX_EMAILS) {
            if e.address.trim().is_empty() {
                continue;
            }
            let field = format!("emails[{i}].address");
            match EmailAddress::parse(&e.address) {
                Err(_) => check.errors.push(field, Invalid::Email),
                Ok(a) if emails.iter().any(|x| x.address == a) => {
                    check.errors.push(field, Invalid::DuplicateEmail)
                }
                Ok(address) => {
                    if e.primary && primary_seen {
                        check
                            .errors
                            .push(format!("emails[{i}].primary"), Invalid::SeveralPrimary);
                    }
                    primary_seen |= e.primary;
                    emails.push(PersonEmail {
                        address,
                        primary: e.primary,
                    });
                }
            }
        }
        if !primary_seen && let Some(first) = emails.first_mut() {
            first.primary = true;
        }

        if self.phones.len() > Self::MAX_PHONES {
            check.errors.push(
                "phones",
                Invalid::TooMany {
                    max: Self::MAX_PHONES,
                },
            );
        }
        let mut phones = Vec::new();
        for (i, p) in self.phones.iter().enumerate().take(Self::MAX_PHONES) {
            if p.number.trim().is_empty() {
                continue;
            }
            match normalise_phone(&p.number) {
                Some(number) => phones.push(Phone {
                    number,
                    kind: p.kind,
                }),
                None => check
                    .errors
                    .push(format!("phones[{i}].number"), Invalid::Phone),
            }
        }
        let address = self.address.validate("address", &mut errors);
        errors.into_result(|| ValidPerson {
            first_name,
            tussenvoegsel,
            last_name: last_name.unwrap_or_default(),
            job_title,
            salutation: self.salutation,
            emails,
            phones,
            address,
            notes,
            company_id: self.company_id,
            synchroniseren: self.synchroniseren,
        })
    }
}

/// A company as a person refers to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CompanyRef {
    pub id: CompanyId,
    pub name: String,
}

/// A stored contact person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Person {
    pub id: PersonId,
    /// Stable for the person's life; the vCard UID of the phone sync.
    pub uid: String,
    pub first_name: Option<String>,
    pub tussenvoegsel: Option<String>,
    pub last_name: String,
    pub display_name: String,
    pub job_title: Option<String>,
    pub salutation: Salutation,
    pub emails: Vec<PersonEmail>,
    pub phones: Vec<Phone>,
    pub address: Address,
    pub notes: Option<String>,
    pub company: Option<CompanyRef>,
    pub synchroniseren: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Person {
    /// "Beste Anna", "Geachte heer Jansen": the merge field `relatie.aanhef`.
    pub fn greeting(&self) -> String {
        self.salutation.greeting(
            self.first_name.as_deref(),
            self.tussenvoegsel.as_deref(),
            &self.last_name,
        )
    }

    /// The input that reproduces this person, to prefill an edit form.
    pub fn to_input(&self) -> PersonInput {
        PersonInput {
            first_name: self.first_name.clone().unwrap_or_default(),
            tussenvoegsel: self.tussenvoegsel.clone().unwrap_or_default(),
            last_name: self.last_name.clone(),
            job_title: self.job_title.clone().unwrap_or_default(),
            salutation: self.salutation,
            emails: self
                .emails
                .iter()
                .map(|e| EmailInput {
                    address: e.address.to_string(),
                    primary: e.primary,
                })
                .collect(),
            phones: self
                .phones
                .iter()
                .map(|p| PhoneInput {
                    number: p.number.clone(),
                    kind: p.kind,
                })
                .collect(),
            address: self.address.clone(),
            notes: self.notes.clone().unwrap_or_default(),
            company_id: self.company.as_ref().map(|c| c.id),
            synchroniseren: self.synchroniseren,
        }
    }
}

/// A contact person in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonSummary {
    pub id: PersonId,
    pub display_name: String,
    pub job_title: Option<String>,
    pub company: Option<CompanyRef>,
    pub primary_email: Option<String>,
    pub primary_phone: Option<String>,
    pub city: String,
    pub synchroniseren: bool,
}

/// How a person list is ordered; ties are always broken by id, so pages are stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum PersonSort {
    /// By last name, ignoring the tussenvoegsel (Dutch phone-book order).
    #[default]
    Name,
    Company,
    City,
    Updated,
}

impl PersonSort {
    pub fn parse(s: &str) -> Option<(PersonSort, SortDir)> {
        let (dir, key) = match s.strip_prefix('-') {
            Some(k) => (SortDir::Desc, k),
            None => (SortDir::Asc, s),
        };
        let sort = match key {
            "name" => PersonSort::Name,
            "company" => PersonSort::Company,
            "city" => PersonSort::City,
            "updated" => PersonSort::Updated,
            _ => return None,
        };
        Some((sort, dir))
    }
}

#[cfg(test)]
mod tests;
