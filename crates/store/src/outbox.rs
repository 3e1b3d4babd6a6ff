//! The outbox (Postvak UIT) and the users' SMTP accounts.
//!
//! A message is queued together with the job that sends it, in one transaction: there is never
//! a message without its job or a job without its message. The state moves only forward through
//! the statements here: [`Store::start_sending`] takes a waiting (or failed, or interrupted)
//! message, [`Store::finish_sending`] records what the server said; a cancel only takes a
//! message that is not being sent.

use postkamer_domain::mail::TlsMode;
use postkamer_domain::mail::outbox::{OutboxState, Recipient};
use postkamer_domain::mail::sync::{FolderId, IncomingMessage};
use postkamer_domain::{ActionTypeId, DraftId, JobId, OrgId, OutboxId, Page, PageRequest, UserId};

use crate::jobs::NewJob;
use crate::sql::Statement;
use crate::{Store, StoreError, StoreResult, with_pool};

/// A message to queue.
#[derive(Debug, Clone)]
pub struct NewOutgoing<'a> {
    pub org: OrgId,
    pub user: UserId,
    pub message_id: &'a str,
    pub envelope_from: &'a str,
    pub subject: &'a str,
    pub recipients: &'a [Recipient],
    pub raw: &'a [u8],
    pub signed_with: Option<&'a str>,
    /// When the job sends it: now, or a few seconds on (the time to undo sending).
    pub send_at: i64,
    /// The message as it is stored at once, for the timeline and Verzonden.
    pub copy: Option<SentCopy>,
    /// The draft it was written as: being sent from now on (`InUse("draft_sending")` when it is
    /// already, or is not the writer's).
    pub draft: Option<DraftId>,
    /// The action type it is sent as (E-mail uit).
    pub action_type: Option<ActionTypeId>,
}

/// A message sent from Postkamer as the writer's own stored message: in their Sent folder (at a
/// provisional UID until its copy on the server is known) when they have a mailbox; without
/// one, on the timelines of the relations it was sent to.
#[derive(Debug, Clone)]
pub struct SentCopy {
    pub message: IncomingMessage,
    pub folder: Option<FolderId>,
}

/// The provisional UID in Verzonden of outbox message `id`.
fn provisional_uid(id: OutboxId) -> i64 {
    -id.0
}

/// A message in the outbox (without its bytes: [`Store::outgoing_raw`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxRecord {
    pub id: OutboxId,
    pub org: OrgId,
    pub user: UserId,
    pub message_id: String,
    pub envelope_from: String,
    pub subject: String,
    pub recipients: Vec<Recipient>,
    pub signed_with: Option<String>,
    pub state: OutboxState,
    pub attempts: u32,
    pub last_error: Option<String>,
    pub retry_at: Option<i64>,
    pub size: u64,
    pub created_at: i64,
    pub updated_at: i64,
    pub sent_at: Option<i64>,
}

/// What one attempt came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendOutcome {
    pub state: OutboxState,
    pub recipients: Vec<Recipient>,
    pub last_error: Option<String>,
    pub retry_at: Option<i64>,
}

/// A user's SMTP server as stored (the password sealed).
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpAccountRecord {
    pub user: UserId,
    pub org: OrgId,
    pub host: String,
    pub port: u16,
    pub tls: TlsMode,
    pub login: String,
    pub password_sealed: Option<Vec<u8>>,
    pub updated_at: i64,
}

impl std::fmt::Debug for SmtpAccountRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpAccountRecord")
            .field("user", &self.user)
            .field("host", &self.host)
            .field("port", &self.port)
            .field("tls", &self.tls)
            .field("login", &self.login)
            .finish_non_exhaustive()
    }
}

#[derive(sqlx::FromRow)]
struct OutboxRow {
    id: i64,
    org_id: i64,
    user_id: i64,
    message_id: String,
    envelope_from: String,
    subject: String,
    recipients: String,
    signed_with: Option<String>,
    state: String,
    attempts: i64,
    last_error: Option<String>,
    retry_at: Option<i64>,
    size: i64,
    created_at: i64,
    updated_at: i64,
    sent_at: Option<i64>,
}

impl TryFrom<OutboxRow> for OutboxRecord {
    type Error = StoreError;

    fn try_from(row: OutboxRow) -> StoreResult<OutboxRecord> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("outbox {}: {what}", row.id));
        Ok(OutboxRecord {
            id: OutboxId(row.id),
            org: OrgId(row.org_id),
            user: UserId(row.user_id),
            recipients: serde_json::from_str(&row.recipients)
                .map_err(|e| corrupt(&format!("recipients: {e}")))?,
            state: OutboxState::parse(&row.state).ok_or_else(|| corrupt("state"))?,
            message_id: row.message_id,
            envelope_from: row.envelope_from,
            subject: row.subject,
            signed_with: row.signed_with,
            attempts: u32::try_from(row.attempts.max(0)).unwrap_or(u32::MAX),
            last_error: row.last_error,
            retry_at: row.retry_at,
            size: u64::try_from(row.size.max(0)).unwrap_or_default(),
            created_at: row.created_at,
            updated_at: row.updated_at,
            sent_at: row.sent_at,
        })
    }
}

const COLUMNS: &str = "id, org_id, user_id, message_id, envelope_from, subject, recipients, \
     signed_with, state, attempts, last_error, retry_at, CAST(LENGTH(raw) AS BIGINT) AS size, \
     created_at, updated_at, sent_at";

fn recipients_json(recipients: &[Recipient]) -> String {
    serde_json::to_string(recipients).unwrap_or_else(|_| "[]".to_owned())
}

/// The unique key of a message's `mail.send` job.
pub fn outbox_job_key(id: OutboxId) -> String {
    format!("outbox:{}", id.0)
}

/// The unique key of a sent message's `mail.append` job.
pub fn append_job_key(id: OutboxId) -> String {
    format!("append:{}", id.0)
}

impl Store {
    /// Queues a message and its job (kind `kind`, payload `{"outbox": id}`, due now) in one
    /// transaction. A Message-ID the organisation queued before is `AlreadyExists`.
    pub async fn queue_outgoing(
        &self,
        new: &NewOutgoing<'_>,
        kind: &str,
        max_attempts: u32,
    ) -> StoreResult<(OutboxId, JobId)> {
        let now = self.now();
        let mut tx = self.begin().await?;
        let recipients = recipients_json(new.recipients);
        let inserted: Option<(i64,)> = tx
            .fetch_optional(
                Statement::new(
                    "INSERT INTO outbox (org_id, user_id, message_id, envelope_from, subject, \
                       recipients, raw, signed_with, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) \
                     ON CONFLICT (org_id, message_id) DO NOTHING RETURNING id",
                )
                .bind(new.org.0)
                .bind(new.user.0)
                .bind(new.message_id)
                .bind(new.envelope_from)
                .bind(new.subject)
                .bind(recipients)
                .bind(new.raw)
                .bind(new.signed_with)
                .bind(now),
            )
            .await?;
        let id = OutboxId(inserted.ok_or(StoreError::AlreadyExists("message_id"))?.0);
        if let Some(action_type) = new.action_type {
            let record = Statement::new("UPDATE outbox SET action_type_id = $1 WHERE id = $2");
            tx.execute(record.bind(action_type.0).bind(id.0)).await?;
        }
        if let Some(draft) = new.draft {
            let sql = format!(
                "UPDATE drafts SET outbox_id = $1 WHERE id IN (SELECT d.id FROM drafts d \
                   WHERE d.id = $2 AND d.org_id = $3 AND d.user_id = $4 AND {})",
                crate::drafts::EDITABLE
            );
            let taken = tx
                .execute(
                    Statement::new(sql)
                        .bind(id.0)
                        .bind(draft.0)
                        .bind(new.org.0)
                        .bind(new.user.0),
                )
                .await?;
            if taken != 1 {
                return Err(StoreError::InUse("draft_sending"));
            }
        }
        if let Some(copy) = &new.copy {
            let sort_at = copy.message.sort_at;
            let message =
                crate::mail::store_message(&mut tx, new.org, copy.message.clone(), now).await?;
            let link = Statement::new("UPDATE outbox SET copy_id = $1 WHERE id = $2");
            tx.execute(link.bind(message).bind(id.0)).await?;
            if let Some(folder) = copy.folder {
                let place = Statement::new(
                    "INSERT INTO mail_locations (folder_id, uid, message_id, seen, flagged, sort_at) \
                     VALUES ($1, $2, $3, TRUE, FALSE, $4) ON CONFLICT DO NOTHING",
                );
                tx.execute(
                    place
                        .bind(folder.0)
                        .bind(provisional_uid(id))
                        .bind(message)
                        .bind(sort_at),
                )
                .await?;
            }
        }
        let payload = format!("{{\"outbox\":{}}}", id.0);
        let key = outbox_job_key(id);
        let job = NewJob {
            org: Some(new.org),
            kind,
            payload: &payload,
            run_at: new.send_at.max(now),
            max_attempts,
            unique_key: Some(&key),
        };
        let (job_id,): (i64,) = tx
            .fetch_optional(crate::jobs::insert(&job, now, "DO NOTHING"))
            .await?
            .ok_or(StoreError::AlreadyExists("outbox job"))?;
        tx.commit().await?;
        Ok((id, JobId(job_id)))
    }

    /// A message in the outbox, whoever wrote it (for the sending job).
    pub async fn outgoing(&self, id: OutboxId) -> StoreResult<OutboxRecord> {
        let sql = format!("SELECT {COLUMNS} FROM outbox WHERE id = $1");
        let row: Option<OutboxRow> = self.fetch_optional(Statement::new(sql).bind(id.0)).await?;
        row.ok_or(StoreError::NotFound)?.try_into()
    }

    /// A message of `user` in organisation `org`: `NotFound` for anybody else's (the outbox
    /// is its writer's only).
    pub async fn outgoing_of(
        &self,
        org: OrgId,
        user: UserId,
        id: OutboxId,
    ) -> StoreResult<OutboxRecord> {
        let record = self.outgoing(id).await?;
        if record.org != org || record.user != user {
            return Err(StoreError::NotFound);
        }
        Ok(record)
    }

    /// The exact bytes of a message, as they are sent.
    pub async fn outgoing_raw(&self, id: OutboxId) -> StoreResult<Vec<u8>> {
        let row: Option<(Vec<u8>,)> = self
            .fetch_optional(Statement::new("SELECT raw FROM outbox WHERE id = $1").bind(id.0))
            .await?;
        Ok(row.ok_or(StoreError::NotFound)?.0)
    }

    /// Takes a message for an attempt: waiting, failed for now, or left `verzenden` by an
    /// attempt that never finished (its runner died: the message may have gone out; sending
    /// the same bytes again is the at-least-once promise). `None` when it is final.
    pub async fn start_sending(&self, id: OutboxId) -> StoreResult<Option<OutboxRecord>> {
        let now = self.now();
        let sql = format!(
            "UPDATE outbox SET state = 'verzenden', attempts = attempts + 1, updated_at = $2 \
             WHERE id = $1 AND state IN ('wachtrij', 'mislukt', 'verzenden') \
             RETURNING {COLUMNS}"
        );
        let row: Option<OutboxRow> = self
            .fetch_optional(Statement::new(sql).bind(id.0).bind(now))
            .await?;
        row.map(TryInto::try_into).transpose()
    }

    /// Records what an attempt came to. Only a message being sent changes.
    pub async fn finish_sending(
        &self,
        id: OutboxId,
        outcome: &SendOutcome,
        when_sent: Option<&NewJob<'_>>,
    ) -> StoreResult<bool> {
        let now = self.now();
        let sent = outcome.state == OutboxState::Verzonden;
        let mut tx = self.begin().await?;
        let changed = tx
            .execute(
                Statement::new(
                    "UPDATE outbox SET state = $2, recipients = $3, last_error = $4, \
                       retry_at = $5, updated_at = $6, sent_at = COALESCE(sent_at, $7) \
                     WHERE id = $1 AND state = 'verzenden'",
                )
                .bind(id.0)
                .bind(outcome.state.as_str())
                .bind(recipients_json(&outcome.recipients))
                .bind(outcome.last_error.as_deref())
                .bind(outcome.retry_at)
                .bind(now)
                .bind(sent.then_some(now)),
            )
            .await?;
        if changed == 1 && sent {
            // Sent: its draft has done its work.
            let done = Statement::new("DELETE FROM drafts WHERE outbox_id = $1");
            tx.execute(done.bind(id.0)).await?;
            if let Some(job) = when_sent {
                tx.execute(crate::jobs::insert(job, now, "DO NOTHING"))
                    .await?;
            }
        }
        tx.commit().await?;
        Ok(changed == 1)
    }

    /// Cancels a message of `user` that waits (queued, or failed and waiting for its retry);
    /// `false` when it is being sent or is final.
    pub async fn cancel_outgoing(
        &self,
        org: OrgId,
        user: UserId,
        id: OutboxId,
    ) -> StoreResult<bool> {
        let now = self.now();
        let mut tx = self.begin().await?;
        let changed = tx
            .execute(
                Statement::new(
                    "UPDATE outbox SET state = 'geannuleerd', retry_at = NULL, updated_at = $4 \
                     WHERE id = $1 AND org_id = $2 AND user_id = $3 \
                       AND state IN ('wachtrij', 'mislukt')",
                )
                .bind(id.0)
                .bind(org.0)
                .bind(user.0)
                .bind(now),
            )
            .await?;
        if changed == 1 {
            // Not sent: not in Verzonden, not on a timeline.
            let unplace = Statement::new(
                "DELETE FROM mail_locations WHERE uid = $1 AND message_id = \
                   (SELECT copy_id FROM outbox WHERE id = $2)",
            );
            tx.execute(unplace.bind(provisional_uid(id)).bind(id.0))
                .await?;
            let copy: Option<(Option<i64>,)> = tx
                .fetch_optional(
                    Statement::new("SELECT copy_id FROM outbox WHERE id = $1").bind(id.0),
                )
                .await?;
            if let Some((Some(copy),)) = copy {
                crate::mail::gc_messages(&mut tx, &[copy]).await?;
            }
        }
        tx.commit().await?;
        Ok(changed == 1)
    }

    /// The sent message's copy on the server is at `uid` in `folder` (whose UIDVALIDITY is
    /// `uid_validity`): its provisional place in Verzonden gives way to that one. With another
    /// UIDVALIDITY stored for the folder, the next sync brings the copy.
    pub async fn settle_sent_copy(
        &self,
        id: OutboxId,
        folder: FolderId,
        uid: u32,
        uid_validity: u32,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        let unplace = Statement::new(
            "DELETE FROM mail_locations WHERE folder_id = $1 AND uid = $2 RETURNING message_id",
        );
        let held: Vec<(i64,)> = tx
            .fetch_all(unplace.bind(folder.0).bind(provisional_uid(id)))
            .await?;
        let place = Statement::new(
            "INSERT INTO mail_locations (folder_id, uid, message_id, seen, flagged, sort_at) \
             SELECT f.id, $3, m.id, TRUE, FALSE, m.sort_at FROM outbox o \
               JOIN messages m ON m.id = o.copy_id JOIN mail_folders f ON f.id = $2 \
             WHERE o.id = $1 AND f.uid_validity = $4 ON CONFLICT DO NOTHING",
        );
        tx.execute(
            place
                .bind(id.0)
                .bind(folder.0)
                .bind(i64::from(uid))
                .bind(i64::from(uid_validity)),
        )
        .await?;
        let held: Vec<i64> = held.into_iter().map(|(m,)| m).collect();
        crate::mail::gc_messages(&mut tx, &held).await?;
        tx.commit().await?;
        Ok(())
    }

    /// "Nu opnieuw proberen": a failed message of `user` is due now. `false` when it is not
    /// failed.
    pub async fn retry_outgoing(
        &self,
        org: OrgId,
        user: UserId,
        id: OutboxId,
    ) -> StoreResult<bool> {
        let now = self.now();
        let changed = self
            .execute(
                Statement::new(
                    "UPDATE outbox SET retry_at = $4, updated_at = $4 \
                     WHERE id = $1 AND org_id = $2 AND user_id = $3 AND state = 'mislukt'",
                )
                .bind(id.0)
                .bind(org.0)
                .bind(user.0)
                .bind(now),
            )
            .await?;
        Ok(changed == 1)
    }

    /// The outbox of `user`, newest first.
    pub async fn outbox(
        &self,
        org: OrgId,
        user: UserId,
        page: PageRequest,
    ) -> StoreResult<Page<OutboxRecord>> {
        let (total,): (i64,) = self
            .fetch_optional(
                Statement::new(
                    "SELECT CAST(COUNT(*) AS BIGINT) FROM outbox WHERE org_id = $1 AND user_id = $2",
                )
                .bind(org.0)
                .bind(user.0),
            )
            .await?
            .unwrap_or((0,));
        let sql = format!(
            "SELECT {COLUMNS} FROM outbox WHERE org_id = $1 AND user_id = $2 \
             ORDER BY id DESC LIMIT $3 OFFSET $4"
        );
        let statement = Statement::new(sql)
            .bind(org.0)
            .bind(user.0)
            .bind(page.limit())
            .bind(page.offset());
        let rows: Vec<OutboxRow> = self.fetch_all(statement).await?;
        Ok(Page {
            items: rows
                .into_iter()
                .map(TryInto::try_into)
                .collect::<StoreResult<_>>()?,
            page: page.page,
            per_page: page.per_page,
            total: u64::try_from(total).unwrap_or_default(),
        })
    }

    /// Sets (or replaces) `user`'s SMTP account; `password_sealed: None` keeps the password
    /// stored before.
    pub async fn set_smtp_account(&self, account: &SmtpAccountRecord) -> StoreResult<()> {
        let now = self.now();
        with_pool!(self, |pool| {
            sqlx::query(
            "INSERT INTO smtp_accounts (user_id, org_id, host, port, tls, login, password_sealed, \
               updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (user_id) DO UPDATE SET host = excluded.host, port = excluded.port, \
               tls = excluded.tls, login = excluded.login, \
               password_sealed = COALESCE(excluded.password_sealed, smtp_accounts.password_sealed), \
               updated_at = excluded.updated_at",
        )
        .bind(account.user.0)
        .bind(account.org.0)
        .bind(&account.host)
        .bind(i64::from(account.port))
        .bind(account.tls.as_str())
        .bind(&account.login)
        .bind(account.password_sealed.as_deref())
        .bind(now)
        .execute(pool)
        .await
        .map(|_| ())
        })?;
        Ok(())
    }

    /// `user`'s SMTP account, if set.
    pub async fn smtp_account(&self, user: UserId) -> StoreResult<Option<SmtpAccountRecord>> {
        type Row = (i64, i64, String, i64, String, String, Option<Vec<u8>>, i64);
        let row: Option<Row> = self
            .fetch_optional(
                Statement::new(
                    "SELECT user_id, org_id, host, port, tls, login, password_sealed, updated_at \
                     FROM smtp_accounts WHERE user_id = $1",
                )
                .bind(user.0),
            )
            .await?;
        row.map(
            |(user, org, host, port, tls, login, password_sealed, updated_at)| {
                Ok(SmtpAccountRecord {
                    user: UserId(user),
                    org: OrgId(org),
                    port: u16::try_from(port)
                        .map_err(|_| StoreError::Corrupt(format!("smtp account {user}: port")))?,
                    tls: tls
                        .parse()
                        .map_err(|_| StoreError::Corrupt(format!("smtp account {user}: tls")))?,
                    host,
                    login,
                    password_sealed,
                    updated_at,
                })
            },
        )
        .transpose()
    }

    /// Removes `user`'s SMTP account; `false` when there was none.
    pub async fn delete_smtp_account(&self, user: UserId) -> StoreResult<bool> {
        let changed = self
            .execute(Statement::new("DELETE FROM smtp_accounts WHERE user_id = $1").bind(user.0))
            .await?;
        Ok(changed == 1)
    }
}
