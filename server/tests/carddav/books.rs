//! Books: a saved selection as a read-only book, and a duplicate UID refused without deleting
//! anything.

use crate::support::*;
use crate::{PASSWORD, basic, dav, relation, synced};
use axum::http::StatusCode;
use postkamer_domain::Role;
use postkamer_domain::relation::PersonInput;

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
