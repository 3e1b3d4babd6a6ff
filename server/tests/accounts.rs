//! Accounts under attack: a password change ends every other way in (sessions, API tokens, app
//! passwords) and says so; a login ends the session the browser presented; over https the
//! cookies carry the `__Host-` prefix.

#![expect(
    clippy::unwrap_used,
    reason = "a test fails loudly on the first unexpected error"
)]

mod support;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use base64::Engine as _;
use postkamer_domain::Role;
use serde_json::json;
use support::*;

const PASSWORD: &str = "een-lang-wachtwoord";

fn page(session: &str) -> Request<Body> {
    Request::get("/relaties")
        .header(header::COOKIE, format!("pk_session={session}"))
        .body(Body::empty())
        .unwrap()
}

fn propfind(email: &str, secret: &str) -> Request<Body> {
    let auth = base64::engine::general_purpose::STANDARD.encode(format!("{email}:{secret}"));
    Request::builder()
        .method("PROPFIND")
        .uri("/dav/")
        .header(header::AUTHORIZATION, format!("Basic {auth}"))
        .header("depth", "0")
        .body(Body::empty())
        .unwrap()
}

#[tokio::test]
async fn a_password_change_revokes_sessions_tokens_and_app_passwords() {
    let app = app().await;
    let anna = app.user("Demo BV", "anna@demo.nl", Role::Gebruiker).await;
    let bert = app.user("Demo BV", "bert@demo.nl", Role::Gebruiker).await;
    let here = session_from(&app.login("anna@demo.nl", PASSWORD).await);
    let laptop = session_from(&app.login("anna@demo.nl", PASSWORD).await);
    let token = app.token(&anna).await;
    let bert_token = app.token(&bert).await;
    app.core.set_sync_enabled(&anna, true).await.unwrap();
    let (_, app_password) = app
        .core
        .create_app_password(&anna, "iPhone van Anna")
        .await
        .unwrap();
    assert_eq!(
        app.send(propfind("anna@demo.nl", &app_password))
            .await
            .status
            .as_u16(),
        207
    );

    let changed = app
        .server_fn(
            "/fn/change_password",
            Some(&here),
            true,
            json!({"current": PASSWORD, "new": "een-nieuw-wachtwoord", "confirm": "een-nieuw-wachtwoord"}),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.text);
    assert_eq!(
        changed.body,
        json!({"sessions": 1, "api_tokens": 1, "app_passwords": 1}),
        "the user is told what was revoked"
    );

    // The session that changed it goes on; everything else of Anna's is shut.
    assert_eq!(app.send(page(&here)).await.status, StatusCode::OK);
    assert_eq!(app.send(page(&laptop)).await.status, StatusCode::SEE_OTHER);
    let api = app
        .api(Method::GET, "/api/v1/persons", Some(&token), None)
        .await;
    assert_eq!(api.status, StatusCode::UNAUTHORIZED, "{}", api.text);
    assert_eq!(
        app.send(propfind("anna@demo.nl", &app_password))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    // A colleague's token is not touched.
    let bert_api = app
        .api(Method::GET, "/api/v1/persons", Some(&bert_token), None)
        .await;
    assert_eq!(bert_api.status, StatusCode::OK, "{}", bert_api.text);
    // The new password works, the old one no longer.
    assert_eq!(
        app.login("anna@demo.nl", "een-nieuw-wachtwoord")
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        app.login("anna@demo.nl", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn a_login_ends_the_session_the_browser_presented() {
    let app = app().await;
    app.user("Demo BV", "anna@demo.nl", Role::Gebruiker).await;
    let first = session_from(&app.login("anna@demo.nl", PASSWORD).await);
    let again = app
        .server_fn(
            "/fn/login",
            Some(&first),
            true,
            json!({"email": "anna@demo.nl", "password": PASSWORD}),
        )
        .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text);
    let second = session_from(&again);
    assert_ne!(first, second, "a fresh session secret");
    assert_eq!(app.send(page(&first)).await.status, StatusCode::SEE_OTHER);
    assert_eq!(app.send(page(&second)).await.status, StatusCode::OK);
}

#[tokio::test]
async fn over_https_the_cookies_carry_the_host_prefix() {
    let app = app_with(|state| state.secure_cookies = true).await;
    app.user("Demo BV", "anna@demo.nl", Role::Gebruiker).await;
    let form = app
        .send(Request::get("/login").body(Body::empty()).unwrap())
        .await;
    let csrf: Vec<&str> = form
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect();
    assert!(
        csrf.iter().any(|c| c.starts_with("__Host-pk_csrf=")
            && c.contains("; Secure")
            && c.contains("Path=/")
            && !c.contains("Domain")),
        "{csrf:?}"
    );
    let token = csrf
        .iter()
        .find_map(|c| c.strip_prefix("__Host-pk_csrf="))
        .and_then(|c| c.split(';').next())
        .unwrap()
        .to_owned();
    let login = app
        .send(
            Request::post("/fn/login")
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::ACCEPT, "application/json")
                .header(header::COOKIE, format!("__Host-pk_csrf={token}"))
                .header("x-csrf-token", &token)
                .body(Body::from(
                    json!({"email": "anna@demo.nl", "password": PASSWORD}).to_string(),
                ))
                .unwrap(),
        )
        .await;
    assert_eq!(login.status, StatusCode::OK, "{}", login.text);
    let session = login
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap())
        .find_map(|c| c.strip_prefix("__Host-pk_session="))
        .expect("a __Host- session cookie");
    assert!(session.contains("; Secure") && session.contains("HttpOnly"));
    let secret = session.split(';').next().unwrap();
    // The prefixed cookie is the one read; the plain name is not a session over https.
    let prefixed = Request::get("/relaties")
        .header(header::COOKIE, format!("__Host-pk_session={secret}"))
        .body(Body::empty())
        .unwrap();
    assert_eq!(app.send(prefixed).await.status, StatusCode::OK);
    assert_eq!(app.send(page(secret)).await.status, StatusCode::SEE_OTHER);
}
