//! A phone discovers, reads, writes and deletes; the iOS configuration profile.

use crate::support::*;
use crate::{PASSWORD, basic, dav, relation, synced};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use postkamer_domain::Role;
use postkamer_domain::relation::{EmailInput, PersonInput, Salutation};

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
        salutation: Salutation::Heer,
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
    // The phone writes the card again (a vCard has no salutation): the CRM's stays.
    let rewritten = card.replace("ORG:Nieuw BV\r\n", "ORG:Nieuw BV\r\nTITLE:Directeur\r\n");
    let written = dav(
        &app,
        "PUT",
        &format!("{book}telefoon-1.vcf"),
        &auth,
        None,
        &rewritten,
    )
    .await;
    assert_eq!(written.status, StatusCode::NO_CONTENT, "{}", written.text);
    let after_phone = app.core.person(&anna, person).await.unwrap();
    assert_eq!(after_phone.salutation, Salutation::Heer);
    assert_eq!(after_phone.greeting(), "Geachte heer Van der Berg");

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
