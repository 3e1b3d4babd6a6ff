//! The background sync: every server instance runs one [`run`] loop. It leases mailboxes
//! through the database (one instance per mailbox at a time, however many instances share the
//! database), syncs each leased mailbox, then waits in IDLE on its inbox so new mail shows up
//! within seconds, with a full pass every `poll` interval and whenever a user asks for one.
//! Errors are recorded on the mailbox in plain Dutch and retried with backoff.

use crate::imap::{IdleEvent, ImapAccount, ImapConnection};
use crate::store::{MailStore, StorageError};
use crate::sync::{SyncError, sync_folder, sync_mailbox};
use postkamer_domain::MailboxId;
use postkamer_domain::clock::millis;
use postkamer_domain::mail::FolderRole;
use postkamer_domain::mail::sync::MailboxRecord;
use postkamer_domain::{Clock, SystemClock};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinSet;

/// Turns a stored mailbox into connection settings (decrypting the password).
pub type Unseal = Arc<dyn Fn(&MailboxRecord) -> Result<ImapAccount, SyncError> + Send + Sync>;

#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// Names this instance in the lease column.
    pub owner: String,
    /// How long a lease lasts; renewed every third of it.
    pub lease: Duration,
    /// A full pass over all folders at least this often.
    pub poll: Duration,
    /// How often to look for mailboxes nobody syncs.
    pub claim_every: Duration,
    pub connect_timeout: Duration,
    /// The longest wait after a failure.
    pub max_backoff: Duration,
    /// Messages larger than this are stored as their header (see `ImapConnection::fetch_sized`).
    pub max_message_bytes: u64,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        Self {
            owner: format!("postkamer-{}", std::process::id()),
            lease: Duration::from_secs(60),
            poll: Duration::from_secs(300),
            claim_every: Duration::from_secs(5),
            connect_timeout: Duration::from_secs(30),
            max_backoff: Duration::from_secs(600),
            max_message_bytes: crate::imap::MAX_MESSAGE_BYTES,
        }
    }
}

fn now_millis() -> i64 {
    SystemClock.now_millis()
}

/// Runs until `shutdown` turns true; then stops every mailbox task and gives up its leases.
pub async fn run<S: MailStore>(
    store: S,
    config: WorkerConfig,
    unseal: Unseal,
    mut shutdown: watch::Receiver<bool>,
) {
    let config = Arc::new(config);
    let mut tasks: JoinSet<MailboxId> = JoinSet::new();
    let mut running: Vec<MailboxId> = Vec::new();
    loop {
        if *shutdown.borrow() {
            break;
        }
        loop {
            match store
                .claim_mailbox(&config.owner, now_millis() + millis(config.lease))
                .await
            {
                Ok(Some(id)) => {
                    tracing::info!(mailbox = %id, "mailbox sync started");
                    running.push(id);
                    tasks.spawn(mailbox_task(
                        store.clone(),
                        id,
                        Arc::clone(&config),
                        Arc::clone(&unseal),
                        shutdown.clone(),
                    ));
                }
                Ok(None) => break,
                Err(err) => {
                    tracing::warn!(error = %err, "claiming mailboxes failed");
                    break;
                }
            }
        }
        tokio::select! {
            _ = tokio::time::sleep(config.claim_every) => {}
            _ = shutdown.changed() => {}
            Some(done) = tasks.join_next() => {
                if let Ok(id) = done {
                    running.retain(|r| *r != id);
                }
            }
        }
    }
    // Tasks see the shutdown themselves; give them a moment, then cut them off.
    let drain = async { while tasks.join_next().await.is_some() {} };
    if tokio::time::timeout(Duration::from_secs(5), drain)
        .await
        .is_err()
    {
        tasks.abort_all();
    }
    for id in running {
        let _ = store.release_lease(id, &config.owner).await;
    }
}

enum Stop {
    LeaseLost,
    Shutdown,
}

async fn mailbox_task<S: MailStore>(
    store: S,
    id: MailboxId,
    config: Arc<WorkerConfig>,
    unseal: Unseal,
    shutdown: watch::Receiver<bool>,
) -> MailboxId {
    let mut backoff = Duration::from_secs(5);
    loop {
        let mailbox = match store.mailbox(id).await {
            Ok(m) if m.settings.enabled => m,
            Ok(_) | Err(StorageError::NotFound) => break,
            Err(err) => {
                tracing::warn!(mailbox = %id, error = %err, "reading the mailbox failed");
                if wait_or_stop(&store, id, &config, backoff, shutdown.clone())
                    .await
                    .is_some()
                {
                    break;
                }
                continue;
            }
        };
        let outcome = tokio::select! {
            outcome = session(&store, &mailbox, &config, &unseal, shutdown.clone()) => outcome,
            lost = keep_lease(&store, id, &config) => Ok(lost),
        };
        match outcome {
            Ok(Stop::LeaseLost) => {
                tracing::info!(mailbox = %id, "lease lost: another instance syncs this mailbox");
                break;
            }
            Ok(Stop::Shutdown) => break,
            Err(err) => {
                tracing::warn!(mailbox = %id, error = %err, "mailbox sync failed");
                let _ = store.mailbox_synced(id, Some(&err.message_nl())).await;
                if wait_or_stop(&store, id, &config, backoff, shutdown.clone())
                    .await
                    .is_some()
                {
                    break;
                }
                backoff = (backoff * 2).min(config.max_backoff);
            }
        }
    }
    let _ = store.release_lease(id, &config.owner).await;
    id
}

/// Renews the lease every third of its length; returns when it is lost.
async fn keep_lease(store: &impl MailStore, id: MailboxId, config: &WorkerConfig) -> Stop {
    loop {
        tokio::time::sleep(config.lease / 3).await;
        match store
            .renew_lease(id, &config.owner, now_millis() + millis(config.lease))
            .await
        {
            Ok(true) => {}
            Ok(false) => return Stop::LeaseLost,
            Err(err) => tracing::warn!(mailbox = %id, error = %err, "renewing the lease failed"),
        }
    }
}

/// Waits `delay` (keeping the lease) unless a sync is asked for or the worker stops.
/// `Some` means stop.
async fn wait_or_stop(
    store: &impl MailStore,
    id: MailboxId,
    config: &WorkerConfig,
    delay: Duration,
    mut shutdown: watch::Receiver<bool>,
) -> Option<Stop> {
    let started = now_millis();
    let deadline = tokio::time::Instant::now() + delay;
    loop {
        let step = (config.lease / 3).min(Duration::from_secs(5));
        tokio::select! {
            _ = tokio::time::sleep_until(deadline.min(tokio::time::Instant::now() + step)) => {}
            _ = shutdown.changed() => return Some(Stop::Shutdown),
        }
        if *shutdown.borrow() {
            return Some(Stop::Shutdown);
        }
        if let Ok(false) = store
            .renew_lease(id, &config.owner, now_millis() + millis(config.lease))
            .await
        {
            return Some(Stop::LeaseLost);
        }
        if tokio::time::Instant::now() >= deadline
            || store.mailbox_wake_at(id).await.is_ok_and(|w| w > started)
        {
            return None;
        }
    }
}

/// One connection's life: a full pass, then IDLE on the inbox (or short polls without IDLE),
/// a full pass again when due or asked for.
async fn session(
    store: &impl MailStore,
    mailbox: &MailboxRecord,
    config: &WorkerConfig,
    unseal: &Unseal,
    shutdown: watch::Receiver<bool>,
) -> Result<Stop, SyncError> {
    let id = mailbox.settings.id;
    let account = unseal(mailbox)?;
    let mut conn = ImapConnection::connect(&account, config.connect_timeout).await?;
    conn.set_max_message_bytes(config.max_message_bytes);
    loop {
        let pass_started = now_millis();
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
            if *shutdown.borrow() {
                let _ = conn.logout().await;
                return Ok(Stop::Shutdown);
            }
            let now = tokio::time::Instant::now();
            if now >= full_pass_due || store.mailbox_wake_at(id).await? > pass_started {
                break;
            }
            let wait = (full_pass_due - now).min(Duration::from_secs(10));
            // Servers without IDLE are polled inside `idle` (NOOP every 30 s).
            let stop = {
                let mut shutdown = shutdown.clone();
                async move {
                    let _ = shutdown.changed().await;
                }
            };
            let (back, event) = conn.idle(wait, stop).await?;
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
                IdleEvent::Timeout => {}
                IdleEvent::Stopped => {
                    let _ = conn.logout().await;
                    return Ok(Stop::Shutdown);
                }
            }
        }
    }
}
