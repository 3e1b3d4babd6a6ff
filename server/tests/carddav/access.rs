//! Who gets in: the CRM password and app passwords, sync switched off, the sync host, other users'
//! books, and the login throttle behind a trusted proxy.

use crate::support::*;
use crate::{PASSWORD, basic, dav, dav_on, relation};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use postkamer_domain::Role;

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
