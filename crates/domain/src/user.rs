use crate::{ApiTokenId, EmailAddress, Locale, OrgId, UserId};
use serde::{Deserialize, Serialize};

/// What a user may do. SuperAdmins manage the organisation (Beheer); Gebruikers work in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Role {
    SuperAdmin,
    Gebruiker,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::SuperAdmin => "superadmin",
            Role::Gebruiker => "gebruiker",
        }
    }

    pub fn parse(code: &str) -> Option<Role> {
        match code.trim().to_ascii_lowercase().as_str() {
            "superadmin" => Some(Role::SuperAdmin),
            "gebruiker" | "user" => Some(Role::Gebruiker),
            _ => None,
        }
    }

    pub fn label(self, locale: Locale) -> &'static str {
        match (self, locale) {
            (Role::SuperAdmin, _) => "SuperAdmin",
            (Role::Gebruiker, Locale::Nl) => "Gebruiker",
            (Role::Gebruiker, Locale::En) => "User",
        }
    }
}

/// A user account as the rest of the application sees it (never with its password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    pub id: UserId,
    pub org_id: OrgId,
    pub name: String,
    pub email: EmailAddress,
    pub role: Role,
    pub active: bool,
    pub locale: Locale,
}

impl User {
    pub fn is_superadmin(&self) -> bool {
        self.role == Role::SuperAdmin
    }
}

/// A user to create; the password is hashed by the caller before it reaches the store.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub org_id: OrgId,
    pub name: String,
    pub email: EmailAddress,
    pub role: Role,
    pub password_hash: String,
    pub locale: Locale,
}

/// A bearer API token as its owner sees it in the list (never the secret).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ApiToken {
    pub id: ApiTokenId,
    pub name: String,
    /// The first characters of the token, so the owner can tell tokens apart.
    pub prefix: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}
