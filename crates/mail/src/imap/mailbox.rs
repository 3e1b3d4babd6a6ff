//! Folder commands: LIST, SELECT and the UID SEARCH that lists a folder.

use async_imap::imap_proto::{MailboxDatum, Response, ResponseCode, Status};

use super::connection::{ImapConnection, Selected};
use super::error::{ImapError, ImapStep};
use super::folders::{ListedMailbox, pick_folders};
use super::messages::uid_of;
use super::syntax::{imap_date, quote_mailbox};
use super::{Folder, FolderState};

impl ImapConnection {
    /// Lists the mailboxes and picks Inbox, Sent and Trash (see [`pick_folders`]). A role that
    /// cannot be found is absent from the result, not an error.
    #[tracing::instrument(skip_all, err)]
    pub async fn folders(&mut self) -> Result<Vec<Folder>, ImapError> {
        let command = if self.capabilities.has("LIST-EXTENDED") && self.capabilities.has_special_use
        {
            r#"LIST "" "*" RETURN (SPECIAL-USE)"#
        } else {
            r#"LIST "" "*""#
        };
        let mut listed = Vec::new();
        self.run(ImapStep::List, command, &mut |response| {
            if let Response::MailboxData(MailboxDatum::List(data)) = response {
                listed.push(ListedMailbox::from_proto(data));
                return true;
            }
            false
        })
        .await?;
        Ok(pick_folders(&listed))
    }

    /// Opens the folder `name` (the server's raw name) for reading and writing, with CONDSTORE
    /// when the server has it, so that [`FolderState::highest_modseq`] is filled in.
    #[tracing::instrument(skip(self), err)]
    pub async fn select(&mut self, name: &str) -> Result<FolderState, ImapError> {
        let quoted = quote_mailbox(name)?;
        let condstore = self.capabilities.has_condstore;
        let command = if condstore {
            format!("SELECT {quoted} (CONDSTORE)")
        } else {
            format!("SELECT {quoted}")
        };
        // SELECT leaves no folder selected when it fails.
        self.selected = None;
        self.absorb_unsolicited();
        self.changed = false;
        let (mut uid_validity, mut uid_next, mut exists, mut highest_modseq) =
            (None, None, 0, None);
        self.run(ImapStep::Select, &command, &mut |response| match response {
            Response::Data {
                status: Status::Ok,
                outcome,
            } => {
                match &outcome.code {
                    Some(ResponseCode::UidValidity(value)) => uid_validity = Some(*value),
                    Some(ResponseCode::UidNext(value)) => uid_next = Some(*value),
                    Some(ResponseCode::HighestModSeq(value)) => highest_modseq = Some(*value),
                    _ => {}
                }
                true
            }
            Response::MailboxData(MailboxDatum::Exists(count)) => {
                exists = *count;
                true
            }
            _ => false,
        })
        .await?;
        let uid_validity = uid_validity
            .ok_or_else(|| ImapError::Protocol("SELECT without UIDVALIDITY".to_owned()))?;
        let highest_modseq = highest_modseq.filter(|_| condstore);
        self.selected = Some(Selected {
            name: name.to_owned(),
            exists,
            condstore: highest_modseq.is_some(),
        });
        let uid_next = match uid_next {
            Some(uid_next) => uid_next,
            None => self
                .highest_uid()
                .await?
                .map_or(1, |uid| uid.saturating_add(1)),
        };
        Ok(FolderState {
            uid_validity,
            uid_next,
            exists: self.selected.as_ref().map_or(exists, |s| s.exists),
            highest_modseq,
        })
    }

    /// The highest UID in the selected folder (for servers that do not send UIDNEXT).
    async fn highest_uid(&mut self) -> Result<Option<u32>, ImapError> {
        if self.require_selected()?.exists == 0 {
            return Ok(None);
        }
        let mut highest = None;
        self.run(ImapStep::Fetch, "FETCH * (UID)", &mut |response| {
            let Response::Fetch(_, attributes) = response else {
                return false;
            };
            highest = highest.max(uid_of(attributes));
            true
        })
        .await?;
        Ok(highest)
    }

    /// The UIDs in the selected folder, ascending: all of them, or those that arrived on or after
    /// `since` = `(year, month, day)` (the server's arrival date, `SEARCH SINCE`).
    ///
    /// Big folders are searched in windows of 25 000 messages (bounded by the UIDs at those
    /// positions), so no single answer grows without bound.
    #[tracing::instrument(skip(self), err)]
    pub async fn uids(&mut self, since: Option<(i32, u8, u8)>) -> Result<Vec<u32>, ImapError> {
        let criteria = match since {
            Some(date) => format!("SINCE {}", imap_date(date)?),
            None => "ALL".to_owned(),
        };
        let exists = self.require_selected()?.exists;
        self.absorb_unsolicited();
        self.changed = false;

        // UIDs at message numbers window, 2·window, ... mark the window edges.
        let window = self.search_window;
        let mut edges: Vec<(u32, u32)> = Vec::new();
        if exists > window {
            let positions: Vec<String> = (1..)
                .map(|n: u32| n.saturating_mul(window))
                .take_while(|position| *position < exists)
                .map(|position| position.to_string())
                .collect();
            let command = format!("FETCH {} (UID)", positions.join(","));
            self.run(ImapStep::Search, &command, &mut |response| {
                let Response::Fetch(seq, attributes) = response else {
                    return false;
                };
                match uid_of(attributes) {
                    Some(uid) if *seq % window == 0 => {
                        edges.push((*seq, uid));
                        true
                    }
                    _ => false,
                }
            })
            .await?;
            edges.sort_unstable();
        }

        let mut ranges = Vec::with_capacity(edges.len() + 1);
        let mut low = 1u32;
        for (_, edge) in edges {
            if edge >= low {
                ranges.push(format!("UID {low}:{edge} "));
                low = edge.saturating_add(1);
            }
        }
        // The last window ends at "*"; `n:*` also matches the highest UID when n is above it,
        // which the de-duplication below absorbs.
        ranges.push(if low == 1 {
            String::new()
        } else {
            format!("UID {low}:* ")
        });

        let mut uids = Vec::new();
        for range in ranges {
            let command = format!("UID SEARCH {range}{criteria}");
            self.run(ImapStep::Search, &command, &mut |response| {
                if let Response::MailboxData(MailboxDatum::Search(found)) = response {
                    uids.extend_from_slice(found);
                    return true;
                }
                false
            })
            .await?;
        }
        uids.sort_unstable();
        uids.dedup();
        Ok(uids)
    }
}
