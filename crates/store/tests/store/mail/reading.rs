//! Mail read back: private mail stays with its owner, full-text search.

use super::{at, inbox_query, mailbox_user, message, person_with, progress, subjects};
use crate::fixtures::*;
use postkamer_domain::mail::TimelineOf;
use postkamer_domain::{OrgId, PageRequest};
use postkamer_store::{Store, StoreError};

pub async fn private_mail_stays_with_its_owner(store: Store) {
    let org = org(&store, "Org").await;
    let (anna, inbox, _) = mailbox_user(&store, org, "Anna", "anna@org.nl").await;
    let (bert, bert_inbox, _) = mailbox_user(&store, org, "Bert", "bert@org.nl").await;
    let piet = person_with(&store, org, "Piet", &["piet@klant.nl"]).await;
    store
        .store_batch(
            org,
            inbox.id,
            &[
                (
                    at(1),
                    message(
                        "linked",
                        "Met klant",
                        "piet@klant.nl",
                        &["anna@org.nl"],
                        "x",
                        1_000,
                    ),
                ),
                (
                    at(2),
                    message(
                        "own",
                        "Persoonlijk",
                        "vriend@x.nl",
                        &["anna@org.nl"],
                        "x",
                        2_000,
                    ),
                ),
            ],
            progress(3),
        )
        .await
        .unwrap();
    let anna_page = store
        .list_messages(org, anna.id, &inbox_query(""))
        .await
        .unwrap();
    let linked = anna_page
        .items
        .iter()
        .find(|m| m.subject == "Met klant")
        .unwrap()
        .id;
    let own = anna_page
        .items
        .iter()
        .find(|m| m.subject == "Persoonlijk")
        .unwrap()
        .id;

    // Bert: not in his inbox; the linked one on the relation; the unlinked one nowhere.
    assert_eq!(
        store
            .list_messages(org, bert.id, &inbox_query(""))
            .await
            .unwrap()
            .total,
        0
    );
    let on_relation = store
        .timeline(
            org,
            bert.id,
            TimelineOf::Person(piet),
            PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(subjects(&on_relation), ["Met klant"]);
    assert_eq!(on_relation.items[0].seen, None, "not Bert's copy");
    assert!(store.message(org, bert.id, linked).await.is_ok());
    assert!(matches!(
        store.message(org, bert.id, own).await,
        Err(StoreError::NotFound)
    ));
    // Only owners mark private.
    assert!(matches!(
        store.set_private(bert.id, linked, true).await,
        Err(StoreError::NotFound)
    ));

    store.set_private(anna.id, linked, true).await.unwrap();
    assert_eq!(
        store
            .timeline(
                org,
                bert.id,
                TimelineOf::Person(piet),
                PageRequest::default()
            )
            .await
            .unwrap()
            .total,
        0
    );
    assert!(matches!(
        store.message(org, bert.id, linked).await,
        Err(StoreError::NotFound)
    ));
    let anna_view = store
        .timeline(
            org,
            anna.id,
            TimelineOf::Person(piet),
            PageRequest::default(),
        )
        .await
        .unwrap();
    assert!(anna_view.items[0].private);
    // Bert gets the same message in his own mailbox: his copy is his.
    store
        .store_batch(
            org,
            bert_inbox.id,
            &[(
                at(1),
                message(
                    "linked",
                    "Met klant",
                    "piet@klant.nl",
                    &["anna@org.nl"],
                    "x",
                    1_000,
                ),
            )],
            progress(2),
        )
        .await
        .unwrap();
    assert!(store.message(org, bert.id, linked).await.is_ok());
    store.set_private(anna.id, linked, false).await.unwrap();

    // Another organisation sees nothing, whatever the ids.
    let other = org_fixture(&store).await;
    let (carla, _, _) = mailbox_user(&store, other, "Carla", "carla@ander.nl").await;
    assert!(matches!(
        store.message(other, carla.id, linked).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(
        store
            .timeline(
                other,
                carla.id,
                TimelineOf::Person(piet),
                PageRequest::default()
            )
            .await
            .unwrap()
            .total,
        0
    );
}

async fn org_fixture(store: &Store) -> OrgId {
    org(store, "Ander BV").await
}

pub async fn mail_is_searched_in_subject_body_and_addresses(store: Store) {
    let org = org(&store, "Org").await;
    let (anna, inbox, _) = mailbox_user(&store, org, "Anna", "anna@org.nl").await;
    store
        .store_batch(
            org,
            inbox.id,
            &[
                (
                    at(1),
                    message(
                        "1",
                        "Offerte café",
                        "joelle@voorbeeld.nl",
                        &["anna@org.nl"],
                        "De levering van koffiebonen",
                        1_000,
                    ),
                ),
                (
                    at(2),
                    message(
                        "2",
                        "Factuur",
                        "boekhouding@leverancier.nl",
                        &["anna@org.nl"],
                        "Betaling binnen 30 dagen",
                        2_000,
                    ),
                ),
            ],
            progress(3),
        )
        .await
        .unwrap();
    for (search, expected) in [
        ("cafe", vec!["Offerte café"]),
        ("CAFÉ", vec!["Offerte café"]),
        ("koffie", vec!["Offerte café"]),
        ("levering koffiebonen", vec!["Offerte café"]),
        ("voorbeeld", vec!["Offerte café"]),
        ("boekhouding@leverancier.nl", vec!["Factuur"]),
        ("betaling 30", vec!["Factuur"]),
        ("offerte factuur", vec![]),
        ("\"; DROP TABLE messages; --", vec![]),
        ("*", vec!["Factuur", "Offerte café"]),
    ] {
        let page = store
            .list_messages(org, anna.id, &inbox_query(search))
            .await
            .unwrap();
        assert_eq!(subjects(&page), expected, "search {search:?}");
    }
}
