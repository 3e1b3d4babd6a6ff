//! In-process HTTP tests of the whole router: JSON API, problem documents, authentication,
//! CSRF, throttling, organisation isolation, bad input. Requests go through
//! `tower::ServiceExt::oneshot`; the database is a fresh SQLite file per test.

mod support;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use postkamer_domain::Role;
use serde_json::{Value, json};
use support::*;

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
