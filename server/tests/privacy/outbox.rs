//! The outbox (Postvak UIT) is its writer's only: a colleague, the organisation's SuperAdmin
//! and another organisation see none of it, and cannot cancel, retry or download it.

use crate::support::*;
use axum::http::{Method, StatusCode};
use postkamer_domain::Role;
use serde_json::json;

#[tokio::test]
async fn nobody_sees_or_touches_another_users_outbox() {
    let app = app().await;
    let anna = app.user("Demo BV", "anna@demo.nl", Role::Gebruiker).await;
    let bert = app.user("Demo BV", "bert@demo.nl", Role::Gebruiker).await;
    let beheer = app
        .user("Demo BV", "beheer@demo.nl", Role::SuperAdmin)
        .await;
    let eve = app.user("Ander BV", "eve@ander.nl", Role::SuperAdmin).await;
    let token = app.token(&anna).await;
    // A closed port: the message stays in the outbox, failing, for the probes below.
    let account =
        json!({"host": "127.0.0.1", "port": "9", "tls": "none", "login": "", "password": ""});
    let saved = app
        .api(Method::PUT, "/api/v1/me/smtp", Some(&token), Some(account))
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.text);
    let sent = app
        .api(
            Method::POST,
            "/api/v1/mail/send",
            Some(&token),
            Some(json!({"to": [{"address": "klant@example.com"}], "subject": "UITGAAND-GEHEIM", "text": "UITGAAND-GEHEIM"})),
        )
        .await;
    assert_eq!(sent.status, StatusCode::ACCEPTED, "{}", sent.text);
    let id = sent.body["id"].as_i64().unwrap();

    let own = app
        .api(Method::GET, "/api/v1/outbox", Some(&token), None)
        .await;
    assert!(
        own.text.contains("UITGAAND-GEHEIM"),
        "the probe reaches it: {}",
        own.text
    );
    for other in [&bert, &beheer, &eve] {
        let token = app.token(other).await;
        let list = app
            .api(Method::GET, "/api/v1/outbox", Some(&token), None)
            .await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(
            !list.text.contains("UITGAAND-GEHEIM"),
            "{}: {}",
            other.email,
            list.text
        );
        for (method, path) in [
            (Method::GET, format!("/api/v1/outbox/{id}")),
            (Method::GET, format!("/api/v1/outbox/{id}/raw")),
            (Method::POST, format!("/api/v1/outbox/{id}/cancel")),
            (Method::POST, format!("/api/v1/outbox/{id}/retry")),
        ] {
            let reply = app.api(method.clone(), &path, Some(&token), None).await;
            is_problem(&reply, StatusCode::NOT_FOUND, "not-found");
            assert!(!reply.text.contains("UITGAAND-GEHEIM"));
        }
    }
    // Still Anna's, unchanged by the attempts above.
    let item = app
        .api(
            Method::GET,
            &format!("/api/v1/outbox/{id}"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(item.body["state"], "wachtrij", "{}", item.text);
}
