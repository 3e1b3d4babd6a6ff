//! The cross-user privacy suite. Anna owns three messages: one whose counterparty is a contact
//! person (linked), one from a stranger (unlinked) and one she marked private. Bert (her
//! colleague), Beheer (the organisation's SuperAdmin) and Eve (a SuperAdmin of another
//! organisation) try every route that can show mail: pages, server functions, the JSON API and
//! the downloads. Only the linked message may reach Bert and Beheer; nothing reaches Eve.
//!
//! The routes are enumerated from the router itself — the app's pages, the registered server
//! functions, the OpenAPI document, the download routes — and each must be classified below:
//! a new route without a classification fails `every_route_is_classified`.

#![allow(
    clippy::unwrap_used,
    reason = "a test fails loudly on the first unexpected error"
)]

mod support;
#[path = "privacy/world.rs"]
mod world;

use world::*;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use postkamer_domain::{Role, User};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use support::*;

/// How a route relates to mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// Shows or changes mail: probed below.
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
    ("/beheer/e-mail/actietypen", Class::NoMail),
    ("/beheer/e-mail/domeinen", Class::NoMail),
    ("/beheer/e-mail/domeinen/{id}", Class::NoMail),
    ("/beheer/gebruikersinstellingen/e-mail", Class::NoMail),
    (
        "/beheer/gebruikersinstellingen/synchronisatie",
        Class::NoMail,
    ),
    ("/beheer/gebruikersinstellingen/wachtwoord", Class::NoMail),
    ("/beheer/gebruikersinstellingen/api-tokens", Class::NoMail),
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
    ("me", Class::NoMail),
    ("login", Class::NoMail),
    ("logout", Class::NoMail),
    ("set_locale", Class::NoMail),
    ("change_password", Class::NoMail),
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
];

/// A server function's name: its path without `/fn/` and the hash the macro appends.
fn server_fn_name(path: &str) -> String {
    path.trim_start_matches("/fn/")
        .trim_end_matches(|c: char| c.is_ascii_digit())
        .to_owned()
}

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

#[tokio::test]
async fn nobody_sees_another_users_unlinked_or_private_mail() {
    let world = world().await;
    let markers = [LINKED, UNLINKED, PRIVATE];
    for (viewer, name) in NAMES.iter().enumerate() {
        let reads = world.reads(viewer).await;
        for (route, text) in &reads {
            for marker in markers {
                if text.contains(marker) {
                    assert!(
                        may_see(viewer, marker),
                        "{} sees {marker} through {route}: {text}",
                        name
                    );
                }
            }
        }
        // The probes reach what they may: otherwise a broken probe would pass for privacy.
        let seen = |marker: &str| {
            reads
                .iter()
                .filter(|(_, text)| text.contains(marker))
                .count()
        };
        match viewer {
            0 => {
                for marker in markers {
                    assert!(seen(marker) >= 6, "Anna reaches {marker}: {}", seen(marker));
                }
            }
            1 | 2 => assert!(
                seen(LINKED) >= 6,
                "{} reaches the linked message: {}",
                name,
                seen(LINKED)
            ),
            _ => assert_eq!(seen(LINKED), 0),
        }
    }

    // Counts: the address of the stranger is in no mail the colleague may see.
    for (viewer, name) in NAMES.iter().enumerate().skip(1) {
        let count = world
            .call(
                viewer,
                "messages_with_address",
                json!({"email": "onbekend@elders.nl"}),
            )
            .await;
        assert_eq!(count.trim(), "0", "{} counts: {count}", name);
    }
    let own = world
        .call(
            0,
            "messages_with_address",
            json!({"email": "onbekend@elders.nl"}),
        )
        .await;
    assert_eq!(own.trim(), "1");
}

#[tokio::test]
async fn nobody_changes_another_users_mail() {
    let world = world().await;
    let [linked, unlinked, private] = world.ids;
    for (viewer, who) in NAMES.iter().enumerate().skip(1) {
        for id in [linked, unlinked, private] {
            for (name, args) in [
                (
                    "set_message_flags",
                    json!({"id": id, "seen": true, "flagged": true}),
                ),
                ("set_message_private", json!({"id": id, "private": false})),
                ("delete_message", json!({"id": id})),
            ] {
                let reply = world
                    .app
                    .server_fn(&fn_path(name), Some(&world.sessions[viewer]), true, args)
                    .await;
                assert!(
                    reply.status.is_client_error(),
                    "{who} may {name} message {id}: {} {}",
                    reply.status,
                    reply.text
                );
            }
            let patch = world
                .app
                .api(
                    Method::PATCH,
                    &format!("/api/v1/messages/{id}"),
                    Some(&world.tokens[viewer]),
                    Some(json!({"private": false, "seen": true})),
                )
                .await;
            assert!(patch.status.is_client_error(), "{}", patch.text);
        }
    }
    // Anna's messages are as she left them: all there, the private one still private.
    let list = world
        .app
        .api(
            Method::GET,
            "/api/v1/messages",
            Some(&world.tokens[0]),
            None,
        )
        .await;
    assert_eq!(list.body["total"], 3, "{}", list.text);
    let text = world.api(1, &format!("/api/v1/messages/{private}")).await;
    assert!(!text.contains(PRIVATE), "{text}");
}

/// A CardDAV request as `user` (Basic with the account password).
async fn dav(world: &World, user: &User, method: &str, uri: &str, depth: Option<&str>) -> Reply {
    use base64::Engine as _;
    let auth = base64::engine::general_purpose::STANDARD
        .encode(format!("{}:een-lang-wachtwoord", user.email));
    let mut request = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::AUTHORIZATION, format!("Basic {auth}"));
    if let Some(depth) = depth {
        request = request.header("depth", depth);
    }
    world.app.send(request.body(Body::empty()).unwrap()).await
}

/// CardDAV serves relations, never mail, and each user their own book only: Anna marks Piet
/// Klant, the counterparty of all three of her messages, for sync. Her card of him holds
/// nothing of that mail; her colleagues, her SuperAdmin and Eve reach neither her book nor her
/// card (each has a book of their own), and Eve's book shows nothing of Anna's organisation.
#[tokio::test]
async fn carddav_serves_no_mail_and_no_other_users_book() {
    let world = world().await;
    let core = &world.app.core;
    for user in &world.users {
        core.set_sync_enabled(user, true).await.unwrap();
    }
    let anna = &world.users[0];
    core.set_persons_synced(anna, &[postkamer_domain::PersonId(world.person)], true)
        .await
        .unwrap();
    let book = |user: &User| format!("/dav/addressbooks/{}/default/", user.id);
    let listing = dav(&world, anna, "PROPFIND", &book(anna), Some("1")).await;
    assert_eq!(listing.status.as_u16(), 207, "{}", listing.text);
    let cards: Vec<&str> = listing
        .text
        .split("<d:href>")
        .filter_map(|rest| rest.split("</d:href>").next())
        .filter(|href| href.ends_with(".vcf"))
        .collect();
    assert_eq!(cards.len(), 1, "{}", listing.text);
    let card = dav(&world, anna, "GET", cards[0], None).await;
    assert_eq!(card.status, StatusCode::OK);
    assert!(card.text.contains("Klant"), "{}", card.text);
    for marker in [LINKED, UNLINKED, PRIVATE, "Tekst", "Bijlage"] {
        assert!(
            !listing.text.contains(marker) && !card.text.contains(marker),
            "{marker}"
        );
    }

    for (viewer, name) in NAMES.iter().enumerate().skip(1) {
        let user = &world.users[viewer];
        for (method, uri, depth) in [
            ("PROPFIND", book(anna), Some("1")),
            ("REPORT", book(anna), Some("1")),
            ("GET", String::from(cards[0]), None),
            ("DELETE", String::from(cards[0]), None),
        ] {
            let reply = dav(&world, user, method, &uri, depth).await;
            assert!(
                matches!(reply.status.as_u16(), 403 | 404),
                "{name}: {method} {uri} → {} {}",
                reply.status,
                reply.text
            );
            assert!(!reply.text.contains("Klant"), "{name}: {}", reply.text);
        }
        // Their own book: the organisation's synced relation for colleagues (the mark is the
        // relation's), nothing for Eve; never any mail.
        let own = dav(&world, user, "PROPFIND", &book(user), Some("1")).await;
        assert_eq!(own.status.as_u16(), 207, "{name}: {}", own.text);
        let cards = own.text.matches(".vcf</d:href>").count();
        assert_eq!(cards, usize::from(viewer != 3), "{name}: {}", own.text);
        for marker in [LINKED, UNLINKED, PRIVATE] {
            assert!(!own.text.contains(marker), "{name}: {marker}");
        }
    }
    // The card is still there for Anna.
    let again = dav(&world, anna, "GET", cards[0], None).await;
    assert_eq!(again.status, StatusCode::OK);
}
