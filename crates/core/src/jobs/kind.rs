//! A kind of job: its name, handler, concurrency, attempts, lease and back-off.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use postkamer_store::jobs::JobRecord;

/// What a handler returns: `Err` with a message for the SuperAdmins (Dutch, no secrets).
pub type JobResult = Result<Next, String>;

/// What comes after a job that went well.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// Done: the job is removed.
    Done,
    /// A recurring job: it runs again at this time (Unix milliseconds), its attempts counted
    /// afresh.
    At(i64),
}

pub(super) type Handler =
    Arc<dyn Fn(JobRecord) -> Pin<Box<dyn Future<Output = JobResult> + Send>> + Send + Sync>;

/// One kind of job and how it runs.
#[derive(Clone)]
pub struct JobKind {
    pub(super) name: &'static str,
    pub(super) concurrency: usize,
    pub(super) max_attempts: u32,
    pub(super) lease: Duration,
    backoff: Duration,
    max_backoff: Duration,
    pub(super) handler: Handler,
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
    pub(super) fn retry_delay(&self, attempts: u32) -> Duration {
        let doublings = attempts.saturating_sub(1).min(31);
        self.backoff
            .saturating_mul(1 << doublings)
            .min(self.max_backoff)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_off_doubles_up_to_its_maximum() {
        let kind = JobKind::new("x", |_| async { Ok(Next::Done) })
            .backoff(Duration::from_secs(30), Duration::from_secs(100));
        let delays: Vec<u64> = (1..=5).map(|n| kind.retry_delay(n).as_secs()).collect();
        assert_eq!(delays, [30, 60, 100, 100, 100]);
        assert_eq!(kind.retry_delay(u32::MAX), Duration::from_secs(100));
    }
}
