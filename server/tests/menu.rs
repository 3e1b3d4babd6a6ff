//! The highlighted top-menu item matches the page, for every route the app has: each page is
//! rendered on the server as a signed-in SuperAdmin, and exactly one menu item carries
//! `aria-current="page"` — the one `menu_item` names. A new route is walked by this test the
//! moment it is added to the router.

#![allow(
    clippy::unwrap_used,
    reason = "a test fails loudly on the first unexpected error"
)]

mod support;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use postkamer_domain::Role;
use support::*;

/// The menu links of a rendered page that are marked current, by their `href`.
fn current_items(html: &str) -> Vec<String> {
    let nav = html
        .split_once(r#"class="mainmenu">"#)
        .and_then(|(_, rest)| rest.split_once("</nav>"))
        .map(|(nav, _)| nav)
        .unwrap_or_else(|| panic!("no main menu in {html}"));
    nav.split("<a ")
        .skip(1)
        .filter(|link| link.contains(r#"aria-current="page""#))
        .filter_map(|link| {
            link.split_once(r#"href=""#)
                .and_then(|(_, rest)| rest.split_once('"'))
                .map(|(href, _)| href.to_owned())
        })
        .collect()
}

#[tokio::test]
async fn every_page_highlights_its_own_menu_item() {
    let app = app().await;
    app.user("Demo BV", "beheer@demo.nl", Role::SuperAdmin)
        .await;
    let session = session_from(&app.login("beheer@demo.nl", "een-lang-wachtwoord").await);
    let routes = leptos_axum::generate_route_list(postkamer_app::App);
    assert!(routes.len() > 20, "the router's pages: {}", routes.len());
    let mut walked = Vec::new();
    for route in routes {
        let pattern = route.path().to_owned();
        if pattern == "/login" {
            continue;
        }
        // Parameters get a value; a page for an id that does not exist still has the frame.
        let path = pattern
            .split('/')
            .map(|segment| {
                if segment.starts_with([':', '{']) {
                    "1"
                } else {
                    segment
                }
            })
            .collect::<Vec<_>>()
            .join("/");
        let path = if path.is_empty() {
            "/".to_owned()
        } else {
            path
        };
        let page = app
            .send(
                Request::get(path.as_str())
                    .header(header::COOKIE, format!("pk_session={session}"))
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert!(
            page.status == StatusCode::OK || page.status == StatusCode::NOT_FOUND,
            "{path}: {}",
            page.status
        );
        let expected = postkamer_app::menu_item(&path)
            .unwrap_or_else(|| panic!("{pattern} belongs to no menu item"));
        assert_eq!(
            current_items(&page.text),
            vec![expected.to_owned()],
            "{path}"
        );
        walked.push(pattern);
    }
    assert!(walked.len() > 20);
    for page in ["/beheer/e-mail/domeinen", "/beheer/systeem/wachtrij"] {
        assert!(
            walked.iter().any(|p| p == page),
            "{page} not walked: {walked:?}"
        );
    }
}
