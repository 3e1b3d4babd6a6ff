//! The storage the mail engine needs, declared here in the engine's own terms and implemented
//! outside it (core implements it on the database): the mailboxes to sync, each
//! folder's progress, the UIDs and flags stored for it, and batches of fetched messages.

use std::future::Future;

use postkamer_domain::MailboxId;
use postkamer_domain::mail::FolderRole;
use postkamer_domain::mail::sync::{
    FolderId, FolderProgress, FolderRecord, IncomingMessage, Located, MailboxRecord,
};

/// Why the storage could not do what the engine asked.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// The mailbox or folder is gone (deleted while it synced).
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Failed(Box<dyn std::error::Error + Send + Sync>),
}

pub type StorageResult<T> = Result<T, StorageError>;

/// Everything the sync engine and its worker read and write. Times are Unix milliseconds.
pub trait MailStore: Clone + Send + Sync + 'static {
    // Mailboxes.

    fn mailbox(&self, id: MailboxId) -> impl Future<Output = StorageResult<MailboxRecord>> + Send;
    /// Records a pass's outcome: `None` for success, else the Dutch explanation.
    fn mailbox_synced(
        &self,
        id: MailboxId,
        error: Option<&str>,
    ) -> impl Future<Output = StorageResult<()>> + Send;
    /// When a user last asked for a pass now.
    fn mailbox_wake_at(&self, id: MailboxId) -> impl Future<Output = StorageResult<i64>> + Send;

    // Folders.

    fn ensure_folder(
        &self,
        mailbox: MailboxId,
        role: FolderRole,
        name: &str,
    ) -> impl Future<Output = StorageResult<FolderRecord>> + Send;
    fn folder(&self, folder: FolderId) -> impl Future<Output = StorageResult<FolderRecord>> + Send;
    fn folders(
        &self,
        mailbox: MailboxId,
    ) -> impl Future<Output = StorageResult<Vec<FolderRecord>>> + Send;
    fn folder_synced(
        &self,
        folder: FolderId,
        error: Option<&str>,
    ) -> impl Future<Output = StorageResult<()>> + Send;
    /// Forgets a folder's messages after a UIDVALIDITY change; it starts over at `uid_top`.
    fn reset_folder(
        &self,
        folder: FolderId,
        uid_validity: u32,
        uid_top: u32,
    ) -> impl Future<Output = StorageResult<FolderRecord>> + Send;
    fn set_folder_progress(
        &self,
        folder: FolderId,
        progress: FolderProgress,
    ) -> impl Future<Output = StorageResult<()>> + Send;

    // A folder's messages.

    /// How many messages the folder holds in storage.
    fn folder_count(&self, folder: FolderId) -> impl Future<Output = StorageResult<u64>> + Send;
    /// The folder's stored UIDs with their flags, in UID order.
    fn folder_uids(
        &self,
        folder: FolderId,
    ) -> impl Future<Output = StorageResult<Vec<Located>>> + Send;
    /// Stores a batch and the folder's progress in one transaction.
    fn store_batch(
        &self,
        mailbox: &MailboxRecord,
        folder: FolderId,
        batch: &[(Located, IncomingMessage)],
        progress: FolderProgress,
    ) -> impl Future<Output = StorageResult<()>> + Send;
    fn update_flags(
        &self,
        folder: FolderId,
        updates: &[Located],
    ) -> impl Future<Output = StorageResult<()>> + Send;
    /// Removes the UIDs expunged on the server; returns how many were stored.
    fn remove_uids(
        &self,
        folder: FolderId,
        uids: &[u32],
    ) -> impl Future<Output = StorageResult<u64>> + Send;
    /// Refreshes the planner's statistics after a large first sync.
    fn optimize(&self) -> impl Future<Output = StorageResult<()>> + Send;
}
