//! DKIM key records (RFC 6376 3.6.1) at `<selector>._domainkey.<domain>`, compared with the key we
//! sign with — and when they differ, what kind of damage it is: a truncated paste, extra or
//! changed characters, spaces or line breaks, quotes, a record split the wrong way.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use mail_auth::common::parse::TxtRecordParser;
use mail_auth::common::verify::DomainKey;
use postkamer_domain::sending::{DkimDamage, Finding, RecordCheck, RecordKind, Selector, Severity};

use crate::dns::{Dns, TxtRecord};
use crate::keys::public_key_bits;
use crate::txt::{display, joined};

/// Checks `selector` of `domain` against our public key (`p=` value, base64).
pub async fn check(dns: &Dns, domain: &str, selector: Selector, expected: &str) -> RecordCheck {
    let kind = RecordKind::dkim(selector);
    let host = kind.host(domain);
    let (cname, txt) = tokio::join!(dns.cname(&host), dns.txt(&host));
    let (found, findings) = match (cname, txt) {
        (Err(e), _) | (_, Err(e)) => (Vec::new(), vec![Finding::DnsUnavailable { detail: e.0 }]),
        (Ok(cname), Ok(answer)) => {
            let records = answer.found().unwrap_or_default();
            (
                records.iter().map(display).collect(),
                diagnose(&records, expected, cname.as_deref()),
            )
        }
    };
    RecordCheck {
        kind,
        host,
        found,
        status: RecordCheck::status_of(&findings),
        findings,
        lookup_tree: None,
    }
}

/// The findings for the TXT records found at a selector (after following a CNAME to `cname`).
pub fn diagnose(records: &[TxtRecord], expected: &str, cname: Option<&str>) -> Vec<Finding> {
    let mut findings = match records {
        [] => vec![match cname {
            Some(target) => Finding::DkimCname {
                target: target.to_owned(),
            },
            None => Finding::DkimMissing,
        }],
        [record] => diagnose_record(record, expected),
        several => diagnose_several(several, expected),
    };
    if let (Some(target), false) = (cname, records.is_empty()) {
        let broken = findings.iter().any(|f| f.severity() == Severity::Error);
        let target = target.to_owned();
        findings.insert(
            0,
            if broken {
                Finding::DkimCname { target }
            } else {
                Finding::DkimViaCname { target }
            },
        );
    }
    findings
}

fn diagnose_several(records: &[TxtRecord], expected: &str) -> Vec<Finding> {
    let texts: Vec<String> = records.iter().map(joined).collect();
    if texts.len() <= 4
        && permutations(texts.len()).any(|order| {
            let concatenated: String = order.iter().map(|&i| texts[i].as_str()).collect();
            key_of(&concatenated).as_deref() == Some(expected)
        })
    {
        return vec![Finding::DkimSplitRecords {
            count: records.len(),
        }];
    }
    let mut findings = vec![Finding::DkimMultiple {
        count: records.len(),
    }];
    let clean = records.iter().any(|r| {
        diagnose_record(r, expected)
            .iter()
            .all(|f| f.severity() < Severity::Error)
    });
    if !clean {
        // Explain the record that looks most like a key record.
        let best = records
            .iter()
            .find(|r| joined(r).contains("p="))
            .unwrap_or(&records[0]);
        findings.extend(diagnose_record(best, expected));
    }
    findings
}

/// The `p=` value of a record with all whitespace and quotes removed, if it has one.
fn key_of(text: &str) -> Option<String> {
    let text = text.replace('"', "");
    let tags = tags(&text).ok()?;
    let (_, value) = tags.into_iter().find(|(name, _)| name == "p")?;
    Some(value.chars().filter(|c| !c.is_whitespace()).collect())
}

fn diagnose_record(strings: &TxtRecord, expected: &str) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut text = joined(strings);
    let seams = strings.windows(2).any(|pair| {
        pair[0].last().is_some_and(u8::is_ascii_whitespace)
            || pair[1].first().is_some_and(u8::is_ascii_whitespace)
    });
    if text.contains('"') {
        findings.push(Finding::DkimQuotes);
        text = text.replace('"', "");
    }
    if text.contains(['\r', '\n']) {
        findings.push(Finding::DkimLineBreak);
    }
    let tags = match tags(&text) {
        Ok(tags) => tags,
        Err(detail) => {
            findings.push(Finding::DkimSyntax { detail });
            return findings;
        }
    };
    let tag = |name: &str| {
        tags.iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.trim().to_owned())
    };
    if let Some(position) = tags.iter().position(|(n, _)| n == "v")
        && (position != 0 || tag("v").as_deref() != Some("DKIM1"))
    {
        findings.push(Finding::DkimSyntax {
            detail: "v= moet DKIM1 zijn en vooraan staan".into(),
        });
    }
    if let Some(k) = tag("k").filter(|k| !k.eq_ignore_ascii_case("rsa")) {
        findings.push(Finding::DkimWrongKeyType { found: k });
    }
    if let Some(h) = tag("h").filter(|h| {
        !h.split(':')
            .any(|a| a.trim().eq_ignore_ascii_case("sha256"))
    }) {
        findings.push(Finding::DkimWrongHash { found: h });
    }
    if tag("t").is_some_and(|t| t.split(':').any(|flag| flag.trim() == "y")) {
        findings.push(Finding::DkimTesting);
    }
    let Some(raw_key) = tags.iter().find(|(n, _)| n == "p").map(|(_, v)| v.clone()) else {
        findings.push(Finding::DkimSyntax {
            detail: "de tag p= (de sleutel) ontbreekt".into(),
        });
        return findings;
    };
    let inner = raw_key.trim();
    if inner.is_empty() {
        findings.push(Finding::DkimRevoked);
        return findings;
    }
    if inner.contains([' ', '\t']) {
        findings.push(if seams {
            Finding::DkimSplitSeams {
                strings: strings.len(),
            }
        } else {
            Finding::DkimSpacesInKey
        });
    }
    let key: String = inner.chars().filter(|c| !c.is_whitespace()).collect();
    if key != expected {
        findings.push(mismatch(&key, expected));
    }
    if findings.iter().all(|f| f.severity() < Severity::Error)
        && let Err(e) = DomainKey::parse(text.as_bytes())
    {
        findings.push(Finding::DkimSyntax {
            detail: e.to_string(),
        });
    }
    if findings.is_empty() {
        // Split at 255 bytes is what every DNS provider does with a long value: not worth a note.
        let provider_split = strings[..strings.len() - 1].iter().all(|s| s.len() == 255);
        if strings.len() > 1 && !provider_split {
            findings.push(Finding::DkimSplitOk {
                strings: strings.len(),
            });
        }
        if text.contains(char::is_whitespace) {
            findings.push(Finding::DkimWhitespaceAllowed);
        }
    }
    findings
}

/// How a published key differs from ours.
fn mismatch(found: &str, expected: &str) -> Finding {
    let position = found
        .chars()
        .zip(expected.chars())
        .take_while(|(a, b)| a == b)
        .count();
    let bits = BASE64
        .decode(found)
        .ok()
        .and_then(|der| public_key_bits(&der));
    let damage = match bits {
        Some(bits) if bits < 1024 => return Finding::DkimKeyTooShort { bits },
        Some(_) => DkimDamage::OtherKey,
        None if expected.starts_with(found) => DkimDamage::Truncated,
        None if found.starts_with(expected) => DkimDamage::ExtraAtEnd,
        None => DkimDamage::Changed,
    };
    Finding::DkimMismatch {
        damage,
        position,
        expected_len: expected.len(),
        found_len: found.len(),
    }
}

/// A DKIM tag-list: `name=value` pairs separated by `;`, whitespace around them allowed.
fn tags(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut tags: Vec<(String, String)> = Vec::new();
    for part in text.split(';') {
        if part.trim().is_empty() {
            continue;
        }
        let Some((name, value)) = part.split_once('=') else {
            return Err(format!("\"{}\" is geen tag=waarde", part.trim()));
        };
        let name = name.trim();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(format!("\"{name}\" is geen geldige tagnaam"));
        }
        if tags.iter().any(|(n, _)| n == name) {
            return Err(format!("de tag {name}= staat er twee keer in"));
        }
        tags.push((name.to_owned(), value.to_owned()));
    }
    Ok(tags)
}

/// All orderings of `0..n` (n ≤ 4).
fn permutations(n: usize) -> impl Iterator<Item = Vec<usize>> {
    fn build(prefix: Vec<usize>, n: usize, out: &mut Vec<Vec<usize>>) {
        if prefix.len() == n {
            out.push(prefix);
            return;
        }
        for i in 0..n {
            if !prefix.contains(&i) {
                let mut next = prefix.clone();
                next.push(i);
                build(next, n, out);
            }
        }
    }
    let mut out = Vec::new();
    build(Vec::new(), n, &mut out);
    out.into_iter()
}
