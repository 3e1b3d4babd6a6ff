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

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use postkamer_domain::Role;
use postkamer_domain::mail::{FolderRole, MailboxInput, TlsMode};
use postkamer_domain::relation::{CompanyInput, EmailInput, PersonInput};
use postkamer_mail::sync::incoming;
use postkamer_store::mail::{FolderProgress, Located};
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

// ------------------------------------------------------------------ the probes

const LINKED: &str = "Gekoppeld-q7";
const UNLINKED: &str = "Ongekoppeld-q7";
const PRIVATE: &str = "Prive-q7";

fn message(from: &str, subject: &str, id: &str) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: anna@demo.nl\r\nSubject: {subject}\r\nDate: Tue, 3 Nov 2026 10:15:00 \
         +0100\r\nMessage-ID: <{id}@test>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; \
         boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nTekst {subject}\r\n\
         --b\r\nContent-Type: text/plain; name=\"{subject}.txt\"\r\nContent-Disposition: attachment; \
         filename=\"{subject}.txt\"\r\n\r\nBijlage {subject}\r\n--b--\r\n"
    )
    .into_bytes()
}

struct World {
    app: TestApp,
    /// anna, bert, beheer, eve (in this order everywhere)
    sessions: [String; 4],
    tokens: [String; 4],
    /// The message ids of LINKED, UNLINKED, PRIVATE.
    ids: [i64; 3],
    person: i64,
    company: i64,
}

const NAMES: [&str; 4] = ["anna", "bert", "beheer", "eve"];

/// Which markers a viewer may see at all: Anna all, her colleagues the linked one, Eve none.
fn may_see(viewer: usize, marker: &str) -> bool {
    match viewer {
        0 => true,
        1 | 2 => marker == LINKED,
        _ => false,
    }
}

async fn world() -> World {
    let app = app().await;
    let anna = app.user("Demo BV", "anna@demo.nl", Role::Gebruiker).await;
    let bert = app.user("Demo BV", "bert@demo.nl", Role::Gebruiker).await;
    let beheer = app
        .user("Demo BV", "beheer@demo.nl", Role::SuperAdmin)
        .await;
    let eve = app.user("Ander BV", "eve@ander.nl", Role::SuperAdmin).await;
    let company = app
        .core
        .create_company(
            &beheer,
            &CompanyInput {
                name: "Klant BV".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let person = app
        .core
        .create_person(
            &beheer,
            &PersonInput {
                first_name: "Piet".into(),
                last_name: "Klant".into(),
                company_id: Some(company.id),
                emails: vec![EmailInput {
                    address: "piet@klant.nl".into(),
                    primary: true,
                }],
                ..Default::default()
            },
        )
        .await
        .unwrap();

    let settings = app
        .core
        .save_mailbox(
            &anna,
            &MailboxInput {
                host: "127.0.0.1".into(),
                port: "143".into(),
                tls: TlsMode::None,
                login: "anna".into(),
                password: "geheim".into(),
                since: String::new(),
                enabled: true,
            },
        )
        .await
        .unwrap();
    let store = app.core.store();
    let inbox = store
        .ensure_folder(settings.id, FolderRole::Inbox, "INBOX")
        .await
        .unwrap();
    let located = |uid| Located {
        uid,
        seen: false,
        flagged: false,
        modseq: None,
    };
    let raws = [
        message("Piet Klant <piet@klant.nl>", LINKED, "linked"),
        message("onbekend@elders.nl", UNLINKED, "unlinked"),
        message("Piet Klant <piet@klant.nl>", PRIVATE, "private"),
    ];
    store
        .store_batch(
            anna.org_id,
            inbox.id,
            &[
                (located(1), incoming(&raws[0], 0)),
                (located(2), incoming(&raws[1], 0)),
                (located(3), incoming(&raws[2], 0)),
            ],
            FolderProgress {
                uid_top: 4,
                uid_low: Some(1),
                first_sync_done: true,
                highest_modseq: None,
                on_server: 3,
            },
        )
        .await
        .unwrap();

    let mut sessions = Vec::new();
    let mut tokens = Vec::new();
    for user in [&anna, &bert, &beheer, &eve] {
        let login = app.login(user.email.as_str(), "een-lang-wachtwoord").await;
        assert_eq!(login.status, StatusCode::OK, "{}", login.text);
        sessions.push(session_from(&login));
        tokens.push(app.token(user).await);
    }
    let list = app
        .api(Method::GET, "/api/v1/messages", Some(&tokens[0]), None)
        .await;
    let id_of = |subject: &str| {
        list.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["subject"] == subject)
            .unwrap_or_else(|| panic!("{subject} in {}", list.text))["id"]
            .as_i64()
            .unwrap()
    };
    let ids = [id_of(LINKED), id_of(UNLINKED), id_of(PRIVATE)];
    let private = app
        .server_fn(
            &fn_path("set_message_private"),
            Some(&sessions[0]),
            true,
            json!({"id": ids[2], "private": true}),
        )
        .await;
    assert_eq!(private.status, StatusCode::OK, "{}", private.text);
    World {
        app,
        sessions: sessions.try_into().unwrap(),
        tokens: tokens.try_into().unwrap(),
        ids,
        person: person.id.0,
        company: company.id.0,
    }
}

/// The registered path of a server function, by name.
fn fn_path(name: &str) -> String {
    leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path)
        .find(|path| server_fn_name(path) == name)
        .unwrap_or_else(|| panic!("no server function {name}"))
        .to_owned()
}

impl World {
    async fn page(&self, viewer: usize, path: &str) -> String {
        let reply = self
            .app
            .send(
                Request::get(path)
                    .header(
                        header::COOKIE,
                        format!("pk_session={}", self.sessions[viewer]),
                    )
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert!(
            !reply.status.is_server_error(),
            "{path} as {}: {}",
            NAMES[viewer],
            reply.status
        );
        reply.text
    }

    async fn call(&self, viewer: usize, name: &str, args: Value) -> String {
        let reply = self
            .app
            .server_fn(&fn_path(name), Some(&self.sessions[viewer]), true, args)
            .await;
        assert!(!reply.status.is_server_error(), "{name}: {}", reply.text);
        reply.text
    }

    async fn api(&self, viewer: usize, path: &str) -> String {
        let reply = self
            .app
            .api(Method::GET, path, Some(&self.tokens[viewer]), None)
            .await;
        assert!(!reply.status.is_server_error(), "{path}: {}", reply.text);
        reply.text
    }

    /// Every read route that can show mail, as `(description, response text)`.
    async fn reads(&self, viewer: usize) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let (person, company) = (self.person, self.company);
        out.push(("page /".into(), self.page(viewer, "/?q=q7").await));
        out.push((
            "page person".into(),
            self.page(viewer, &format!("/relaties/personen/{person}"))
                .await,
        ));
        out.push((
            "page company".into(),
            self.page(viewer, &format!("/relaties/bedrijven/{company}"))
                .await,
        ));
        for folder in ["inbox", "sent", "trash"] {
            out.push((
                format!("fn list_messages {folder}"),
                self.call(
                    viewer,
                    "list_messages",
                    json!({"params": {"folder": folder, "search": "", "page": 1}}),
                )
                .await,
            ));
        }
        out.push((
            "fn timeline person".into(),
            self.call(
                viewer,
                "timeline",
                json!({"of": {"Person": person}, "page": 1}),
            )
            .await,
        ));
        out.push((
            "fn timeline company".into(),
            self.call(
                viewer,
                "timeline",
                json!({"of": {"Company": company}, "page": 1}),
            )
            .await,
        ));
        out.push((
            "fn get_sync_status".into(),
            self.call(viewer, "get_sync_status", json!({})).await,
        ));
        out.push((
            "API messages".into(),
            self.api(viewer, "/api/v1/messages?q=q7").await,
        ));
        out.push((
            "API person messages".into(),
            self.api(viewer, &format!("/api/v1/persons/{person}/messages"))
                .await,
        ));
        out.push((
            "API company messages".into(),
            self.api(viewer, &format!("/api/v1/companies/{company}/messages"))
                .await,
        ));
        for id in self.ids {
            out.push((
                format!("page message {id}"),
                self.page(viewer, &format!("/postvak/{id}")).await,
            ));
            out.push((
                format!("fn get_message {id}"),
                self.call(
                    viewer,
                    "get_message",
                    json!({"id": id, "allow_remote_images": false}),
                )
                .await,
            ));
            out.push((
                format!("API message {id}"),
                self.api(viewer, &format!("/api/v1/messages/{id}")).await,
            ));
            out.push((
                format!("API raw {id}"),
                self.api(viewer, &format!("/api/v1/messages/{id}/raw"))
                    .await,
            ));
            out.push((
                format!("download raw {id}"),
                self.page(viewer, &format!("/mail/{id}/raw")).await,
            ));
            out.push((
                format!("download attachment {id}"),
                self.page(viewer, &format!("/mail/{id}/bijlagen/0")).await,
            ));
        }
        out
    }
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
