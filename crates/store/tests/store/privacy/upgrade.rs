//! The rows of before copies were kept apart, and what the upgrade makes of them.

use crate::mail::{at, inbox_query, message, progress, subjects};
use postkamer_store::Store;

/// The rows stored before copies were kept apart: one message shared by Anna's and Bert's
/// inboxes (marked private by Anna), one of Anna's alone.
pub const LEGACY_SHARED_MESSAGES: &str = "
INSERT INTO organisations (id, name, created_at) VALUES (1001, 'Org', 0);
INSERT INTO users (id, org_id, name, email, role, password_hash, created_at, updated_at) VALUES
    (1001, 1001, 'Anna', 'anna@org.nl', 'gebruiker', 'x', 0, 0),
    (1002, 1001, 'Bert', 'bert@org.nl', 'gebruiker', 'x', 0, 0);
INSERT INTO mailboxes (id, org_id, user_id, host, port, tls, login, password_sealed, created_at, updated_at) VALUES
    (1001, 1001, 1001, 'h', 143, 'none', 'anna@org.nl', '', 0, 0),
    (1002, 1001, 1002, 'h', 143, 'none', 'bert@org.nl', '', 0, 0);
INSERT INTO mail_folders (id, mailbox_id, role, name, uid_validity, uid_top, first_sync_done, on_server) VALUES
    (1001, 1001, 'inbox', 'INBOX', 7, 3, TRUE, 2),
    (1002, 1002, 'inbox', 'INBOX', 7, 2, TRUE, 1);
INSERT INTO messages (id, org_id, dedupe_key, content_hash, header_message_id, thread_key, subject,
                      sort_at, snippet, attachment_count, size, raw, created_at SEARCH_COLUMN) VALUES
    (1001, 1001, 'm:shared', 'h1', 'gedeeld@x', 'gedeeld@x', 'Gedeeld', 1, '', 0, 0, '', 0 SEARCH_VALUE),
    (1002, 1001, 'm:own', 'h2', 'eigen@x', 'eigen@x', 'Eigen', 2, '', 0, 0, '', 0 SEARCH_VALUE);
INSERT INTO mail_locations (folder_id, uid, message_id, seen, flagged, sort_at) VALUES
    (1001, 1, 1001, FALSE, FALSE, 1),
    (1001, 2, 1002, FALSE, FALSE, 2),
    (1002, 1, 1001, FALSE, FALSE, 1);
INSERT INTO private_messages (user_id, message_id) VALUES (1001, 1001);
";

/// After the upgrade: the shared row is gone (each user's copy comes back with the next sync),
/// the private mark comes back with Anna's copy, the other row keeps its place.
pub async fn shared_rows_of_old_are_split_into_copies(store: Store) {
    let org = postkamer_domain::OrgId(1001);
    let (anna, bert) = (
        postkamer_domain::UserId(1001),
        postkamer_domain::UserId(1002),
    );
    let page = store
        .list_messages(org, anna, &inbox_query(""))
        .await
        .unwrap();
    assert_eq!(subjects(&page), ["Eigen"]);
    assert_eq!(
        store
            .list_messages(org, bert, &inbox_query(""))
            .await
            .unwrap()
            .total,
        0
    );
    let anna_inbox = store
        .folder(postkamer_domain::mail::sync::FolderId(1001))
        .await
        .unwrap();
    assert_eq!(
        store.folder_count(anna_inbox.id).await.unwrap(),
        1,
        "a pass refetches UID 1"
    );
    // The next pass brings each copy back; Anna's mark with hers.
    let mut copy = message(
        "anna-copy",
        "Gedeeld",
        "vriend@x.nl",
        &["anna@org.nl"],
        "x",
        1,
    );
    copy.header_message_id = Some("gedeeld@x".into());
    store
        .store_batch(org, anna_inbox.id, &[(at(1), copy.clone())], progress(3))
        .await
        .unwrap();
    let mut bert_copy = copy;
    bert_copy.dedupe_key = "bert-copy".into();
    store
        .store_batch(
            org,
            postkamer_domain::mail::sync::FolderId(1002),
            &[(at(1), bert_copy)],
            progress(2),
        )
        .await
        .unwrap();
    let anna_page = store
        .list_messages(org, anna, &inbox_query("gedeeld"))
        .await
        .unwrap();
    assert!(anna_page.items[0].private, "Anna's mark carried over");
    let bert_page = store
        .list_messages(org, bert, &inbox_query("gedeeld"))
        .await
        .unwrap();
    assert!(!bert_page.items[0].private, "Bert never marked his");
    assert_ne!(anna_page.items[0].id, bert_page.items[0].id);
    let own = store.message(org, anna, page.items[0].id).await.unwrap();
    assert!(own.owned);
}
