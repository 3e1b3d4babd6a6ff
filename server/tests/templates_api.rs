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

/// The editor pages and their server functions: the list and a template render on the server
/// for everyone of the organisation (the editor's element empty, filled in the browser); saving
/// is for SuperAdmins, checked against the schema; the preview renders the unsaved state.
#[tokio::test]
async fn the_editor_pages_and_server_functions_follow_roles_and_the_schema() {
    let app = app().await;
    let admin = app
        .user("Demo BV", "beheer@demo.nl", Role::SuperAdmin)
        .await;
    app.user("Demo BV", "anna@demo.nl", Role::Gebruiker).await;
    app.user("Ander BV", "eve@ander.nl", Role::SuperAdmin).await;
    let login = |email: &'static str| app.login(email, "een-lang-wachtwoord");
    let (admin_session, anna_session, eve_session) = (
        session_from(&login("beheer@demo.nl").await),
        session_from(&login("anna@demo.nl").await),
        session_from(&login("eve@ander.nl").await),
    );
    let input: postkamer_domain::templates::TemplateInput =
        serde_json::from_value(template("Standaard", 1)).unwrap();
    let id = app.core.create_template(&admin, &input).await.unwrap().id;

    let list = app.page("/beheer/e-mail/sjablonen", &anna_session).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.text.contains("Standaard") && list.text.contains("Actietypen"));
    assert!(
        !list.text.contains(r#"data-test="new-template""#),
        "Nieuw is for SuperAdmins"
    );
    let admin_list = app.page("/beheer/e-mail/sjablonen", &admin_session).await;
    assert!(admin_list.text.contains(r#"data-test="new-template""#));
    let page = app
        .page(&format!("/beheer/e-mail/sjablonen/{id}"), &anna_session)
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains(r#"data-test="read-only""#));
    assert!(
        page.text
            .contains(r#"data-test="editor-body" class="pk-editor-body"></div>"#),
        "the server leaves the editor's element empty: {}",
        page.text
    );
    let elsewhere = app
        .page(&format!("/beheer/e-mail/sjablonen/{id}"), &eve_session)
        .await;
    assert_eq!(elsewhere.status, StatusCode::NOT_FOUND);
    let types = app.page("/beheer/e-mail/actietypen", &anna_session).await;
    assert!(types.text.contains("E-mail uit") && types.text.contains("Afspraak"));

    let save = fn_path("save_template");
    let call = |session: &str, body: Value| {
        let (app, save, session) = (&app, save.clone(), session.to_owned());
        async move { app.server_fn(&save, Some(&session), true, body).await }
    };
    let by_anna = call(
        &anna_session,
        json!({ "id": id, "input": template("Gekaapt", 1) }),
    )
    .await;
    assert_eq!(by_anna.status, StatusCode::FORBIDDEN, "{}", by_anna.text);
    let two_blocks = call(
        &admin_session,
        json!({ "id": id, "input": template("Standaard", 2) }),
    )
    .await;
    assert_eq!(
        two_blocks.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        two_blocks.text
    );
    assert!(
        two_blocks.text.contains("second_inhoud"),
        "{}",
        two_blocks.text
    );
    let saved = call(
        &admin_session,
        json!({ "id": id, "input": template("Standaard 2", 1) }),
    )
    .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.text);
    assert_eq!(saved.body["name"], "Standaard 2");
    let new = call(
        &admin_session,
        json!({ "id": null, "input": template("Nieuw", 0) }),
    )
    .await;
    assert_eq!(new.status, StatusCode::OK, "{}", new.text);
    assert_eq!(new.body["has_inhoud"], false);

    let preview = fn_path("preview_template");
    let unsaved =
        json!({ "name": "x", "subject": "Hallo {relatie.voornaam|daar}", "body": body(1) });
    let shown = app
        .server_fn(
            &preview,
            Some(&anna_session),
            true,
            json!({ "input": unsaved, "person": null }),
        )
        .await;
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.text);
    assert_eq!(shown.body["subject"], "Hallo daar");
    assert!(
        shown.body["text"].as_str().unwrap().contains("relatie"),
        "{}",
        shown.text
    );
    let unknown = json!({ "name": "x", "subject": "{relatie.geheim}", "body": body(1) });
    let refused = app
        .server_fn(
            &preview,
            Some(&anna_session),
            true,
            json!({ "input": unknown, "person": null }),
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.text
    );
}

/// A 1×1 PNG.
const PNG: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

fn with_image(src: &str) -> Value {
    let body = format!(
        r#"{{"type": "doc", "content": [{{"type": "paragraph", "content": [
            {{"type": "image", "attrs": {{"src": "{src}", "alt": "Logo"}}}}]}}]}}"#
    );
    json!({ "name": "Met logo", "subject": "", "body": body })
}

/// Images: uploaded by SuperAdmins (checked by their bytes and size), shown to everyone of the
/// organisation and nobody else, required to exist when a template shows them, and inlined in
/// the preview.
#[tokio::test]
async fn template_images_are_checked_kept_per_organisation_and_shown_in_the_preview() {
    use axum::body::Body;
    use axum::http::{Request, header};
    use base64::Engine as _;
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
    let png = base64::engine::general_purpose::STANDARD
        .decode(PNG)
        .unwrap();
    let upload = |token: &str, bytes: Vec<u8>| {
        let request = Request::post("/api/v1/templates/images")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "image/png")
            .body(Body::from(bytes))
            .unwrap();
        app.send(request)
    };

    let stored = upload(&admin_token, png.clone()).await;
    assert_eq!(stored.status, StatusCode::CREATED, "{}", stored.text);
    let src = stored.body["src"].as_str().unwrap().to_owned();
    assert!(
        src.starts_with("cid:img-") && src.ends_with(".png"),
        "{src}"
    );
    let again = upload(&admin_token, png.clone()).await;
    assert_eq!(
        again.body["src"],
        src.as_str(),
        "the same image, the same name"
    );
    is_problem(
        &upload(&anna_token, png.clone()).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    let not_an_image = upload(&admin_token, b"<svg onload=alert(1)>".to_vec()).await;
    assert_eq!(not_an_image.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        not_an_image.text.contains("image_type"),
        "{}",
        not_an_image.text
    );
    // Larger than this test server takes at all (64 KB), so straight to the core.
    let mut huge = png.clone();
    huge.resize(postkamer_domain::templates::MAX_IMAGE_BYTES + 1, 0);
    let too_large = app
        .core
        .keep_template_image(&admin, huge)
        .await
        .unwrap_err();
    assert!(
        format!("{too_large:?}").contains("ImageTooLarge"),
        "{too_large:?}"
    );

    let path = format!(
        "/api/v1/templates/images/{}",
        src.trim_start_matches("cid:")
    );
    let shown = app.api(Method::GET, &path, Some(&anna_token), None).await;
    assert_eq!(shown.status, StatusCode::OK);
    assert_eq!(shown.headers[header::CONTENT_TYPE], "image/png");
    assert_eq!(shown.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(
        shown.headers[header::CONTENT_SECURITY_POLICY],
        "default-src 'none'; sandbox"
    );
    assert!(
        shown.headers[header::CACHE_CONTROL]
            .to_str()
            .is_ok_and(|value| value.starts_with("private") && value.contains("immutable"))
    );
    let elsewhere = app
        .api(Method::GET, &path, Some(&stranger_token), None)
        .await;
    is_problem(&elsewhere, StatusCode::NOT_FOUND, "not-found");

    let unknown = app
        .api(
            Method::POST,
            "/api/v1/templates",
            Some(&admin_token),
            Some(with_image("cid:img-0000000000000000.png")),
        )
        .await;
    assert_eq!(
        unknown.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        unknown.text
    );
    assert!(unknown.text.contains("image_source"), "{}", unknown.text);
    let foreign = app
        .api(
            Method::POST,
            "/api/v1/templates",
            Some(&stranger_token),
            Some(with_image(&src)),
        )
        .await;
    assert_eq!(
        foreign.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "another organisation's image"
    );
    let created = app
        .api(
            Method::POST,
            "/api/v1/templates",
            Some(&admin_token),
            Some(with_image(&src)),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);

    let anna_session = session_from(&app.login("anna@demo.nl", "een-lang-wachtwoord").await);
    let preview = app
        .server_fn(
            &fn_path("preview_template"),
            Some(&anna_session),
            true,
            json!({ "input": with_image(&src), "person": null }),
        )
        .await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.text);
    let html = preview.body["html"].as_str().unwrap();
    assert!(
        html.contains(&format!("src=\"data:image/png;base64,{PNG}\"")),
        "{html}"
    );
    let id = created.body["id"].as_i64().unwrap();
    let rendered = app
        .api(
            Method::GET,
            &format!("/api/v1/templates/{id}/render"),
            Some(&anna_token),
            None,
        )
        .await;
    assert!(
        rendered.body["html"]
            .as_str()
            .unwrap()
            .contains(&format!("src=\"{src}\"")),
        "the mail keeps the cid: part: {}",
        rendered.text
    );
}

/// Mijn gegevens: users keep their own name, job title and phone number (the page's server
/// functions and `PUT /api/v1/me`), and the templates' gebruiker.* fields say what they keep.
#[tokio::test]
async fn the_senders_own_details_fill_the_gebruiker_merge_fields() {
    let app = app().await;
    let admin = app
        .user("Demo BV", "beheer@demo.nl", Role::SuperAdmin)
        .await;
    let anna = app.user("Demo BV", "anna@demo.nl", Role::Gebruiker).await;
    let (admin_token, anna_token) = (app.token(&admin).await, app.token(&anna).await);
    let signed = r#"{"type": "doc", "content": [{"type": "paragraph", "content": [
        {"type": "merge_field", "attrs": {"field": "gebruiker.naam", "fallback": ""}},
        {"type": "text", "text": " · "},
        {"type": "merge_field", "attrs": {"field": "gebruiker.functie", "fallback": "medewerker"}},
        {"type": "text", "text": " · "},
        {"type": "merge_field", "attrs": {"field": "gebruiker.telefoon", "fallback": "geen telefoon"}}]}]}"#;
    let created = app
        .api(
            Method::POST,
            "/api/v1/templates",
            Some(&admin_token),
            Some(json!({ "name": "Ondertekend", "subject": "Groet", "body": signed })),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let render = format!("/api/v1/templates/{}/render", created.body["id"]);
    let text = |reply: &Reply| reply.body["text"].as_str().unwrap().trim().to_owned();
    let before = app.api(Method::GET, &render, Some(&anna_token), None).await;
    assert_eq!(
        text(&before),
        format!("{} · medewerker · geen telefoon", anna.name)
    );

    // Refused with the fields named; nothing changes.
    let refused = app
        .api(
            Method::PUT,
            "/api/v1/me",
            Some(&anna_token),
            Some(json!({ "name": " ", "job_title": "Office manager", "phone": "bel me" })),
        )
        .await;
    is_problem(&refused, StatusCode::UNPROCESSABLE_ENTITY, "validation");
    let fields: Vec<&str> = refused.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["name", "phone"]);
    let unknown = app
        .api(
            Method::PUT,
            "/api/v1/me",
            Some(&anna_token),
            Some(json!({ "name": "Anna", "role": "superadmin" })),
        )
        .await;
    assert!(unknown.status.is_client_error(), "{}", unknown.text);
    let me = app
        .api(Method::GET, "/api/v1/me", Some(&anna_token), None)
        .await;
    assert_eq!(me.body["name"], anna.name.as_str());
    assert_eq!(me.body["role"], "gebruiker");
    assert_eq!(me.body["job_title"], Value::Null);

    let saved = app
        .api(
            Method::PUT,
            "/api/v1/me",
            Some(&anna_token),
            Some(json!({ "name": "Anna de Vries", "job_title": "Office manager", "phone": "020 123 4567" })),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.text);
    assert_eq!(saved.body["job_title"], "Office manager");
    let phone = saved.body["phone"].as_str().unwrap().to_owned();
    let after = app.api(Method::GET, &render, Some(&anna_token), None).await;
    assert_eq!(
        text(&after),
        format!("Anna de Vries · Office manager · {phone}")
    );
    // The admin's own mail still says the admin's.
    let admins = app
        .api(Method::GET, &render, Some(&admin_token), None)
        .await;
    assert!(text(&admins).starts_with(&format!("{} · medewerker", admin.name)));

    // The page's server functions: the caller's own details, a change only with the CSRF header.
    let session = session_from(&app.login("anna@demo.nl", "een-lang-wachtwoord").await);
    let mine = app
        .server_fn(&fn_path("my_details"), Some(&session), true, json!({}))
        .await;
    assert_eq!(mine.status, StatusCode::OK, "{}", mine.text);
    assert_eq!(mine.body["job_title"], "Office manager");
    let change =
        json!({ "details": { "name": "Anna de Vries", "job_title": "Directeur", "phone": "" } });
    let forged = app
        .server_fn(
            &fn_path("save_my_details"),
            Some(&session),
            false,
            change.clone(),
        )
        .await;
    assert!(forged.status.is_client_error(), "{}", forged.text);
    let changed = app
        .server_fn(&fn_path("save_my_details"), Some(&session), true, change)
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.text);
    let last = app.api(Method::GET, &render, Some(&anna_token), None).await;
    assert_eq!(text(&last), "Anna de Vries · Directeur · geen telefoon");
    let page = app
        .page("/beheer/gebruikersinstellingen/mijn-gegevens", &session)
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("Directeur"), "{}", page.text);
}
