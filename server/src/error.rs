//! The one mapping from errors to HTTP responses of the JSON API.
//!
//! Policy: every error the API returns is `application/problem+json` (RFC 9457) with a stable
//! `type`, a human `title` in Dutch or English (by `Accept-Language`), and for validation
//! failures an `errors` list naming each field. Internal errors are logged with the request id
//! and answered with a bare 500: no driver message, no stack, no data leaves the server.

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use postkamer_core::CoreError;
use postkamer_domain::{Locale, ValidationErrors};
use serde::Serialize;

#[derive(Debug, Clone, thiserror::Error)]
pub enum ApiError {
    #[error(transparent)]
    Core(#[from] CoreError),
    #[error("invalid JSON body: {0}")]
    BadJson(String),
    #[error("body too large")]
    TooLarge,
    #[error("body not received in time")]
    TooSlow,
    #[error("unsupported media type")]
    MediaType,
    #[error("invalid query: {0}")]
    BadQuery(String),
    #[error("missing or invalid CSRF token")]
    Csrf,
    #[error("invalid bearer token")]
    BadToken,
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        match rejection.status() {
            StatusCode::PAYLOAD_TOO_LARGE => ApiError::TooLarge,
            StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::MediaType,
            _ => ApiError::BadJson(rejection.body_text()),
        }
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        ApiError::BadQuery(rejection.body_text())
    }
}

/// One invalid field in a problem document.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProblemField {
    pub field: String,
    pub code: String,
    /// For `code` `template`: the schema rule the template breaks (`second_inhoud`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    pub message: String,
}

/// An RFC 9457 problem document.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ProblemField>,
}

fn fields(errors: &ValidationErrors, locale: Locale) -> Vec<ProblemField> {
    errors
        .0
        .iter()
        .map(|f| {
            let error = serde_json::to_value(f.error).unwrap_or_default();
            let text = |key: &str| error.get(key).and_then(|v| v.as_str().map(str::to_owned));
            ProblemField {
                field: f.field.clone(),
                code: text("code").unwrap_or_default(),
                rule: text("rule"),
                message: f.error.message(locale),
            }
        })
        .collect()
}

impl ApiError {
    /// The status, the problem type slug, and the Dutch and English titles.
    fn parts(&self) -> (StatusCode, &'static str, &'static str, &'static str) {
        use CoreError as C;
        match self {
            ApiError::Core(C::Validation(_)) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation",
                "De invoer is niet geldig.",
                "The input is not valid.",
            ),
            ApiError::Core(C::Unauthenticated) => (
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                "Niet aangemeld: geef een geldig API-token mee.",
                "Not authenticated: send a valid API token.",
            ),
            ApiError::BadToken => (
                StatusCode::UNAUTHORIZED,
                "invalid-token",
                "Het API-token is ongeldig of ingetrokken.",
                "The API token is invalid or revoked.",
            ),
            ApiError::Core(C::Forbidden) => (
                StatusCode::FORBIDDEN,
                "forbidden",
                "Geen toegang.",
                "Forbidden.",
            ),
            ApiError::Csrf => (
                StatusCode::FORBIDDEN,
                "csrf",
                "CSRF-token ontbreekt of klopt niet. Laad de pagina opnieuw.",
                "CSRF token missing or wrong. Reload the page.",
            ),
            ApiError::Core(C::NotFound) => (
                StatusCode::NOT_FOUND,
                "not-found",
                "Niet gevonden.",
                "Not found.",
            ),
            ApiError::Core(C::Conflict(_)) => (
                StatusCode::CONFLICT,
                "conflict",
                "Dit botst met de huidige toestand.",
                "This conflicts with the current state.",
            ),
            ApiError::Core(C::Throttled { .. }) => (
                StatusCode::TOO_MANY_REQUESTS,
                "throttled",
                "Te veel mislukte pogingen.",
                "Too many failed attempts.",
            ),
            ApiError::Core(C::Mail { .. }) => (
                StatusCode::BAD_GATEWAY,
                "mail-server",
                "De mailserver is niet bereikbaar of weigerde.",
                "The mail server could not be reached or refused.",
            ),
            ApiError::Core(C::Internal(_)) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "Interne fout.",
                "Internal error.",
            ),
            ApiError::BadJson(_) => (
                StatusCode::BAD_REQUEST,
                "bad-json",
                "De JSON in het verzoek is ongeldig.",
                "The request's JSON is invalid.",
            ),
            ApiError::BadQuery(_) => (
                StatusCode::BAD_REQUEST,
                "bad-query",
                "De queryparameters zijn ongeldig.",
                "The query parameters are invalid.",
            ),
            ApiError::TooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "too-large",
                "Het verzoek is te groot.",
                "The request is too large.",
            ),
            ApiError::TooSlow => (
                StatusCode::REQUEST_TIMEOUT,
                "too-slow",
                "Het verzoek kwam niet op tijd binnen.",
                "The request did not arrive in time.",
            ),
            ApiError::MediaType => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "media-type",
                "Stuur JSON met Content-Type: application/json.",
                "Send JSON with Content-Type: application/json.",
            ),
        }
    }

    pub fn problem(&self, locale: Locale) -> Problem {
        let (status, slug, nl, en) = self.parts();
        let detail = match self {
            ApiError::BadJson(d) | ApiError::BadQuery(d) => Some(d.clone()),
            ApiError::Core(CoreError::Throttled { retry_after_secs }) => {
                Some(format!("retry after {retry_after_secs} s"))
            }
            ApiError::Core(CoreError::Conflict(what)) => Some((*what).to_owned()),
            ApiError::Core(CoreError::Mail { nl, en }) => Some(match locale {
                Locale::Nl => nl.clone(),
                Locale::En => en.clone(),
            }),
            _ => None,
        };
        let errors = match self {
            ApiError::Core(CoreError::Validation(v)) => fields(v, locale),
            _ => Vec::new(),
        };
        Problem {
            kind: format!("https://postkamer.nl/problems/{slug}"),
            title: match locale {
                Locale::Nl => nl,
                Locale::En => en,
            }
            .to_owned(),
            status: status.as_u16(),
            detail,
            errors,
        }
    }

    pub fn into_response_for(self, locale: Locale) -> Response {
        let problem = self.problem(locale);
        let status =
            StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, Json(problem)).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        match &self {
            ApiError::Core(CoreError::Unauthenticated) | ApiError::BadToken => {
                headers.insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer realm=\"postkamer\""),
                );
            }
            ApiError::Core(CoreError::Throttled { retry_after_secs }) => {
                if let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string()) {
                    headers.insert(header::RETRY_AFTER, v);
                }
            }
            _ => {}
        }
        response
    }
}

/// Rendered in Dutch; the error rides along in the response's extensions so that
/// [`localize_problems`] can render it again in the language the client asked for.
impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Core(CoreError::Internal(detail)) = &self {
            tracing::error!(%detail, "request failed");
        }
        let mut response = self.clone().into_response_for(Locale::Nl);
        response.extensions_mut().insert(self);
        response
    }
}

/// Middleware: re-renders problem documents in English for `Accept-Language: en`.
pub async fn localize_problems(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let locale = request
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map_or(Locale::Nl, Locale::from_accept_language);
    let response = next.run(request).await;
    match (locale, response.extensions().get::<ApiError>()) {
        (Locale::En, Some(error)) => error.clone().into_response_for(Locale::En),
        _ => response,
    }
}
