//! Sending domains: claimed per organisation, held (active or broken) by one at a time, the
//! organisations' verification tokens, the check history with the domain's state in
//! one transaction, leased re-checks (one winner among concurrent instances), DKIM keys
//! (installation keys first-wins, per-domain keys replace), notices opened once.

use crate::fixtures::*;
use postkamer_domain::sending::{DomainReport, DomainState, Finding, Selector, Status};
use postkamer_store::domains::CheckOutcome;
use postkamer_store::{Store, StoreError};

fn report(domain: &str, at: i64, findings: Vec<Finding>) -> DomainReport {
    DomainReport {
        domain: domain.to_owned(),
        checked_at: at,
        findings,
        mx: vec![format!("mx.{domain}")],
        records: vec![],
    }
}

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

/// An active domain with its history, its own key and a notice, from before claims per
/// organisation.
pub const LEGACY_HELD_DOMAIN: &str = "
INSERT INTO organisations (id, name, created_at) VALUES (2001, 'Org', 0), (2002, 'Ander', 0);
INSERT INTO sending_domains (id, org_id, domain, state, signing_selector, last_status,
        last_checked_at, activated_at, next_check_at, created_at) VALUES
    (2001, 2001, 'oud.nl', 'active', 'key002', 'ok', 10, 5, 86400000, 1),
    (2002, 2001, 'wacht.nl', 'pending', 'key001', NULL, NULL, NULL, 3600000, 1);
INSERT INTO domain_checks (domain_id, checked_at, status, reason, report) VALUES
    (2001, 10, 'ok', 'manual', '{\"domain\":\"oud.nl\",\"checked_at\":10,\"findings\":[],\"mx\":[],\"records\":[]}');
INSERT INTO dkim_keys (domain_id, selector, private_sealed, public_key, created_at) VALUES
    (2001, 'key002', '', 'MIIB', 1);
INSERT INTO admin_notices (org_id, domain_id, kind, created_at) VALUES (2001, 2001, 'domain_broken', 1);
";

/// After the upgrade every row that hangs off the domain is still there, the held domain is due
/// for a check at once (it was never proven with a token), and another organisation may claim it
/// but not hold it.
pub async fn held_domains_keep_everything_and_are_checked_at_once(store: Store) {
    use postkamer_domain::{OrgId, SendingDomainId};
    let (org, other) = (OrgId(2001), OrgId(2002));
    let held = store.domain(org, SendingDomainId(2001)).await.unwrap();
    assert_eq!(held.state, DomainState::Active);
    assert_eq!(held.signing_selector, Selector::Key002);
    assert_eq!(held.activated_at, Some(5));
    assert_eq!(held.next_check_at, 0, "checked at once");
    let waiting = store.domain(org, SendingDomainId(2002)).await.unwrap();
    assert_eq!(
        waiting.next_check_at, 3_600_000,
        "a pending domain keeps its schedule"
    );
    assert_eq!(store.domain_checks(held.id, 10).await.unwrap().len(), 1);
    let keys = store.dkim_keys(Some(held.id)).await.unwrap();
    assert!(
        keys.iter()
            .any(|k| k.domain == Some(held.id) && k.public_key == "MIIB")
    );
    assert_eq!(store.open_notices(org).await.unwrap().len(), 1);
    assert_eq!(
        store.domain_holder("oud.nl").await.unwrap().map(|d| d.id),
        Some(held.id)
    );

    let claim = store.add_domain(other, "oud.nl").await.unwrap();
    let refused = store
        .record_check(
            claim.id,
            CheckOutcome {
                report: &report("oud.nl", 20, vec![]),
                reason: "manual",
                state: DomainState::Active,
                activated_at: Some(20),
                next_check_at: 30,
            },
        )
        .await;
    assert!(matches!(
        refused,
        Err(StoreError::AlreadyExists("domain_holder"))
    ));
    // Foreign keys still hold after the rebuild: deleting the domain takes its rows along.
    store.delete_domain(org, held.id).await.unwrap();
    assert!(store.domain_checks(held.id, 10).await.unwrap().is_empty());
    assert!(store.open_notices(org).await.unwrap().is_empty());
}
