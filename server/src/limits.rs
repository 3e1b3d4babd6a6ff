//! Bounded input: every request body is read to a limit and within a time, before any handler
//! (a server function, the JSON API, a page) sees it. The body is collected here, so a handler
//! that reads it whole (as the server functions do) can never be made to buffer more; a client
//! that sends more gets 413, one that sends too slowly 408, and the server goes on serving.
//! CardDAV reads its own, larger bodies under the same rules (see `dav`).

use crate::error::ApiError;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use postkamer_app::error::AppError;
use std::time::Duration;

/// How much a client may send, and how slowly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest request body, in bytes (CardDAV: a vCard with its photos, see `dav`).
    pub max_body_bytes: usize,
    /// Longest time to receive a request body.
    pub body_timeout: Duration,
    /// Largest file uploaded to a draft (its own route; the mail's size limit).
    pub max_upload_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_body_bytes: 1024 * 1024,
            body_timeout: Duration::from_secs(30),
            max_upload_bytes: 25 * 1024 * 1024,
        }
    }
}

impl Limits {
    /// The limits of a file upload: its size, and ten minutes to arrive (a slow line).
    pub fn for_uploads(self) -> Limits {
        Limits {
            max_body_bytes: self.max_upload_bytes,
            body_timeout: self.body_timeout.max(Duration::from_secs(600)),
            ..self
        }
    }
}

/// Why a body was not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyError {
    /// Larger than the limit (413).
    TooLarge,
    /// Not received within the time (408).
    TooSlow,
    /// The connection broke off, or the body was malformed (400).
    Broken,
}

/// Reads a whole body, at most `max` bytes and within `timeout`.
pub async fn read_body(body: Body, max: usize, timeout: Duration) -> Result<Bytes, BodyError> {
    match tokio::time::timeout(timeout, Limited::new(body, max).collect()).await {
        Err(_) => Err(BodyError::TooSlow),
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
        Ok(Err(err)) if err.downcast_ref::<LengthLimitError>().is_some() => {
            Err(BodyError::TooLarge)
        }
        Ok(Err(_)) => Err(BodyError::Broken),
    }
}

/// The middleware: reads the body within [`Limits`] and hands it on buffered.
pub async fn bounded_body(State(limits): State<Limits>, request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let result = match declared {
        // Refused before a byte of it is read.
        Some(n) if n > limits.max_body_bytes as u64 => Err(BodyError::TooLarge),
        _ => read_body(body, limits.max_body_bytes, limits.body_timeout).await,
    };
    match result {
        Ok(bytes) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        Err(error) => {
            tracing::warn!(path = %parts.uri.path(), ?error, "request body refused");
            refusal(parts.uri.path(), error)
        }
    }
}

/// The refusal in the form the caller reads: a problem document for the JSON API, the
/// typed error for a server function (the page shows its Dutch message), else plain text.
fn refusal(path: &str, error: BodyError) -> Response {
    let status = match error {
        BodyError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        BodyError::TooSlow => StatusCode::REQUEST_TIMEOUT,
        BodyError::Broken => StatusCode::BAD_REQUEST,
    };
    if path.starts_with("/api/") {
        let api = match error {
            BodyError::TooLarge => ApiError::TooLarge,
            BodyError::TooSlow => ApiError::TooSlow,
            BodyError::Broken => ApiError::BadJson("the request body broke off".into()),
        };
        return api.into_response();
    }
    if path.starts_with("/fn/") {
        let app = match error {
            BodyError::TooLarge => AppError::TooLarge,
            BodyError::TooSlow | BodyError::Broken => {
                AppError::Transport("the request body did not arrive".into())
            }
        };
        let body = serde_json::to_string(&app).unwrap_or_default();
        return (status, [(header::CONTENT_TYPE, "application/json")], body).into_response();
    }
    let text = match error {
        BodyError::TooLarge => "Het verzoek is te groot.\n",
        BodyError::TooSlow => "Het verzoek kwam niet op tijd binnen.\n",
        BodyError::Broken => "Het verzoek kwam niet heel binnen.\n",
    };
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        text,
    )
        .into_response()
}
