//! The domains' check schedule, DKIM keys and notices.

use crate::fixtures::*;
use postkamer_domain::sending::Selector;
use postkamer_store::Store;

pub async fn every_domain_is_listed_for_its_check(store: Store) {
    let (org, other) = (org(&store, "Org").await, org(&store, "Ander").await);
    let a = store.add_domain(org, "a.nl").await.unwrap();
    let b = store.add_domain(other, "b.nl").await.unwrap();
    store.make_domain_due(b.id).await.unwrap();
    assert_eq!(
        store.domain_schedule().await.unwrap(),
        vec![(org, a.id, a.next_check_at), (other, b.id, 0)]
    );
    store.delete_domain(org, a.id).await.unwrap();
    assert_eq!(
        store.domain_schedule().await.unwrap(),
        vec![(other, b.id, 0)]
    );
}

pub async fn dkim_keys_and_notices(store: Store) {
    let org = org(&store, "Org").await;
    assert!(
        store
            .insert_installation_key(Selector::Key001, b"sealed-1", "PUB1")
            .await
            .unwrap()
    );
    assert!(
        !store
            .insert_installation_key(Selector::Key001, b"sealed-x", "PUBX")
            .await
            .unwrap(),
        "first wins"
    );
    assert!(
        store
            .insert_installation_key(Selector::Key002, b"sealed-2", "PUB2")
            .await
            .unwrap()
    );
    let keys = store.dkim_keys(None).await.unwrap();
    assert_eq!(
        keys.iter()
            .map(|k| k.public_key.as_str())
            .collect::<Vec<_>>(),
        ["PUB1", "PUB2"]
    );
    store
        .replace_installation_key(Selector::Key002, b"sealed-3", "PUB3")
        .await
        .unwrap();

    let domain = store.add_domain(org, "voorbeeld.nl").await.unwrap();
    store
        .put_domain_key(domain.id, Selector::Key002, b"own", "OWN1")
        .await
        .unwrap();
    store
        .put_domain_key(domain.id, Selector::Key002, b"own", "OWN2")
        .await
        .unwrap();
    let keys = store.dkim_keys(Some(domain.id)).await.unwrap();
    let publics: Vec<(&str, bool)> = keys
        .iter()
        .map(|k| (k.public_key.as_str(), k.domain.is_some()))
        .collect();
    assert_eq!(publics, [("PUB1", false), ("PUB3", false), ("OWN2", true)]);
    assert_eq!(
        store.dkim_keys(None).await.unwrap().len(),
        2,
        "others do not see the domain's key"
    );

    store
        .open_notice(org, Some(domain.id), "domain_broken")
        .await
        .unwrap();
    store
        .open_notice(org, Some(domain.id), "domain_broken")
        .await
        .unwrap();
    let notices = store.open_notices(org).await.unwrap();
    assert_eq!(notices.len(), 1, "opened once");
    assert_eq!(notices[0].domain_name.as_deref(), Some("voorbeeld.nl"));
    store
        .resolve_notices(domain.id, "domain_broken")
        .await
        .unwrap();
    assert!(store.open_notices(org).await.unwrap().is_empty());
    store
        .open_notice(org, Some(domain.id), "domain_broken")
        .await
        .unwrap();
    assert_eq!(
        store.open_notices(org).await.unwrap().len(),
        1,
        "a new break is a new notice"
    );
}
