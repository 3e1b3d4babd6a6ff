//! Server-only glue between the server functions and the rest of the server: the shared state
//! and the caller the authentication middleware attached to the request.

use crate::error::AppError;
use leptos::prelude::*;
use postkamer_core::Core;
use postkamer_domain::User;

/// What every request handler shares. Provided as context to pages and server functions.
#[derive(Debug, Clone)]
pub struct AppState {
    pub core: Core,
    pub leptos_options: LeptosOptions,
    /// Set the `Secure` flag on cookies (the site is served over https).
    pub secure_cookies: bool,
    /// Take the client address from `X-Forwarded-For` (set only behind a trusted proxy).
    pub trust_forwarded_for: bool,
    /// The host name CardDAV clients use (`sync.voorbeeld.nl`), lower case, if any.
    pub sync_host: Option<String>,
    /// The address users reach the site at (`https://crm.voorbeeld.nl`), if configured.
    pub public_url: Option<String>,
}

impl axum::extract::FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The signed-in user of a request, put there by the server's authentication middleware.
#[derive(Debug, Clone)]
pub struct Caller(pub User);

/// The raw session secret of the request (to log out or keep this session on a password change).
#[derive(Debug, Clone)]
pub struct SessionSecret(pub String);

/// Where a request came from, for login throttling and the session list.
#[derive(Debug, Clone, Default)]
pub struct ClientInfo {
    pub ip: Option<std::net::IpAddr>,
    pub user_agent: Option<String>,
}

/// The CSRF token of this browser, rendered into the page for the client to send back.
#[derive(Debug, Clone)]
pub struct CsrfToken(pub String);

/// The nonce of this response's Content-Security-Policy: the page's inline scripts carry it.
#[derive(Debug, Clone)]
pub struct CspNonce(pub String);

/// Gives the page being rendered the nonce the server's security headers announce, so the
/// hydration scripts carry it.
pub fn provide_csp_nonce() {
    if let Some(CspNonce(nonce)) = extension::<CspNonce>() {
        provide_context(leptos::nonce::Nonce::from_value(nonce));
    }
}

pub const SESSION_COOKIE: &str = "pk_session";

/// The session cookie's name: over https with the `__Host-` prefix (see
/// [`crate::csrf::csrf_cookie_name`]).
pub fn session_cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-pk_session"
    } else {
        SESSION_COOKIE
    }
}

pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the server function context");
        AppError::Internal
    })
}

fn extension<T: Clone + Send + Sync + 'static>() -> Option<T> {
    use_context::<http::request::Parts>().and_then(|parts| parts.extensions.get::<T>().cloned())
}

/// The signed-in user, or `Unauthenticated`.
pub fn caller() -> Result<User, AppError> {
    extension::<Caller>()
        .map(|c| c.0)
        .ok_or_else(|| fail(AppError::Unauthenticated))
}

/// Sets the response status for `error` and returns it.
pub fn fail(error: AppError) -> AppError {
    set_status(error.status());
    error
}

pub fn session_secret() -> Option<String> {
    extension::<SessionSecret>().map(|s| s.0)
}

pub fn client_info() -> ClientInfo {
    extension::<ClientInfo>().unwrap_or_default()
}

pub fn csrf_token() -> Option<String> {
    extension::<CsrfToken>().map(|t| t.0)
}

/// The `Set-Cookie` value for a session cookie (`max_age` 0 clears it).
pub fn session_cookie(value: &str, max_age_secs: i64, secure: bool) -> String {
    let name = session_cookie_name(secure);
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}")
}

/// Sets the HTTP status of the page being rendered (403 for a refused page, 404 …).
pub fn set_status(status: http::StatusCode) {
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(status);
    }
}

pub fn add_header(name: http::HeaderName, value: &str) {
    if let (Some(response), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(value),
    ) {
        response.append_header(name, value);
    }
}

/// Where the editor module is (`/editor/editor-<hash>.js`): read once from the manifest its
/// build (`npm run build:editor`) wrote into the site. `None` when it was not built.
pub fn editor_module(site_root: &str) -> Option<&'static str> {
    static MODULE: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    MODULE
        .get_or_init(|| {
            let path = std::path::Path::new(site_root).join("editor/manifest.json");
            let manifest = match std::fs::read(&path) {
                Ok(bytes) => bytes,
                Err(error) => {
                    tracing::warn!(path = %path.display(), %error, "no editor module: templates cannot be edited");
                    return None;
                }
            };
            let module = serde_json::from_slice::<serde_json::Value>(&manifest)
                .ok()?
                .get("module")?
                .as_str()?
                .to_owned();
            let safe = module.starts_with("/editor/")
                && module
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "/.-_".contains(c));
            safe.then_some(module)
        })
        .as_deref()
}
