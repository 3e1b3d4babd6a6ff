//! `postkamer domain check`: a domain's SPF, DKIM and DMARC findings as text for a terminal
//! (or JSON), like MX Toolbox for one domain.

use anyhow::Context as _;
use postkamer_domain::Locale;
use postkamer_domain::sending::{DomainReport, PublishRecord, Severity, Status};
use std::fmt::Write as _;

/// `postkamer domain check`: checks `domain` (against `dns` instead of the configured resolver
/// when given), prints the findings (or JSON) and returns the exit code.
///
/// The DKIM keys to compare with come from the key files of the configuration when both are
/// set (no database needed), else from the installation's database when it exists (it is not
/// created for a check).
pub async fn check(
    config: &crate::config::Config,
    domain: &str,
    dns: Option<&str>,
    json: bool,
    english: bool,
) -> anyhow::Result<i32> {
    use postkamer_domain::sending::Selector;
    let mut check = config.domains()?.check;
    if let Some(dns) = dns {
        check.dns.servers = crate::config::dns_servers(dns)?;
    }
    if let Err(invalid) = postkamer_core::domains::normalise_domain(domain) {
        let errors = postkamer_domain::ValidationErrors::single("domain", invalid);
        let message = errors.message_for("domain", Locale::Nl).unwrap_or_default();
        eprintln!("{domain}: {message}");
        return Ok(2);
    }
    let configured = config.dkim_keys()?;
    let public = |selector: Selector| {
        configured
            .iter()
            .find(|(s, _)| *s == selector)
            .map(|(_, key)| key.public_key_b64().to_owned())
    };
    let found = if let (Some(key001), Some(key002)) =
        (public(Selector::Key001), public(Selector::Key002))
    {
        let keys = postkamer_core::domains::ExpectedKeys { key001, key002 };
        postkamer_core::domains::inspect_domain_with_keys(domain, &check, &keys).await
    } else if let Some(store) = crate::database::open_existing(config).await? {
        store.migrate().await.context("migrating")?;
        let core = postkamer_core::Core::new(
            store,
            postkamer_core::CoreConfig {
                domains: config.domains()?,
                ..postkamer_core::CoreConfig::new(config.secret_key()?)
            },
        );
        core.ensure_dkim_keys(&configured).await?;
        core.inspect_domain(domain, &check).await
    } else {
        eprintln!(
            "{domain}: geen DKIM-sleutels om mee te vergelijken. Deze installatie heeft nog geen \
             database ({}) en dkim_key001_file / dkim_key002_file zijn niet ingesteld. Stel die \
             twee sleutelbestanden in, wijs database_url naar de database van de server, of \
             start de server eenmaal (die maakt de sleutels).",
            crate::config::redact_url(&config.database_url)
        );
        return Ok(2);
    };
    let (report, publish) = match found {
        Ok(found) => found,
        Err(postkamer_core::CoreError::Validation(errors)) => {
            let message = errors.message_for("domain", Locale::Nl).unwrap_or_default();
            eprintln!("{domain}: {message}");
            return Ok(2);
        }
        Err(err) => return Err(err.into()),
    };
    if json {
        let value = serde_json::json!({ "report": report, "publish": publish });
        println!("{}", serde_json::to_string_pretty(&value)?);
    } else {
        let locale = if english { Locale::En } else { Locale::Nl };
        print!("{}", render(&report, &publish, locale));
    }
    Ok(exit_code(&report))
}

/// The exit code for a report: 0 all fine (or advice only), 1 something is wrong, 2 could not
/// check.
pub fn exit_code(report: &DomainReport) -> i32 {
    match report.status() {
        Status::Ok | Status::Warning => 0,
        Status::Error => 1,
        Status::Unknown => 2,
    }
}

/// The report as readable text, each record with what to publish.
pub fn render(report: &DomainReport, publish: &[PublishRecord], locale: Locale) -> String {
    let nl = locale == Locale::Nl;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {} — {}",
        if nl { "Domein" } else { "Domain" },
        report.domain,
        report.status().label(locale)
    );
    if !report.mx.is_empty() {
        let _ = writeln!(out, "MX: {}", report.mx.join(", "));
    }
    for finding in &report.findings {
        write_finding(&mut out, finding, locale, "");
    }
    for record in &report.records {
        let _ = writeln!(
            out,
            "\n{} ({}) — {}",
            record.kind.label(locale),
            record.host,
            record.status.label(locale)
        );
        for found in &record.found {
            let _ = writeln!(out, "  {}: {found}", if nl { "Gevonden" } else { "Found" });
        }
        for finding in &record.findings {
            write_finding(&mut out, finding, locale, "  ");
        }
        if let Some(tree) = &record.lookup_tree {
            let _ = writeln!(
                out,
                "  {}:",
                if nl { "DNS-opzoekingen" } else { "DNS lookups" }
            );
            for line in tree.lines() {
                let _ = writeln!(out, "    {line}");
            }
        }
        if let Some(p) = publish.iter().find(|p| p.kind == record.kind) {
            let _ = writeln!(
                out,
                "  {}: TXT {} ({})\n    {}",
                if nl { "Publiceren" } else { "Publish" },
                p.relative_host,
                p.host,
                p.value
            );
        }
    }
    out
}

fn write_finding(
    out: &mut String,
    finding: &postkamer_domain::sending::Finding,
    locale: Locale,
    indent: &str,
) {
    let mark = match finding.severity() {
        Severity::Error => "✗",
        Severity::Warning => "!",
        Severity::Info => "i",
    };
    let e = finding.explain(locale);
    let _ = writeln!(out, "{indent}{mark} {}", e.text);
    if let Some(fix) = e.fix {
        let _ = writeln!(out, "{indent}  → {fix}");
    }
    if let Some(value) = e.value {
        let _ = writeln!(out, "{indent}    {value}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use postkamer_domain::sending::{Finding, RecordCheck, RecordKind};

    #[test]
    fn a_report_reads_as_findings_with_fixes_and_what_to_publish() {
        let report = DomainReport {
            domain: "voorbeeld.nl".into(),
            checked_at: 0,
            findings: vec![Finding::NoMx],
            mx: vec![],
            records: vec![RecordCheck {
                kind: RecordKind::Spf,
                host: "voorbeeld.nl".into(),
                found: vec![],
                status: Status::Error,
                findings: vec![Finding::SpfMissing {
                    proposal: "v=spf1 include:spf.pk.test -all".into(),
                }],
                lookup_tree: None,
            }],
        };
        let publish = vec![PublishRecord {
            kind: RecordKind::Spf,
            record_type: "TXT".into(),
            host: "voorbeeld.nl".into(),
            relative_host: "@".into(),
            value: "v=spf1 include:spf.pk.test -all".into(),
        }];
        let text = render(&report, &publish, Locale::Nl);
        assert!(
            text.starts_with("Domein voorbeeld.nl — Fout ingesteld\n"),
            "{text}"
        );
        assert!(text.contains("! Het domein heeft geen MX-record"), "{text}");
        assert!(
            text.contains("SPF (voorbeeld.nl) — Fout ingesteld\n  ✗ Er is geen SPF-record"),
            "{text}"
        );
        assert!(
            text.contains(
                "  Publiceren: TXT @ (voorbeeld.nl)\n    v=spf1 include:spf.pk.test -all"
            ),
            "{text}"
        );
        assert_eq!(exit_code(&report), 1);
    }
}
