//! One sync pass of a mailbox: the server is the truth, the store follows it.
//!
//! Per folder: SELECT; a new UIDVALIDITY starts the folder over. When UIDNEXT, the message
//! count and HIGHESTMODSEQ (CONDSTORE) are what the last pass left, nothing is fetched at all.
//! Otherwise the UIDs on the server are compared with the stored ones: UIDs that are gone are
//! removed, missing ones are fetched newest first in batches, each batch stored in one
//! transaction with the folder's progress. Because "missing" is recomputed from the store on
//! every pass, a pass killed at any point resumes where it stopped, without duplicates. Flags
//! changed on the server come in through CHANGEDSINCE when the server has CONDSTORE; with
//! QRESYNC, expunges too (VANISHED), so a later pass neither lists the folder nor loads the
//! stored UIDs — unless the server's message count says something was missed.

mod batch;

pub use batch::{BATCH, SyncOptions, incoming, too_large};

use crate::imap::{Changes, Fetched, FlagUpdate, Folder, FolderState, ImapConnection, ImapError};
use crate::store::{MailStore, StorageError};
use batch::{batches, fetch_in_order, prepare, store_prepared};
use postkamer_domain::mail::FolderRole;
use postkamer_domain::mail::sync::{
    FolderProgress, FolderRecord, IncomingMessage, Located, MailboxRecord,
};
use std::collections::HashSet;
use std::time::{Duration, Instant};

/// Why a sync pass failed.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(transparent)]
    Imap(#[from] ImapError),
    #[error("database: {0}")]
    Store(#[from] StorageError),
    #[error("the mailbox password cannot be decrypted (was the secret key changed?)")]
    Unseal,
}

impl SyncError {
    /// A plain Dutch explanation for the sync status.
    pub fn message_nl(&self) -> String {
        match self {
            SyncError::Imap(e) => e.message_nl(),
            SyncError::Store(_) => "Opslaan in de database is mislukt; de synchronisatie wordt later opnieuw geprobeerd.".to_owned(),
            SyncError::Unseal => "Het opgeslagen wachtwoord kan niet worden ontsleuteld. Vul het wachtwoord opnieuw in.".to_owned(),
        }
    }
}

/// What one pass did to one folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FolderReport {
    pub role: FolderRole,
    pub name: String,
    pub on_server: u64,
    pub fetched: u64,
    pub removed: u64,
    pub flags_changed: u64,
    pub elapsed: Duration,
}

/// What one pass did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncReport {
    pub folders: Vec<FolderReport>,
    /// Folders the server lacks (Sent or Trash not found).
    pub missing: Vec<FolderRole>,
}

impl SyncReport {
    pub fn fetched(&self) -> u64 {
        self.folders.iter().map(|f| f.fetched).sum()
    }
}

/// Syncs every folder of `mailbox` over an open connection.
pub async fn sync_mailbox(
    store: &impl MailStore,
    conn: &mut ImapConnection,
    mailbox: &MailboxRecord,
) -> Result<SyncReport, SyncError> {
    sync_mailbox_with(store, conn, mailbox, SyncOptions::default()).await
}

pub async fn sync_mailbox_with(
    store: &impl MailStore,
    conn: &mut ImapConnection,
    mailbox: &MailboxRecord,
    options: SyncOptions,
) -> Result<SyncReport, SyncError> {
    let folders = conn.folders().await?;
    let mut report = SyncReport::default();
    let since = mailbox.settings.since.as_deref().and_then(parse_date);
    for role in FolderRole::ALL {
        let Some(folder) = find(&folders, role) else {
            report.missing.push(role);
            if role == FolderRole::Inbox {
                return Err(ImapError::MissingFolder(role).into());
            }
            continue;
        };
        let record = store
            .ensure_folder(mailbox.settings.id, role, &folder.name)
            .await?;
        match sync_folder_with(store, conn, mailbox, record.clone(), since, options).await {
            Ok(folder_report) => {
                store.folder_synced(record.id, None).await?;
                report.folders.push(folder_report);
            }
            Err(err) => {
                store
                    .folder_synced(record.id, Some(&err.message_nl()))
                    .await?;
                return Err(err);
            }
        }
    }
    // After a big first sync the planner needs fresh statistics (PostgreSQL otherwise scans
    // the new rows for every list).
    if report.fetched() >= 1000 {
        store.optimize().await?;
    }
    Ok(report)
}

fn find(folders: &[Folder], role: FolderRole) -> Option<&Folder> {
    folders.iter().find(|f| f.role == role)
}

/// Syncs one folder (selecting it). Leaves it selected.
pub async fn sync_folder(
    store: &impl MailStore,
    conn: &mut ImapConnection,
    mailbox: &MailboxRecord,
    folder: FolderRecord,
    since: Option<(i32, u8, u8)>,
) -> Result<FolderReport, SyncError> {
    sync_folder_with(store, conn, mailbox, folder, since, SyncOptions::default()).await
}

pub async fn sync_folder_with(
    store: &impl MailStore,
    conn: &mut ImapConnection,
    mailbox: &MailboxRecord,
    mut folder: FolderRecord,
    since: Option<(i32, u8, u8)>,
    options: SyncOptions,
) -> Result<FolderReport, SyncError> {
    let started = Instant::now();
    let state: FolderState = conn.select(&folder.name).await?;
    if folder.uid_validity != state.uid_validity {
        if folder.uid_validity != 0 {
            tracing::info!(folder = %folder.name, old = folder.uid_validity, new = state.uid_validity, "UIDVALIDITY changed: folder starts over");
        }
        folder = store
            .reset_folder(folder.id, state.uid_validity, state.uid_next)
            .await?;
    }
    let mut report = FolderReport {
        role: folder.role,
        name: folder.name.clone(),
        on_server: u64::from(state.exists),
        fetched: 0,
        removed: 0,
        flags_changed: 0,
        elapsed: Duration::ZERO,
    };

    // QRESYNC: flag changes and expunges since the last pass in one command; new mail is the
    // UIDs from where that pass stopped. Checked against the server's message count; when it
    // does not add up, the full comparison below runs.
    if let (true, Some(modseq), None) = (folder.first_sync_done, folder.highest_modseq, since)
        && conn.qresync()
    {
        if state.highest_modseq == Some(modseq) && state.uid_next == folder.uid_top {
            report.elapsed = started.elapsed();
            return Ok(report);
        }
        if let Some(Changes {
            flags: updates,
            vanished,
        }) = conn.changes_since(modseq).await?
        {
            report.removed = store.remove_uids(folder.id, &vanished).await?;
            let flags: Vec<Located> = updates.iter().map(located).collect();
            store.update_flags(folder.id, &flags).await?;
            report.flags_changed = flags.len() as u64;
            let new: Vec<u32> = (folder.uid_top.max(1)..state.uid_next)
                .rev()
                .filter(|uid| vanished.binary_search(uid).is_err())
                .collect();
            let mut progress = FolderProgress::of(&folder, u64::from(state.exists));
            report.fetched +=
                fetch_in_order(store, conn, mailbox, &folder, &new, options, &mut progress).await?;
            if store.folder_count(folder.id).await? == u64::from(state.exists) {
                let done = FolderProgress {
                    uid_low: progress.uid_low,
                    ..caught_up(&folder, &state)
                };
                store.set_folder_progress(folder.id, done).await?;
                report.elapsed = started.elapsed();
                return Ok(report);
            }
            tracing::info!(folder = %folder.name, "QRESYNC result does not match the message count: full comparison");
        }
    }

    // New mail only (the IDLE case): when the folder grew by exactly the UIDs from where the
    // last pass stopped, nothing was expunged and there are no gaps, so the new UIDs are known
    // without listing the folder or loading what is stored.
    if folder.first_sync_done && since.is_none() && state.uid_next > folder.uid_top {
        let count = store.folder_count(folder.id).await?;
        let grown = u64::from(state.exists).checked_sub(count);
        if grown == Some(u64::from(state.uid_next - folder.uid_top)) {
            let new: Vec<u32> = (folder.uid_top..state.uid_next).rev().collect();
            let mut progress = FolderProgress::of(&folder, u64::from(state.exists));
            report.fetched +=
                fetch_in_order(store, conn, mailbox, &folder, &new, options, &mut progress).await?;
            if state.highest_modseq.is_none() || state.highest_modseq != folder.highest_modseq {
                let since = folder.highest_modseq.filter(|_| folder.first_sync_done);
                let updates: Vec<Located> = conn
                    .changed_flags(since)
                    .await?
                    .iter()
                    .map(located)
                    .collect();
                report.flags_changed = updates.len() as u64;
                store.update_flags(folder.id, &updates).await?;
            }
            store
                .set_folder_progress(folder.id, caught_up(&folder, &state))
                .await?;
            report.elapsed = started.elapsed();
            return Ok(report);
        }
    }

    let stored = store.folder_uids(folder.id).await?;

    let unchanged = folder.first_sync_done
        && folder.uid_top == state.uid_next
        && stored.len() == state.exists as usize
        && since.is_none();
    if unchanged {
        // Nothing new, nothing expunged: only flags can have changed.
        if state.highest_modseq.is_none() || state.highest_modseq != folder.highest_modseq {
            report.flags_changed = sync_flags(store, conn, &folder, &stored).await?;
            store
                .set_folder_progress(folder.id, caught_up(&folder, &state))
                .await?;
        }
        report.elapsed = started.elapsed();
        return Ok(report);
    }

    let on_server = conn.uids(since).await?;
    report.on_server = on_server.len() as u64;
    let server: HashSet<u32> = on_server.iter().copied().collect();
    let have: HashSet<u32> = stored.iter().map(|l| l.uid).collect();
    let gone: Vec<u32> = stored
        .iter()
        .map(|l| l.uid)
        .filter(|uid| !server.contains(uid))
        .collect();
    report.removed = store.remove_uids(folder.id, &gone).await?;
    // Flags of what we had: before fetching, against the old MODSEQ.
    let kept: Vec<Located> = stored
        .into_iter()
        .filter(|l| server.contains(&l.uid))
        .collect();
    if !kept.is_empty() {
        report.flags_changed = sync_flags(store, conn, &folder, &kept).await?;
    }

    let mut missing: Vec<u32> = on_server
        .into_iter()
        .filter(|uid| !have.contains(uid))
        .collect();
    missing.sort_unstable_by(|a, b| b.cmp(a));
    let total = missing.len();
    let mut progress = FolderProgress::of(&folder, report.on_server);

    // A pipeline of three: batch n+2 is fetched while n+1 is parsed and compressed (on a
    // blocking thread) and n is written.
    let sizes = if missing.is_empty() {
        Vec::new()
    } else {
        conn.sizes(&missing).await?
    };
    let mut chunks = batches(&missing, &sizes, options, conn.max_message_bytes()).into_iter();
    let mut fetched: Option<Vec<Fetched>> = None;
    let mut prepared: Option<Vec<(Located, IncomingMessage)>> = None;
    loop {
        let chunk = chunks.next();
        if chunk.is_none() && fetched.is_none() && prepared.is_none() {
            break;
        }
        let fetch = async {
            match chunk {
                Some(uids) => conn.fetch_sized(&uids).await.map(Some),
                None => Ok(None),
            }
        };
        let to_prepare = fetched.take();
        let parse = async {
            match to_prepare {
                Some(batch) => prepare(batch).await.map(Some),
                None => Ok(None),
            }
        };
        let to_store = prepared.take();
        let write = async {
            match to_store {
                Some(batch) => store_prepared(store, mailbox, &folder, batch, &mut progress).await,
                None => Ok(0),
            }
        };
        let (f, p, w) = tokio::join!(fetch, parse, write);
        report.fetched += w?;
        prepared = p?;
        fetched = f?;
    }
    tracing::debug!(folder = %folder.name, total, fetched = report.fetched, "folder fetched");

    let done = FolderProgress {
        uid_low: Some(1),
        on_server: report.on_server,
        ..caught_up(&folder, &state)
    };
    store.set_folder_progress(folder.id, done).await?;
    report.elapsed = started.elapsed();
    Ok(report)
}

/// Reads flags changed on the server (all of them without CONDSTORE) and stores the ones that
/// differ. Returns how many changed.
async fn sync_flags(
    store: &impl MailStore,
    conn: &mut ImapConnection,
    folder: &FolderRecord,
    stored: &[Located],
) -> Result<u64, SyncError> {
    let since = folder.highest_modseq.filter(|_| folder.first_sync_done);
    let updates = conn.changed_flags(since).await?;
    let by_uid: std::collections::HashMap<u32, &Located> =
        stored.iter().map(|l| (l.uid, l)).collect();
    let changed: Vec<Located> = updates
        .into_iter()
        .filter_map(|u| {
            let old = by_uid.get(&u.uid)?;
            (old.seen != u.flags.seen || old.flagged != u.flags.flagged).then(|| located(&u))
        })
        .collect();
    store.update_flags(folder.id, &changed).await?;
    Ok(changed.len() as u64)
}

/// Where the folder stands once everything up to the server's UIDNEXT is stored.
fn caught_up(folder: &FolderRecord, state: &FolderState) -> FolderProgress {
    FolderProgress {
        uid_top: state.uid_next,
        uid_low: folder.uid_low,
        first_sync_done: true,
        highest_modseq: state.highest_modseq,
        on_server: u64::from(state.exists),
    }
}

/// A flag report from the server as the store keeps it.
fn located(update: &FlagUpdate) -> Located {
    Located {
        uid: update.uid,
        seen: update.flags.seen,
        flagged: update.flags.flagged,
        modseq: update.modseq,
    }
}

/// "2025-01-31" → (2025, 1, 31).
pub fn parse_date(s: &str) -> Option<(i32, u8, u8)> {
    let mut parts = s.trim().splitn(3, '-');
    let y: i32 = parts.next()?.parse().ok()?;
    let m: u8 = parts.next()?.parse().ok()?;
    let d: u8 = parts.next()?.parse().ok()?;
    ((1970..=9999).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d))
        .then_some((y, m, d))
}

#[cfg(test)]
mod tests;
