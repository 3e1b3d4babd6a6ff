//! Templates and action types over the JSON API, in process: everyone reads and renders,
//! SuperAdmins change; the schema's refusals are problem documents naming field and rule; a
//! template in use cannot go; another organisation's templates are not there.

#![allow(
    clippy::unwrap_used,
    reason = "a test fails loudly on the first unexpected error"
)]

mod support;

use axum::http::{Method, StatusCode};
use postkamer_domain::Role;
use serde_json::{Value, json};
use support::*;

fn body(inhoud: usize) -> String {
    let block = r#"{"type": "inhoud", "content": [{"type": "paragraph"}]}"#;
    let greeting = r#"{"type": "paragraph", "content": [
        {"type": "merge_field", "attrs": {"field": "relatie.voornaam", "fallback": "relatie"}}]}"#;
    let blocks: Vec<&str> = std::iter::once(greeting)
        .chain(std::iter::repeat_n(block, inhoud))
        .collect();
    format!(r#"{{"type": "doc", "content": [{}]}}"#, blocks.join(","))
}

fn template(name: &str, inhoud: usize) -> Value {
    json!({ "name": name, "subject": "Voor {bedrijf.naam|u}", "body": body(inhoud) })
}

#[tokio::test]
async fn templates_through_the_api_follow_roles_schema_and_organisations() {
    let app = app().await;
    let admin = app
        .user("Demo BV", "beheer@demo.nl", Role::SuperAdmin)
        .await;
    let anna = app.user("Demo BV", "anna@demo.nl", Role::Gebruiker).await;
    let stranger = app
        .user("Ander BV", "beheer@ander.nl", Role::SuperAdmin)
        .await;
    let (admin_token, anna_token) = (app.token(&admin).await, app.token(&anna).await);
    let stranger_token = app.token(&stranger).await;

    let created = app
        .api(
            Method::POST,
            "/api/v1/templates",
            Some(&admin_token),
            Some(template("Standaard", 1)),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    assert_eq!(created.body["has_inhoud"], true);
    let id = created.body["id"].as_i64().unwrap();
    let refused = app
        .api(
            Method::POST,
            "/api/v1/templates",
            Some(&anna_token),
            Some(template("Eigen", 1)),
        )
        .await;
    is_problem(&refused, StatusCode::FORBIDDEN, "forbidden");
    let listed = app
        .api(Method::GET, "/api/v1/templates", Some(&anna_token), None)
        .await;
    assert_eq!(listed.status, StatusCode::OK);
    assert_eq!(
        listed.body.as_array().unwrap().len(),
        1,
        "everyone may use them"
    );

    let two = app
        .api(
            Method::PUT,
            &format!("/api/v1/templates/{id}"),
            Some(&admin_token),
            Some(template("Standaard", 2)),
        )
        .await;
    is_problem(&two, StatusCode::UNPROCESSABLE_ENTITY, "validation");
    assert_eq!(two.body["errors"][0]["field"], "body");
    assert_eq!(two.body["errors"][0]["code"], "template");
    assert_eq!(two.body["errors"][0]["rule"], "second_inhoud");
    let extra = json!({ "name": "X", "body": body(1), "script": "x" });
    let unknown = app
        .api(
            Method::POST,
            "/api/v1/templates",
            Some(&admin_token),
            Some(extra),
        )
        .await;
    assert!(unknown.status.is_client_error(), "{}", unknown.text);
    let not_json = app
        .api(
            Method::POST,
            "/api/v1/templates",
            Some(&admin_token),
            Some(json!("geen sjabloon")),
        )
        .await;
    assert!(not_json.status.is_client_error(), "{}", not_json.text);

    let rendered = app
        .api(
            Method::GET,
            &format!("/api/v1/templates/{id}/render"),
            Some(&anna_token),
            None,
        )
        .await;
    assert_eq!(rendered.status, StatusCode::OK, "{}", rendered.text);
    assert_eq!(rendered.body["subject"], "Voor u");
    assert!(
        rendered.body["text"]
            .as_str()
            .unwrap()
            .starts_with("relatie")
    );
    let bad_person = app
        .api(
            Method::GET,
            &format!("/api/v1/templates/{id}/render?person=abc"),
            Some(&anna_token),
            None,
        )
        .await;
    is_problem(&bad_person, StatusCode::BAD_REQUEST, "bad-query");

    let actions = app
        .api(Method::GET, "/api/v1/action-types", Some(&anna_token), None)
        .await;
    assert_eq!(actions.body.as_array().unwrap().len(), 6);
    assert_eq!(actions.body[0]["kind"], "email_out");
    let email_out = actions.body[0]["id"].as_i64().unwrap();
    let link = json!({ "name": "E-mail uit", "active": true, "template": id });
    let linked = app
        .api(
            Method::PUT,
            &format!("/api/v1/action-types/{email_out}"),
            Some(&admin_token),
            Some(link.clone()),
        )
        .await;
    assert_eq!(linked.status, StatusCode::OK, "{}", linked.text);
    assert_eq!(linked.body["template"]["name"], "Standaard");
    let in_use = app
        .api(
            Method::DELETE,
            &format!("/api/v1/templates/{id}"),
            Some(&admin_token),
            None,
        )
        .await;
    is_problem(&in_use, StatusCode::CONFLICT, "conflict");

    // Another organisation: not there, and not to be linked.
    let hidden = app
        .api(
            Method::GET,
            &format!("/api/v1/templates/{id}"),
            Some(&stranger_token),
            None,
        )
        .await;
    is_problem(&hidden, StatusCode::NOT_FOUND, "not-found");
    let theirs = app
        .api(
            Method::GET,
            "/api/v1/action-types",
            Some(&stranger_token),
            None,
        )
        .await;
    let their_email_out = theirs.body[0]["id"].as_i64().unwrap();
    let foreign = app
        .api(
            Method::PUT,
            &format!("/api/v1/action-types/{their_email_out}"),
            Some(&stranger_token),
            Some(link),
        )
        .await;
    is_problem(&foreign, StatusCode::UNPROCESSABLE_ENTITY, "validation");
    assert_eq!(foreign.body["errors"][0]["field"], "template");
}
