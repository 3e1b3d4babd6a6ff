//! An in-memory contact store for the protocol tests: the same contract as the CRM's store
//! (strong ETags from the vCard, a change sequence, preconditions), deterministic times.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::sync::Mutex;

use postkamer_carddav::vcard::{self, CardData, ReceivedCard};
use postkamer_carddav::{
    BookInfo, CardMeta, Changes, Condition, ContactStore, DEFAULT_BOOK, Principal, StoredCard,
    Usage, WriteError, Written,
};

/// The book's quota in the tests: room for a few dozen ordinary cards.
pub const QUOTA_BYTES: u64 = 16 * 1024;

#[derive(Default)]
struct State {
    seq: u64,
    cards: BTreeMap<String, StoredCard>,
    /// (sequence, name, removed)
    log: Vec<(u64, String, bool)>,
}

#[derive(Default)]
pub struct MemoryStore {
    state: Mutex<State>,
    team: Mutex<State>,
}

/// 2026-11-03 10:00:00 UTC plus one minute per change.
fn time(seq: u64) -> i64 {
    1_793_700_000_000 + seq as i64 * 60_000
}

/// The bytes a card takes: the vCard the client sent, else the CRM's rendering.
fn size(card: &StoredCard) -> u64 {
    card.original.as_ref().map_or_else(
        || vcard::render(&card.data, None, vcard::Version::V4).len(),
        String::len,
    ) as u64
}

impl State {
    fn used(&self) -> u64 {
        self.cards.values().map(size).sum()
    }
}

impl MemoryStore {
    /// Adds (or replaces) a card as the CRM would: no client original.
    pub fn insert(&self, name: &str, data: CardData) {
        let mut state = self.state.lock().unwrap();
        state.seq += 1;
        let seq = state.seq;
        let etag = vcard::etag(&data, None);
        state.cards.insert(
            name.to_owned(),
            StoredCard {
                meta: CardMeta {
                    name: name.to_owned(),
                    etag,
                    modified: time(seq),
                },
                data,
                original: None,
            },
        );
        state.log.push((seq, name.to_owned(), false));
    }

    /// Removes a card as the CRM would (unmarked for sync).
    pub fn remove(&self, name: &str) {
        let mut state = self.state.lock().unwrap();
        if state.cards.remove(name).is_some() {
            state.seq += 1;
            let seq = state.seq;
            state.log.push((seq, name.to_owned(), true));
        }
    }

    pub fn get(&self, name: &str) -> Option<StoredCard> {
        self.state.lock().unwrap().cards.get(name).cloned()
    }

    pub fn len(&self) -> usize {
        self.state.lock().unwrap().cards.len()
    }
}

impl State {
    fn list(&self) -> Vec<StoredCard> {
        self.cards.values().cloned().collect()
    }

    fn cards(&self, names: &[String]) -> Vec<StoredCard> {
        names
            .iter()
            .filter_map(|n| self.cards.get(n).cloned())
            .collect()
    }

    fn changes(&self, since: u64) -> Option<Changes> {
        if since > self.seq {
            return None;
        }
        let mut changed = Vec::new();
        let mut removed = Vec::new();
        let mut names: Vec<&String> = self
            .log
            .iter()
            .filter(|(s, _, _)| *s > since)
            .map(|(_, n, _)| n)
            .collect();
        names.sort();
        names.dedup();
        for name in names {
            match self.cards.get(name) {
                Some(card) => changed.push(card.clone()),
                None => removed.push(name.clone()),
            }
        }
        Some(Changes {
            sync_seq: self.seq,
            changed,
            removed,
        })
    }
}

/// The read-only book next to the default one.
pub const TEAM_BOOK: &str = "team";

impl MemoryStore {
    fn of(&self, book: &str) -> Result<&Mutex<State>, String> {
        match book {
            DEFAULT_BOOK => Ok(&self.state),
            TEAM_BOOK => Ok(&self.team),
            other => Err(format!("no book {other}")),
        }
    }

    /// Adds a card to the read-only book.
    pub fn insert_team(&self, name: &str, data: CardData) {
        let mut team = self.team.lock().unwrap();
        team.seq += 1;
        let seq = team.seq;
        team.cards.insert(
            name.to_owned(),
            StoredCard {
                meta: CardMeta {
                    name: name.to_owned(),
                    etag: vcard::etag(&data, None),
                    modified: time(seq),
                },
                data,
                original: None,
            },
        );
        team.log.push((seq, name.to_owned(), false));
    }
}

fn info(book: &str) -> Option<BookInfo> {
    match book {
        DEFAULT_BOOK => Some(BookInfo {
            name: DEFAULT_BOOK.into(),
            display_name: "Postkamer".into(),
            description: None,
            read_only: false,
        }),
        TEAM_BOOK => Some(BookInfo {
            name: TEAM_BOOK.into(),
            display_name: "Team (alleen lezen)".into(),
            description: Some("Alleen lezen".into()),
            read_only: true,
        }),
        _ => None,
    }
}

impl ContactStore for MemoryStore {
    async fn books(&self, _user: &Principal) -> Result<Vec<BookInfo>, String> {
        Ok([DEFAULT_BOOK, TEAM_BOOK]
            .into_iter()
            .filter_map(info)
            .collect())
    }

    async fn book(&self, _user: &Principal, book: &str) -> Result<Option<BookInfo>, String> {
        Ok(info(book))
    }

    async fn sync_seq(&self, _user: &Principal, book: &str) -> Result<u64, String> {
        Ok(self.of(book)?.lock().unwrap().seq)
    }

    async fn usage(&self, _user: &Principal) -> Result<Usage, String> {
        let used = self.state.lock().unwrap().used();
        Ok(Usage {
            used_bytes: used,
            available_bytes: QUOTA_BYTES.saturating_sub(used),
        })
    }

    async fn list(&self, _user: &Principal, book: &str) -> Result<Vec<StoredCard>, String> {
        Ok(self.of(book)?.lock().unwrap().list())
    }

    async fn cards(
        &self,
        _user: &Principal,
        book: &str,
        names: &[String],
    ) -> Result<Vec<StoredCard>, String> {
        Ok(self.of(book)?.lock().unwrap().cards(names))
    }

    async fn changes(
        &self,
        _user: &Principal,
        book: &str,
        since: u64,
    ) -> Result<Option<Changes>, String> {
        Ok(self.of(book)?.lock().unwrap().changes(since))
    }

    async fn put(
        &self,
        _user: &Principal,
        book: &str,
        name: &str,
        card: ReceivedCard,
        condition: Condition,
    ) -> Result<Written, WriteError> {
        assert_eq!(
            book, DEFAULT_BOOK,
            "the engine writes to writable books only"
        );
        let mut state = self.state.lock().unwrap();
        let existing = state.cards.get(name);
        match (&condition, existing) {
            (Condition::IfNoneMatchAny, Some(_)) => return Err(WriteError::PreconditionFailed),
            (Condition::IfMatch(etag), Some(c)) if etag != "*" && *etag != c.meta.etag => {
                return Err(WriteError::PreconditionFailed);
            }
            (Condition::IfMatch(_), None) => return Err(WriteError::PreconditionFailed),
            _ => {}
        }
        if let Some((existing, _)) = state
            .cards
            .iter()
            .find(|(n, c)| *n != name && c.data.uid == card.data.uid)
        {
            return Err(WriteError::UidConflict {
                existing: existing.clone(),
            });
        }
        let freed = existing.map_or(0, size);
        if state.used() - freed + card.original.len() as u64 > QUOTA_BYTES {
            return Err(WriteError::QuotaExceeded);
        }
        let created = existing.is_none();
        state.seq += 1;
        let seq = state.seq;
        let etag = vcard::etag(&card.data, Some(&card.original));
        state.cards.insert(
            name.to_owned(),
            StoredCard {
                meta: CardMeta {
                    name: name.to_owned(),
                    etag: etag.clone(),
                    modified: time(seq),
                },
                data: card.data,
                original: Some(card.original),
            },
        );
        state.log.push((seq, name.to_owned(), false));
        Ok(Written {
            created,
            etag,
            altered: false,
        })
    }

    async fn delete(
        &self,
        _user: &Principal,
        book: &str,
        name: &str,
        condition: Condition,
    ) -> Result<(), WriteError> {
        assert_eq!(
            book, DEFAULT_BOOK,
            "the engine deletes from writable books only"
        );
        let mut state = self.state.lock().unwrap();
        let Some(card) = state.cards.get(name) else {
            return Err(WriteError::NotFound);
        };
        if let Condition::IfMatch(etag) = &condition
            && etag != "*"
            && *etag != card.meta.etag
        {
            return Err(WriteError::PreconditionFailed);
        }
        state.cards.remove(name);
        state.seq += 1;
        let seq = state.seq;
        state.log.push((seq, name.to_owned(), true));
        Ok(())
    }
}
