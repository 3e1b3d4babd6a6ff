//! Checks against a real authoritative DNS server (Knot, started by scripts/test.sh) with records
//! each test publishes by DNS UPDATE: every finding the engine can report, asserted.

#![allow(clippy::unwrap_used)]

mod support;

use std::sync::OnceLock;
use std::time::Duration;

use postkamer_domain::sending::{DomainReport, Finding, RecordCheck, RecordKind, Selector};
use postkamer_domainauth::{
    CheckConfig, DkimKeyPair, DnsConfig, Expected, ExpectedKeys, check_domain,
};
use support::dns::{Rr, TOKEN, TestDns};

#[path = "dns/dkim_keys.rs"]
mod dkim_keys;
#[path = "dns/domain.rs"]
mod domain;
#[path = "dns/signing.rs"]
mod signing;
#[path = "dns/spf.rs"]
mod spf;

fn keys() -> &'static (DkimKeyPair, DkimKeyPair) {
    static KEYS: OnceLock<(DkimKeyPair, DkimKeyPair)> = OnceLock::new();
    KEYS.get_or_init(|| {
        (
            DkimKeyPair::generate().unwrap(),
            DkimKeyPair::generate().unwrap(),
        )
    })
}

/// The keys and the organisation token a good domain publishes.
fn expected() -> Expected<'static> {
    static EXPECTED: OnceLock<ExpectedKeys> = OnceLock::new();
    let keys = EXPECTED.get_or_init(|| {
        let (k1, k2) = keys();
        ExpectedKeys {
            key001: k1.public_key_b64().to_owned(),
            key002: k2.public_key_b64().to_owned(),
        }
    });
    Expected {
        keys,
        token: Some(TOKEN),
    }
}

fn config(dns: &TestDns) -> CheckConfig {
    CheckConfig {
        dns: DnsConfig {
            servers: vec![dns.server],
            timeout: Duration::from_secs(2),
        },
        spf_include: dns.spf_include(),
        envelope_domain: None,
    }
}

async fn check(dns: &TestDns, domain: &str) -> DomainReport {
    check_domain(&config(dns), domain, expected(), 1_800_000_000).await
}

fn row(report: &DomainReport, kind: RecordKind) -> &RecordCheck {
    report.record(kind).expect("every row is present")
}

fn codes(check: &RecordCheck) -> Vec<String> {
    check.findings.iter().map(Finding::code).collect()
}

/// A domain with every record right: MX, SPF with our include, both keys, a strict DMARC.
async fn good_domain(dns: &TestDns, tag: &str) -> String {
    let domain = dns.domain(tag);
    let (k1, k2) = keys();
    dns.publish_good_domain(&domain, &k1.dns_record(), &k2.dns_record())
        .await;
    domain
}

async fn set_key(dns: &TestDns, domain: &str, selector: Selector, records: &[Rr]) {
    dns.set(&format!("{selector}._domainkey.{domain}"), records)
        .await;
}

async fn dkim(dns: &TestDns, domain: &str, selector: Selector) -> RecordCheck {
    row(&check(dns, domain).await, RecordKind::dkim(selector)).clone()
}
