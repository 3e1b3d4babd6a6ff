//! The sync engine's writes: a batch of fetched messages and the folder's progress in one
//! transaction (so a crash between batches loses nothing and repeats nothing), flag changes,
//! expunges, and a folder reset after a UIDVALIDITY change.

use crate::sql::{Statement, Tx};
use crate::{Engine, Store, StoreResult, with_pool};
use postkamer_domain::mail::sync::{
    FolderId, FolderProgress, FolderRecord, IncomingMessage, Located,
};
use postkamer_domain::mail::{FolderStatus, SyncStatus};
use postkamer_domain::{MailboxId, OrgId};
use std::collections::BTreeSet;

/// Removes a folder's locations and the messages no other folder holds.
pub(super) async fn clear_folder(tx: &mut Tx, folder: i64) -> StoreResult<()> {
    let delete =
        Statement::new("DELETE FROM mail_locations WHERE folder_id = $1 RETURNING message_id");
    let affected: Vec<(i64,)> = tx.fetch_all(delete.bind(folder)).await?;
    let affected: Vec<i64> = affected.into_iter().map(|(id,)| id).collect();
    gc_messages(tx, &affected).await
}

/// Deletes those of the message ids that no folder holds any more, and their index entries.
pub(crate) async fn gc_messages(tx: &mut Tx, ids: &[i64]) -> StoreResult<()> {
    let unique: BTreeSet<i64> = ids.iter().copied().collect();
    for id in unique {
        let delete = Statement::new(
            "DELETE FROM messages WHERE id = $1 \
             AND NOT EXISTS (SELECT 1 FROM mail_locations WHERE message_id = $1) RETURNING id",
        );
        let gone: Option<(i64,)> = tx.fetch_optional(delete.bind(id)).await?;
        if gone.is_some() && tx.engine() == Engine::Sqlite {
            let index = Statement::new("DELETE FROM messages_fts WHERE rowid = $1");
            tx.execute(index.bind(id)).await?;
        }
    }
    Ok(())
}

async fn write_progress(tx: &mut Tx, folder: FolderId, p: FolderProgress) -> StoreResult<()> {
    let update = Statement::new(
        "UPDATE mail_folders SET uid_top = $1, uid_low = $2, first_sync_done = $3, \
         highest_modseq = $4, on_server = $5 WHERE id = $6",
    )
    .bind(i64::from(p.uid_top))
    .bind(p.uid_low.map(i64::from))
    .bind(p.first_sync_done)
    .bind(p.highest_modseq.and_then(|m| i64::try_from(m).ok()))
    .bind(i64::try_from(p.on_server).unwrap_or(i64::MAX))
    .bind(folder.0);
    tx.execute(update).await?;
    Ok(())
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
        let mut tx = self.begin().await?;
        super::batch::store_batch(&mut tx, org, folder, batch, self.now()).await?;
        write_progress(&mut tx, folder, progress).await?;
        tx.commit().await
    }

    /// Moves a folder's progress without storing messages (an empty batch, a finished pass).
    pub async fn set_folder_progress(
        &self,
        folder: FolderId,
        progress: FolderProgress,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        write_progress(&mut tx, folder, progress).await?;
        tx.commit().await
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
        let mut tx = self.begin().await?;
        clear_folder(&mut tx, folder.0).await?;
        let restart = Statement::new(
            "UPDATE mail_folders SET uid_validity = $1, uid_top = $2, uid_low = NULL, \
             first_sync_done = FALSE, highest_modseq = NULL, on_server = 0 WHERE id = $3",
        );
        let restart = restart
            .bind(i64::from(uid_validity))
            .bind(i64::from(uid_top));
        tx.execute(restart.bind(folder.0)).await?;
        tx.commit().await?;
        self.folder(folder).await
    }

    pub async fn folder(&self, folder: FolderId) -> StoreResult<FolderRecord> {
        let row: super::FolderRow =
            with_pool!(self, |pool| sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT {} FROM mail_folders WHERE id = $1",
                super::FOLDER_COLUMNS
            )))
            .bind(folder.0)
            .fetch_one(pool)
            .await)?;
        row.into_record()
    }

    /// How many messages of the server's folder are stored (a sent message waiting for its
    /// copy on the server is not one of them).
    pub async fn folder_count(&self, folder: FolderId) -> StoreResult<u64> {
        let n: i64 = with_pool!(self, |pool| sqlx::query_scalar(
            "SELECT COUNT(*) FROM mail_locations WHERE folder_id = $1 AND uid > 0",
        )
        .bind(folder.0)
        .fetch_one(pool)
        .await)?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// The UIDs stored for a folder with their flags, ascending.
    pub async fn folder_uids(&self, folder: FolderId) -> StoreResult<Vec<Located>> {
        let rows: Vec<(i64, bool, bool, Option<i64>)> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT uid, seen, flagged, modseq FROM mail_locations WHERE folder_id = $1 ORDER BY uid",
            )
            .bind(folder.0)
            .fetch_all(pool)
            .await
        })?;
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
        let mut tx = self.begin().await?;
        for update in updates {
            let set = Statement::new(
                "UPDATE mail_locations SET seen = $1, flagged = $2, modseq = COALESCE($3, modseq) \
                 WHERE folder_id = $4 AND uid = $5",
            )
            .bind(update.seen)
            .bind(update.flagged)
            .bind(update.modseq.and_then(|m| i64::try_from(m).ok()));
            tx.execute(set.bind(folder.0).bind(i64::from(update.uid)))
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Removes UIDs that are gone from the server folder; messages no folder holds any more
    /// are deleted.
    /// Returns how many of the UIDs the folder had.
    pub async fn remove_uids(&self, folder: FolderId, uids: &[u32]) -> StoreResult<u64> {
        if uids.is_empty() {
            return Ok(0);
        }
        let mut tx = self.begin().await?;
        let mut affected = Vec::with_capacity(uids.len());
        for &uid in uids {
            let delete = Statement::new(
                "DELETE FROM mail_locations WHERE folder_id = $1 AND uid = $2 RETURNING message_id",
            );
            let id: Option<(i64,)> = tx
                .fetch_optional(delete.bind(folder.0).bind(i64::from(uid)))
                .await?;
            affected.extend(id.map(|(id,)| id));
        }
        gc_messages(&mut tx, &affected).await?;
        tx.commit().await?;
        Ok(affected.len() as u64)
    }

    /// Sync health of a mailbox and its folders; it is running while its sync job (`job`:
    /// kind and unique key in the job queue) is leased.
    pub async fn sync_status(
        &self,
        mailbox: MailboxId,
        job: (&str, &str),
    ) -> StoreResult<SyncStatus> {
        let now = self.now();
        let head: (Option<i64>, Option<String>, Option<i64>, Option<i64>) =
            with_pool!(self, |pool| {
                sqlx::query_as(
                    "SELECT last_success_at, last_error, last_error_at, \
                       (SELECT MAX(lease_until) FROM jobs WHERE kind = $2 AND unique_key = $3) \
                     FROM mailboxes WHERE id = $1",
                )
                .bind(mailbox.0)
                .bind(job.0)
                .bind(job.1)
                .fetch_one(pool)
                .await
            })?;
        type Row = (String, String, i64, bool, Option<i64>, Option<String>, i64);
        let rows: Vec<Row> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT f.role, f.name, f.on_server, f.first_sync_done, f.last_success_at, f.last_error, \
                   (SELECT COUNT(*) FROM mail_locations l WHERE l.folder_id = f.id AND l.uid > 0) \
                 FROM mail_folders f WHERE f.mailbox_id = $1 ORDER BY f.role",
            )
            .bind(mailbox.0)
            .fetch_all(pool)
            .await
        })?;
        let mut folders: Vec<FolderStatus> = rows
            .into_iter()
            .filter_map(|(role, name, on_server, done, success, error, stored)| {
                Some(FolderStatus {
                    role: role.parse().ok()?,
                    name,
                    on_server: u64::try_from(on_server).unwrap_or(0),
                    stored: u64::try_from(stored).unwrap_or(0),
                    first_sync_done: done,
                    last_success_at: success,
                    last_error: error,
                })
            })
            .collect();
        folders.sort_by_key(|f| f.role);
        Ok(SyncStatus {
            mailbox,
            running: head.3.is_some_and(|until| until >= now),
            last_success_at: head.0,
            last_error: head.1,
            last_error_at: head.2,
            folders,
        })
    }
}
