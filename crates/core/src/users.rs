//! Beheer → Gebruikers: the SuperAdmin manages the organisation's accounts.

use crate::auth::check_new_password;
use crate::{Core, CoreError, CoreResult, password, require_superadmin};
use postkamer_domain::validate::Invalid;
use postkamer_domain::{
    EmailAddress, Locale, NewUser, OrgId, Role, User, UserDetails, UserId, ValidationErrors,
};

use serde::{Deserialize, Serialize};

/// A new account as typed into the form or the CLI.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserInput {
    pub name: String,
    pub email: String,
    pub role: Option<Role>,
    pub password: String,
}

impl UserInput {
    fn validate(&self) -> Result<(String, EmailAddress, Role), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let name = self.name.trim();
        if name.is_empty() {
            errors.push("name", Invalid::Required);
        } else if name.chars().count() > 100 {
            errors.push("name", Invalid::TooLong { max: 100 });
        } else if name.chars().any(char::is_control) {
            errors.push("name", Invalid::ControlCharacters);
        }
        let email = EmailAddress::parse(&self.email);
        if email.is_err() {
            errors.push("email", Invalid::Email);
        }
        check_new_password(&mut errors, "password", &self.password);
        match email {
            Ok(email) if errors.is_empty() => {
                Ok((name.to_owned(), email, self.role.unwrap_or(Role::Gebruiker)))
            }
            _ => Err(errors),
        }
    }
}

impl Core {
    /// Creates an account without a calling user: for the operator's CLI and the demo data.
    /// The organisation is created when no organisation of that name exists.
    pub async fn bootstrap_user(&self, org_name: &str, input: &UserInput) -> CoreResult<User> {
        let org = match self.store.org_by_name(org_name).await? {
            Some(org) => org,
            None => self.store.create_org(org_name).await?,
        };
        self.insert_user(org.id, input).await
    }

    async fn insert_user(&self, org_id: OrgId, input: &UserInput) -> CoreResult<User> {
        let (name, email, role) = input.validate()?;
        let password_hash = password::hash_password(&input.password).await?;
        let user = NewUser {
            org_id,
            name,
            email,
            role,
            password_hash,
            locale: Locale::Nl,
        };
        Ok(self.store.create_user(&user).await?)
    }

    pub async fn list_users(&self, caller: &User) -> CoreResult<Vec<User>> {
        require_superadmin(caller)?;
        Ok(self.store.list_users(caller.org_id).await?)
    }

    pub async fn create_user(&self, caller: &User, input: &UserInput) -> CoreResult<User> {
        require_superadmin(caller)?;
        self.insert_user(caller.org_id, input).await
    }

    /// Changes a user's role; the organisation keeps at least one active SuperAdmin.
    pub async fn set_user_role(&self, caller: &User, id: UserId, role: Role) -> CoreResult<User> {
        require_superadmin(caller)?;
        let user = self.store.user(caller.org_id, id).await?;
        if user.role == Role::SuperAdmin && role != Role::SuperAdmin && user.active {
            self.keep_one_superadmin(caller).await?;
        }
        self.store.set_role(caller.org_id, id, role).await?;
        Ok(self.store.user(caller.org_id, id).await?)
    }

    /// (De)activates a user. A deactivated user cannot log in and loses every session.
    pub async fn set_user_active(
        &self,
        caller: &User,
        id: UserId,
        active: bool,
    ) -> CoreResult<User> {
        require_superadmin(caller)?;
        if id == caller.id && !active {
            return Err(CoreError::Conflict("own account"));
        }
        let user = self.store.user(caller.org_id, id).await?;
        if !active && user.active && user.role == Role::SuperAdmin {
            self.keep_one_superadmin(caller).await?;
        }
        self.store.set_active(caller.org_id, id, active).await?;
        if !active {
            self.store.delete_user_sessions(id, None).await?;
        }
        Ok(self.store.user(caller.org_id, id).await?)
    }

    async fn keep_one_superadmin(&self, caller: &User) -> CoreResult<()> {
        if self.store.count_active_superadmins(caller.org_id).await? <= 1 {
            Err(CoreError::Conflict("last superadmin"))
        } else {
            Ok(())
        }
    }

    /// The caller's own name, job title and phone number (Mijn gegevens): what the merge
    /// fields gebruiker.naam, .functie and .telefoon say in their mail.
    pub async fn set_my_details(&self, caller: &User, details: &UserDetails) -> CoreResult<User> {
        let valid = details.validate()?;
        Ok(self
            .store
            .set_user_details(caller.org_id, caller.id, &valid)
            .await?)
    }

    /// The caller's language, remembered for the next visit.
    pub async fn set_locale(&self, caller: &User, locale: Locale) -> CoreResult<()> {
        Ok(self
            .store
            .set_locale(caller.org_id, caller.id, locale)
            .await?)
    }

    /// The account with this login address, for the operator's command line (no caller: the
    /// operator has the database).
    pub async fn user_by_email(&self, email: &EmailAddress) -> CoreResult<Option<User>> {
        Ok(self
            .store
            .user_for_login(email)
            .await?
            .map(|(user, _)| user))
    }

    /// The caller as stored now (role or activity may have changed since the session began).
    pub async fn me(&self, caller: &User) -> CoreResult<User> {
        Ok(self.store.user(caller.org_id, caller.id).await?)
    }
}
