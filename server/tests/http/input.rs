//! Bad input: problem documents in the caller's language, clear errors and nothing stored.

use crate::support::*;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use postkamer_domain::Role;
use serde_json::json;

#[tokio::test]
async fn validation_errors_are_problem_documents_in_the_callers_language() {
    let app = app().await;
    let token = app
        .token(&app.user("Org A", "alice@a.nl", Role::Gebruiker).await)
        .await;
    let reply = app
        .api(
            Method::POST,
            "/api/v1/persons",
            Some(&token),
            Some(person("Linden", &["ok@a.nl", "geen-geldig-adres"])),
        )
        .await;
    is_problem(&reply, StatusCode::UNPROCESSABLE_ENTITY, "validation");
    assert_eq!(reply.body["errors"][0]["field"], "emails[1].address");
    assert_eq!(reply.body["errors"][0]["code"], "email");
    assert_eq!(
        reply.body["errors"][0]["message"],
        "Dit is geen geldig e-mailadres."
    );

    let request = Request::post("/api/v1/companies")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ACCEPT_LANGUAGE, "en-GB,en;q=0.9")
        .body(Body::from(
            json!({ "name": "", "kvk_number": "123" }).to_string(),
        ))
        .unwrap();
    let reply = app.send(request).await;
    is_problem(&reply, StatusCode::UNPROCESSABLE_ENTITY, "validation");
    assert_eq!(reply.body["title"], "The input is not valid.");
    assert_eq!(
        reply.body["errors"][1]["message"],
        "A KvK number has 8 digits."
    );

    // Nothing was stored half.
    let list = app
        .api(Method::GET, "/api/v1/persons", Some(&token), None)
        .await;
    assert_eq!(list.body["total"], 0);
}

#[tokio::test]
async fn bad_input_gets_a_clear_error_and_stores_nothing() {
    let app = app().await;
    let token = app
        .token(&app.user("Org A", "alice@a.nl", Role::Gebruiker).await)
        .await;
    let t = Some(token.as_str());
    let post = |body: &'static str, content_type: &'static str| {
        Request::post("/api/v1/persons")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body))
            .unwrap()
    };
    is_problem(
        &app.send(post("{\"last_name\": ", "application/json")).await,
        StatusCode::BAD_REQUEST,
        "bad-json",
    );
    is_problem(
        &app.send(post("[1, 2, 3]", "application/json")).await,
        StatusCode::BAD_REQUEST,
        "bad-json",
    );
    let unknown = app
        .send(post(
            "{\"last_name\": \"X\", \"shoe_size\": 44}",
            "application/json",
        ))
        .await;
    assert!(
        unknown.body["detail"]
            .as_str()
            .unwrap()
            .contains("shoe_size"),
        "{}",
        unknown.text
    );
    is_problem(
        &app.send(post("last_name=X", "application/x-www-form-urlencoded"))
            .await,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "media-type",
    );
    let invalid_utf8 = Request::post("/api/v1/persons")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(vec![b'{', b'"', 0xff, 0xfe, b'"', b'}']))
        .unwrap();
    assert_eq!(app.send(invalid_utf8).await.status, StatusCode::BAD_REQUEST);

    let huge = format!("{{\"last_name\": \"{}\"}}", "x".repeat(LIMIT * 2));
    let request = Request::post("/api/v1/persons")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(huge))
        .unwrap();
    is_problem(
        &app.send(request).await,
        StatusCode::PAYLOAD_TOO_LARGE,
        "too-large",
    );
    is_problem(
        &app.api(Method::GET, "/api/v1/persons/abc", t, None).await,
        StatusCode::NOT_FOUND,
        "not-found",
    );
    assert_eq!(
        app.api(Method::GET, "/api/v1/persons", t, None).await.body["total"],
        0
    );

    // SQL and HTML in names are plain text: stored and returned as typed.
    let name = "<script>alert(1)</script>'; DROP TABLE persons; --";
    let created = app
        .api(Method::POST, "/api/v1/persons", t, Some(person(name, &[])))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    assert_eq!(created.body["last_name"], name);
    assert_eq!(
        app.api(Method::GET, "/api/v1/persons", t, None).await.body["total"],
        1
    );
}
