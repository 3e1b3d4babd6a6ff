use crate::csrf::CsrfClient;
use crate::error::AppError;
use leptos::prelude::*;
use postkamer_domain::{ApiTokenId, Locale, User, UserDetails};
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::ssr;

/// The signed-in user, or `None` on the login page.
#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn me() -> Result<Option<User>, AppError> {
    let Ok(caller) = ssr::caller() else {
        return Ok(None);
    };
    Ok(Some(ssr::state()?.core.me(&caller).await?))
}

/// Gebruikersinstellingen → Mijn gegevens: the caller's name, job title and phone number.
#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn my_details() -> Result<UserDetails, AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    Ok(UserDetails::of(&state.core.me(&caller).await?))
}

/// Saves them: what the merge fields gebruiker.naam, .functie and .telefoon say from now on.
#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn save_my_details(details: UserDetails) -> Result<UserDetails, AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    let user = state.core.set_my_details(&caller, &details).await?;
    Ok(UserDetails::of(&user))
}

/// Checks the credentials and starts a session (an HttpOnly cookie).
#[server(prefix = "/fn", endpoint = "login", input = Json, client = CsrfClient)]
pub async fn login(email: String, password: String) -> Result<User, AppError> {
    let state = ssr::state()?;
    let client = ssr::client_info();
    // A session the browser presented is ended, not reused: whoever planted or shared that
    // cookie does not ride along into the new session.
    if let Some(previous) = ssr::session_secret() {
        state.core.logout(&previous).await?;
    }
    let login = state
        .core
        .login(&email, &password, client.ip, client.user_agent.as_deref())
        .await?;
    let max_age = (login.expires_at - state.core.clock().now_millis()) / 1000;
    ssr::add_header(
        http::header::SET_COOKIE,
        &ssr::session_cookie(&login.session_token, max_age, state.secure_cookies),
    );
    Ok(login.user)
}

#[server(prefix = "/fn", endpoint = "logout", input = Json, client = CsrfClient)]
pub async fn logout() -> Result<(), AppError> {
    let state = ssr::state()?;
    if let Some(secret) = ssr::session_secret() {
        state.core.logout(&secret).await?;
    }
    ssr::add_header(
        http::header::SET_COOKIE,
        &ssr::session_cookie("", 0, state.secure_cookies),
    );
    Ok(())
}

#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn set_locale(locale: Locale) -> Result<(), AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    Ok(state.core.set_locale(&caller, locale).await?)
}

#[server(prefix = "/fn", endpoint = "change_password", input = Json, client = CsrfClient)]
pub async fn change_password(
    current: String,
    new: String,
    confirm: String,
) -> Result<PasswordChanged, AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    let session = ssr::session_secret();
    let revoked = state
        .core
        .change_password(&caller, &current, &new, &confirm, session.as_deref())
        .await?;
    Ok(PasswordChanged {
        sessions: revoked.sessions,
        api_tokens: revoked.api_tokens,
        app_passwords: revoked.app_passwords,
    })
}

/// What a password change ended besides the session that made it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordChanged {
    pub sessions: u64,
    pub api_tokens: u64,
    pub app_passwords: u64,
}

/// An API token as listed for its owner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenInfo {
    pub id: ApiTokenId,
    pub name: String,
    pub prefix: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

#[cfg(feature = "ssr")]
impl From<postkamer_domain::ApiToken> for TokenInfo {
    fn from(t: postkamer_domain::ApiToken) -> Self {
        TokenInfo {
            id: t.id,
            name: t.name,
            prefix: t.prefix,
            created_at: t.created_at,
            last_used_at: t.last_used_at,
        }
    }
}

#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn list_api_tokens() -> Result<Vec<TokenInfo>, AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    Ok(state
        .core
        .list_api_tokens(&caller)
        .await?
        .into_iter()
        .map(TokenInfo::from)
        .collect())
}

/// Creates a token; the secret is in the answer once and never again.
#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn create_api_token(name: String) -> Result<(TokenInfo, String), AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    let (token, secret) = state.core.create_api_token(&caller, &name).await?;
    Ok((token.into(), secret))
}

#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn revoke_api_token(id: ApiTokenId) -> Result<(), AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    Ok(state.core.revoke_api_token(&caller, id).await?)
}
