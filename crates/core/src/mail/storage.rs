//! The mail engine's storage ([`MailStore`]) on the database.

use postkamer_domain::MailboxId;
use postkamer_domain::mail::FolderRole;
use postkamer_domain::mail::sync::{
    FolderId, FolderProgress, FolderRecord, IncomingMessage, Located, MailboxRecord,
};
use postkamer_mail::store::{MailStore, StorageError, StorageResult};
use postkamer_store::{Store, StoreError};

use crate::CoreError;

/// The store as the mail engine sees it.
#[derive(Debug, Clone)]
pub struct MailStorage(Store);

impl MailStorage {
    pub fn new(store: Store) -> MailStorage {
        MailStorage(store)
    }
}

fn port(err: StoreError) -> StorageError {
    match err {
        StoreError::NotFound => StorageError::NotFound,
        other => StorageError::Failed(Box::new(other)),
    }
}

impl From<StorageError> for CoreError {
    fn from(err: StorageError) -> Self {
        match err {
            StorageError::NotFound => CoreError::NotFound,
            StorageError::Failed(err) => CoreError::Internal(err.to_string()),
        }
    }
}

impl MailStore for MailStorage {
    async fn mailbox(&self, id: MailboxId) -> StorageResult<MailboxRecord> {
        self.0.mailbox(id).await.map_err(port)
    }

    async fn mailbox_synced(&self, id: MailboxId, error: Option<&str>) -> StorageResult<()> {
        self.0.mailbox_synced(id, error).await.map_err(port)
    }

    async fn mailbox_wake_at(&self, id: MailboxId) -> StorageResult<i64> {
        self.0.mailbox_wake_at(id).await.map_err(port)
    }

    async fn ensure_folder(
        &self,
        mailbox: MailboxId,
        role: FolderRole,
        name: &str,
    ) -> StorageResult<FolderRecord> {
        self.0
            .ensure_folder(mailbox, role, name)
            .await
            .map_err(port)
    }

    async fn folder(&self, folder: FolderId) -> StorageResult<FolderRecord> {
        self.0.folder(folder).await.map_err(port)
    }

    async fn folders(&self, mailbox: MailboxId) -> StorageResult<Vec<FolderRecord>> {
        self.0.folders(mailbox).await.map_err(port)
    }

    async fn folder_synced(&self, folder: FolderId, error: Option<&str>) -> StorageResult<()> {
        self.0.folder_synced(folder, error).await.map_err(port)
    }

    async fn reset_folder(
        &self,
        folder: FolderId,
        uid_validity: u32,
        uid_top: u32,
    ) -> StorageResult<FolderRecord> {
        self.0
            .reset_folder(folder, uid_validity, uid_top)
            .await
            .map_err(port)
    }

    async fn set_folder_progress(
        &self,
        folder: FolderId,
        progress: FolderProgress,
    ) -> StorageResult<()> {
        self.0
            .set_folder_progress(folder, progress)
            .await
            .map_err(port)
    }

    async fn folder_count(&self, folder: FolderId) -> StorageResult<u64> {
        self.0.folder_count(folder).await.map_err(port)
    }

    async fn folder_uids(&self, folder: FolderId) -> StorageResult<Vec<Located>> {
        self.0.folder_uids(folder).await.map_err(port)
    }

    async fn store_batch(
        &self,
        mailbox: &MailboxRecord,
        folder: FolderId,
        batch: &[(Located, IncomingMessage)],
        progress: FolderProgress,
    ) -> StorageResult<()> {
        self.0
            .store_batch(mailbox.org, folder, batch, progress)
            .await
            .map_err(port)
    }

    async fn update_flags(&self, folder: FolderId, updates: &[Located]) -> StorageResult<()> {
        self.0.update_flags(folder, updates).await.map_err(port)
    }

    async fn remove_uids(&self, folder: FolderId, uids: &[u32]) -> StorageResult<u64> {
        self.0.remove_uids(folder, uids).await.map_err(port)
    }

    async fn optimize(&self) -> StorageResult<()> {
        self.0.optimize().await.map_err(port)
    }
}
