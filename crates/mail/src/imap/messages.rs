//! Message commands: changes, sizes and flags, STORE, MOVE (or COPY + EXPUNGE) and APPEND.
//! Fetching whole messages is in `fetch.rs`.

use async_imap::imap_proto::rfc4315::UidSetMember;
use async_imap::imap_proto::{AttributeValue, MailboxDatum, Response, ResponseCode};
use tokio::io::AsyncWriteExt;

use super::connection::{ImapConnection, next_response};
use super::error::{BadInput, ImapError, ImapStep, io_error};
use super::syntax::{
    copyuid_lookup, flag_list, outcome_text, quote, quote_mailbox, response_code, uid_sets,
};
use super::{Changes, FlagUpdate, Flags};

/// The longest UID set put in one command (Dovecot accepts command lines up to 64 KiB).
pub(super) const MAX_SET_LEN: usize = 8_000;
impl ImapConnection {
    /// With QRESYNC enabled: the flags changed and the UIDs expunged since `modseq`, in one
    /// command (`UID FETCH 1:* (FLAGS) (CHANGEDSINCE m VANISHED)`). The expunged UIDs may
    /// include ones this client never saw. `None` without QRESYNC.
    #[tracing::instrument(skip(self), err)]
    pub async fn changes_since(&mut self, modseq: u64) -> Result<Option<Changes>, ImapError> {
        if !self.qresync || !self.require_selected()?.condstore {
            return Ok(None);
        }
        let command = format!("UID FETCH 1:* (UID FLAGS) (CHANGEDSINCE {modseq} VANISHED)");
        self.absorb_unsolicited();
        self.changed = false;
        let mut updates: Vec<FlagUpdate> = Vec::new();
        let mut vanished: Vec<u32> = Vec::new();
        self.run(ImapStep::Fetch, &command, &mut |response| match response {
            Response::Fetch(_, attributes) => {
                let (Some(uid), Some(flags)) = (uid_of(attributes), flags_of(attributes)) else {
                    return false;
                };
                updates.push(FlagUpdate {
                    uid,
                    flags,
                    modseq: modseq_of(attributes),
                });
                true
            }
            // EARLIER: expunged since `modseq`; without: expunged just now, while selected
            // (left to the bookkeeping of the message count as well).
            Response::Vanished { earlier, uids } => {
                for range in uids {
                    // A range is the server's to bound; a bogus 1:4294967295 must not eat
                    // memory (the caller's count check then catches what is missing).
                    if range.end().saturating_sub(*range.start()) < 1_000_000 {
                        vanished.extend(range.clone());
                    }
                }
                *earlier
            }
            _ => false,
        })
        .await?;
        updates.sort_by_key(|update| update.uid);
        updates.reverse();
        updates.dedup_by_key(|update| update.uid);
        updates.reverse();
        vanished.sort_unstable();
        vanished.dedup();
        Ok(Some(Changes {
            flags: updates,
            vanished,
        }))
    }

    /// The sizes (RFC822.SIZE, in bytes) of messages of the selected folder, by UID, so a
    /// caller can fetch in batches of bounded memory. UIDs that do not exist are left out.
    #[tracing::instrument(skip_all, fields(count = uids.len()), err)]
    pub async fn sizes(&mut self, uids: &[u32]) -> Result<Vec<(u32, u32)>, ImapError> {
        self.require_selected()?;
        let wanted = sorted_uids(uids);
        let mut sizes: Vec<(u32, u32)> = Vec::with_capacity(wanted.len());
        for set in uid_sets(&wanted, MAX_SET_LEN) {
            let command = format!("UID FETCH {set} (UID RFC822.SIZE)");
            self.run(ImapStep::Fetch, &command, &mut |response| {
                let Response::Fetch(_, attributes) = response else {
                    return false;
                };
                let uid = uid_of(attributes).filter(|uid| wanted.binary_search(uid).is_ok());
                let size = attributes.iter().find_map(|a| match a {
                    AttributeValue::Rfc822Size(size) => Some(*size),
                    _ => None,
                });
                match (uid, size) {
                    (Some(uid), Some(size)) => {
                        sizes.push((uid, size));
                        true
                    }
                    _ => false,
                }
            })
            .await?;
        }
        sizes.sort_unstable();
        sizes.dedup_by_key(|(uid, _)| *uid);
        Ok(sizes)
    }

    /// The flags of the messages in the selected folder: with `since_modseq` and CONDSTORE only
    /// those changed after that mod-sequence (`CHANGEDSINCE`), otherwise all. Ordered by UID.
    #[tracing::instrument(skip(self), err)]
    pub async fn changed_flags(
        &mut self,
        since_modseq: Option<u64>,
    ) -> Result<Vec<FlagUpdate>, ImapError> {
        let selected = self.require_selected()?;
        let command = match (since_modseq, selected.condstore) {
            (Some(modseq), true) => format!("UID FETCH 1:* (UID FLAGS) (CHANGEDSINCE {modseq})"),
            (None, true) => "UID FETCH 1:* (UID FLAGS MODSEQ)".to_owned(),
            (_, false) => "UID FETCH 1:* (UID FLAGS)".to_owned(),
        };
        self.absorb_unsolicited();
        self.changed = false;
        let mut updates: Vec<FlagUpdate> = Vec::new();
        self.run(ImapStep::Fetch, &command, &mut |response| {
            let Response::Fetch(_, attributes) = response else {
                return false;
            };
            let (Some(uid), Some(flags)) = (uid_of(attributes), flags_of(attributes)) else {
                return false;
            };
            updates.push(FlagUpdate {
                uid,
                flags,
                modseq: modseq_of(attributes),
            });
            true
        })
        .await?;
        updates.sort_by_key(|update| update.uid);
        // A server may report one message twice (an unsolicited update next to the answer):
        // keep the last report.
        updates.reverse();
        updates.dedup_by_key(|update| update.uid);
        updates.reverse();
        Ok(updates)
    }

    /// Sets (`Some(true)`), clears (`Some(false)`) or leaves (`None`) `\Seen` and `\Flagged` on one
    /// message of the selected folder.
    #[tracing::instrument(skip(self), err)]
    pub async fn set_flags(
        &mut self,
        uid: u32,
        seen: Option<bool>,
        flagged: Option<bool>,
    ) -> Result<(), ImapError> {
        self.require_selected()?;
        let mut add = Vec::new();
        let mut remove = Vec::new();
        for (flag, wanted) in [("\\Seen", seen), ("\\Flagged", flagged)] {
            match wanted {
                Some(true) => add.push(flag),
                Some(false) => remove.push(flag),
                None => {}
            }
        }
        for (sign, flags) in [('+', add), ('-', remove)] {
            if flags.is_empty() {
                continue;
            }
            let command = format!("UID STORE {uid} {sign}FLAGS.SILENT ({})", flags.join(" "));
            // With CONDSTORE the server may still report the new mod-sequence: our own change.
            self.run(ImapStep::Store, &command, &mut |response| {
                matches!(response, Response::Fetch(_, attributes) if uid_of(attributes) == Some(uid))
            })
            .await?;
        }
        Ok(())
    }

    /// Moves one message of the selected folder to `target` (a raw folder name): UID MOVE when
    /// the server has MOVE, else UID COPY, `\Deleted` and UID EXPUNGE (plain EXPUNGE without
    /// UIDPLUS). Returns the message's UID in `target` when the server tells it (COPYUID);
    /// `Ok(None)` also when no message had that UID.
    #[tracing::instrument(skip(self), err)]
    pub async fn move_to(&mut self, uid: u32, target: &str) -> Result<Option<u32>, ImapError> {
        self.require_selected()?;
        let target = quote_mailbox(target)?;
        let mut new_uid = None;
        let mut copyuid = |response: &Response<'_>| {
            if let Some(ResponseCode::CopyUid(_, source, destination)) = response_code(response) {
                new_uid = copyuid_lookup(source, destination, uid);
                return true;
            }
            false
        };
        if self.capabilities.has_move {
            self.run(
                ImapStep::Move,
                &format!("UID MOVE {uid} {target}"),
                &mut copyuid,
            )
            .await?;
        } else {
            self.run(
                ImapStep::Move,
                &format!("UID COPY {uid} {target}"),
                &mut copyuid,
            )
            .await?;
            let store = format!("UID STORE {uid} +FLAGS.SILENT (\\Deleted)");
            self.run(ImapStep::Move, &store, &mut |_| false).await?;
            let expunge = if self.capabilities.has_uidplus {
                format!("UID EXPUNGE {uid}")
            } else {
                "EXPUNGE".to_owned()
            };
            self.run(ImapStep::Move, &expunge, &mut |_| false).await?;
        }
        Ok(new_uid)
    }

    /// Stores `raw` (a whole RFC 5322 message, CRLF line ends) in `folder` with `flags`. Returns
    /// its UID when the server tells it (APPENDUID). Needs no selected folder.
    #[tracing::instrument(skip(self, raw), fields(len = raw.len()), err)]
    pub async fn append(
        &mut self,
        folder: &str,
        raw: &[u8],
        flags: Flags,
    ) -> Result<Option<u32>, ImapError> {
        let step = ImapStep::Append;
        let command = format!(
            "APPEND {} {} {{{}}}",
            quote_mailbox(folder)?,
            flag_list(flags),
            raw.len()
        );
        let tag = self.send(step, &command).await?;
        // Wait for "+ go ahead"; the server may say other things first.
        loop {
            let response = next_response!(self, step);
            match response.parsed() {
                Response::Continue { .. } => break,
                Response::Done {
                    tag: done_tag,
                    outcome,
                    ..
                } if *done_tag == tag => {
                    return Err(ImapError::Rejected {
                        during: step,
                        server: outcome_text(outcome),
                    });
                }
                other => self.note(other),
            }
        }
        let stream = self.session.get_mut();
        let written = async {
            stream.write_all(raw).await?;
            stream.write_all(b"\r\n").await?;
            stream.flush().await
        };
        written.await.map_err(|error| io_error(step, error))?;
        let mut uid = None;
        self.finish(step, &tag, &mut |response| {
            if let Some(ResponseCode::AppendUid(_, set)) = response_code(response) {
                uid = first_uid(set);
                return true;
            }
            false
        })
        .await?;
        Ok(uid)
    }
}

impl ImapConnection {
    /// The UIDs in the selected folder of the messages whose Message-ID header holds
    /// `message_id` (without angle brackets), ascending: how a copy stored earlier is found
    /// again (`UID SEARCH HEADER Message-ID`).
    #[tracing::instrument(skip(self), err)]
    pub async fn with_message_id(&mut self, message_id: &str) -> Result<Vec<u32>, ImapError> {
        self.require_selected()?;
        let wanted = quote(&format!("<{message_id}>"), BadInput::MessageId)?;
        let mut uids = Vec::new();
        let command = format!("UID SEARCH HEADER Message-ID {wanted}");
        self.run(ImapStep::Search, &command, &mut |response| {
            if let Response::MailboxData(MailboxDatum::Search(found)) = response {
                uids.extend_from_slice(found);
                return true;
            }
            false
        })
        .await?;
        Ok(sorted_uids(&uids))
    }
}

pub(super) fn sorted_uids(uids: &[u32]) -> Vec<u32> {
    let mut sorted: Vec<u32> = uids.iter().copied().filter(|uid| *uid > 0).collect();
    sorted.sort_unstable();
    sorted.dedup();
    sorted
}

fn first_uid(set: &[UidSetMember]) -> Option<u32> {
    set.first().map(|member| match member {
        UidSetMember::Uid(uid) => *uid,
        UidSetMember::UidRange(range) => *range.start(),
    })
}

pub(super) fn uid_of(attributes: &[AttributeValue<'_>]) -> Option<u32> {
    attributes.iter().find_map(|attribute| match attribute {
        AttributeValue::Uid(uid) => Some(*uid),
        _ => None,
    })
}

pub(super) fn modseq_of(attributes: &[AttributeValue<'_>]) -> Option<u64> {
    attributes.iter().find_map(|attribute| match attribute {
        AttributeValue::ModSeq(modseq) => Some(*modseq),
        _ => None,
    })
}

pub(super) fn flags_of(attributes: &[AttributeValue<'_>]) -> Option<Flags> {
    attributes.iter().find_map(|attribute| match attribute {
        AttributeValue::Flags(flags) => Some(Flags {
            seen: flags.iter().any(|flag| flag.eq_ignore_ascii_case("\\Seen")),
            flagged: flags
                .iter()
                .any(|flag| flag.eq_ignore_ascii_case("\\Flagged")),
        }),
        _ => None,
    })
}

/// The whole message (`BODY[]`, `RFC822`), or for a message too large to store its header
/// (`BODY[HEADER]<0>`).
pub(super) fn body_of<'r>(attributes: &'r [AttributeValue<'_>]) -> Option<&'r [u8]> {
    use async_imap::imap_proto::{MessageSection, SectionPath};
    attributes.iter().find_map(|attribute| match attribute {
        AttributeValue::BodySection {
            section: None,
            index: None,
            data: Some(data),
        }
        | AttributeValue::BodySection {
            section: Some(SectionPath::Full(MessageSection::Header)),
            data: Some(data),
            ..
        }
        | AttributeValue::Rfc822(Some(data)) => Some(data.as_ref()),
        _ => None,
    })
}
