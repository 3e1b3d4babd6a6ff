//! The mail part of the JSON API and the download routes, in process: folders, search, one
//! message, raw bytes, a relation's mail, sync status, and the privacy rules across users and
//! organisations. Messages are put into the store as the sync engine would
//! (`TestApp::seed_inbox`).

mod support;

use axum::http::{Method, StatusCode, header};
use postkamer_domain::Role;
use serde_json::json;
use support::*;

const OFFER: &[u8] = b"From: Piet Bakker <piet@klant.nl>\r\nTo: anna@demo.nl\r\nSubject: Offerte koffie\r\n\
Date: Tue, 3 Nov 2026 10:15:00 +0100\r\nMessage-ID: <offer@klant.nl>\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n\
<p>Zie bijlage</p><script>alert(1)</script>\r\n--b\r\nContent-Type: application/pdf; name=\"offerte.pdf\"\r\n\
Content-Disposition: attachment; filename=\"offerte.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--b--\r\n";
const PRIVATE: &[u8] = b"From: vriend@prive.nl\r\nTo: anna@demo.nl\r\nSubject: Etentje\r\n\
Date: Wed, 4 Nov 2026 18:00:00 +0100\r\nMessage-ID: <diner@prive.nl>\r\n\r\nZaterdag?\r\n";

#[tokio::test]
async fn mail_through_the_api_follows_the_privacy_rules() {
    let app = app().await;
    let anna = app.user("Demo BV", "anna@demo.nl", Role::Gebruiker).await;
    let bert = app.user("Demo BV", "bert@demo.nl", Role::Gebruiker).await;
    let carla = app
        .user("Ander BV", "carla@ander.nl", Role::SuperAdmin)
        .await;
    app.seed_inbox(&anna, &[OFFER, PRIVATE]).await;
    let (anna_t, bert_t, carla_t) = (
        app.token(&anna).await,
        app.token(&bert).await,
        app.token(&carla).await,
    );

    // The owner's inbox, newest first, searchable.
    let list = app
        .api(Method::GET, "/api/v1/messages", Some(&anna_t), None)
        .await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.text);
    assert_eq!(list.body["total"], 2);
    assert_eq!(list.body["items"][0]["subject"], "Etentje");
    let found = app
        .api(
            Method::GET,
            "/api/v1/messages?q=koffie",
            Some(&anna_t),
            None,
        )
        .await;
    assert_eq!(found.body["total"], 1);
    let offer = found.body["items"][0]["id"].as_i64().unwrap();
    assert_eq!(found.body["items"][0]["has_attachments"], true);
    let private = list.body["items"][0]["id"].as_i64().unwrap();
    let bad = app
        .api(
            Method::GET,
            "/api/v1/messages?folder=spam",
            Some(&anna_t),
            None,
        )
        .await;
    is_problem(&bad, StatusCode::BAD_REQUEST, "bad-query");
    let status = app
        .api(Method::GET, "/api/v1/mailbox/status", Some(&anna_t), None)
        .await;
    assert_eq!(status.body["folders"][0]["stored"], 2, "{}", status.text);
    assert!(
        !status.text.contains("geheim"),
        "the password never leaves the server"
    );
    is_problem(
        &app.api(Method::GET, "/api/v1/mailbox/status", Some(&bert_t), None)
            .await,
        StatusCode::NOT_FOUND,
        "not-found",
    );

    // One message: sanitised HTML, attachment metadata, raw bytes as they came.
    let view = app
        .api(
            Method::GET,
            &format!("/api/v1/messages/{offer}"),
            Some(&anna_t),
            None,
        )
        .await;
    assert_eq!(view.status, StatusCode::OK);
    assert!(!view.body["html"].as_str().unwrap().contains("<script"));
    assert_eq!(view.body["attachments"][0]["name"], "offerte.pdf");
    assert_eq!(view.body["unknown_addresses"][0]["email"], "piet@klant.nl");
    let raw = app
        .api(
            Method::GET,
            &format!("/api/v1/messages/{offer}/raw"),
            Some(&anna_t),
            None,
        )
        .await;
    assert_eq!(raw.headers[header::CONTENT_TYPE], "message/rfc822");
    assert_eq!(raw.text.as_bytes(), OFFER);

    // Bert sees nothing until the sender is a relation; then the business mail, on the relation.
    is_problem(
        &app.api(
            Method::GET,
            &format!("/api/v1/messages/{offer}"),
            Some(&bert_t),
            None,
        )
        .await,
        StatusCode::NOT_FOUND,
        "not-found",
    );
    let created = app
        .api(
            Method::POST,
            "/api/v1/persons",
            Some(&bert_t),
            Some(json!({ "last_name": "Bakker", "emails": [{ "address": "Piet@Klant.nl" }] })),
        )
        .await;
    let piet = created.body["id"].as_i64().unwrap();
    let timeline = app
        .api(
            Method::GET,
            &format!("/api/v1/persons/{piet}/messages"),
            Some(&bert_t),
            None,
        )
        .await;
    assert_eq!(timeline.body["total"], 1, "{}", timeline.text);
    assert_eq!(
        timeline.body["items"][0]["seen"],
        serde_json::Value::Null,
        "not Bert's copy"
    );
    assert_eq!(
        app.api(
            Method::GET,
            &format!("/api/v1/messages/{offer}"),
            Some(&bert_t),
            None
        )
        .await
        .status,
        StatusCode::OK
    );
    is_problem(
        &app.api(
            Method::GET,
            &format!("/api/v1/messages/{private}/raw"),
            Some(&bert_t),
            None,
        )
        .await,
        StatusCode::NOT_FOUND,
        "not-found",
    );
    assert_eq!(
        app.api(Method::GET, "/api/v1/messages", Some(&bert_t), None)
            .await
            .body["total"],
        0
    );
    // Bert cannot mark it private; Anna can, and then Bert no longer sees it.
    let refused = app
        .api(
            Method::PATCH,
            &format!("/api/v1/messages/{offer}"),
            Some(&bert_t),
            Some(json!({ "private": true })),
        )
        .await;
    is_problem(&refused, StatusCode::FORBIDDEN, "forbidden");
    let marked = app
        .api(
            Method::PATCH,
            &format!("/api/v1/messages/{offer}"),
            Some(&anna_t),
            Some(json!({ "private": true })),
        )
        .await;
    assert_eq!(marked.status, StatusCode::NO_CONTENT, "{}", marked.text);
    assert_eq!(
        app.api(
            Method::GET,
            &format!("/api/v1/persons/{piet}/messages"),
            Some(&bert_t),
            None
        )
        .await
        .body["total"],
        0
    );
    is_problem(
        &app.api(
            Method::GET,
            &format!("/api/v1/messages/{offer}"),
            Some(&bert_t),
            None,
        )
        .await,
        StatusCode::NOT_FOUND,
        "not-found",
    );
    let company_mail = app
        .api(
            Method::GET,
            "/api/v1/companies/999999/messages",
            Some(&bert_t),
            None,
        )
        .await;
    is_problem(&company_mail, StatusCode::NOT_FOUND, "not-found");

    // Another organisation: 404 for everything, whatever the ids.
    for uri in [
        format!("/api/v1/messages/{offer}"),
        format!("/api/v1/messages/{private}/raw"),
        format!("/api/v1/persons/{piet}/messages"),
        "/api/v1/messages/not-a-number".to_owned(),
    ] {
        is_problem(
            &app.api(Method::GET, &uri, Some(&carla_t), None).await,
            StatusCode::NOT_FOUND,
            "not-found",
        );
    }
    // Bad bodies: unknown fields, wrong types.
    let bad = app
        .api(
            Method::PATCH,
            &format!("/api/v1/messages/{offer}"),
            Some(&anna_t),
            Some(json!({ "gelezen": true })),
        )
        .await;
    is_problem(&bad, StatusCode::BAD_REQUEST, "bad-json");
}

#[tokio::test]
async fn downloads_need_a_session_and_are_attachments() {
    let app = app().await;
    let anna = app.user("Demo BV", "anna@demo.nl", Role::Gebruiker).await;
    app.seed_inbox(&anna, &[OFFER, PRIVATE]).await;
    let token = app.token(&anna).await;
    let found = app
        .api(
            Method::GET,
            "/api/v1/messages?q=offerte",
            Some(&token),
            None,
        )
        .await;
    let offer = found.body["items"][0]["id"].as_i64().unwrap();

    // Without a session: to the login page, never the file.
    let anonymous = app
        .api(
            Method::GET,
            &format!("/mail/{offer}/bijlagen/0"),
            None,
            None,
        )
        .await;
    assert!(anonymous.status.is_redirection(), "{}", anonymous.status);

    let session = session_from(&app.login("anna@demo.nl", "een-lang-wachtwoord").await);
    let get = |uri: String| {
        axum::http::Request::get(uri)
            .header(header::COOKIE, format!("pk_session={session}"))
            .body(axum::body::Body::empty())
            .unwrap()
    };
    let pdf = app.send(get(format!("/mail/{offer}/bijlagen/0"))).await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert_eq!(pdf.headers[header::CONTENT_TYPE], "application/pdf");
    assert!(
        pdf.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename=\"offerte.pdf\"")
    );
    assert_eq!(pdf.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(pdf.text, "%PDF-1.4\n");
    assert_eq!(
        app.send(get(format!("/mail/{offer}/bijlagen/9")))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.send(get(format!("/mail/{offer}/bijlagen/x")))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let eml = app.send(get(format!("/mail/{offer}/raw"))).await;
    assert!(
        eml.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .contains("Offerte koffie.eml")
    );
}
