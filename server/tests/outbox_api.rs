//! Mail out through the JSON API, against the throw-away SMTP server of scripts/test.sh: the
//! caller's SMTP account (never its password back), "Verbinding testen", sending with an
//! attachment, the outbox and its states, bad input refused with a clear problem.

#![allow(clippy::unwrap_used)]

mod support;

use axum::http::{Method, StatusCode, header};
use base64::Engine as _;
use postkamer_domain::Role;
use serde_json::{Value, json};
use support::*;

/// The test SMTP server's plain listener (loopback: no CA to trust) with the run's login.
pub fn smtp_account(password: Option<&str>) -> Value {
    let var =
        |name: &str| std::env::var(name).expect("run scripts/test.sh: it starts the SMTP server");
    let address = var("POSTKAMER_TEST_SMTP_PLAIN");
    let (host, port) = address.rsplit_once(':').unwrap();
    json!({
        "host": host,
        "port": port,
        "tls": "none",
        "login": var("POSTKAMER_TEST_SMTP_LOGIN"),
        "password": password.map_or_else(|| var("POSTKAMER_TEST_SMTP_PASSWORD"), str::to_owned),
    })
}

/// Runs the due mail.send jobs.
pub async fn run_sends(app: &TestApp) {
    let mut config = postkamer_core::background::BackgroundConfig::new("test");
    config.mail_sync = None;
    config.domain_checks = false;
    let runner = app.core.job_runner(&config);
    while runner.run_once().await.unwrap().is_some() {}
}

#[tokio::test]
async fn the_smtp_account_is_set_tested_and_never_shows_its_password() {
    let app = app().await;
    let anna = app.user("Demo BV", "anna@demo.nl", Role::Gebruiker).await;
    let token = app.token(&anna).await;
    let none = app
        .api(Method::GET, "/api/v1/me/smtp", Some(&token), None)
        .await;
    is_problem(&none, StatusCode::NOT_FOUND, "not-found");

    let wrong = app
        .api(
            Method::POST,
            "/api/v1/me/smtp/test",
            Some(&token),
            Some(smtp_account(Some("fout"))),
        )
        .await;
    is_problem(&wrong, StatusCode::BAD_GATEWAY, "mail-server");
    assert!(
        wrong.body["detail"]
            .as_str()
            .unwrap()
            .contains("wachtwoord"),
        "{}",
        wrong.text
    );
    let ok = app
        .api(
            Method::POST,
            "/api/v1/me/smtp/test",
            Some(&token),
            Some(smtp_account(None)),
        )
        .await;
    assert_eq!(ok.status, StatusCode::NO_CONTENT, "{}", ok.text);

    let saved = app
        .api(
            Method::PUT,
            "/api/v1/me/smtp",
            Some(&token),
            Some(smtp_account(None)),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.text);
    assert_eq!(saved.body["has_password"], true);
    let password = std::env::var("POSTKAMER_TEST_SMTP_PASSWORD").unwrap();
    let shown = app
        .api(Method::GET, "/api/v1/me/smtp", Some(&token), None)
        .await;
    assert!(!shown.text.contains(&password), "{}", shown.text);
    assert_eq!(shown.body["tls"], "none");

    let mut remote_plain = smtp_account(None);
    remote_plain["host"] = json!("smtp.example.com");
    let refused = app
        .api(
            Method::PUT,
            "/api/v1/me/smtp",
            Some(&token),
            Some(remote_plain),
        )
        .await;
    is_problem(&refused, StatusCode::UNPROCESSABLE_ENTITY, "validation");
    let deleted = app
        .api(Method::DELETE, "/api/v1/me/smtp", Some(&token), None)
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn a_message_is_sent_and_its_outbox_entry_follows_it() {
    let app = app().await;
    let anna = app.user("Demo BV", "anna@demo.nl", Role::Gebruiker).await;
    let token = app.token(&anna).await;

    let unsendable = json!({"to": [{"address": "klant@example.com"}], "subject": "x", "text": "x"});
    let refused = app
        .api(
            Method::POST,
            "/api/v1/mail/send",
            Some(&token),
            Some(unsendable.clone()),
        )
        .await;
    is_problem(&refused, StatusCode::CONFLICT, "conflict");
    assert_eq!(refused.body["detail"], "no_smtp");

    app.api(
        Method::PUT,
        "/api/v1/me/smtp",
        Some(&token),
        Some(smtp_account(None)),
    )
    .await;
    for (bad, field) in [
        (json!({"to": [], "subject": "x", "text": "x"}), "to"),
        (
            json!({"to": [{"address": "geen adres"}], "subject": "x", "text": "x"}),
            "to",
        ),
        (
            json!({"to": [{"address": "a@example.com"}], "subject": "x", "text": "x",
                   "attachments": [{"file_name": "a.pdf", "data": "@@@"}]}),
            "attachments",
        ),
    ] {
        let reply = app
            .api(Method::POST, "/api/v1/mail/send", Some(&token), Some(bad))
            .await;
        is_problem(&reply, StatusCode::UNPROCESSABLE_ENTITY, "validation");
        assert_eq!(reply.body["errors"][0]["field"], field, "{}", reply.text);
    }
    let unknown = app
        .api(
            Method::POST,
            "/api/v1/mail/send",
            Some(&token),
            Some(json!({"to": [], "subject": "x", "text": "x", "from": "ceo@elders.nl"})),
        )
        .await;
    is_problem(&unknown, StatusCode::BAD_REQUEST, "bad-json");

    let marker = format!("api-send-{}", std::process::id());
    let pdf: Vec<u8> = (0..=255u8).cycle().take(3000).collect();
    let sent = app
        .api(
            Method::POST,
            "/api/v1/mail/send",
            Some(&token),
            Some(json!({
                "to": [{"name": "José Klant", "address": "klant@example.com"}],
                "bcc": [{"address": "archief@example.com"}],
                "subject": format!("Offerte {marker}"),
                "text": "Beste José,\n\nZie de bijlage.\n",
                "html": "<p>Beste José,</p>",
                "attachments": [{"file_name": "offerte.pdf", "content_type": "application/pdf",
                                 "data": base64::engine::general_purpose::STANDARD.encode(&pdf)}],
            })),
        )
        .await;
    assert_eq!(sent.status, StatusCode::ACCEPTED, "{}", sent.text);
    assert_eq!(sent.body["state"], "wachtrij");
    assert_eq!(
        sent.body["signed_with"],
        Value::Null,
        "demo.nl is no active domain here"
    );
    let id = sent.body["id"].as_i64().unwrap();

    run_sends(&app).await;
    let item = app
        .api(
            Method::GET,
            &format!("/api/v1/outbox/{id}"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(item.body["state"], "verzonden", "{}", item.text);
    let states: Vec<&str> = item.body["recipients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["accepted", "accepted"]);
    let raw = app
        .api(
            Method::GET,
            &format!("/api/v1/outbox/{id}/raw"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(raw.headers[header::CONTENT_TYPE], "message/rfc822");
    assert!(raw.text.contains(&marker));
    assert!(!raw.text.contains("archief@example.com"), "no Bcc header");
    let list = app
        .api(
            Method::GET,
            "/api/v1/outbox?per_page=10",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(list.body["total"], 1);

    let late = app
        .api(
            Method::POST,
            &format!("/api/v1/outbox/{id}/cancel"),
            Some(&token),
            None,
        )
        .await;
    is_problem(&late, StatusCode::CONFLICT, "conflict");
    let retry = app
        .api(
            Method::POST,
            &format!("/api/v1/outbox/{id}/retry"),
            Some(&token),
            None,
        )
        .await;
    is_problem(&retry, StatusCode::CONFLICT, "conflict");
    let missing = app
        .api(Method::GET, "/api/v1/outbox/abc", Some(&token), None)
        .await;
    assert!(missing.status.is_client_error(), "{}", missing.text);
}
