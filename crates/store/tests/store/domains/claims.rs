//! Sending domains claimed per organisation and held by one; the organisations' verification
//! tokens.

use super::report;
use crate::fixtures::*;
use postkamer_domain::sending::{DomainState, Finding, Selector, Status};
use postkamer_store::domains::CheckOutcome;
use postkamer_store::{Store, StoreError};

pub async fn domains_are_claimed_per_organisation_and_held_by_one(store: Store) {
    let org = org(&store, "Org").await;
    let other = self::org(&store, "Ander").await;
    let domain = store.add_domain(org, "voorbeeld.nl").await.unwrap();
    assert_eq!(domain.state, DomainState::Pending);
    assert_eq!(domain.signing_selector, Selector::Key001);
    assert!(
        domain.next_check_at <= postkamer_store::now_millis(),
        "due at once"
    );
    assert!(matches!(
        store.add_domain(org, "voorbeeld.nl").await,
        Err(StoreError::AlreadyExists("domain"))
    ));
    // Another organisation may claim the same domain; it sees only its own claim.
    let claim = store.add_domain(other, "voorbeeld.nl").await.unwrap();
    assert_ne!(claim.id, domain.id);
    assert!(matches!(
        store.domain(other, domain.id).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.delete_domain(other, domain.id).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(
        store
            .domains(other)
            .await
            .unwrap()
            .iter()
            .map(|d| d.id)
            .collect::<Vec<_>>(),
        vec![claim.id]
    );
    assert!(store.domain_holder("voorbeeld.nl").await.unwrap().is_none());

    let first = report("voorbeeld.nl", 1_000, vec![Finding::NoMx]);
    store
        .record_check(
            domain.id,
            CheckOutcome {
                report: &first,
                reason: "added",
                state: DomainState::Pending,
                activated_at: None,
                next_check_at: 5_000,
            },
        )
        .await
        .unwrap();
    let second = report("voorbeeld.nl", 2_000, vec![]);
    store
        .record_check(
            domain.id,
            CheckOutcome {
                report: &second,
                reason: "manual",
                state: DomainState::Active,
                activated_at: Some(2_000),
                next_check_at: 9_000,
            },
        )
        .await
        .unwrap();
    // A check that could not reach DNS keeps the last known status.
    let unknown = report(
        "voorbeeld.nl",
        3_000,
        vec![Finding::DnsUnavailable {
            detail: "timeout".into(),
        }],
    );
    store
        .record_check(
            domain.id,
            CheckOutcome {
                report: &unknown,
                reason: "scheduled",
                state: DomainState::Active,
                activated_at: Some(2_000),
                next_check_at: 10_000,
            },
        )
        .await
        .unwrap();
    let stored = store.domain(org, domain.id).await.unwrap();
    assert_eq!(stored.state, DomainState::Active);
    assert_eq!(stored.last_status, Some(Status::Ok));
    assert_eq!(stored.last_checked_at, Some(3_000));
    assert_eq!(stored.activated_at, Some(2_000));
    assert_eq!(stored.next_check_at, 10_000);
    let history = store.domain_checks(domain.id, 10).await.unwrap();
    assert_eq!(
        history
            .iter()
            .map(|c| c.reason.as_str())
            .collect::<Vec<_>>(),
        ["scheduled", "manual", "added"]
    );
    assert_eq!(history[0].status, Status::Unknown);
    assert_eq!(history[2].report, first, "the report comes back whole");
    assert_eq!(store.domain_checks(domain.id, 1).await.unwrap().len(), 1);
    assert_eq!(
        store
            .domain_holder("voorbeeld.nl")
            .await
            .unwrap()
            .unwrap()
            .id,
        domain.id
    );
    // The other claim cannot become active (or broken) while this one holds the domain; the
    // refused check leaves nothing behind.
    for state in [DomainState::Active, DomainState::Broken] {
        let refused = store
            .record_check(
                claim.id,
                CheckOutcome {
                    report: &second,
                    reason: "manual",
                    state,
                    activated_at: Some(2_000),
                    next_check_at: 9_000,
                },
            )
            .await;
        assert!(
            matches!(refused, Err(StoreError::AlreadyExists("domain_holder"))),
            "{refused:?}"
        );
    }
    assert!(store.domain_checks(claim.id, 10).await.unwrap().is_empty());
    assert_eq!(
        store.domain(other, claim.id).await.unwrap().state,
        DomainState::Pending
    );

    store
        .set_signing_selector(org, domain.id, Selector::Key002)
        .await
        .unwrap();
    assert_eq!(
        store.domain(org, domain.id).await.unwrap().signing_selector,
        Selector::Key002
    );
    assert!(matches!(
        store
            .set_signing_selector(other, domain.id, Selector::Key001)
            .await,
        Err(StoreError::NotFound)
    ));

    store.delete_domain(org, domain.id).await.unwrap();
    assert!(
        store.domain_checks(domain.id, 10).await.unwrap().is_empty(),
        "history goes with it"
    );
    assert!(store.domain_holder("voorbeeld.nl").await.unwrap().is_none());
    // Once released, the other claim may hold it.
    store
        .record_check(
            claim.id,
            CheckOutcome {
                report: &second,
                reason: "manual",
                state: DomainState::Active,
                activated_at: Some(2_000),
                next_check_at: 9_000,
            },
        )
        .await
        .unwrap();
    assert_eq!(
        store
            .domain_holder("voorbeeld.nl")
            .await
            .unwrap()
            .map(|d| d.org),
        Some(other)
    );
}

pub async fn each_organisation_keeps_one_verification_token(store: Store) {
    let org = org(&store, "Org").await;
    let other = self::org(&store, "Ander").await;
    let token = store.domain_token(org, "aaaa").await.unwrap();
    assert_eq!(token, "aaaa");
    assert_eq!(
        store.domain_token(org, "bbbb").await.unwrap(),
        "aaaa",
        "the first token stays"
    );
    assert_eq!(store.domain_token(other, "cccc").await.unwrap(), "cccc");
    // Concurrent first uses agree on one token.
    let third = self::org(&store, "Derde").await;
    let tokens = futures::future::join_all((0..8).map(|i| {
        let store = store.clone();
        async move { store.domain_token(third, &format!("t{i}")).await.unwrap() }
    }))
    .await;
    assert!(tokens.iter().all(|t| t == &tokens[0]), "{tokens:?}");
    assert!(matches!(
        store
            .domain_token(postkamer_domain::OrgId(987_654), "x")
            .await,
        Err(StoreError::NotFound)
    ));
}
