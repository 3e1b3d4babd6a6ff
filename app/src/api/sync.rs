//! Relation sync (CardDAV): Beheer → Gebruikersinstellingen → Synchronisatie, for every user
//! about themself, and marking relations for sync. Thin calls into `postkamer_core::carddav`;
//! the core scopes each call to the caller. The store's records are not serialisable, so the
//! browser gets its own copies below.

use crate::csrf::CsrfClient;
use crate::error::AppError;
use leptos::prelude::*;
use postkamer_domain::PersonId;
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::ssr;

/// An app password as the list shows it (never its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppPasswordView {
    pub id: i64,
    pub name: String,
    /// Unix milliseconds.
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

/// A device (user agent) that synced, with the app password it used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceView {
    pub user_agent: String,
    /// The app password's name; `None` when the device logged in with the Postkamer password.
    pub app_password: Option<String>,
    pub last_seen_at: i64,
}

/// What a phone needs to know: the values of the "add CardDAV account" screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncConnection {
    /// Host name (with a port when it is not the default): iOS's "Server".
    pub server: String,
    /// The full CardDAV address: Android apps' "URL".
    pub url: String,
    /// The login e-mail address.
    pub username: String,
}

/// The settings page in one answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncOverview {
    pub enabled: bool,
    /// Relations marked for sync (the organisation's address book).
    pub synced: u64,
    pub connection: SyncConnection,
    pub app_passwords: Vec<AppPasswordView>,
    pub devices: Vec<DeviceView>,
}

/// A new app password with its secret, which the page shows once.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewAppPassword {
    pub password: AppPasswordView,
    pub secret: String,
}

/// Never the secret in logs.
impl std::fmt::Debug for NewAppPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewAppPassword")
            .field("password", &self.password)
            .field("secret", &"…")
            .finish()
    }
}

#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn get_sync_settings() -> Result<SyncOverview, AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    let settings = state.core.sync_settings(&caller).await?;
    let connection = endpoint::connection(
        state.sync_host.as_deref(),
        state.public_url.as_deref(),
        endpoint::request_host().as_deref(),
        caller.email.as_str(),
    );
    Ok(SyncOverview {
        enabled: settings.enabled,
        synced: settings.synced,
        connection,
        app_passwords: settings
            .app_passwords
            .into_iter()
            .map(endpoint::app_password_view)
            .collect(),
        devices: settings
            .devices
            .into_iter()
            .map(|d| DeviceView {
                user_agent: d.user_agent,
                app_password: d.app_password,
                last_seen_at: d.last_seen_at,
            })
            .collect(),
    })
}

/// "Relatie-synchronisatie aan/uit".
#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn set_sync_enabled(enabled: bool) -> Result<(), AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    Ok(state.core.set_sync_enabled(&caller, enabled).await?)
}

/// "App-wachtwoord aanmaken": the secret comes back this once.
#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn create_app_password(name: String) -> Result<NewAppPassword, AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    let (password, secret) = state.core.create_app_password(&caller, &name).await?;
    Ok(NewAppPassword {
        password: endpoint::app_password_view(password),
        secret,
    })
}

/// "Intrekken": devices using it get 401 from then on.
#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn revoke_app_password(id: i64) -> Result<(), AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    Ok(state.core.revoke_app_password(&caller, id).await?)
}

/// "Markeren voor synchronisatie" / "Niet meer synchroniseren" for one person or a selection;
/// answers how many changed.
#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn set_persons_synced(ids: Vec<PersonId>, synced: bool) -> Result<u64, AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    Ok(state.core.set_persons_synced(&caller, &ids, synced).await?)
}

/// The page's copies of the store's records, and the request's host.
#[cfg(feature = "ssr")]
mod endpoint {
    use super::{AppPasswordView, SyncConnection};
    use leptos::prelude::use_context;
    use postkamer_core::carddav::SyncEndpoint;

    pub fn app_password_view(p: postkamer_domain::relation::AppPassword) -> AppPasswordView {
        AppPasswordView {
            id: p.id,
            name: p.name,
            created_at: p.created_at,
            last_used_at: p.last_used_at,
        }
    }

    /// The `Host` of the request being answered.
    pub fn request_host() -> Option<String> {
        let parts = use_context::<http::request::Parts>()?;
        parts
            .headers
            .get(http::header::HOST)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
            .or_else(|| parts.uri.authority().map(|a| a.as_str().to_owned()))
    }

    pub fn connection(
        sync_host: Option<&str>,
        public_url: Option<&str>,
        request_host: Option<&str>,
        username: &str,
    ) -> SyncConnection {
        let endpoint = SyncEndpoint::resolve(sync_host, public_url, request_host);
        SyncConnection {
            server: endpoint.server(),
            url: endpoint.url(),
            username: username.to_owned(),
        }
    }
}
