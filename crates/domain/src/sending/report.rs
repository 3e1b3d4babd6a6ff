//! What a check left: one row per record (SPF's with its lookup tree), the domain's report,
//! where the domain stands, and what the domain page shows.

use serde::{Deserialize, Serialize};

use super::{Finding, RecordKind, Selector, Severity, Status};
use crate::Locale;

/// One node of the SPF lookup tree: a term that costs a DNS lookup, and what it pulled in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LookupNode {
    /// The term as written (`include:_spf.google.com`, `mx`, `redirect=…`); the root is the domain.
    pub term: String,
    /// DNS lookups this term costs, itself and everything below it.
    pub lookups: u32,
    #[cfg_attr(feature = "openapi", schema(no_recursion))]
    pub children: Vec<LookupNode>,
}

impl LookupNode {
    /// The tree as indented lines, for the CLI and the UI.
    pub fn lines(&self) -> Vec<String> {
        fn walk(node: &LookupNode, depth: usize, out: &mut Vec<String>) {
            out.push(format!(
                "{}{} ({})",
                "  ".repeat(depth),
                node.term,
                node.lookups
            ));
            for child in &node.children {
                walk(child, depth + 1, out);
            }
        }
        let mut out = Vec::new();
        walk(self, 0, &mut out);
        out
    }
}

/// One row of a domain page as a check left it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordCheck {
    pub kind: RecordKind,
    /// The fully qualified name that was asked.
    pub host: String,
    /// The records found there (TXT strings of one record separated by `" "` as DNS tools show them).
    pub found: Vec<String>,
    pub status: Status,
    pub findings: Vec<Finding>,
    /// SPF only: the terms that cost DNS lookups.
    pub lookup_tree: Option<LookupNode>,
}

impl RecordCheck {
    /// Status from the findings: the worst severity, unless the DNS could not be asked.
    pub fn status_of(findings: &[Finding]) -> Status {
        if findings
            .iter()
            .any(|f| matches!(f, Finding::DnsUnavailable { .. }))
        {
            return Status::Unknown;
        }
        match findings.iter().map(Finding::severity).max() {
            Some(Severity::Error) => Status::Error,
            Some(Severity::Warning) => Status::Warning,
            _ => Status::Ok,
        }
    }
}

/// Everything one check of one domain found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DomainReport {
    pub domain: String,
    /// Unix milliseconds.
    pub checked_at: i64,
    /// About the domain as a whole: does it exist, MX, was DNS reachable.
    pub findings: Vec<Finding>,
    pub mx: Vec<String>,
    pub records: Vec<RecordCheck>,
}

impl DomainReport {
    pub fn record(&self, kind: RecordKind) -> Option<&RecordCheck> {
        self.records.iter().find(|r| r.kind == kind)
    }

    /// Could every record be asked?
    pub fn complete(&self) -> bool {
        self.records.iter().all(|r| r.status != Status::Unknown)
            && !self
                .findings
                .iter()
                .any(|f| matches!(f, Finding::DnsUnavailable { .. }))
    }

    /// Does the published record for `selector` hold our key (green or orange)?
    pub fn dkim_verified(&self, selector: Selector) -> bool {
        self.record(RecordKind::dkim(selector))
            .is_some_and(|r| matches!(r.status, Status::Ok | Status::Warning))
    }

    /// Is the organisation's verification token published (and the domain not held elsewhere)?
    pub fn ownership_verified(&self) -> bool {
        self.record(RecordKind::Ownership)
            .is_some_and(|r| r.status == Status::Ok)
    }

    /// Marks the ownership row: the domain is held by another organisation.
    pub fn held_elsewhere(&mut self) {
        if let Some(row) = self
            .records
            .iter_mut()
            .find(|r| r.kind == RecordKind::Ownership)
        {
            row.findings.push(Finding::DomainHeldElsewhere);
            row.status = RecordCheck::status_of(&row.findings);
        }
    }

    /// The overall status: the worst of the rows and the domain findings.
    pub fn status(&self) -> Status {
        if !self.complete() {
            return Status::Unknown;
        }
        let rows = self.records.iter().map(|r| r.status);
        let own = RecordCheck::status_of(&self.findings);
        rows.chain([own]).max().unwrap_or(Status::Ok)
    }

    /// Number of findings that need action (warnings and errors), all rows together.
    pub fn problems(&self) -> usize {
        self.findings
            .iter()
            .chain(self.records.iter().flat_map(|r| &r.findings))
            .filter(|f| f.severity() > Severity::Info)
            .count()
    }
}

/// A record to publish: where, and the exact value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublishRecord {
    pub kind: RecordKind,
    /// Always TXT.
    pub record_type: String,
    /// Fully qualified (`key001._domainkey.voorbeeld.nl`).
    pub host: String,
    /// Relative to the domain (`key001._domainkey`, `@` for the domain itself), for DNS
    /// providers that add the domain themselves.
    pub relative_host: String,
    pub value: String,
}

/// Where a sending domain stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum DomainState {
    /// Added; not both DKIM keys and the verification token verified yet (or the token is gone,
    /// or another organisation holds the domain). Re-checked hourly.
    Pending,
    /// Both keys and the token verified: mail from this domain is signed. At most one
    /// organisation holds a domain active (or broken). Re-checked daily.
    Active,
    /// Was active, but the signing key's record no longer verifies. Mail is not signed.
    Broken,
}

impl DomainState {
    pub fn as_str(self) -> &'static str {
        match self {
            DomainState::Pending => "pending",
            DomainState::Active => "active",
            DomainState::Broken => "broken",
        }
    }

    pub fn parse(text: &str) -> Option<DomainState> {
        match text {
            "pending" => Some(DomainState::Pending),
            "active" => Some(DomainState::Active),
            "broken" => Some(DomainState::Broken),
            _ => None,
        }
    }

    pub fn label(self, locale: Locale) -> &'static str {
        match (locale, self) {
            (Locale::Nl, DomainState::Pending) => "In afwachting",
            (Locale::Nl, DomainState::Active) => "DKIM actief",
            (Locale::Nl, DomainState::Broken) => "DKIM defect",
            (Locale::En, DomainState::Pending) => "Pending",
            (Locale::En, DomainState::Active) => "DKIM active",
            (Locale::En, DomainState::Broken) => "DKIM broken",
        }
    }
}

/// A sending domain in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DomainSummary {
    pub id: crate::SendingDomainId,
    pub domain: String,
    pub state: DomainState,
    /// The selector mail from this domain is signed with.
    pub signing_selector: Selector,
    /// Status of the latest complete check; `None` before the first.
    pub status: Option<Status>,
    /// Unix milliseconds.
    pub last_checked_at: Option<i64>,
    pub activated_at: Option<i64>,
}

/// One row of a domain page: what to publish, and what the latest check found there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordView {
    pub publish: PublishRecord,
    pub check: Option<RecordCheck>,
}

/// One entry of a domain's check history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HistoryEntry {
    /// Unix milliseconds.
    pub checked_at: i64,
    pub status: Status,
    /// `added`, `manual` or `scheduled`.
    pub reason: String,
    pub problems: usize,
}

/// Everything the domain page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DomainView {
    pub summary: DomainSummary,
    pub records: Vec<RecordView>,
    /// About the domain as a whole (does it exist, MX, DNS reachable) from the latest check.
    pub findings: Vec<Finding>,
    pub mx: Vec<String>,
    /// The selectors whose key is this domain's own (generated for a rotation).
    pub own_keys: Vec<Selector>,
    /// The selector the signing could switch to now (its record verifies), if any.
    pub can_switch_to: Option<Selector>,
    pub history: Vec<HistoryEntry>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_is_the_worst_severity_and_unknown_wins() {
        assert_eq!(RecordCheck::status_of(&[]), Status::Ok);
        assert_eq!(
            RecordCheck::status_of(&[Finding::DkimSplitOk { strings: 2 }]),
            Status::Ok
        );
        assert_eq!(
            RecordCheck::status_of(&[Finding::DkimTesting, Finding::DkimSplitOk { strings: 2 }]),
            Status::Warning
        );
        assert_eq!(
            RecordCheck::status_of(&[Finding::DkimTesting, Finding::DkimRevoked]),
            Status::Error
        );
        assert_eq!(
            RecordCheck::status_of(&[
                Finding::DkimRevoked,
                Finding::DnsUnavailable { detail: "x".into() }
            ]),
            Status::Unknown
        );
    }
}
