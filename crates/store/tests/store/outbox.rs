//! The outbox: a message queued with its job, states that move only forward, the writer's
//! own; SMTP accounts with their sealed password kept.

use crate::fixtures::*;
use postkamer_domain::mail::TlsMode;
use postkamer_domain::mail::outbox::{OutboxState, Recipient, RecipientState};
use postkamer_domain::{PageRequest, Role};
use postkamer_store::outbox::{NewOutgoing, SendOutcome, SmtpAccountRecord, outbox_job_key};
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
    assert!(store.finish_sending(id, &failed).await.unwrap());
    assert!(
        !store.finish_sending(id, &failed).await.unwrap(),
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
    assert!(store.finish_sending(id, &sent).await.unwrap());
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
