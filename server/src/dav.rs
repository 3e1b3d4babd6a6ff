//! CardDAV on the main port at `/dav/` (discovery through `/.well-known/carddav`), and on the
//! sync host name (`sync_host`, e.g. `sync.voorbeeld.nl`) at `/`, so "Server: sync.<domein>" as
//! the help texts say works. HTTP Basic authentication with the login address and the CRM
//! password or an app password; the protocol is `postkamer_carddav`.

use std::time::Duration;

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use postkamer_app::ssr::AppState;
use postkamer_core::CoreError;
use postkamer_core::carddav::{DAV_MOUNT as MOUNT, SyncEndpoint};
use postkamer_core::carddav::{Dav, MAX_CARD_BYTES, Principal};
use postkamer_domain::relation::SYNC_ACCOUNT_NAME;

use crate::limits::{BodyError, read_body};

/// Longest time to receive a CardDAV body (a card with photos over a slow phone link).
const BODY_TIMEOUT: Duration = Duration::from_secs(60);

/// `/.well-known/carddav` (RFC 6764): a 301 to the mount point (after reading the request
/// body, so the client is not cut off while still sending it).
pub async fn well_known(request: Request) -> Response {
    moved(request, &format!("{MOUNT}/")).await
}

async fn moved(request: Request, location: &str) -> Response {
    let _ = to_bytes(request.into_body(), 64 * 1024).await;
    (
        StatusCode::MOVED_PERMANENTLY,
        [(header::LOCATION, location.to_owned())],
    )
        .into_response()
}

/// Requests for the sync host go to CardDAV whatever their path; a CardDAV client given the
/// main host's root URL gets the DAV root; others pass.
pub async fn sync_host(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let dav_method = matches!(request.method().as_str(), "PROPFIND" | "REPORT");
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(|h| {
            h.rsplit_once(':')
                .map_or(h, |(name, _)| name)
                .to_ascii_lowercase()
        });
    match (&state.sync_host, host) {
        (Some(sync), Some(host)) if *sync == host => {
            if request.uri().path().starts_with("/.well-known/carddav") {
                return moved(request, "/").await;
            }
            serve(&state, "", request).await
        }
        _ if dav_method && request.uri().path() == "/" => serve(&state, MOUNT, request).await,
        _ => next.run(request).await,
    }
}

/// `/dav` and everything below it.
pub async fn handler(State(state): State<AppState>, request: Request) -> Response {
    serve(&state, MOUNT, request).await
}

fn basic(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (user, password) = text.split_once(':')?;
    Some((user.to_owned(), password.to_owned()))
}

fn text(status: StatusCode, message: &str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!("{message}\n"),
    )
        .into_response()
}

fn unauthorized(message: &str) -> Response {
    let mut response = text(StatusCode::UNAUTHORIZED, message);
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Basic realm=\"Postkamer\", charset=\"UTF-8\""),
    );
    response
}

async fn serve(state: &AppState, mount: &str, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let headers = &parts.headers;
    let Some((email, secret)) = basic(headers) else {
        return unauthorized(
            "Log in met uw e-mailadres en uw Postkamer-wachtwoord (of een app-wachtwoord).",
        );
    };
    let ip = crate::middleware::client_ip(state.trust_forwarded_for, headers, &parts.extensions);
    let user_agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("onbekend");
    let login = match state
        .core
        .authenticate_dav(&email, &secret, ip, user_agent)
        .await
    {
        Ok(login) => login,
        Err(CoreError::Unauthenticated) => {
            return unauthorized("E-mailadres of wachtwoord klopt niet.");
        }
        Err(CoreError::Throttled { retry_after_secs }) => {
            let mut response = text(
                StatusCode::TOO_MANY_REQUESTS,
                "Te veel mislukte pogingen; probeer het later opnieuw.",
            );
            if let Ok(value) = HeaderValue::from_str(&retry_after_secs.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            return response;
        }
        Err(CoreError::Conflict("sync_disabled")) => {
            return text(
                StatusCode::FORBIDDEN,
                "Synchronisatie staat uit. Zet die aan onder Beheer → Gebruikersinstellingen → Synchronisatie.",
            );
        }
        Err(err) => {
            tracing::warn!(%err, "CardDAV authentication failed");
            return text(
                StatusCode::SERVICE_UNAVAILABLE,
                "Het adresboek is nu niet beschikbaar.",
            );
        }
    };
    let body = match read_body(body, MAX_CARD_BYTES + 64 * 1024, BODY_TIMEOUT).await {
        Ok(body) => body,
        Err(BodyError::TooLarge) => {
            return text(
                StatusCode::PAYLOAD_TOO_LARGE,
                "Dit contact is te groot (foto's samen hooguit 2 MB).",
            );
        }
        Err(BodyError::TooSlow) => {
            return text(
                StatusCode::REQUEST_TIMEOUT,
                "Het verzoek kwam niet op tijd binnen.",
            );
        }
        Err(BodyError::Broken) => {
            return text(
                StatusCode::BAD_REQUEST,
                "Het verzoek kwam niet heel binnen.",
            );
        }
    };
    let path = parts.uri.path();
    let below = if mount.is_empty() {
        path
    } else {
        path.strip_prefix(mount).unwrap_or(path)
    };
    let header_str = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
    let user = login.user;
    let principal = Principal {
        id: user.id.to_string(),
        display_name: user.name.clone(),
        email: user.email.as_str().to_owned(),
    };
    let dav = Dav::new(
        state.core.address_book(user),
        mount,
        "De relaties die u in Postkamer voor synchronisatie heeft gemarkeerd.",
    );
    let response = dav
        .handle(
            &principal,
            &postkamer_core::carddav::Request {
                method: parts.method.as_str(),
                path: below,
                depth: headers.get("depth").and_then(|v| v.to_str().ok()),
                if_match: header_str(header::IF_MATCH),
                if_none_match: header_str(header::IF_NONE_MATCH),
                accept: header_str(header::ACCEPT),
                content_type: header_str(header::CONTENT_TYPE),
                body: &body,
            },
        )
        .await;
    let mut out = Response::new(Body::from(response.body));
    *out.status_mut() =
        StatusCode::from_u16(response.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    for (name, value) in response.headers {
        if let Ok(value) = HeaderValue::from_str(&value) {
            out.headers_mut().append(name, value);
        }
    }
    out
}

fn plist_escape(text: &str) -> String {
    postkamer_core::carddav::escape(text).into_owned()
}

/// A configuration profile for iOS/macOS with the CardDAV account filled in (the password is
/// asked on the device): Beheer → Gebruikersinstellingen → Synchronisatie → "downloaden".
pub async fn mobileconfig(
    State(state): State<AppState>,
    crate::middleware::ApiCaller(user): crate::middleware::ApiCaller,
    headers: HeaderMap,
) -> Response {
    let request_host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let end = SyncEndpoint::resolve(
        state.sync_host.as_deref(),
        state.public_url.as_deref(),
        request_host,
    );
    let profile_id = uuid::Uuid::new_v5(
        &uuid::Uuid::NAMESPACE_URL,
        format!("postkamer:{}:{}", end.host, user.id).as_bytes(),
    );
    let payload_id = uuid::Uuid::new_v5(&profile_id, b"carddav");
    let body = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>PayloadContent</key>
  <array>
    <dict>
      <key>CardDAVAccountDescription</key><string>{account}</string>
      <key>CardDAVHostName</key><string>{host}</string>
      <key>CardDAVPort</key><integer>{port}</integer>
      <key>CardDAVPrincipalURL</key><string>{principal}</string>
      <key>CardDAVUseSSL</key><{tls}/>
      <key>CardDAVUsername</key><string>{username}</string>
      <key>PayloadDescription</key><string>De relaties die u in Postkamer voor synchronisatie markeert.</string>
      <key>PayloadDisplayName</key><string>{account} (CardDAV)</string>
      <key>PayloadIdentifier</key><string>nl.postkamer.carddav.{payload}</string>
      <key>PayloadType</key><string>com.apple.carddav.account</string>
      <key>PayloadUUID</key><string>{payload}</string>
      <key>PayloadVersion</key><integer>1</integer>
    </dict>
  </array>
  <key>PayloadDescription</key><string>Zet de relatie-synchronisatie van Postkamer op deze iPhone of iPad. Het wachtwoord wordt bij installatie gevraagd (uw Postkamer-wachtwoord of een app-wachtwoord).</string>
  <key>PayloadDisplayName</key><string>{account}</string>
  <key>PayloadIdentifier</key><string>nl.postkamer.profile.{profile}</string>
  <key>PayloadRemovalDisallowed</key><false/>
  <key>PayloadType</key><string>Configuration</string>
  <key>PayloadUUID</key><string>{profile}</string>
  <key>PayloadVersion</key><integer>1</integer>
</dict>
</plist>
"#,
        account = plist_escape(SYNC_ACCOUNT_NAME),
        host = plist_escape(&end.host),
        port = end.port_or_default(),
        principal = plist_escape(&end.principal_path(&user.id.to_string())),
        tls = if end.tls { "true" } else { "false" },
        username = plist_escape(user.email.as_str()),
        payload = payload_id.to_string().to_uppercase(),
        profile = profile_id.to_string().to_uppercase(),
    );
    (
        [
            (
                header::CONTENT_TYPE,
                "application/x-apple-aspen-config; charset=utf-8",
            ),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"postkamer.mobileconfig\"",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}
