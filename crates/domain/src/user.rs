use crate::validate::{Check, Invalid, ValidationErrors};
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
    /// The user's job title and phone number (Mijn gegevens): the merge fields
    /// gebruiker.functie and gebruiker.telefoon.
    pub job_title: Option<String>,
    pub phone: Option<String>,
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

/// What users say of themselves (Beheer → Gebruikersinstellingen → Mijn gegevens), as a form or
/// an API client sends it: the merge fields gebruiker.naam, gebruiker.functie and
/// gebruiker.telefoon.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserDetails {
    pub name: String,
    #[serde(default)]
    pub job_title: String,
    #[serde(default)]
    pub phone: String,
}

/// [`UserDetails`] checked: a name, the phone number written the one way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidUserDetails {
    pub name: String,
    pub job_title: Option<String>,
    pub phone: Option<String>,
}

impl UserDetails {
    pub fn of(user: &User) -> UserDetails {
        UserDetails {
            name: user.name.clone(),
            job_title: user.job_title.clone().unwrap_or_default(),
            phone: user.phone.clone().unwrap_or_default(),
        }
    }

    pub fn validate(&self) -> Result<ValidUserDetails, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let mut check = Check {
            errors: &mut errors,
        };
        let name = check.text("name", &self.name, 100, true);
        let job_title = check.text("job_title", &self.job_title, 100, false);
        let phone = match self.phone.trim() {
            "" => None,
            number => {
                let normalised = crate::relation::normalise_phone(number);
                if normalised.is_none() {
                    errors.push("phone", Invalid::Phone);
                }
                normalised
            }
        };
        errors.into_result(|| ValidUserDetails {
            name: name.unwrap_or_default(),
            job_title,
            phone,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_need_a_name_and_a_real_phone_number() {
        let valid = UserDetails {
            name: " Anna de Vries ".into(),
            job_title: "Office manager".into(),
            phone: "020 - 123 45 67".into(),
        }
        .validate()
        .unwrap();
        assert_eq!(valid.name, "Anna de Vries");
        assert_eq!(valid.job_title.as_deref(), Some("Office manager"));
        assert!(valid.phone.is_some());
        let refused = UserDetails {
            name: "  ".into(),
            job_title: String::new(),
            phone: "bel me".into(),
        }
        .validate()
        .unwrap_err();
        let fields: Vec<&str> = refused.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["name", "phone"]);
        let empty = UserDetails {
            name: "Bert".into(),
            ..Default::default()
        };
        assert_eq!(empty.validate().unwrap().phone, None);
    }
}
