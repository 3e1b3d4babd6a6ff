//! An in-memory contact store for the protocol tests: the same contract as the CRM's store
//! (strong ETags from the vCard, a change sequence, preconditions), deterministic times.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::sync::Mutex;

use postkamer_carddav::vcard::{self, CardData, ReceivedCard};
use postkamer_carddav::{
    BookInfo, CardMeta, Changes, Condition, ContactStore, Principal, StoredCard, Usage, WriteError,
    Written,
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

impl ContactStore for MemoryStore {
    async fn book(&self, _user: &Principal) -> Result<BookInfo, String> {
        Ok(BookInfo {
            display_name: "Postkamer".into(),
            sync_seq: self.state.lock().unwrap().seq,
        })
    }

    async fn usage(&self, _user: &Principal) -> Result<Usage, String> {
        let used = self.state.lock().unwrap().used();
        Ok(Usage {
            used_bytes: used,
            available_bytes: QUOTA_BYTES.saturating_sub(used),
        })
    }

    async fn list(&self, _user: &Principal) -> Result<Vec<CardMeta>, String> {
        Ok(self
            .state
            .lock()
            .unwrap()
            .cards
            .values()
            .map(|c| c.meta.clone())
            .collect())
    }

    async fn cards(&self, _user: &Principal, names: &[String]) -> Result<Vec<StoredCard>, String> {
        let state = self.state.lock().unwrap();
        Ok(names
            .iter()
            .filter_map(|n| state.cards.get(n).cloned())
            .collect())
    }

    async fn changes(&self, _user: &Principal, since: u64) -> Result<Option<Changes>, String> {
        let state = self.state.lock().unwrap();
        if since > state.seq {
            return Ok(None);
        }
        let mut changed = Vec::new();
        let mut removed = Vec::new();
        let mut names: Vec<&String> = state
            .log
            .iter()
            .filter(|(s, _, _)| *s > since)
            .map(|(_, n, _)| n)
            .collect();
        names.sort();
        names.dedup();
        for name in names {
            match state.cards.get(name) {
                Some(card) => changed.push(card.meta.clone()),
                None => removed.push(name.clone()),
            }
        }
        Ok(Some(Changes {
            sync_seq: state.seq,
            changed,
            removed,
        }))
    }

    async fn put(
        &self,
        _user: &Principal,
        name: &str,
        card: ReceivedCard,
        condition: Condition,
    ) -> Result<Written, WriteError> {
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
        if state
            .cards
            .iter()
            .any(|(n, c)| n != name && c.data.uid == card.data.uid)
        {
            return Err(WriteError::Conflict(format!(
                "UID {} is already another card",
                card.data.uid
            )));
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
        name: &str,
        condition: Condition,
    ) -> Result<(), WriteError> {
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
