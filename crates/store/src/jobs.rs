//! The job queue: durable jobs with a kind, a JSON payload, when to run, attempts and a lease.
//! A job is claimed by one runner at a time — one statement, `UPDATE … WHERE id = (SELECT …)
//! RETURNING`, with `FOR UPDATE SKIP LOCKED` on PostgreSQL so concurrent runners each take a
//! different job, and SQLite's single writer doing the same there. A finished job is deleted; a
//! failed attempt is retried later (the runner decides when) or, after the last one, kept as
//! failed with its error until retried. Every time comes from the caller (`now`): the runner's
//! clock, a manual one in tests.

use postkamer_domain::{JobId, OrgId};

use crate::sql::Statement;
use crate::{Engine, Store, StoreError, StoreResult, with_pool};

/// A job to queue.
#[derive(Debug, Clone)]
pub struct NewJob<'a> {
    pub org: Option<OrgId>,
    pub kind: &'a str,
    /// JSON.
    pub payload: &'a str,
    pub run_at: i64,
    pub max_attempts: u32,
    /// At most one queued job of the kind per key: queuing another is a no-op.
    pub unique_key: Option<&'a str>,
}

/// A job as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobRecord {
    pub id: JobId,
    pub org: Option<OrgId>,
    pub kind: String,
    pub payload: String,
    pub unique_key: Option<String>,
    pub run_at: i64,
    /// Attempts so far, the running one included.
    pub attempts: u32,
    pub max_attempts: u32,
    pub lease_owner: Option<String>,
    pub lease_until: i64,
    pub last_error: Option<String>,
    pub failed_at: Option<i64>,
    pub created_at: i64,
}

#[derive(sqlx::FromRow)]
struct JobRow {
    id: i64,
    org_id: Option<i64>,
    kind: String,
    payload: String,
    unique_key: Option<String>,
    run_at: i64,
    attempts: i64,
    max_attempts: i64,
    lease_owner: Option<String>,
    lease_until: i64,
    last_error: Option<String>,
    failed_at: Option<i64>,
    created_at: i64,
}

impl From<JobRow> for JobRecord {
    fn from(row: JobRow) -> JobRecord {
        let count = |n: i64| u32::try_from(n.max(0)).unwrap_or(u32::MAX);
        JobRecord {
            id: JobId(row.id),
            org: row.org_id.map(OrgId),
            kind: row.kind,
            payload: row.payload,
            unique_key: row.unique_key,
            run_at: row.run_at,
            attempts: count(row.attempts),
            max_attempts: count(row.max_attempts),
            lease_owner: row.lease_owner,
            lease_until: row.lease_until,
            last_error: row.last_error,
            failed_at: row.failed_at,
            created_at: row.created_at,
        }
    }
}

const COLUMNS: &str = "id, org_id, kind, payload, unique_key, run_at, attempts, max_attempts, \
     lease_owner, lease_until, last_error, failed_at, created_at";

impl Store {
    /// Queues a job; `None` when a job of the kind with the same unique key is queued already.
    pub async fn enqueue_job(&self, job: &NewJob<'_>, now: i64) -> StoreResult<Option<JobId>> {
        let insert = insert(job, now, "DO NOTHING");
        let id: Option<(i64,)> = self.fetch_optional(insert).await?;
        Ok(id.map(|(id,)| JobId(id)))
    }

    /// Claims the next due job of `kind` for `owner` until `lease_until` (counting an attempt):
    /// due, not failed, and not leased by anyone (a lease that ran out — its runner died — is
    /// taken over).
    pub async fn claim_job(
        &self,
        kind: &str,
        owner: &str,
        now: i64,
        lease_until: i64,
    ) -> StoreResult<Option<JobRecord>> {
        let skip_locked = match self.engine() {
            Engine::Postgres => " FOR UPDATE SKIP LOCKED",
            Engine::Sqlite => "",
        };
        let sql = format!(
            "UPDATE jobs SET lease_owner = $1, lease_until = $2, attempts = attempts + 1 \
             WHERE id = (SELECT id FROM jobs \
                         WHERE kind = $3 AND failed_at IS NULL AND run_at <= $4 AND lease_until < $4 \
                         ORDER BY run_at, id LIMIT 1{skip_locked}) \
               AND lease_until < $4 \
             RETURNING {COLUMNS}"
        );
        let job: Option<JobRow> = with_pool!(self, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
            sql.clone()
        ))
        .bind(owner)
        .bind(lease_until)
        .bind(kind)
        .bind(now)
        .fetch_optional(pool)
        .await)?;
        Ok(job.map(JobRecord::from))
    }

    /// Extends the lease of a running job; `false` when `owner` no longer holds it.
    pub async fn renew_job(&self, id: JobId, owner: &str, lease_until: i64) -> StoreResult<bool> {
        let held =
            Statement::new("UPDATE jobs SET lease_until = $1 WHERE id = $2 AND lease_owner = $3")
                .bind(lease_until)
                .bind(id.0)
                .bind(owner);
        Ok(self.execute(held).await? == 1)
    }

    /// A job done: removed. `false` when `owner` no longer held it (its lease ran out and
    /// another runner took it over; that runner's outcome counts).
    pub async fn complete_job(&self, id: JobId, owner: &str) -> StoreResult<bool> {
        let held = Statement::new("DELETE FROM jobs WHERE id = $1 AND lease_owner = $2")
            .bind(id.0)
            .bind(owner);
        Ok(self.execute(held).await? == 1)
    }

    /// An attempt failed with `error`: run again at `retry_at`, or (`None`) failed for good until
    /// someone retries it; `attempts` is what counts from now on (the runner resets it for a job
    /// that had been working a while). `false` when `owner` no longer held the job.
    pub async fn fail_job(
        &self,
        id: JobId,
        owner: &str,
        error: &str,
        retry_at: Option<i64>,
        attempts: u32,
        now: i64,
    ) -> StoreResult<bool> {
        let held = Statement::new(
            "UPDATE jobs SET lease_owner = NULL, lease_until = 0, last_error = $1, attempts = $2, \
                   run_at = COALESCE($3, run_at), failed_at = CASE WHEN $3 IS NULL THEN $4 END \
                 WHERE id = $5 AND lease_owner = $6",
        )
        .bind(error)
        .bind(i64::from(attempts))
        .bind(retry_at)
        .bind(now)
        .bind(id.0)
        .bind(owner);
        Ok(self.execute(held).await? == 1)
    }

    /// A recurring job done for now: it runs again at `run_at`, its attempts and error cleared.
    /// `false` when `owner` no longer held it.
    pub async fn reschedule_job(&self, id: JobId, owner: &str, run_at: i64) -> StoreResult<bool> {
        let held = Statement::new(
            "UPDATE jobs SET lease_owner = NULL, lease_until = 0, run_at = $1, attempts = 0, \
                   last_error = NULL \
                 WHERE id = $2 AND lease_owner = $3",
        )
        .bind(run_at)
        .bind(id.0)
        .bind(owner);
        Ok(self.execute(held).await? == 1)
    }

    /// Gives a job back unfinished (its runner stops): free for any runner at once, the
    /// interrupted attempt not counted.
    pub async fn release_job(&self, id: JobId, owner: &str) -> StoreResult<bool> {
        let held = Statement::new(
            "UPDATE jobs SET lease_owner = NULL, lease_until = 0, \
                   attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END \
                 WHERE id = $1 AND lease_owner = $2",
        )
        .bind(id.0)
        .bind(owner);
        Ok(self.execute(held).await? == 1)
    }

    /// Queues a job, or — a job of the kind with the same unique key queued already — brings
    /// that one forward to `job.run_at` when it was due later, and revives it when it had failed
    /// for good ("Nu synchroniseren", "Nu controleren"). A running job runs on.
    pub async fn schedule_job(&self, job: &NewJob<'_>, now: i64) -> StoreResult<JobId> {
        let upsert = insert(
            job,
            now,
            "DO UPDATE SET \
               run_at = CASE WHEN excluded.run_at < jobs.run_at OR jobs.failed_at IS NOT NULL \
                             THEN excluded.run_at ELSE jobs.run_at END, \
               attempts = CASE WHEN jobs.failed_at IS NULL THEN jobs.attempts ELSE 0 END, \
               failed_at = NULL",
        );
        let (id,): (i64,) = self
            .fetch_optional(upsert)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(JobId(id))
    }

    /// Whether a job of `kind` with `unique_key` is running now (leased).
    pub async fn job_running(&self, kind: &str, unique_key: &str, now: i64) -> StoreResult<bool> {
        let running: Option<i64> = with_pool!(self, |pool| sqlx::query_scalar(
            "SELECT id FROM jobs WHERE kind = $1 AND unique_key = $2 AND lease_until >= $3",
        )
        .bind(kind)
        .bind(unique_key)
        .bind(now)
        .fetch_optional(pool)
        .await)?;
        Ok(running.is_some())
    }

    /// "Opnieuw proberen": a failed (or waiting) job runs at once, with its attempts counted
    /// from zero. `false` for a job that is running now (left to its runner); `NotFound` for a
    /// job that is not there (done, or, with `org`, of another organisation).
    pub async fn retry_job(&self, org: Option<OrgId>, id: JobId, now: i64) -> StoreResult<bool> {
        let org = org.map(|o| o.0);
        let done = with_pool!(self, |pool| sqlx::query(
            "UPDATE jobs SET failed_at = NULL, attempts = 0, run_at = $1 \
                 WHERE id = $2 AND lease_until < $1 AND ($3 IS NULL OR org_id = $3)",
        )
        .bind(now)
        .bind(id.0)
        .bind(org)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?;
        if done > 0 {
            return Ok(true);
        }
        let running: i64 = with_pool!(self, |pool| sqlx::query_scalar(
            "SELECT COUNT(*) FROM jobs WHERE id = $1 AND ($2 IS NULL OR org_id = $2)",
        )
        .bind(id.0)
        .bind(org)
        .fetch_one(pool)
        .await)?;
        match running {
            0 => Err(StoreError::NotFound),
            _ => Ok(false),
        }
    }

    /// A page of the organisation's queue as its SuperAdmins see it (jobs without an
    /// organisation are the installation's own and never shown): failed first, then running
    /// (leased beyond `now`), then waiting, each by when they run.
    pub async fn jobs(
        &self,
        org: OrgId,
        now: i64,
        page: postkamer_domain::PageRequest,
    ) -> StoreResult<postkamer_domain::Page<JobRecord>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM jobs WHERE org_id = $1 \
             ORDER BY CASE WHEN failed_at IS NOT NULL THEN 0 WHEN lease_until >= $2 THEN 1 ELSE 2 END, \
                      run_at, id \
             LIMIT {} OFFSET {}",
            page.limit(),
            page.offset()
        );
        let (rows, total): (Vec<JobRow>, i64) = with_pool!(self, |pool| (
            sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
                .bind(org.0)
                .bind(now)
                .fetch_all(pool)
                .await?,
            sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE org_id = $1")
                .bind(org.0)
                .fetch_one(pool)
                .await?,
        ));
        Ok(postkamer_domain::Page {
            items: rows.into_iter().map(JobRecord::from).collect(),
            page: page.page,
            per_page: page.per_page,
            total: u64::try_from(total).unwrap_or(0),
        })
    }

    /// The first `limit` jobs of every organisation and of none, by when they run (for tests).
    pub async fn all_jobs(&self, limit: u32) -> StoreResult<Vec<JobRecord>> {
        let sql = format!("SELECT {COLUMNS} FROM jobs ORDER BY run_at, id LIMIT $1");
        let jobs: Vec<JobRow> = with_pool!(self, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
            sql.clone()
        ))
        .bind(i64::from(limit))
        .fetch_all(pool)
        .await)?;
        Ok(jobs.into_iter().map(JobRecord::from).collect())
    }
}

/// The INSERT of `job`, with `on_conflict` for a job of the kind with the same unique key.
pub(crate) fn insert<'a>(job: &NewJob<'a>, now: i64, on_conflict: &str) -> Statement<'a> {
    Statement::new(format!(
        "INSERT INTO jobs (org_id, kind, payload, unique_key, run_at, max_attempts, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (kind, unique_key) WHERE unique_key IS NOT NULL {on_conflict} \
         RETURNING id"
    ))
    .bind(job.org.map(|o| o.0))
    .bind(job.kind)
    .bind(job.payload)
    .bind(job.unique_key)
    .bind(job.run_at)
    .bind(i64::from(job.max_attempts))
    .bind(now)
}
