//! Mail sync state: flags and progress, leases of mailboxes, a changed server starting over.

use super::{at, inbox_query, mailbox_user, message, progress};
use crate::fixtures::*;
use postkamer_domain::mail::sync::Located;
use postkamer_domain::mail::{FolderRole, TlsMode};
use postkamer_store::Store;
use postkamer_store::mail::MailboxUpdate;

pub async fn flags_and_progress_are_kept(store: Store) {
    let org = org(&store, "Org").await;
    let (anna, inbox, _) = mailbox_user(&store, org, "Anna", "anna@org.nl").await;
    store
        .store_batch(
            org,
            inbox.id,
            &[(at(5), message("1", "S", "a@x.nl", &[], "x", 1))],
            progress(6),
        )
        .await
        .unwrap();
    store
        .update_flags(
            inbox.id,
            &[
                Located {
                    uid: 5,
                    seen: true,
                    flagged: true,
                    modseq: Some(9),
                },
                at(99),
            ],
        )
        .await
        .unwrap();
    let item = store
        .list_messages(org, anna.id, &inbox_query(""))
        .await
        .unwrap()
        .items[0]
        .clone();
    assert_eq!(
        (item.seen, item.flagged, item.folder),
        (Some(true), Some(true), Some(FolderRole::Inbox))
    );
    store
        .set_location_flags(inbox.id, 5, Some(false), None)
        .await
        .unwrap();
    let item = store
        .list_messages(org, anna.id, &inbox_query(""))
        .await
        .unwrap()
        .items[0]
        .clone();
    assert_eq!((item.seen, item.flagged), (Some(false), Some(true)));
    let status = store.sync_status(inbox.mailbox).await.unwrap();
    let inbox_status = status
        .folders
        .iter()
        .find(|f| f.role == FolderRole::Inbox)
        .unwrap();
    assert_eq!(inbox_status.stored, 1);
    assert!(!status.running);
}

pub async fn leases_give_each_mailbox_to_one_instance(store: Store) {
    let org = org(&store, "Org").await;
    let (_, inbox, _) = mailbox_user(&store, org, "Anna", "anna@org.nl").await;
    let id = inbox.mailbox;
    let now = postkamer_store::now_millis();
    assert_eq!(
        store.claim_mailbox("a", now + 60_000).await.unwrap(),
        Some(id)
    );
    assert_eq!(
        store.claim_mailbox("b", now + 60_000).await.unwrap(),
        None,
        "leased by a"
    );
    assert!(store.renew_lease(id, "a", now + 120_000).await.unwrap());
    assert!(!store.renew_lease(id, "b", now + 120_000).await.unwrap());
    assert!(store.sync_status(id).await.unwrap().running);
    store.release_lease(id, "a").await.unwrap();
    assert_eq!(
        store.claim_mailbox("b", now - 1).await.unwrap(),
        Some(id),
        "released"
    );
    // b's lease (already expired) is taken over by c; b notices on renewal.
    assert_eq!(
        store.claim_mailbox("c", now + 60_000).await.unwrap(),
        Some(id)
    );
    assert!(!store.renew_lease(id, "b", now + 60_000).await.unwrap());

    // Concurrent claims: exactly one wins.
    store.release_lease(id, "c").await.unwrap();
    let claims = futures_like_join(&store, now).await;
    assert_eq!(
        claims.iter().filter(|c| c.is_some()).count(),
        1,
        "{claims:?}"
    );
}

async fn futures_like_join(store: &Store, now: i64) -> Vec<Option<postkamer_domain::MailboxId>> {
    let mut handles = Vec::new();
    for i in 0..8 {
        let store = store.clone();
        handles.push(tokio::spawn(async move {
            store
                .claim_mailbox(&format!("w{i}"), now + 60_000)
                .await
                .unwrap()
        }));
    }
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}

pub async fn changing_the_server_starts_over(store: Store) {
    let org = org(&store, "Org").await;
    let (anna, inbox, _) = mailbox_user(&store, org, "Anna", "anna@org.nl").await;
    store
        .store_batch(
            org,
            inbox.id,
            &[(at(1), message("1", "S", "a@x.nl", &[], "x", 1))],
            progress(2),
        )
        .await
        .unwrap();
    let update = |host: &str, password: Option<Vec<u8>>| MailboxUpdate {
        host: host.into(),
        port: 143,
        tls: TlsMode::None,
        login: "anna@org.nl".into(),
        password_sealed: password,
        since: Some("2025-01-01".into()),
        enabled: true,
    };
    // Same server, no new password: the stored one and the mail stay.
    let kept = store
        .save_mailbox(org, anna.id, &update("127.0.0.1", None))
        .await
        .unwrap();
    assert_eq!(kept.password_sealed, vec![1, 2, 3]);
    assert_eq!(kept.settings.since.as_deref(), Some("2025-01-01"));
    assert_eq!(
        store
            .list_messages(org, anna.id, &inbox_query(""))
            .await
            .unwrap()
            .total,
        1
    );
    // Another server: folders and their mail are gone.
    store
        .save_mailbox(org, anna.id, &update("imap.elders.nl", None))
        .await
        .unwrap();
    assert_eq!(
        store
            .list_messages(org, anna.id, &inbox_query(""))
            .await
            .unwrap()
            .total,
        0
    );
    assert!(store.folders(kept.settings.id).await.unwrap().is_empty());
}
