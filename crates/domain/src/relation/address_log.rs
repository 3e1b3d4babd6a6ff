//! The address log: who added or removed which e-mail address of a contact person, when and
//! how. Adding an address links all mail with it to the relation (and makes it visible to the
//! colleagues), so SuperAdmins can see who did it.

use crate::{PersonId, UserId};
use serde::{Deserialize, Serialize};

/// Where an address change came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum AddressSource {
    /// The relation form or the JSON API.
    Relation,
    /// "Koppelen aan bestaande contactpersoon" from a message.
    Mail,
    /// A phone's card (CardDAV).
    Phone,
    /// Demo data or the command line.
    System,
}

impl AddressSource {
    pub fn as_str(self) -> &'static str {
        match self {
            AddressSource::Relation => "relation",
            AddressSource::Mail => "mail",
            AddressSource::Phone => "phone",
            AddressSource::System => "system",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "relation" => AddressSource::Relation,
            "mail" => AddressSource::Mail,
            "phone" => AddressSource::Phone,
            "system" => AddressSource::System,
            _ => return None,
        })
    }

    pub fn label(self, locale: crate::Locale) -> &'static str {
        use crate::Locale::{En, Nl};
        match (self, locale) {
            (AddressSource::Relation, Nl) => "Relatie bewerkt",
            (AddressSource::Relation, En) => "Relation edited",
            (AddressSource::Mail, Nl) => "Gekoppeld vanuit een e-mail",
            (AddressSource::Mail, En) => "Linked from a message",
            (AddressSource::Phone, Nl) => "Telefoon (synchronisatie)",
            (AddressSource::Phone, En) => "Phone (sync)",
            (AddressSource::System, Nl) => "Systeem",
            (AddressSource::System, En) => "System",
        }
    }
}

/// Who changes a contact person's addresses: a user (through `source`), or the system.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub user: Option<UserId>,
    pub source: AddressSource,
}

impl Actor {
    pub fn user(user: UserId, source: AddressSource) -> Self {
        Self {
            user: Some(user),
            source,
        }
    }

    /// Demo data, the command line, tests.
    pub const SYSTEM: Actor = Actor {
        user: None,
        source: AddressSource::System,
    };
}

/// One line of the address log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AddressLogEntry {
    /// Unix milliseconds.
    pub at: i64,
    /// `None` for the system, or a user deleted since.
    pub user_id: Option<UserId>,
    pub user_name: Option<String>,
    /// `None` once the contact person is deleted.
    pub person_id: Option<PersonId>,
    pub person_name: String,
    pub email: String,
    /// Added (linked) or removed.
    pub added: bool,
    pub source: AddressSource,
}
