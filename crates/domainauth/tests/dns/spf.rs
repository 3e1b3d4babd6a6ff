//! SPF: a good domain, missing, merged and misplaced includes, every `all`, lookup limits,
//! syntax errors.

use crate::support::dns::{Rr, TestDns, txt};
use crate::{check, codes, expected, good_domain, row};
use postkamer_domain::sending::{Finding, RecordKind, Selector, Status};
use postkamer_domainauth::records_to_publish;

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
