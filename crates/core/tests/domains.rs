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
#[path = "domains/activation.rs"]
mod activation;
#[path = "domains/organisations.rs"]
mod organisations;

use std::time::Duration;

use dns::{Rr, TestDns, txt};
use postkamer_core::{Core, CoreConfig, DomainsConfig, UserInput};
use postkamer_domain::sending::{DomainView, RecordKind, Status};
use postkamer_domain::{Role, User};
use postkamer_domainauth::{CheckConfig, DnsConfig};

use activation::{
    a_domain_turns_dkim_active_once_both_keys_verify,
    an_active_domain_that_breaks_is_noticed_and_recovers,
    signing_switches_to_a_new_key002_once_it_verifies,
};
use organisations::{
    a_domain_is_active_in_one_organisation_at_a_time, an_unreachable_dns_server_changes_nothing,
    only_superadmins_of_the_organisation_see_domains,
};

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

/// A runner of the domains' scheduled checks only.
fn domain_checks(core: &postkamer_core::Core) -> postkamer_core::jobs::JobRunner {
    let mut config = postkamer_core::background::BackgroundConfig::new("test");
    config.mail_sync = None;
    core.job_runner(&config)
}
