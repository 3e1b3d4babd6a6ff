//! Logging in and out, sessions, API tokens and login throttling.

use crate::tokens::{hash_secret, random_secret};
use crate::{Core, CoreError, CoreResult, password};
use postkamer_domain::ApiToken;
use postkamer_domain::clock::millis;
use postkamer_domain::validate::Invalid;
use postkamer_domain::{ApiTokenId, EmailAddress, User, ValidationErrors};
use postkamer_store::{AttemptClaim, NewSession, Revoked};
use std::net::IpAddr;
use std::time::Duration;

/// How many failed logins are allowed within `window`: for one account from one client address
/// (the limit a user who mistypes meets), for one account from all addresses together (high, so
/// a stranger elsewhere cannot lock the user out, but distributed guessing still stops), and
/// from one client address over all accounts.
#[derive(Debug, Clone)]
pub struct ThrottlePolicy {
    pub window: Duration,
    pub per_client: u64,
    pub per_account: u64,
    pub per_ip: u64,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        Self {
            window: Duration::from_secs(15 * 60),
            per_client: 5,
            per_account: 100,
            per_ip: 30,
        }
    }
}

/// A successful login: the user and the session secret for the cookie.
#[derive(Debug, Clone)]
pub struct Login {
    pub user: User,
    pub session_token: String,
    pub expires_at: i64,
}

pub const MIN_PASSWORD_LEN: usize = 10;

impl Core {
    /// Checks the credentials, throttling repeated failures per account and per address.
    /// Unknown address, wrong password and deactivated account all answer `Unauthenticated`.
    pub async fn login(
        &self,
        email: &str,
        password: &str,
        ip: Option<IpAddr>,
        user_agent: Option<&str>,
    ) -> CoreResult<Login> {
        let user = self.check_password(email, password, ip).await?;
        let now = self.now();

        let session_token = random_secret();
        let expires_at = now + millis(self.config.session_ttl);
        self.store
            .create_session(&NewSession {
                token_hash: &hash_secret(&session_token),
                user_id: user.id,
                now,
                expires_at,
                user_agent,
            })
            .await?;
        tracing::info!(user = %user.id, "logged in");
        Ok(Login {
            user,
            session_token,
            expires_at,
        })
    }

    /// Checks an e-mail address and password, throttled per account and per client address
    /// (failures are counted in the database, so across instances); `Unauthenticated` for a
    /// wrong password, an unknown address or an inactive account alike.
    pub(crate) async fn check_password(
        &self,
        email: &str,
        password: &str,
        ip: Option<IpAddr>,
    ) -> CoreResult<User> {
        let policy = &self.config.throttle;
        let account_key = account_key(email);
        let ip_key = ip.map(ip_key);
        let client_key = format!(
            "{account_key}|{}",
            ip_key.as_deref().unwrap_or("ip:unknown")
        );
        let mut keys = vec![
            (client_key.as_str(), policy.per_client),
            (account_key.as_str(), policy.per_account),
        ];
        if let Some(ip_key) = &ip_key {
            keys.push((ip_key.as_str(), policy.per_ip));
        }
        let attempt = self.claim_attempt(&keys).await?;

        let found = match EmailAddress::parse(email) {
            Ok(address) => self.store.user_for_login(&address).await?,
            Err(_) => None,
        };
        // An unknown address is verified against a real hash too, so the response time does not
        // tell which accounts exist.
        let dummy;
        let hash = match &found {
            Some((_, hash)) => hash.as_str(),
            None => {
                dummy = self.dummy_hash().await?;
                dummy.as_str()
            }
        };
        let verified = self.verify(hash, password).await?;
        let user = match found {
            // The attempt's rows stay: they are the failures.
            Some((user, _)) if verified && user.active => user,
            _ => return Err(CoreError::Unauthenticated),
        };
        self.store.release_login_attempt(&attempt).await?;
        self.store.clear_login_failures(&client_key).await?;
        Ok(user)
    }

    /// Records an attempt under every key before the password is checked (taken back when it
    /// was right), refusing with `Throttled` when a key is at its limit: the check and the
    /// record are one step in the database, so parallel requests get no more checks than the
    /// limit allows.
    async fn claim_attempt(&self, keys: &[(&str, u64)]) -> CoreResult<Vec<i64>> {
        let now = self.now();
        let window = millis(self.config.throttle.window);
        match self
            .store
            .claim_login_attempt(keys, now - window, now)
            .await?
        {
            AttemptClaim::Granted(ids) => Ok(ids),
            AttemptClaim::Refused { oldest } => {
                let retry_after_secs =
                    u64::try_from((oldest + window - now).max(1000) / 1000).unwrap_or(1);
                tracing::warn!(key = keys.first().map(|k| k.0), "login throttled");
                Err(CoreError::Throttled { retry_after_secs })
            }
        }
    }

    /// Verifies a password while holding one of a few permits: argon2 takes 19 MiB and real
    /// CPU per check, so a burst of logins queues here instead of exhausting memory.
    async fn verify(&self, hash: &str, password: &str) -> CoreResult<bool> {
        let _permit = self
            .hashing
            .acquire()
            .await
            .map_err(|e| CoreError::Internal(e.to_string()))?;
        Ok(password::verify_password(hash, password).await)
    }

    async fn dummy_hash(&self) -> CoreResult<&String> {
        self.dummy_hash
            .get_or_try_init(|| password::hash_password("postkamer dummy password"))
            .await
    }

    /// The user behind a session cookie, if the session is valid.
    pub async fn session_user(&self, session_token: &str) -> CoreResult<Option<User>> {
        Ok(self
            .store
            .session_user(&hash_secret(session_token), self.now())
            .await?)
    }

    pub async fn logout(&self, session_token: &str) -> CoreResult<()> {
        Ok(self
            .store
            .delete_session(&hash_secret(session_token))
            .await?)
    }

    /// Changes the caller's password and ends every other way in: the caller's other sessions,
    /// API tokens and app passwords (told back, so the user knows what to set up again).
    pub async fn change_password(
        &self,
        caller: &User,
        current: &str,
        new: &str,
        confirm: &str,
        session_token: Option<&str>,
    ) -> CoreResult<Revoked> {
        let key = format!("password-change:{}", caller.id);
        let attempt = self
            .claim_attempt(&[(key.as_str(), self.config.throttle.per_client)])
            .await?;
        let hash = self.store.password_hash(caller.org_id, caller.id).await?;
        let mut errors = ValidationErrors::default();
        if self.verify(&hash, current).await? {
            self.store.release_login_attempt(&attempt).await?;
        } else {
            errors.push("current", Invalid::WrongPassword);
        }
        check_new_password(&mut errors, "new", new);
        if new != confirm {
            errors.push("confirm", Invalid::PasswordMismatch);
        }
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let hash = password::hash_password(new).await?;
        let keep = session_token.map(hash_secret);
        let revoked = self
            .store
            .change_password(caller.org_id, caller.id, &hash, keep.as_deref(), self.now())
            .await?;
        tracing::info!(
            user = %caller.id,
            sessions = revoked.sessions,
            api_tokens = revoked.api_tokens,
            app_passwords = revoked.app_passwords,
            "password changed; other credentials revoked"
        );
        Ok(revoked)
    }

    /// Creates a bearer token for the caller; the secret is returned once and stored hashed.
    pub async fn create_api_token(
        &self,
        caller: &User,
        name: &str,
    ) -> CoreResult<(ApiToken, String)> {
        let name = name.trim();
        if name.is_empty() {
            return Err(ValidationErrors::single("name", Invalid::Required).into());
        }
        if name.chars().count() > 100 {
            return Err(ValidationErrors::single("name", Invalid::TooLong { max: 100 }).into());
        }
        let secret = format!("pk_{}", random_secret());
        let prefix: String = secret.chars().take(10).collect();
        let token = self
            .store
            .create_api_token(caller.id, name, &hash_secret(&secret), &prefix, self.now())
            .await?;
        Ok((token, secret))
    }

    pub async fn list_api_tokens(&self, caller: &User) -> CoreResult<Vec<ApiToken>> {
        Ok(self.store.list_api_tokens(caller.id).await?)
    }

    pub async fn revoke_api_token(&self, caller: &User, id: ApiTokenId) -> CoreResult<()> {
        Ok(self
            .store
            .revoke_api_token(caller.id, id, self.now())
            .await?)
    }

    /// The user behind a bearer token, if the token is valid.
    pub async fn api_token_user(&self, secret: &str) -> CoreResult<Option<User>> {
        Ok(self
            .store
            .api_token_user(&hash_secret(secret), self.now())
            .await?)
    }

    /// Housekeeping: drops expired sessions, old login failures, and the relation sync's
    /// changes older than [`crate::carddav::CHANGES_KEPT`].
    pub async fn prune(&self) -> CoreResult<()> {
        let now = self.now();
        self.store.delete_expired_sessions(now).await?;
        self.store
            .prune_login_failures(now - millis(self.config.throttle.window))
            .await?;
        self.store
            .prune_change_logs(now - millis(crate::carddav::CHANGES_KEPT))
            .await?;
        Ok(())
    }
}

/// The throttling key of an account: the normalised address, so `Jan@X.nl.` and `jan@x.nl`
/// count together.
fn account_key(email: &str) -> String {
    match EmailAddress::parse(email) {
        Ok(address) => format!("account:{address}"),
        Err(_) => format!("account:{}", email.trim().to_lowercase()),
    }
}

/// The throttling key of a client address. IPv6 clients usually hold a whole /64, so they are
/// counted per /64.
fn ip_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => format!("ip:{v4}"),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => format!("ip:{v4}"),
            None => {
                let s = v6.segments();
                format!("ip:{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

pub(crate) fn check_new_password(errors: &mut ValidationErrors, field: &str, password: &str) {
    if password.chars().count() < MIN_PASSWORD_LEN {
        errors.push(
            field,
            Invalid::PasswordTooShort {
                min: MIN_PASSWORD_LEN,
            },
        );
    } else if password.len() > 1024 {
        errors.push(field, Invalid::TooLong { max: 1024 });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throttle_keys_are_normalised() {
        assert_eq!(account_key(" Jan@X.nl.. "), "account:jan@x.nl");
        assert_eq!(account_key("geen adres"), "account:geen adres");
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().unwrap();
        assert_eq!(ip_key(a), ip_key(b));
        assert_eq!(ip_key("::ffff:192.0.2.1".parse().unwrap()), "ip:192.0.2.1");
    }
}
