//! The sync engine's writes: a batch of fetched messages and the folder's progress in one
//! transaction (so a crash between batches loses nothing and repeats nothing), flag changes,
//! expunges, and a folder reset after a UIDVALIDITY change.

use crate::{BeginWrite, Engine, Store, StoreError, StoreResult, with_pool};
use postkamer_domain::OrgId;
use postkamer_domain::mail::AddressKind;
use postkamer_domain::mail::MailAddress;
use postkamer_domain::mail::sync::{
    FolderId, FolderProgress, FolderRecord, IncomingMessage, Located,
};
use sqlx::AssertSqlSafe;
use std::collections::HashMap;

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

/// One parameter: `$n` for PostgreSQL; a bare `?` for SQLite, which sqlx binds by position
/// (numbered ones it looks up by name, which grows with the square of their number).
fn param(engine: Engine, n: usize) -> String {
    match engine {
        Engine::Postgres => format!("${n}"),
        Engine::Sqlite => "?".to_owned(),
    }
}

/// `($1, $2, …), (…)`: `rows` groups of `cols` parameters from number `first`; with
/// `search`, each group ends with the PostgreSQL full-text vector over two more parameters.
fn value_groups(engine: Engine, rows: usize, cols: usize, first: usize, search: bool) -> String {
    let per_row = cols + if search { 2 } else { 0 };
    let mut sql = String::with_capacity(rows * per_row * 5);
    for row in 0..rows {
        if row > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        let base = first + row * per_row;
        for col in 0..cols {
            if col > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&param(engine, base + col));
        }
        if search {
            sql.push_str(&format!(
                ", setweight(to_tsvector('simple', ${}), 'A') || to_tsvector('simple', ${})",
                base + cols,
                base + cols + 1
            ));
        }
        sql.push(')');
    }
    sql
}

/// `$first, $first+1, …` for an `IN (…)` list.
fn param_list(engine: Engine, count: usize, first: usize) -> String {
    (first..first + count)
        .map(|i| param(engine, i))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Removes a folder's locations and the messages no other folder holds, inside the open
/// transaction `$tx` (either engine).
macro_rules! clear_folder {
    ($tx:expr, $engine:expr, $folder:expr) => {{
        let affected: Vec<i64> = sqlx::query_scalar(
            "DELETE FROM mail_locations WHERE folder_id = $1 RETURNING message_id",
        )
        .bind($folder)
        .fetch_all(&mut *$tx)
        .await?;
        $crate::mail::sync::gc_messages!($tx, $engine, &affected);
    }};
}
pub(crate) use clear_folder;

/// Deletes those of the message ids that no folder holds any more, and their index entries.
macro_rules! gc_messages {
    ($tx:expr, $engine:expr, $ids:expr) => {{
        let unique: std::collections::BTreeSet<i64> = $ids.iter().copied().collect();
        for id in unique {
            let gone: Option<i64> = sqlx::query_scalar(
                "DELETE FROM messages WHERE id = $1 \
                 AND NOT EXISTS (SELECT 1 FROM mail_locations WHERE message_id = $1) RETURNING id",
            )
            .bind(id)
            .fetch_optional(&mut *$tx)
            .await?;
            if gone.is_some() && $engine == $crate::Engine::Sqlite {
                sqlx::query("DELETE FROM messages_fts WHERE rowid = $1")
                    .bind(id)
                    .execute(&mut *$tx)
                    .await?;
            }
        }
    }};
}
pub(crate) use gc_messages;

macro_rules! write_progress {
    ($tx:expr, $folder:expr, $p:expr) => {{
        let p: FolderProgress = $p;
        sqlx::query(
            "UPDATE mail_folders SET uid_top = $1, uid_low = $2, first_sync_done = $3, \
             highest_modseq = $4, on_server = $5 WHERE id = $6",
        )
        .bind(i64::from(p.uid_top))
        .bind(p.uid_low.map(i64::from))
        .bind(p.first_sync_done)
        .bind(p.highest_modseq.and_then(|m| i64::try_from(m).ok()))
        .bind(i64::try_from(p.on_server).unwrap_or(i64::MAX))
        .bind($folder.0)
        .execute(&mut *$tx)
        .await?;
    }};
}

impl Store {
    /// Stores a batch of fetched messages in `folder` and moves its progress, atomically.
    /// A message already stored for the organisation (same dedupe key) gets a new location only.
    /// Re-storing a UID the folder already has replaces its location (idempotent). A handful of
    /// multi-row statements per batch, whatever its size: the round trips, not the rows, are
    /// what costs on PostgreSQL.
    pub async fn store_batch(
        &self,
        org: OrgId,
        folder: FolderId,
        batch: &[(Located, IncomingMessage)],
        progress: FolderProgress,
    ) -> StoreResult<()> {
        let engine = self.engine();
        let now = crate::now_millis();
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            // 1. The messages new to the organisation; the first of a key in the batch wins.
            let mut ids: HashMap<&str, i64> = HashMap::with_capacity(batch.len());
            let mut new_ids: Vec<(usize, i64)> = Vec::new();
            let mut first_of_key: HashMap<&str, usize> = HashMap::with_capacity(batch.len());
            for (i, (_, m)) in batch.iter().enumerate() {
                first_of_key.entry(m.dedupe_key.as_str()).or_insert(i);
            }
            let mut unique: Vec<usize> = first_of_key.values().copied().collect();
            unique.sort_unstable();
            let search = engine == Engine::Postgres;
            for chunk in unique.chunks(MESSAGE_ROWS) {
                let sql = format!(
                    "INSERT INTO messages ({MESSAGE_COLUMNS}{}) VALUES {} \
                     ON CONFLICT (org_id, dedupe_key) DO NOTHING RETURNING id, dedupe_key",
                    if search { ", search" } else { "" },
                    value_groups(engine, chunk.len(), MESSAGE_PARAMS, 1, search),
                );
                let mut insert = sqlx::query_as::<_, (i64, String)>(AssertSqlSafe(sql));
                for &i in chunk {
                    let m = &batch[i].1;
                    let from = m.addresses.iter().find(|a| a.kind == AddressKind::From);
                    insert = insert
                        .bind(org.0)
                        .bind(&m.dedupe_key)
                        .bind(&m.content_hash)
                        .bind(&m.display_key)
                        .bind(m.truncated)
                        .bind(&m.header_message_id)
                        .bind(&m.thread_key)
                        .bind(&m.subject)
                        .bind(m.sent_at)
                        .bind(m.sort_at)
                        .bind(from.map(|a| a.email.as_str()))
                        .bind(from.and_then(|a| a.name.as_deref()))
                        .bind(&m.snippet)
                        .bind(i64::from(m.attachment_count))
                        .bind(i64::try_from(m.size).unwrap_or(i64::MAX))
                        .bind(&m.raw_compressed)
                        .bind(now);
                    if search {
                        let text = &m.search;
                        insert = insert
                            .bind(format!("{} {}", text.subject, text.addresses))
                            .bind(text.body.as_str());
                    }
                }
                for (id, key) in insert.fetch_all(&mut *tx).await? {
                    if let Some(&i) = first_of_key.get(key.as_str()) {
                        ids.insert(batch[i].1.dedupe_key.as_str(), id);
                        new_ids.push((i, id));
                    }
                }
            }
            // 2. The ones stored before.
            let known: Vec<&str> = unique
                .iter()
                .map(|&i| batch[i].1.dedupe_key.as_str())
                .filter(|k| !ids.contains_key(k))
                .collect();
            for chunk in known.chunks(LOCATION_ROWS) {
                let sql = format!(
                    "SELECT id, dedupe_key FROM messages WHERE org_id = {} AND dedupe_key IN ({})",
                    param(engine, 1),
                    param_list(engine, chunk.len(), 2)
                );
                let mut select = sqlx::query_as::<_, (i64, String)>(AssertSqlSafe(sql)).bind(org.0);
                for key in chunk {
                    select = select.bind(*key);
                }
                for (id, key) in select.fetch_all(&mut *tx).await? {
                    if let Some(&i) = first_of_key.get(key.as_str()) {
                        ids.insert(batch[i].1.dedupe_key.as_str(), id);
                    }
                }
            }
            // 3. Addresses (and SQLite's full-text rows) of the new messages.
            let rows: Vec<(i64, usize, &MailAddress)> = new_ids
                .iter()
                .flat_map(|&(i, id)| batch[i].1.addresses.iter().enumerate().map(move |(p, a)| (id, p, a)))
                .collect();
            for chunk in rows.chunks(ADDRESS_ROWS) {
                let sql = format!(
                    "INSERT INTO message_addresses (message_id, org_id, kind, position, email, name) \
                     VALUES {} ON CONFLICT DO NOTHING",
                    value_groups(engine, chunk.len(), 6, 1, false)
                );
                let mut insert = sqlx::query(AssertSqlSafe(sql));
                for (id, position, a) in chunk {
                    insert = insert
                        .bind(*id)
                        .bind(org.0)
                        .bind(a.kind.as_str())
                        .bind(i64::try_from(*position).unwrap_or(i64::MAX))
                        .bind(&a.email)
                        .bind(&a.name);
                }
                insert.execute(&mut *tx).await?;
            }
            if engine == Engine::Sqlite {
                for chunk in new_ids.chunks(ADDRESS_ROWS) {
                    let sql = format!(
                        "INSERT INTO messages_fts (rowid, subject, body, addresses) VALUES {}",
                        value_groups(engine, chunk.len(), 4, 1, false)
                    );
                    let mut insert = sqlx::query(AssertSqlSafe(sql));
                    for &(i, id) in chunk {
                        let text = &batch[i].1.search;
                        insert = insert
                            .bind(id)
                            .bind(text.subject.as_str())
                            .bind(text.body.as_str())
                            .bind(text.addresses.as_str());
                    }
                    insert.execute(&mut *tx).await?;
                }
            }
            // 4. Locations: what these UIDs held before, then the new rows.
            let mut replaced: Vec<i64> = Vec::new();
            let uids: Vec<i64> = batch.iter().map(|(l, _)| i64::from(l.uid)).collect();
            for chunk in uids.chunks(LOCATION_ROWS) {
                let sql = format!(
                    "SELECT uid, message_id FROM mail_locations WHERE folder_id = {} AND uid IN ({})",
                    param(engine, 1),
                    param_list(engine, chunk.len(), 2)
                );
                let mut select = sqlx::query_as::<_, (i64, i64)>(AssertSqlSafe(sql)).bind(folder.0);
                for uid in chunk {
                    select = select.bind(*uid);
                }
                replaced.extend(select.fetch_all(&mut *tx).await?.into_iter().map(|(_, id)| id));
            }
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
                    value_groups(engine, chunk.len(), 7, 1, false)
                );
                let mut insert = sqlx::query(AssertSqlSafe(sql));
                for &i in chunk {
                    let (located, m) = &batch[i];
                    let id = ids
                        .get(m.dedupe_key.as_str())
                        .copied()
                        .ok_or_else(|| StoreError::Corrupt(format!("message {} not stored", m.dedupe_key)))?;
                    insert = insert
                        .bind(folder.0)
                        .bind(i64::from(located.uid))
                        .bind(id)
                        .bind(located.seen)
                        .bind(located.flagged)
                        .bind(located.modseq.and_then(|m| i64::try_from(m).ok()))
                        .bind(m.sort_at);
                }
                insert.execute(&mut *tx).await?;
            }
            // A private mark from before copies were stored apart returns with the marking
            // user's own copy (see the migration `mail_copies`).
            if let Some(first_new) = new_ids.iter().map(|&(_, id)| id).min() {
                sqlx::query(
                    "INSERT INTO private_messages (user_id, message_id) \
                     SELECT pc.user_id, m.id FROM messages m \
                     JOIN mail_locations l ON l.message_id = m.id AND l.folder_id = $1 \
                     JOIN mail_folders f ON f.id = l.folder_id \
                     JOIN mailboxes b ON b.id = f.mailbox_id \
                     JOIN private_carry pc ON pc.user_id = b.user_id \
                       AND pc.header_message_id = m.header_message_id \
                     WHERE m.id >= $2 ON CONFLICT DO NOTHING",
                )
                .bind(folder.0)
                .bind(first_new)
                .execute(&mut *tx)
                .await?;
            }
            let kept: std::collections::HashSet<i64> = ids.values().copied().collect();
            replaced.retain(|id| !kept.contains(id));
            gc_messages!(tx, engine, &replaced);
            write_progress!(tx, folder, progress);
            tx.commit().await?;
        });
        Ok(())
    }

    /// Moves a folder's progress without storing messages (an empty batch, a finished pass).
    pub async fn set_folder_progress(
        &self,
        folder: FolderId,
        progress: FolderProgress,
    ) -> StoreResult<()> {
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            write_progress!(tx, folder, progress);
            tx.commit().await?;
        });
        Ok(())
    }

    /// Forgets everything stored for a folder and starts it over under a new UIDVALIDITY:
    /// messages also in other folders stay; the rest go, and come back (once) as the folder is
    /// fetched again.
    pub async fn reset_folder(
        &self,
        folder: FolderId,
        uid_validity: u32,
        uid_top: u32,
    ) -> StoreResult<FolderRecord> {
        let engine = self.engine();
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            clear_folder!(tx, engine, folder.0);
            sqlx::query(
                "UPDATE mail_folders SET uid_validity = $1, uid_top = $2, uid_low = NULL, \
                 first_sync_done = FALSE, highest_modseq = NULL, on_server = 0 WHERE id = $3",
            )
            .bind(i64::from(uid_validity))
            .bind(i64::from(uid_top))
            .bind(folder.0)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
        });
        self.folder(folder).await
    }

    pub async fn folder(&self, folder: FolderId) -> StoreResult<FolderRecord> {
        let row: super::FolderRow = with_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT {} FROM mail_folders WHERE id = $1", super::FOLDER_COLUMNS
            )))
            .bind(folder.0)
            .fetch_one(pool)
            .await)?;
        row.into_record()
    }

    /// How many messages are stored for a folder.
    pub async fn folder_count(&self, folder: FolderId) -> StoreResult<u64> {
        let n: i64 = with_pool!(self, pool => sqlx::query_scalar(
                "SELECT COUNT(*) FROM mail_locations WHERE folder_id = $1",
            )
            .bind(folder.0)
            .fetch_one(pool)
            .await)?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// The UIDs stored for a folder with their flags, ascending.
    pub async fn folder_uids(&self, folder: FolderId) -> StoreResult<Vec<Located>> {
        let rows: Vec<(i64, bool, bool, Option<i64>)> = with_pool!(self, pool => sqlx::query_as(
                "SELECT uid, seen, flagged, modseq FROM mail_locations WHERE folder_id = $1 ORDER BY uid",
            )
            .bind(folder.0)
            .fetch_all(pool)
            .await)?;
        Ok(rows
            .into_iter()
            .filter_map(|(uid, seen, flagged, modseq)| {
                Some(Located {
                    uid: u32::try_from(uid).ok()?,
                    seen,
                    flagged,
                    modseq: modseq.and_then(|m| u64::try_from(m).ok()),
                })
            })
            .collect())
    }

    /// Applies flags read from the server. UIDs the folder does not have are ignored.
    pub async fn update_flags(&self, folder: FolderId, updates: &[Located]) -> StoreResult<()> {
        if updates.is_empty() {
            return Ok(());
        }
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            for update in updates {
                sqlx::query(
                    "UPDATE mail_locations SET seen = $1, flagged = $2, modseq = COALESCE($3, modseq) \
                     WHERE folder_id = $4 AND uid = $5",
                )
                .bind(update.seen)
                .bind(update.flagged)
                .bind(update.modseq.and_then(|m| i64::try_from(m).ok()))
                .bind(folder.0)
                .bind(i64::from(update.uid))
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// Removes UIDs that are gone from the server folder; messages no folder holds any more
    /// are deleted.
    /// Returns how many of the UIDs the folder had.
    pub async fn remove_uids(&self, folder: FolderId, uids: &[u32]) -> StoreResult<u64> {
        if uids.is_empty() {
            return Ok(0);
        }
        let engine = self.engine();
        let removed = with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let mut affected = Vec::with_capacity(uids.len());
            for uid in uids {
                let id: Option<i64> = sqlx::query_scalar(
                    "DELETE FROM mail_locations WHERE folder_id = $1 AND uid = $2 RETURNING message_id",
                )
                .bind(folder.0)
                .bind(i64::from(*uid))
                .fetch_optional(&mut *tx)
                .await?;
                affected.extend(id);
            }
            let removed = affected.len() as u64;
            gc_messages!(tx, engine, &affected);
            tx.commit().await?;
            removed
        });
        Ok(removed)
    }
}
