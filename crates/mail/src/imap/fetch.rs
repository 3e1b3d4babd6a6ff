//! Fetching messages: whole, within the sizes the server reported, or (too large to store)
//! their header only.

use std::collections::HashMap;

use async_imap::imap_proto::{AttributeValue, Response};

use super::connection::ImapConnection;
use super::error::{ImapError, ImapStep};
use super::guard::Allowance;
use super::messages::{MAX_SET_LEN, body_of, flags_of, modseq_of, sorted_uids, uid_of};
use super::syntax::uid_sets;
use super::{Fetched, Flags};

/// How much of the header of a message too large to store is fetched.
pub(crate) const HEADER_BYTES: u64 = 256 * 1024;

/// A reported size with a margin: servers that store bare LF count line ends differently, and
/// the FETCH answer around the literal takes a little room.
fn slack(size: u64) -> u64 {
    size.saturating_add(size / 8).saturating_add(64 * 1024)
}

impl ImapConnection {
    /// Fetches whole messages (`BODY.PEEK[]`: never marks them as read) with their flags and
    /// mod-sequence. UIDs that do not exist (any more) are left out of the result; the order is
    /// by UID. Everything is held in memory, and no message may be larger than the per-message
    /// cap: prefer [`ImapConnection::fetch_sized`], which bounds the whole answer by the sizes
    /// the server reported.
    #[tracing::instrument(skip_all, fields(count = uids.len()), err)]
    pub async fn fetch(&mut self, uids: &[u32]) -> Result<Vec<Fetched>, ImapError> {
        let allowance = Allowance {
            max_literal: slack(self.max_message),
            budget: slack(self.max_message).saturating_mul(uids.len().max(1) as u64),
        };
        let mut fetched = self.fetch_bodies(&sorted_uids(uids), allowance).await?;
        fetched.sort_unstable_by_key(|message| message.uid);
        Ok(fetched)
    }

    /// Fetches messages of which the server reported the sizes (`(uid, size)`, see
    /// [`ImapConnection::sizes`]): those up to the per-message cap whole, the larger ones as
    /// their header only (marked `too_large`). The server may send no more than it reported
    /// (with a margin for servers that count line ends differently): a server that sends more
    /// ends the command with [`ImapError::Overrun`], before the bytes are buffered.
    #[tracing::instrument(skip_all, fields(count = wanted.len()), err)]
    pub async fn fetch_sized(&mut self, wanted: &[(u32, u32)]) -> Result<Vec<Fetched>, ImapError> {
        let cap = self.max_message;
        let mut small: Vec<(u32, u32)> = Vec::with_capacity(wanted.len());
        let mut large: Vec<(u32, u32)> = Vec::new();
        for &(uid, size) in wanted.iter().filter(|(uid, _)| *uid > 0) {
            if u64::from(size) <= cap {
                small.push((uid, size));
            } else {
                large.push((uid, size));
            }
        }
        small.sort_unstable();
        small.dedup_by_key(|(uid, _)| *uid);
        large.sort_unstable();
        large.dedup_by_key(|(uid, _)| *uid);
        let mut fetched = Vec::with_capacity(small.len() + large.len());
        if !small.is_empty() {
            let largest = small
                .iter()
                .map(|(_, size)| u64::from(*size))
                .max()
                .unwrap_or(0);
            let total: u64 = small.iter().map(|(_, size)| u64::from(*size)).sum();
            let allowance = Allowance {
                max_literal: slack(largest),
                budget: slack(total).saturating_add(4096 * small.len() as u64),
            };
            let uids: Vec<u32> = small.iter().map(|(uid, _)| *uid).collect();
            fetched.extend(self.fetch_bodies(&uids, allowance).await?);
        }
        if !large.is_empty() {
            fetched.extend(self.fetch_headers(&large).await?);
        }
        fetched.sort_unstable_by_key(|message| message.uid);
        Ok(fetched)
    }

    async fn fetch_bodies(
        &mut self,
        wanted: &[u32],
        allowance: Allowance,
    ) -> Result<Vec<Fetched>, ImapError> {
        self.fetch_section(wanted, "BODY.PEEK[]", allowance).await
    }

    /// The first [`HEADER_BYTES`] of the header of each message that is too large to store.
    async fn fetch_headers(&mut self, wanted: &[(u32, u32)]) -> Result<Vec<Fetched>, ImapError> {
        let uids: Vec<u32> = wanted.iter().map(|(uid, _)| *uid).collect();
        let allowance = Allowance {
            max_literal: HEADER_BYTES,
            budget: (HEADER_BYTES + 4096).saturating_mul(uids.len() as u64),
        };
        let section = format!("BODY.PEEK[HEADER]<0.{HEADER_BYTES}>");
        let mut fetched = self.fetch_section(&uids, &section, allowance).await?;
        for message in &mut fetched {
            let size = wanted
                .binary_search_by_key(&message.uid, |(uid, _)| *uid)
                .map_or(0, |i| u64::from(wanted[i].1));
            message.too_large = Some(size);
        }
        Ok(fetched)
    }

    /// `UID FETCH` of `section` (with UID, FLAGS and, under CONDSTORE, MODSEQ) for the sorted
    /// `wanted` UIDs, in sets of bounded length, each command within `allowance`.
    async fn fetch_section(
        &mut self,
        wanted: &[u32],
        section: &str,
        allowance: Allowance,
    ) -> Result<Vec<Fetched>, ImapError> {
        let modseq = if self.require_selected()?.condstore {
            " MODSEQ"
        } else {
            ""
        };
        let items = format!("(UID FLAGS{modseq} {section})");
        let mut parts: Vec<FetchedParts> = Vec::new();
        let mut index: HashMap<u32, usize> = HashMap::new();
        for set in uid_sets(wanted, MAX_SET_LEN) {
            let command = format!("UID FETCH {set} {items}");
            self.next_allowance = Some(allowance);
            self.run(ImapStep::Fetch, &command, &mut |response| {
                let Response::Fetch(_, attributes) = response else {
                    return false;
                };
                let Some(uid) = uid_of(attributes).filter(|uid| wanted.binary_search(uid).is_ok())
                else {
                    return false;
                };
                let slot = *index.entry(uid).or_insert_with(|| {
                    parts.push(FetchedParts::new(uid));
                    parts.len() - 1
                });
                parts[slot].merge(attributes);
                true
            })
            .await?;
        }
        Ok(parts
            .into_iter()
            .filter_map(FetchedParts::complete)
            .collect())
    }
}

/// The pieces of one message's FETCH answer (a server may split them over several answers).
struct FetchedParts {
    uid: u32,
    flags: Option<Flags>,
    modseq: Option<u64>,
    raw: Option<Vec<u8>>,
}

impl FetchedParts {
    fn new(uid: u32) -> Self {
        FetchedParts {
            uid,
            flags: None,
            modseq: None,
            raw: None,
        }
    }

    fn merge(&mut self, attributes: &[AttributeValue<'_>]) {
        if let Some(flags) = flags_of(attributes) {
            self.flags = Some(flags);
        }
        if let Some(modseq) = modseq_of(attributes) {
            self.modseq = Some(modseq);
        }
        if let Some(body) = body_of(attributes) {
            self.raw = Some(body.to_vec());
        }
    }

    /// The message, if its body came.
    fn complete(self) -> Option<Fetched> {
        Some(Fetched {
            uid: self.uid,
            flags: self.flags.unwrap_or_default(),
            modseq: self.modseq,
            raw: self.raw?,
            too_large: None,
        })
    }
}
