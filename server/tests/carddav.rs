//! CardDAV through the whole router, in process: discovery from `/.well-known/carddav`, Basic
//! authentication with the CRM password and with an app password, sync switched off, the sync
//! host at `/`, reading the relations marked for sync, a card created and deleted on a phone
//! showing up in the CRM, and other users' books.

#![allow(clippy::unwrap_used)]

mod support;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use base64::Engine as _;
use postkamer_domain::relation::{EmailInput, Person, PersonInput, PersonQuery};
use postkamer_domain::{PageRequest, Role, User};
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

#[tokio::test]
async fn a_phone_discovers_reads_writes_and_deletes() {
    let app = app().await;
    let anna = app.user("Demo BV", "anna@demo.nl", Role::Gebruiker).await;
    let auth = basic("anna@demo.nl", PASSWORD);
    relation(&app, &anna, "Jansen", "jan@klant.nl", true).await;
    relation(&app, &anna, "Bakker", "piet@klant.nl", true).await;
    relation(&app, &anna, "Niet", "niet@klant.nl", false).await;

    // Sync is off until the user switches it on.
    let off = dav(&app, "PROPFIND", "/dav/", &auth, Some("0"), "").await;
    assert_eq!(off.status, StatusCode::FORBIDDEN);
    assert!(
        off.text
            .contains("Beheer → Gebruikersinstellingen → Synchronisatie"),
        "{}",
        off.text
    );
    app.core.set_sync_enabled(&anna, true).await.unwrap();

    // RFC 6764 discovery, then the principal and the home set.
    let well_known = dav(
        &app,
        "PROPFIND",
        "/.well-known/carddav",
        &auth,
        Some("0"),
        "",
    )
    .await;
    assert_eq!(well_known.status, StatusCode::MOVED_PERMANENTLY);
    assert_eq!(well_known.headers[header::LOCATION], "/dav/");
    let root = dav(
        &app,
        "PROPFIND",
        "/dav/",
        &auth,
        Some("0"),
        r#"<propfind xmlns="DAV:"><prop><current-user-principal/></prop></propfind>"#,
    )
    .await;
    assert_eq!(root.status.as_u16(), 207, "{}", root.text);
    let principal = format!("/dav/principals/{}/", anna.id);
    assert!(
        root.text.contains(&format!("<d:href>{principal}</d:href>")),
        "{}",
        root.text
    );
    let home = dav(&app, "PROPFIND", &principal, &auth, Some("0"), r#"<propfind xmlns="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><prop><C:addressbook-home-set/></prop></propfind>"#).await;
    assert!(
        home.text
            .contains(&format!("/dav/addressbooks/{}/", anna.id)),
        "{}",
        home.text
    );
    let book = format!("/dav/addressbooks/{}/default/", anna.id);
    let listing = dav(
        &app,
        "PROPFIND",
        &book,
        &auth,
        Some("1"),
        r#"<propfind xmlns="DAV:"><prop><getetag/></prop></propfind>"#,
    )
    .await;
    assert_eq!(
        listing.text.matches("<d:getetag>").count(),
        2,
        "{}",
        listing.text
    );
    assert_eq!(listing.headers["dav"], "1, 3, addressbook");

    // The quota (RFC 4331): what the book takes, and what is left of it.
    let quota = dav(
        &app,
        "PROPFIND",
        &book,
        &auth,
        Some("0"),
        r#"<propfind xmlns="DAV:"><prop><quota-used-bytes/><quota-available-bytes/></prop></propfind>"#,
    )
    .await;
    let figure = |name: &str| -> u64 {
        let open = format!("<d:{name}>");
        let start = quota
            .text
            .find(&open)
            .unwrap_or_else(|| panic!("{}", quota.text))
            + open.len();
        quota.text[start..start + quota.text[start..].find('<').unwrap()]
            .parse()
            .unwrap()
    };
    let used = figure("quota-used-bytes");
    assert!(used > 300, "two cards: {used}");
    assert_eq!(
        figure("quota-available-bytes"),
        postkamer_core::carddav::BOOK_QUOTA_BYTES - used
    );

    // The JSON API lists the same two as "marked for sync".
    let token = app.token(&anna).await;
    let marked = app
        .api(
            axum::http::Method::GET,
            "/api/v1/persons?synced=true",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(marked.status, StatusCode::OK, "{}", marked.text);
    assert_eq!(marked.body["total"], 2, "{}", marked.text);
    let all = app
        .api(
            axum::http::Method::GET,
            "/api/v1/persons",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(all.body["total"], 3);

    // A card made on the phone becomes a relation, company and all.
    let card = "BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//Apple Inc.//iPhone OS 17.0//EN\r\n\
UID:telefoon-1\r\nN:van der Berg;Jan;;;\r\nFN:Jan van der Berg\r\n\
ORG:Nieuw BV\r\nitem1.EMAIL;type=INTERNET;type=WORK:jan@nieuw.nl\r\nitem1.X-ABLabel:werk\r\n\
TEL;type=CELL;type=VOICE;type=pref:06-12345678\r\nBDAY:1980-05-17\r\n\
X-PHONETIC-LAST-NAME;x-bron=telefoon:Berg\r\nNOTE:Eerste regel\\nTwééde regel\r\nEND:VCARD\r\n";
    let created = dav(
        &app,
        "PUT",
        &format!("{book}telefoon-1.vcf"),
        &auth,
        None,
        card,
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let etag = created.headers[header::ETAG].to_str().unwrap().to_owned();
    let persons = synced(&app, &anna).await;
    let jan = persons.iter().find(|p| p.uid == "telefoon-1").unwrap();
    assert_eq!(
        (
            jan.first_name.as_deref(),
            jan.tussenvoegsel.as_deref(),
            jan.last_name.as_str()
        ),
        (Some("Jan"), Some("van der"), "Berg")
    );
    assert_eq!(jan.company.as_ref().unwrap().name, "Nieuw BV");
    let got = dav(
        &app,
        "GET",
        &format!("{book}telefoon-1.vcf"),
        &auth,
        None,
        "",
    )
    .await;
    assert_eq!(got.headers[header::ETAG].to_str().unwrap(), etag);
    // Every line comes back as the phone wrote it (parameters as spelled, no CHARSET added),
    // what the CRM models and what it does not.
    let lines = |card: &str| {
        let mut lines: Vec<String> = card
            .replace("\r\n ", "")
            .split("\r\n")
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect();
        lines.sort();
        lines
    };
    assert_eq!(lines(&got.text), lines(card), "{}", got.text);

    // A CRM edit changes the ETag; a phone writing with the old one gets 412.
    let person = jan.id;
    let mut input = PersonInput {
        first_name: "Jan".into(),
        tussenvoegsel: "van der".into(),
        last_name: "Berg".into(),
        job_title: "Directeur".into(),
        synchroniseren: true,
        ..Default::default()
    };
    input.emails = vec![EmailInput {
        address: "jan@nieuw.nl".into(),
        primary: true,
    }];
    app.core.update_person(&anna, person, &input).await.unwrap();
    let stale = Request::builder()
        .method("PUT")
        .uri(format!("{book}telefoon-1.vcf"))
        .header(header::AUTHORIZATION, &auth)
        .header(header::IF_MATCH, &etag)
        .header(header::CONTENT_TYPE, "text/vcard")
        .body(Body::from(card))
        .unwrap();
    assert_eq!(
        app.send(stale).await.status,
        StatusCode::PRECONDITION_FAILED
    );

    // A delete on the phone unmarks the relation; the relation stays.
    let deleted = dav(
        &app,
        "DELETE",
        &format!("{book}telefoon-1.vcf"),
        &auth,
        None,
        "",
    )
    .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    let kept = app.core.person(&anna, person).await.unwrap();
    assert!(!kept.synchroniseren);
    assert_eq!(kept.job_title.as_deref(), Some("Directeur"));
}

#[tokio::test]
async fn credentials_app_passwords_sync_host_and_other_books() {
    let app = app().await;
    let anna = app.user("Demo BV", "anna@demo.nl", Role::Gebruiker).await;
    let piet = app.user("Demo BV", "piet@demo.nl", Role::Gebruiker).await;
    app.core.set_sync_enabled(&anna, true).await.unwrap();
    relation(&app, &anna, "Jansen", "jan@klant.nl", true).await;

    let missing = dav(&app, "PROPFIND", "/dav/", "", Some("0"), "").await;
    assert_eq!(missing.status, StatusCode::UNAUTHORIZED);
    assert!(
        missing.headers[header::WWW_AUTHENTICATE]
            .to_str()
            .unwrap()
            .starts_with("Basic realm=\"Postkamer\"")
    );
    let wrong = dav(
        &app,
        "PROPFIND",
        "/dav/",
        &basic("anna@demo.nl", "fout"),
        Some("0"),
        "",
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);

    // An app password works for its own user only, and stops working when revoked.
    let (password, secret) = app
        .core
        .create_app_password(&anna, "iPhone van Anna")
        .await
        .unwrap();
    assert_eq!(secret.len(), 19, "four groups of four: {secret}");
    let by_app = basic("anna@demo.nl", &secret);
    assert_eq!(
        dav(&app, "PROPFIND", "/dav/", &by_app, Some("0"), "")
            .await
            .status
            .as_u16(),
        207
    );
    assert_eq!(
        dav(
            &app,
            "PROPFIND",
            "/dav/",
            &basic("piet@demo.nl", &secret),
            Some("0"),
            ""
        )
        .await
        .status,
        StatusCode::UNAUTHORIZED
    );
    let settings = app.core.sync_settings(&anna).await.unwrap();
    assert_eq!(settings.devices[0].user_agent, "DAVx5/4.5 (test)");
    assert_eq!(
        settings.devices[0].app_password.as_deref(),
        Some("iPhone van Anna")
    );
    app.core
        .revoke_app_password(&anna, password.id)
        .await
        .unwrap();
    assert_eq!(
        dav(&app, "PROPFIND", "/dav/", &by_app, Some("0"), "")
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );

    // Piet's book is not Anna's.
    let auth = basic("anna@demo.nl", PASSWORD);
    let other = dav(
        &app,
        "PROPFIND",
        &format!("/dav/addressbooks/{}/default/", piet.id),
        &auth,
        Some("1"),
        "",
    )
    .await;
    assert_eq!(other.status, StatusCode::FORBIDDEN);

    // The sync host serves CardDAV at `/`.
    let root = dav_on(
        &app,
        Some("sync.postkamer.test:443"),
        "PROPFIND",
        "/",
        &auth,
        Some("0"),
        r#"<propfind xmlns="DAV:"><prop><current-user-principal/></prop></propfind>"#,
    )
    .await;
    assert_eq!(root.status.as_u16(), 207, "{}", root.text);
    assert!(
        root.text
            .contains(&format!("<d:href>/principals/{}/</d:href>", anna.id)),
        "{}",
        root.text
    );
    let listing = dav_on(
        &app,
        Some("sync.postkamer.test"),
        "PROPFIND",
        &format!("/addressbooks/{}/default/", anna.id),
        &auth,
        Some("1"),
        "",
    )
    .await;
    assert_eq!(
        listing.text.matches(".vcf</d:href>").count(),
        1,
        "{}",
        listing.text
    );
    // The main host's pages are not reachable on the sync host.
    let page = dav_on(
        &app,
        Some("sync.postkamer.test"),
        "GET",
        "/relaties",
        &auth,
        None,
        "",
    )
    .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_ios_configuration_profile_has_the_account_filled_in() {
    let app = app().await;
    let anna = app.user("Demo BV", "anna@demo.nl", Role::Gebruiker).await;
    let uri = "/beheer/gebruikersinstellingen/synchronisatie/postkamer.mobileconfig";
    let anonymous = app
        .send(Request::builder().uri(uri).body(Body::empty()).unwrap())
        .await;
    assert!(
        anonymous.status.is_client_error() || anonymous.status.is_redirection(),
        "{}",
        anonymous.status
    );
    let session = session_from(&app.login("anna@demo.nl", PASSWORD).await);
    let profile = app
        .send(
            Request::builder()
                .uri(uri)
                .header(header::COOKIE, format!("pk_session={session}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(profile.status, StatusCode::OK, "{}", profile.text);
    assert_eq!(
        profile.headers[header::CONTENT_TYPE],
        "application/x-apple-aspen-config; charset=utf-8"
    );
    assert!(
        profile.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .contains("postkamer.mobileconfig")
    );
    for expected in [
        "<key>PayloadType</key><string>com.apple.carddav.account</string>",
        "<key>CardDAVHostName</key><string>sync.postkamer.test</string>",
        "<key>CardDAVUsername</key><string>anna@demo.nl</string>",
        &format!(
            "<key>CardDAVPrincipalURL</key><string>/principals/{}/</string>",
            anna.id
        ),
    ] {
        assert!(
            profile.text.contains(expected),
            "{expected}\n{}",
            profile.text
        );
    }
    assert!(
        !profile.text.contains(PASSWORD),
        "no password in the profile"
    );
}

#[tokio::test]
async fn a_saved_selection_is_a_read_only_book_that_follows_the_crm() {
    let app = app().await;
    let anna = app.user("Demo BV", "anna@demo.nl", Role::Gebruiker).await;
    let piet = app.user("Demo BV", "piet@demo.nl", Role::Gebruiker).await;
    app.core.set_sync_enabled(&anna, true).await.unwrap();
    app.core.set_sync_enabled(&piet, true).await.unwrap();
    let auth = basic("anna@demo.nl", PASSWORD);
    // Not marked for sync: a selection's book holds whoever matches it.
    let jan = relation(&app, &anna, "Leverancier", "jan@lev.nl", false).await;
    relation(&app, &anna, "Leverancier", "kees@lev.nl", false).await;
    relation(&app, &anna, "Klant", "els@klant.nl", true).await;

    // Saving: the name is required and unique per user.
    let query = postkamer_domain::relation::PersonQuery {
        search: "leverancier".into(),
        ..Default::default()
    };
    let refused = app.core.save_selection(&anna, "  ", &query).await;
    assert!(matches!(
        refused,
        Err(postkamer_core::CoreError::Validation(_))
    ));
    let selection = app
        .core
        .save_selection(&anna, "Leveranciers", &query)
        .await
        .unwrap();
    let taken = app.core.save_selection(&anna, "Leveranciers", &query).await;
    let Err(postkamer_core::CoreError::Validation(errors)) = taken else {
        panic!("{taken:?}");
    };
    assert_eq!(
        errors.0[0].error,
        postkamer_domain::validate::Invalid::NameTaken
    );

    // Only once offered to phones is it a book of Anna's home set.
    let home = format!("/dav/addressbooks/{}/", anna.id);
    let book = format!("{home}selectie-{}/", selection.id);
    let listing = r#"<propfind xmlns="DAV:"><prop><displayname/><current-user-privilege-set/><getetag/></prop></propfind>"#;
    let before = dav(&app, "PROPFIND", &home, &auth, Some("1"), listing).await;
    assert!(!before.text.contains("selectie-"), "{}", before.text);
    assert_eq!(
        dav(&app, "PROPFIND", &book, &auth, Some("0"), listing)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    app.core
        .set_selection_sync(&anna, selection.id, true)
        .await
        .unwrap();
    let after = dav(&app, "PROPFIND", &home, &auth, Some("1"), listing).await;
    assert!(
        after
            .text
            .contains("Leveranciers (Postkamer, alleen lezen)"),
        "{}",
        after.text
    );
    let cards = dav(&app, "PROPFIND", &book, &auth, Some("1"), listing).await;
    assert_eq!(cards.status.as_u16(), 207, "{}", cards.text);
    assert_eq!(
        cards.text.matches("<d:getetag>").count(),
        2,
        "{}",
        cards.text
    );
    assert!(
        !cards.text.contains("<d:write"),
        "read-only: {}",
        cards.text
    );

    // The CRM changes; the book's sync-collection follows.
    let sync = |token: &str| {
        format!(
            r#"<sync-collection xmlns="DAV:"><sync-token>{token}</sync-token><sync-level>1</sync-level><prop><getetag/></prop></sync-collection>"#
        )
    };
    let initial = dav(&app, "REPORT", &book, &auth, Some("1"), &sync("")).await;
    let token = initial
        .text
        .split("<d:sync-token>")
        .nth(1)
        .and_then(|t| t.split('<').next())
        .unwrap()
        .to_owned();
    assert!(
        token.contains(&format!("selectie-{}:", selection.id)),
        "{token}"
    );
    let jan_uid = app.core.person(&anna, jan).await.unwrap().uid;
    let input = PersonInput {
        first_name: "Test".into(),
        last_name: "Bakker".into(),
        ..Default::default()
    };
    app.core.update_person(&anna, jan, &input).await.unwrap();
    let incremental = dav(&app, "REPORT", &book, &auth, Some("1"), &sync(&token)).await;
    assert_eq!(incremental.status.as_u16(), 207, "{}", incremental.text);
    assert!(
        incremental.text.contains(&format!(
            "{jan_uid}.vcf</d:href><d:status>HTTP/1.1 404 Not Found"
        )),
        "Jan left the selection: {}",
        incremental.text
    );
    let now = dav(&app, "PROPFIND", &book, &auth, Some("1"), listing).await;
    assert_eq!(now.text.matches("<d:getetag>").count(), 1);

    // Writes are refused; the relations stay as they are.
    let card =
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:nieuw\r\nFN:Nieuw\r\nN:Nieuw;;;;\r\nEND:VCARD\r\n";
    let put = dav(&app, "PUT", &format!("{book}nieuw.vcf"), &auth, None, card).await;
    assert_eq!(put.status, StatusCode::FORBIDDEN, "{}", put.text);
    assert!(put.text.contains("need-privileges"));
    let member = now
        .text
        .split("<d:href>")
        .filter_map(|h| h.split("</d:href>").next())
        .find(|h| h.ends_with(".vcf"))
        .unwrap()
        .to_owned();
    let delete = dav(&app, "DELETE", &member, &auth, None, "").await;
    assert_eq!(delete.status, StatusCode::FORBIDDEN);
    assert_eq!(
        dav(&app, "PROPFIND", &book, &auth, Some("1"), listing)
            .await
            .text
            .matches("<d:getetag>")
            .count(),
        1
    );

    // Piet neither has nor reaches Anna's selection.
    let piet_auth = basic("piet@demo.nl", PASSWORD);
    let piet_home = dav(
        &app,
        "PROPFIND",
        &format!("/dav/addressbooks/{}/", piet.id),
        &piet_auth,
        Some("1"),
        listing,
    )
    .await;
    assert!(!piet_home.text.contains("selectie-"), "{}", piet_home.text);
    let foreign = dav(&app, "PROPFIND", &book, &piet_auth, Some("1"), listing).await;
    assert_eq!(foreign.status, StatusCode::FORBIDDEN);
    let own_path = format!("/dav/addressbooks/{}/selectie-{}/", piet.id, selection.id);
    let guessed = dav(&app, "PROPFIND", &own_path, &piet_auth, Some("1"), listing).await;
    assert_eq!(guessed.status, StatusCode::NOT_FOUND);
}

/// A second resource with a UID the book already has is refused with `no-uid-conflict` naming
/// the existing card; nothing is taken over, so deleting the refused resource removes nothing.
#[tokio::test]
async fn a_duplicate_uid_is_refused_and_nothing_is_deleted() {
    let app = app().await;
    let anna = app.user("Demo BV", "anna@demo.nl", Role::Gebruiker).await;
    app.core.set_sync_enabled(&anna, true).await.unwrap();
    let auth = basic("anna@demo.nl", PASSWORD);
    let book = format!("/dav/addressbooks/{}/default/", anna.id);
    let card = |fn_: &str| {
        format!(
            "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:dubbel-1\r\nN:Dubbel;{fn_};;;\r\nFN:{fn_} Dubbel\r\n\
             EMAIL:dubbel@klant.nl\r\nEND:VCARD\r\n"
        )
    };
    let first = dav(
        &app,
        "PUT",
        &format!("{book}eerste.vcf"),
        &auth,
        None,
        &card("Eerste"),
    )
    .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);

    let second = dav(
        &app,
        "PUT",
        &format!("{book}tweede.vcf"),
        &auth,
        None,
        &card("Tweede"),
    )
    .await;
    assert_eq!(second.status, StatusCode::CONFLICT, "{}", second.text);
    assert!(
        second.text.contains(&format!(
            "<card:no-uid-conflict><d:href>{book}eerste.vcf</d:href></card:no-uid-conflict>"
        )),
        "{}",
        second.text
    );
    // The first card is unchanged, the second does not exist; deleting it deletes nothing.
    let kept = dav(&app, "GET", &format!("{book}eerste.vcf"), &auth, None, "").await;
    assert_eq!(kept.status, StatusCode::OK);
    assert!(kept.text.contains("Eerste"), "{}", kept.text);
    let gone = dav(&app, "GET", &format!("{book}tweede.vcf"), &auth, None, "").await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    let delete = dav(
        &app,
        "DELETE",
        &format!("{book}tweede.vcf"),
        &auth,
        None,
        "",
    )
    .await;
    assert_eq!(delete.status, StatusCode::NOT_FOUND, "{}", delete.text);
    let still = dav(&app, "GET", &format!("{book}eerste.vcf"), &auth, None, "").await;
    assert_eq!(still.status, StatusCode::OK, "the first contact survives");
    assert_eq!(synced(&app, &anna).await.len(), 1);
}

/// Wrong passwords of one client, as `X-Forwarded-For` names it, and then the right password
/// from another: `(statuses of the wrong ones, status of the right one)`.
async fn wrong_then_right_from_another_client(app: &TestApp) -> (Vec<u16>, u16) {
    let attempt = |password: &str, client: &str| {
        Request::builder()
            .method("PROPFIND")
            .uri("/dav/")
            .header(header::AUTHORIZATION, basic("anna@demo.nl", password))
            .header("depth", "0")
            .header("x-forwarded-for", client)
            .body(Body::empty())
            .unwrap()
    };
    let mut wrong = Vec::new();
    for _ in 0..4 {
        let reply = app.send(attempt("fout", "203.0.113.7")).await;
        wrong.push(reply.status.as_u16());
    }
    let right = app.send(attempt(PASSWORD, "198.51.100.9")).await;
    (wrong, right.status.as_u16())
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_throttle_tells_clients_apart_by_x_forwarded_for() {
    // The test app allows 3 failures per account and client.
    let proxied = app_with(|state| state.trust_forwarded_for = true).await;
    let anna = proxied
        .user("Demo BV", "anna@demo.nl", Role::Gebruiker)
        .await;
    proxied.core.set_sync_enabled(&anna, true).await.unwrap();
    assert_eq!(
        wrong_then_right_from_another_client(&proxied).await,
        (vec![401, 401, 401, 429], 207),
        "the phone behind the proxy is not locked out by a stranger's guesses"
    );

    // Not trusted: the header is the client's own word and changes nothing.
    let direct = app().await;
    let anna = direct
        .user("Demo BV", "anna@demo.nl", Role::Gebruiker)
        .await;
    direct.core.set_sync_enabled(&anna, true).await.unwrap();
    assert_eq!(
        wrong_then_right_from_another_client(&direct).await,
        (vec![401, 401, 401, 429], 429),
        "a forged X-Forwarded-For does not escape the throttle"
    );
}
