//! Mail out end to end on both engines, against the real servers of scripts/test.sh: the
//! throw-away SMTP server (aiosmtpd, STARTTLS and AUTH), Knot DNS for the sending domain's
//! records and dkimpy as the independent DKIM verifier. Signed and unsigned sending, the
//! outbox's states, retries and refusals, and sending interrupted at random points.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../../domainauth/tests/support/dkimpy.rs"]
mod dkimpy;
#[path = "../../domainauth/tests/support/dns.rs"]
mod dns;
#[path = "../../store/tests/store/harness.rs"]
#[macro_use]
mod harness;
#[path = "sending/compose.rs"]
mod compose;
#[path = "sending/copies.rs"]
mod copies;
#[path = "sending/faults.rs"]
mod faults;
#[path = "sending/signed.rs"]
mod signed;
#[path = "../../mail/tests/smtp/server.rs"]
mod smtp;
#[path = "../../mail/tests/support/mod.rs"]
mod support;

use std::sync::Arc;
use std::time::Duration;

use dns::{Rr, TestDns, txt};
use postkamer_core::jobs::JobRunner;
use postkamer_core::sending::{NewMail, Relay, SendingConfig};
use postkamer_core::{Core, CoreConfig, DomainsConfig, UserInput};
use postkamer_domain::mail::TlsMode;
use postkamer_domain::sending::{DomainState, DomainView, RecordKind};
use postkamer_domain::{ManualClock, Role, User};
use postkamer_domainauth::{CheckConfig, DnsConfig};
use postkamer_mail::compose::Mailbox;

use compose::{
    a_new_mail_opens_with_the_template_and_goes_after_the_undo_window,
    reply_reply_all_and_forward_carry_the_original,
};
use copies::a_sent_message_is_in_verzonden_at_once_and_on_the_server_once;
use faults::{
    a_refused_message_is_not_retried_and_refused_recipients_are_not_resent,
    a_server_that_is_down_is_retried_until_the_message_is_too_old,
    cancel_while_waiting_and_retry_now, no_message_is_lost_when_sending_is_cut_off_anywhere,
};
use signed::{
    a_message_from_an_active_domain_goes_out_signed_through_the_relay,
    without_an_active_domain_mail_goes_unsigned_through_the_users_own_server,
};

on_both_engines![
    a_message_from_an_active_domain_goes_out_signed_through_the_relay,
    without_an_active_domain_mail_goes_unsigned_through_the_users_own_server,
    a_server_that_is_down_is_retried_until_the_message_is_too_old,
    a_refused_message_is_not_retried_and_refused_recipients_are_not_resent,
    cancel_while_waiting_and_retry_now,
    no_message_is_lost_when_sending_is_cut_off_anywhere,
    a_sent_message_is_in_verzonden_at_once_and_on_the_server_once,
    a_new_mail_opens_with_the_template_and_goes_after_the_undo_window,
    reply_reply_all_and_forward_carry_the_original,
];

/// The test SMTP server's STARTTLS listener as the operator's relay.
fn relay() -> Relay {
    let server = smtp::server(TlsMode::StartTls);
    Relay {
        host: server.host,
        port: server.port,
        tls: server.tls,
        credentials: server.credentials,
    }
}

fn config(dns: &TestDns, clock: Arc<ManualClock>) -> CoreConfig {
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
        sending: SendingConfig {
            relay: Some(relay()),
            smtp_timeout: Duration::from_secs(10),
            hello_name: "postkamer.test".to_owned(),
            extra_roots: smtp::server(TlsMode::StartTls).extra_roots,
            ..SendingConfig::default()
        },
        clock,
        ..CoreConfig::new(postkamer_core::SecretKey::generate().unwrap())
    }
}

fn clock() -> Arc<ManualClock> {
    Arc::new(ManualClock::at(1_800_000_000_000))
}

async fn user(core: &Core, org: &str, email: &str, role: Role) -> User {
    core.bootstrap_user(
        org,
        &UserInput {
            name: "Anna de Vries".to_owned(),
            email: email.to_owned(),
            role: Some(role),
            password: "lang genoeg wachtwoord".into(),
        },
    )
    .await
    .unwrap()
}

/// A runner of the mail.send jobs (and housekeeping) only.
fn runner(core: &Core) -> JobRunner {
    let mut config = postkamer_core::background::BackgroundConfig::new("test");
    config.mail_sync = None;
    config.domain_checks = false;
    core.job_runner(&config)
}

fn to(addresses: &[&str]) -> Vec<Mailbox> {
    addresses
        .iter()
        .map(|a| Mailbox {
            name: None,
            address: (*a).to_owned(),
        })
        .collect()
}

/// A message marked with `marker` in its subject and text.
fn mail(marker: &str, recipients: &[&str]) -> NewMail {
    NewMail {
        to: to(recipients),
        subject: format!("Offerte café {marker}"),
        text: format!("Beste klant,\n\n{marker}\n"),
        html: format!("<p>Beste klant,</p><p>{marker}</p>"),
        ..NewMail::default()
    }
}

/// Makes `domain` an active sending domain of `admin`'s organisation, the way a customer
/// would: add it, publish every record shown, check.
async fn activate(core: &Core, dns: &TestDns, admin: &User, domain: &str) {
    let view = core.add_domain(admin, domain).await.unwrap();
    publish_all(dns, &view).await;
    let view = core.check_domain_now(admin, view.summary.id).await.unwrap();
    assert_eq!(view.summary.state, DomainState::Active, "{view:?}");
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

async fn publish_all(dns: &TestDns, view: &DomainView) {
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
    for kind in [
        RecordKind::Key001,
        RecordKind::Key002,
        RecordKind::Dmarc,
        RecordKind::Ownership,
    ] {
        dns.set(&kind.host(domain), &[txt(&value(view, kind))])
            .await;
    }
}
