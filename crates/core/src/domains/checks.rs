//! Checking a domain: the check against live DNS, the state it moves the domain to, when the
//! next one is due, the notices for the SuperAdmins.

use postkamer_domain::clock::millis;
use postkamer_domain::sending::{DomainReport, DomainState, Selector};
use postkamer_domain::{SendingDomainId, User};
use postkamer_domainauth::{Expected, check_domain};
use postkamer_store::StoreError;
use postkamer_store::domains::{CheckOutcome, DomainRecord};

use super::{CheckReason, NOTICE_DOMAIN_BROKEN, NOTICE_DOMAIN_UNVERIFIED};
use crate::{Core, CoreResult};

impl Core {
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
    /// that could not reach DNS changes nothing. Returns when the next check is due (its job
    /// scheduled for then).
    pub(crate) async fn run_check(
        &self,
        record: &DomainRecord,
        reason: CheckReason,
    ) -> CoreResult<i64> {
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
        Ok(next)
    }

    /// What a check leaves, due again after the interval for its state.
    pub(crate) fn outcome<'r>(
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
    pub(crate) async fn notify(&self, record: &DomainRecord, state: DomainState) -> CoreResult<()> {
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
pub(crate) fn next_state(
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
