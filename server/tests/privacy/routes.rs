//! Every route is classified: how it relates to mail.

use crate::support::*;
use axum::http::{Method, StatusCode};
use postkamer_domain::Role;
use serde_json::Value;
use std::collections::BTreeSet;

/// How a route relates to mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// Shows or changes mail: probed in privacy/mail.rs.
    Mail,
    /// Shows no mail (relations, settings, domains, the caller, …).
    NoMail,
}

/// Every route, by its pattern (pages: the router's path; server functions: their name;
/// API: `METHOD /path` of the OpenAPI document; downloads: their path).
const CLASSIFIED: &[(&str, Class)] = &[
    // ---- pages
    ("/", Class::Mail),
    ("/postvak/{id}", Class::Mail),
    ("/postvak-uit", Class::Mail),
    ("/relaties", Class::NoMail),
    ("/relaties/bedrijven", Class::NoMail),
    ("/relaties/personen/nieuw", Class::NoMail),
    ("/relaties/personen/{id}", Class::Mail),
    ("/relaties/personen/{id}/bewerken", Class::NoMail),
    ("/relaties/bedrijven/nieuw", Class::NoMail),
    ("/relaties/bedrijven/{id}", Class::Mail),
    ("/relaties/bedrijven/{id}/bewerken", Class::NoMail),
    ("/dossiers", Class::NoMail),
    ("/taken", Class::NoMail),
    ("/beheer", Class::NoMail),
    ("/beheer/gebruikers", Class::NoMail),
    ("/beheer/gebruikers/adreskoppelingen", Class::NoMail),
    ("/beheer/crm-voorkeuren/ai-instellingen", Class::NoMail),
    ("/beheer/e-mail/sjablonen", Class::NoMail),
    ("/beheer/e-mail/sjablonen/{id}", Class::NoMail),
    ("/beheer/e-mail/actietypen", Class::NoMail),
    ("/beheer/e-mail/domeinen", Class::NoMail),
    ("/beheer/e-mail/domeinen/{id}", Class::NoMail),
    ("/beheer/gebruikersinstellingen/e-mail", Class::NoMail),
    (
        "/beheer/gebruikersinstellingen/synchronisatie",
        Class::NoMail,
    ),
    (
        "/beheer/gebruikersinstellingen/mijn-gegevens",
        Class::NoMail,
    ),
    ("/beheer/gebruikersinstellingen/wachtwoord", Class::NoMail),
    ("/beheer/gebruikersinstellingen/api-tokens", Class::NoMail),
    ("/beheer/systeem/wachtrij", Class::NoMail),
    ("/login", Class::NoMail),
    // ---- server functions
    ("list_messages", Class::Mail),
    ("timeline", Class::Mail),
    ("get_message", Class::Mail),
    ("set_message_flags", Class::Mail),
    ("delete_message", Class::Mail),
    ("set_message_private", Class::Mail),
    ("messages_with_address", Class::Mail),
    ("link_address", Class::Mail),
    ("get_sync_status", Class::Mail),
    ("list_outbox", Class::Mail),
    ("cancel_outgoing", Class::Mail),
    ("retry_outgoing", Class::Mail),
    ("get_smtp", Class::NoMail),
    ("save_smtp", Class::NoMail),
    ("test_smtp", Class::NoMail),
    ("delete_smtp", Class::NoMail),
    ("me", Class::NoMail),
    ("list_templates", Class::NoMail),
    ("get_template", Class::NoMail),
    ("save_template", Class::NoMail),
    ("duplicate_template", Class::NoMail),
    ("delete_template", Class::NoMail),
    ("template_versions", Class::NoMail),
    ("restore_template", Class::NoMail),
    ("preview_template", Class::NoMail),
    ("list_action_types", Class::NoMail),
    ("create_action_type", Class::NoMail),
    ("update_action_type", Class::NoMail),
    ("upload_template_image", Class::NoMail),
    ("login", Class::NoMail),
    ("logout", Class::NoMail),
    ("set_locale", Class::NoMail),
    ("change_password", Class::NoMail),
    ("my_details", Class::NoMail),
    ("save_my_details", Class::NoMail),
    ("list_api_tokens", Class::NoMail),
    ("create_api_token", Class::NoMail),
    ("revoke_api_token", Class::NoMail),
    ("list_domains", Class::NoMail),
    ("add_domain", Class::NoMail),
    ("get_domain", Class::NoMail),
    ("check_domain_now", Class::NoMail),
    ("delete_domain", Class::NoMail),
    ("set_signing_selector", Class::NoMail),
    ("generate_domain_key", Class::NoMail),
    ("get_mailbox", Class::NoMail),
    ("save_mailbox", Class::NoMail),
    ("test_mailbox", Class::NoMail),
    ("delete_mailbox", Class::NoMail),
    ("sync_now", Class::NoMail),
    ("list_persons", Class::NoMail),
    ("get_person", Class::NoMail),
    ("create_person", Class::NoMail),
    ("update_person", Class::NoMail),
    ("delete_person", Class::NoMail),
    ("list_companies", Class::NoMail),
    ("get_company", Class::NoMail),
    ("create_company", Class::NoMail),
    ("update_company", Class::NoMail),
    ("delete_company", Class::NoMail),
    ("company_options", Class::NoMail),
    ("list_selections", Class::NoMail),
    ("save_selection", Class::NoMail),
    ("delete_selection", Class::NoMail),
    ("set_selection_sync", Class::NoMail),
    ("get_sync_settings", Class::NoMail),
    ("set_sync_enabled", Class::NoMail),
    ("create_app_password", Class::NoMail),
    ("revoke_app_password", Class::NoMail),
    ("set_persons_synced", Class::NoMail),
    ("list_users", Class::NoMail),
    ("create_user", Class::NoMail),
    ("set_user_role", Class::NoMail),
    ("set_user_active", Class::NoMail),
    ("require_superadmin", Class::NoMail),
    ("address_log", Class::NoMail),
    ("job_queue", Class::NoMail),
    ("retry_job", Class::NoMail),
    // ---- downloads
    ("/mail/{id}/raw", Class::Mail),
    ("/mail/{id}/bijlagen/{index}", Class::Mail),
];

/// The JSON API's routes are classified by their tag in the OpenAPI document: `mail` shows
/// mail, the others do not. A new tag must be added here.
const API_TAGS: &[(&str, Class)] = &[
    ("mail", Class::Mail),
    ("relations", Class::NoMail),
    ("account", Class::NoMail),
    ("domains", Class::NoMail),
    ("jobs", Class::NoMail),
    ("templates", Class::NoMail),
    // The caller's own outgoing mail: probed in privacy/outbox.rs.
    ("outbox", Class::Mail),
    // Drafts quote and forward mail: probed in privacy/drafts.rs.
    ("drafts", Class::Mail),
];

async fn openapi(app: &TestApp, token: &str) -> Value {
    let doc = app
        .api(Method::GET, "/api/v1/openapi.json", Some(token), None)
        .await;
    assert_eq!(doc.status, StatusCode::OK, "{}", doc.text);
    doc.body
}

#[tokio::test]
async fn every_route_is_classified() {
    let app = app().await;
    let user = app.user("Demo BV", "anna@demo.nl", Role::Gebruiker).await;
    let token = app.token(&user).await;
    let known: BTreeSet<&str> = CLASSIFIED.iter().map(|(route, _)| *route).collect();
    let mut seen = BTreeSet::new();
    let mut missing = Vec::new();
    for route in leptos_axum::generate_route_list(postkamer_app::App) {
        let path = route.path().to_owned();
        if !known.contains(path.as_str()) {
            missing.push(format!("page {path}"));
        }
        seen.insert(path);
    }
    for (path, _) in leptos::server_fn::axum::server_fn_paths() {
        let name = server_fn_name(path);
        if !known.contains(name.as_str()) {
            missing.push(format!("server function {path}"));
        }
        seen.insert(name);
    }
    for route in postkamer_server::api::mail::DOWNLOAD_ROUTES {
        if !known.contains(route) {
            missing.push(format!("download {route}"));
        }
        seen.insert(route.to_owned());
    }
    let doc = openapi(&app, &token).await;
    let tags: BTreeSet<&str> = API_TAGS.iter().map(|(tag, _)| *tag).collect();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let operation_tags: Vec<&str> = operation["tags"]
                .as_array()
                .map(|t| t.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            if operation_tags.is_empty() || operation_tags.iter().any(|t| !tags.contains(t)) {
                missing.push(format!("API {method} {path} (tags {operation_tags:?})"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "routes without a privacy classification (add them to CLASSIFIED or API_TAGS, with a \
         probe when they show mail): {missing:#?}"
    );
    let stale: Vec<&&str> = known.iter().filter(|r| !seen.contains(**r)).collect();
    assert!(
        stale.is_empty(),
        "classified routes that no longer exist: {stale:?}"
    );
}
