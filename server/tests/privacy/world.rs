//! The world the privacy suite probes: Anna's three messages (linked, unlinked, private), her
//! colleague Bert, the SuperAdmin Beheer and Eve of another organisation, each signed in with a
//! session and an API token; and the read routes that can show mail, as each of them sees them.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use postkamer_domain::relation::{CompanyInput, EmailInput, PersonInput};
use postkamer_domain::{Role, User};
use serde_json::{Value, json};

use crate::support::*;

pub const LINKED: &str = "Gekoppeld-q7";
pub const UNLINKED: &str = "Ongekoppeld-q7";
pub const PRIVATE: &str = "Prive-q7";

pub fn message(from: &str, subject: &str, id: &str) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: anna@demo.nl\r\nSubject: {subject}\r\nDate: Tue, 3 Nov 2026 10:15:00 \
         +0100\r\nMessage-ID: <{id}@test>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; \
         boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nTekst {subject}\r\n\
         --b\r\nContent-Type: text/plain; name=\"{subject}.txt\"\r\nContent-Disposition: attachment; \
         filename=\"{subject}.txt\"\r\n\r\nBijlage {subject}\r\n--b--\r\n"
    )
    .into_bytes()
}

pub struct World {
    pub app: TestApp,
    /// anna, bert, beheer, eve (in this order everywhere)
    pub sessions: [String; 4],
    pub tokens: [String; 4],
    /// The message ids of LINKED, UNLINKED, PRIVATE.
    pub ids: [i64; 3],
    pub person: i64,
    pub company: i64,
    pub users: [User; 4],
}

pub const NAMES: [&str; 4] = ["anna", "bert", "beheer", "eve"];

/// Which markers a viewer may see at all: Anna all, her colleagues the linked one, Eve none.
pub fn may_see(viewer: usize, marker: &str) -> bool {
    match viewer {
        0 => true,
        1 | 2 => marker == LINKED,
        _ => false,
    }
}

pub async fn world() -> World {
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

    let raws = [
        message("Piet Klant <piet@klant.nl>", LINKED, "linked"),
        message("onbekend@elders.nl", UNLINKED, "unlinked"),
        message("Piet Klant <piet@klant.nl>", PRIVATE, "private"),
    ];
    app.seed_inbox(&anna, &[&raws[0], &raws[1], &raws[2]]).await;

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
        users: [anna, bert, beheer, eve],
    }
}

impl World {
    pub async fn page(&self, viewer: usize, path: &str) -> String {
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

    pub async fn call(&self, viewer: usize, name: &str, args: Value) -> String {
        let reply = self
            .app
            .server_fn(&fn_path(name), Some(&self.sessions[viewer]), true, args)
            .await;
        assert!(!reply.status.is_server_error(), "{name}: {}", reply.text);
        reply.text
    }

    pub async fn api(&self, viewer: usize, path: &str) -> String {
        let reply = self
            .app
            .api(Method::GET, path, Some(&self.tokens[viewer]), None)
            .await;
        assert!(!reply.status.is_server_error(), "{path}: {}", reply.text);
        reply.text
    }

    /// Every read route that can show mail, as `(description, response text)`.
    pub async fn reads(&self, viewer: usize) -> Vec<(String, String)> {
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
