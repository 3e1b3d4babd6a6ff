//! What the sync engine and its storage hand each other: a mailbox as the engine needs it, its
//! folders and how far their sync got, a message's place in a folder, and a fetched message
//! ready to store.

use super::{FolderRole, MailAddress, MailboxSettings};
use crate::text::index_words;
use crate::{MailboxId, OrgId};

/// A folder row's id (internal to the mail engine and its storage).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FolderId(pub i64);

/// A mailbox account as the sync engine needs it.
#[derive(Debug, Clone)]
pub struct MailboxRecord {
    pub org: OrgId,
    pub settings: MailboxSettings,
    pub password_sealed: Vec<u8>,
}

/// A folder and how far its sync got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FolderRecord {
    pub id: FolderId,
    pub mailbox: MailboxId,
    pub role: FolderRole,
    pub name: String,
    pub uid_validity: u32,
    pub uid_top: u32,
    pub uid_low: Option<u32>,
    pub first_sync_done: bool,
    pub highest_modseq: Option<u64>,
    pub on_server: u64,
}

/// A message as the sync engine hands it over: parsed fields and the compressed raw bytes.
#[derive(Debug, Clone)]
pub struct IncomingMessage {
    /// One row per organisation and key: the digest of the copy's bytes.
    pub dedupe_key: String,
    pub content_hash: String,
    /// Copies of one message that read alike share it (the timelines show them once).
    pub display_key: String,
    /// Stored as headers only: larger than the per-message cap.
    pub truncated: bool,
    pub header_message_id: Option<String>,
    pub thread_key: String,
    pub subject: String,
    pub sent_at: Option<i64>,
    /// The date the lists sort by: the Date header, else the server's arrival time.
    pub sort_at: i64,
    pub addresses: Vec<MailAddress>,
    pub snippet: String,
    /// The words for the full-text index ([`SearchText::of`]): computed by the caller, off the
    /// database's critical path.
    pub search: SearchText,
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

impl FolderProgress {
    /// Where `folder` stood when its last batch was stored, with `on_server` messages there now.
    pub fn of(folder: &FolderRecord, on_server: u64) -> FolderProgress {
        FolderProgress {
            uid_top: folder.uid_top.max(1),
            uid_low: folder.uid_low,
            first_sync_done: folder.first_sync_done,
            highest_modseq: folder.highest_modseq,
            on_server,
        }
    }

    /// Counts a stored batch whose lowest UID is `lowest` in.
    pub fn stored_down_to(&mut self, lowest: u32) {
        self.uid_low = Some(self.uid_low.map_or(lowest, |low| low.min(lowest)));
    }
}

/// The words of a message for the full-text index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchText {
    pub subject: String,
    pub addresses: String,
    pub body: String,
}

impl SearchText {
    /// Folds subject, addresses (with display names) and body text for the index.
    pub fn of(subject: &str, addresses: &[MailAddress], body: &str) -> Self {
        let mut all = String::new();
        for a in addresses {
            all.push_str(&a.email);
            all.push(' ');
            if let Some(name) = &a.name {
                all.push_str(name);
                all.push(' ');
            }
        }
        Self {
            subject: index_words(subject),
            addresses: index_words(&all),
            body: index_words(body),
        }
    }
}
