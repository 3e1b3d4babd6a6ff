//! Mail batches stored idempotently, each message once, and linked to persons by address.

use super::{addr, at, inbox_query, mailbox_user, message, person_with, progress, subjects};
use crate::fixtures::*;
use postkamer_domain::PageRequest;
use postkamer_domain::mail::AddressKind;
use postkamer_domain::mail::TimelineOf;
use postkamer_domain::relation::Actor;
use postkamer_store::{Store, StoreError};

pub async fn batches_are_idempotent_and_messages_stored_once(store: Store) {
    let org = org(&store, "Org").await;
    let (anna, inbox, sent) = mailbox_user(&store, org, "Anna", "anna@org.nl").await;
    let a = message(
        "a",
        "Offerte",
        "klant@x.nl",
        &["anna@org.nl"],
        "tekst",
        1_000,
    );
    let b = message(
        "b",
        "Factuur",
        "klant@x.nl",
        &["anna@org.nl"],
        "tekst",
        2_000,
    );
    store
        .store_batch(
            org,
            inbox.id,
            &[(at(1), a.clone()), (at(2), b.clone())],
            progress(3),
        )
        .await
        .unwrap();
    // The same batch again (a crash after commit, before the caller noticed) changes nothing.
    store
        .store_batch(
            org,
            inbox.id,
            &[(at(1), a.clone()), (at(2), b)],
            progress(3),
        )
        .await
        .unwrap();
    // The same message in Sent: one message, two locations.
    store
        .store_batch(org, sent.id, &[(at(7), a)], progress(8))
        .await
        .unwrap();
    let inbox_page = store
        .list_messages(org, anna.id, &inbox_query(""))
        .await
        .unwrap();
    assert_eq!(subjects(&inbox_page), ["Factuur", "Offerte"]);
    assert_eq!(inbox_page.total, 2);
    let uids: Vec<u32> = store
        .folder_uids(inbox.id)
        .await
        .unwrap()
        .iter()
        .map(|l| l.uid)
        .collect();
    assert_eq!(uids, [1, 2]);
    let folder = store.folder(inbox.id).await.unwrap();
    assert_eq!((folder.uid_top, folder.first_sync_done), (3, true));
    let id = inbox_page.items[1].id;
    let record = store.message(org, anna.id, id).await.unwrap();
    assert_eq!(record.locations.len(), 2, "inbox and sent");

    // Removing one location keeps the message; removing the last deletes it.
    store.remove_uids(sent.id, &[7]).await.unwrap();
    assert!(store.message(org, anna.id, id).await.is_ok());
    store.remove_uids(inbox.id, &[1]).await.unwrap();
    assert!(matches!(
        store.message(org, anna.id, id).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(
        store
            .list_messages(org, anna.id, &inbox_query("offerte"))
            .await
            .unwrap()
            .total,
        0
    );

    // A new UIDVALIDITY empties the folder.
    let reset = store.reset_folder(inbox.id, 99, 1).await.unwrap();
    assert_eq!((reset.uid_validity, reset.first_sync_done), (99, false));
    assert_eq!(
        store
            .list_messages(org, anna.id, &inbox_query(""))
            .await
            .unwrap()
            .total,
        0
    );
}

pub async fn mail_links_to_persons_by_address_including_earlier_mail(store: Store) {
    let org = org(&store, "Org").await;
    let (anna, inbox, _) = mailbox_user(&store, org, "Anna", "anna@org.nl").await;
    let company = company(&store, org, company_input("Klant BV")).await;
    let mut with_reply = message(
        "r",
        "Via reply-to",
        "noreply@x.nl",
        &["anna@org.nl"],
        "x",
        3_000,
    );
    with_reply
        .addresses
        .push(addr(AddressKind::ReplyTo, "piet@klant.nl"));
    let mut with_bcc = message(
        "bcc",
        "Alleen bcc",
        "anna@org.nl",
        &["iemand@x.nl"],
        "x",
        4_000,
    );
    with_bcc
        .addresses
        .push(addr(AddressKind::Bcc, "piet@klant.nl"));
    store
        .store_batch(
            org,
            inbox.id,
            &[
                (
                    at(1),
                    message("1", "Eerste", "piet@klant.nl", &["anna@org.nl"], "x", 1_000),
                ),
                (
                    at(2),
                    message(
                        "2",
                        "Tweede",
                        "anna@org.nl",
                        &["piet@klant.nl", "kees@klant.nl"],
                        "x",
                        2_000,
                    ),
                ),
                (at(3), with_reply),
                (at(4), with_bcc),
            ],
            progress(5),
        )
        .await
        .unwrap();

    // Unknown sender: offered, with the company whose domain fits once it has one.
    let first = store
        .list_messages(org, anna.id, &inbox_query("eerste"))
        .await
        .unwrap()
        .items[0]
        .clone();
    assert!(first.relations.is_empty());
    let unknown = store.unknown_addresses(org, first.id).await.unwrap();
    assert_eq!(
        unknown.iter().map(|u| u.email.as_str()).collect::<Vec<_>>(),
        ["piet@klant.nl"],
        "users are not offered"
    );
    assert_eq!(
        store
            .messages_with_address(org, anna.id, &email("piet@klant.nl"))
            .await
            .unwrap(),
        3
    );

    // The person created afterwards has all earlier mail (From, To, Reply-To; not Bcc).
    let piet = person_with(&store, org, "Piet", &["piet@klant.nl"]).await;
    let timeline = store
        .timeline(
            org,
            anna.id,
            TimelineOf::Person(piet),
            PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(subjects(&timeline), ["Via reply-to", "Tweede", "Eerste"]);
    let listed = store
        .list_messages(org, anna.id, &inbox_query("eerste"))
        .await
        .unwrap();
    assert_eq!(listed.items[0].relations[0].display_name, "Piet");
    assert!(
        store
            .unknown_addresses(org, first.id)
            .await
            .unwrap()
            .is_empty()
    );

    // Through the person to the company.
    let mut input = store.person(org, piet).await.unwrap().to_input();
    input.company_id = Some(company);
    input.emails.push(postkamer_domain::relation::EmailInput {
        address: "KEES@klant.nl".into(),
        primary: false,
    });
    store
        .update_person(org, piet, &input.validate().unwrap(), Actor::SYSTEM)
        .await
        .unwrap();
    let company_mail = store
        .timeline(
            org,
            anna.id,
            TimelineOf::Company(company),
            PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(
        company_mail.total, 3,
        "kees@ adds no new message: it was in Tweede already"
    );
    // Removing the address unlinks.
    store.delete_person(org, piet, Actor::SYSTEM).await.unwrap();
    assert_eq!(
        store
            .timeline(
                org,
                anna.id,
                TimelineOf::Company(company),
                PageRequest::default()
            )
            .await
            .unwrap()
            .total,
        0
    );
}
