//! What the protocol needs from the application: a user's address books (one writable, others
//! possibly read-only), their cards with strong ETags, a change sequence per book for sync
//! tokens, and writes with preconditions.

use std::future::Future;

use crate::vcard::{CardData, ReceivedCard};

/// The authenticated user a request is for (the server authenticates; the engine authorises).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// Stable, URL-safe (the user id): `/principals/<id>/`.
    pub id: String,
    pub display_name: String,
    pub email: String,
}

/// The name of the book every user has (the one a phone writes to).
pub const DEFAULT_BOOK: &str = "default";

/// An address book of the user's home set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookInfo {
    /// The book's path segment below the home set (`default`, …).
    pub name: String,
    pub display_name: String,
    /// The book's description; `None`: the server's general one.
    pub description: Option<String>,
    /// Cards can be read, not written or deleted.
    pub read_only: bool,
}

/// The space an address book takes and what is left of its quota (RFC 4331), in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Usage {
    pub used_bytes: u64,
    pub available_bytes: u64,
}

/// A card's name and version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardMeta {
    /// The resource name in the book, without `.vcf` (for cards made by the CRM: the person's
    /// UID; for cards made on a phone: the name the phone chose).
    pub name: String,
    /// Strong ETag, quoted.
    pub etag: String,
    /// Unix milliseconds.
    pub modified: i64,
}

/// A card with its content.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredCard {
    pub meta: CardMeta,
    pub data: CardData,
    /// The whole card as a client last sent it (vCard 4.0 text), for what the CRM does not model.
    pub original: Option<String>,
}

/// What changed since a sync sequence.
#[derive(Debug, Clone, PartialEq)]
pub struct Changes {
    pub sync_seq: u64,
    /// Cards added or changed (their current version).
    pub changed: Vec<StoredCard>,
    /// Names of cards no longer in the book.
    pub removed: Vec<String>,
}

/// The precondition of a write (`If-Match` / `If-None-Match: *`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Condition {
    None,
    /// Only if the card exists with this ETag.
    IfMatch(String),
    /// Only if the card does not exist yet.
    IfNoneMatchAny,
}

/// The outcome of a PUT.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub created: bool,
    pub etag: String,
    /// The stored card differs from what was sent (the CRM changed or dropped a value): the
    /// client must not assume its copy is current, so no ETag is returned (RFC 6352 6.3.2).
    pub altered: bool,
}

/// Why a write failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WriteError {
    #[error("precondition failed")]
    PreconditionFailed,
    #[error("no such card")]
    NotFound,
    /// The card is valid vCard but not acceptable (e.g. its UID belongs to another card).
    #[error("{0}")]
    Conflict(String),
    /// The card's UID is already the UID of another card of the book (`existing`, its name):
    /// RFC 6352's `no-uid-conflict`, which names that card so the client can use it.
    #[error("the UID is that of card {existing}")]
    UidConflict { existing: String },
    /// The card would take the book over its quota.
    #[error("the address book is full")]
    QuotaExceeded,
    #[error("the data could not be stored: {0}")]
    Invalid(String),
    #[error("store: {0}")]
    Store(String),
}

/// The application's side. Every call is for one principal's own address books; `book` is a
/// name [`ContactStore::book`] knows.
pub trait ContactStore: Send + Sync {
    /// The books of the user's home set, the writable one first.
    fn books(&self, user: &Principal)
    -> impl Future<Output = Result<Vec<BookInfo>, String>> + Send;

    /// The book with this name; `None` when the user has no such book.
    fn book(
        &self,
        user: &Principal,
        book: &str,
    ) -> impl Future<Output = Result<Option<BookInfo>, String>> + Send;

    /// Grows with every change that a sync of the book must see (card changed, added,
    /// removed from the book). The sync token and the CTag are made from it.
    fn sync_seq(
        &self,
        user: &Principal,
        book: &str,
    ) -> impl Future<Output = Result<u64, String>> + Send;

    /// The space the book takes and what is left before writes are refused (asked only when a
    /// client asks for the quota properties).
    fn usage(&self, user: &Principal) -> impl Future<Output = Result<Usage, String>> + Send;

    /// Every card of the book (with its content: the CRM reads it anyway to make the ETags).
    fn list(
        &self,
        user: &Principal,
        book: &str,
    ) -> impl Future<Output = Result<Vec<StoredCard>, String>> + Send;

    /// The named cards that exist (missing names are left out).
    fn cards(
        &self,
        user: &Principal,
        book: &str,
        names: &[String],
    ) -> impl Future<Output = Result<Vec<StoredCard>, String>> + Send;

    /// What changed after `since`; `None` when that sequence is not one this book handed out
    /// (or too old to answer): the client must start over.
    fn changes(
        &self,
        user: &Principal,
        book: &str,
        since: u64,
    ) -> impl Future<Output = Result<Option<Changes>, String>> + Send;

    /// Creates or updates the card `name` (only called for writable books).
    fn put(
        &self,
        user: &Principal,
        book: &str,
        name: &str,
        card: ReceivedCard,
        condition: Condition,
    ) -> impl Future<Output = Result<Written, WriteError>> + Send;

    /// Removes the card `name` from the book (for the CRM: clears the person's sync mark; the
    /// relation itself stays). Only called for writable books.
    fn delete(
        &self,
        user: &Principal,
        book: &str,
        name: &str,
        condition: Condition,
    ) -> impl Future<Output = Result<(), WriteError>> + Send;
}
