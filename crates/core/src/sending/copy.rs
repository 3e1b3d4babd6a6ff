//! The writer's copy of a sent message. It is stored with the message when it is queued, so it
//! is on the relation's timeline and in Verzonden at once; once the message is sent, the
//! `mail.append` job stores it in the Sent folder on the writer's IMAP server with `\Seen` and
//! hands its UID to the stored copy, so the next sync recognises it (no duplicate). Failing to
//! APPEND never fails the send: the job is retried with back-off.
//!
//! The job looks for the Message-ID in the Sent folder before it APPENDs: an earlier attempt
//! that stored the copy but died before recording it, or a server that files sent mail itself
//! (Gmail, Microsoft 365), does not get a second copy.

use std::time::Duration;

use postkamer_domain::jobs::KIND_MAIL_APPEND;
use postkamer_domain::mail::FolderRole;
use postkamer_domain::{OrgId, OutboxId, UserId};
use postkamer_mail::imap::Flags;
use postkamer_store::StoreError;
use postkamer_store::jobs::{JobRecord, NewJob};
use postkamer_store::outbox::{SentCopy, append_job_key};

use super::SendJob;
use crate::jobs::{JobKind, JobResult, Next};
use crate::{Core, CoreResult};

/// Job kind: store a sent message in the writer's Sent folder on their IMAP server.
pub const MAIL_APPEND: &str = KIND_MAIL_APPEND;

/// How often an APPEND is tried before it is left failed in the job queue (with the back-off,
/// about a day).
const APPEND_ATTEMPTS: u32 = 30;

impl Core {
    /// The copy to store with a message `user` queues: in their Sent folder when the sync knows
    /// it, else (no mailbox yet) for the timelines only.
    pub(super) async fn sent_copy(
        &self,
        org: OrgId,
        user: UserId,
        raw: &[u8],
    ) -> CoreResult<SentCopy> {
        let folder = match self.store.mailbox_of_user(org, user).await? {
            Some(mailbox) => self
                .store
                .folders(mailbox.settings.id)
                .await?
                .into_iter()
                .find(|f| f.role == FolderRole::Sent)
                .map(|f| f.id),
            None => None,
        };
        Ok(SentCopy {
            message: postkamer_mail::sync::incoming(raw, self.now()),
            folder,
        })
    }

    /// The `mail.append` job for a message of `user` that has just been sent; `None` when they
    /// have no IMAP mailbox.
    pub(super) async fn append_job(
        &self,
        org: OrgId,
        user: UserId,
        id: OutboxId,
    ) -> CoreResult<Option<(String, String)>> {
        if self.store.mailbox_of_user(org, user).await?.is_none() {
            return Ok(None);
        }
        let payload = serde_json::to_string(&SendJob { outbox: id })
            .map_err(|e| crate::CoreError::Internal(e.to_string()))?;
        Ok(Some((payload, append_job_key(id))))
    }

    pub(crate) fn mail_append_kind(&self) -> JobKind {
        let core = self.clone();
        JobKind::new(MAIL_APPEND, move |job| {
            let core = core.clone();
            async move { core.append(&job).await }
        })
        .concurrency(4)
        .max_attempts(APPEND_ATTEMPTS)
        .backoff(Duration::from_secs(60), Duration::from_secs(3600))
    }

    /// One attempt at storing the copy on the server.
    async fn append(&self, job: &JobRecord) -> JobResult {
        let SendJob { outbox: id } = serde_json::from_str(&job.payload)
            .map_err(|e| format!("De taak heeft een onleesbare opdracht ({e})."))?;
        let failed = |err: crate::CoreError| format!("Bewaren in Verzonden is mislukt: {err}");
        let record = match self.store.outgoing(id).await {
            Ok(record) => record,
            Err(StoreError::NotFound) => return Ok(Next::Done),
            Err(err) => return Err(failed(err.into())),
        };
        let Some(mailbox) = self
            .store
            .mailbox_of_user(record.org, record.user)
            .await
            .map_err(|e| failed(e.into()))?
        else {
            // The mailbox was removed meanwhile: nowhere to keep it.
            return Ok(Next::Done);
        };
        let folders = self
            .store
            .folders(mailbox.settings.id)
            .await
            .map_err(|e| failed(e.into()))?;
        let Some(sent) = folders.into_iter().find(|f| f.role == FolderRole::Sent) else {
            return Err(
                "De map Verzonden is nog niet bekend: de eerste synchronisatie van de mailbox loopt nog."
                    .to_owned(),
            );
        };
        let raw = self
            .store
            .outgoing_raw(id)
            .await
            .map_err(|e| failed(e.into()))?;
        let mut conn = self.connect(&mailbox).await.map_err(failed)?;
        let state = conn
            .select(&sent.name)
            .await
            .map_err(|e| failed(e.into()))?;
        let mut uid = conn
            .with_message_id(&record.message_id)
            .await
            .map_err(|e| failed(e.into()))?
            .last()
            .copied();
        if uid.is_none() {
            let seen = Flags {
                seen: true,
                flagged: false,
            };
            uid = conn
                .append(&sent.name, &raw, seen)
                .await
                .map_err(|e| failed(e.into()))?;
            tracing::info!(outbox = %id, ?uid, "sent message stored in Sent");
        }
        let _ = conn.logout().await;
        // Without APPENDUID the next sync brings the copy, and recognises it by its bytes.
        if let Some(uid) = uid {
            self.store
                .settle_sent_copy(id, sent.id, uid, state.uid_validity)
                .await
                .map_err(|e| failed(e.into()))?;
        }
        Ok(Next::Done)
    }
}

/// The job that APPENDs a sent message, as the store queues it with the sent state.
pub(super) fn append_new_job<'a>(org: OrgId, payload: &'a str, key: &'a str) -> NewJob<'a> {
    NewJob {
        org: Some(org),
        kind: MAIL_APPEND,
        payload,
        run_at: 0,
        max_attempts: APPEND_ATTEMPTS,
        unique_key: Some(key),
    }
}
