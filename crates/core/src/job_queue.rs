//! Beheer → Systeem → Taken in de wachtrij (SuperAdmin only): the organisation's queued jobs —
//! what each is about, its state, attempts and last error — and "Opnieuw proberen", which makes
//! a failed or waiting job run now. Jobs without an organisation are the installation's own
//! and never shown. A job's subject (the mailbox owner, the domain) is looked up here; a lookup
//! that fails leaves the job without a subject rather than the page without its list.

use std::collections::HashMap;
use std::time::Duration;

use postkamer_domain::clock::millis;
use postkamer_domain::jobs::{JobState, KIND_DOMAIN_CHECK, KIND_MAIL_SYNC, QueuedJob, kind_label};
use postkamer_domain::{JobId, MailboxId, OrgId, Page, PageRequest, SendingDomainId, User};
use postkamer_store::jobs::{JobRecord, NewJob};

use crate::background::{DomainJob, MailboxJob};
use crate::{Core, CoreError, CoreResult, require_superadmin};

/// What a job of a known kind is about, read from its payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Subject {
    Mailbox(MailboxId),
    Domain(SendingDomainId),
}

impl Subject {
    /// `None` for an unknown kind or a payload that does not name its subject.
    fn of(kind: &str, payload: &str) -> Option<Subject> {
        match kind {
            KIND_MAIL_SYNC => serde_json::from_str::<MailboxJob>(payload)
                .ok()
                .map(|p| Subject::Mailbox(p.mailbox)),
            KIND_DOMAIN_CHECK => serde_json::from_str::<DomainJob>(payload)
                .ok()
                .map(|p| Subject::Domain(p.domain)),
            _ => None,
        }
    }
}

impl Core {
    /// A page of the caller's organisation's queue: failed jobs first, then running, then
    /// waiting, each by when they run. SuperAdmins only.
    pub async fn job_queue(&self, caller: &User, page: PageRequest) -> CoreResult<Page<QueuedJob>> {
        require_superadmin(caller)?;
        let now = self.now();
        let records = self.store.jobs(caller.org_id, now, page).await?;
        let mut subjects: HashMap<Subject, Option<String>> = HashMap::new();
        let mut items = Vec::with_capacity(records.items.len());
        for job in records.items {
            let subject = match Subject::of(&job.kind, &job.payload) {
                Some(of) => match subjects.get(&of) {
                    Some(name) => name.clone(),
                    None => {
                        let name = self.subject_name(caller.org_id, of).await;
                        subjects.insert(of, name.clone());
                        name
                    }
                },
                None => None,
            };
            items.push(queued(job, subject, now));
        }
        Ok(Page {
            items,
            page: records.page,
            per_page: records.per_page,
            total: records.total,
        })
    }

    /// "Opnieuw proberen / nu uitvoeren": a failed or waiting job of the caller's organisation
    /// runs as soon as a runner is free, its attempts counted afresh. SuperAdmins only; another
    /// organisation's job, or one that is done, is `NotFound`; a running one `Conflict`.
    pub async fn retry_job(&self, caller: &User, id: JobId) -> CoreResult<()> {
        require_superadmin(caller)?;
        if self
            .store
            .retry_job(Some(caller.org_id), id, self.now())
            .await?
        {
            self.jobs_wake.notify_one();
            Ok(())
        } else {
            Err(CoreError::Conflict("job_running"))
        }
    }

    /// The subject's name as the queue shows it; `None` when it cannot be found (deleted, of
    /// another organisation) or read.
    async fn subject_name(&self, org: OrgId, subject: Subject) -> Option<String> {
        match subject {
            Subject::Mailbox(id) => {
                let mailbox = self.store.mailbox(id).await.ok()?;
                if mailbox.org != org {
                    return None;
                }
                let owner = self.store.user(org, mailbox.settings.user).await.ok()?;
                let name = owner.name.trim();
                Some(if name.is_empty() {
                    owner.email.to_string()
                } else {
                    name.to_owned()
                })
            }
            Subject::Domain(id) => self.store.domain(org, id).await.ok().map(|d| d.domain),
        }
    }

    /// Queues a job of `kind` to run after `delay` (for tests: the runner queues its own).
    #[doc(hidden)]
    pub async fn enqueue_job(
        &self,
        org: Option<OrgId>,
        kind: &str,
        payload: &str,
        delay: Duration,
        unique_key: Option<&str>,
        max_attempts: u32,
    ) -> CoreResult<Option<JobId>> {
        let now = self.now();
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

    /// Claims the next due job of `kind` as `owner` for `lease`, as a runner would (for tests).
    #[doc(hidden)]
    pub async fn claim_job_for_tests(
        &self,
        kind: &str,
        owner: &str,
        lease: Duration,
    ) -> CoreResult<Option<JobId>> {
        let now = self.now();
        let until = now.saturating_add(millis(lease));
        let job = self.store.claim_job(kind, owner, now, until).await?;
        Ok(job.map(|j| j.id))
    }

    /// Ends `owner`'s attempt at a job with `error`: retried after `retry_in`, or failed for
    /// good with `None`, as the runner records it (for tests).
    #[doc(hidden)]
    pub async fn fail_job_for_tests(
        &self,
        id: JobId,
        owner: &str,
        error: &str,
        retry_in: Option<Duration>,
    ) -> CoreResult<bool> {
        let now = self.now();
        let retry_at = retry_in.map(|d| now.saturating_add(millis(d)));
        // The attempt claimed is the first (tests claim fresh jobs).
        Ok(self
            .store
            .fail_job(id, owner, error, retry_at, 1, now)
            .await?)
    }
}

fn queued(job: JobRecord, subject: Option<String>, now: i64) -> QueuedJob {
    let (label_nl, label_en) = kind_label(&job.kind);
    QueuedJob {
        id: job.id,
        state: JobState::at(job.failed_at, job.lease_until, now),
        label_nl,
        label_en,
        subject,
        kind: job.kind,
        run_at: job.run_at,
        attempts: job.attempts,
        max_attempts: (job.max_attempts != u32::MAX).then_some(job.max_attempts),
        last_error: job.last_error,
        created_at: job.created_at,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_known_kinds_payload_names_its_subject() {
        assert_eq!(
            Subject::of(KIND_MAIL_SYNC, r#"{"mailbox": 7}"#),
            Some(Subject::Mailbox(MailboxId(7)))
        );
        assert_eq!(
            Subject::of(KIND_DOMAIN_CHECK, r#"{"domain": 3, "reason": "scheduled"}"#),
            Some(Subject::Domain(SendingDomainId(3)))
        );
        assert_eq!(Subject::of(KIND_MAIL_SYNC, r#"{"domain": 3}"#), None);
        assert_eq!(Subject::of(KIND_MAIL_SYNC, "geen json"), None);
        assert_eq!(Subject::of("backup", r#"{"mailbox": 7}"#), None);
    }
}
