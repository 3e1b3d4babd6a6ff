//! Drafts are their writer's only, and a reply or forward quotes only what its writer may see:
//! each viewer starts a reply and a forward of each of Anna's messages; a message they may not
//! see is a 404 and its text is in no draft of theirs. Nobody reaches Anna's drafts.

use crate::support::*;
use crate::world::{LINKED, NAMES, PRIVATE, UNLINKED, may_see, world};
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::json;

#[tokio::test]
async fn a_draft_quotes_only_what_its_writer_may_see_and_is_theirs_alone() {
    let w = world().await;
    for (viewer, name) in NAMES.iter().enumerate() {
        for (i, marker) in [LINKED, UNLINKED, PRIVATE].iter().enumerate() {
            for start in [
                json!({"kind": "reply", "message": w.ids[i], "all": true}),
                json!({"kind": "forward", "message": w.ids[i]}),
            ] {
                let reply = w
                    .app
                    .api(
                        Method::POST,
                        "/api/v1/drafts",
                        Some(&w.tokens[viewer]),
                        Some(start.clone()),
                    )
                    .await;
                if may_see(viewer, marker) {
                    assert_eq!(
                        reply.status,
                        StatusCode::CREATED,
                        "{}: {}",
                        name,
                        reply.text
                    );
                    assert!(
                        reply.text.contains(&format!("Tekst {marker}")),
                        "{}",
                        reply.text
                    );
                } else {
                    is_problem(&reply, StatusCode::NOT_FOUND, "not-found");
                    assert!(!reply.text.contains(marker), "{}: {}", name, reply.text);
                }
            }
        }
        // Whatever they started, their Concepten hold nothing they may not see.
        let list = w.api(viewer, "/api/v1/drafts").await;
        for marker in [LINKED, UNLINKED, PRIVATE] {
            assert_eq!(
                list.contains(marker),
                may_see(viewer, marker),
                "{}: {list}",
                name
            );
        }
    }

    // Anna's forward of her private message, with its attachment: hers alone.
    let started = w
        .app
        .api(
            Method::POST,
            "/api/v1/drafts",
            Some(&w.tokens[0]),
            Some(json!({"kind": "forward", "message": w.ids[2]})),
        )
        .await;
    let id = started.body["id"].as_i64().unwrap();
    let file = started.body["files"][0]["id"].as_i64().unwrap();
    for (viewer, name) in NAMES.iter().enumerate().skip(1) {
        let token = &w.tokens[viewer];
        for (method, path) in [
            (Method::GET, format!("/api/v1/drafts/{id}")),
            (Method::GET, format!("/api/v1/drafts/{id}/check")),
            (Method::GET, format!("/api/v1/drafts/{id}/files/{file}")),
            (Method::POST, format!("/api/v1/drafts/{id}/send")),
            (Method::POST, format!("/api/v1/drafts/{id}/undo")),
            (Method::DELETE, format!("/api/v1/drafts/{id}/files/{file}")),
            (Method::DELETE, format!("/api/v1/drafts/{id}")),
        ] {
            let reply = w.app.api(method.clone(), &path, Some(token), None).await;
            is_problem(&reply, StatusCode::NOT_FOUND, "not-found");
            assert!(!reply.text.contains(PRIVATE), "{}: {}", name, reply.text);
        }
        let save = w
            .app
            .api(
                Method::PUT,
                &format!("/api/v1/drafts/{id}"),
                Some(token),
                Some(json!({"subject": "overgenomen"})),
            )
            .await;
        is_problem(&save, StatusCode::NOT_FOUND, "not-found");
        let upload = Request::builder()
            .method(Method::POST)
            .uri(format!("/api/v1/drafts/{id}/files?name=x.txt"))
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "text/plain")
            .body(Body::from("x"))
            .unwrap();
        is_problem(
            &w.app.send(upload).await,
            StatusCode::NOT_FOUND,
            "not-found",
        );
    }
    let own = w
        .app
        .api(
            Method::GET,
            &format!("/api/v1/drafts/{id}"),
            Some(&w.tokens[0]),
            None,
        )
        .await;
    assert_eq!(own.status, StatusCode::OK);
    assert_eq!(own.body["files"].as_array().unwrap().len(), 1, "untouched");
}
