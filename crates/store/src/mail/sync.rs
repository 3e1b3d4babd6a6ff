//! The sync engine's writes: a batch of fetched messages and the folder's progress in one
//! transaction (so a crash between batches loses nothing and repeats nothing), flag changes,
//! expunges, and a folder reset after a UIDVALIDITY change.

use super::{FolderId, FolderRecord};
use crate::search::fold;
use crate::{BeginWrite, Engine, Store, StoreResult, with_pool};
use postkamer_domain::OrgId;
use postkamer_domain::mail::MailAddress;

/// A message as the sync engine hands it over: parsed fields and the compressed raw bytes.
#[derive(Debug, Clone)]
pub struct IncomingMessage {
    pub dedupe_key: String,
    pub content_hash: String,
    pub header_message_id: Option<String>,
    pub thread_key: String,
    pub subject: String,
    pub sent_at: Option<i64>,
    /// The date the lists sort by: the Date header, else the server's arrival time.
    pub sort_at: i64,
    pub addresses: Vec<MailAddress>,
    pub snippet: String,
    pub body_text: String,
    pub attachment_count: u32,
    pub size: u64,
    pub raw_compressed: Vec<u8>,
}

/// A message's place in a folder: its UID and flags there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Located {
    pub uid: u32,
    pub seen: bool,
    pub flagged: bool,
    pub modseq: Option<u64>,
}

/// How far a folder's sync got; written with the batch that got it there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FolderProgress {
    pub uid_top: u32,
    pub uid_low: Option<u32>,
    pub first_sync_done: bool,
    pub highest_modseq: Option<u64>,
    pub on_server: u64,
}

/// The words of a message for the full-text index: folded to lower-case ASCII and split on
/// everything else, so `jan@voorbeeld.nl` is found by "voorbeeld" in both engines.
fn index_text(text: &str) -> String {
    let folded = fold(text);
    let mut out = String::with_capacity(folded.len());
    for word in folded.split(|c: char| !c.is_ascii_alphanumeric()) {
        if !word.is_empty() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
        }
    }
    out
}

fn addresses_text(addresses: &[MailAddress]) -> String {
    let mut text = String::new();
    for a in addresses {
        text.push_str(&a.email);
        text.push(' ');
        if let Some(name) = &a.name {
            text.push_str(name);
            text.push(' ');
        }
    }
    text
}

const INSERT_MESSAGE_SQLITE: &str = "INSERT INTO messages (org_id, dedupe_key, content_hash, header_message_id, \
     thread_key, subject, sent_at, sort_at, from_email, from_name, snippet, attachment_count, size, raw, created_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) \
     ON CONFLICT (org_id, dedupe_key) DO NOTHING RETURNING id";
const INSERT_MESSAGE_POSTGRES: &str = "INSERT INTO messages (org_id, dedupe_key, content_hash, header_message_id, \
     thread_key, subject, sent_at, sort_at, from_email, from_name, snippet, attachment_count, size, raw, created_at, search) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, \
             setweight(to_tsvector('simple', $16), 'A') || to_tsvector('simple', $17)) \
     ON CONFLICT (org_id, dedupe_key) DO NOTHING RETURNING id";

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
    /// Re-storing a UID the folder already has replaces its location (idempotent).
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
            for (located, message) in batch {
                let from = message.addresses.iter().find(|a| a.kind == postkamer_domain::mail::AddressKind::From);
                let subject_text = index_text(&message.subject);
                let addresses_text = index_text(&addresses_text(&message.addresses));
                let body_text = index_text(&message.body_text);
                let sql = match engine {
                    Engine::Sqlite => INSERT_MESSAGE_SQLITE,
                    Engine::Postgres => INSERT_MESSAGE_POSTGRES,
                };
                let mut insert = sqlx::query_scalar::<_, i64>(sql)
                    .bind(org.0)
                    .bind(&message.dedupe_key)
                    .bind(&message.content_hash)
                    .bind(&message.header_message_id)
                    .bind(&message.thread_key)
                    .bind(&message.subject)
                    .bind(message.sent_at)
                    .bind(message.sort_at)
                    .bind(from.map(|a| a.email.as_str()))
                    .bind(from.and_then(|a| a.name.as_deref()))
                    .bind(&message.snippet)
                    .bind(i64::from(message.attachment_count))
                    .bind(i64::try_from(message.size).unwrap_or(i64::MAX))
                    .bind(&message.raw_compressed)
                    .bind(now);
                if engine == Engine::Postgres {
                    insert = insert
                        .bind(format!("{subject_text} {addresses_text}"))
                        .bind(body_text.clone());
                }
                let inserted: Option<i64> = insert.fetch_optional(&mut *tx).await?;
                let id = match inserted {
                    Some(id) => {
                        if engine == Engine::Sqlite {
                            sqlx::query("INSERT INTO messages_fts (rowid, subject, body, addresses) VALUES ($1, $2, $3, $4)")
                                .bind(id)
                                .bind(&subject_text)
                                .bind(&body_text)
                                .bind(&addresses_text)
                                .execute(&mut *tx)
                                .await?;
                        }
                        for (position, address) in message.addresses.iter().enumerate() {
                            sqlx::query(
                                "INSERT INTO message_addresses (message_id, org_id, kind, position, email, name) \
                                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
                            )
                            .bind(id)
                            .bind(org.0)
                            .bind(address.kind.as_str())
                            .bind(i64::try_from(position).unwrap_or(i64::MAX))
                            .bind(&address.email)
                            .bind(&address.name)
                            .execute(&mut *tx)
                            .await?;
                        }
                        id
                    }
                    None => sqlx::query_scalar("SELECT id FROM messages WHERE org_id = $1 AND dedupe_key = $2")
                        .bind(org.0)
                        .bind(&message.dedupe_key)
                        .fetch_one(&mut *tx)
                        .await?,
                };
                let replaced: Option<i64> = sqlx::query_scalar(
                    "SELECT message_id FROM mail_locations WHERE folder_id = $1 AND uid = $2",
                )
                .bind(folder.0)
                .bind(i64::from(located.uid))
                .fetch_optional(&mut *tx)
                .await?;
                sqlx::query(
                    "INSERT INTO mail_locations (folder_id, uid, message_id, seen, flagged, modseq, sort_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) \
                     ON CONFLICT (folder_id, uid) DO UPDATE SET message_id = excluded.message_id, \
                       seen = excluded.seen, flagged = excluded.flagged, modseq = excluded.modseq, \
                       sort_at = excluded.sort_at",
                )
                .bind(folder.0)
                .bind(i64::from(located.uid))
                .bind(id)
                .bind(located.seen)
                .bind(located.flagged)
                .bind(located.modseq.and_then(|m| i64::try_from(m).ok()))
                .bind(message.sort_at)
                .execute(&mut *tx)
                .await?;
                if let Some(old) = replaced.filter(|old| *old != id) {
                    gc_messages!(tx, engine, &[old]);
                }
            }
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
    pub async fn remove_uids(&self, folder: FolderId, uids: &[u32]) -> StoreResult<()> {
        if uids.is_empty() {
            return Ok(());
        }
        let engine = self.engine();
        with_pool!(self, pool => {
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
            gc_messages!(tx, engine, &affected);
            tx.commit().await?;
        });
        Ok(())
    }
}
