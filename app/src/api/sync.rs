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
    pub synced: usize,
    pub connection: SyncConnection,
    pub app_passwords: Vec<AppPasswordView>,
    pub devices: Vec<DeviceView>,
}

/// A new app password with its secret, which the page shows once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewAppPassword {
    pub password: AppPasswordView,
    pub secret: String,
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

/// Where phones reach the address book, worked out on the server.
#[cfg(feature = "ssr")]
mod endpoint {
    use super::{AppPasswordView, SyncConnection};
    use leptos::prelude::use_context;

    pub fn app_password_view(p: postkamer_store::cards::AppPassword) -> AppPasswordView {
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

    /// The host of `https://crm.voorbeeld.nl/…`.
    fn url_host(url: &str) -> Option<&str> {
        url.split_once("://")
            .map(|(_, rest)| rest.split(['/', '?', '#']).next().unwrap_or(""))
            .filter(|h| !h.is_empty())
    }

    /// `http` only where no certificate can be: the address users reach the site at says,
    /// else a loopback host (a developer's machine).
    fn scheme(public_url: Option<&str>, host: &str) -> &'static str {
        match public_url {
            Some(url) if url.starts_with("http://") => return "http",
            Some(url) if url.starts_with("https://") => return "https",
            _ => {}
        }
        let name = match host.strip_prefix('[') {
            Some(v6) => v6.split(']').next().unwrap_or(v6),
            None => host.rsplit_once(':').map_or(host, |(name, _)| name),
        };
        let loopback = name.eq_ignore_ascii_case("localhost")
            || name
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback());
        if loopback { "http" } else { "https" }
    }

    /// The sync host name when there is one (CardDAV at its root), else the site's own host
    /// (CardDAV at `/dav/`): the public URL's, else the one this request came in on.
    pub fn connection(
        sync_host: Option<&str>,
        public_url: Option<&str>,
        request_host: Option<&str>,
        username: &str,
    ) -> SyncConnection {
        let (host, path) = match (sync_host, public_url.and_then(url_host), request_host) {
            (Some(sync), _, _) => (sync, "/"),
            (None, Some(host), _) | (None, None, Some(host)) => (host, "/dav/"),
            (None, None, None) => ("localhost", "/dav/"),
        };
        let host = host.to_ascii_lowercase();
        SyncConnection {
            url: format!("{}://{host}{path}", scheme(public_url, &host)),
            server: host,
            username: username.to_owned(),
        }
    }

    #[cfg(test)]
    mod tests {
        use super::connection;

        #[test]
        fn the_sync_host_wins() {
            let c = connection(
                Some("sync.voorbeeld.nl"),
                Some("https://crm.voorbeeld.nl"),
                Some("crm.voorbeeld.nl"),
                "a@b.nl",
            );
            assert_eq!(c.server, "sync.voorbeeld.nl");
            assert_eq!(c.url, "https://sync.voorbeeld.nl/");
            assert_eq!(c.username, "a@b.nl");
        }

        #[test]
        fn else_the_public_url_then_the_request() {
            let c = connection(None, Some("https://CRM.voorbeeld.nl/"), Some("x"), "a@b.nl");
            assert_eq!(
                (c.server.as_str(), c.url.as_str()),
                ("crm.voorbeeld.nl", "https://crm.voorbeeld.nl/dav/")
            );
            let c = connection(None, Some("http://10.0.0.5:8080"), None, "a@b.nl");
            assert_eq!(c.url, "http://10.0.0.5:8080/dav/");
            let c = connection(None, None, Some("crm.voorbeeld.nl"), "a@b.nl");
            assert_eq!(c.url, "https://crm.voorbeeld.nl/dav/");
        }

        #[test]
        fn plain_http_only_on_loopback() {
            let c = connection(None, None, Some("127.0.0.1:3000"), "a@b.nl");
            assert_eq!(
                (c.server.as_str(), c.url.as_str()),
                ("127.0.0.1:3000", "http://127.0.0.1:3000/dav/")
            );
            let c = connection(None, None, Some("[::1]:3000"), "a@b.nl");
            assert_eq!(c.url, "http://[::1]:3000/dav/");
            let c = connection(None, None, Some("localhost"), "a@b.nl");
            assert_eq!(c.url, "http://localhost/dav/");
            let c = connection(Some("sync.voorbeeld.nl"), None, None, "a@b.nl");
            assert_eq!(c.url, "https://sync.voorbeeld.nl/");
        }
    }
}
