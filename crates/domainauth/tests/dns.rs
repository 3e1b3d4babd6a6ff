//! Checks against a real authoritative DNS server (Knot, started by scripts/test.sh) with records
//! each test publishes by DNS UPDATE: every finding the engine can report, asserted.

#![allow(clippy::unwrap_used)]

mod support;

use std::sync::OnceLock;
use std::time::Duration;

use postkamer_domain::sending::{
    DkimDamage, DomainReport, Finding, RecordCheck, RecordKind, Selector, Status,
};
use postkamer_domainauth::{
    CheckConfig, DkimKeyPair, DnsConfig, Expected, ExpectedKeys, check_domain, records_to_publish,
};
use support::dns::{Rr, TOKEN, TestDns, txt};

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

#[tokio::test]
async fn a_domain_set_up_right_has_no_findings_at_all() {
    let dns = TestDns::from_env();
    let domain = good_domain(&dns, "good").await;
    let report = check(&dns, &domain).await;
    assert_eq!(report.status(), Status::Ok, "{report:#?}");
    assert_eq!(report.problems(), 0);
    assert!(report.findings.is_empty());
    assert_eq!(report.mx, vec![format!("mx.{domain}")]);
    for record in &report.records {
        assert_eq!(record.status, Status::Ok, "{record:#?}");
        assert!(record.findings.is_empty(), "{record:#?}");
    }
    assert!(report.dkim_verified(Selector::Key001) && report.dkim_verified(Selector::Key002));
    let spf = row(&report, RecordKind::Spf);
    assert_eq!(
        spf.found,
        vec![format!("v=spf1 mx include:{} -all", dns.spf_include())]
    );
    let tree = spf.lookup_tree.as_ref().unwrap();
    assert_eq!(tree.lookups, 2, "mx and our include: {tree:#?}");
}

#[tokio::test]
async fn no_spf_record_gets_the_help_text_record_which_then_passes() {
    let dns = TestDns::from_env();
    let domain = good_domain(&dns, "nospf").await;
    dns.set(&domain, &[Rr::Mx(format!("mx.{domain}"))]).await;
    let spf = row(&check(&dns, &domain).await, RecordKind::Spf).clone();
    assert_eq!(spf.status, Status::Error);
    let proposal = format!("v=spf1 include:{} -all", dns.spf_include());
    assert_eq!(
        spf.findings,
        vec![Finding::SpfMissing {
            proposal: proposal.clone()
        }]
    );

    dns.set(&domain, &[Rr::Mx(format!("mx.{domain}")), txt(&proposal)])
        .await;
    let spf = row(&check(&dns, &domain).await, RecordKind::Spf).clone();
    assert!(spf.findings.is_empty(), "{spf:#?}");
}

#[tokio::test]
async fn two_spf_records_are_merged_and_the_merge_passes() {
    let dns = TestDns::from_env();
    let domain = good_domain(&dns, "twospf").await;
    let include = dns.spf_include();
    dns.set(
        &domain,
        &[
            Rr::Mx(format!("mx.{domain}")),
            txt("v=spf1 ip4:192.0.2.10 mx -all"),
            txt("v=spf1 ip4:198.51.100.0/24 ~all"),
        ],
    )
    .await;
    let report = check(&dns, &domain).await;
    let spf = row(&report, RecordKind::Spf);
    assert_eq!(spf.status, Status::Error);
    assert_eq!(spf.found.len(), 2);
    let [Finding::SpfMultiple { count: 2, merged }] = spf.findings.as_slice() else {
        panic!("{spf:#?}");
    };
    assert_eq!(
        merged,
        &format!("v=spf1 ip4:192.0.2.10 mx ip4:198.51.100.0/24 include:{include} -all")
    );
    // The value to publish is the merge.
    let publish = records_to_publish(&domain, &include, expected(), Some(&report));
    assert_eq!(&publish[0].value, merged);

    dns.set(&domain, &[Rr::Mx(format!("mx.{domain}")), txt(merged)])
        .await;
    let spf = row(&check(&dns, &domain).await, RecordKind::Spf).clone();
    assert!(spf.findings.is_empty(), "{spf:#?}");
}

#[tokio::test]
async fn a_missing_include_is_inserted_before_all_keeping_every_other_term() {
    let dns = TestDns::from_env();
    let domain = good_domain(&dns, "noinclude").await;
    let include = dns.spf_include();
    dns.set(
        &domain,
        &[
            Rr::Mx(format!("mx.{domain}")),
            txt("v=spf1 mx ip4:192.0.2.0/28 ~all"),
        ],
    )
    .await;
    let spf = row(&check(&dns, &domain).await, RecordKind::Spf).clone();
    let proposal = format!("v=spf1 mx ip4:192.0.2.0/28 include:{include} ~all");
    assert_eq!(
        spf.findings,
        vec![Finding::SpfIncludeMissing {
            include: include.clone(),
            proposal: proposal.clone()
        }]
    );
    dns.set(&domain, &[Rr::Mx(format!("mx.{domain}")), txt(&proposal)])
        .await;
    assert!(
        row(&check(&dns, &domain).await, RecordKind::Spf)
            .findings
            .is_empty()
    );
}

#[tokio::test]
async fn an_include_after_all_is_never_reached() {
    let dns = TestDns::from_env();
    let domain = good_domain(&dns, "afterall").await;
    let include = dns.spf_include();
    dns.set(
        &domain,
        &[
            Rr::Mx(format!("mx.{domain}")),
            txt(&format!("v=spf1 mx -all include:{include}")),
        ],
    )
    .await;
    let spf = row(&check(&dns, &domain).await, RecordKind::Spf).clone();
    let proposal = format!("v=spf1 mx include:{include} -all");
    assert_eq!(
        spf.findings,
        vec![Finding::SpfIncludeAfterAll {
            include,
            proposal: proposal.clone()
        }]
    );
    dns.set(&domain, &[Rr::Mx(format!("mx.{domain}")), txt(&proposal)])
        .await;
    assert!(
        row(&check(&dns, &domain).await, RecordKind::Spf)
            .findings
            .is_empty()
    );
}

#[tokio::test]
async fn pass_all_neutral_all_no_all_ptr_and_redirect() {
    let dns = TestDns::from_env();
    let include = dns.spf_include();
    let domain = good_domain(&dns, "plusall").await;
    let cases = [
        (
            format!("v=spf1 include:{include} +all"),
            vec!["spf_pass_all"],
            Status::Error,
        ),
        (
            format!("v=spf1 include:{include} ?all"),
            vec!["spf_neutral_all"],
            Status::Warning,
        ),
        (
            format!("v=spf1 include:{include}"),
            vec!["spf_no_all"],
            Status::Warning,
        ),
        (
            format!("v=spf1 ptr include:{include} -all"),
            vec!["spf_ptr"],
            Status::Warning,
        ),
    ];
    for (record, expected_codes, status) in cases {
        dns.set(&domain, &[Rr::Mx(format!("mx.{domain}")), txt(&record)])
            .await;
        let spf = row(&check(&dns, &domain).await, RecordKind::Spf).clone();
        assert_eq!(codes(&spf), expected_codes, "{record}");
        assert_eq!(spf.status, status, "{record}");
    }
    // A redirect to a record holding our include: fine, with a note.
    let target = format!("_spf.{domain}");
    dns.set(&target, &[txt(&format!("v=spf1 include:{include} -all"))])
        .await;
    dns.set(
        &domain,
        &[
            Rr::Mx(format!("mx.{domain}")),
            txt(&format!("v=spf1 redirect={target}")),
        ],
    )
    .await;
    let spf = row(&check(&dns, &domain).await, RecordKind::Spf).clone();
    assert_eq!(
        spf.findings,
        vec![Finding::SpfRedirect {
            target: target.clone()
        }]
    );
    assert_eq!(spf.status, Status::Ok);
    assert_eq!(spf.lookup_tree.unwrap().lookups, 2);
}

#[tokio::test]
async fn eleven_lookups_through_nested_includes_are_counted_and_shown_as_a_tree() {
    let dns = TestDns::from_env();
    let domain = good_domain(&dns, "lookups").await;
    let include = dns.spf_include();
    // include:a (1) + a: mx a include:b (3) + b: a a include:c (3) + c: a a a (3) + ours (1) = 11
    let a = dns.publish_lookup_chain(&domain).await;
    let (b, c) = (format!("b.{domain}"), format!("c.{domain}"));
    dns.set(
        &domain,
        &[
            Rr::Mx(format!("mx.{domain}")),
            txt(&format!("v=spf1 include:{a} include:{include} -all")),
        ],
    )
    .await;
    let spf = row(&check(&dns, &domain).await, RecordKind::Spf).clone();
    assert_eq!(
        spf.findings,
        vec![Finding::SpfTooManyLookups { count: 11 }],
        "{spf:#?}"
    );
    assert_eq!(spf.status, Status::Error);
    let tree = spf.lookup_tree.unwrap();
    assert_eq!(tree.lookups, 11);
    assert_eq!(tree.children[0].term, format!("include:{a}"));
    assert_eq!(tree.children[0].lookups, 10);
    assert_eq!(tree.children[0].children[2].term, format!("include:{b}"));
    assert_eq!(tree.children[0].children[2].lookups, 7);
    assert_eq!(tree.children[1].lookups, 1);
    let lines = tree.lines();
    assert_eq!(lines[0], format!("{domain} (11)"));
    assert!(
        lines.contains(&format!("      include:{c} (4)")),
        "{lines:#?}"
    );
}

#[tokio::test]
async fn more_than_two_void_lookups_and_missing_targets() {
    let dns = TestDns::from_env();
    let domain = good_domain(&dns, "void").await;
    let include = dns.spf_include();
    dns.set(&domain, &[
        Rr::Mx(format!("mx.{domain}")),
        txt(&format!("v=spf1 a:gone1.{domain} mx:gone2.{domain} include:gone3.{domain} include:{include} -all")),
    ])
    .await;
    let spf = row(&check(&dns, &domain).await, RecordKind::Spf).clone();
    assert_eq!(
        spf.findings,
        vec![
            Finding::SpfTargetMissing {
                target: format!("gone3.{domain}")
            },
            Finding::SpfTooManyVoidLookups {
                count: 3,
                names: vec![
                    format!("gone1.{domain}"),
                    format!("gone2.{domain}"),
                    format!("gone3.{domain}")
                ],
            },
        ]
    );
}

#[tokio::test]
async fn a_syntax_error_names_the_offending_term() {
    let dns = TestDns::from_env();
    let domain = good_domain(&dns, "syntax").await;
    dns.set(
        &domain,
        &[
            Rr::Mx(format!("mx.{domain}")),
            txt(&format!(
                "v=spf1 mx ip4:192.0.2.256 include:{} -all",
                dns.spf_include()
            )),
        ],
    )
    .await;
    let spf = row(&check(&dns, &domain).await, RecordKind::Spf).clone();
    assert_eq!(
        spf.findings,
        vec![Finding::SpfSyntax {
            term: "ip4:192.0.2.256".into()
        }]
    );
}

#[tokio::test]
async fn correct_keys_published_whole_or_split_into_strings_correctly() {
    let dns = TestDns::from_env();
    let domain = good_domain(&dns, "keys").await;
    let (k1, _) = keys();
    // The good domain publishes each key split in 255-byte strings (a 2048-bit record needs two).
    let check = dkim(&dns, &domain, Selector::Key001).await;
    assert_eq!(check.status, Status::Ok);
    assert!(check.findings.is_empty(), "{check:#?}");
    // Split at other places (as some providers do): fine, with a note.
    let record = k1.dns_record();
    let (a, rest) = record.split_at(100);
    let (b, c) = rest.split_at(200);
    set_key(
        &dns,
        &domain,
        Selector::Key001,
        &[Rr::Txt(vec![a.into(), b.into(), c.into()])],
    )
    .await;
    let check = dkim(&dns, &domain, Selector::Key001).await;
    assert_eq!(check.findings, vec![Finding::DkimSplitOk { strings: 3 }]);
    assert_eq!(check.status, Status::Ok);
    // Whitespace between tags, which the standard allows: fine, with a note.
    let spaced = record.replace(";", "; ");
    set_key(&dns, &domain, Selector::Key001, &[txt(&spaced)]).await;
    let check = dkim(&dns, &domain, Selector::Key001).await;
    assert!(
        check.findings.contains(&Finding::DkimWhitespaceAllowed),
        "{check:#?}"
    );
    assert_eq!(check.status, Status::Ok);
}

#[tokio::test]
async fn damaged_keys_name_the_kind_of_damage() {
    let dns = TestDns::from_env();
    let domain = good_domain(&dns, "damage").await;
    let (k1, k2) = keys();
    let record = k1.dns_record();
    let key = k1.public_key_b64();
    let expected_len = key.len();
    let cases: Vec<(&str, Vec<Rr>, Vec<Finding>, Status)> = vec![
        (
            "truncated",
            vec![txt(&record[..record.len() - 20])],
            vec![Finding::DkimMismatch {
                damage: DkimDamage::Truncated,
                position: expected_len - 20,
                expected_len,
                found_len: expected_len - 20,
            }],
            Status::Error,
        ),
        (
            "extra characters at the end",
            vec![txt(&format!("{record}xyz"))],
            vec![Finding::DkimMismatch {
                damage: DkimDamage::ExtraAtEnd,
                position: expected_len,
                expected_len,
                found_len: expected_len + 3,
            }],
            Status::Error,
        ),
        (
            "a changed character",
            vec![txt(&record
                .replacen(&key[40..41], if &key[40..41] == "A" { "B" } else { "A" }, 1)
                .to_string())],
            vec![],
            Status::Error,
        ),
        (
            "spaces inside p=",
            vec![txt(&format!("{} {}", &record[..150], &record[150..]))],
            vec![Finding::DkimSpacesInKey],
            Status::Warning,
        ),
        (
            "a line break inside p=",
            vec![txt(&format!("{}\n{}", &record[..150], &record[150..]))],
            vec![Finding::DkimLineBreak],
            Status::Error,
        ),
        (
            "quotes pasted in",
            vec![txt(&format!("\"{}\"", record))],
            vec![Finding::DkimQuotes],
            Status::Error,
        ),
        (
            "split into strings with spaces at the seams",
            vec![Rr::Txt(vec![
                format!("{} ", &record[..200]),
                record[200..].to_string(),
            ])],
            vec![Finding::DkimSplitSeams { strings: 2 }],
            Status::Error,
        ),
        (
            "split into separate records",
            vec![txt(&record[..200]), txt(&record[200..])],
            vec![Finding::DkimSplitRecords { count: 2 }],
            Status::Error,
        ),
        (
            "testing flag",
            vec![txt(&format!("{record};t=y"))],
            vec![Finding::DkimTesting],
            Status::Warning,
        ),
        (
            "revoked",
            vec![txt("v=DKIM1;h=sha256;k=rsa;p=")],
            vec![Finding::DkimRevoked],
            Status::Error,
        ),
        (
            "wrong key type and hash",
            vec![txt(&record
                .replace("k=rsa", "k=ed25519")
                .replace("h=sha256", "h=sha1"))],
            vec![
                Finding::DkimWrongKeyType {
                    found: "ed25519".into(),
                },
                Finding::DkimWrongHash {
                    found: "sha1".into(),
                },
            ],
            Status::Error,
        ),
        (
            "the other selector's key",
            vec![txt(&k2.dns_record())],
            vec![Finding::DkimMismatch {
                damage: DkimDamage::OtherKey,
                position: 0,
                expected_len,
                found_len: k2.public_key_b64().len(),
            }],
            Status::Error,
        ),
        (
            "a record that is not DKIM",
            vec![txt("hallo wereld")],
            vec![Finding::DkimSyntax {
                detail: "\"hallo wereld\" is geen tag=waarde".into(),
            }],
            Status::Error,
        ),
    ];
    for (what, records, findings, status) in cases {
        set_key(&dns, &domain, Selector::Key001, &records).await;
        let check = dkim(&dns, &domain, Selector::Key001).await;
        if what == "a changed character" {
            let [
                Finding::DkimMismatch {
                    damage: DkimDamage::Changed,
                    position,
                    ..
                },
            ] = check.findings.as_slice()
            else {
                panic!("{what}: {check:#?}");
            };
            assert!(*position <= 40, "{what}: {position}");
        } else {
            // Position of "other key" is wherever the two keys first differ.
            let normalise = |f: &Finding| match f {
                Finding::DkimMismatch {
                    damage: DkimDamage::OtherKey,
                    expected_len,
                    found_len,
                    ..
                } => Finding::DkimMismatch {
                    damage: DkimDamage::OtherKey,
                    position: 0,
                    expected_len: *expected_len,
                    found_len: *found_len,
                },
                other => other.clone(),
            };
            let got: Vec<Finding> = check.findings.iter().map(normalise).collect();
            assert_eq!(got, findings, "{what}");
        }
        assert_eq!(check.status, status, "{what}");
        assert!(!check.found.is_empty(), "{what}: what was found is shown");
        // The other selector is untouched.
        assert!(check_other_selector_fine(&dns, &domain).await, "{what}");
    }
}

async fn check_other_selector_fine(dns: &TestDns, domain: &str) -> bool {
    check(dns, domain).await.dkim_verified(Selector::Key002)
}

#[tokio::test]
async fn a_key_shorter_than_1024_bits_is_refused() {
    let dns = TestDns::from_env();
    let domain = good_domain(&dns, "short").await;
    let short = rsa::RsaPrivateKey::new(&mut rsa::rand_core::OsRng, 512).unwrap();
    let spki =
        rsa::pkcs8::EncodePublicKey::to_public_key_der(&rsa::RsaPublicKey::from(&short)).unwrap();
    let p = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, spki.as_bytes());
    set_key(
        &dns,
        &domain,
        Selector::Key002,
        &[txt(&format!("v=DKIM1;h=sha256;k=rsa;p={p}"))],
    )
    .await;
    let check = dkim(&dns, &domain, Selector::Key002).await;
    assert_eq!(check.findings, vec![Finding::DkimKeyTooShort { bits: 512 }]);
}

#[tokio::test]
async fn missing_keys_and_cnames() {
    let dns = TestDns::from_env();
    let domain = good_domain(&dns, "cname").await;
    let (k1, _) = keys();
    set_key(&dns, &domain, Selector::Key001, &[]).await;
    let check = dkim(&dns, &domain, Selector::Key001).await;
    assert_eq!(check.findings, vec![Finding::DkimMissing]);
    assert_eq!(check.status, Status::Error);
    assert!(check.found.is_empty());

    // A CNAME to a name holding something else.
    let elsewhere = format!("dkim.elders.{domain}");
    dns.set(
        &elsewhere,
        &[txt(
            "v=DKIM1;k=rsa;p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQ",
        )],
    )
    .await;
    set_key(
        &dns,
        &domain,
        Selector::Key001,
        &[Rr::Cname(elsewhere.clone())],
    )
    .await;
    let check = dkim(&dns, &domain, Selector::Key001).await;
    assert_eq!(
        check.findings[0],
        Finding::DkimCname {
            target: elsewhere.clone()
        },
        "{check:#?}"
    );
    assert_eq!(check.status, Status::Error);

    // A CNAME to a name that does not exist.
    set_key(
        &dns,
        &domain,
        Selector::Key001,
        &[Rr::Cname(format!("nergens.{domain}"))],
    )
    .await;
    let check = dkim(&dns, &domain, Selector::Key001).await;
    assert_eq!(
        check.findings,
        vec![Finding::DkimCname {
            target: format!("nergens.{domain}")
        }],
        "{check:#?}"
    );

    // A CNAME to a name that holds our key: fine, with a note.
    let delegated = format!("key001.sleutels.{domain}");
    dns.set(&delegated, &[txt(&k1.dns_record())]).await;
    set_key(
        &dns,
        &domain,
        Selector::Key001,
        &[Rr::Cname(delegated.clone())],
    )
    .await;
    let check = dkim(&dns, &domain, Selector::Key001).await;
    assert_eq!(
        check.findings,
        vec![Finding::DkimViaCname { target: delegated }]
    );
    assert_eq!(check.status, Status::Ok);
}

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

#[tokio::test]
async fn a_message_signed_with_our_key_verifies_against_the_published_record() {
    use mail_auth::common::crypto::{RsaKey, Sha256};
    use mail_auth::common::headers::HeaderWriter;
    use mail_auth::dkim::DkimSigner;
    use mail_auth::hickory_resolver::config::{
        ConnectionConfig, NameServerConfig, ResolverConfig, ResolverOpts,
    };
    use mail_auth::{AuthenticatedMessage, DkimResult, MessageAuthenticator};

    let dns = TestDns::from_env();
    let domain = good_domain(&dns, "signed").await;
    let (k1, _) = keys();
    let message = format!(
        "From: Jan <jan@{domain}>\r\nTo: klant@example.nl\r\nSubject: Offerte\r\n\r\nGoedemiddag,\r\n"
    );
    let key: RsaKey<Sha256> = k1.signing_key().unwrap();
    let signature = DkimSigner::from_key(key)
        .domain(domain.clone())
        .selector("key001")
        .headers(["From", "To", "Subject"])
        .sign(message.as_bytes())
        .unwrap();
    let signed = format!("{}{message}", signature.to_header());

    let mut resolver = ResolverConfig::default();
    let connections = [ConnectionConfig::udp(), ConnectionConfig::tcp()]
        .into_iter()
        .map(|mut c| {
            c.port = dns.server.port();
            c
        })
        .collect();
    resolver.add_name_server(NameServerConfig::new(dns.server.ip(), true, connections));
    let authenticator = MessageAuthenticator::new(resolver, ResolverOpts::default()).unwrap();
    let parsed = AuthenticatedMessage::parse(signed.as_bytes()).unwrap();
    let results = authenticator.verify_dkim(&parsed).await;
    assert_eq!(results.len(), 1);
    assert_eq!(results[0].result(), &DkimResult::Pass);
}
