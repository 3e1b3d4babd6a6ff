//! Drafts: the writer's own, listed while they are not being sent, unchangeable while they are,
//! a draft again when sending is undone, gone once sent; their files.

use crate::fixtures::*;
use postkamer_domain::mail::draft::{DraftAddress, DraftInput};
use postkamer_domain::mail::outbox::{OutboxState, Recipient};
use postkamer_domain::{DraftId, PageRequest, Role};
use postkamer_store::drafts::NewDraft;
use postkamer_store::outbox::{NewOutgoing, SendOutcome};
use postkamer_store::{Store, StoreError};

pub async fn drafts_are_their_writers_and_wait_while_they_are_sent(store: Store) {
    let (org, other) = (org(&store, "Org").await, org(&store, "Ander").await);
    let anna = user(&store, org, "Anna", "anna@org.nl", Role::Gebruiker).await;
    let bram = user(&store, org, "Bram", "bram@org.nl", Role::Gebruiker).await;
    let content = DraftInput {
        to: vec![DraftAddress {
            name: Some("Piet".into()),
            address: "piet@klant".into(),
        }],
        subject: "Offerte".into(),
        body: "{\"type\":\"doc\"}".into(),
        ..DraftInput::default()
    };
    let new = NewDraft {
        content: content.clone(),
        in_reply_to: Some("a@b".into()),
        references: vec!["x@y".into(), "a@b".into()],
        ..NewDraft::default()
    };
    let id = store.create_draft(org, anna.id, &new).await.unwrap();
    let draft = store.draft(org, anna.id, id).await.unwrap();
    assert_eq!(draft.content, content, "kept as typed");
    assert_eq!(draft.references, ["x@y", "a@b"]);
    for (o, u) in [(org, bram.id), (other, anna.id)] {
        assert!(matches!(
            store.draft(o, u, id).await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            store.save_draft(o, u, id, &content).await,
            Err(StoreError::NotFound)
        ));
        assert!(!store.delete_draft(o, u, id).await.unwrap());
        assert_eq!(
            store
                .drafts(o, u, PageRequest::default())
                .await
                .unwrap()
                .total,
            0
        );
    }
    let file = store
        .add_draft_file(id, "offerte.pdf", "application/pdf", b"%PDF")
        .await
        .unwrap();
    assert_eq!(store.draft_files_size(id).await.unwrap(), 4);
    let listed = store
        .drafts(org, anna.id, PageRequest::default())
        .await
        .unwrap();
    assert_eq!(
        (
            listed.total,
            listed.items[0].files,
            listed.items[0].recipients
        ),
        (1, 1, 1)
    );
    let bytes = store.draft_file_bytes(id, Some(file.id)).await.unwrap();
    assert_eq!(bytes[0].1, b"%PDF");

    // Being sent: not listed, not changed, not deleted; a second send of it is refused.
    let recipients = [Recipient::open("piet@klant.nl")];
    let outgoing = |message_id: &'static str, draft: DraftId| NewOutgoing {
        org,
        user: anna.id,
        message_id,
        envelope_from: "anna@org.nl",
        subject: "Offerte",
        recipients: &recipients,
        raw: b"raw",
        signed_with: None,
        send_at: 0,
        copy: None,
        draft: Some(draft),
        action_type: None,
    };
    let (sent, _) = store
        .queue_outgoing(&outgoing("1@org.nl", id), "mail.send", 10)
        .await
        .unwrap();
    assert_eq!(
        store.draft(org, anna.id, id).await.unwrap().sending,
        Some(sent)
    );
    assert_eq!(
        store
            .drafts(org, anna.id, PageRequest::default())
            .await
            .unwrap()
            .total,
        0
    );
    assert!(!store.save_draft(org, anna.id, id, &content).await.unwrap());
    assert!(!store.delete_draft(org, anna.id, id).await.unwrap());
    assert!(matches!(
        store
            .queue_outgoing(&outgoing("2@org.nl", id), "mail.send", 10)
            .await,
        Err(StoreError::InUse("draft_sending"))
    ));
    // Undone: a draft again; saved, it is a plain draft.
    assert!(store.cancel_outgoing(org, anna.id, sent).await.unwrap());
    assert_eq!(store.draft(org, anna.id, id).await.unwrap().sending, None);
    assert!(store.save_draft(org, anna.id, id, &content).await.unwrap());
    // Sent: gone with its files.
    let (sent, _) = store
        .queue_outgoing(&outgoing("3@org.nl", id), "mail.send", 10)
        .await
        .unwrap();
    store.start_sending(sent).await.unwrap().unwrap();
    let done = SendOutcome {
        state: OutboxState::Verzonden,
        recipients: recipients.to_vec(),
        last_error: None,
        retry_at: None,
    };
    assert!(store.finish_sending(sent, &done, None).await.unwrap());
    assert!(matches!(
        store.draft(org, anna.id, id).await,
        Err(StoreError::NotFound)
    ));
    assert!(store.draft_file_bytes(id, None).await.unwrap().is_empty());
}
