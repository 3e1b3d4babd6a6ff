//! The `ContactStore` the CardDAV engine reads and writes through: one user's address books —
//! the organisation's persons marked for sync (writable; the phone's writes are in [`write`]),
//! and one read-only book per saved selection the user offers to phones.

use std::sync::Arc;

use postkamer_carddav::vcard::{self, CardData, ReceivedCard};
use postkamer_carddav::{
    BookInfo, CardMeta, Changes, Condition, ContactStore, DEFAULT_BOOK, Principal, StoredCard,
    Usage, WriteError, Written,
};
use postkamer_domain::User;
use postkamer_domain::relation::SavedSelection;
use postkamer_domain::relation::{EmailInput, PhoneInput};
use postkamer_store::StoreError;
use postkamer_store::cards::CardRecord;

use crate::Core;

mod write;

/// The space an organisation's address book may take (RFC 4331 quota): room for about 100,000
/// ordinary cards, far beyond what a phone's Contacts app handles well. A card a phone sends
/// that would go past it is refused (507); marking relations in the CRM is not limited by it.
pub const BOOK_QUOTA_BYTES: u64 = 64 * 1024 * 1024;

/// Why a read-only book refuses a write (the engine refuses before asking).
const READ_ONLY: &str = "Dit adresboek is alleen-lezen.";

/// One user's address books: the organisation's relations marked for sync (writable), and one
/// read-only book per saved selection the user offers to phones.
#[derive(Clone)]
pub struct AddressBook {
    core: Core,
    user: Arc<User>,
}

fn card_data(record: &CardRecord) -> CardData {
    CardData {
        uid: record.uid.clone(),
        first_name: record.first_name.clone(),
        tussenvoegsel: record.tussenvoegsel.clone(),
        last_name: record.last_name.clone(),
        organisation: record.company.clone(),
        job_title: record.job_title.clone(),
        emails: record
            .emails
            .iter()
            .map(|(address, primary)| EmailInput {
                address: address.clone(),
                primary: *primary,
            })
            .collect(),
        phones: record
            .phones
            .iter()
            .map(|(number, kind)| PhoneInput {
                number: number.clone(),
                kind: *kind,
            })
            .collect(),
        address: record.address.clone(),
        notes: record.notes.clone(),
    }
}

fn stored(record: CardRecord) -> StoredCard {
    let data = card_data(&record);
    let etag = vcard::etag(&data, record.original.as_deref());
    StoredCard {
        meta: CardMeta {
            name: record.name,
            etag,
            modified: record.updated_at,
        },
        data,
        original: record.original,
    }
}

fn store_error(e: StoreError) -> String {
    e.to_string()
}

impl AddressBook {
    pub(super) fn new(core: Core, user: User) -> AddressBook {
        AddressBook {
            core,
            user: Arc::new(user),
        }
    }
}

/// The path segment of a selection's read-only book: `selectie-<id>`.
pub const SELECTION_BOOK_PREFIX: &str = "selectie-";

/// What a book of the home set is over.
enum Book {
    /// The organisation's relations marked for sync (writable).
    Marked,
    /// The persons of one of the user's saved selections (read-only).
    Selection(SavedSelection),
}

impl Book {
    fn info(&self) -> BookInfo {
        match self {
            Book::Marked => BookInfo {
                name: DEFAULT_BOOK.into(),
                display_name: "Relaties (Postkamer)".into(),
                description: None,
                read_only: false,
            },
            Book::Selection(selection) => BookInfo {
                name: format!("{SELECTION_BOOK_PREFIX}{}", selection.id),
                display_name: format!("{} (Postkamer, alleen lezen)", selection.name),
                description: Some(format!(
                    "De relaties van de selectie ‘{}’; wijzigen kan in Postkamer.",
                    selection.name
                )),
                read_only: true,
            },
        }
    }
}

impl AddressBook {
    async fn open(&self, book: &str) -> Result<Option<Book>, String> {
        if book == DEFAULT_BOOK {
            return Ok(Some(Book::Marked));
        }
        let Some(id) = book
            .strip_prefix(SELECTION_BOOK_PREFIX)
            .and_then(|id| id.parse().ok())
        else {
            return Ok(None);
        };
        let selection = self
            .core
            .store
            .selection(self.user.org_id, self.user.id, id)
            .await
            .map_err(store_error)?;
        Ok(selection.filter(|s| s.carddav).map(Book::Selection))
    }

    async fn opened(&self, book: &str) -> Result<Book, String> {
        self.open(book)
            .await?
            .ok_or_else(|| format!("no address book {book}"))
    }

    /// A selection's cards: all, or those with these names (uids).
    async fn selection_cards(
        &self,
        selection: &SavedSelection,
        names: Option<&[String]>,
    ) -> Result<Vec<StoredCard>, String> {
        let store = &self.core.store;
        let org = self.user.org_id;
        let records = match names {
            None => store.selection_cards(org, selection, None).await,
            Some(names) => {
                let mut records = Vec::with_capacity(names.len());
                for chunk in names.chunks(500) {
                    records.extend(
                        store
                            .selection_cards(org, selection, Some(chunk))
                            .await
                            .map_err(store_error)?,
                    );
                }
                Ok(records)
            }
        }
        .map_err(store_error)?;
        Ok(records.into_iter().map(stored).collect())
    }
}

impl ContactStore for AddressBook {
    async fn books(&self, _user: &Principal) -> Result<Vec<BookInfo>, String> {
        let selections = self
            .core
            .store
            .selections(self.user.org_id, self.user.id)
            .await
            .map_err(store_error)?;
        Ok(std::iter::once(Book::Marked)
            .chain(
                selections
                    .into_iter()
                    .filter(|s| s.carddav)
                    .map(Book::Selection),
            )
            .map(|book| book.info())
            .collect())
    }

    async fn book(&self, _user: &Principal, book: &str) -> Result<Option<BookInfo>, String> {
        Ok(self.open(book).await?.map(|b| b.info()))
    }

    async fn sync_seq(&self, _user: &Principal, book: &str) -> Result<u64, String> {
        let org = self.user.org_id;
        match self.opened(book).await? {
            Book::Marked => self.core.store.card_seq(org).await,
            Book::Selection(_) => self.core.store.person_seq(org).await,
        }
        .map_err(store_error)
    }

    async fn usage(&self, _user: &Principal) -> Result<Usage, String> {
        let used = self
            .core
            .store
            .card_bytes(self.user.org_id)
            .await
            .map_err(store_error)?;
        Ok(Usage {
            used_bytes: used,
            available_bytes: BOOK_QUOTA_BYTES.saturating_sub(used),
        })
    }

    async fn list(&self, _user: &Principal, book: &str) -> Result<Vec<StoredCard>, String> {
        match self.opened(book).await? {
            Book::Marked => Ok(self
                .core
                .store
                .synced_cards(self.user.org_id, None)
                .await
                .map_err(store_error)?
                .into_iter()
                .map(stored)
                .collect()),
            Book::Selection(selection) => self.selection_cards(&selection, None).await,
        }
    }

    async fn cards(
        &self,
        _user: &Principal,
        book: &str,
        names: &[String],
    ) -> Result<Vec<StoredCard>, String> {
        match self.opened(book).await? {
            Book::Marked => {
                let mut out = Vec::with_capacity(names.len());
                for chunk in names.chunks(500) {
                    let records = self
                        .core
                        .store
                        .synced_cards(self.user.org_id, Some(chunk))
                        .await
                        .map_err(store_error)?;
                    out.extend(records.into_iter().map(stored));
                }
                Ok(out)
            }
            Book::Selection(selection) => self.selection_cards(&selection, Some(names)).await,
        }
    }

    async fn changes(
        &self,
        user: &Principal,
        book: &str,
        since: u64,
    ) -> Result<Option<Changes>, String> {
        let store = &self.core.store;
        let org = self.user.org_id;
        match self.opened(book).await? {
            Book::Marked => {
                let Some(changes) = store.card_changes(org, since).await.map_err(store_error)?
                else {
                    return Ok(None);
                };
                Ok(Some(Changes {
                    sync_seq: changes.seq,
                    changed: self.cards(user, book, &changes.changed).await?,
                    removed: changes.removed,
                }))
            }
            Book::Selection(selection) => {
                // Every person changed since: still (or now) in the selection → changed;
                // otherwise gone from it (or never in it: clients ignore those).
                let Some(changes) = store
                    .person_changes(org, since)
                    .await
                    .map_err(store_error)?
                else {
                    return Ok(None);
                };
                let cards = self
                    .selection_cards(&selection, Some(&changes.uids))
                    .await?;
                let removed = changes
                    .uids
                    .into_iter()
                    .filter(|uid| !cards.iter().any(|c| &c.meta.name == uid))
                    .collect();
                Ok(Some(Changes {
                    sync_seq: changes.seq,
                    changed: cards,
                    removed,
                }))
            }
        }
    }

    async fn put(
        &self,
        _user: &Principal,
        book: &str,
        name: &str,
        card: ReceivedCard,
        condition: Condition,
    ) -> Result<Written, WriteError> {
        if book != DEFAULT_BOOK {
            return Err(WriteError::Invalid(READ_ONLY.into()));
        }
        self.write_card(name, card, condition).await
    }

    async fn delete(
        &self,
        _user: &Principal,
        book: &str,
        name: &str,
        condition: Condition,
    ) -> Result<(), WriteError> {
        if book != DEFAULT_BOOK {
            return Err(WriteError::Invalid(READ_ONLY.into()));
        }
        self.unmark_card(name, condition).await
    }
}
