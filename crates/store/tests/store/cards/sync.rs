//! The change log behind sync tokens, phones' cards, app passwords and devices.

use crate::fixtures::*;
use postkamer_domain::Role;
use postkamer_domain::relation::Actor;
use postkamer_domain::relation::PersonInput;
use postkamer_domain::relation::PersonQuery;
use postkamer_store::Store;

fn synced(first: &str, last: &str, email: &str) -> PersonInput {
    PersonInput {
        synchroniseren: true,
        emails: emails(&[(email, true)]),
        ..person_input(first, "", last)
    }
}

pub async fn the_change_log_follows_every_change_a_phone_must_see(store: Store) {
    let org = org(&store, "Org").await;
    let other = self::org(&store, "Ander").await;
    assert_eq!(store.card_seq(org).await.unwrap(), 0);
    let acme = company(&store, org, company_input("Acme")).await;
    let anna = person(
        &store,
        org,
        PersonInput {
            company_id: Some(acme),
            ..synced("Anna", "Jansen", "anna@x.nl")
        },
    )
    .await;
    let piet = person(&store, org, synced("Piet", "Bakker", "piet@x.nl")).await;
    let _not_synced = person(&store, org, person_input("Kees", "", "Niet")).await;
    person(&store, other, synced("Ander", "Persoon", "a@ander.nl")).await;
    let start = store.card_seq(org).await.unwrap();
    assert_eq!(start, 2, "two synced persons added");
    // The relation list's "marked for sync only" filter, with and without a search.
    let marked = |search: &str| PersonQuery {
        search: search.to_owned(),
        synced_only: true,
        ..Default::default()
    };
    assert_eq!(list_persons(&store, org, marked("")).await.total, 2);
    assert_eq!(list_persons(&store, org, marked("")).await.items.len(), 2);
    assert_eq!(
        list_persons(&store, org, marked("piet")).await.items,
        vec![piet]
    );
    assert_eq!(list_persons(&store, org, marked("kees")).await.total, 0);
    assert_eq!(
        list_persons(&store, org, PersonQuery::default())
            .await
            .total,
        3,
        "without the filter: everyone"
    );

    let cards = store.synced_cards(org, None).await.unwrap();
    assert_eq!(cards.len(), 2);
    assert_eq!(cards[0].company, "Acme");
    assert_eq!(cards[0].emails, vec![("anna@x.nl".to_owned(), true)]);
    let anna_uid = cards[0].uid.clone();
    assert_eq!(cards[0].name, anna_uid);

    // An edit, a rename of the company, an unmark, a delete: each a change.
    let mut edited = synced("Piet", "Bakker", "piet@nieuw.nl");
    edited.job_title = "Chef".into();
    store
        .update_person(org, piet, &valid_person(edited), Actor::SYSTEM)
        .await
        .unwrap();
    let changes = store.card_changes(org, start).await.unwrap().unwrap();
    assert_eq!(changes.changed, vec![cards[1].name.clone()]);
    assert!(changes.removed.is_empty());
    let after_edit = changes.seq;

    store
        .update_company(org, acme, &valid_company(company_input("Acme Holding")))
        .await
        .unwrap();
    let changes = store.card_changes(org, after_edit).await.unwrap().unwrap();
    assert_eq!(
        changes.changed,
        vec![anna_uid.clone()],
        "renamed company changes its persons' cards"
    );

    assert_eq!(store.set_synced(org, &[anna], false).await.unwrap(), 1);
    assert_eq!(
        store.set_synced(org, &[anna], false).await.unwrap(),
        0,
        "already unmarked: no change"
    );
    store.delete_person(org, piet, Actor::SYSTEM).await.unwrap();
    let changes = store.card_changes(org, after_edit).await.unwrap().unwrap();
    assert!(changes.changed.is_empty(), "{changes:?}");
    assert_eq!(changes.removed.len(), 2);
    assert!(store.synced_cards(org, None).await.unwrap().is_empty());

    // Marked again: back in the book.
    store.set_synced(org, &[anna], true).await.unwrap();
    let now = store.card_seq(org).await.unwrap();
    let changes = store.card_changes(org, after_edit).await.unwrap().unwrap();
    assert_eq!(changes.changed, vec![anna_uid.clone()]);
    assert_eq!(changes.seq, now);
    // A sequence this book never reached is refused; the current one has nothing new.
    assert!(store.card_changes(org, now + 1).await.unwrap().is_none());
    let nothing = store.card_changes(org, now).await.unwrap().unwrap();
    assert!(nothing.changed.is_empty() && nothing.removed.is_empty());
    // The other organisation's book is its own.
    assert_eq!(store.card_seq(other).await.unwrap(), 1);
    assert!(store.synced_cards(org, Some(&[anna_uid])).await.unwrap()[0].company == "Acme Holding");
}

pub async fn phones_cards_keep_their_name_and_original(store: Store) {
    let org = org(&store, "Org").await;
    let id = person(&store, org, person_input("Jan", "van der", "Berg")).await;
    let uid = store.synced_cards(org, None).await.unwrap();
    assert!(uid.is_empty(), "not synced yet");
    assert_eq!(store.card_bytes(org).await.unwrap(), 0, "an empty book");
    let before = store.card_seq(org).await.unwrap();
    store
        .set_card(org, id, Some("ABC-123"), "BEGIN:VCARD\r\nEND:VCARD\r\n")
        .await
        .unwrap();
    let cards = store
        .synced_cards(org, Some(&["ABC-123".to_owned()]))
        .await
        .unwrap();
    assert_eq!(cards.len(), 1);
    assert_eq!(
        store.card_bytes(org).await.unwrap(),
        "BEGIN:VCARD\r\nEND:VCARD\r\n".len() as u64,
        "the phone's card as sent"
    );
    assert_eq!(
        cards[0].original.as_deref(),
        Some("BEGIN:VCARD\r\nEND:VCARD\r\n")
    );
    assert_eq!(
        store
            .person_by_card(org, "ABC-123")
            .await
            .unwrap()
            .map(|(p, _, s)| (p, s)),
        Some((id, true))
    );
    let changes = store.card_changes(org, before).await.unwrap().unwrap();
    assert_eq!(changes.changed, vec!["ABC-123".to_owned()]);
    // Renamed again (a phone re-created it under another name): the old name is removed.
    store
        .set_card(org, id, Some("DEF-456"), "BEGIN:VCARD\r\nEND:VCARD\r\n")
        .await
        .unwrap();
    let changes = store.card_changes(org, before).await.unwrap().unwrap();
    assert_eq!(changes.changed, vec!["DEF-456".to_owned()]);
    assert_eq!(changes.removed, vec!["ABC-123".to_owned()]);
    let by_uid = store.person_org_by_uid(&cards[0].uid).await.unwrap();
    assert_eq!(by_uid, Some((org, id)));
    // A card the CRM makes is estimated from its fields.
    person(&store, org, synced("Piet", "Bakker", "piet@x.nl")).await;
    let bytes = store.card_bytes(org).await.unwrap();
    assert!(bytes > 23 + 160, "the CRM's card estimated: {bytes}");
}

pub async fn app_passwords_and_devices(store: Store) {
    let org = org(&store, "Org").await;
    let anna = user(&store, org, "Anna", "anna@org.nl", Role::Gebruiker).await;
    let piet = user(&store, org, "Piet", "piet@org.nl", Role::Gebruiker).await;
    assert!(!store.carddav_enabled(org, anna.id).await.unwrap());
    store.set_carddav_enabled(org, anna.id, true).await.unwrap();
    assert!(store.carddav_enabled(org, anna.id).await.unwrap());
    let iphone = store
        .create_app_password(anna.id, "iPhone", "hash-1")
        .await
        .unwrap();
    store
        .create_app_password(anna.id, "Android", "hash-2")
        .await
        .unwrap();
    assert_eq!(
        store.app_password_user("hash-1").await.unwrap(),
        Some((anna.id, iphone.id, None))
    );
    assert_eq!(store.app_password_user("onbekend").await.unwrap(), None);
    store.touch_app_password(iphone.id).await.unwrap();
    let listed = store.app_passwords(anna.id).await.unwrap();
    assert_eq!(
        listed.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(),
        ["iPhone", "Android"]
    );
    assert!(listed[0].last_used_at.is_some());
    assert!(
        store.revoke_app_password(piet.id, iphone.id).await.is_err(),
        "not Piet's"
    );
    store
        .record_sync_device(anna.id, "iOS/18.1 dataaccessd/1.0", Some(iphone.id))
        .await
        .unwrap();
    store
        .record_sync_device(anna.id, "iOS/18.1 dataaccessd/1.0", Some(iphone.id))
        .await
        .unwrap();
    store
        .record_sync_device(anna.id, "DAVx5/4.4", None)
        .await
        .unwrap();
    let devices = store.sync_devices(anna.id).await.unwrap();
    assert_eq!(devices.len(), 2);
    assert_eq!(
        devices
            .iter()
            .find(|d| d.user_agent.starts_with("iOS"))
            .and_then(|d| d.app_password.as_deref()),
        Some("iPhone")
    );
    store.revoke_app_password(anna.id, iphone.id).await.unwrap();
    assert_eq!(
        store.app_password_user("hash-1").await.unwrap(),
        None,
        "revoked"
    );
    let devices = store.sync_devices(anna.id).await.unwrap();
    assert_eq!(
        devices
            .iter()
            .map(|d| (d.user_agent.as_str(), d.app_password.as_deref()))
            .collect::<Vec<_>>(),
        [("DAVx5/4.4", None)],
        "the device that used the revoked password goes with it; the other stays"
    );
    // A client inventing a User-Agent per request fills no table: the most recent stay.
    let long = "x".repeat(5000);
    for i in 0..(postkamer_store::cards::MAX_DEVICES + 5) {
        store
            .record_sync_device(anna.id, &format!("agent-{i:03} {long}"), None)
            .await
            .unwrap();
    }
    let devices = store.sync_devices(anna.id).await.unwrap();
    assert_eq!(devices.len() as i64, postkamer_store::cards::MAX_DEVICES);
    assert!(devices.iter().all(|d| d.user_agent.chars().count() <= 200));
    assert!(
        devices.iter().any(|d| d.user_agent.starts_with(&format!(
            "agent-{:03}",
            postkamer_store::cards::MAX_DEVICES + 4
        ))),
        "the newest is kept"
    );
}
