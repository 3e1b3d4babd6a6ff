//! The job runner: durable background work from the database's job queue, each job run by one
//! runner at a time however many server instances share the database. A kind of job names its
//! handler, how many of it one runner runs at once, its lease (after which a job whose runner
//! died is taken over) and its retries (backing off, doubling from `backoff` to `max_backoff`);
//! after the last attempt the job stays, failed, with its error, until a SuperAdmin retries it.
//! Time comes from the runner's [`Clock`], so tests drive leases and back-off by hand.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use postkamer_domain::clock::millis;
use postkamer_domain::{Clock, JobId, OrgId};
use postkamer_store::Store;
use postkamer_store::jobs::{JobRecord, NewJob};

use crate::{CoreError, CoreResult};

/// What a handler returns: `Err` with a message for the SuperAdmins (Dutch, no secrets).
pub type JobResult = Result<(), String>;

type Handler =
    Arc<dyn Fn(JobRecord) -> Pin<Box<dyn Future<Output = JobResult> + Send>> + Send + Sync>;

/// One kind of job and how it runs.
#[derive(Clone)]
pub struct JobKind {
    name: &'static str,
    concurrency: usize,
    max_attempts: u32,
    lease: Duration,
    backoff: Duration,
    max_backoff: Duration,
    handler: Handler,
}

impl std::fmt::Debug for JobKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JobKind")
            .field("name", &self.name)
            .field("concurrency", &self.concurrency)
            .field("max_attempts", &self.max_attempts)
            .finish_non_exhaustive()
    }
}

impl JobKind {
    /// A kind run by `handler`: one at a time per runner, 5 attempts, a 10-minute lease, back-off
    /// from 30 seconds to an hour.
    pub fn new<F, Fut>(name: &'static str, handler: F) -> JobKind
    where
        F: Fn(JobRecord) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = JobResult> + Send + 'static,
    {
        JobKind {
            name,
            concurrency: 1,
            max_attempts: 5,
            lease: Duration::from_secs(600),
            backoff: Duration::from_secs(30),
            max_backoff: Duration::from_secs(3600),
            handler: Arc::new(move |job| Box::pin(handler(job))),
        }
    }

    /// Jobs of this kind one runner runs at the same time.
    pub fn concurrency(mut self, jobs: usize) -> JobKind {
        self.concurrency = jobs.max(1);
        self
    }

    pub fn max_attempts(mut self, attempts: u32) -> JobKind {
        self.max_attempts = attempts.max(1);
        self
    }

    /// How long a claim holds: a job still leased after it is taken over by another runner.
    pub fn lease(mut self, lease: Duration) -> JobKind {
        self.lease = lease;
        self
    }

    /// The wait after the first failed attempt, doubled after each next one up to `max`.
    pub fn backoff(mut self, first: Duration, max: Duration) -> JobKind {
        self.backoff = first;
        self.max_backoff = max;
        self
    }

    /// The wait before the attempt after `attempts` failed ones.
    fn retry_delay(&self, attempts: u32) -> Duration {
        let doublings = attempts.saturating_sub(1).min(31);
        self.backoff
            .saturating_mul(1 << doublings)
            .min(self.max_backoff)
    }
}

/// What one run of a job came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ran {
    Done(JobId),
    /// Failed; runs again at `at` (Unix milliseconds).
    Retry {
        id: JobId,
        at: i64,
        error: String,
    },
    /// Failed its last attempt: waits for a retry by hand.
    Failed {
        id: JobId,
        error: String,
    },
    /// The lease ran out while it ran and another runner took the job over; this outcome was
    /// not recorded.
    Lost(JobId),
}

/// Runs the queue's jobs of the kinds it knows, as `owner` (unique per runner).
pub struct JobRunner {
    store: Store,
    clock: Arc<dyn Clock>,
    owner: String,
    kinds: Vec<JobKind>,
    running: Mutex<HashMap<&'static str, usize>>,
}

impl std::fmt::Debug for JobRunner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JobRunner")
            .field("owner", &self.owner)
            .field("kinds", &self.kinds)
            .finish_non_exhaustive()
    }
}

/// A place taken in a kind's concurrency, given back when dropped (also when the run is
/// cancelled).
struct Slot<'a> {
    running: &'a Mutex<HashMap<&'static str, usize>>,
    kind: &'static str,
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        let mut running = self.running.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(n) = running.get_mut(self.kind) {
            *n = n.saturating_sub(1);
        }
    }
}

impl JobRunner {
    pub fn new(
        store: Store,
        clock: Arc<dyn Clock>,
        owner: impl Into<String>,
        kinds: Vec<JobKind>,
    ) -> JobRunner {
        JobRunner {
            store,
            clock,
            owner: owner.into(),
            kinds,
            running: Mutex::new(HashMap::new()),
        }
    }

    fn kind(&self, name: &str) -> CoreResult<&JobKind> {
        self.kinds
            .iter()
            .find(|k| k.name == name)
            .ok_or_else(|| CoreError::Internal(format!("no job kind {name:?}")))
    }

    /// Queues a job of `kind` (one of this runner's) to run after `delay`; `None` when a job of
    /// the kind with the same `unique_key` is queued already.
    pub async fn enqueue(
        &self,
        org: Option<OrgId>,
        kind: &str,
        payload: &str,
        delay: Duration,
        unique_key: Option<&str>,
    ) -> CoreResult<Option<JobId>> {
        let max_attempts = self.kind(kind)?.max_attempts;
        let now = self.clock.now_millis();
        let job = NewJob {
            org,
            kind,
            payload,
            run_at: now.saturating_add(millis(delay)),
            max_attempts,
            unique_key,
        };
        Ok(self.store.enqueue_job(&job, now).await?)
    }

    fn take_slot(&self, kind: &JobKind) -> Option<Slot<'_>> {
        let mut running = self.running.lock().unwrap_or_else(PoisonError::into_inner);
        let n = running.entry(kind.name).or_default();
        (*n < kind.concurrency).then(|| {
            *n += 1;
            Slot {
                running: &self.running,
                kind: kind.name,
            }
        })
    }

    /// Claims one due job of a kind with room and runs it to the end; `None` when nothing is due.
    pub async fn run_once(&self) -> CoreResult<Option<Ran>> {
        for kind in &self.kinds {
            let Some(_slot) = self.take_slot(kind) else {
                continue;
            };
            let now = self.clock.now_millis();
            let until = now.saturating_add(millis(kind.lease));
            if let Some(job) = self
                .store
                .claim_job(kind.name, &self.owner, now, until)
                .await?
            {
                return self.run(kind, job).await.map(Some);
            }
        }
        Ok(None)
    }

    async fn run(&self, kind: &JobKind, job: JobRecord) -> CoreResult<Ran> {
        let (id, attempts, max_attempts) = (job.id, job.attempts, job.max_attempts);
        // On a task of its own: a handler that panics fails its attempt, not the runner.
        let outcome = match tokio::spawn((kind.handler)(job)).await {
            Ok(outcome) => outcome,
            Err(err) if err.is_panic() => Err("De taak is onverwacht afgebroken.".to_owned()),
            Err(_) => Err("De taak is geannuleerd.".to_owned()),
        };
        let now = self.clock.now_millis();
        let owner = &self.owner;
        let (held, ran) = match outcome {
            Ok(()) => (self.store.complete_job(id, owner).await?, Ran::Done(id)),
            Err(error) if attempts >= max_attempts => {
                tracing::warn!(job = %id, kind = kind.name, %error, "job failed for good");
                let held = self.store.fail_job(id, owner, &error, None, now).await?;
                (held, Ran::Failed { id, error })
            }
            Err(error) => {
                let at = now.saturating_add(millis(kind.retry_delay(attempts)));
                tracing::info!(job = %id, kind = kind.name, %error, attempts, "job failed; retried later");
                let held = self
                    .store
                    .fail_job(id, owner, &error, Some(at), now)
                    .await?;
                (held, Ran::Retry { id, at, error })
            }
        };
        Ok(if held { ran } else { Ran::Lost(id) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_off_doubles_up_to_its_maximum() {
        let kind = JobKind::new("x", |_| async { Ok(()) })
            .backoff(Duration::from_secs(30), Duration::from_secs(100));
        let delays: Vec<u64> = (1..=5).map(|n| kind.retry_delay(n).as_secs()).collect();
        assert_eq!(delays, [30, 60, 100, 100, 100]);
        assert_eq!(kind.retry_delay(u32::MAX), Duration::from_secs(100));
    }
}
