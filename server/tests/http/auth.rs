//! Authentication: API tokens, CSRF, throttled logins, and the server functions API tokens and
//! plain users do not open.

use crate::support::*;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use postkamer_domain::Role;
use serde_json::json;

#[tokio::test]
async fn the_api_needs_a_valid_token() {
    let app = app().await;
    let reply = app.api(Method::GET, "/api/v1/persons", None, None).await;
    is_problem(&reply, StatusCode::UNAUTHORIZED, "unauthenticated");
    assert!(
        reply.headers[header::WWW_AUTHENTICATE]
            .to_str()
            .unwrap()
            .starts_with("Bearer")
    );

    let reply = app
        .api(
            Method::GET,
            "/api/v1/persons",
            Some("pk_not-a-real-token"),
            None,
        )
        .await;
    is_problem(&reply, StatusCode::UNAUTHORIZED, "invalid-token");

    let user = app.user("Org A", "alice@a.nl", Role::SuperAdmin).await;
    let token = app.token(&user).await;
    let me = app.api(Method::GET, "/api/v1/me", Some(&token), None).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.body["email"], "alice@a.nl");

    assert_eq!(app.core.list_api_tokens(&user).await.unwrap().len(), 1);
    let id = app.core.list_api_tokens(&user).await.unwrap()[0].id;
    app.core.revoke_api_token(&user, id).await.unwrap();
    let reply = app.api(Method::GET, "/api/v1/me", Some(&token), None).await;
    is_problem(&reply, StatusCode::UNAUTHORIZED, "invalid-token");
}

#[tokio::test]
async fn state_changing_requests_need_the_csrf_token() {
    let app = app().await;
    app.user("Org A", "alice@a.nl", Role::Gebruiker).await;
    let login = app.login("alice@a.nl", "een-lang-wachtwoord").await;
    assert_eq!(login.status, StatusCode::OK, "{}", login.text);
    let session = session_from(&login);

    let without = app
        .server_fn("/fn/logout", Some(&session), false, json!({}))
        .await;
    is_problem(&without, StatusCode::FORBIDDEN, "csrf");
    let request = Request::post("/api/v1/persons")
        .header(
            header::COOKIE,
            format!("pk_session={session}; pk_csrf=test-token"),
        )
        .header("x-csrf-token", "other-token")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(person("X", &[]).to_string()))
        .unwrap();
    is_problem(&app.send(request).await, StatusCode::FORBIDDEN, "csrf");

    // The token is bound to the session: a cookie and header that match each other (what a
    // planted cookie would give) are not enough once signed in.
    let request = Request::post("/api/v1/persons")
        .header(
            header::COOKIE,
            format!("pk_session={session}; pk_csrf=test-token"),
        )
        .header("x-csrf-token", "test-token")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(person("X", &[]).to_string()))
        .unwrap();
    is_problem(&app.send(request).await, StatusCode::FORBIDDEN, "csrf");
    // Another session's token does not fit either.
    let other = session_from(&app.login("alice@a.nl", "een-lang-wachtwoord").await);
    let request = Request::post("/api/v1/persons")
        .header(header::COOKIE, format!("pk_session={session}"))
        .header("x-csrf-token", postkamer_core::session_csrf_token(&other))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(person("X", &[]).to_string()))
        .unwrap();
    is_problem(&app.send(request).await, StatusCode::FORBIDDEN, "csrf");

    // With the session's token the session works for the API too, and logout ends it.
    let request = Request::post("/api/v1/persons")
        .header(
            header::COOKIE,
            format!("pk_session={session}; pk_csrf=test-token"),
        )
        .header("x-csrf-token", postkamer_core::session_csrf_token(&session))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(person("X", &[]).to_string()))
        .unwrap();
    assert_eq!(app.send(request).await.status, StatusCode::CREATED);
    let logout = app
        .server_fn("/fn/logout", Some(&session), true, json!({}))
        .await;
    assert_eq!(logout.status, StatusCode::OK, "{}", logout.text);
    let page = app
        .send(
            Request::get("/relaties")
                .header(header::COOKIE, format!("pk_session={session}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.headers[header::LOCATION], "/login?next=%2Frelaties");
}

#[tokio::test]
async fn api_tokens_do_not_open_the_server_functions() {
    let app = app().await;
    let token = app
        .token(&app.user("Org A", "alice@a.nl", Role::SuperAdmin).await)
        .await;
    // Without the browser's CSRF token, a bearer token is no credential for /fn/*.
    let request = Request::post("/fn/logout")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{}"))
        .unwrap();
    is_problem(&app.send(request).await, StatusCode::FORBIDDEN, "csrf");
    // A page with only a bearer token is treated as signed out.
    let request = Request::get("/beheer/gebruikers")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    assert_eq!(app.send(request).await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn repeated_failed_logins_are_throttled() {
    let app = app().await;
    app.user("Org A", "alice@a.nl", Role::Gebruiker).await;
    app.user("Org A", "bob@a.nl", Role::Gebruiker).await;
    for _ in 0..3 {
        let reply = app.login("alice@a.nl", "fout-wachtwoord").await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}", reply.text);
        assert_eq!(reply.body, json!("BadCredentials"));
    }
    // Now even the right password is refused for a while.
    let reply = app.login("Alice@A.nl", "een-lang-wachtwoord").await;
    assert_eq!(
        reply.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        reply.text
    );
    assert!(
        reply.body["TooManyRequests"]["retry_after_secs"]
            .as_u64()
            .unwrap()
            > 0
    );
    // Other accounts are not affected.
    assert_eq!(
        app.login("bob@a.nl", "een-lang-wachtwoord").await.status,
        StatusCode::OK
    );
    // An unknown address fails like a wrong password.
    assert_eq!(
        app.login("nobody@a.nl", "een-lang-wachtwoord").await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn superadmin_pages_are_refused_on_the_server() {
    let app = app().await;
    app.user("Org A", "alice@a.nl", Role::SuperAdmin).await;
    app.user("Org A", "bob@a.nl", Role::Gebruiker).await;
    let page = |session: String| {
        Request::get("/beheer/gebruikers")
            .header(header::COOKIE, format!("pk_session={session}"))
            .body(Body::empty())
            .unwrap()
    };
    let bob = session_from(&app.login("bob@a.nl", "een-lang-wachtwoord").await);
    let refused = app.send(page(bob)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.text.contains("data-test=\"forbidden\""));
    assert!(!refused.text.contains("alice@a.nl"));

    let alice = session_from(&app.login("alice@a.nl", "een-lang-wachtwoord").await);
    let allowed = app.send(page(alice)).await;
    assert_eq!(allowed.status, StatusCode::OK);
    assert!(
        allowed.text.contains("bob@a.nl"),
        "the user list is rendered on the server"
    );
    assert!(allowed.text.contains("<meta name=\"csrf-token\""));
}
