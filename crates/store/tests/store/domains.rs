//! Sending domains: claimed per organisation, held (active or broken) by one at a time, the
//! organisations' verification tokens, the check history with the domain's state in
//! one transaction, leased re-checks (one winner among concurrent instances), DKIM keys
//! (installation keys first-wins, per-domain keys replace), notices opened once.

use postkamer_domain::sending::{DomainReport, Finding};

#[path = "domains/checks.rs"]
pub(crate) mod checks;
#[path = "domains/claims.rs"]
pub(crate) mod claims;
#[path = "domains/upgrade.rs"]
pub(crate) mod upgrade;

fn report(domain: &str, at: i64, findings: Vec<Finding>) -> DomainReport {
    DomainReport {
        domain: domain.to_owned(),
        checked_at: at,
        findings,
        mx: vec![format!("mx.{domain}")],
        records: vec![],
    }
}
