//! Security headers on every response.
//!
//! - `Content-Security-Policy` on HTML: scripts only from this site and the inline scripts of
//!   this very response (a fresh nonce per page, which the page's hydration scripts carry),
//!   WebAssembly compilation allowed, no plugins, no framing by other sites. The mail frame is
//!   a sandboxed `srcdoc` document without scripts; it inherits the policy, so images may come
//!   from anywhere (the sanitiser decides which remote images load) and styles may be inline.
//! - `X-Content-Type-Options: nosniff`, `X-Frame-Options: DENY`, `Referrer-Policy:
//!   no-referrer` (no mail link ever tells a sender where it was read).
//! - `Cache-Control: no-store` on everything but the static files, so no page or answer with
//!   someone's mail stays in a shared cache or the browser's history cache; the editor module,
//!   whose name carries its content's hash, is cached for a year. A handler that sets its own
//!   `Cache-Control` keeps it (a template image, named by its content's hash, is cached
//!   privately for a year).
//! - `Strict-Transport-Security` when the site is served over https.

use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use postkamer_app::ssr::CspNonce;

/// What the headers depend on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SecurityHeaders {
    /// The site is served over https (`public_url`): send HSTS.
    pub https: bool,
}

/// The policy of an HTML page whose inline scripts carry `nonce`.
pub fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data: https: http:; font-src 'self'; \
         connect-src 'self'; frame-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

pub async fn security_headers(
    State(config): State<SecurityHeaders>,
    mut request: Request,
    next: Next,
) -> Response {
    let nonce = uuid::Uuid::new_v4().simple().to_string();
    request.extensions_mut().insert(CspNonce(nonce.clone()));
    let path = request.uri().path();
    let static_file = path.starts_with("/pkg/") || path == "/favicon.svg" || path == "/robots.txt";
    // The editor module's name carries a hash of its content: it never changes.
    let immutable = path.starts_with("/editor/editor-") && path.ends_with(".js");
    let mut response = next.run(request).await;
    let immutable = immutable && response.status().is_success();
    let headers = response.headers_mut();
    let html = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if html && let Ok(value) = HeaderValue::from_str(&content_security_policy(&nonce)) {
        headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    if immutable {
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        );
    } else if !static_file && !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if config.https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    response
}
