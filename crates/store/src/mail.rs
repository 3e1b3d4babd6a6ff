//! Mail: IMAP accounts (mailboxes) and their folders, messages stored once per organisation,
//! where each message sits on the server, private marks and the full-text index.
//!
//! Linking a message to contact persons is a join of `message_addresses` with `person_emails`
//! on the normalised address, never a stored link: a new contact person, or a new address on a
//! person, is linked to all earlier mail the moment it is saved, and removing an address unlinks.
//!
//! Who may see a message: its owners (users with the message in one of their folders) always;
//! colleagues in the same organisation only when it is linked to a relation and no owner marked
//! it private. Every read here takes the viewer and applies that rule in SQL.

mod batch;
mod marks;
mod message;
mod read;
mod sync;

pub(crate) use batch::store_message;
pub use message::{MessageRecord, OwnLocation};
pub(crate) use sync::gc_messages;

use crate::sql::{Statement, Tx};
use crate::{Store, StoreError, StoreResult, with_pool};
use postkamer_domain::mail::sync::{FolderId, FolderRecord, MailboxRecord};
use postkamer_domain::mail::{FolderRole, MailboxSettings, TlsMode};
use postkamer_domain::{MailboxId, OrgId, UserId};

/// What a user enters for their IMAP account. `password_sealed: None` keeps the stored one.
#[derive(Debug, Clone)]
pub struct MailboxUpdate {
    pub host: String,
    pub port: u16,
    pub tls: TlsMode,
    pub login: String,
    pub password_sealed: Option<Vec<u8>>,
    pub since: Option<String>,
    pub enabled: bool,
}

#[derive(sqlx::FromRow)]
struct MailboxRow {
    id: i64,
    org_id: i64,
    user_id: i64,
    host: String,
    port: i64,
    tls: String,
    login: String,
    password_sealed: Vec<u8>,
    since_date: Option<String>,
    enabled: bool,
}

impl MailboxRow {
    fn into_record(self) -> StoreResult<MailboxRecord> {
        Ok(MailboxRecord {
            org: OrgId(self.org_id),
            settings: MailboxSettings {
                id: MailboxId(self.id),
                user: UserId(self.user_id),
                host: self.host,
                port: u16::try_from(self.port)
                    .map_err(|_| StoreError::Corrupt(format!("port {}", self.port)))?,
                tls: self
                    .tls
                    .parse()
                    .map_err(|_| StoreError::Corrupt(format!("tls mode {}", self.tls)))?,
                login: self.login,
                since: self.since_date,
                enabled: self.enabled,
            },
            password_sealed: self.password_sealed,
        })
    }
}

const MAILBOX_COLUMNS: &str =
    "id, org_id, user_id, host, port, tls, login, password_sealed, since_date, enabled";

#[derive(sqlx::FromRow)]
struct FolderRow {
    id: i64,
    mailbox_id: i64,
    role: String,
    name: String,
    uid_validity: i64,
    uid_top: i64,
    uid_low: Option<i64>,
    first_sync_done: bool,
    highest_modseq: Option<i64>,
    on_server: i64,
}

impl FolderRow {
    fn into_record(self) -> StoreResult<FolderRecord> {
        let uid = |v: i64| u32::try_from(v).map_err(|_| StoreError::Corrupt(format!("uid {v}")));
        Ok(FolderRecord {
            id: FolderId(self.id),
            mailbox: MailboxId(self.mailbox_id),
            role: self
                .role
                .parse()
                .map_err(|_| StoreError::Corrupt(format!("folder role {}", self.role)))?,
            name: self.name,
            uid_validity: uid(self.uid_validity)?,
            uid_top: uid(self.uid_top)?,
            uid_low: self.uid_low.map(uid).transpose()?,
            first_sync_done: self.first_sync_done,
            highest_modseq: self.highest_modseq.and_then(|m| u64::try_from(m).ok()),
            on_server: u64::try_from(self.on_server).unwrap_or(0),
        })
    }
}

/// The account's columns `$1` to `$7` as a user enters them.
fn bind_account<'a>(statement: Statement<'a>, input: &'a MailboxUpdate) -> Statement<'a> {
    statement
        .bind(&input.host)
        .bind(i64::from(input.port))
        .bind(input.tls.as_str())
        .bind(&input.login)
        .bind(input.password_sealed.as_deref())
        .bind(&input.since)
        .bind(input.enabled)
}

/// Removes a mailbox's folders with their locations, and the messages no other mailbox holds.
async fn clear_mailbox(tx: &mut Tx, mailbox: i64) -> StoreResult<()> {
    let folders = Statement::new("SELECT id FROM mail_folders WHERE mailbox_id = $1");
    let folders: Vec<(i64,)> = tx.fetch_all(folders.bind(mailbox)).await?;
    for (folder,) in folders {
        sync::clear_folder(tx, folder).await?;
    }
    let delete = Statement::new("DELETE FROM mail_folders WHERE mailbox_id = $1");
    tx.execute(delete.bind(mailbox)).await?;
    Ok(())
}

const FOLDER_COLUMNS: &str = "id, mailbox_id, role, name, uid_validity, uid_top, uid_low, \
     first_sync_done, highest_modseq, on_server";

impl Store {
    /// Creates or replaces the user's IMAP account. Changing the server or login starts the
    /// sync afresh (folders and their messages are removed; messages still in another
    /// mailbox stay).
    pub async fn save_mailbox(
        &self,
        org: OrgId,
        user: UserId,
        input: &MailboxUpdate,
    ) -> StoreResult<MailboxRecord> {
        let now = self.now();
        let mut tx = self.begin().await?;
        let find = Statement::new(
            "SELECT id, host, port, login FROM mailboxes WHERE user_id = $1 AND org_id = $2",
        );
        let existing: Option<(i64, String, i64, String)> =
            tx.fetch_optional(find.bind(user.0).bind(org.0)).await?;
        let id = match existing {
            Some((id, host, port, login)) => {
                let update = Statement::new(
                    "UPDATE mailboxes SET host = $1, port = $2, tls = $3, login = $4, \
                     password_sealed = COALESCE($5, password_sealed), since_date = $6, \
                     enabled = $7, updated_at = $8, last_error = NULL, last_error_at = NULL, \
                     wake_at = $8 WHERE id = $9",
                );
                tx.execute(bind_account(update, input).bind(now).bind(id))
                    .await?;
                if host != input.host || port != i64::from(input.port) || login != input.login {
                    clear_mailbox(&mut tx, id).await?;
                }
                id
            }
            None => {
                if input.password_sealed.is_none() {
                    return Err(StoreError::UnknownReference("password"));
                }
                let insert = Statement::new(
                    "INSERT INTO mailboxes (host, port, tls, login, password_sealed, since_date, \
                     enabled, wake_at, created_at, updated_at, org_id, user_id) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $8, $9, $10) RETURNING id",
                );
                let insert = bind_account(insert, input).bind(now);
                let (id,): (i64,) = tx
                    .fetch_optional(insert.bind(org.0).bind(user.0))
                    .await?
                    .ok_or(StoreError::NotFound)?;
                id
            }
        };
        tx.commit().await?;
        self.mailbox(MailboxId(id)).await
    }

    pub async fn mailbox(&self, id: MailboxId) -> StoreResult<MailboxRecord> {
        let row: MailboxRow = with_pool!(self, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
            format!("SELECT {MAILBOX_COLUMNS} FROM mailboxes WHERE id = $1")
        ))
        .bind(id.0)
        .fetch_one(pool)
        .await)?;
        row.into_record()
    }

    pub async fn mailbox_of_user(
        &self,
        org: OrgId,
        user: UserId,
    ) -> StoreResult<Option<MailboxRecord>> {
        let row: Option<MailboxRow> =
            with_pool!(self, |pool| sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT {MAILBOX_COLUMNS} FROM mailboxes WHERE user_id = $1 AND org_id = $2"
            )))
            .bind(user.0)
            .bind(org.0)
            .fetch_optional(pool)
            .await)?;
        row.map(MailboxRow::into_record).transpose()
    }

    /// Removes the account, its folders and the messages no other mailbox holds.
    pub async fn delete_mailbox(&self, org: OrgId, user: UserId) -> StoreResult<()> {
        let Some(mailbox) = self.mailbox_of_user(org, user).await? else {
            return Err(StoreError::NotFound);
        };
        let mut tx = self.begin().await?;
        clear_mailbox(&mut tx, mailbox.settings.id.0).await?;
        let delete = Statement::new("DELETE FROM mailboxes WHERE id = $1");
        tx.execute(delete.bind(mailbox.settings.id.0)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every enabled mailbox with its organisation (each gets a sync job).
    pub async fn enabled_mailboxes(&self) -> StoreResult<Vec<(OrgId, MailboxId)>> {
        let ids: Vec<(i64, i64)> = with_pool!(self, |pool| sqlx::query_as(
            "SELECT org_id, id FROM mailboxes WHERE enabled ORDER BY id"
        )
        .fetch_all(pool)
        .await)?;
        Ok(ids
            .into_iter()
            .map(|(org, id)| (OrgId(org), MailboxId(id)))
            .collect())
    }

    /// Asks for a sync as soon as possible ("Nu synchroniseren").
    pub async fn wake_mailbox(&self, id: MailboxId) -> StoreResult<()> {
        with_pool!(self, |pool| sqlx::query(
            "UPDATE mailboxes SET wake_at = $1 WHERE id = $2"
        )
        .bind(self.now())
        .bind(id.0)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// When a sync was last asked for.
    pub async fn mailbox_wake_at(&self, id: MailboxId) -> StoreResult<i64> {
        Ok(with_pool!(self, |pool| sqlx::query_scalar(
            "SELECT wake_at FROM mailboxes WHERE id = $1"
        )
        .bind(id.0)
        .fetch_one(pool)
        .await)?)
    }

    /// Records the outcome of a sync pass for the account.
    pub async fn mailbox_synced(&self, id: MailboxId, error: Option<&str>) -> StoreResult<()> {
        let now = self.now();
        with_pool!(self, |pool| {
            match error {
            None => sqlx::query(
                    "UPDATE mailboxes SET last_success_at = $1, last_error = NULL, last_error_at = NULL WHERE id = $2",
                )
                .bind(now)
                .bind(id.0)
                .execute(pool)
                .await
                .map(|r| r.rows_affected()),
            Some(error) => sqlx::query("UPDATE mailboxes SET last_error = $1, last_error_at = $2 WHERE id = $3")
                .bind(error)
                .bind(now)
                .bind(id.0)
                .execute(pool)
                .await
                .map(|r| r.rows_affected()),
        }
        })?;
        Ok(())
    }

    pub async fn folders(&self, mailbox: MailboxId) -> StoreResult<Vec<FolderRecord>> {
        let rows: Vec<FolderRow> =
            with_pool!(self, |pool| sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT {FOLDER_COLUMNS} FROM mail_folders WHERE mailbox_id = $1 ORDER BY role"
            )))
            .bind(mailbox.0)
            .fetch_all(pool)
            .await)?;
        rows.into_iter().map(FolderRow::into_record).collect()
    }

    /// The folder of `role`, created (empty, never synced) when missing; its server name is
    /// updated when the server renamed it.
    pub async fn ensure_folder(
        &self,
        mailbox: MailboxId,
        role: FolderRole,
        name: &str,
    ) -> StoreResult<FolderRecord> {
        let row: FolderRow =
            with_pool!(self, |pool| sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "INSERT INTO mail_folders (mailbox_id, role, name) VALUES ($1, $2, $3) \
                 ON CONFLICT (mailbox_id, role) DO UPDATE SET name = excluded.name \
                 RETURNING {FOLDER_COLUMNS}"
            )))
            .bind(mailbox.0)
            .bind(role.as_str())
            .bind(name)
            .fetch_one(pool)
            .await)?;
        row.into_record()
    }

    pub async fn folder_synced(&self, folder: FolderId, error: Option<&str>) -> StoreResult<()> {
        with_pool!(self, |pool| match error {
            None => sqlx::query(
                "UPDATE mail_folders SET last_success_at = $1, last_error = NULL WHERE id = $2"
            )
            .bind(self.now())
            .bind(folder.0)
            .execute(pool)
            .await
            .map(|r| r.rows_affected()),
            Some(error) => sqlx::query("UPDATE mail_folders SET last_error = $1 WHERE id = $2")
                .bind(error)
                .bind(folder.0)
                .execute(pool)
                .await
                .map(|r| r.rows_affected()),
        })?;
        Ok(())
    }
}
