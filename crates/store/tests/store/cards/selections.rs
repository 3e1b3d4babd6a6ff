//! Saved selections and the person log.

use crate::fixtures::*;
use postkamer_domain::Role;
use postkamer_domain::relation::Actor;
use postkamer_domain::relation::PersonInput;
use postkamer_domain::relation::PersonQuery;
use postkamer_store::{Store, StoreError};

/// The persons a selection holds, by id.
async fn members(
    store: &Store,
    org: postkamer_domain::OrgId,
    selection: &postkamer_domain::relation::SavedSelection,
) -> Vec<postkamer_domain::PersonId> {
    let cards = store.selection_cards(org, selection, None).await.unwrap();
    cards.into_iter().map(|c| c.person).collect()
}

pub async fn selections_and_the_person_log(store: Store) {
    let org = org(&store, "Org").await;
    let other = self::org(&store, "Ander").await;
    let anna = user(&store, org, "Anna", "anna@org.nl", Role::Gebruiker).await;
    let piet = user(&store, org, "Piet", "piet@org.nl", Role::Gebruiker).await;
    let acme = company(&store, org, company_input("Acme")).await;
    let foreign = company(&store, other, company_input("Vreemd")).await;
    let jan = person(
        &store,
        org,
        PersonInput {
            company_id: Some(acme),
            ..person_input("Jan", "", "Jansen")
        },
    )
    .await;
    let kees = person(&store, org, person_input("Kees", "", "Jansen")).await;
    person(&store, org, person_input("Els", "", "Bakker")).await;

    // Saved: a search, and the same search within a company.
    let jansen = |company| PersonQuery {
        search: " jansen ".into(),
        company,
        ..Default::default()
    };
    let all = store
        .create_selection(org, anna.id, "Jansens", &jansen(None))
        .await
        .unwrap();
    assert_eq!(all.search, "jansen", "trimmed");
    let at_acme = store
        .create_selection(org, anna.id, "Acme", &jansen(Some(acme)))
        .await
        .unwrap();
    assert!(matches!(
        store
            .create_selection(org, anna.id, "Jansens", &jansen(None))
            .await,
        Err(StoreError::AlreadyExists("name"))
    ));
    assert!(matches!(
        store
            .create_selection(org, anna.id, "Vreemd", &jansen(Some(foreign)))
            .await,
        Err(StoreError::UnknownReference("company"))
    ));
    // Piet may use the same name; he does not see Anna's.
    store
        .create_selection(org, piet.id, "Jansens", &jansen(None))
        .await
        .unwrap();
    let names = |list: Vec<postkamer_domain::relation::SavedSelection>| {
        list.into_iter().map(|s| s.name).collect::<Vec<_>>()
    };
    assert_eq!(
        names(store.selections(org, anna.id).await.unwrap()),
        ["Acme", "Jansens"]
    );
    assert_eq!(store.selection(org, piet.id, all.id).await.unwrap(), None);
    assert!(
        store
            .set_selection_carddav(org, piet.id, all.id, true)
            .await
            .is_err()
    );
    store
        .set_selection_carddav(org, anna.id, all.id, true)
        .await
        .unwrap();
    assert!(
        store
            .selection(org, anna.id, all.id)
            .await
            .unwrap()
            .unwrap()
            .carddav
    );

    // Members, and their cards named by uid.
    assert_eq!(members(&store, org, &all).await, vec![jan, kees]);
    assert_eq!(members(&store, org, &at_acme).await, vec![jan]);
    let cards = store.selection_cards(org, &all, None).await.unwrap();
    assert_eq!(cards.len(), 2);
    assert_eq!(
        store
            .selection_cards(
                org,
                &at_acme,
                Some(&[cards[1].uid.clone(), cards[0].uid.clone()])
            )
            .await
            .unwrap()
            .len(),
        1,
        "of the two asked for, only Jan is at Acme"
    );
    assert_eq!(cards[0].name, cards[0].uid);
    assert_eq!(cards[0].company, "Acme");

    // The log sees every person's change, synced or not, and a company's for its persons.
    let start = store.person_seq(org).await.unwrap();
    assert!(start >= 3);
    assert_eq!(
        store
            .person_changes(org, start)
            .await
            .unwrap()
            .unwrap()
            .uids,
        Vec::<String>::new()
    );
    assert!(
        store
            .person_changes(org, start + 1)
            .await
            .unwrap()
            .is_none(),
        "future"
    );
    store
        .update_person(
            org,
            kees,
            &valid_person(person_input("Kees", "", "Pietersen")),
            Actor::SYSTEM,
        )
        .await
        .unwrap();
    store
        .update_company(org, acme, &valid_company(company_input("Acme Holding")))
        .await
        .unwrap();
    let changes = store.person_changes(org, start).await.unwrap().unwrap();
    assert_eq!(
        changes.uids,
        vec![cards[1].uid.clone(), cards[0].uid.clone()]
    );
    assert_eq!(members(&store, org, &all).await, vec![jan], "Kees left");
    store.delete_person(org, jan, Actor::SYSTEM).await.unwrap();
    let changes = store.person_changes(org, start).await.unwrap().unwrap();
    assert_eq!(changes.uids.len(), 2, "each person once: {changes:?}");
    assert_eq!(
        store.person_seq(other).await.unwrap(),
        0,
        "another organisation's log"
    );

    store
        .delete_selection(org, anna.id, at_acme.id)
        .await
        .unwrap();
    assert!(
        store
            .delete_selection(org, anna.id, at_acme.id)
            .await
            .is_err()
    );
    assert_eq!(
        names(store.selections(org, anna.id).await.unwrap()),
        ["Jansens"]
    );
}
