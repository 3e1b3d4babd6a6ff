//! Housekeeping prunes the change logs; a token older than what is left is refused (the phone
//! then syncs the whole book), a newer one still gets its changes.

use crate::fixtures::*;
use postkamer_domain::relation::{Actor, PersonInput};
use postkamer_domain::{Clock, ManualClock};
use postkamer_store::Store;
use std::sync::Arc;
use std::time::Duration;

const DAY: Duration = Duration::from_secs(86_400);

fn synced(first: &str, email: &str) -> PersonInput {
    PersonInput {
        synchroniseren: true,
        emails: emails(&[(email, true)]),
        ..person_input(first, "", "Jansen")
    }
}

pub async fn pruned_change_logs_refuse_older_tokens_only(store: Store) {
    let clock = Arc::new(ManualClock::at(1_800_000_000_000));
    let store = store.with_clock(clock.clone());
    let (org, other) = (org(&store, "Org").await, org(&store, "Ander").await);
    let anna = person(&store, org, synced("Anna", "anna@x.nl")).await;
    let (cards_then, persons_then) = (
        store.card_seq(org).await.unwrap(),
        store.person_seq(org).await.unwrap(),
    );
    clock.advance(100 * DAY);
    store
        .update_person(
            org,
            anna,
            &valid_person(synced("Anna", "anna@nieuw.nl")),
            Actor::SYSTEM,
        )
        .await
        .unwrap();
    person(&store, other, synced("Bea", "bea@ander.nl")).await;

    let cut = clock.now_millis() - 50 * 86_400_000;
    assert_eq!(
        store.prune_change_logs(cut).await.unwrap(),
        2,
        "one change in each log"
    );
    assert_eq!(store.prune_change_logs(cut).await.unwrap(), 0);

    assert_eq!(
        store.card_changes(org, 0).await.unwrap(),
        None,
        "older than the log"
    );
    let since = store.card_changes(org, cards_then).await.unwrap().unwrap();
    assert_eq!(
        since.changed.len(),
        1,
        "the edit after the token is still there"
    );
    assert_eq!(store.person_changes(org, 0).await.unwrap(), None);
    let since = store
        .person_changes(org, persons_then)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(since.uids.len(), 1);
    // The other organisation's log is younger than the cut: all of it is kept.
    assert_eq!(
        store
            .card_changes(other, 0)
            .await
            .unwrap()
            .unwrap()
            .changed
            .len(),
        1
    );
}
