//! A pass's batches: split by count and bytes, parsed and compressed off the async threads,
//! written one transaction each.

use super::SyncError;
use crate::compress;
use crate::imap::{Fetched, HEADER_BYTES, ImapConnection, ImapError};
use crate::parse;
use crate::store::MailStore;
use postkamer_domain::mail::sync::{
    FolderProgress, FolderRecord, IncomingMessage, Located, MailboxRecord, SearchText,
};
use postkamer_domain::{Clock, SystemClock};

/// Messages fetched per round trip (and stored per transaction).
pub const BATCH: usize = 100;

/// Tuning of a pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyncOptions {
    /// Messages per fetch and per transaction, at most.
    pub batch: usize,
    /// Bytes per fetch, at most (one message larger than this is a batch of its own): with
    /// three batches in flight, memory stays bounded whatever the attachments.
    pub batch_bytes: u64,
}

impl Default for SyncOptions {
    fn default() -> Self {
        Self {
            batch: BATCH,
            batch_bytes: 16 * 1024 * 1024,
        }
    }
}

/// Splits `uids` (in fetch order) into batches of at most `options.batch` messages and
/// `options.batch_bytes` bytes, each UID with the size the server reported (a message over
/// the connection's per-message cap `max_message` counts as the header that is fetched of it;
/// a UID without a size is gone).
pub(super) fn batches(
    uids: &[u32],
    sizes: &[(u32, u32)],
    options: SyncOptions,
    max_message: u64,
) -> Vec<Vec<(u32, u32)>> {
    let size_of = |uid: u32| {
        sizes
            .binary_search_by_key(&uid, |(u, _)| *u)
            .map_or(0, |i| sizes[i].1)
    };
    let mut out: Vec<Vec<(u32, u32)>> = Vec::new();
    let mut current: Vec<(u32, u32)> = Vec::new();
    let mut bytes = 0u64;
    for &uid in uids {
        let size = size_of(uid);
        let counted = if u64::from(size) > max_message {
            HEADER_BYTES
        } else {
            u64::from(size)
        };
        if !current.is_empty()
            && (current.len() >= options.batch.max(1) || bytes + counted > options.batch_bytes)
        {
            out.push(std::mem::take(&mut current));
            bytes = 0;
        }
        current.push((uid, size));
        bytes += counted;
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Fetches, prepares and stores `uids` one batch after the other (for the few messages of an
/// incremental pass; the first sync pipelines them). Returns how many were stored.
pub(super) async fn fetch_in_order(
    store: &impl MailStore,
    conn: &mut ImapConnection,
    mailbox: &MailboxRecord,
    folder: &FolderRecord,
    uids: &[u32],
    options: SyncOptions,
    progress: &mut FolderProgress,
) -> Result<u64, SyncError> {
    if uids.is_empty() {
        return Ok(0);
    }
    let sizes = conn.sizes(uids).await?;
    let mut stored = 0;
    for chunk in batches(uids, &sizes, options, conn.max_message_bytes()) {
        let fetched = conn.fetch_sized(&chunk).await?;
        let prepared = prepare(fetched).await?;
        stored += store_prepared(store, mailbox, folder, prepared, progress).await?;
    }
    Ok(stored)
}

/// Parses, compresses and folds a fetched batch for the index, off the async threads.
pub(super) async fn prepare(
    batch: Vec<Fetched>,
) -> Result<Vec<(Located, IncomingMessage)>, SyncError> {
    let now = SystemClock.now_millis();
    tokio::task::spawn_blocking(move || {
        batch
            .into_iter()
            .map(|fetched| {
                let located = Located {
                    uid: fetched.uid,
                    seen: fetched.flags.seen,
                    flagged: fetched.flags.flagged,
                    modseq: fetched.modseq,
                };
                let message = match fetched.too_large {
                    None => incoming(&fetched.raw, now),
                    Some(size) => too_large(&fetched.raw, size, now),
                };
                (located, message)
            })
            .collect::<Vec<_>>()
    })
    .await
    .map_err(|e| SyncError::Imap(ImapError::Protocol(format!("parser task failed: {e}"))))
}

/// Stores a prepared batch with the folder's progress. Returns how many messages were stored.
pub(super) async fn store_prepared(
    store: &impl MailStore,
    mailbox: &MailboxRecord,
    folder: &FolderRecord,
    prepared: Vec<(Located, IncomingMessage)>,
    progress: &mut FolderProgress,
) -> Result<u64, SyncError> {
    if prepared.is_empty() {
        return Ok(0);
    }
    if let Some(lowest) = prepared.iter().map(|(l, _)| l.uid).min() {
        progress.stored_down_to(lowest);
    }
    store
        .store_batch(mailbox, folder.id, &prepared, *progress)
        .await?;
    Ok(prepared.len() as u64)
}

/// A message over the per-message cap, from its header: stored with what the lists and the
/// relation need (sender, recipients, subject, date), its reported size, and marked truncated;
/// the message view explains it in Dutch and the mail itself stays on the server.
pub fn too_large(header: &[u8], size: u64, now: i64) -> IncomingMessage {
    let mut message = incoming(header, now);
    message.truncated = true;
    message.size = size;
    message.attachment_count = 0;
    message.snippet = format!(
        "Dit bericht is te groot om in Postkamer te bewaren ({}); het staat in uw mailbox op de server.",
        megabytes(size)
    );
    message
}

/// "62,9 MB".
fn megabytes(bytes: u64) -> String {
    let tenths = bytes.saturating_add(50_000) / 100_000;
    format!("{},{} MB", tenths / 10, tenths % 10)
}

/// A raw message ready for the store.
pub fn incoming(raw: &[u8], now: i64) -> IncomingMessage {
    let parsed = parse::parse(raw);
    let search = SearchText::of(&parsed.subject, &parsed.addresses, &parsed.body_text);
    IncomingMessage {
        // Stored once per organisation by its exact bytes: a copy with other bytes (another
        // body, other headers) is another row, so owning one copy never grants another.
        dedupe_key: format!("h:{}", parsed.content_hash),
        content_hash: parsed.content_hash,
        display_key: parsed.display_key,
        truncated: false,
        header_message_id: parsed.message_id,
        thread_key: parsed.thread_key,
        subject: parsed.subject,
        sent_at: parsed.date,
        sort_at: parsed.date.unwrap_or(now),
        addresses: parsed.addresses,
        search,
        snippet: parsed.snippet,
        attachment_count: u32::try_from(parsed.attachments.len()).unwrap_or(u32::MAX),
        size: parsed.size,
        raw_compressed: compress::pack(raw),
    }
}
