//! The outbox: a message queued with its job, states that move only forward, the writer's
//! own; SMTP accounts with their sealed password kept.

use crate::fixtures::*;
use crate::mail::{at, mailbox_user, message, person_with, progress, subjects};
use postkamer_domain::mail::outbox::{OutboxState, Recipient, RecipientState};
use postkamer_domain::mail::{FolderRole, MessageQuery, TimelineOf, TlsMode};
use postkamer_domain::{PageRequest, Role};
use postkamer_store::jobs::NewJob;
use postkamer_store::outbox::{
    NewOutgoing, SendOutcome, SentCopy, SmtpAccountRecord, append_job_key, outbox_job_key,
};
use postkamer_store::{Store, StoreError};

pub async fn a_message_is_queued_with_its_job_and_moves_forward(store: Store) {
    let (org, other) = (org(&store, "Org").await, org(&store, "Ander").await);
    let anna = user(&store, org, "Anna", "anna@org.nl", Role::Gebruiker).await;
    let bram = user(&store, org, "Bram", "bram@org.nl", Role::Gebruiker).await;
    let recipients = [
        Recipient::open("klant@example.com"),
        Recipient::open("cc@example.com"),
    ];
    let raw = b"Message-ID: <1@org.nl>\r\n\r\nHallo\r\n\x00\xff";
    let new = NewOutgoing {
        org,
        user: anna.id,
        message_id: "1@org.nl",
        envelope_from: "anna@org.nl",
        subject: "Offerte",
        recipients: &recipients,
        raw,
        signed_with: Some("key001 org.nl"),
        send_at: 0,
        copy: None,
        draft: None,
        action_type: None,
    };
    let (id, job) = store.queue_outgoing(&new, "mail.send", 1000).await.unwrap();
    let again = store.queue_outgoing(&new, "mail.send", 1000).await;
    assert!(
        matches!(again, Err(StoreError::AlreadyExists(_))),
        "{again:?}"
    );
    let jobs = store.jobs(org, 0, PageRequest::default()).await.unwrap();
    let queued = jobs
        .items
        .iter()
        .find(|j| j.id == job)
        .expect("the job is queued");
    assert_eq!(
        queued.unique_key.as_deref(),
        Some(outbox_job_key(id).as_str())
    );
    assert_eq!(queued.payload, format!("{{\"outbox\":{}}}", id.0));

    assert_eq!(
        store.outgoing_raw(id).await.unwrap(),
        raw,
        "the exact bytes"
    );
    let record = store.outgoing_of(org, anna.id, id).await.unwrap();
    assert_eq!(record.state, OutboxState::Wachtrij);
    assert_eq!(record.size, raw.len() as u64);
    assert_eq!(record.recipients, recipients);
    for (o, u) in [(org, bram.id), (other, anna.id)] {
        assert!(matches!(
            store.outgoing_of(o, u, id).await,
            Err(StoreError::NotFound)
        ));
        assert!(
            !store.cancel_outgoing(o, u, id).await.unwrap(),
            "not theirs to cancel"
        );
    }
    assert_eq!(
        store
            .outbox(org, bram.id, PageRequest::default())
            .await
            .unwrap()
            .total,
        0
    );

    // An attempt that fails for now, then one that is interrupted, then one that succeeds.
    let taken = store.start_sending(id).await.unwrap().unwrap();
    assert_eq!((taken.state, taken.attempts), (OutboxState::Verzenden, 1));
    assert!(
        !store.cancel_outgoing(org, anna.id, id).await.unwrap(),
        "not while sending"
    );
    let failed = SendOutcome {
        state: OutboxState::Mislukt,
        recipients: recipients.to_vec(),
        last_error: Some("Geen verbinding".to_owned()),
        retry_at: Some(1),
    };
    assert!(store.finish_sending(id, &failed, None).await.unwrap());
    assert!(
        !store.finish_sending(id, &failed, None).await.unwrap(),
        "only while sending"
    );
    assert!(store.retry_outgoing(org, anna.id, id).await.unwrap());
    store.start_sending(id).await.unwrap().unwrap();
    let resumed = store.start_sending(id).await.unwrap().unwrap();
    assert_eq!(resumed.attempts, 3, "an interrupted attempt is taken again");
    let mut done = recipients.to_vec();
    done[0].state = RecipientState::Accepted;
    done[1].state = RecipientState::Refused;
    done[1].reply = Some("550 5.1.1 unknown".to_owned());
    let sent = SendOutcome {
        state: OutboxState::Verzonden,
        recipients: done.clone(),
        last_error: None,
        retry_at: None,
    };
    assert!(store.finish_sending(id, &sent, None).await.unwrap());
    let record = store.outgoing(id).await.unwrap();
    assert_eq!(record.state, OutboxState::Verzonden);
    assert_eq!(record.recipients, done);
    assert!(record.sent_at.is_some());
    assert_eq!(record.last_error, None);
    assert!(store.start_sending(id).await.unwrap().is_none(), "final");
    assert!(!store.cancel_outgoing(org, anna.id, id).await.unwrap());
    assert!(!store.retry_outgoing(org, anna.id, id).await.unwrap());

    // A second message, cancelled while it waits.
    let second = NewOutgoing {
        message_id: "2@org.nl",
        ..new
    };
    let (id2, _) = store
        .queue_outgoing(&second, "mail.send", 1000)
        .await
        .unwrap();
    assert!(store.cancel_outgoing(org, anna.id, id2).await.unwrap());
    assert!(
        store.start_sending(id2).await.unwrap().is_none(),
        "a cancelled message stays"
    );
    let page = store
        .outbox(org, anna.id, PageRequest::new(Some(1), Some(1)))
        .await
        .unwrap();
    assert_eq!((page.total, page.items.len()), (2, 1));
    assert_eq!(page.items[0].id, id2, "newest first");
    assert_eq!(page.items[0].state, OutboxState::Geannuleerd);
}

pub async fn smtp_accounts_keep_their_password_until_a_new_one_is_given(store: Store) {
    let org = org(&store, "Org").await;
    let anna = user(&store, org, "Anna", "anna@org.nl", Role::Gebruiker).await;
    assert_eq!(store.smtp_account(anna.id).await.unwrap(), None);
    let mut account = SmtpAccountRecord {
        user: anna.id,
        org,
        host: "smtp.org.nl".to_owned(),
        port: 587,
        tls: TlsMode::StartTls,
        login: "anna".to_owned(),
        password_sealed: Some(vec![1, 2, 3]),
        updated_at: 0,
    };
    store.set_smtp_account(&account).await.unwrap();
    account.port = 465;
    account.tls = TlsMode::Tls;
    account.password_sealed = None;
    store.set_smtp_account(&account).await.unwrap();
    let stored = store.smtp_account(anna.id).await.unwrap().unwrap();
    assert_eq!((stored.port, stored.tls), (465, TlsMode::Tls));
    assert_eq!(stored.password_sealed, Some(vec![1, 2, 3]), "kept");
    assert!(!format!("{stored:?}").contains("[1, 2, 3]"), "not in Debug");
    assert!(store.delete_smtp_account(anna.id).await.unwrap());
    assert_eq!(store.smtp_account(anna.id).await.unwrap(), None);
}

fn sent_query() -> MessageQuery {
    MessageQuery {
        folder: FolderRole::Sent,
        search: String::new(),
        page: PageRequest::new(Some(1), Some(50)),
    }
}

/// Sent from Postkamer: in Verzonden and on the relation's timeline at once, at a provisional
/// UID that the server's copy takes over (by APPENDUID, or when the sync brings it first), one
/// message throughout; a cancelled message leaves both; the job that APPENDs is queued with the
/// sent state.
pub async fn a_sent_message_is_in_verzonden_at_once_and_only_once(store: Store) {
    let org = org(&store, "Org").await;
    let (anna, _inbox, sent) = mailbox_user(&store, org, "Anna", "anna@org.nl").await;
    let bram = user(&store, org, "Bram", "bram@org.nl", Role::Gebruiker).await;
    let piet = person_with(&store, org, "Piet", &["piet@klant.nl"]).await;
    store.reset_folder(sent.id, 7, 1).await.unwrap();
    let recipients = [Recipient::open("piet@klant.nl")];
    // Each later one a second later.
    let copy = |key: &str, subject: &str| SentCopy {
        message: message(key, subject, "anna@org.nl", &["piet@klant.nl"], "Hallo", {
            ["offerte", "tweede", "derde", "vierde"]
                .iter()
                .position(|k| *k == key)
                .map_or(0, |n| 1_000 * n as i64)
        }),
        folder: Some(sent.id),
    };
    let queue = |key: &'static str, subject: &'static str| {
        let store = store.clone();
        let copy = copy(key, subject);
        let recipients = recipients.clone();
        async move {
            let new = NewOutgoing {
                org,
                user: anna.id,
                message_id: key,
                envelope_from: "anna@org.nl",
                subject,
                recipients: &recipients,
                raw: b"raw",
                signed_with: None,
                send_at: 0,
                copy: Some(copy),
                draft: None,
                action_type: None,
            };
            store.queue_outgoing(&new, "mail.send", 10).await.unwrap().0
        }
    };
    let id = queue("offerte", "Offerte").await;
    let listed = store
        .list_messages(org, anna.id, &sent_query())
        .await
        .unwrap();
    assert_eq!(subjects(&listed), ["Offerte"], "in Verzonden at once");
    let on_timeline = |viewer| {
        let store = store.clone();
        async move {
            let page = store
                .timeline(
                    org,
                    viewer,
                    TimelineOf::Person(piet),
                    PageRequest::default(),
                )
                .await
                .unwrap();
            page.items
                .iter()
                .map(|m| m.subject.clone())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(on_timeline(anna.id).await, ["Offerte"]);
    assert_eq!(
        on_timeline(bram.id).await,
        ["Offerte"],
        "a colleague sees it through Piet"
    );
    assert_eq!(
        store.folder_count(sent.id).await.unwrap(),
        0,
        "not yet on the server"
    );
    assert!(store.folder_uids(sent.id).await.unwrap().is_empty());

    // Sent: the APPEND job comes with the state.
    store.start_sending(id).await.unwrap().unwrap();
    let key = append_job_key(id);
    let append = NewJob {
        org: Some(org),
        kind: "mail.append",
        payload: "{}",
        run_at: 0,
        max_attempts: 10,
        unique_key: Some(&key),
    };
    let done = SendOutcome {
        state: OutboxState::Verzonden,
        recipients: vec![Recipient {
            state: RecipientState::Accepted,
            ..Recipient::open("piet@klant.nl")
        }],
        last_error: None,
        retry_at: None,
    };
    assert!(
        store
            .finish_sending(id, &done, Some(&append))
            .await
            .unwrap()
    );
    let jobs = store.jobs(org, 0, PageRequest::default()).await.unwrap();
    assert!(
        jobs.items
            .iter()
            .any(|j| j.unique_key.as_deref() == Some(key.as_str()))
    );

    // The copy APPENDed at UID 12: the provisional place gives way; a sync that fetches UID 12
    // with the same bytes keeps one message.
    store.settle_sent_copy(id, sent.id, 12, 7).await.unwrap();
    let uids: Vec<u32> = store
        .folder_uids(sent.id)
        .await
        .unwrap()
        .iter()
        .map(|l| l.uid)
        .collect();
    assert_eq!(uids, [12]);
    let fetched = copy("offerte", "Offerte").message;
    store
        .store_batch(org, sent.id, &[(at(12), fetched)], progress(13))
        .await
        .unwrap();
    let listed = store
        .list_messages(org, anna.id, &sent_query())
        .await
        .unwrap();
    assert_eq!((listed.total, subjects(&listed)), (1, vec!["Offerte"]));
    assert_eq!(store.folder_count(sent.id).await.unwrap(), 1);
    let record = store
        .message(org, anna.id, listed.items[0].id)
        .await
        .unwrap();
    assert_eq!(record.locations.len(), 1);

    // The sync brings a second message first (no APPENDUID known yet): one message; settling
    // afterwards changes nothing; another UIDVALIDITY leaves the copy to the sync.
    let second = queue("tweede", "Tweede").await;
    store
        .store_batch(
            org,
            sent.id,
            &[(at(13), copy("tweede", "Tweede").message)],
            progress(14),
        )
        .await
        .unwrap();
    store
        .settle_sent_copy(second, sent.id, 13, 7)
        .await
        .unwrap();
    let listed = store
        .list_messages(org, anna.id, &sent_query())
        .await
        .unwrap();
    assert_eq!(subjects(&listed), ["Tweede", "Offerte"]);
    assert_eq!(listed.total, 2);
    let third = queue("derde", "Derde").await;
    store.settle_sent_copy(third, sent.id, 14, 8).await.unwrap();
    let uids: Vec<u32> = store
        .folder_uids(sent.id)
        .await
        .unwrap()
        .iter()
        .map(|l| l.uid)
        .collect();
    assert_eq!(uids, [12, 13], "UIDVALIDITY 8 is not the folder's");

    // Cancelled before it went: gone from Verzonden and the timeline.
    let cancelled = queue("vierde", "Vierde").await;
    assert_eq!(on_timeline(anna.id).await, ["Vierde", "Tweede", "Offerte"]);
    assert!(
        store
            .cancel_outgoing(org, anna.id, cancelled)
            .await
            .unwrap()
    );
    assert_eq!(on_timeline(anna.id).await, ["Tweede", "Offerte"]);
    let listed = store
        .list_messages(org, anna.id, &sent_query())
        .await
        .unwrap();
    assert_eq!(subjects(&listed), ["Tweede", "Offerte"]);
}
