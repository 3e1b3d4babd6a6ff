//! DMARC (RFC 7489) at `_dmarc.<domain>`: present once, valid (mail-auth's parser), and advice:
//! a policy that protects, reports, the whole mail stream, subdomains, and whether SPF aligns.

use mail_auth::common::parse::TxtRecordParser;
use mail_auth::dmarc::{Alignment, Dmarc, Policy};
use postkamer_domain::sending::{Finding, RecordCheck, RecordKind};

use crate::dns::Dns;
use crate::txt::{display, joined};

/// Checks `_dmarc.<domain>`. `envelope_domain` is the domain of the envelope sender (Return-Path)
/// our sending uses, `None` when it is the sender's own domain.
pub async fn check(dns: &Dns, domain: &str, envelope_domain: Option<&str>) -> RecordCheck {
    let host = RecordKind::Dmarc.host(domain);
    let (found, findings) = match dns.txt(&host).await {
        Err(e) => (Vec::new(), vec![Finding::DnsUnavailable { detail: e.0 }]),
        Ok(answer) => {
            let records: Vec<_> = answer
                .found()
                .unwrap_or_default()
                .into_iter()
                .filter(|r| {
                    joined(r)
                        .trim_start()
                        .get(..8)
                        .is_some_and(|v| v.eq_ignore_ascii_case("v=DMARC1"))
                })
                .collect();
            let texts: Vec<String> = records.iter().map(joined).collect();
            (
                records.iter().map(display).collect(),
                diagnose(&texts, domain, envelope_domain),
            )
        }
    };
    RecordCheck {
        kind: RecordKind::Dmarc,
        host,
        found,
        status: RecordCheck::status_of(&findings),
        findings,
        lookup_tree: None,
    }
}

/// The findings for the DMARC records (texts starting with `v=DMARC1`) of `domain`.
pub fn diagnose(records: &[String], domain: &str, envelope_domain: Option<&str>) -> Vec<Finding> {
    let record = match records {
        [] => {
            return vec![Finding::DmarcMissing {
                proposal: format!("v=DMARC1; p=quarantine; rua=mailto:dmarc@{domain}"),
            }];
        }
        [one] => one.trim(),
        several => {
            return vec![Finding::DmarcMultiple {
                count: several.len(),
            }];
        }
    };
    let dmarc = match Dmarc::parse(record.as_bytes()) {
        Ok(dmarc) => dmarc,
        Err(_) => {
            return vec![Finding::DmarcSyntax {
                detail: invalid_tag(record),
            }];
        }
    };
    if dmarc.p == Policy::Unspecified {
        return vec![Finding::DmarcSyntax {
            detail: "de verplichte tag p= (het beleid) ontbreekt".into(),
        }];
    }
    let mut findings = Vec::new();
    if dmarc.p == Policy::None {
        findings.push(Finding::DmarcPolicyNone {
            proposal: with_policy(record, "quarantine"),
        });
    }
    if dmarc.rua.is_empty() {
        findings.push(Finding::DmarcNoRua);
    }
    if let Some(pct) = tag(record, "pct").and_then(|v| v.parse::<u8>().ok())
        && pct < 100
    {
        findings.push(Finding::DmarcPct { pct });
    }
    if dmarc.sp == Policy::None && dmarc.p != Policy::None {
        findings.push(Finding::DmarcSubdomainNone);
    }
    if let Some(envelope) = envelope_domain
        && !aligned(envelope, domain, dmarc.aspf)
    {
        findings.push(Finding::DmarcSpfNotAligned {
            envelope_domain: envelope.to_owned(),
        });
    }
    findings
}

/// Identifier alignment. Relaxed alignment compares organisational domains; without the public
/// suffix list we take "one is the other or a subdomain of it", which is right for every
/// domain a customer of ours sends from and errs on the side of "not aligned".
fn aligned(envelope: &str, domain: &str, mode: Alignment) -> bool {
    let (a, b) = (envelope.to_ascii_lowercase(), domain.to_ascii_lowercase());
    match mode {
        Alignment::Strict => a == b,
        Alignment::Relaxed => {
            a == b || a.ends_with(&format!(".{b}")) || b.ends_with(&format!(".{a}"))
        }
    }
}

fn tag<'a>(record: &'a str, name: &str) -> Option<&'a str> {
    record.split(';').find_map(|part| {
        let (n, v) = part.split_once('=')?;
        n.trim().eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

fn with_policy(record: &str, policy: &str) -> String {
    record
        .split(';')
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .map(|part| match part.split_once('=') {
            Some((n, _)) if n.trim().eq_ignore_ascii_case("p") => format!("p={policy}"),
            _ => part.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Names the tag mail-auth refuses.
fn invalid_tag(record: &str) -> String {
    if !record.starts_with("v=DMARC1") {
        return "het record moet beginnen met precies v=DMARC1".into();
    }
    record
        .split(';')
        .skip(1)
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .find(|part| Dmarc::parse(format!("v=DMARC1; {part}").as_bytes()).is_err())
        .map(|part| format!("ongeldige tag \"{part}\""))
        .unwrap_or_else(|| "ongeldige opbouw".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advice_for_a_weak_record() {
        let findings = diagnose(
            &["v=DMARC1; p=none; pct=50".into()],
            "pk.test",
            Some("bounces.elders.test"),
        );
        assert_eq!(
            findings,
            vec![
                Finding::DmarcPolicyNone {
                    proposal: "v=DMARC1; p=quarantine; pct=50".into()
                },
                Finding::DmarcNoRua,
                Finding::DmarcPct { pct: 50 },
                Finding::DmarcSpfNotAligned {
                    envelope_domain: "bounces.elders.test".into()
                },
            ]
        );
    }

    #[test]
    fn a_good_record_has_no_findings_and_subdomain_policy_is_checked() {
        let good = "v=DMARC1; p=reject; rua=mailto:d@pk.test";
        assert!(diagnose(&[good.into()], "pk.test", Some("mail.pk.test")).is_empty());
        let findings = diagnose(&[format!("{good}; sp=none")], "pk.test", None);
        assert_eq!(findings, vec![Finding::DmarcSubdomainNone]);
        let findings = diagnose(
            &[format!("{good}; aspf=s")],
            "pk.test",
            Some("mail.pk.test"),
        );
        assert!(matches!(findings[0], Finding::DmarcSpfNotAligned { .. }));
    }

    #[test]
    fn syntax_errors_name_the_tag() {
        let findings = diagnose(&["v=DMARC1; p=maybe".into()], "pk.test", None);
        assert_eq!(
            findings,
            vec![Finding::DmarcSyntax {
                detail: "ongeldige tag \"p=maybe\"".into()
            }]
        );
        let findings = diagnose(&["v=DMARC1; rua=mailto:d@pk.test".into()], "pk.test", None);
        assert!(matches!(findings[0], Finding::DmarcSyntax { .. }));
    }
}
