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

use postkamer_domain::clock::millis;
use postkamer_domain::sending::{
    DomainReport, DomainState, DomainSummary, DomainView, HistoryEntry, PublishRecord, RecordView,
    Selector,
};
use postkamer_domain::{
    Clock, Invalid, OrgId, SendingDomainId, SystemClock, User, ValidationErrors,
};
/// The domain engine's settings and keys, for the configuration and the command line.
pub use postkamer_domainauth::{
    CheckConfig, DkimKeyPair, DnsConfig, ExpectedKeys, normalise_domain,
};
use postkamer_domainauth::{Expected, check_domain, records_to_publish};
use postkamer_store::StoreError;
use postkamer_store::domains::{CheckOutcome, DomainRecord, StoredKey};

use crate::{Core, CoreError, CoreResult, require_superadmin};

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
    /// Makes sure the installation has a key pair for both selectors: the configured ones
    /// (replacing stored ones that differ), else the stored ones, else new ones (generated on a
    /// blocking thread, sealed). Safe with several instances starting at once.
    pub async fn ensure_dkim_keys(&self, configured: &[(Selector, DkimKeyPair)]) -> CoreResult<()> {
        let stored = self.store.dkim_keys(None).await?;
        for selector in Selector::ALL {
            let current = stored.iter().find(|k| k.selector == selector);
            if let Some((_, key)) = configured.iter().find(|(s, _)| *s == selector) {
                if current.is_none_or(|c| c.public_key != key.public_key_b64()) {
                    let sealed = self.seal_key(key)?;
                    self.store
                        .replace_installation_key(selector, &sealed, key.public_key_b64())
                        .await?;
                    tracing::info!(%selector, "DKIM key loaded from configuration");
                }
                continue;
            }
            if current.is_some() {
                continue;
            }
            let key = generate_key().await?;
            let sealed = self.seal_key(&key)?;
            if self
                .store
                .insert_installation_key(selector, &sealed, key.public_key_b64())
                .await?
            {
                tracing::info!(%selector, bits = key.bits(), "DKIM key generated");
            }
        }
        Ok(())
    }

    fn seal_key(&self, key: &DkimKeyPair) -> CoreResult<Vec<u8>> {
        let der = key
            .private_pkcs8_der()
            .map_err(|e| CoreError::Internal(e.to_string()))?;
        Ok(self.config.secret.seal(&der)?)
    }

    /// The public keys a domain must publish (its own rotated keys before the installation's).
    async fn expected_keys(
        &self,
        domain: SendingDomainId,
    ) -> CoreResult<(ExpectedKeys, Vec<Selector>)> {
        let mut keys = self.store.dkim_keys(Some(domain)).await?;
        if keys.iter().filter(|k| k.domain.is_none()).count() < Selector::ALL.len() {
            // An installation that never ran `serve` (tests, the CLI): make the keys now.
            self.ensure_dkim_keys(&[]).await?;
            keys = self.store.dkim_keys(Some(domain)).await?;
        }
        let pick = |selector: Selector| -> CoreResult<&StoredKey> {
            keys.iter()
                .filter(|k| k.selector == selector)
                .max_by_key(|k| k.domain.is_some())
                .ok_or_else(|| {
                    CoreError::Internal(format!("no DKIM key for {selector}: run ensure_dkim_keys"))
                })
        };
        let own = Selector::ALL
            .into_iter()
            .filter(|s| keys.iter().any(|k| k.selector == *s && k.domain.is_some()))
            .collect();
        Ok((
            ExpectedKeys {
                key001: pick(Selector::Key001)?.public_key.clone(),
                key002: pick(Selector::Key002)?.public_key.clone(),
            },
            own,
        ))
    }

    /// The organisation's verification token (made at first use): the value of its
    /// `_postkamer.<domain>` records.
    async fn domain_token(&self, org: OrgId) -> CoreResult<String> {
        use crate::secrets::{Entropy as _, SystemEntropy};
        let mut bytes = [0u8; 16];
        SystemEntropy.fill(&mut bytes)?;
        Ok(self.store.domain_token(org, &hex::encode(bytes)).await?)
    }

    /// Checks any domain without storing anything (the CLI's `postkamer domain check`): when an
    /// organisation holds it, against that organisation's keys and token; else against the
    /// installation's keys, without a token row.
    pub async fn inspect_domain(
        &self,
        input: &str,
        check: &CheckConfig,
    ) -> CoreResult<(DomainReport, Vec<PublishRecord>)> {
        let domain = normalise_domain(input)
            .map_err(|e| CoreError::Validation(ValidationErrors::single("domain", e)))?;
        let (keys, token) = match self.store.domain_holder(&domain).await? {
            Some(record) => (
                self.expected_keys(record.id).await?.0,
                Some(self.domain_token(record.org).await?),
            ),
            None => {
                self.ensure_dkim_keys(&[]).await?;
                let stored = self.store.dkim_keys(None).await?;
                let get = |selector: Selector| {
                    stored
                        .iter()
                        .find(|k| k.selector == selector)
                        .map(|k| k.public_key.clone())
                        .ok_or_else(|| CoreError::Internal(format!("no DKIM key for {selector}")))
                };
                let keys = ExpectedKeys {
                    key001: get(Selector::Key001)?,
                    key002: get(Selector::Key002)?,
                };
                (keys, None)
            }
        };
        let expected = Expected {
            keys: &keys,
            token: token.as_deref(),
        };
        let report = check_domain(check, &domain, expected, self.now()).await;
        let publish = records_to_publish(&domain, &check.spf_include, expected, Some(&report));
        Ok((report, publish))
    }
}

/// Checks a domain against given DKIM keys (the installation's key files), with no database:
/// `postkamer domain check` on a machine that only has the configuration (no organisation, so
/// no verification token to expect).
pub async fn inspect_domain_with_keys(
    input: &str,
    check: &CheckConfig,
    keys: &ExpectedKeys,
) -> CoreResult<(DomainReport, Vec<PublishRecord>)> {
    let domain = normalise_domain(input)
        .map_err(|e| CoreError::Validation(ValidationErrors::single("domain", e)))?;
    let expected = Expected { keys, token: None };
    let report = check_domain(check, &domain, expected, SystemClock.now_millis()).await;
    let publish = records_to_publish(&domain, &check.spf_include, expected, Some(&report));
    Ok((report, publish))
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

    /// Is mail of organisation `org` from `domain` to be DKIM-signed: does `org` hold the
    /// domain, active?
    pub async fn is_dkim_active(&self, org: OrgId, domain: &str) -> CoreResult<bool> {
        Ok(self.active_holder(org, domain).await?.is_some())
    }

    async fn active_holder(&self, org: OrgId, domain: &str) -> CoreResult<Option<DomainRecord>> {
        let Ok(domain) = normalise_domain(domain) else {
            return Ok(None);
        };
        Ok(self
            .store
            .domain_holder(&domain)
            .await?
            .filter(|d| d.org == org && d.state == DomainState::Active))
    }

    /// The key to sign mail of organisation `org` from `domain` with, when `org` holds the
    /// domain with DKIM active.
    pub async fn signing_key(&self, org: OrgId, domain: &str) -> CoreResult<Option<SigningKey>> {
        let Some(record) = self.active_holder(org, domain).await? else {
            return Ok(None);
        };
        let name = record.domain.clone();
        let keys = self.store.dkim_keys(Some(record.id)).await?;
        let Some(stored) = keys
            .iter()
            .filter(|k| k.selector == record.signing_selector)
            .max_by_key(|k| k.domain.is_some())
        else {
            return Ok(None);
        };
        let der = self
            .config
            .secret
            .open(&stored.private_sealed)
            .map_err(|e| CoreError::Internal(format!("DKIM key: {e}")))?;
        let key =
            DkimKeyPair::from_pkcs8_der(&der).map_err(|e| CoreError::Internal(e.to_string()))?;
        Ok(Some(SigningKey {
            domain: name,
            selector: record.signing_selector,
            key,
        }))
    }

    /// Makes a domain due for its scheduled check now (for tests and operators: a check by
    /// hand is [`Core::check_domain_now`]).
    #[doc(hidden)]
    pub async fn make_domain_due(&self, id: SendingDomainId) -> CoreResult<()> {
        let record = self.store.domain_by_id(id).await?;
        self.store.make_domain_due(id).await?;
        self.schedule_domain_check(record.org, id, self.now()).await
    }

    /// The organisation's open notices for SuperAdmins (Dutch/English text by kind).
    pub async fn admin_notices(
        &self,
        caller: &User,
    ) -> CoreResult<Vec<postkamer_store::domains::Notice>> {
        if !caller.is_superadmin() {
            return Ok(Vec::new());
        }
        Ok(self.store.open_notices(caller.org_id).await?)
    }

    /// Checks one domain, keeps the report, moves the state: pending → active when both keys
    /// and the organisation's token verify and no other organisation holds the domain; active →
    /// broken (with a notice) when the signing key no longer verifies; broken → active when it
    /// does again; active or broken → pending (with a notice) when the token is gone. A check
    /// that could not reach DNS changes nothing.
    pub(crate) async fn run_check(
        &self,
        record: &DomainRecord,
        reason: CheckReason,
    ) -> CoreResult<DomainReport> {
        let (keys, _) = self.expected_keys(record.id).await?;
        let token = self.domain_token(record.org).await?;
        let now = self.now();
        let expected = Expected {
            keys: &keys,
            token: Some(&token),
        };
        let mut report =
            check_domain(&self.config.domains.check, &record.domain, expected, now).await;
        let (state, activated_at) = next_state(record, &report, now);
        let recorded = self
            .store
            .record_check(
                record.id,
                self.outcome(&report, reason, state, activated_at),
            )
            .await;
        let state = match recorded {
            Err(StoreError::AlreadyExists("domain_holder")) => {
                // Verified here too, but another organisation holds the domain.
                report.held_elsewhere();
                let state = DomainState::Pending;
                self.store
                    .record_check(record.id, self.outcome(&report, reason, state, None))
                    .await?;
                state
            }
            other => {
                other?;
                state
            }
        };
        self.notify(record, state).await?;
        let next = self.store.domain_by_id(record.id).await?.next_check_at;
        self.schedule_domain_check(record.org, record.id, next)
            .await?;
        Ok(report)
    }

    /// What a check leaves, due again after the interval for its state.
    fn outcome<'r>(
        &self,
        report: &'r DomainReport,
        reason: CheckReason,
        state: DomainState,
        activated_at: Option<i64>,
    ) -> CheckOutcome<'r> {
        let config = &self.config.domains;
        let every = match (report.complete(), state) {
            (false, _) => config.retry_every,
            (true, DomainState::Active) => config.active_every,
            (true, _) => config.pending_every,
        };
        CheckOutcome {
            report,
            reason: reason.as_str(),
            state,
            activated_at,
            next_check_at: report.checked_at + millis(every),
        }
    }

    /// Opens and resolves the SuperAdmins' notices for a change of state.
    async fn notify(&self, record: &DomainRecord, state: DomainState) -> CoreResult<()> {
        let open = |kind| self.store.open_notice(record.org, Some(record.id), kind);
        match (record.state, state) {
            (DomainState::Active, DomainState::Broken) => {
                tracing::warn!(domain = %record.domain, "DKIM of an active domain broke");
                open(NOTICE_DOMAIN_BROKEN).await?;
            }
            (DomainState::Active | DomainState::Broken, DomainState::Pending) => {
                tracing::warn!(domain = %record.domain, "the verification token of a domain is gone");
                open(NOTICE_DOMAIN_UNVERIFIED).await?;
            }
            (DomainState::Broken, DomainState::Active) => {
                self.store
                    .resolve_notices(record.id, NOTICE_DOMAIN_BROKEN)
                    .await?;
            }
            (DomainState::Pending, DomainState::Active) => {
                tracing::info!(domain = %record.domain, "DKIM active");
                for kind in [NOTICE_DOMAIN_BROKEN, NOTICE_DOMAIN_UNVERIFIED] {
                    self.store.resolve_notices(record.id, kind).await?;
                }
            }
            _ => {}
        }
        Ok(())
    }
}

/// Where a domain goes after a check (before asking whether another organisation holds it).
fn next_state(
    record: &DomainRecord,
    report: &DomainReport,
    now: i64,
) -> (DomainState, Option<i64>) {
    if !report.complete() {
        return (record.state, record.activated_at);
    }
    let owned = report.ownership_verified();
    let signing = report.dkim_verified(record.signing_selector);
    let both = Selector::ALL.into_iter().all(|s| report.dkim_verified(s));
    match record.state {
        DomainState::Pending if both && owned => (DomainState::Active, Some(now)),
        DomainState::Pending => (DomainState::Pending, None),
        DomainState::Active | DomainState::Broken if !owned => (DomainState::Pending, None),
        DomainState::Active if !signing => (DomainState::Broken, record.activated_at),
        DomainState::Broken if signing => (DomainState::Active, record.activated_at),
        state => (state, record.activated_at),
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

async fn generate_key() -> CoreResult<DkimKeyPair> {
    tokio::task::spawn_blocking(DkimKeyPair::generate)
        .await
        .map_err(|e| CoreError::Internal(e.to_string()))?
        .map_err(|e| CoreError::Internal(e.to_string()))
}
