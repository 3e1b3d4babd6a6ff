//! Writing mail through the JSON API: a draft started on a relation, saved as typed (also when
//! it cannot be sent yet), files uploaded as the request body within the size limit, the
//! pre-send check, sending after the undo window and undoing it; bad input refused with a clear
//! problem and nothing lost.

#![allow(clippy::unwrap_used)]

mod support;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use postkamer_domain::Role;
use postkamer_domain::relation::{EmailInput, PersonInput};
use serde_json::{Value, json};
use support::*;

fn upload(token: &str, draft: i64, name: &str, bytes: Vec<u8>) -> Request<Body> {
    Request::builder()
        .method(Method::POST)
        .uri(format!("/api/v1/drafts/{draft}/files?name={name}"))
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/pdf")
        .body(Body::from(bytes))
        .unwrap()
}

#[tokio::test]
async fn a_draft_is_written_checked_sent_and_undone() {
    let app = app().await;
    let anna = app.user("Demo BV", "anna@demo.nl", Role::Gebruiker).await;
    let token = app.token(&anna).await;
    let piet = app
        .core
        .create_person(
            &anna,
            &PersonInput {
                first_name: "Piet".into(),
                last_name: "Bakker".into(),
                emails: vec![EmailInput {
                    address: "piet@klant.nl".into(),
                    primary: true,
                }],
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let api = |method, path: String, body: Option<Value>| {
        let token = token.clone();
        let app = &app;
        async move { app.api(method, &path, Some(&token), body).await }
    };

    let started = api(
        Method::POST,
        "/api/v1/drafts".into(),
        Some(json!({"kind": "new", "person": piet.id.0})),
    )
    .await;
    assert_eq!(started.status, StatusCode::CREATED, "{}", started.text);
    let id = started.body["id"].as_i64().unwrap();
    assert_eq!(started.body["content"]["to"][0]["address"], "piet@klant.nl");
    let mut content = started.body["content"].clone();

    // Kept as typed, also an address that is not one yet.
    content["cc"] = json!([{"address": "half@"}]);
    content["subject"] = json!("Offerte {bedrijf.naam|uw bedrijf}");
    let saved = api(
        Method::PUT,
        format!("/api/v1/drafts/{id}"),
        Some(content.clone()),
    )
    .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.text);
    let refused = api(Method::POST, format!("/api/v1/drafts/{id}/send"), None).await;
    is_problem(&refused, StatusCode::UNPROCESSABLE_ENTITY, "validation");
    assert_eq!(refused.body["errors"][0]["field"], "cc", "{}", refused.text);
    let kept = api(Method::GET, format!("/api/v1/drafts/{id}"), None).await;
    assert_eq!(kept.body["content"], content, "nothing lost");

    // Bad input: a problem, the draft as it was.
    for (bad, status, kind) in [
        (
            json!({"subject": "x", "from": "ceo@elders.nl"}),
            StatusCode::BAD_REQUEST,
            "bad-json",
        ),
        (json!({"subject": "{onbekend.veld}"}), StatusCode::OK, ""),
        (
            json!({"body": "x".repeat(3 * 1024 * 1024)}),
            StatusCode::PAYLOAD_TOO_LARGE,
            "too-large",
        ),
    ] {
        let reply = api(Method::PUT, format!("/api/v1/drafts/{id}"), Some(bad)).await;
        if kind.is_empty() {
            // Saved as typed; sending it would say what is wrong.
            assert_eq!(reply.status, status, "{}", reply.text);
            let check = api(Method::GET, format!("/api/v1/drafts/{id}/check"), None).await;
            is_problem(&check, StatusCode::UNPROCESSABLE_ENTITY, "validation");
            assert_eq!(
                check.body["errors"][0]["field"], "subject",
                "{}",
                check.text
            );
            api(
                Method::PUT,
                format!("/api/v1/drafts/{id}"),
                Some(content.clone()),
            )
            .await;
        } else {
            is_problem(&reply, status, kind);
        }
    }
    assert_eq!(
        api(Method::GET, format!("/api/v1/drafts/{id}"), None)
            .await
            .body["content"],
        content
    );

    // Files: uploaded as the body, within the limit.
    let pdf: Vec<u8> = (0..=255u8).cycle().take(100_000).collect();
    let file = app
        .send(upload(&token, id, "offerte.pdf", pdf.clone()))
        .await;
    assert_eq!(file.status, StatusCode::CREATED, "{}", file.text);
    let file_id = file.body["id"].as_i64().unwrap();
    let back = app
        .api(
            Method::GET,
            &format!("/api/v1/drafts/{id}/files/{file_id}"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(back.status, StatusCode::OK);
    let too_big = app
        .send(upload(&token, id, "groot.pdf", vec![0; UPLOAD_LIMIT + 1]))
        .await;
    is_problem(&too_big, StatusCode::PAYLOAD_TOO_LARGE, "too-large");
    let listed = api(Method::GET, "/api/v1/drafts".into(), None).await;
    assert_eq!(listed.body["total"], 1);
    assert_eq!(listed.body["items"][0]["files"], 1);

    // The check, then sending without an SMTP server: a conflict, the draft unchanged.
    content["cc"] = json!([]);
    api(
        Method::PUT,
        format!("/api/v1/drafts/{id}"),
        Some(content.clone()),
    )
    .await;
    let check = api(Method::GET, format!("/api/v1/drafts/{id}/check"), None).await;
    assert_eq!(check.status, StatusCode::OK, "{}", check.text);
    assert_eq!(check.body["person"], piet.id.0);
    assert_eq!(check.body["signed_with"], Value::Null);
    let no_smtp = api(Method::POST, format!("/api/v1/drafts/{id}/send"), None).await;
    is_problem(&no_smtp, StatusCode::CONFLICT, "conflict");
    assert_eq!(no_smtp.body["detail"], "no_smtp");

    // With a server: it waits for the undo window; undone, it is a draft again.
    app.api(
        Method::PUT,
        "/api/v1/me/smtp",
        Some(&token),
        Some(json!({
            "host": "127.0.0.1", "port": "9", "tls": "none", "login": "", "password": ""
        })),
    )
    .await;
    let sending = api(Method::POST, format!("/api/v1/drafts/{id}/send"), None).await;
    assert_eq!(sending.status, StatusCode::ACCEPTED, "{}", sending.text);
    assert!(sending.body["send_at"].as_i64().unwrap() > 0);
    let busy = api(
        Method::PUT,
        format!("/api/v1/drafts/{id}"),
        Some(content.clone()),
    )
    .await;
    is_problem(&busy, StatusCode::CONFLICT, "conflict");
    assert_eq!(
        api(Method::GET, "/api/v1/drafts".into(), None).await.body["total"],
        0
    );
    let undone = api(Method::POST, format!("/api/v1/drafts/{id}/undo"), None).await;
    assert_eq!(undone.status, StatusCode::OK, "{}", undone.text);
    assert_eq!(undone.body["sending"], Value::Null);
    let outbox = api(Method::GET, "/api/v1/outbox".into(), None).await;
    assert_eq!(outbox.body["items"][0]["state"], "geannuleerd");
    let again = api(Method::POST, format!("/api/v1/drafts/{id}/undo"), None).await;
    is_problem(&again, StatusCode::CONFLICT, "conflict");
}
