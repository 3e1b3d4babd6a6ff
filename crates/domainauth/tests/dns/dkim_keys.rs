//! DKIM keys: published whole or split, damaged, too short, missing or behind CNAMEs, and a
//! message signed with our key.

use crate::support::dns::{Rr, TestDns, txt};
use crate::{check, dkim, good_domain, keys, set_key};
use postkamer_domain::sending::{DkimDamage, Finding, Selector, Status};

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
