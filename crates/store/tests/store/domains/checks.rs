//! Leased re-checks of due domains, DKIM keys and notices.

use crate::fixtures::*;
use postkamer_domain::sending::Selector;
use postkamer_store::Store;

pub async fn due_domains_are_leased_to_one_instance(store: Store) {
    let org = org(&store, "Org").await;
    let a = store.add_domain(org, "a.nl").await.unwrap();
    let b = store.add_domain(org, "b.nl").await.unwrap();
    let now = postkamer_store::now_millis();
    let first = store
        .claim_due_domain("x", now + 60_000)
        .await
        .unwrap()
        .unwrap();
    let second = store
        .claim_due_domain("y", now + 60_000)
        .await
        .unwrap()
        .unwrap();
    assert_ne!(first, second);
    assert!(
        store
            .claim_due_domain("z", now + 60_000)
            .await
            .unwrap()
            .is_none(),
        "both leased"
    );
    // Giving one back with a later due time: not due now.
    store
        .release_domain(first, "x", now + 3_600_000)
        .await
        .unwrap();
    assert!(
        store
            .claim_due_domain("z", now + 60_000)
            .await
            .unwrap()
            .is_none()
    );
    store.make_domain_due(first).await.unwrap();
    store.make_domain_due(second).await.unwrap();
    store
        .release_domain(second, "someone else", 0)
        .await
        .unwrap();
    // 8 instances at once: each due domain goes to exactly one.
    let mut handles = Vec::new();
    for i in 0..8 {
        let store = store.clone();
        handles.push(tokio::spawn(async move {
            store
                .claim_due_domain(&format!("i{i}"), now + 60_000)
                .await
                .unwrap()
        }));
    }
    let mut won = Vec::new();
    for handle in handles {
        won.extend(handle.await.unwrap());
    }
    assert_eq!(
        won,
        vec![first],
        "b is still leased by y; a goes to one instance"
    );
    let _ = (a, b);
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
