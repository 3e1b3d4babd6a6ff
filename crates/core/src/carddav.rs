//! Relation sync: a user's CardDAV address book over the CRM's persons. Authentication (CRM
//! password, or an app password per device), the settings under Beheer →
//! Gebruikersinstellingen → Synchronisatie, and [`AddressBook`], the `ContactStore` the
//! protocol engine reads and writes through: a card made or edited on a phone becomes a
//! relation (its company found or created by name), a card deleted on a phone is unmarked for
//! sync, never deleted.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use postkamer_domain::relation::{AppPassword, SyncDevice};
use postkamer_domain::{Invalid, PersonId, User, ValidationErrors};

use sha2::{Digest, Sha256};

mod book;
mod endpoint;

/// How long the relation sync's change logs are kept: a phone that has not synced for longer
/// gets valid-sync-token and syncs its whole book again.
pub const CHANGES_KEPT: std::time::Duration = std::time::Duration::from_secs(90 * 24 * 3600);

pub use book::{AddressBook, BOOK_QUOTA_BYTES};
pub use endpoint::{DAV_MOUNT, SyncEndpoint};
/// The CardDAV protocol engine the server's HTTP adapter drives.
pub use postkamer_carddav::{Dav, Principal, Request, vcard::MAX_CARD_BYTES, xml::escape};

use crate::tokens::{hash_secret, random_secret};
use crate::{Core, CoreError, CoreResult};

/// How long a checked CRM password is trusted for further requests of the same client (a full
/// sync is a few hundred requests; argon2 for each would take minutes).
const PASSWORD_CACHE: Duration = Duration::from_secs(300);

/// Checked credentials: SHA-256 of (address, password, stored hash) → when checked. A changed
/// password (another stored hash) never matches an old entry. Also when each device was last
/// recorded, so a sync of a few hundred requests writes its "last sync" once a minute.
#[derive(Debug, Default)]
pub(crate) struct CredentialCache(Mutex<HashMap<[u8; 32], Instant>>);

/// How often a device's "last sync" is written.
const DEVICE_EVERY: Duration = Duration::from_secs(60);
/// Entries the cache keeps at most: a client inventing a User-Agent per request cannot make it
/// grow without bound (at the cap, expired entries go; if none has, the cache starts over, which
/// costs a password check or a device write, nothing more).
const CACHE_ENTRIES: usize = 10_000;

impl CredentialCache {
    fn key(email: &str, password: &str, stored_hash: &str) -> [u8; 32] {
        let mut hasher = Sha256::new();
        for part in [email, password, stored_hash] {
            hasher.update(part.len().to_le_bytes());
            hasher.update(part.as_bytes());
        }
        hasher.finalize().into()
    }

    fn fresh(&self, key: &[u8; 32]) -> bool {
        let map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        map.get(key).is_some_and(|at| at.elapsed() < PASSWORD_CACHE)
    }

    /// Whether the device's last sync should be written now (and then marks it written).
    fn device_due(&self, user: postkamer_domain::UserId, agent: &str, app: Option<i64>) -> bool {
        let mut hasher = Sha256::new();
        hasher.update(b"device");
        hasher.update(user.0.to_le_bytes());
        hasher.update(app.unwrap_or(-1).to_le_bytes());
        hasher.update(agent.as_bytes());
        let key: [u8; 32] = hasher.finalize().into();
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if map.get(&key).is_some_and(|at| at.elapsed() < DEVICE_EVERY) {
            return false;
        }
        Self::insert(&mut map, key);
        true
    }

    fn remember(&self, key: [u8; 32]) {
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        Self::insert(&mut map, key);
    }

    fn insert(map: &mut HashMap<[u8; 32], Instant>, key: [u8; 32]) {
        if map.len() >= CACHE_ENTRIES {
            map.retain(|_, at| at.elapsed() < PASSWORD_CACHE);
            if map.len() >= CACHE_ENTRIES {
                map.clear();
            }
        }
        map.insert(key, Instant::now());
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).len()
    }
}

/// A user's sync settings and devices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncSettings {
    pub enabled: bool,
    pub app_passwords: Vec<AppPassword>,
    pub devices: Vec<SyncDevice>,
    /// How many relations are marked for sync (the organisation's book).
    pub synced: u64,
}

/// Who is syncing: the user, and the app password used (if any).
#[derive(Debug, Clone)]
pub struct DavLogin {
    pub user: User,
    pub app_password: Option<i64>,
}

impl Core {
    /// Authenticates a CardDAV request (HTTP Basic): the login address with an app password of
    /// that user, or with the CRM password (throttled like the login page). Sync must be on.
    pub async fn authenticate_dav(
        &self,
        email: &str,
        secret: &str,
        ip: Option<IpAddr>,
        user_agent: &str,
    ) -> CoreResult<DavLogin> {
        let address =
            postkamer_domain::EmailAddress::parse(email).map_err(|_| CoreError::Unauthenticated)?;
        let found = self.store.user_for_login(&address).await?;
        let mut app_password = None;
        let user = match self.store.app_password_user(&hash_secret(secret)).await? {
            Some((user_id, id, last_used)) => match &found {
                Some((user, _)) if user.id == user_id && user.active => {
                    app_password = Some(id);
                    // "Last used" to the minute: no write on every request of a sync.
                    if last_used.is_none_or(|at| self.now() - at > 60_000) {
                        self.store.touch_app_password(id).await?;
                    }
                    user.clone()
                }
                _ => return Err(CoreError::Unauthenticated),
            },
            None => {
                let key = found
                    .as_ref()
                    .map(|(_, hash)| CredentialCache::key(address.as_str(), secret, hash));
                match (&found, key) {
                    (Some((user, _)), Some(key)) if user.active && self.credentials.fresh(&key) => {
                        user.clone()
                    }
                    _ => {
                        let user = self.check_password(email, secret, ip).await?;
                        if let Some(key) = key {
                            self.credentials.remember(key);
                        }
                        user
                    }
                }
            }
        };
        if !self.store.carddav_enabled(user.org_id, user.id).await? {
            return Err(CoreError::Conflict("sync_disabled"));
        }
        if self
            .credentials
            .device_due(user.id, user_agent, app_password)
        {
            self.store
                .record_sync_device(user.id, user_agent, app_password)
                .await?;
        }
        Ok(DavLogin { user, app_password })
    }

    /// The address book of `user` for the protocol engine.
    pub fn address_book(&self, user: User) -> AddressBook {
        AddressBook::new(self.clone(), user)
    }

    pub async fn sync_settings(&self, caller: &User) -> CoreResult<SyncSettings> {
        Ok(SyncSettings {
            enabled: self.store.carddav_enabled(caller.org_id, caller.id).await?,
            app_passwords: self.store.app_passwords(caller.id).await?,
            devices: self.store.sync_devices(caller.id).await?,
            synced: self.store.synced_count(caller.org_id).await?,
        })
    }

    pub async fn set_sync_enabled(&self, caller: &User, enabled: bool) -> CoreResult<()> {
        Ok(self
            .store
            .set_carddav_enabled(caller.org_id, caller.id, enabled)
            .await?)
    }

    /// A new app password; the secret is shown once (returned here) and stored hashed.
    pub async fn create_app_password(
        &self,
        caller: &User,
        name: &str,
    ) -> CoreResult<(AppPassword, String)> {
        let name = name.trim();
        if name.is_empty() {
            return Err(ValidationErrors::single("name", Invalid::Required).into());
        }
        if name.chars().count() > 100 {
            return Err(ValidationErrors::single("name", Invalid::TooLong { max: 100 }).into());
        }
        // Four groups of letters and digits, easy to type on a phone.
        let secret: String = random_secret()
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .take(16)
            .collect::<Vec<_>>()
            .chunks(4)
            .map(|c| c.iter().collect::<String>())
            .collect::<Vec<_>>()
            .join("-")
            .to_lowercase();
        let password = self
            .store
            .create_app_password(caller.id, name, &hash_secret(&secret))
            .await?;
        Ok((password, secret))
    }

    pub async fn revoke_app_password(&self, caller: &User, id: i64) -> CoreResult<()> {
        Ok(self.store.revoke_app_password(caller.id, id).await?)
    }

    /// Marks or unmarks relations for sync (relation list, detail page, a selection).
    pub async fn set_persons_synced(
        &self,
        caller: &User,
        persons: &[PersonId],
        synced: bool,
    ) -> CoreResult<u64> {
        Ok(self
            .store
            .set_synced(caller.org_id, persons, synced)
            .await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cache_stays_bounded_whatever_the_user_agents() {
        let cache = CredentialCache::default();
        let user = postkamer_domain::UserId(1);
        for i in 0..(CACHE_ENTRIES * 3) {
            assert!(cache.device_due(user, &format!("agent {i}"), None));
        }
        assert!(cache.len() <= CACHE_ENTRIES);
        assert!(!cache.device_due(user, &format!("agent {}", CACHE_ENTRIES * 3 - 1), None));
    }
}
