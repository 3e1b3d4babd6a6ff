//! One batch of fetched messages, stored in one transaction in a handful of multi-row
//! statements whatever its size — the round trips, not the rows, are what costs on PostgreSQL:
//! the messages new to the organisation, the ones it had, their addresses and search rows, the
//! folder's locations, and the private marks carried over from before copies were kept apart.

use super::sync::gc_messages;
use crate::sql::{Statement, Tx, param, param_list, value_groups};
use crate::{Engine, StoreError, StoreResult};
use postkamer_domain::OrgId;
use postkamer_domain::mail::AddressKind;
use postkamer_domain::mail::sync::{FolderId, IncomingMessage, Located};
use std::collections::{HashMap, HashSet};

const MESSAGE_COLUMNS: &str = "org_id, dedupe_key, content_hash, display_key, truncated, \
     header_message_id, thread_key, subject, sent_at, sort_at, from_email, from_name, snippet, \
     attachment_count, size, raw, created_at";
/// Parameters per message row: the columns above, plus (PostgreSQL) the two texts of the
/// full-text vector.
const MESSAGE_PARAMS: usize = 17;
/// Rows per multi-row statement: well under both engines' parameter limits (SQLite 32,766,
/// PostgreSQL 65,535), and small enough that one statement's raw bytes stay modest.
const MESSAGE_ROWS: usize = 50;
const ADDRESS_ROWS: usize = 1000;
const LOCATION_ROWS: usize = 1000;

type Batch = [(Located, IncomingMessage)];

/// The batch's messages by dedupe key; the first of a key in the batch stands for it.
struct Keys<'b> {
    first_of_key: HashMap<&'b str, usize>,
    /// Batch positions of the distinct keys, ascending.
    unique: Vec<usize>,
}

impl<'b> Keys<'b> {
    fn of(batch: &'b Batch) -> Self {
        let mut first_of_key = HashMap::with_capacity(batch.len());
        for (i, (_, m)) in batch.iter().enumerate() {
            first_of_key.entry(m.dedupe_key.as_str()).or_insert(i);
        }
        let mut unique: Vec<usize> = first_of_key.values().copied().collect();
        unique.sort_unstable();
        Keys {
            first_of_key,
            unique,
        }
    }
}

/// Message ids by dedupe key, and which of them this batch inserted (with their batch position).
#[derive(Default)]
struct Ids<'b> {
    by_key: HashMap<&'b str, i64>,
    new: Vec<(usize, i64)>,
}

/// Stores `batch` in `folder` inside the open transaction.
pub(super) async fn store_batch(
    tx: &mut Tx,
    org: OrgId,
    folder: FolderId,
    batch: &Batch,
    now: i64,
) -> StoreResult<()> {
    let keys = Keys::of(batch);
    let mut ids = Ids::default();
    insert_new(tx, org, batch, &keys, now, &mut ids).await?;
    find_known(tx, org, batch, &keys, &mut ids).await?;
    insert_addresses(tx, org, batch, &ids.new).await?;
    if tx.engine() == Engine::Sqlite {
        insert_search_rows(tx, batch, &ids.new).await?;
    }
    let mut replaced = held_before(tx, folder, batch).await?;
    write_locations(tx, folder, batch, &ids.by_key).await?;
    drop_provisional(tx, folder).await?;
    if let Some(first_new) = ids.new.iter().map(|&(_, id)| id).min() {
        carry_private_marks(tx, folder, first_new).await?;
    }
    let kept: HashSet<i64> = ids.by_key.values().copied().collect();
    replaced.retain(|id| !kept.contains(id));
    gc_messages(tx, &replaced).await
}

/// Stores one message for the organisation without a location (the row it has when it has
/// these bytes already); its id.
pub(crate) async fn store_message(
    tx: &mut Tx,
    org: OrgId,
    message: IncomingMessage,
    now: i64,
) -> StoreResult<i64> {
    let unplaced = Located {
        uid: 0,
        seen: false,
        flagged: false,
        modseq: None,
    };
    let batch = [(unplaced, message)];
    let keys = Keys::of(&batch);
    let mut ids = Ids::default();
    insert_new(tx, org, &batch, &keys, now, &mut ids).await?;
    find_known(tx, org, &batch, &keys, &mut ids).await?;
    insert_addresses(tx, org, &batch, &ids.new).await?;
    if tx.engine() == Engine::Sqlite {
        insert_search_rows(tx, &batch, &ids.new).await?;
    }
    let id = ids.by_key.values().next().copied();
    id.ok_or_else(|| StoreError::Corrupt("a stored message has no row".into()))
}

/// A message sent from Postkamer waits in Verzonden at a provisional (negative) UID until its
/// copy on the server is known; once the folder holds the same message at a real UID, the
/// provisional place goes.
async fn drop_provisional(tx: &mut Tx, folder: FolderId) -> StoreResult<()> {
    let drop = Statement::new(
        "DELETE FROM mail_locations WHERE folder_id = $1 AND uid < 0 AND message_id IN \
           (SELECT message_id FROM mail_locations WHERE folder_id = $1 AND uid > 0)",
    );
    tx.execute(drop.bind(folder.0)).await?;
    Ok(())
}

/// Inserts the messages new to the organisation; a key it already has is skipped.
async fn insert_new<'b>(
    tx: &mut Tx,
    org: OrgId,
    batch: &'b Batch,
    keys: &Keys<'b>,
    now: i64,
    ids: &mut Ids<'b>,
) -> StoreResult<()> {
    let engine = tx.engine();
    let search = engine == Engine::Postgres;
    for chunk in keys.unique.chunks(MESSAGE_ROWS) {
        let sql = format!(
            "INSERT INTO messages ({MESSAGE_COLUMNS}{}) VALUES {} \
             ON CONFLICT (org_id, dedupe_key) DO NOTHING RETURNING id, dedupe_key",
            if search { ", search" } else { "" },
            value_groups(engine, chunk.len(), MESSAGE_PARAMS, 1, search),
        );
        let mut insert = Statement::with_capacity(sql, chunk.len() * (MESSAGE_PARAMS + 2));
        for &i in chunk {
            bind_message(&mut insert, org, &batch[i].1, now, search);
        }
        for (id, key) in tx.fetch_all::<(i64, String)>(insert).await? {
            if let Some(&i) = keys.first_of_key.get(key.as_str()) {
                ids.by_key.insert(batch[i].1.dedupe_key.as_str(), id);
                ids.new.push((i, id));
            }
        }
    }
    Ok(())
}

/// The columns of [`MESSAGE_COLUMNS`] for one message, and with `search` the two texts of
/// PostgreSQL's full-text vector.
fn bind_message<'b>(
    insert: &mut Statement<'b>,
    org: OrgId,
    m: &'b IncomingMessage,
    now: i64,
    search: bool,
) {
    let from = m.addresses.iter().find(|a| a.kind == AddressKind::From);
    insert.push(org.0);
    insert.push(&m.dedupe_key);
    insert.push(&m.content_hash);
    insert.push(&m.display_key);
    insert.push(m.truncated);
    insert.push(&m.header_message_id);
    insert.push(&m.thread_key);
    insert.push(&m.subject);
    insert.push(m.sent_at);
    insert.push(m.sort_at);
    insert.push(from.map(|a| a.email.as_str()));
    insert.push(from.and_then(|a| a.name.as_deref()));
    insert.push(&m.snippet);
    insert.push(i64::from(m.attachment_count));
    insert.push(i64::try_from(m.size).unwrap_or(i64::MAX));
    insert.push(&m.raw_compressed);
    insert.push(now);
    if search {
        insert.push(format!("{} {}", m.search.subject, m.search.addresses));
        insert.push(&m.search.body);
    }
}

/// Looks up the ids of the batch's messages the organisation had before.
async fn find_known<'b>(
    tx: &mut Tx,
    org: OrgId,
    batch: &'b Batch,
    keys: &Keys<'b>,
    ids: &mut Ids<'b>,
) -> StoreResult<()> {
    let engine = tx.engine();
    let known: Vec<&str> = keys
        .unique
        .iter()
        .map(|&i| batch[i].1.dedupe_key.as_str())
        .filter(|k| !ids.by_key.contains_key(k))
        .collect();
    for chunk in known.chunks(LOCATION_ROWS) {
        let sql = format!(
            "SELECT id, dedupe_key FROM messages WHERE org_id = {} AND dedupe_key IN ({})",
            param(engine, 1),
            param_list(engine, chunk.len(), 2)
        );
        let mut select = Statement::with_capacity(sql, chunk.len() + 1).bind(org.0);
        for &key in chunk {
            select.push(key);
        }
        for (id, key) in tx.fetch_all::<(i64, String)>(select).await? {
            if let Some(&i) = keys.first_of_key.get(key.as_str()) {
                ids.by_key.insert(batch[i].1.dedupe_key.as_str(), id);
            }
        }
    }
    Ok(())
}

/// The addresses of the new messages, in their order in the headers.
async fn insert_addresses(
    tx: &mut Tx,
    org: OrgId,
    batch: &Batch,
    new: &[(usize, i64)],
) -> StoreResult<()> {
    let engine = tx.engine();
    let rows: Vec<_> = new
        .iter()
        .flat_map(|&(i, id)| {
            let addresses = batch[i].1.addresses.iter().enumerate();
            addresses.map(move |(position, a)| (id, position, a))
        })
        .collect();
    for chunk in rows.chunks(ADDRESS_ROWS) {
        let sql = format!(
            "INSERT INTO message_addresses (message_id, org_id, kind, position, email, name) \
             VALUES {} ON CONFLICT DO NOTHING",
            value_groups(engine, chunk.len(), 6, 1, false)
        );
        let mut insert = Statement::with_capacity(sql, chunk.len() * 6);
        for &(id, position, a) in chunk {
            insert.push(id);
            insert.push(org.0);
            insert.push(a.kind.as_str());
            insert.push(i64::try_from(position).unwrap_or(i64::MAX));
            insert.push(a.email.as_str());
            insert.push(&a.name);
        }
        tx.execute(insert).await?;
    }
    Ok(())
}

/// SQLite's full-text rows of the new messages (PostgreSQL keeps its vector in the row).
async fn insert_search_rows(tx: &mut Tx, batch: &Batch, new: &[(usize, i64)]) -> StoreResult<()> {
    for chunk in new.chunks(ADDRESS_ROWS) {
        let sql = format!(
            "INSERT INTO messages_fts (rowid, subject, body, addresses) VALUES {}",
            value_groups(tx.engine(), chunk.len(), 4, 1, false)
        );
        let mut insert = Statement::with_capacity(sql, chunk.len() * 4);
        for &(i, id) in chunk {
            let text = &batch[i].1.search;
            insert.push(id);
            insert.push(&text.subject);
            insert.push(&text.body);
            insert.push(&text.addresses);
        }
        tx.execute(insert).await?;
    }
    Ok(())
}

/// The messages the batch's UIDs held in the folder before (a re-stored UID replaces them).
async fn held_before(tx: &mut Tx, folder: FolderId, batch: &Batch) -> StoreResult<Vec<i64>> {
    let engine = tx.engine();
    let uids: Vec<i64> = batch.iter().map(|(l, _)| i64::from(l.uid)).collect();
    let mut held = Vec::new();
    for chunk in uids.chunks(LOCATION_ROWS) {
        let sql = format!(
            "SELECT message_id FROM mail_locations WHERE folder_id = {} AND uid IN ({})",
            param(engine, 1),
            param_list(engine, chunk.len(), 2)
        );
        let mut select = Statement::with_capacity(sql, chunk.len() + 1).bind(folder.0);
        for &uid in chunk {
            select.push(uid);
        }
        let rows = tx.fetch_all::<(i64,)>(select).await?;
        held.extend(rows.into_iter().map(|(id,)| id));
    }
    Ok(held)
}

/// The folder's locations of the batch: a UID it had is pointed at its new message.
async fn write_locations(
    tx: &mut Tx,
    folder: FolderId,
    batch: &Batch,
    ids: &HashMap<&str, i64>,
) -> StoreResult<()> {
    // A UID twice in one batch cannot happen on a sane server; keep the last.
    let mut by_uid: HashMap<u32, usize> = HashMap::with_capacity(batch.len());
    for (i, (l, _)) in batch.iter().enumerate() {
        by_uid.insert(l.uid, i);
    }
    let mut rows: Vec<usize> = by_uid.into_values().collect();
    rows.sort_unstable();
    for chunk in rows.chunks(LOCATION_ROWS) {
        let sql = format!(
            "INSERT INTO mail_locations (folder_id, uid, message_id, seen, flagged, modseq, sort_at) \
             VALUES {} ON CONFLICT (folder_id, uid) DO UPDATE SET message_id = excluded.message_id, \
               seen = excluded.seen, flagged = excluded.flagged, modseq = excluded.modseq, \
               sort_at = excluded.sort_at",
            value_groups(tx.engine(), chunk.len(), 7, 1, false)
        );
        let mut insert = Statement::with_capacity(sql, chunk.len() * 7);
        for &i in chunk {
            let (located, m) = &batch[i];
            let id = ids.get(m.dedupe_key.as_str()).copied().ok_or_else(|| {
                StoreError::Corrupt(format!("message {} not stored", m.dedupe_key))
            })?;
            insert.push(folder.0);
            insert.push(i64::from(located.uid));
            insert.push(id);
            insert.push(located.seen);
            insert.push(located.flagged);
            insert.push(located.modseq.and_then(|m| i64::try_from(m).ok()));
            insert.push(m.sort_at);
        }
        tx.execute(insert).await?;
    }
    Ok(())
}

/// A private mark from before copies were stored apart returns with the marking user's own
/// copy (see the migration `mail_copies`): new messages from id `first_new` on.
async fn carry_private_marks(tx: &mut Tx, folder: FolderId, first_new: i64) -> StoreResult<()> {
    let carry = Statement::new(
        "INSERT INTO private_messages (user_id, message_id) \
         SELECT pc.user_id, m.id FROM messages m \
         JOIN mail_locations l ON l.message_id = m.id AND l.folder_id = $1 \
         JOIN mail_folders f ON f.id = l.folder_id \
         JOIN mailboxes b ON b.id = f.mailbox_id \
         JOIN private_carry pc ON pc.user_id = b.user_id \
           AND pc.header_message_id = m.header_message_id \
         WHERE m.id >= $2 ON CONFLICT DO NOTHING",
    );
    tx.execute(carry.bind(folder.0).bind(first_new)).await?;
    Ok(())
}
