//! Each copy of a message is its own row, each user is served their own, counts follow visibility.

use crate::fixtures::*;
use crate::mail::{addr, at, inbox_query, mailbox_user, message, person_with, progress};
use postkamer_domain::PageRequest;
use postkamer_domain::mail::AddressKind;
use postkamer_domain::mail::TimelineOf;
use postkamer_store::{Store, StoreError};

pub async fn a_copy_with_the_same_headers_is_another_message(store: Store) {
    let org = org(&store, "Org").await;
    let (anna, anna_inbox, _) = mailbox_user(&store, org, "Anna", "anna@org.nl").await;
    let (mallory, mallory_inbox, _) = mailbox_user(&store, org, "Mallory", "mallory@org.nl").await;
    let (bert, _, _) = mailbox_user(&store, org, "Bert", "bert@org.nl").await;
    let piet = person_with(&store, org, "Piet", &["piet@klant.nl"]).await;
    let real = message(
        "real",
        "Factuur",
        "piet@klant.nl",
        &["anna@org.nl"],
        "IBAN NL01",
        1_000,
    );
    store
        .store_batch(org, anna_inbox.id, &[(at(1), real.clone())], progress(2))
        .await
        .unwrap();
    let real_id = store
        .list_messages(org, anna.id, &inbox_query(""))
        .await
        .unwrap()
        .items[0]
        .id;
    store.set_private(anna.id, real_id, true).await.unwrap();

    // Mallory appends the same headers with another body (as the mail engine keys them: the
    // bytes differ, so do key and display key).
    let mut doctored = message(
        "doctored",
        "Factuur",
        "piet@klant.nl",
        &["anna@org.nl"],
        "IBAN NL99",
        1_000,
    );
    doctored.header_message_id = real.header_message_id.clone();
    doctored.thread_key = real.thread_key.clone();
    store
        .store_batch(org, mallory_inbox.id, &[(at(1), doctored)], progress(2))
        .await
        .unwrap();
    let mallory_id = store
        .list_messages(org, mallory.id, &inbox_query(""))
        .await
        .unwrap()
        .items[0]
        .id;
    assert_ne!(mallory_id, real_id, "another message");
    assert!(matches!(
        store.message(org, mallory.id, real_id).await,
        Err(StoreError::NotFound)
    ));
    assert!(
        store
            .thread(org, mallory.id, mallory_id, &real.thread_key)
            .await
            .unwrap()
            .is_empty()
    );
    // Bert sees Mallory's copy for what it is, never Anna's private one.
    let on_piet = store
        .timeline(
            org,
            bert.id,
            TimelineOf::Person(piet),
            PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(
        on_piet.items.iter().map(|m| m.id).collect::<Vec<_>>(),
        [mallory_id]
    );
    let seen_by_bert = store.message(org, bert.id, mallory_id).await.unwrap();
    assert!(String::from_utf8_lossy(&seen_by_bert.raw_compressed).contains("NL99"));
    assert!(!seen_by_bert.owned);

    // The very same bytes make Mallory an owner of that copy only: she had it already, and
    // her marks are hers (Anna's private mark still hides it from Bert).
    store
        .store_batch(org, mallory_inbox.id, &[(at(2), real)], progress(3))
        .await
        .unwrap();
    store.set_private(mallory.id, real_id, false).await.unwrap();
    assert!(matches!(
        store.message(org, bert.id, real_id).await,
        Err(StoreError::NotFound)
    ));
    let anna_copy = store.message(org, anna.id, real_id).await.unwrap();
    assert!(anna_copy.summary.private, "Anna's own mark");
    let mallory_copy = store.message(org, mallory.id, real_id).await.unwrap();
    assert!(!mallory_copy.summary.private, "not Mallory's mark");
}

pub async fn each_user_is_served_their_own_copy(store: Store) {
    let org = org(&store, "Org").await;
    let (anna, _, anna_sent) = mailbox_user(&store, org, "Anna", "anna@org.nl").await;
    let (bert, bert_inbox, _) = mailbox_user(&store, org, "Bert", "bert@org.nl").await;
    let (carla, _, _) = mailbox_user(&store, org, "Carla", "carla@org.nl").await;
    let piet = person_with(&store, org, "Piet", &["piet@klant.nl"]).await;
    // Anna's Sent copy carries her Bcc; Bert's delivered copy does not. They read alike.
    let mut sent = message(
        "sent-copy",
        "Voorstel",
        "anna@org.nl",
        &["piet@klant.nl", "bert@org.nl"],
        "x",
        1_000,
    );
    sent.addresses
        .push(addr(AddressKind::Bcc, "klaas@geheim.nl"));
    sent.display_key = "d:voorstel".into();
    let mut delivered = message(
        "delivered-copy",
        "Voorstel",
        "anna@org.nl",
        &["piet@klant.nl", "bert@org.nl"],
        "x",
        1_000,
    );
    delivered.display_key = "d:voorstel".into();
    store
        .store_batch(org, anna_sent.id, &[(at(1), sent)], progress(2))
        .await
        .unwrap();
    store
        .store_batch(org, bert_inbox.id, &[(at(1), delivered)], progress(2))
        .await
        .unwrap();
    let timeline = |viewer| {
        let store = store.clone();
        async move {
            store
                .timeline(
                    org,
                    viewer,
                    TimelineOf::Person(piet),
                    PageRequest::default(),
                )
                .await
                .unwrap()
        }
    };
    let (for_anna, for_bert, for_carla) = (
        timeline(anna.id).await,
        timeline(bert.id).await,
        timeline(carla.id).await,
    );
    for page in [&for_anna, &for_bert, &for_carla] {
        assert_eq!(page.total, 1, "one message, however many copies");
        assert_eq!(page.items.len(), 1);
    }
    let anna_id = for_anna.items[0].id;
    let bert_id = for_bert.items[0].id;
    assert_ne!(anna_id, bert_id, "each their own copy");
    assert!(for_anna.items[0].seen.is_some() && for_bert.items[0].seen.is_some());
    assert_eq!(for_carla.items[0].seen, None, "Carla owns no copy");

    let bcc = |record: &postkamer_store::mail::MessageRecord| {
        record
            .addresses
            .iter()
            .filter(|a| a.kind == AddressKind::Bcc)
            .count()
    };
    // Whichever copy is asked for, an owner gets their own.
    let anna_via_bert = store.message(org, anna.id, bert_id).await.unwrap();
    assert_eq!(
        (anna_via_bert.summary.id, anna_via_bert.owned),
        (anna_id, true)
    );
    assert_eq!(bcc(&anna_via_bert), 1, "Anna's own Bcc");
    let bert_via_anna = store.message(org, bert.id, anna_id).await.unwrap();
    assert_eq!(
        (bert_via_anna.summary.id, bert_via_anna.owned),
        (bert_id, true)
    );
    assert_eq!(bcc(&bert_via_anna), 0);
    // A colleague never sees a Bcc.
    let carla_view = store.message(org, carla.id, anna_id).await.unwrap();
    assert!(!carla_view.owned && carla_view.locations.is_empty());
    assert_eq!(bcc(&carla_view), 0);
    assert_eq!(
        store
            .messages_with_address(org, carla.id, &email("piet@klant.nl"))
            .await
            .unwrap(),
        1
    );
    // Nor is a Bcc address a link.
    let klaas = person_with(&store, org, "Klaas", &["klaas@geheim.nl"]).await;
    assert_eq!(
        store
            .timeline(
                org,
                carla.id,
                TimelineOf::Person(klaas),
                PageRequest::default()
            )
            .await
            .unwrap()
            .total,
        0
    );
}

pub async fn counts_follow_visibility(store: Store) {
    let org = org(&store, "Org").await;
    let (anna, inbox, _) = mailbox_user(&store, org, "Anna", "anna@org.nl").await;
    let (bert, _, _) = mailbox_user(&store, org, "Bert", "bert@org.nl").await;
    store
        .store_batch(
            org,
            inbox.id,
            &[
                (
                    at(1),
                    message("a", "Een", "vriend@prive.nl", &["anna@org.nl"], "x", 1_000),
                ),
                (
                    at(2),
                    message("b", "Twee", "vriend@prive.nl", &["anna@org.nl"], "x", 2_000),
                ),
            ],
            progress(3),
        )
        .await
        .unwrap();
    let ids: Vec<_> = store
        .list_messages(org, anna.id, &inbox_query(""))
        .await
        .unwrap()
        .items
        .iter()
        .map(|m| m.id)
        .collect();
    store.set_private(anna.id, ids[0], true).await.unwrap();
    let count = |viewer| {
        let store = store.clone();
        async move {
            store
                .messages_with_address(org, viewer, &email("vriend@prive.nl"))
                .await
                .unwrap()
        }
    };
    assert_eq!(count(anna.id).await, 2, "her own mail");
    assert_eq!(
        count(bert.id).await,
        0,
        "unlinked mail is no one else's business"
    );
    // Once the address is a relation's, Bert sees (and counts) the mail that is not private.
    person_with(&store, org, "Vriend", &["vriend@prive.nl"]).await;
    assert_eq!(count(bert.id).await, 1);
    // Another organisation counts nothing.
    let other = crate::fixtures::org(&store, "Ander BV").await;
    assert_eq!(
        store
            .messages_with_address(other, bert.id, &email("vriend@prive.nl"))
            .await
            .unwrap(),
        0
    );
}
