//! DMARC, a domain that does not exist, the organisation's token, and an unreachable DNS server.

use std::time::Duration;

use crate::support::dns::{TOKEN, TestDns, txt};
use crate::{check, codes, config, expected, good_domain, row};
use postkamer_domain::sending::{Finding, RecordKind, Selector, Status};
use postkamer_domainauth::{Expected, check_domain, records_to_publish};

#[tokio::test]
async fn dmarc_missing_policy_none_and_several_records() {
    let dns = TestDns::from_env();
    let domain = good_domain(&dns, "dmarc").await;
    let host = format!("_dmarc.{domain}");
    dns.set(&host, &[]).await;
    let report = check(&dns, &domain).await;
    let dmarc = row(&report, RecordKind::Dmarc);
    assert_eq!(
        dmarc.findings,
        vec![Finding::DmarcMissing {
            proposal: format!("v=DMARC1; p=quarantine; rua=mailto:dmarc@{domain}")
        }]
    );
    assert_eq!(dmarc.status, Status::Warning);
    // DMARC is advice: the domain's keys still verify.
    assert!(report.dkim_verified(Selector::Key001));

    dns.set(
        &host,
        &[txt(&format!("v=DMARC1; p=none; rua=mailto:dmarc@{domain}"))],
    )
    .await;
    let dmarc = row(&check(&dns, &domain).await, RecordKind::Dmarc).clone();
    assert_eq!(
        dmarc.findings,
        vec![Finding::DmarcPolicyNone {
            proposal: format!("v=DMARC1; p=quarantine; rua=mailto:dmarc@{domain}")
        }]
    );

    dns.set(&host, &[txt("v=DMARC1; p=reject"), txt("v=DMARC1; p=none")])
        .await;
    let dmarc = row(&check(&dns, &domain).await, RecordKind::Dmarc).clone();
    assert_eq!(dmarc.findings, vec![Finding::DmarcMultiple { count: 2 }]);
    assert_eq!(dmarc.status, Status::Error);
}

#[tokio::test]
async fn a_domain_that_does_not_exist() {
    let dns = TestDns::from_env();
    let domain = dns.domain("bestaatniet");
    let report = check(&dns, &domain).await;
    assert_eq!(report.findings, vec![Finding::DomainMissing]);
    assert_eq!(report.status(), Status::Error);
    assert_eq!(codes(row(&report, RecordKind::Spf)), vec!["spf_missing"]);
    assert_eq!(
        codes(row(&report, RecordKind::Key001)),
        vec!["dkim_missing"]
    );
    let explanation = report.findings[0].explain(postkamer_domain::Locale::Nl);
    assert!(explanation.text.contains("bestaat niet"), "{explanation:?}");
}

#[tokio::test]
async fn the_organisations_token_proves_the_domain_among_other_records() {
    let dns = TestDns::from_env();
    let domain = good_domain(&dns, "token").await;
    let host = RecordKind::Ownership.host(&domain);
    assert_eq!(host, format!("_postkamer.{domain}"));
    let ours = format!("postkamer-verification={TOKEN}");

    // Every DKIM, SPF and DMARC record right, but no token: the domain is not proven ours.
    dns.set(&host, &[]).await;
    let report = check(&dns, &domain).await;
    assert!(report.dkim_verified(Selector::Key001) && report.dkim_verified(Selector::Key002));
    assert!(!report.ownership_verified());
    let row_ = row(&report, RecordKind::Ownership);
    assert_eq!(
        row_.findings,
        vec![Finding::OwnershipMissing {
            proposal: ours.clone()
        }]
    );
    let publish = records_to_publish(&domain, &dns.spf_include(), expected(), Some(&report));
    let token_row = publish
        .iter()
        .find(|p| p.kind == RecordKind::Ownership)
        .unwrap();
    assert_eq!(
        (token_row.relative_host.as_str(), token_row.value.as_str()),
        ("_postkamer", ours.as_str())
    );

    // Another organisation's token only: named as such.
    dns.set(
        &host,
        &[txt(
            "postkamer-verification=ffffffffffffffffffffffffffffffff",
        )],
    )
    .await;
    let report = check(&dns, &domain).await;
    assert_eq!(
        codes(row(&report, RecordKind::Ownership)),
        vec!["ownership_other"]
    );
    assert_eq!(report.status(), Status::Error);

    // Ours next to theirs (a move between organisations) and a provider's note: verified.
    dns.set(
        &host,
        &[
            txt("postkamer-verification=ffffffffffffffffffffffffffffffff"),
            txt(&ours),
            txt("some-provider-note"),
        ],
    )
    .await;
    let report = check(&dns, &domain).await;
    assert!(report.ownership_verified(), "{report:#?}");
    assert_eq!(row(&report, RecordKind::Ownership).found.len(), 3);

    // Without an organisation (the CLI without a database) there is no token row.
    let keys = expected().keys;
    let none = Expected { keys, token: None };
    let report = check_domain(&config(&dns), &domain, none, 0).await;
    assert!(report.record(RecordKind::Ownership).is_none());
    assert_eq!(report.status(), Status::Ok);
    let publish = records_to_publish(&domain, &dns.spf_include(), none, Some(&report));
    assert_eq!(publish.len(), 4);
}

#[tokio::test]
async fn an_unreachable_dns_server_means_could_not_check_not_wrong() {
    let dns = TestDns::from_env();
    let domain = good_domain(&dns, "unreachable").await;
    // A port with nothing listening.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let mut config = config(&dns);
    config.dns.servers = vec![closed];
    config.dns.timeout = Duration::from_millis(300);
    let report = check_domain(&config, &domain, expected(), 0).await;
    assert_eq!(report.status(), Status::Unknown);
    assert!(!report.complete());
    for record in &report.records {
        assert_eq!(record.status, Status::Unknown, "{record:#?}");
        assert!(
            matches!(record.findings.as_slice(), [Finding::DnsUnavailable { .. }]),
            "{record:#?}"
        );
    }
    assert!(!report.dkim_verified(Selector::Key001));
    let text = report.records[0].findings[0]
        .explain(postkamer_domain::Locale::Nl)
        .text;
    assert!(text.starts_with("Kon niet controleren"), "{text}");
}
