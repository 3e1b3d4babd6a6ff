//! The job runner: durable background work from the database's job queue, each job run by one
//! runner at a time however many server instances share the database. A kind of job names its
//! handler, how many of it one runner runs at once, its lease (after which a job whose runner
//! died is taken over) and its retries (backing off, doubling from `backoff` to `max_backoff`);
//! after the last attempt the job stays, failed, with its error, until a SuperAdmin retries it.
//! Time comes from the runner's [`Clock`], so tests drive leases and back-off by hand.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinSet;

use postkamer_domain::clock::millis;
use postkamer_domain::{Clock, JobId, OrgId};
use postkamer_store::Store;
use postkamer_store::jobs::{JobRecord, NewJob};

use crate::{CoreError, CoreResult};

mod kind;

pub use kind::{JobKind, JobResult, Next};

/// What one run of a job came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ran {
    Done(JobId),
    /// Done for now; runs again at `at` (Unix milliseconds).
    Rescheduled {
        id: JobId,
        at: i64,
    },
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
    /// The lease was lost while it ran (another runner took the job over): the handler was
    /// stopped and its outcome not recorded.
    Lost(JobId),
}

/// Runs the queue's jobs of the kinds it knows, as `owner` (unique per runner).
pub struct JobRunner {
    store: Store,
    clock: Arc<dyn Clock>,
    owner: String,
    kinds: Vec<JobKind>,
    running: Running,
}

/// Jobs running per kind.
type Running = Arc<Mutex<HashMap<&'static str, usize>>>;

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
struct Slot {
    running: Running,
    kind: &'static str,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut running = self.running.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(n) = running.get_mut(self.kind) {
            *n = n.saturating_sub(1);
        }
    }
}

/// A handler's task, stopped when its run is dropped (lease lost, runner shut down).
struct AbortOnDrop(tokio::task::JoinHandle<JobResult>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// A job claimed and the kind it is of, with its place in the kind's concurrency.
struct Claimed {
    kind: JobKind,
    job: JobRecord,
    _slot: Slot,
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
            running: Running::default(),
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

    fn take_slot(&self, kind: &JobKind) -> Option<Slot> {
        let mut running = self.running.lock().unwrap_or_else(PoisonError::into_inner);
        let n = running.entry(kind.name).or_default();
        (*n < kind.concurrency).then(|| {
            *n += 1;
            Slot {
                running: Arc::clone(&self.running),
                kind: kind.name,
            }
        })
    }

    /// Claims one due job of a kind with room to run it.
    async fn claim(&self) -> CoreResult<Option<Claimed>> {
        for kind in &self.kinds {
            let Some(slot) = self.take_slot(kind) else {
                continue;
            };
            let now = self.clock.now_millis();
            let until = now.saturating_add(millis(kind.lease));
            if let Some(job) = self
                .store
                .claim_job(kind.name, &self.owner, now, until)
                .await?
            {
                return Ok(Some(Claimed {
                    kind: kind.clone(),
                    job,
                    _slot: slot,
                }));
            }
        }
        Ok(None)
    }

    /// Claims one due job of a kind with room and runs it to the end; `None` when nothing is due.
    pub async fn run_once(&self) -> CoreResult<Option<Ran>> {
        match self.claim().await? {
            Some(claimed) => self.execute(&claimed.kind, claimed.job).await.map(Some),
            None => Ok(None),
        }
    }

    /// Runs jobs until `shutdown` turns true (or its sender is gone): every due job a kind has
    /// room for, each on a task of its own, looking for more every `poll`, whenever `wake` is
    /// notified (a job queued by this instance) and whenever a job ends. On shutdown the jobs
    /// still running are stopped and given back to the queue, free for another runner at once.
    pub async fn run(
        self: Arc<Self>,
        poll: Duration,
        wake: Arc<tokio::sync::Notify>,
        mut shutdown: watch::Receiver<bool>,
    ) {
        let mut tasks = JoinSet::new();
        let mut running: HashMap<tokio::task::Id, JobId> = HashMap::new();
        while !*shutdown.borrow() {
            loop {
                match self.claim().await {
                    Ok(Some(claimed)) => {
                        let id = claimed.job.id;
                        let runner = Arc::clone(&self);
                        let task = tasks.spawn(async move {
                            let Claimed { kind, job, _slot } = claimed;
                            if let Err(err) = runner.execute(&kind, job).await {
                                tracing::warn!(job = %id, kind = kind.name, %err, "recording a job's outcome failed");
                            }
                        });
                        running.insert(task.id(), id);
                    }
                    Ok(None) => break,
                    Err(err) => {
                        tracing::warn!(%err, "claiming jobs failed");
                        break;
                    }
                }
            }
            tokio::select! {
                () = tokio::time::sleep(poll) => {}
                () = wake.notified() => {}
                changed = shutdown.changed() => if changed.is_err() { break },
                Some(ended) = tasks.join_next_with_id() => {
                    let task = match ended {
                        Ok((task, ())) => task,
                        Err(err) => err.id(),
                    };
                    running.remove(&task);
                }
            }
        }
        tasks.abort_all();
        while tasks.join_next().await.is_some() {}
        for id in running.into_values() {
            if let Err(err) = self.store.release_job(id, &self.owner).await {
                tracing::warn!(job = %id, %err, "giving a job back failed");
            }
        }
    }

    /// Runs a claimed job, renewing its lease every third of it, and records the outcome.
    async fn execute(&self, kind: &JobKind, job: JobRecord) -> CoreResult<Ran> {
        let (id, attempts, max_attempts) = (job.id, job.attempts, job.max_attempts);
        let started = self.clock.now_millis();
        // On a task of its own: a handler that panics fails its attempt, not the runner.
        let mut handler = AbortOnDrop(tokio::spawn((kind.handler)(job)));
        let outcome = tokio::select! {
            joined = &mut handler.0 => match joined {
                Ok(outcome) => outcome,
                Err(err) if err.is_panic() => Err("De taak is onverwacht afgebroken.".to_owned()),
                Err(_) => Err("De taak is geannuleerd.".to_owned()),
            },
            () = self.keep_lease(id, kind.lease) => {
                tracing::info!(job = %id, kind = kind.name, "lease lost: another runner has the job");
                return Ok(Ran::Lost(id));
            }
        };
        let now = self.clock.now_millis();
        // A job that had been working longer than its lease failed afresh (a sync whose
        // connection dropped after hours): back-off and attempts start over.
        let attempts = if now - started > millis(kind.lease) {
            1
        } else {
            attempts
        };
        let ran = self
            .record(kind, id, outcome, attempts.max(1), max_attempts, now)
            .await?;
        Ok(ran)
    }

    /// Renews a running job's lease every third of it; returns when the lease is lost.
    async fn keep_lease(&self, id: JobId, lease: Duration) {
        loop {
            tokio::time::sleep(lease / 3).await;
            let until = self.clock.now_millis().saturating_add(millis(lease));
            match self.store.renew_job(id, &self.owner, until).await {
                Ok(true) => {}
                Ok(false) => return,
                // Tried again a third of a lease later; meanwhile the lease may run out.
                Err(err) => tracing::warn!(job = %id, %err, "renewing a job's lease failed"),
            }
        }
    }

    async fn record(
        &self,
        kind: &JobKind,
        id: JobId,
        outcome: JobResult,
        attempts: u32,
        max_attempts: u32,
        now: i64,
    ) -> CoreResult<Ran> {
        let owner = &self.owner;
        let (held, ran) = match outcome {
            Ok(Next::Done) => (self.store.complete_job(id, owner).await?, Ran::Done(id)),
            Ok(Next::At(at)) => (
                self.store.reschedule_job(id, owner, at).await?,
                Ran::Rescheduled { id, at },
            ),
            Err(error) if attempts >= max_attempts => {
                tracing::warn!(job = %id, kind = kind.name, %error, "job failed for good");
                let held = self
                    .store
                    .fail_job(id, owner, &error, None, attempts, now)
                    .await?;
                (held, Ran::Failed { id, error })
            }
            Err(error) => {
                let at = now.saturating_add(millis(kind.retry_delay(attempts)));
                tracing::info!(job = %id, kind = kind.name, %error, attempts, "job failed; retried later");
                let held = self
                    .store
                    .fail_job(id, owner, &error, Some(at), attempts, now)
                    .await?;
                (held, Ran::Retry { id, at, error })
            }
        };
        Ok(if held { ran } else { Ran::Lost(id) })
    }
}
