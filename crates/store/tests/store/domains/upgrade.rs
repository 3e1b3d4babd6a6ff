//! The domains of before claims per organisation, and what the upgrade makes of them.

use super::report;
use postkamer_domain::sending::{DomainState, Selector};
use postkamer_store::domains::CheckOutcome;
use postkamer_store::{Store, StoreError};

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
