//! Sending domains (Beheer → E-mail → Domeinen): add a domain, show the exact records to publish,
//! check them against live DNS, activate DKIM once both selectors and the organisation's
//! verification token verify, keep checking (hourly while pending or broken, daily while
//! active), tell the SuperAdmins when an active domain breaks or loses its token, rotate keys.
//!
//! The DKIM keys are the installation's, so the records prove a domain sends through this
//! installation, not for which organisation: several organisations may claim a domain, the one
//! whose token is published holds it, and a domain is active in one organisation at a time.
//! The sending pipeline asks [`Core::is_dkim_active`] and [`Core::signing_key`] for the sending
//! organisation.

use std::time::Duration;

use postkamer_domain::sending::{
    DomainState, DomainSummary, DomainView, HistoryEntry, RecordView, Selector,
};
use postkamer_domain::{Invalid, SendingDomainId, User, ValidationErrors};
/// The domain engine's settings and keys, for the configuration and the command line.
pub use postkamer_domainauth::{
    CheckConfig, DkimKeyPair, DnsConfig, ExpectedKeys, normalise_domain,
};
use postkamer_domainauth::{Expected, records_to_publish};
use postkamer_store::StoreError;
use postkamer_store::domains::DomainRecord;

use crate::{Core, CoreError, CoreResult, require_superadmin};

mod checks;
mod keys;

use keys::generate_key;
pub use keys::inspect_domain_with_keys;

/// Notice kind: an active domain's signing key no longer verifies.
pub const NOTICE_DOMAIN_BROKEN: &str = "domain_broken";

/// Notice kind: an active (or broken) domain's verification token is gone, so it no longer
/// holds the domain and its mail is not signed.
pub const NOTICE_DOMAIN_UNVERIFIED: &str = "domain_unverified";

/// How domains are checked and how often.
#[derive(Debug, Clone)]
pub struct DomainsConfig {
    pub check: CheckConfig,
    /// Re-check interval while a domain is pending or broken.
    pub pending_every: Duration,
    /// Re-check interval once a domain is active.
    pub active_every: Duration,
    /// Retry interval after a check that could not reach DNS.
    pub retry_every: Duration,
}

impl Default for DomainsConfig {
    fn default() -> Self {
        DomainsConfig {
            check: CheckConfig {
                dns: Default::default(),
                spf_include: "spf.postkamer.nl".into(),
                envelope_domain: None,
            },
            pending_every: Duration::from_secs(3600),
            active_every: Duration::from_secs(24 * 3600),
            retry_every: Duration::from_secs(15 * 60),
        }
    }
}

/// The key a domain's mail is signed with.
#[derive(Debug, Clone)]
pub struct SigningKey {
    pub domain: String,
    pub selector: Selector,
    pub key: DkimKeyPair,
}

/// Why a check ran (kept in the history).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckReason {
    Added,
    Manual,
    Scheduled,
}

impl CheckReason {
    fn as_str(self) -> &'static str {
        match self {
            CheckReason::Added => "added",
            CheckReason::Manual => "manual",
            CheckReason::Scheduled => "scheduled",
        }
    }
}

impl Core {
    pub async fn list_domains(&self, caller: &User) -> CoreResult<Vec<DomainSummary>> {
        require_superadmin(caller)?;
        let domains = self.store.domains(caller.org_id).await?;
        Ok(domains.iter().map(summary).collect())
    }

    /// Adds a domain and checks it at once. Another organisation may have claimed it too: the
    /// verification token decides.
    pub async fn add_domain(&self, caller: &User, input: &str) -> CoreResult<DomainView> {
        require_superadmin(caller)?;
        let domain = normalise_domain(input)
            .map_err(|e| CoreError::Validation(ValidationErrors::single("domain", e)))?;
        let record = match self.store.add_domain(caller.org_id, &domain).await {
            Err(StoreError::AlreadyExists(_)) => {
                return Err(CoreError::Validation(ValidationErrors::single(
                    "domain",
                    Invalid::DomainTaken,
                )));
            }
            other => other?,
        };
        self.run_check(&record, CheckReason::Added).await?;
        self.domain_view(caller, record.id).await
    }

    pub async fn domain_view(&self, caller: &User, id: SendingDomainId) -> CoreResult<DomainView> {
        require_superadmin(caller)?;
        let record = self.store.domain(caller.org_id, id).await?;
        let (keys, own_keys) = self.expected_keys(id).await?;
        let token = self.domain_token(record.org).await?;
        let history = self.store.domain_checks(id, 20).await?;
        let latest = history.first().map(|c| &c.report);
        let expected = Expected {
            keys: &keys,
            token: Some(&token),
        };
        let records = records_to_publish(
            &record.domain,
            &self.config.domains.check.spf_include,
            expected,
            latest,
        )
        .into_iter()
        .map(|publish| RecordView {
            check: latest.and_then(|r| r.record(publish.kind)).cloned(),
            publish,
        })
        .collect();
        let other = record.signing_selector.other();
        let can_switch_to = latest
            .is_some_and(|r| r.dkim_verified(other) && record.state != DomainState::Pending)
            .then_some(other);
        Ok(DomainView {
            summary: summary(&record),
            records,
            findings: latest.map(|r| r.findings.clone()).unwrap_or_default(),
            mx: latest.map(|r| r.mx.clone()).unwrap_or_default(),
            own_keys,
            can_switch_to,
            history: history
                .iter()
                .map(|c| HistoryEntry {
                    checked_at: c.checked_at,
                    status: c.status,
                    reason: c.reason.clone(),
                    problems: c.report.problems(),
                })
                .collect(),
        })
    }

    /// "Nu controleren".
    pub async fn check_domain_now(
        &self,
        caller: &User,
        id: SendingDomainId,
    ) -> CoreResult<DomainView> {
        require_superadmin(caller)?;
        let record = self.store.domain(caller.org_id, id).await?;
        self.run_check(&record, CheckReason::Manual).await?;
        self.domain_view(caller, id).await
    }

    pub async fn delete_domain(&self, caller: &User, id: SendingDomainId) -> CoreResult<()> {
        require_superadmin(caller)?;
        Ok(self.store.delete_domain(caller.org_id, id).await?)
    }

    /// Switches signing to the other selector; only once its record verifies.
    pub async fn set_signing_selector(
        &self,
        caller: &User,
        id: SendingDomainId,
        selector: Selector,
    ) -> CoreResult<DomainView> {
        let view = self.domain_view(caller, id).await?;
        if view.summary.signing_selector != selector {
            if view.can_switch_to != Some(selector) {
                return Err(CoreError::Conflict("selector_not_verified"));
            }
            self.store
                .set_signing_selector(caller.org_id, id, selector)
                .await?;
        }
        self.domain_view(caller, id).await
    }

    /// A new key for the selector that does not sign (to be published before switching to it).
    pub async fn generate_domain_key(
        &self,
        caller: &User,
        id: SendingDomainId,
        selector: Selector,
    ) -> CoreResult<DomainView> {
        require_superadmin(caller)?;
        let record = self.store.domain(caller.org_id, id).await?;
        if record.signing_selector == selector {
            return Err(CoreError::Conflict("selector_is_signing"));
        }
        let key = generate_key().await?;
        let sealed = self.seal_key(&key)?;
        self.store
            .put_domain_key(id, selector, &sealed, key.public_key_b64())
            .await?;
        self.run_check(&record, CheckReason::Manual).await?;
        self.domain_view(caller, id).await
    }
}

fn summary(record: &DomainRecord) -> DomainSummary {
    DomainSummary {
        id: record.id,
        domain: record.domain.clone(),
        state: record.state,
        signing_selector: record.signing_selector,
        status: record.last_status,
        last_checked_at: record.last_checked_at,
        activated_at: record.activated_at,
    }
}
