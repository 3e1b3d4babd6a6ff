//! The job queue over HTTP, in process: the JSON API (`GET /api/v1/jobs`, `POST
//! /api/v1/jobs/{id}/retry`) and the page Beheer → Systeem → Taken in de wachtrij with its
//! server functions. SuperAdmins of the organisation only; errors are problem documents.

#![allow(
    clippy::unwrap_used,
    reason = "a test fails loudly on the first unexpected error"
)]

mod support;

use axum::http::{Method, StatusCode};
use postkamer_domain::jobs::{JobState, KIND_MAIL_SYNC};
use postkamer_domain::mail::{MailboxInput, TlsMode};
use postkamer_domain::{JobId, Role, User};
use serde_json::json;
use std::time::Duration;
use support::*;

const ERROR: &str = "De mailserver weigert het wachtwoord.";

/// Saves `owner`'s mailbox (which queues its sync job) and fails that job for good.
async fn failed_sync(app: &TestApp, owner: &User) -> JobId {
    let input = MailboxInput {
        host: "127.0.0.1".into(),
        port: "143".into(),
        tls: TlsMode::None,
        login: owner.email.to_string(),
        password: "geheim".into(),
        since: String::new(),
        enabled: true,
    };
    app.core.save_mailbox(owner, &input).await.unwrap();
    let id = app
        .core
        .claim_job_for_tests(KIND_MAIL_SYNC, "runner", Duration::from_secs(60))
        .await
        .unwrap()
        .expect("saving the mailbox queued its sync");
    assert!(
        app.core
            .fail_job_for_tests(id, "runner", ERROR, None)
            .await
            .unwrap()
    );
    id
}

async fn queue(app: &TestApp, admin: &User, kind: &str, payload: &str, delay: Duration) -> JobId {
    app.core
        .enqueue_job(Some(admin.org_id), kind, payload, delay, None, 3)
        .await
        .unwrap()
        .unwrap()
}

#[tokio::test]
async fn a_superadmin_lists_and_retries_the_jobs_of_their_organisation() {
    let app = app().await;
    let admin = app
        .user("Demo BV", "beheer@demo.nl", Role::SuperAdmin)
        .await;
    let anna = app.user("Demo BV", "anna@demo.nl", Role::Gebruiker).await;
    let token = app.token(&admin).await;
    let failed = failed_sync(&app, &anna).await;
    let later = queue(&app, &admin, "backup", "{}", Duration::from_secs(3600)).await;

    let list = app
        .api(Method::GET, "/api/v1/jobs", Some(&token), None)
        .await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.text);
    assert_eq!(list.body["total"], 2);
    let first = &list.body["items"][0];
    assert_eq!(first["id"], failed.0);
    assert_eq!(first["state"], "failed");
    assert_eq!(first["label_nl"], "Mailbox synchroniseren");
    assert_eq!(first["label_en"], "Mailbox sync");
    assert_eq!(first["subject"], "anna@demo.nl", "the mailbox owner");
    assert_eq!(
        (&first["attempts"], &first["max_attempts"]),
        (&json!(1), &json!(null)),
        "a mailbox sync keeps retrying"
    );
    assert_eq!(first["last_error"], ERROR);
    assert_eq!(list.body["items"][1]["id"], later.0);
    assert_eq!(list.body["items"][1]["state"], "pending");

    let second = app
        .api(
            Method::GET,
            "/api/v1/jobs?page=2&per_page=1",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(second.status, StatusCode::OK, "{}", second.text);
    assert_eq!(second.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(second.body["items"][0]["id"], later.0);
    assert_eq!(
        (&second.body["page"], &second.body["total"]),
        (&json!(2), &json!(2))
    );

    let retried = app
        .api(
            Method::POST,
            &format!("/api/v1/jobs/{failed}/retry"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(retried.status, StatusCode::NO_CONTENT, "{}", retried.text);
    let list = app
        .api(Method::GET, "/api/v1/jobs", Some(&token), None)
        .await;
    let job = &list.body["items"][0];
    assert_eq!(
        (&job["id"], &job["state"], &job["attempts"]),
        (&json!(failed.0), &json!("pending"), &json!(0))
    );

    // Running now: left to its runner.
    let claimed = app
        .core
        .claim_job_for_tests(KIND_MAIL_SYNC, "runner", Duration::from_secs(60))
        .await
        .unwrap();
    assert_eq!(claimed, Some(failed));
    let busy = app
        .api(
            Method::POST,
            &format!("/api/v1/jobs/{failed}/retry"),
            Some(&token),
            None,
        )
        .await;
    is_problem(&busy, StatusCode::CONFLICT, "conflict");
    assert_eq!(busy.body["detail"], "job_running");

    let openapi = app
        .api(Method::GET, "/api/v1/openapi.json", Some(&token), None)
        .await;
    assert!(openapi.body["paths"]["/api/v1/jobs"]["get"].is_object());
    assert!(openapi.body["paths"]["/api/v1/jobs/{id}/retry"]["post"].is_object());
    assert!(openapi.body["components"]["schemas"]["QueuedJob"].is_object());
}

#[tokio::test]
async fn the_queue_is_for_superadmins_of_its_own_organisation_and_bad_input_is_a_problem() {
    let app = app().await;
    let admin = app
        .user("Demo BV", "beheer@demo.nl", Role::SuperAdmin)
        .await;
    let anna = app.user("Demo BV", "anna@demo.nl", Role::Gebruiker).await;
    let eve = app.user("Ander BV", "eve@ander.nl", Role::SuperAdmin).await;
    let (admin_token, anna_token, eve_token) = (
        app.token(&admin).await,
        app.token(&anna).await,
        app.token(&eve).await,
    );
    let job = failed_sync(&app, &anna).await;
    let retry = format!("/api/v1/jobs/{job}/retry");

    for (method, uri) in [
        (Method::GET, "/api/v1/jobs"),
        (Method::POST, retry.as_str()),
    ] {
        let refused = app.api(method.clone(), uri, Some(&anna_token), None).await;
        is_problem(&refused, StatusCode::FORBIDDEN, "forbidden");
        let revoked = app.api(method, uri, Some("pk_geen-token"), None).await;
        is_problem(&revoked, StatusCode::UNAUTHORIZED, "invalid-token");
    }
    let anonymous = app.api(Method::GET, "/api/v1/jobs", None, None).await;
    is_problem(&anonymous, StatusCode::UNAUTHORIZED, "unauthenticated");
    // Without a token, a POST is a browser's, and needs its CSRF token first.
    let anonymous = app.api(Method::POST, &retry, None, None).await;
    is_problem(&anonymous, StatusCode::FORBIDDEN, "csrf");
    let theirs = app
        .api(Method::GET, "/api/v1/jobs", Some(&eve_token), None)
        .await;
    assert_eq!(theirs.status, StatusCode::OK, "{}", theirs.text);
    assert_eq!(
        theirs.body["total"], 0,
        "another organisation's jobs stay out of sight"
    );
    let hidden = app.api(Method::POST, &retry, Some(&eve_token), None).await;
    is_problem(&hidden, StatusCode::NOT_FOUND, "not-found");

    for uri in ["/api/v1/jobs/abc/retry", "/api/v1/jobs/987654/retry"] {
        let missing = app.api(Method::POST, uri, Some(&admin_token), None).await;
        is_problem(&missing, StatusCode::NOT_FOUND, "not-found");
    }
    for uri in ["/api/v1/jobs?page=een", "/api/v1/jobs?sort=run_at"] {
        let bad = app.api(Method::GET, uri, Some(&admin_token), None).await;
        is_problem(&bad, StatusCode::BAD_REQUEST, "bad-query");
    }
    // Nothing was retried along the way.
    let list = app
        .api(Method::GET, "/api/v1/jobs", Some(&admin_token), None)
        .await;
    assert_eq!(list.body["items"][0]["state"], "failed", "{}", list.text);
}

#[tokio::test]
async fn the_page_shows_the_queue_to_superadmins_and_retries_through_its_server_function() {
    let app = app().await;
    let admin = app
        .user("Demo BV", "beheer@demo.nl", Role::SuperAdmin)
        .await;
    let anna = app.user("Demo BV", "anna@demo.nl", Role::Gebruiker).await;
    app.user("Ander BV", "eve@ander.nl", Role::SuperAdmin).await;
    let login = |email: &'static str| app.login(email, "een-lang-wachtwoord");
    let (admin_session, anna_session, eve_session) = (
        session_from(&login("beheer@demo.nl").await),
        session_from(&login("anna@demo.nl").await),
        session_from(&login("eve@ander.nl").await),
    );
    let job = failed_sync(&app, &anna).await;

    let shown = app.page("/beheer/systeem/wachtrij", &admin_session).await;
    assert_eq!(shown.status, StatusCode::OK);
    for text in [
        "Taken in de wachtrij",
        "Mailbox synchroniseren",
        "anna@demo.nl",
        "Mislukt",
        ERROR,
        "Opnieuw proberen",
    ] {
        assert!(shown.text.contains(text), "{text} missing from the page");
    }
    let refused = app.page("/beheer/systeem/wachtrij", &anna_session).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.text.contains(r#"data-test="forbidden""#));
    assert!(!refused.text.contains(ERROR));
    let empty = app.page("/beheer/systeem/wachtrij", &eve_session).await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(empty.text.contains("Er staan geen taken in de wachtrij."));

    let retry = fn_path("retry_job");
    let call = |session: &str, csrf: bool, body: serde_json::Value| {
        let (app, retry, session) = (&app, retry.clone(), session.to_owned());
        async move { app.server_fn(&retry, Some(&session), csrf, body).await }
    };
    let without_csrf = call(&admin_session, false, json!({ "id": job })).await;
    is_problem(&without_csrf, StatusCode::FORBIDDEN, "csrf");
    let forbidden = call(&anna_session, true, json!({ "id": job })).await;
    assert_eq!(
        forbidden.status,
        StatusCode::FORBIDDEN,
        "{}",
        forbidden.text
    );
    assert_eq!(forbidden.body, json!("Forbidden"));
    let hidden = call(&eve_session, true, json!({ "id": job })).await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND, "{}", hidden.text);
    let bad = call(&admin_session, true, json!({ "id": "abc" })).await;
    // Arguments that do not decode are refused by the server-function layer (as a transport
    // error, for every server function alike), before the core is called.
    assert!(!bad.status.is_success(), "{}", bad.text);
    assert!(bad.body.get("Transport").is_some(), "{}", bad.text);
    let queue = app
        .core
        .job_queue(&admin, Default::default())
        .await
        .unwrap();
    assert_eq!(
        queue.items[0].state,
        JobState::Failed,
        "nothing retried yet"
    );
    let done = call(&admin_session, true, json!({ "id": job })).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text);

    let list = app
        .server_fn(
            &fn_path("job_queue"),
            Some(&admin_session),
            true,
            json!({ "page": 1 }),
        )
        .await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.text);
    assert_eq!(list.body["items"][0]["state"], "pending");
    assert_eq!(list.body["items"][0]["attempts"], 0);
    let shown = app.page("/beheer/systeem/wachtrij", &admin_session).await;
    assert!(shown.text.contains("Wachtend") && !shown.text.contains("Mislukt"));
}
