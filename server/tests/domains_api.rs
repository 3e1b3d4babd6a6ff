//! Sending domains in the JSON API, in process, against the throw-away Knot of scripts/test.sh:
//! add (checked at once, red), the records to publish (the organisation's verification token
//! among them), publish them, check → DKIM active; the
//! rights (SuperAdmin only, own organisation only) and bad input as problem documents.

#[path = "../../crates/domainauth/tests/support/dns.rs"]
mod dns;
mod support;

use axum::http::{Method, StatusCode};
use dns::{TestDns, txt};
use postkamer_domain::Role;
use serde_json::json;
use support::*;

#[tokio::test]
async fn a_superadmin_adds_publishes_and_activates_a_domain_through_the_api() {
    let dns = TestDns::from_env();
    let app = app().await;
    let admin = app
        .user("Demo BV", "beheer@demo.test", Role::SuperAdmin)
        .await;
    let token = app.token(&admin).await;
    let domain = dns.domain("api");

    let added = app
        .api(
            Method::POST,
            "/api/v1/domains",
            Some(&token),
            Some(json!({ "domain": domain })),
        )
        .await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.text);
    assert_eq!(added.body["summary"]["state"], "pending");
    let id = added.body["summary"]["id"].as_i64().unwrap();
    let rows = added.body["records"].as_array().unwrap();
    assert_eq!(rows.len(), 5);
    assert_eq!(rows[1]["check"]["status"], "error");
    assert_eq!(rows[4]["publish"]["kind"], "ownership");
    assert_eq!(rows[4]["check"]["findings"][0]["code"], "ownership_missing");
    assert_eq!(rows[1]["check"]["findings"][0]["code"], "dkim_missing");

    let records = app
        .api(
            Method::GET,
            &format!("/api/v1/domains/{id}/records"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(records.status, StatusCode::OK);
    let records = records.body.as_array().unwrap().clone();
    assert_eq!(records[1]["host"], format!("key001._domainkey.{domain}"));
    assert_eq!(records[1]["relative_host"], "key001._domainkey");
    assert_eq!(records[4]["relative_host"], "_postkamer");
    assert!(
        records[4]["value"]
            .as_str()
            .unwrap()
            .starts_with("postkamer-verification="),
        "{}",
        records[4]
    );
    for record in &records {
        dns.set(
            record["host"].as_str().unwrap(),
            &[txt(record["value"].as_str().unwrap())],
        )
        .await;
    }

    let checked = app
        .api(
            Method::POST,
            &format!("/api/v1/domains/{id}/check"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(checked.status, StatusCode::OK, "{}", checked.text);
    assert_eq!(checked.body["summary"]["state"], "active");
    assert_eq!(checked.body["records"][0]["check"]["status"], "ok");
    assert_eq!(checked.body["history"].as_array().unwrap().len(), 2);

    let list = app
        .api(Method::GET, "/api/v1/domains", Some(&token), None)
        .await;
    assert_eq!(list.body[0]["domain"], domain);
    assert_eq!(list.body[0]["state"], "active");

    let openapi = app
        .api(Method::GET, "/api/v1/openapi.json", Some(&token), None)
        .await;
    assert!(openapi.body["paths"]["/api/v1/domains/{id}/check"]["post"].is_object());

    let deleted = app
        .api(
            Method::DELETE,
            &format!("/api/v1/domains/{id}"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    let gone = app
        .api(
            Method::GET,
            &format!("/api/v1/domains/{id}"),
            Some(&token),
            None,
        )
        .await;
    is_problem(&gone, StatusCode::NOT_FOUND, "not-found");
}

#[tokio::test]
async fn domains_are_for_superadmins_of_their_own_organisation_and_bad_input_is_a_problem() {
    let dns = TestDns::from_env();
    let app = app().await;
    let admin = app
        .user("Demo BV", "beheer@demo.test", Role::SuperAdmin)
        .await;
    let user = app
        .user("Demo BV", "gebruiker@demo.test", Role::Gebruiker)
        .await;
    let stranger = app
        .user("Ander BV", "beheer@ander.test", Role::SuperAdmin)
        .await;
    let (admin_token, user_token, stranger_token) = (
        app.token(&admin).await,
        app.token(&user).await,
        app.token(&stranger).await,
    );
    let domain = dns.domain("api-rights");
    let added = app
        .api(
            Method::POST,
            "/api/v1/domains",
            Some(&admin_token),
            Some(json!({ "domain": domain })),
        )
        .await;
    let id = added.body["summary"]["id"].as_i64().unwrap();

    let refused = app
        .api(Method::GET, "/api/v1/domains", Some(&user_token), None)
        .await;
    is_problem(&refused, StatusCode::FORBIDDEN, "forbidden");
    let refused = app
        .api(
            Method::POST,
            "/api/v1/domains",
            Some(&user_token),
            Some(json!({ "domain": "x.postkamer.test" })),
        )
        .await;
    is_problem(&refused, StatusCode::FORBIDDEN, "forbidden");
    for uri in [
        format!("/api/v1/domains/{id}"),
        format!("/api/v1/domains/{id}/records"),
    ] {
        let hidden = app
            .api(Method::GET, &uri, Some(&stranger_token), None)
            .await;
        is_problem(&hidden, StatusCode::NOT_FOUND, "not-found");
    }
    let hidden = app
        .api(
            Method::POST,
            &format!("/api/v1/domains/{id}/check"),
            Some(&stranger_token),
            None,
        )
        .await;
    is_problem(&hidden, StatusCode::NOT_FOUND, "not-found");
    let unauthenticated = app.api(Method::GET, "/api/v1/domains", None, None).await;
    is_problem(
        &unauthenticated,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    );

    let invalid = app
        .api(
            Method::POST,
            "/api/v1/domains",
            Some(&admin_token),
            Some(json!({ "domain": "geen domein" })),
        )
        .await;
    is_problem(&invalid, StatusCode::UNPROCESSABLE_ENTITY, "validation");
    assert_eq!(invalid.body["errors"][0]["field"], "domain");
    assert_eq!(invalid.body["errors"][0]["code"], "domain");
    // Another organisation may claim the domain too (its own token decides); the same
    // organisation twice is refused.
    let claim = app
        .api(
            Method::POST,
            "/api/v1/domains",
            Some(&stranger_token),
            Some(json!({ "domain": domain })),
        )
        .await;
    assert_eq!(claim.status, StatusCode::CREATED, "{}", claim.text);
    assert_ne!(claim.body["summary"]["id"], id);
    let taken = app
        .api(
            Method::POST,
            "/api/v1/domains",
            Some(&admin_token),
            Some(json!({ "domain": domain.to_uppercase() })),
        )
        .await;
    is_problem(&taken, StatusCode::UNPROCESSABLE_ENTITY, "validation");
    assert_eq!(taken.body["errors"][0]["code"], "domain_taken");
    let unknown_field = app
        .api(
            Method::POST,
            "/api/v1/domains",
            Some(&admin_token),
            Some(json!({ "domain": "a.nl", "x": 1 })),
        )
        .await;
    is_problem(&unknown_field, StatusCode::BAD_REQUEST, "bad-json");
    let bad_id = app
        .api(Method::GET, "/api/v1/domains/abc", Some(&admin_token), None)
        .await;
    assert_eq!(bad_id.status, StatusCode::NOT_FOUND, "{}", bad_id.text);
    assert_eq!(
        app.core.list_domains(&admin).await.unwrap().len(),
        1,
        "nothing stored half"
    );
}
