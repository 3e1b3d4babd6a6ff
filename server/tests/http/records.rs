//! The JSON API's records: companies and persons CRUD, another organisation's records, probes,
//! docs and request ids.

use crate::support::*;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use postkamer_domain::Role;
use serde_json::{Value, json};

#[tokio::test]
async fn companies_and_persons_crud() {
    let app = app().await;
    let token = app
        .token(&app.user("Org A", "alice@a.nl", Role::Gebruiker).await)
        .await;
    let t = Some(token.as_str());

    let company = app
        .api(Method::POST, "/api/v1/companies", t, Some(json!({ "name": "Bakkerij Jansen B.V.", "kvk_number": "12345678", "email_domains": ["bakkerij-jansen.nl"] })))
        .await;
    assert_eq!(company.status, StatusCode::CREATED, "{}", company.text);
    let company_id = company.body["id"].as_i64().unwrap();
    assert_eq!(
        company.headers[header::LOCATION],
        format!("/api/v1/companies/{company_id}")
    );

    let mut body = person(
        "Linden",
        &["eva@bakkerij-jansen.nl", "Eva.Linden@PriveMail.nl"],
    );
    body["company_id"] = json!(company_id);
    let created = app
        .api(Method::POST, "/api/v1/persons", t, Some(body))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let id = created.body["id"].as_i64().unwrap();
    assert_eq!(created.body["display_name"], "Eva van der Linden");
    assert_eq!(created.body["company"]["name"], "Bakkerij Jansen B.V.");
    assert_eq!(
        created.body["emails"][1]["address"],
        "eva.linden@privemail.nl"
    );

    let found = app
        .api(
            Method::GET,
            "/api/v1/persons?q=eva.linden%40privemail.nl",
            t,
            None,
        )
        .await;
    assert_eq!(found.body["total"], 1, "{}", found.text);
    assert_eq!(found.body["items"][0]["id"], id);
    let by_email = app
        .api(
            Method::GET,
            "/api/v1/persons/by-email?email=EVA.LINDEN@privemail.NL",
            t,
            None,
        )
        .await;
    assert_eq!(
        by_email.body.as_array().map(Vec::len),
        Some(1),
        "{}",
        by_email.text
    );

    let mut update = person("Linden", &["eva@bakkerij-jansen.nl"]);
    update["job_title"] = json!("Inkoper");
    let updated = app
        .api(
            Method::PUT,
            &format!("/api/v1/persons/{id}"),
            t,
            Some(update),
        )
        .await;
    assert_eq!(updated.status, StatusCode::OK, "{}", updated.text);
    assert_eq!(updated.body["job_title"], "Inkoper");
    assert_eq!(updated.body["company"], Value::Null);
    assert_eq!(updated.body["uid"], created.body["uid"]);

    let companies = app
        .api(
            Method::GET,
            "/api/v1/companies?q=bakkerij&sort=-name",
            t,
            None,
        )
        .await;
    assert_eq!(companies.body["items"][0]["id"], company_id);
    let bad_sort = app
        .api(Method::GET, "/api/v1/companies?sort=colour", t, None)
        .await;
    is_problem(&bad_sort, StatusCode::BAD_REQUEST, "bad-query");

    let deleted = app
        .api(Method::DELETE, &format!("/api/v1/persons/{id}"), t, None)
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    let gone = app
        .api(Method::GET, &format!("/api/v1/persons/{id}"), t, None)
        .await;
    is_problem(&gone, StatusCode::NOT_FOUND, "not-found");
    let deleted = app
        .api(
            Method::DELETE,
            &format!("/api/v1/companies/{company_id}"),
            t,
            None,
        )
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn another_organisations_records_answer_404() {
    let app = app().await;
    let alice = app
        .token(&app.user("Org A", "alice@a.nl", Role::SuperAdmin).await)
        .await;
    let carol = app
        .token(&app.user("Org B", "carol@b.nl", Role::SuperAdmin).await)
        .await;
    let created = app
        .api(
            Method::POST,
            "/api/v1/persons",
            Some(&alice),
            Some(person("Geheim", &["x@a.nl"])),
        )
        .await;
    let uri = format!("/api/v1/persons/{}", created.body["id"]);

    is_problem(
        &app.api(Method::GET, &uri, Some(&carol), None).await,
        StatusCode::NOT_FOUND,
        "not-found",
    );
    let put = app
        .api(
            Method::PUT,
            &uri,
            Some(&carol),
            Some(person("Overgenomen", &[])),
        )
        .await;
    is_problem(&put, StatusCode::NOT_FOUND, "not-found");
    is_problem(
        &app.api(Method::DELETE, &uri, Some(&carol), None).await,
        StatusCode::NOT_FOUND,
        "not-found",
    );
    let list = app
        .api(Method::GET, "/api/v1/persons?q=geheim", Some(&carol), None)
        .await;
    assert_eq!(list.body["total"], 0);
    let lookup = app
        .api(
            Method::GET,
            "/api/v1/persons/by-email?email=x@a.nl",
            Some(&carol),
            None,
        )
        .await;
    assert_eq!(lookup.body, json!([]));

    let still = app.api(Method::GET, &uri, Some(&alice), None).await;
    assert_eq!(still.body["last_name"], "Geheim");
}

#[tokio::test]
async fn probes_docs_and_request_ids() {
    let app = app().await;
    let health = app
        .send(Request::get("/healthz").body(Body::empty()).unwrap())
        .await;
    assert_eq!(health.status, StatusCode::OK);
    assert!(health.headers.contains_key("x-request-id"));
    assert_eq!(
        app.send(Request::get("/readyz").body(Body::empty()).unwrap())
            .await
            .text,
        "ready"
    );

    let spec = app
        .api(Method::GET, "/api/v1/openapi.json", None, None)
        .await;
    assert_eq!(spec.status, StatusCode::OK);
    for path in [
        "/api/v1/persons",
        "/api/v1/persons/{id}",
        "/api/v1/companies",
        "/api/v1/me",
    ] {
        assert!(spec.body["paths"].get(path).is_some(), "{path} documented");
    }
    assert!(
        spec.body["components"]["schemas"]
            .get("PersonInput")
            .is_some()
    );
    let docs = app
        .send(Request::get("/api/v1/docs").body(Body::empty()).unwrap())
        .await;
    assert!(docs.text.contains("/api/v1/persons/by-email"));
    is_problem(
        &app.api(Method::GET, "/api/v1/nope", None, None).await,
        StatusCode::NOT_FOUND,
        "not-found",
    );

    let login_page = app
        .send(Request::get("/login").body(Body::empty()).unwrap())
        .await;
    assert_eq!(login_page.status, StatusCode::OK);
    let csrf = login_page
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .any(|v| v.to_str().unwrap().starts_with("pk_csrf="));
    assert!(csrf, "the login page hands out the CSRF cookie");
}
