//! CardDAV serves no mail and no other user's book.

use crate::world::*;

use crate::support::*;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use postkamer_domain::User;

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
