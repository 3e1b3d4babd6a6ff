//! Background work, all of it on the job runner (so with several instances on one database each
//! piece runs once, and a SuperAdmin sees it under Beheer → Systeem → Taken in de wachtrij):
//! - `mail.sync`, one job per mailbox that is on: keeps it in step for as long as it runs (see
//!   `postkamer_mail::worker`), taken over by another instance within a minute when its own
//!   stops; after a failure it is retried with back-off, its error on the mailbox for its user.
//! - `domain.check`, one recurring job per sending domain: runs when the domain is due for its
//!   re-check (hourly while pending or broken, daily while active).
//! - `mail.send`, one job per message of the outbox (see [`crate::sending`]).
//! - `housekeeping`, hourly and for the whole installation: drops expired sessions, old login
//!   failures and the relation sync's changes older than 90 days (a phone that last synced
//!   before that syncs its whole book again), and queues the jobs above where one is missing.

use std::sync::Arc;
use std::time::Duration;

use postkamer_domain::clock::millis;
use postkamer_domain::{MailboxId, OrgId, SendingDomainId};
use postkamer_mail::worker::{Unseal, WorkerConfig};
use postkamer_store::StoreError;
use postkamer_store::jobs::{JobRecord, NewJob};
use serde::{Deserialize, Serialize};
use tokio::sync::watch;

use crate::jobs::{JobKind, JobResult, JobRunner, Next};
use crate::{CheckReason, Core, CoreResult};

/// Job kinds: keep one mailbox in step; re-check one sending domain when it is due.
pub use postkamer_domain::jobs::{KIND_DOMAIN_CHECK as DOMAIN_CHECK, KIND_MAIL_SYNC as MAIL_SYNC};
/// Job kind: the installation's hourly housekeeping.
pub const HOUSEKEEPING: &str = "housekeeping";

/// Kinds that are never failed for good: they keep retrying, backing off.
const FOREVER: u32 = u32::MAX;
const HOUR: Duration = Duration::from_secs(3600);

/// What this instance runs in the background.
#[derive(Debug, Clone)]
pub struct BackgroundConfig {
    /// Names this instance in the job leases (unique per instance).
    pub owner: String,
    /// Keep mailboxes in step, with these settings; `None`: this instance syncs no mail.
    pub mail_sync: Option<WorkerConfig>,
    /// Run the sending domains' re-checks.
    pub domain_checks: bool,
    /// How often to look for due jobs (the instance's own are picked up at once).
    pub poll: Duration,
    /// The most mailboxes this instance keeps in step at the same time.
    pub mailboxes_per_instance: usize,
}

impl BackgroundConfig {
    pub fn new(owner: impl Into<String>) -> BackgroundConfig {
        BackgroundConfig {
            owner: owner.into(),
            mail_sync: Some(WorkerConfig::default()),
            domain_checks: true,
            poll: Duration::from_secs(2),
            mailboxes_per_instance: 1000,
        }
    }
}

/// The payload of a `mail.sync` job.
#[derive(Serialize, Deserialize)]
pub(crate) struct MailboxJob {
    pub(crate) mailbox: MailboxId,
}

/// The payload of a `domain.check` job.
#[derive(Serialize, Deserialize)]
pub(crate) struct DomainJob {
    pub(crate) domain: SendingDomainId,
}

/// The unique key of a mailbox's sync job.
pub fn mailbox_job_key(id: MailboxId) -> String {
    format!("mailbox:{}", id.0)
}

fn domain_job_key(id: SendingDomainId) -> String {
    format!("domain:{}", id.0)
}

fn payload<'a, T: Deserialize<'a>>(job: &'a JobRecord) -> Result<T, String> {
    serde_json::from_str(&job.payload)
        .map_err(|e| format!("De taak heeft een onleesbare opdracht ({e})."))
}

impl Core {
    /// Runs the background work of `config` until `shutdown` turns true; first makes sure
    /// every mailbox and domain has its job.
    pub async fn run_background(&self, config: BackgroundConfig, shutdown: watch::Receiver<bool>) {
        if let Err(err) = self.schedule_background().await {
            tracing::warn!(%err, "queuing the background jobs failed");
        }
        let runner = Arc::new(self.job_runner(&config));
        runner
            .run(config.poll, Arc::clone(&self.jobs_wake), shutdown)
            .await;
    }

    /// A runner for the kinds `config` switches on (and housekeeping).
    pub fn job_runner(&self, config: &BackgroundConfig) -> JobRunner {
        let mut kinds = vec![
            self.housekeeping_kind(),
            self.mail_send_kind(),
            self.mail_append_kind(),
        ];
        if let Some(worker) = &config.mail_sync {
            kinds.push(self.mail_sync_kind(worker.clone(), config.mailboxes_per_instance));
        }
        if config.domain_checks {
            kinds.push(self.domain_check_kind());
        }
        JobRunner::new(
            self.store.clone(),
            self.clock(),
            config.owner.clone(),
            kinds,
        )
    }

    /// Queues housekeeping, a sync job for every mailbox that is on and a check job for every
    /// domain, where one is missing (a job already queued keeps its time).
    pub async fn schedule_background(&self) -> CoreResult<()> {
        let now = self.now();
        let housekeeping = NewJob {
            org: None,
            kind: HOUSEKEEPING,
            payload: "{}",
            run_at: now,
            max_attempts: FOREVER,
            unique_key: Some(HOUSEKEEPING),
        };
        self.store.enqueue_job(&housekeeping, now).await?;
        for (org, mailbox) in self.store.enabled_mailboxes().await? {
            let (payload, key) = mail_sync_job(mailbox);
            self.store
                .enqueue_job(&job(org, MAIL_SYNC, &payload, now, &key), now)
                .await?;
        }
        for (org, domain, due) in self.store.domain_schedule().await? {
            let (payload, key) = domain_check_job(domain);
            self.store
                .enqueue_job(&job(org, DOMAIN_CHECK, &payload, due, &key), now)
                .await?;
        }
        self.jobs_wake.notify_one();
        Ok(())
    }

    /// Makes a mailbox's sync job run now (queued when missing, revived when it had failed).
    pub(crate) async fn schedule_mail_sync(
        &self,
        org: OrgId,
        mailbox: MailboxId,
    ) -> CoreResult<()> {
        let now = self.now();
        let (payload, key) = mail_sync_job(mailbox);
        self.store
            .schedule_job(&job(org, MAIL_SYNC, &payload, now, &key), now)
            .await?;
        self.jobs_wake.notify_one();
        Ok(())
    }

    /// Makes a domain's check job due at `at` at the latest.
    pub(crate) async fn schedule_domain_check(
        &self,
        org: OrgId,
        domain: SendingDomainId,
        at: i64,
    ) -> CoreResult<()> {
        let (payload, key) = domain_check_job(domain);
        self.store
            .schedule_job(&job(org, DOMAIN_CHECK, &payload, at, &key), self.now())
            .await?;
        self.jobs_wake.notify_one();
        Ok(())
    }

    fn housekeeping_kind(&self) -> JobKind {
        let core = self.clone();
        JobKind::new(HOUSEKEEPING, move |_| {
            let core = core.clone();
            async move {
                let done = async {
                    core.prune().await?;
                    core.schedule_background().await
                };
                match done.await {
                    Ok(()) => Ok(Next::At(core.now().saturating_add(millis(HOUR)))),
                    Err(err) => Err(format!("Het onderhoud is mislukt: {err}")),
                }
            }
        })
        .max_attempts(FOREVER)
        .backoff(Duration::from_secs(60), HOUR)
    }

    fn mail_sync_kind(&self, worker: WorkerConfig, concurrency: usize) -> JobKind {
        let core = self.clone();
        let unseal: Unseal = {
            let core = self.clone();
            Arc::new(move |mailbox| core.imap_account(mailbox))
        };
        JobKind::new(MAIL_SYNC, move |job| {
            let (core, worker, unseal) = (core.clone(), worker.clone(), Arc::clone(&unseal));
            async move {
                let MailboxJob { mailbox } = payload(&job)?;
                let clock = core.clock();
                postkamer_mail::worker::keep_in_step(
                    &core.mail_storage(),
                    mailbox,
                    &worker,
                    &unseal,
                    &*clock,
                )
                .await
                .map(|()| Next::Done)
                .map_err(|err| err.message_nl())
            }
        })
        .concurrency(concurrency)
        .max_attempts(FOREVER)
        // Renewed every 20 s: another instance takes over within a minute of this one's end.
        .lease(Duration::from_secs(60))
        .backoff(Duration::from_secs(5), Duration::from_secs(600))
    }

    fn domain_check_kind(&self) -> JobKind {
        let core = self.clone();
        let dns = self.config.domains.check.dns.timeout;
        JobKind::new(DOMAIN_CHECK, move |job| {
            let core = core.clone();
            async move { core.domain_check_job(&job).await }
        })
        .concurrency(4)
        .max_attempts(FOREVER)
        // A check asks a few dozen questions, each waiting up to the DNS timeout.
        .lease(dns.saturating_mul(20) + Duration::from_secs(60))
        .backoff(self.config.domains.retry_every, HOUR)
    }

    async fn domain_check_job(&self, job: &JobRecord) -> JobResult {
        let DomainJob { domain: id } = payload(job)?;
        let failed = |err: crate::CoreError| format!("De domeincontrole is mislukt: {err}");
        let record = match self.store.domain_by_id(id).await {
            Ok(record) => record,
            // Deleted: nothing left to check.
            Err(StoreError::NotFound) => return Ok(Next::Done),
            Err(err) => return Err(failed(err.into())),
        };
        // Checked by hand meanwhile: due later.
        if record.next_check_at > self.now() {
            return Ok(Next::At(record.next_check_at));
        }
        let next = self
            .run_check(&record, CheckReason::Scheduled)
            .await
            .map_err(failed)?;
        Ok(Next::At(next))
    }
}

fn mail_sync_job(mailbox: MailboxId) -> (String, String) {
    let payload = serde_json::json!(MailboxJob { mailbox }).to_string();
    (payload, mailbox_job_key(mailbox))
}

fn domain_check_job(domain: SendingDomainId) -> (String, String) {
    let payload = serde_json::json!(DomainJob { domain }).to_string();
    (payload, domain_job_key(domain))
}

fn job<'a>(org: OrgId, kind: &'a str, payload: &'a str, run_at: i64, key: &'a str) -> NewJob<'a> {
    NewJob {
        org: Some(org),
        kind,
        payload,
        run_at,
        max_attempts: FOREVER,
        unique_key: Some(key),
    }
}
