//! Nobody sees or changes another user's unlinked or private mail.

use crate::support::fn_path;
use crate::world::*;

use axum::http::Method;
use serde_json::json;

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
