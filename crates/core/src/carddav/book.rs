//! The `ContactStore` the CardDAV engine reads and writes through: one user's address book over
//! the organisation's persons marked for sync. A card made or edited on a phone becomes a
//! relation (its company found or created by name; what the CRM refuses left out rather than
//! the card refused); a card deleted on a phone is unmarked for sync, never deleted.

use std::sync::Arc;

use postkamer_carddav::vcard::{self, CardData, ReceivedCard};
use postkamer_carddav::{
    BookInfo, CardMeta, Changes, Condition, ContactStore, DEFAULT_BOOK, Principal, StoredCard,
    Usage, WriteError, Written,
};
use postkamer_domain::relation::{EmailInput, PersonInput, PhoneInput};
use postkamer_domain::{User, ValidationErrors};
use postkamer_store::cards::CardRecord;
use postkamer_store::selections::SavedSelection;
use postkamer_store::{Companies, Persons, StoreError};

use crate::Core;

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

    async fn current(&self, name: &str) -> Result<Option<StoredCard>, WriteError> {
        let org = self.user.org_id;
        let mut cards = self
            .core
            .store
            .synced_cards(org, Some(&[name.to_owned()]))
            .await
            .map_err(|e| WriteError::Store(e.to_string()))?;
        Ok(cards.pop().map(stored))
    }

    /// The person input for a card: the phone's values, cleaned until the CRM accepts them
    /// (invalid addresses and numbers left out, a missing last name taken from the card's other
    /// names), and its company found or created by name.
    async fn person_input(&self, data: &CardData) -> Result<PersonInput, WriteError> {
        let org = self.user.org_id;
        let company_id = match data.organisation.trim() {
            "" => None,
            name => match self.core.store.company_by_name(org, name).await {
                Ok(Some(id)) => Some(id),
                Ok(None) => {
                    let input = postkamer_domain::relation::CompanyInput {
                        name: name.to_owned(),
                        ..Default::default()
                    };
                    let valid = input
                        .validate()
                        .map_err(|e| WriteError::Invalid(validation_text(&e)))?;
                    Some(
                        self.core
                            .store
                            .create_company(org, &valid)
                            .await
                            .map_err(|e| WriteError::Store(e.to_string()))?
                            .id,
                    )
                }
                Err(e) => return Err(WriteError::Store(e.to_string())),
            },
        };
        let mut last_name = data.last_name.clone();
        let mut first_name = data.first_name.clone();
        if last_name.is_empty() {
            // A phone card with only a first name, a company or an address.
            last_name = if !first_name.is_empty() {
                std::mem::take(&mut first_name)
            } else if !data.organisation.is_empty() {
                data.organisation.clone()
            } else {
                data.emails
                    .first()
                    .map(|e| e.address.clone())
                    .unwrap_or_else(|| "(zonder naam)".into())
            };
        }
        let mut input = PersonInput {
            first_name,
            tussenvoegsel: data.tussenvoegsel.clone(),
            last_name,
            job_title: data.job_title.clone(),
            emails: data.emails.clone(),
            phones: data.phones.clone(),
            address: data.address.clone(),
            notes: data.notes.clone(),
            company_id,
            synchroniseren: true,
        };
        input.emails.truncate(PersonInput::MAX_EMAILS);
        input.phones.truncate(PersonInput::MAX_PHONES);
        // Leave out what the CRM refuses, field by field, then the address if it still fails.
        for _ in 0..3 {
            let Err(errors) = input.validate() else {
                return Ok(input);
            };
            let mut changed = false;
            for error in &errors.0 {
                if let Some(index) = indexed(&error.field, "emails") {
                    if index < input.emails.len() {
                        input.emails[index].address.clear();
                        changed = true;
                    }
                } else if let Some(index) = indexed(&error.field, "phones") {
                    if index < input.phones.len() {
                        input.phones[index].number.clear();
                        changed = true;
                    }
                } else if error.field.starts_with("address") {
                    input.address = Default::default();
                    changed = true;
                }
            }
            input.emails.retain(|e| !e.address.is_empty());
            input.phones.retain(|p| !p.number.is_empty());
            if !input.emails.iter().any(|e| e.primary)
                && let Some(first) = input.emails.first_mut()
            {
                first.primary = true;
            }
            if !changed {
                return Err(WriteError::Invalid(validation_text(&errors)));
            }
        }
        input
            .validate()
            .map(|_| input.clone())
            .map_err(|e| WriteError::Invalid(validation_text(&e)))
    }
}

fn indexed(field: &str, list: &str) -> Option<usize> {
    field
        .strip_prefix(list)?
        .strip_prefix('[')?
        .split(']')
        .next()?
        .parse()
        .ok()
}

fn validation_text(errors: &ValidationErrors) -> String {
    errors
        .0
        .iter()
        .map(|e| {
            format!(
                "{}: {}",
                e.field,
                e.error.message(postkamer_domain::Locale::Nl)
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
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

    async fn list(&self, _user: &Principal, book: &str) -> Result<Vec<CardMeta>, String> {
        let cards = match self.opened(book).await? {
            Book::Marked => self
                .core
                .store
                .synced_cards(self.user.org_id, None)
                .await
                .map_err(store_error)?
                .into_iter()
                .map(stored)
                .collect(),
            Book::Selection(selection) => self.selection_cards(&selection, None).await?,
        };
        Ok(cards.into_iter().map(|c| c.meta).collect())
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
                let changed = self
                    .cards(user, book, &changes.changed)
                    .await?
                    .into_iter()
                    .map(|c| c.meta)
                    .collect();
                Ok(Some(Changes {
                    sync_seq: changes.seq,
                    changed,
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
                    changed: cards.into_iter().map(|c| c.meta).collect(),
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
        let org = self.user.org_id;
        let store = &self.core.store;
        let current = self.current(name).await?;
        match (&condition, &current) {
            (Condition::IfNoneMatchAny, Some(_)) => return Err(WriteError::PreconditionFailed),
            (Condition::IfMatch(_), None) => return Err(WriteError::PreconditionFailed),
            (Condition::IfMatch(etag), Some(c)) if etag != "*" && *etag != c.meta.etag => {
                return Err(WriteError::PreconditionFailed);
            }
            _ => {}
        }
        let grows = card.original.len()
            > current
                .as_ref()
                .and_then(|c| c.original.as_ref())
                .map_or(0, String::len);
        if grows {
            let used = store
                .card_bytes(org)
                .await
                .map_err(|e| WriteError::Store(e.to_string()))?;
            if used + card.original.len() as u64 > BOOK_QUOTA_BYTES {
                return Err(WriteError::QuotaExceeded);
            }
        }
        let uid = card.data.uid.clone();
        // The person: this card's, else the one with the card's UID (a CRM card the phone
        // re-creates under another name), else a new one.
        let by_name = store
            .person_by_card(org, name)
            .await
            .map_err(|e| WriteError::Store(e.to_string()))?;
        let by_uid = store
            .person_org_by_uid(&uid)
            .await
            .map_err(|e| WriteError::Store(e.to_string()))?;
        // The person to write, and whether it already carries the card's UID.
        let (person, has_uid) = match (by_name, by_uid) {
            (Some((id, person_uid, _)), other) => {
                if person_uid != uid && other.is_some() {
                    return Err(WriteError::Conflict(format!(
                        "UID {uid} hoort al bij een ander contact"
                    )));
                }
                (Some(id), person_uid == uid)
            }
            (None, Some((owner, id))) if owner == org => (Some(id), true),
            (None, Some(_)) => {
                return Err(WriteError::Conflict(format!("UID {uid} is al in gebruik")));
            }
            (None, None) => (None, false),
        };
        let input = self.person_input(&card.data).await?;
        let valid = input
            .validate()
            .map_err(|e| WriteError::Invalid(validation_text(&e)))?;
        let id = match person {
            Some(id) => {
                store
                    .update_person(org, id, &valid)
                    .await
                    .map_err(|e| WriteError::Store(e.to_string()))?;
                id
            }
            None => {
                let created = store
                    .create_person(org, &valid)
                    .await
                    .map_err(|e| WriteError::Store(e.to_string()))?;
                created.id
            }
        };
        if !has_uid {
            store
                .set_person_uid(org, id, &uid)
                .await
                .map_err(|e| match e {
                    StoreError::AlreadyExists(_) => {
                        WriteError::Conflict(format!("UID {uid} is al in gebruik"))
                    }
                    other => WriteError::Store(other.to_string()),
                })?;
        }
        let card_name = (name != uid).then_some(name);
        store
            .set_card(org, id, card_name, &card.original)
            .await
            .map_err(|e| WriteError::Store(e.to_string()))?;
        let now = self
            .current(name)
            .await?
            .ok_or_else(|| WriteError::Store("the card is gone after writing".into()))?;
        Ok(Written {
            created: current.is_none(),
            altered: now.data != card.data,
            etag: now.meta.etag,
        })
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
        let Some(current) = self.current(name).await? else {
            return Err(WriteError::NotFound);
        };
        if let Condition::IfMatch(etag) = &condition
            && etag != "*"
            && *etag != current.meta.etag
        {
            return Err(WriteError::PreconditionFailed);
        }
        let Some((id, _, _)) = self
            .core
            .store
            .person_by_card(self.user.org_id, name)
            .await
            .map_err(|e| WriteError::Store(e.to_string()))?
        else {
            return Err(WriteError::NotFound);
        };
        self.core
            .store
            .set_synced(self.user.org_id, &[id], false)
            .await
            .map_err(|e| WriteError::Store(e.to_string()))?;
        Ok(())
    }
}
