//! A domain turns DKIM active once both keys verify, a broken active domain is noticed and
//! recovers, signing switches to key002 once it verifies.

use crate::dns::{TestDns, txt};
use crate::{config, publish_all, publish_authentication, publish_token, status, user, value};
use postkamer_core::jobs::Ran;
use postkamer_core::{Core, CoreError};
use postkamer_domain::Role;
use postkamer_domain::sending::{DomainState, RecordKind, Selector, Status};
use postkamer_domain::validate::Invalid;
use postkamer_store::Store;

pub(crate) async fn a_domain_turns_dkim_active_once_both_keys_verify(store: Store) {
    let dns = TestDns::from_env();
    let core = Core::new(store, config(&dns));
    let admin = user(&core, "Demo BV", "beheer@demo.test", Role::SuperAdmin).await;
    let domain = dns.domain("core-active");

    let view = core
        .add_domain(&admin, &format!(" {} ", domain.to_uppercase()))
        .await
        .unwrap();
    assert_eq!(view.summary.domain, domain);
    assert_eq!(view.summary.state, DomainState::Pending);
    assert_eq!(view.history.len(), 1);
    assert_eq!(view.history[0].reason, "added");
    for kind in [RecordKind::Spf, RecordKind::Key001, RecordKind::Key002] {
        assert_eq!(status(&view, kind), Status::Error, "{kind:?}");
    }
    assert!(value(&view, RecordKind::Key001).starts_with("v=DKIM1;h=sha256;k=rsa;p=MIIB"));
    assert_eq!(
        value(&view, RecordKind::Spf),
        format!("v=spf1 include:{} -all", dns.spf_include())
    );
    assert!(!core.is_dkim_active(admin.org_id, &domain).await.unwrap());
    assert!(
        core.signing_key(admin.org_id, &domain)
            .await
            .unwrap()
            .is_none()
    );

    // Only key001 published: still pending.
    dns.set(
        &RecordKind::Key001.host(&domain),
        &[txt(&value(&view, RecordKind::Key001))],
    )
    .await;
    let view = core
        .check_domain_now(&admin, view.summary.id)
        .await
        .unwrap();
    assert_eq!(status(&view, RecordKind::Key001), Status::Ok);
    assert_eq!(view.summary.state, DomainState::Pending);

    // Every record but the organisation's token: the installation's keys prove nothing about
    // which organisation the domain is for, so it stays pending.
    publish_authentication(&dns, &view).await;
    let view = core
        .check_domain_now(&admin, view.summary.id)
        .await
        .unwrap();
    assert_eq!(status(&view, RecordKind::Key002), Status::Ok);
    assert_eq!(status(&view, RecordKind::Ownership), Status::Error);
    assert_eq!(view.summary.state, DomainState::Pending);
    assert!(!core.is_dkim_active(admin.org_id, &domain).await.unwrap());
    let token = value(&view, RecordKind::Ownership);
    assert!(token.starts_with("postkamer-verification="), "{token}");

    publish_token(&dns, &view).await;
    let view = core
        .check_domain_now(&admin, view.summary.id)
        .await
        .unwrap();
    for record in &view.records {
        assert_eq!(
            record.check.as_ref().unwrap().status,
            Status::Ok,
            "{record:#?}"
        );
    }
    assert_eq!(view.summary.state, DomainState::Active);
    assert_eq!(view.summary.status, Some(Status::Ok));
    assert!(view.summary.activated_at.is_some());
    assert_eq!(view.history.len(), 4);
    assert_eq!(
        view.records
            .iter()
            .map(|r| r.publish.kind)
            .collect::<Vec<_>>(),
        RecordKind::ALL
    );
    assert!(core.is_dkim_active(admin.org_id, &domain).await.unwrap());
    assert!(
        core.is_dkim_active(admin.org_id, &domain.to_uppercase())
            .await
            .unwrap()
    );
    let key = core
        .signing_key(admin.org_id, &domain)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(key.selector, Selector::Key001);
    assert_eq!(
        format!("v=DKIM1;h=sha256;k=rsa;p={}", key.key.public_key_b64()),
        value(&view, RecordKind::Key001)
    );
    // Adding it again, in any spelling, is refused with a field message.
    let err = core
        .add_domain(&admin, &format!("{domain}."))
        .await
        .unwrap_err();
    let CoreError::Validation(errors) = err else {
        panic!("{err:?}")
    };
    assert_eq!(errors.0[0].error, Invalid::DomainTaken);
}

pub(crate) async fn an_active_domain_that_breaks_is_noticed_and_recovers(store: Store) {
    let dns = TestDns::from_env();
    let core = Core::new(store.clone(), config(&dns));
    let admin = user(&core, "Demo BV", "beheer@demo.test", Role::SuperAdmin).await;
    let domain = dns.domain("core-broken");
    let view = core.add_domain(&admin, &domain).await.unwrap();
    publish_all(&dns, &view).await;
    let view = core
        .check_domain_now(&admin, view.summary.id)
        .await
        .unwrap();
    assert_eq!(view.summary.state, DomainState::Active);
    let key001 = value(&view, RecordKind::Key001);

    // Someone truncates the signing key; the scheduled check (leased) finds it.
    dns.set(
        &RecordKind::Key001.host(&domain),
        &[txt(&key001[..key001.len() - 10])],
    )
    .await;
    let runner = crate::domain_checks(&core);
    assert_eq!(runner.run_once().await.unwrap(), None, "not due yet");
    core.make_domain_due(view.summary.id).await.unwrap();
    let ran = runner.run_once().await.unwrap();
    assert!(matches!(ran, Some(Ran::Rescheduled { .. })), "{ran:?}");
    let view = core.domain_view(&admin, view.summary.id).await.unwrap();
    assert_eq!(view.summary.state, DomainState::Broken);
    assert_eq!(view.history[0].reason, "scheduled");
    assert!(!core.is_dkim_active(admin.org_id, &domain).await.unwrap());
    let notices = core.admin_notices(&admin).await.unwrap();
    assert_eq!(notices.len(), 1);
    assert_eq!(notices[0].domain_name.as_deref(), Some(domain.as_str()));
    // A broken domain is re-checked hourly, not daily.
    let record = store.domain_by_id(view.summary.id).await.unwrap();
    let hour = 3_600_000;
    assert!(record.next_check_at - view.summary.last_checked_at.unwrap() <= hour);

    dns.set(&RecordKind::Key001.host(&domain), &[txt(&key001)])
        .await;
    let view = core
        .check_domain_now(&admin, view.summary.id)
        .await
        .unwrap();
    assert_eq!(view.summary.state, DomainState::Active);
    assert!(core.admin_notices(&admin).await.unwrap().is_empty());
    let record = store.domain_by_id(view.summary.id).await.unwrap();
    assert!(record.next_check_at - view.summary.last_checked_at.unwrap() >= 24 * hour - 1000);
}

pub(crate) async fn signing_switches_to_a_new_key002_once_it_verifies(store: Store) {
    let dns = TestDns::from_env();
    let core = Core::new(store, config(&dns));
    let admin = user(&core, "Demo BV", "beheer@demo.test", Role::SuperAdmin).await;
    let domain = dns.domain("core-rotate");
    let view = core.add_domain(&admin, &domain).await.unwrap();
    publish_all(&dns, &view).await;
    let view = core
        .check_domain_now(&admin, view.summary.id)
        .await
        .unwrap();
    assert_eq!(view.can_switch_to, Some(Selector::Key002));
    let id = view.summary.id;
    let old_key002 = value(&view, RecordKind::Key002);

    // The signing selector cannot get a new key.
    let err = core
        .generate_domain_key(&admin, id, Selector::Key001)
        .await
        .unwrap_err();
    assert!(
        matches!(err, CoreError::Conflict("selector_is_signing")),
        "{err:?}"
    );

    let view = core
        .generate_domain_key(&admin, id, Selector::Key002)
        .await
        .unwrap();
    let new_key002 = value(&view, RecordKind::Key002);
    assert_ne!(new_key002, old_key002);
    assert_eq!(view.own_keys, vec![Selector::Key002]);
    assert_eq!(status(&view, RecordKind::Key002), Status::Error);
    assert_eq!(
        view.summary.state,
        DomainState::Active,
        "key001 still signs"
    );
    assert_eq!(view.can_switch_to, None);
    let err = core
        .set_signing_selector(&admin, id, Selector::Key002)
        .await
        .unwrap_err();
    assert!(
        matches!(err, CoreError::Conflict("selector_not_verified")),
        "{err:?}"
    );

    dns.set(&RecordKind::Key002.host(&domain), &[txt(&new_key002)])
        .await;
    let view = core.check_domain_now(&admin, id).await.unwrap();
    assert_eq!(view.can_switch_to, Some(Selector::Key002));
    let view = core
        .set_signing_selector(&admin, id, Selector::Key002)
        .await
        .unwrap();
    assert_eq!(view.summary.signing_selector, Selector::Key002);
    let key = core
        .signing_key(admin.org_id, &domain)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(key.selector, Selector::Key002);
    assert_eq!(
        format!("v=DKIM1;h=sha256;k=rsa;p={}", key.key.public_key_b64()),
        new_key002
    );
}
