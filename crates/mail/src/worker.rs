//! Keeping one mailbox in step: a full pass, then IDLE on its inbox so new mail shows up within
//! seconds, a full pass again every `poll` interval, and a fresh start (the settings read again)
//! whenever a user asks for a pass or changes the mailbox. It runs as the mailbox's sync job on
//! core's job runner, which leases it (one instance at a time syncs a mailbox, however many share
//! the database), stops it on shutdown and backs off after a failure.

use crate::imap::{IdleEvent, ImapAccount, ImapConnection};
use crate::store::{MailStore, StorageError};
use crate::sync::{SyncError, sync_folder, sync_mailbox};
use postkamer_domain::Clock;
use postkamer_domain::MailboxId;
use postkamer_domain::mail::FolderRole;
use postkamer_domain::mail::sync::MailboxRecord;
use std::sync::Arc;
use std::time::Duration;

/// Turns a stored mailbox into connection settings (decrypting the password).
pub type Unseal = Arc<dyn Fn(&MailboxRecord) -> Result<ImapAccount, SyncError> + Send + Sync>;

#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// A full pass over all folders at least this often.
    pub poll: Duration,
    pub connect_timeout: Duration,
    /// Messages larger than this are stored as their header (see `ImapConnection::fetch_sized`).
    pub max_message_bytes: u64,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        Self {
            poll: Duration::from_secs(300),
            connect_timeout: Duration::from_secs(30),
            max_message_bytes: crate::imap::MAX_MESSAGE_BYTES,
        }
    }
}

/// Keeps mailbox `id` in step until it is switched off or removed (`Ok`), or until a pass
/// fails (`Err`, also recorded on the mailbox in plain Dutch for its user).
pub async fn keep_in_step<S: MailStore>(
    store: &S,
    id: MailboxId,
    config: &WorkerConfig,
    unseal: &Unseal,
    clock: &dyn Clock,
) -> Result<(), SyncError> {
    loop {
        let Some(mailbox) = still_on(store, id).await? else {
            return Ok(());
        };
        if let Err(err) = session(store, &mailbox, config, unseal, clock).await {
            // Removed or switched off while it synced: nothing failed.
            if still_on(store, id).await.is_ok_and(|m| m.is_none()) {
                return Ok(());
            }
            tracing::warn!(mailbox = %id, error = %err, "mailbox sync failed");
            let _ = store.mailbox_synced(id, Some(&err.message_nl())).await;
            return Err(err);
        }
    }
}

/// The mailbox, unless it is gone or switched off.
async fn still_on(
    store: &impl MailStore,
    id: MailboxId,
) -> Result<Option<MailboxRecord>, SyncError> {
    match store.mailbox(id).await {
        Ok(m) if m.settings.enabled => Ok(Some(m)),
        Ok(_) | Err(StorageError::NotFound) => Ok(None),
        Err(err) => Err(err.into()),
    }
}

/// One connection's life: a full pass, then IDLE on the inbox (or short polls without IDLE), a
/// full pass again when due; returns when a pass is asked for (the caller starts afresh).
async fn session(
    store: &impl MailStore,
    mailbox: &MailboxRecord,
    config: &WorkerConfig,
    unseal: &Unseal,
    clock: &dyn Clock,
) -> Result<(), SyncError> {
    let id = mailbox.settings.id;
    let account = unseal(mailbox)?;
    let mut conn = ImapConnection::connect(&account, config.connect_timeout).await?;
    conn.set_max_message_bytes(config.max_message_bytes);
    loop {
        let pass_started = clock.now_millis();
        let report = sync_mailbox(store, &mut conn, mailbox).await?;
        store.mailbox_synced(id, None).await?;
        tracing::debug!(mailbox = %id, fetched = report.fetched(), "sync pass done");

        let Some(inbox) = store
            .folders(id)
            .await?
            .into_iter()
            .find(|f| f.role == FolderRole::Inbox)
        else {
            return Err(crate::imap::ImapError::MissingFolder(FolderRole::Inbox).into());
        };
        let full_pass_due = tokio::time::Instant::now() + config.poll;
        // Select the inbox (and catch up on it) before waiting on it.
        sync_folder(
            store,
            &mut conn,
            mailbox,
            store.folder(inbox.id).await?,
            None,
        )
        .await?;
        loop {
            if store.mailbox_wake_at(id).await? > pass_started {
                let _ = conn.logout().await;
                return Ok(());
            }
            let now = tokio::time::Instant::now();
            if now >= full_pass_due {
                break;
            }
            let wait = (full_pass_due - now).min(Duration::from_secs(10));
            // Servers without IDLE are polled inside `idle` (NOOP every 30 s). The job runner
            // stops the whole session, so the wait itself has no stop of its own.
            let (back, event) = conn.idle(wait, std::future::pending()).await?;
            conn = back;
            match event {
                IdleEvent::Changed => {
                    let since = mailbox
                        .settings
                        .since
                        .as_deref()
                        .and_then(crate::sync::parse_date);
                    sync_folder(
                        store,
                        &mut conn,
                        mailbox,
                        store.folder(inbox.id).await?,
                        since,
                    )
                    .await?;
                    store.folder_synced(inbox.id, None).await?;
                }
                IdleEvent::Timeout | IdleEvent::Stopped => {}
            }
        }
    }
}
