//! CardDAV through the whole router, in process: discovery from `/.well-known/carddav`, Basic
//! authentication with the CRM password and with an app password, sync switched off, the sync
//! host at `/`, reading the relations marked for sync, a card created and deleted on a phone
//! showing up in the CRM, and other users' books.

#![allow(clippy::unwrap_used)]

#[path = "carddav/access.rs"]
mod access;
#[path = "carddav/books.rs"]
mod books;
#[path = "carddav/phone.rs"]
mod phone;
mod support;

use axum::body::Body;
use axum::http::{Request, header};
use base64::Engine as _;
use postkamer_domain::relation::{EmailInput, Person, PersonInput, PersonQuery};
use postkamer_domain::{PageRequest, User};
use support::*;

const PASSWORD: &str = "een-lang-wachtwoord";

fn basic(email: &str, password: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{email}:{password}"))
    )
}

async fn dav(
    app: &TestApp,
    method: &str,
    uri: &str,
    auth: &str,
    depth: Option<&str>,
    body: &str,
) -> Reply {
    dav_on(app, None, method, uri, auth, depth, body).await
}

async fn dav_on(
    app: &TestApp,
    host: Option<&str>,
    method: &str,
    uri: &str,
    auth: &str,
    depth: Option<&str>,
    body: &str,
) -> Reply {
    let mut request = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::AUTHORIZATION, auth)
        .header(header::USER_AGENT, "DAVx5/4.5 (test)");
    if let Some(host) = host {
        request = request.header(header::HOST, host);
    }
    if let Some(depth) = depth {
        request = request.header("depth", depth);
    }
    if method == "PUT" {
        request = request.header(header::CONTENT_TYPE, "text/vcard; charset=utf-8");
    }
    app.send(request.body(Body::from(body.to_owned())).unwrap())
        .await
}

async fn relation(
    app: &TestApp,
    user: &User,
    last: &str,
    email: &str,
    synced: bool,
) -> postkamer_domain::PersonId {
    let input = PersonInput {
        first_name: "Test".into(),
        last_name: last.into(),
        emails: vec![EmailInput {
            address: email.into(),
            primary: true,
        }],
        synchroniseren: synced,
        ..Default::default()
    };
    app.core.create_person(user, &input).await.unwrap().id
}

/// The relations `user`'s organisation marked for sync, as the CRM has them.
async fn synced(app: &TestApp, user: &User) -> Vec<Person> {
    let query = PersonQuery {
        synced_only: true,
        page: PageRequest {
            page: 1,
            per_page: PageRequest::MAX_PER_PAGE,
        },
        ..Default::default()
    };
    let mut persons = Vec::new();
    for summary in app.core.list_persons(user, &query).await.unwrap().items {
        persons.push(app.core.person(user, summary.id).await.unwrap());
    }
    persons
}
