//! Sending domains end to end against the throw-away Knot DNS of scripts/test.sh, on both
//! engines: add (red, pending), publish the shown values, check → DKIM active; the signing key;
//! a scheduled check finds an active domain broken (notice) and repaired; rotation to key002
//! with a new key; rights and organisations; DNS unreachable changes nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../../domainauth/tests/support/dns.rs"]
mod dns;
#[path = "../../store/tests/store/harness.rs"]
#[macro_use]
mod harness;

use std::time::Duration;

use dns::{Rr, TestDns, txt};
use postkamer_core::{Core, CoreConfig, CoreError, DomainsConfig, UserInput};
use postkamer_domain::sending::{DomainState, DomainView, RecordKind, Selector, Status};
use postkamer_domain::validate::Invalid;
use postkamer_domain::{Role, User};
use postkamer_domainauth::{CheckConfig, DnsConfig};
use postkamer_store::Store;

on_both_engines![
    a_domain_turns_dkim_active_once_both_keys_verify,
    an_active_domain_that_breaks_is_noticed_and_recovers,
    signing_switches_to_a_new_key002_once_it_verifies,
    only_superadmins_of_the_organisation_see_domains,
    an_unreachable_dns_server_changes_nothing,
    a_domain_is_active_in_one_organisation_at_a_time,
];

fn config(dns: &TestDns) -> CoreConfig {
    CoreConfig {
        domains: DomainsConfig {
            check: CheckConfig {
                dns: DnsConfig {
                    servers: vec![dns.server],
                    timeout: Duration::from_secs(2),
                },
                spf_include: dns.spf_include(),
                envelope_domain: None,
            },
            ..DomainsConfig::default()
        },
        ..CoreConfig::new(postkamer_core::SecretKey::generate().unwrap())
    }
}

async fn user(core: &Core, org: &str, email: &str, role: Role) -> User {
    core.bootstrap_user(
        org,
        &UserInput {
            name: email.split('@').next().unwrap().to_owned(),
            email: email.to_owned(),
            role: Some(role),
            password: "lang genoeg wachtwoord".into(),
        },
    )
    .await
    .unwrap()
}

fn status(view: &DomainView, kind: RecordKind) -> Status {
    view.records
        .iter()
        .find(|r| r.publish.kind == kind)
        .and_then(|r| r.check.as_ref())
        .map(|c| c.status)
        .expect("a checked row")
}

fn value(view: &DomainView, kind: RecordKind) -> String {
    view.records
        .iter()
        .find(|r| r.publish.kind == kind)
        .unwrap()
        .publish
        .value
        .clone()
}

/// Publishes every value the page shows, as a customer would.
async fn publish_all(dns: &TestDns, view: &DomainView) {
    publish_authentication(dns, view).await;
    publish_token(dns, view).await;
}

/// Publishes the organisation's verification token the page shows.
async fn publish_token(dns: &TestDns, view: &DomainView) {
    let host = RecordKind::Ownership.host(&view.summary.domain);
    dns.set(&host, &[txt(&value(view, RecordKind::Ownership))])
        .await;
}

/// Publishes SPF, both DKIM keys and DMARC (everything but the token).
async fn publish_authentication(dns: &TestDns, view: &DomainView) {
    let domain = &view.summary.domain;
    dns.set(
        domain,
        &[
            Rr::Mx(format!("mx.{domain}")),
            txt(&value(view, RecordKind::Spf)),
        ],
    )
    .await;
    dns.set(&format!("mx.{domain}"), &[Rr::A([127, 0, 0, 1].into())])
        .await;
    for kind in [RecordKind::Key001, RecordKind::Key002, RecordKind::Dmarc] {
        dns.set(&kind.host(domain), &[txt(&value(view, kind))])
            .await;
    }
}

async fn a_domain_turns_dkim_active_once_both_keys_verify(store: Store) {
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

async fn an_active_domain_that_breaks_is_noticed_and_recovers(store: Store) {
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
    assert_eq!(
        core.check_due_domains("test").await.unwrap(),
        0,
        "not due yet"
    );
    store.make_domain_due(view.summary.id).await.unwrap();
    assert_eq!(core.check_due_domains("test").await.unwrap(), 1);
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

async fn signing_switches_to_a_new_key002_once_it_verifies(store: Store) {
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

async fn only_superadmins_of_the_organisation_see_domains(store: Store) {
    let dns = TestDns::from_env();
    let core = Core::new(store, config(&dns));
    let admin = user(&core, "Demo BV", "beheer@demo.test", Role::SuperAdmin).await;
    let colleague = user(&core, "Demo BV", "collega@demo.test", Role::Gebruiker).await;
    let stranger = user(&core, "Ander BV", "beheer@ander.test", Role::SuperAdmin).await;
    let domain = dns.domain("core-rights");
    let view = core.add_domain(&admin, &domain).await.unwrap();
    let id = view.summary.id;

    assert!(matches!(
        core.list_domains(&colleague).await,
        Err(CoreError::Forbidden)
    ));
    assert!(matches!(
        core.domain_view(&colleague, id).await,
        Err(CoreError::Forbidden)
    ));
    assert!(matches!(
        core.add_domain(&colleague, "x.postkamer.test").await,
        Err(CoreError::Forbidden)
    ));
    assert!(core.admin_notices(&colleague).await.unwrap().is_empty());
    assert!(matches!(
        core.domain_view(&stranger, id).await,
        Err(CoreError::NotFound)
    ));
    assert!(matches!(
        core.check_domain_now(&stranger, id).await,
        Err(CoreError::NotFound)
    ));
    assert!(matches!(
        core.delete_domain(&stranger, id).await,
        Err(CoreError::NotFound)
    ));
    assert!(core.list_domains(&stranger).await.unwrap().is_empty());
    // The other organisation may claim the same domain (its token decides), and sees only its
    // own claim.
    let theirs = core.add_domain(&stranger, &domain).await.unwrap();
    assert_ne!(theirs.summary.id, id);
    assert_ne!(
        value(&theirs, RecordKind::Ownership),
        value(&view, RecordKind::Ownership),
        "a token per organisation"
    );
    assert!(matches!(
        core.domain_view(&admin, theirs.summary.id).await,
        Err(CoreError::NotFound)
    ));
    for bad in ["", "geen domein", "localhost", "-x.nl"] {
        let err = core.add_domain(&admin, bad).await.unwrap_err();
        assert!(matches!(err, CoreError::Validation(_)), "{bad:?}: {err:?}");
    }
    assert_eq!(core.list_domains(&admin).await.unwrap().len(), 1);
    core.delete_domain(&admin, id).await.unwrap();
    assert!(core.list_domains(&admin).await.unwrap().is_empty());
}

async fn an_unreachable_dns_server_changes_nothing(store: Store) {
    let dns = TestDns::from_env();
    let core = Core::new(store.clone(), config(&dns));
    let admin = user(&core, "Demo BV", "beheer@demo.test", Role::SuperAdmin).await;
    let domain = dns.domain("core-unreachable");
    let view = core.add_domain(&admin, &domain).await.unwrap();
    publish_all(&dns, &view).await;
    let view = core
        .check_domain_now(&admin, view.summary.id)
        .await
        .unwrap();
    assert_eq!(view.summary.state, DomainState::Active);

    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let mut offline = config(&dns);
    offline.domains.check.dns.servers = vec![closed];
    offline.domains.check.dns.timeout = Duration::from_millis(300);
    let offline = Core::new(store, offline);
    let view = offline
        .check_domain_now(&admin, view.summary.id)
        .await
        .unwrap();
    assert_eq!(
        view.summary.state,
        DomainState::Active,
        "could not check is not broken"
    );
    assert_eq!(
        view.summary.status,
        Some(Status::Ok),
        "the last known status stays"
    );
    assert_eq!(view.history[0].status, Status::Unknown);
    assert_eq!(status(&view, RecordKind::Key001), Status::Unknown);
    assert!(offline.admin_notices(&admin).await.unwrap().is_empty());
}

fn ownership_codes(view: &DomainView) -> Vec<String> {
    view.records
        .iter()
        .find(|r| r.publish.kind == RecordKind::Ownership)
        .and_then(|r| r.check.as_ref())
        .map(|c| c.findings.iter().map(|f| f.code()).collect())
        .unwrap_or_default()
}

async fn a_domain_is_active_in_one_organisation_at_a_time(store: Store) {
    let dns = TestDns::from_env();
    let core = Core::new(store.clone(), config(&dns));
    let owner = user(&core, "Demo BV", "beheer@demo.test", Role::SuperAdmin).await;
    let other = user(&core, "Ander BV", "beheer@ander.test", Role::SuperAdmin).await;
    let domain = dns.domain("core-one-org");
    let ours = core.add_domain(&owner, &domain).await.unwrap();
    // Another organisation claims it as well, before or after: it publishes the same keys.
    let theirs = core.add_domain(&other, &domain).await.unwrap();
    let host = RecordKind::Ownership.host(&domain);
    let our_token = value(&ours, RecordKind::Ownership);
    let their_token = value(&theirs, RecordKind::Ownership);

    // The domain's owner publishes everything with our token: we hold it.
    publish_all(&dns, &ours).await;
    let ours = core
        .check_domain_now(&owner, ours.summary.id)
        .await
        .unwrap();
    assert_eq!(ours.summary.state, DomainState::Active);
    let theirs = core
        .check_domain_now(&other, theirs.summary.id)
        .await
        .unwrap();
    assert_eq!(theirs.summary.state, DomainState::Pending);
    assert_eq!(ownership_codes(&theirs), vec!["ownership_other"]);
    assert!(
        core.signing_key(owner.org_id, &domain)
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        core.signing_key(other.org_id, &domain)
            .await
            .unwrap()
            .is_none(),
        "the installation's keys never sign for an organisation that has not proven the domain"
    );
    assert!(!core.is_dkim_active(other.org_id, &domain).await.unwrap());

    // Both tokens published (a move between organisations): the first holder keeps it.
    dns.set(&host, &[txt(&our_token), txt(&their_token)]).await;
    let theirs = core
        .check_domain_now(&other, theirs.summary.id)
        .await
        .unwrap();
    assert_eq!(theirs.summary.state, DomainState::Pending);
    assert_eq!(ownership_codes(&theirs), vec!["domain_held_elsewhere"]);
    assert_eq!(theirs.summary.status, Some(Status::Error));
    let ours = core
        .check_domain_now(&owner, ours.summary.id)
        .await
        .unwrap();
    assert_eq!(ours.summary.state, DomainState::Active);

    // Our token is taken away: the scheduled check lets go of the domain, with a notice.
    dns.set(&host, &[txt(&their_token)]).await;
    store.make_domain_due(ours.summary.id).await.unwrap();
    assert_eq!(core.check_due_domains("test").await.unwrap(), 1);
    let ours = core.domain_view(&owner, ours.summary.id).await.unwrap();
    assert_eq!(ours.summary.state, DomainState::Pending);
    assert_eq!(ours.summary.activated_at, None);
    assert!(
        core.signing_key(owner.org_id, &domain)
            .await
            .unwrap()
            .is_none()
    );
    let notices = core.admin_notices(&owner).await.unwrap();
    assert_eq!(
        notices.iter().map(|n| n.kind.as_str()).collect::<Vec<_>>(),
        vec![postkamer_core::domains::NOTICE_DOMAIN_UNVERIFIED]
    );
    assert!(core.admin_notices(&other).await.unwrap().is_empty());

    // Now the other organisation's claim verifies and it holds the domain.
    let theirs = core
        .check_domain_now(&other, theirs.summary.id)
        .await
        .unwrap();
    assert_eq!(theirs.summary.state, DomainState::Active);
    assert!(ownership_codes(&theirs).is_empty());
    assert!(
        core.signing_key(other.org_id, &domain)
            .await
            .unwrap()
            .is_some()
    );
    assert!(!core.is_dkim_active(owner.org_id, &domain).await.unwrap());

    // Ours comes back next to theirs: still theirs, ours stays pending and says why.
    dns.set(&host, &[txt(&our_token), txt(&their_token)]).await;
    let ours = core
        .check_domain_now(&owner, ours.summary.id)
        .await
        .unwrap();
    assert_eq!(ours.summary.state, DomainState::Pending);
    assert_eq!(ownership_codes(&ours), vec!["domain_held_elsewhere"]);
    assert!(
        core.admin_notices(&owner).await.unwrap().len() == 1,
        "the open notice stays until the domain is ours again"
    );
}
