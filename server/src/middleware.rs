//! Who is calling, and may this request change anything?
//!
//! [`authenticate`] runs on every request: it resolves a bearer API token or the session cookie
//! to a [`Caller`], hands out the CSRF token, refuses state-changing requests that do not carry
//! it back, and sends visitors without a session from a page to the login form.

use crate::error::ApiError;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use postkamer_app::csrf::{CSRF_HEADER, csrf_cookie_name};
use postkamer_app::ssr::{
    AppState, Caller, ClientInfo, CsrfToken, SessionSecret, session_cookie_name,
};
use postkamer_core::CoreError;
use std::net::{IpAddr, SocketAddr};

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
        .filter(|v| !v.is_empty())
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// Compares without an early exit, so the time taken does not reveal the matching prefix.
fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Requests for pages (not the API, server functions, assets or probes) need a session.
fn is_page(path: &str) -> bool {
    const OPEN: &[&str] = &[
        "/api/", "/fn/", "/pkg/", "/login", "/healthz", "/readyz", "/favicon",
    ];
    !OPEN.iter().any(|p| path.starts_with(p))
        && !path
            .rsplit('/')
            .next()
            .is_some_and(|last| last.contains('.'))
}

/// The client's address: the peer's, or behind a trusted reverse proxy (`trust_forwarded_for`)
/// the address the proxy appended last to `X-Forwarded-For` (every request comes from the
/// proxy itself there).
pub fn client_ip(
    trust_forwarded_for: bool,
    headers: &HeaderMap,
    extensions: &axum::http::Extensions,
) -> Option<IpAddr> {
    let forwarded = trust_forwarded_for
        .then(|| {
            headers
                .get_all("x-forwarded-for")
                .iter()
                .next_back()
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.rsplit(',').next())
                .and_then(|ip| ip.trim().parse().ok())
        })
        .flatten();
    forwarded.or_else(|| {
        extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip())
    })
}

fn new_csrf_token() -> String {
    uuid::Uuid::new_v4().simple().to_string() + &uuid::Uuid::new_v4().simple().to_string()
}

pub async fn authenticate(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let headers = request.headers();
    let path = request.uri().path().to_owned();
    let ip = client_ip(
        state.trust_forwarded_for,
        request.headers(),
        request.extensions(),
    );
    let client = ClientInfo {
        ip,
        user_agent: headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|s| s.chars().take(300).collect()),
    };

    // Bearer tokens are not sent by browsers on their own, so they need no CSRF token. They
    // open the JSON API only: not the server functions behind the browser UI (which can create
    // tokens and change passwords).
    let mut by_token = false;
    let mut caller = None;
    if let Some(token) = bearer(headers).filter(|_| path.starts_with("/api/")) {
        match state.core.api_token_user(token).await {
            Ok(Some(user)) => {
                caller = Some(user);
                by_token = true;
            }
            Ok(None) => return ApiError::BadToken.into_response(),
            Err(err) => return ApiError::Core(err).into_response(),
        }
    }
    let session = cookie(headers, session_cookie_name(state.secure_cookies)).map(str::to_owned);
    let mut by_session = false;
    if caller.is_none()
        && let Some(secret) = &session
    {
        match state.core.session_user(secret).await {
            Ok(user) => {
                by_session = user.is_some();
                caller = user;
            }
            Err(err) => return ApiError::Core(err).into_response(),
        }
    }

    let csrf_cookie = csrf_cookie_name(state.secure_cookies);
    let existing_csrf = cookie(headers, csrf_cookie).map(str::to_owned);
    // Signed in: the token belongs to the session. Before login: the cookie's random token.
    let expected_csrf = match (&session, by_session) {
        (Some(secret), true) => Some(postkamer_core::session_csrf_token(secret)),
        _ => existing_csrf.clone(),
    };
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if !safe && !by_token {
        let sent = headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok());
        let valid = matches!((sent, &expected_csrf), (Some(s), Some(c)) if constant_time_eq(s, c));
        if !valid {
            tracing::warn!(%path, "refused a state-changing request without a valid CSRF token");
            return ApiError::Csrf.into_response();
        }
    }

    if caller.is_none() && *request.method() == Method::GET && is_page(&path) {
        let target = request.uri().path_and_query().map_or("/", |p| p.as_str());
        let next = if target == "/" {
            String::new()
        } else {
            format!("?next={}", postkamer_app::url::encode_component(target))
        };
        return Redirect::to(&format!("/login{next}")).into_response();
    }

    let pre_session_csrf = existing_csrf.clone().unwrap_or_else(new_csrf_token);
    let extensions = request.extensions_mut();
    extensions.insert(client);
    extensions.insert(CsrfToken(
        expected_csrf.unwrap_or_else(|| pre_session_csrf.clone()),
    ));
    if let (Some(user), false) = (&caller, by_token) {
        if let Some(secret) = session {
            extensions.insert(SessionSecret(secret));
        }
        extensions.insert(Caller(user.clone()));
    } else if let Some(user) = caller {
        extensions.insert(Caller(user));
    }

    let mut response = next.run(request).await;
    if existing_csrf.is_none() {
        let secure = if state.secure_cookies { "; Secure" } else { "" };
        let value =
            format!("{csrf_cookie}={pre_session_csrf}; Path=/; HttpOnly; SameSite=Lax{secure}");
        if let Ok(value) = HeaderValue::from_str(&value) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

/// The caller of an API request, or 401.
pub struct ApiCaller(pub postkamer_domain::User);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for ApiCaller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, ApiError> {
        parts
            .extensions
            .get::<Caller>()
            .map(|c| ApiCaller(c.0.clone()))
            .ok_or(ApiError::Core(CoreError::Unauthenticated))
    }
}

/// Unknown routes under `/api/` answer a problem document, not the HTML 404 page.
pub async fn api_not_found() -> ApiError {
    ApiError::Core(CoreError::NotFound)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_need_a_session_assets_do_not() {
        assert!(is_page("/"));
        assert!(is_page("/relaties/personen/3"));
        assert!(!is_page("/login"));
        assert!(!is_page("/pkg/postkamer.js"));
        assert!(!is_page("/api/v1/persons"));
        assert!(!is_page("/favicon.svg"));
    }

    #[test]
    fn cookies_are_found_by_name() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; pk_session=abc; pk_csrf="),
        );
        assert_eq!(cookie(&h, "pk_session"), Some("abc"));
        assert_eq!(cookie(&h, "pk_csrf"), None);
        assert_eq!(cookie(&h, "b"), None);
    }

    #[test]
    fn compares_tokens() {
        assert!(constant_time_eq("abc", "abc"));
        assert!(!constant_time_eq("abc", "abd"));
        assert!(!constant_time_eq("abc", "ab"));
    }
}
