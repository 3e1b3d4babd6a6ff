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
    let status = store
        .sync_status(inbox.mailbox, ("mail.sync", "mailbox:1"))
        .await
        .unwrap();
    let inbox_status = status
        .folders
        .iter()
        .find(|f| f.role == FolderRole::Inbox)
        .unwrap();
    assert_eq!(inbox_status.stored, 1);
    assert!(!status.running);
}

pub async fn enabled_mailboxes_are_listed_with_their_organisation(store: Store) {
    let (org, other) = (org(&store, "Org").await, org(&store, "Ander").await);
    let (anna, inbox, _) = mailbox_user(&store, org, "Anna", "anna@org.nl").await;
    let (_, theirs, _) = mailbox_user(&store, other, "Bea", "bea@ander.nl").await;
    assert_eq!(
        store.enabled_mailboxes().await.unwrap(),
        vec![(org, inbox.mailbox), (other, theirs.mailbox)]
    );
    store.delete_mailbox(org, anna.id).await.unwrap();
    assert_eq!(
        store.enabled_mailboxes().await.unwrap(),
        vec![(other, theirs.mailbox)]
    );
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
