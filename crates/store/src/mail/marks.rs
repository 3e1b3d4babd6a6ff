//! What a user marks on their own mail: private, and the flags written back to the server.

use crate::{Store, StoreError, StoreResult, with_pool};
use postkamer_domain::mail::sync::FolderId;
use postkamer_domain::{MessageId, UserId};

impl Store {
    /// Marks or unmarks a message private for the owner. `NotFound` when `user` owns no copy.
    pub async fn set_private(&self, user: UserId, id: MessageId, private: bool) -> StoreResult<()> {
        with_pool!(self, |pool| {
            let owned: bool = sqlx::query_scalar(
                "SELECT EXISTS (SELECT 1 FROM mail_locations l JOIN mail_folders f ON f.id = l.folder_id \
                 JOIN mailboxes b ON b.id = f.mailbox_id WHERE l.message_id = $1 AND b.user_id = $2)",
            )
            .bind(id.0)
            .bind(user.0)
            .fetch_one(pool)
            .await?;
            if !owned {
                return Err(StoreError::NotFound);
            }
            if private {
                sqlx::query("INSERT INTO private_messages (user_id, message_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                    .bind(user.0)
                    .bind(id.0)
                    .execute(pool)
                    .await?;
            } else {
                sqlx::query("DELETE FROM private_messages WHERE user_id = $1 AND message_id = $2")
                    .bind(user.0)
                    .bind(id.0)
                    .execute(pool)
                    .await?;
            }
        });
        Ok(())
    }

    /// Sets the flags of one location after they were written to the server.
    pub async fn set_location_flags(
        &self,
        folder: FolderId,
        uid: u32,
        seen: Option<bool>,
        flagged: Option<bool>,
    ) -> StoreResult<()> {
        with_pool!(self, |pool| sqlx::query(
            "UPDATE mail_locations SET seen = COALESCE($1, seen), flagged = COALESCE($2, flagged) \
                 WHERE folder_id = $3 AND uid = $4",
        )
        .bind(seen)
        .bind(flagged)
        .bind(folder.0)
        .bind(i64::from(uid))
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?;
        Ok(())
    }
}
