//! Postkamer's domain authentication engine: checks a sending domain's SPF, DKIM (`key001`,
//! `key002`), DMARC and ownership (`_postkamer`) records against live DNS and explains every problem with its fix; holds
//! the DKIM key pairs. No HTTP or UI types: the resolver, the timeouts and the clock are
//! parameters, so tests point it at their own DNS server.

pub mod dkim;
pub mod dmarc;
pub mod dns;
mod keys;
pub mod ownership;
mod sign;
pub mod spf;
mod txt;

use postkamer_domain::sending::{
    DomainReport, Finding, PublishRecord, RecordCheck, RecordKind, Selector, Status,
    ownership_value,
};
use postkamer_domain::{Invalid, valid_domain};

pub use dns::DnsConfig;
pub use keys::{DkimKeyPair, KEY_BITS, KeyError, dns_record};
pub use sign::{SIGNED_HEADERS, SignError, sign};

/// What a check compares against.
#[derive(Debug, Clone)]
pub struct CheckConfig {
    pub dns: DnsConfig,
    /// Our SPF host: customers add `include:<spf_include>` (configuration `spf_include`).
    pub spf_include: String,
    /// The envelope sender's domain our sending uses, `None` when it is the customer's own.
    pub envelope_domain: Option<String>,
}

/// The public keys (`p=` values) a domain must publish, one per selector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpectedKeys {
    pub key001: String,
    pub key002: String,
}

/// What a domain must publish: the DKIM keys, and the verification token of the organisation
/// that asks (`None` when none does: the CLI without a database checks the rest only).
#[derive(Debug, Clone, Copy)]
pub struct Expected<'a> {
    pub keys: &'a ExpectedKeys,
    pub token: Option<&'a str>,
}

impl Expected<'_> {
    fn kinds(&self) -> &'static [RecordKind] {
        match self.token {
            Some(_) => &RecordKind::ALL,
            None => &RecordKind::AUTHENTICATION,
        }
    }
}

impl ExpectedKeys {
    pub fn get(&self, selector: Selector) -> &str {
        match selector {
            Selector::Key001 => &self.key001,
            Selector::Key002 => &self.key002,
        }
    }
}

/// A domain as typed (`Voorbeeld.NL.`, `@voorbeeld.nl`) in the form we store and ask DNS for.
pub fn normalise_domain(input: &str) -> Result<String, Invalid> {
    let domain = input
        .trim()
        .trim_start_matches('@')
        .trim_end_matches('.')
        .to_lowercase();
    if domain.is_empty() {
        return Err(Invalid::Required);
    }
    if !valid_domain(&domain) {
        return Err(Invalid::Domain);
    }
    Ok(domain)
}

/// Checks every record of `domain` at once. `now` (Unix milliseconds) is stamped on the report.
pub async fn check_domain(
    config: &CheckConfig,
    domain: &str,
    expected: Expected<'_>,
    now: i64,
) -> DomainReport {
    let dns = match dns::Dns::new(&config.dns) {
        Ok(dns) => dns,
        Err(e) => return unavailable(domain, expected, now, e.0),
    };
    let keys = expected.keys;
    let ownership = async {
        match expected.token {
            Some(token) => Some(ownership::check(&dns, domain, token).await),
            None => None,
        }
    };
    let (mx, spf, key001, key002, dmarc, ownership) = tokio::join!(
        dns.mx(domain),
        spf::check(&dns, domain, &config.spf_include),
        dkim::check(&dns, domain, Selector::Key001, &keys.key001),
        dkim::check(&dns, domain, Selector::Key002, &keys.key002),
        dmarc::check(&dns, domain, config.envelope_domain.as_deref()),
        ownership,
    );
    let (findings, mx) = match mx {
        Ok(dns::Answer::Found(hosts)) => (Vec::new(), hosts),
        Ok(dns::Answer::NoData) => (vec![Finding::NoMx], Vec::new()),
        Ok(dns::Answer::NxDomain) => (vec![Finding::DomainMissing], Vec::new()),
        Err(e) => (vec![Finding::DnsUnavailable { detail: e.0 }], Vec::new()),
    };
    DomainReport {
        domain: domain.to_owned(),
        checked_at: now,
        findings,
        mx,
        records: [spf, key001, key002, dmarc]
            .into_iter()
            .chain(ownership)
            .collect(),
    }
}

fn unavailable(domain: &str, expected: Expected<'_>, now: i64, detail: String) -> DomainReport {
    let finding = Finding::DnsUnavailable { detail };
    DomainReport {
        domain: domain.to_owned(),
        checked_at: now,
        findings: vec![finding.clone()],
        mx: Vec::new(),
        records: expected
            .kinds()
            .iter()
            .map(|&kind| RecordCheck {
                kind,
                host: kind.host(domain),
                found: Vec::new(),
                status: Status::Unknown,
                findings: vec![finding.clone()],
                lookup_tree: None,
            })
            .collect(),
    }
}

/// The exact records to publish for `domain`. SPF and DMARC take the latest check into account:
/// an existing SPF record is extended rather than replaced (the help text's "adjust your
/// existing record"), a correct one is shown as it is.
pub fn records_to_publish(
    domain: &str,
    spf_include: &str,
    expected: Expected<'_>,
    report: Option<&DomainReport>,
) -> Vec<PublishRecord> {
    let proposal = |kind: RecordKind| {
        let check = report?.record(kind)?;
        check
            .findings
            .iter()
            .find_map(|f| f.explain(postkamer_domain::Locale::Nl).value)
            .or_else(|| {
                (check.status == Status::Ok && check.found.len() == 1)
                    .then(|| check.found[0].clone())
            })
    };
    expected
        .kinds()
        .iter()
        .map(|&kind| {
            let value = match kind {
                RecordKind::Spf => proposal(kind).unwrap_or_else(|| spf::new_record(spf_include)),
                RecordKind::Dmarc => proposal(kind).unwrap_or_else(|| {
                    format!("v=DMARC1; p=quarantine; rua=mailto:dmarc@{domain}")
                }),
                RecordKind::Key001 | RecordKind::Key002 => {
                    let selector = kind.selector().unwrap_or(Selector::Key001);
                    dns_record(expected.keys.get(selector))
                }
                RecordKind::Ownership => ownership_value(expected.token.unwrap_or_default()),
            };
            PublishRecord {
                kind,
                record_type: "TXT".into(),
                host: kind.host(domain),
                relative_host: kind.relative_host().into(),
                value,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_are_normalised_or_refused() {
        assert_eq!(normalise_domain(" Voorbeeld.NL. ").unwrap(), "voorbeeld.nl");
        assert_eq!(normalise_domain("@demo-bv.nl").unwrap(), "demo-bv.nl");
        assert_eq!(normalise_domain(""), Err(Invalid::Required));
        assert_eq!(normalise_domain("geen domein"), Err(Invalid::Domain));
        assert_eq!(normalise_domain("localhost"), Err(Invalid::Domain));
    }
}
