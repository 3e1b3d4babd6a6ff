//! Sending domains: the domain, where it stands (pending / DKIM active / broken), which selector
//! signs, the history of checks (each report kept whole, as JSON), the DKIM key pairs (sealed)
//! and notices for the SuperAdmins. When a domain is due for its next check is kept here; core's
//! job runner runs the checks.

use postkamer_domain::sending::{DomainReport, DomainState, Selector, Status};
use postkamer_domain::{OrgId, SendingDomainId};

mod keys;

pub use keys::{Notice, StoredKey};

use crate::{BeginWrite, Store, StoreError, StoreResult, affected, with_pool};

/// A sending domain as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainRecord {
    pub id: SendingDomainId,
    pub org: OrgId,
    pub domain: String,
    pub state: DomainState,
    pub signing_selector: Selector,
    pub last_status: Option<Status>,
    pub last_checked_at: Option<i64>,
    pub activated_at: Option<i64>,
    pub next_check_at: i64,
    pub created_at: i64,
}

#[derive(sqlx::FromRow)]
struct DomainRow {
    id: i64,
    org_id: i64,
    domain: String,
    state: String,
    signing_selector: String,
    last_status: Option<String>,
    last_checked_at: Option<i64>,
    activated_at: Option<i64>,
    next_check_at: i64,
    created_at: i64,
}

const DOMAIN_COLUMNS: &str = "id, org_id, domain, state, signing_selector, last_status, \
     last_checked_at, activated_at, next_check_at, created_at";

impl DomainRow {
    fn into_record(self) -> StoreResult<DomainRecord> {
        let corrupt = |what: &str, value: &str| StoreError::Corrupt(format!("{what} {value:?}"));
        Ok(DomainRecord {
            id: SendingDomainId(self.id),
            org: OrgId(self.org_id),
            state: DomainState::parse(&self.state).ok_or_else(|| corrupt("state", &self.state))?,
            signing_selector: Selector::parse(&self.signing_selector)
                .ok_or_else(|| corrupt("selector", &self.signing_selector))?,
            last_status: self.last_status.as_deref().map(parse_status).transpose()?,
            domain: self.domain,
            last_checked_at: self.last_checked_at,
            activated_at: self.activated_at,
            next_check_at: self.next_check_at,
            created_at: self.created_at,
        })
    }
}

fn parse_status(text: &str) -> StoreResult<Status> {
    [Status::Ok, Status::Warning, Status::Error, Status::Unknown]
        .into_iter()
        .find(|s| s.as_str() == text)
        .ok_or_else(|| StoreError::Corrupt(format!("status {text:?}")))
}

/// One check in a domain's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckRecord {
    pub checked_at: i64,
    pub status: Status,
    /// `manual`, `scheduled` or `added`.
    pub reason: String,
    pub report: DomainReport,
}

/// The outcome of a check, written in one transaction with the domain's new state.
#[derive(Debug, Clone)]
pub struct CheckOutcome<'a> {
    pub report: &'a DomainReport,
    pub reason: &'a str,
    pub state: DomainState,
    pub activated_at: Option<i64>,
    pub next_check_at: i64,
}

impl Store {
    /// Adds a sending domain, due for its first check at once. `AlreadyExists("domain")` when
    /// the organisation has it already; other organisations may claim it too (the verification
    /// token decides which one holds it).
    pub async fn add_domain(&self, org: OrgId, domain: &str) -> StoreResult<DomainRecord> {
        let now = self.now();
        let row: Result<DomainRow, sqlx::Error> =
            with_pool!(self, |pool| sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "INSERT INTO sending_domains (org_id, domain, next_check_at, created_at) \
                     VALUES ($1, $2, $3, $3) RETURNING {DOMAIN_COLUMNS}"
            )),)
            .bind(org.0)
            .bind(domain)
            .bind(now)
            .fetch_one(pool)
            .await);
        match row.map_err(StoreError::from) {
            Ok(row) => row.into_record(),
            Err(StoreError::AlreadyExists(_)) => Err(StoreError::AlreadyExists("domain")),
            Err(e) => Err(e),
        }
    }

    /// The organisation's domains, by name.
    pub async fn domains(&self, org: OrgId) -> StoreResult<Vec<DomainRecord>> {
        let rows: Vec<DomainRow> =
            with_pool!(self, |pool| sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT {DOMAIN_COLUMNS} FROM sending_domains WHERE org_id = $1 ORDER BY domain"
            )),)
            .bind(org.0)
            .fetch_all(pool)
            .await)?;
        rows.into_iter().map(DomainRow::into_record).collect()
    }

    /// One domain of the organisation (`NotFound` for another organisation's).
    pub async fn domain(&self, org: OrgId, id: SendingDomainId) -> StoreResult<DomainRecord> {
        let row: DomainRow = with_pool!(self, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
            format!("SELECT {DOMAIN_COLUMNS} FROM sending_domains WHERE id = $1 AND org_id = $2")
        ),)
        .bind(id.0)
        .bind(org.0)
        .fetch_one(pool)
        .await)?;
        row.into_record()
    }

    /// A domain by id, whatever its organisation (for the scheduler).
    pub async fn domain_by_id(&self, id: SendingDomainId) -> StoreResult<DomainRecord> {
        let row: DomainRow = with_pool!(self, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
            format!("SELECT {DOMAIN_COLUMNS} FROM sending_domains WHERE id = $1")
        ),)
        .bind(id.0)
        .fetch_one(pool)
        .await)?;
        row.into_record()
    }

    /// The record of the organisation that holds `domain` (active or broken there), whatever
    /// the organisation: for the sending pipeline and the CLI. At most one exists.
    pub async fn domain_holder(&self, domain: &str) -> StoreResult<Option<DomainRecord>> {
        let row: Option<DomainRow> =
            with_pool!(self, |pool| sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT {DOMAIN_COLUMNS} FROM sending_domains \
                     WHERE domain = $1 AND state <> 'pending'"
            )),)
            .bind(domain)
            .fetch_optional(pool)
            .await)?;
        row.map(DomainRow::into_record).transpose()
    }

    /// The organisation's verification token for its sending domains: `candidate` becomes it
    /// when it has none yet (the first caller wins when several race); the token otherwise.
    pub async fn domain_token(&self, org: OrgId, candidate: &str) -> StoreResult<String> {
        let token: Option<String> = with_pool!(self, |pool| async {
            sqlx::query(
                "UPDATE organisations SET domain_token = $1 WHERE id = $2 AND domain_token IS NULL",
            )
            .bind(candidate)
            .bind(org.0)
            .execute(pool)
            .await?;
            sqlx::query_scalar("SELECT domain_token FROM organisations WHERE id = $1")
                .bind(org.0)
                .fetch_one(pool)
                .await
        }
        .await)?;
        token.ok_or_else(|| StoreError::Corrupt("organisation without a domain token".into()))
    }

    pub async fn delete_domain(&self, org: OrgId, id: SendingDomainId) -> StoreResult<()> {
        let done = with_pool!(self, |pool| sqlx::query(
            "DELETE FROM sending_domains WHERE id = $1 AND org_id = $2",
        )
        .bind(id.0)
        .bind(org.0)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?;
        affected(done)
    }

    /// Keeps a check in the history and moves the domain to its new state, in one transaction.
    /// `AlreadyExists("domain_holder")` (and nothing written)
    /// when the new state is active or broken while another organisation holds the domain.
    pub async fn record_check(
        &self,
        id: SendingDomainId,
        outcome: CheckOutcome<'_>,
    ) -> StoreResult<()> {
        let report = serde_json::to_string(outcome.report)
            .map_err(|e| StoreError::Corrupt(format!("report: {e}")))?;
        let status = outcome.report.status();
        let complete = outcome.report.complete();
        with_pool!(self, |pool| async {
            let mut tx = pool.begin_write().await?;
            sqlx::query(
                "INSERT INTO domain_checks (domain_id, checked_at, status, reason, report) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(id.0)
            .bind(outcome.report.checked_at)
            .bind(status.as_str())
            .bind(outcome.reason)
            .bind(&report)
            .execute(&mut *tx)
            .await?;
            // An incomplete check (DNS unreachable) says nothing about the records: the last
            // known status stays.
            sqlx::query(
                "UPDATE sending_domains SET state = $1, activated_at = $2, next_check_at = $3, \
                   last_checked_at = $4, \
                   last_status = CASE WHEN $5 THEN $6 ELSE last_status END \
                 WHERE id = $7",
            )
            .bind(outcome.state.as_str())
            .bind(outcome.activated_at)
            .bind(outcome.next_check_at)
            .bind(outcome.report.checked_at)
            .bind(complete)
            .bind(status.as_str())
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
            tx.commit().await
        }
        .await)
        .map_err(|e| match StoreError::from(e) {
            StoreError::AlreadyExists(_) => StoreError::AlreadyExists("domain_holder"),
            other => other,
        })?;
        Ok(())
    }

    /// The latest checks of a domain, newest first.
    pub async fn domain_checks(
        &self,
        id: SendingDomainId,
        limit: u32,
    ) -> StoreResult<Vec<CheckRecord>> {
        let rows: Vec<(i64, String, String, String)> = with_pool!(self, |pool| sqlx::query_as(
            "SELECT checked_at, status, reason, report FROM domain_checks \
                 WHERE domain_id = $1 ORDER BY checked_at DESC, id DESC LIMIT $2",
        )
        .bind(id.0)
        .bind(i64::from(limit))
        .fetch_all(pool)
        .await)?;
        rows.into_iter()
            .map(|(checked_at, status, reason, report)| {
                Ok(CheckRecord {
                    checked_at,
                    status: parse_status(&status)?,
                    reason,
                    report: serde_json::from_str(&report)
                        .map_err(|e| StoreError::Corrupt(format!("report: {e}")))?,
                })
            })
            .collect()
    }

    pub async fn set_signing_selector(
        &self,
        org: OrgId,
        id: SendingDomainId,
        selector: Selector,
    ) -> StoreResult<()> {
        let done = with_pool!(self, |pool| sqlx::query(
            "UPDATE sending_domains SET signing_selector = $1 WHERE id = $2 AND org_id = $3",
        )
        .bind(selector.as_str())
        .bind(id.0)
        .bind(org.0)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?;
        affected(done)
    }

    /// Makes a domain due now ("Nu controleren" from elsewhere, or after a key change).
    pub async fn make_domain_due(&self, id: SendingDomainId) -> StoreResult<()> {
        with_pool!(self, |pool| sqlx::query(
            "UPDATE sending_domains SET next_check_at = 0 WHERE id = $1"
        )
        .bind(id.0)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Every domain with its organisation and when it is due for a check (each gets a check
    /// job).
    pub async fn domain_schedule(&self) -> StoreResult<Vec<(OrgId, SendingDomainId, i64)>> {
        let rows: Vec<(i64, i64, i64)> = with_pool!(self, |pool| sqlx::query_as(
            "SELECT org_id, id, next_check_at FROM sending_domains ORDER BY id"
        )
        .fetch_all(pool)
        .await)?;
        Ok(rows
            .into_iter()
            .map(|(org, id, due)| (OrgId(org), SendingDomainId(id), due))
            .collect())
    }
}
