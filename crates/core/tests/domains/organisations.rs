//! Rights and organisations: only the organisation's SuperAdmins see its domains, a domain is
//! active in one organisation at a time; an unreachable DNS server changes nothing.

use postkamer_core::jobs::Ran;
use std::time::Duration;

use crate::dns::{TestDns, txt};
use crate::{config, publish_all, status, user, value};
use postkamer_core::{Core, CoreError};
use postkamer_domain::Role;
use postkamer_domain::sending::{DomainState, DomainView, RecordKind, Status};
use postkamer_store::Store;

pub(crate) async fn only_superadmins_of_the_organisation_see_domains(store: Store) {
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

pub(crate) async fn an_unreachable_dns_server_changes_nothing(store: Store) {
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

pub(crate) async fn a_domain_is_active_in_one_organisation_at_a_time(store: Store) {
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
    core.make_domain_due(ours.summary.id).await.unwrap();
    let ran = crate::domain_checks(&core).run_once().await.unwrap();
    assert!(matches!(ran, Some(Ran::Rescheduled { .. })), "{ran:?}");
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
