//! Messages as the viewer may see them: lists, a relation's timeline, the message view (sanitised
//! HTML, attachments, the conversation), raw bytes, and the write-back of read / important /
//! delete to the mail server; private marks.

use postkamer_domain::mail::{
    AttachmentInfo, FolderRole, MessageQuery, MessageSummary, MessageView, TimelineOf,
};
use postkamer_domain::{Page, PageRequest, User};
use postkamer_mail::imap::ImapError;
use postkamer_mail::{compress, html, parse, sync};
use postkamer_store::StoreError;
use postkamer_store::mail::MessageRecord;

use crate::{Core, CoreError, CoreResult};

impl Core {
    pub async fn list_messages(
        &self,
        caller: &User,
        query: &MessageQuery,
    ) -> CoreResult<Page<MessageSummary>> {
        Ok(self
            .store
            .list_messages(caller.org_id, caller.id, query)
            .await?)
    }

    pub async fn timeline(
        &self,
        caller: &User,
        of: TimelineOf,
        page: PageRequest,
    ) -> CoreResult<Page<MessageSummary>> {
        // A person or company of another organisation is NotFound, not an empty timeline.
        match of {
            TimelineOf::Person(id) => {
                self.store.person(caller.org_id, id).await?;
            }
            TimelineOf::Company(id) => {
                self.store.company(caller.org_id, id).await?;
            }
        }
        Ok(self
            .store
            .timeline(caller.org_id, caller.id, of, page)
            .await?)
    }

    /// A message for the message view: sanitised HTML (remote images only when asked for),
    /// attachments, linked relations, unknown addresses and the conversation around it.
    pub async fn message_view(
        &self,
        caller: &User,
        id: postkamer_domain::MessageId,
        allow_remote_images: bool,
    ) -> CoreResult<MessageView> {
        let record = self.store.message(caller.org_id, caller.id, id).await?;
        let raw = unpack(&record)?;
        let raw = if record.owned {
            raw
        } else {
            parse::without_recipient_headers(&raw)
        };
        let (body, parsed) =
            tokio::task::spawn_blocking(move || (parse::body(&raw), parse::parse(&raw)))
                .await
                .map_err(|e| CoreError::Internal(e.to_string()))?;
        let safe = body
            .html
            .as_deref()
            .map(|h| html::sanitize(h, allow_remote_images));
        let owned = record.owned;
        let id = record.summary.id;
        let unknown_addresses = self.store.unknown_addresses(caller.org_id, id).await?;
        let thread = self
            .store
            .thread(caller.org_id, caller.id, id, &record.thread_key)
            .await?;
        Ok(MessageView {
            summary: record.summary,
            addresses: record.addresses,
            message_id_header: record.header_message_id,
            size: record.size,
            text: body.text,
            remote_images_blocked: safe.as_ref().is_some_and(|s| s.remote_images_blocked),
            html: safe.map(|s| s.html),
            attachments: parsed.attachments,
            unknown_addresses,
            owned,
            too_large: record.truncated,
            thread,
        })
    }

    /// The message's RFC 5322 bytes: the caller's own copy as their server has it, or a
    /// colleague's copy without its per-recipient headers (Bcc, Delivered-To …).
    pub async fn message_raw(
        &self,
        caller: &User,
        id: postkamer_domain::MessageId,
    ) -> CoreResult<(MessageSummary, Vec<u8>)> {
        let record = self.store.message(caller.org_id, caller.id, id).await?;
        if record.truncated {
            // Only its header is here; the whole message is on the mail server.
            return Err(CoreError::Conflict("message_too_large"));
        }
        let raw = unpack(&record)?;
        let raw = if record.owned {
            raw
        } else {
            parse::without_recipient_headers(&raw)
        };
        Ok((record.summary, raw))
    }

    /// One attachment's name, type and bytes.
    pub async fn attachment(
        &self,
        caller: &User,
        id: postkamer_domain::MessageId,
        index: u32,
    ) -> CoreResult<(AttachmentInfo, Vec<u8>)> {
        let (_, raw) = self.message_raw(caller, id).await?;
        tokio::task::spawn_blocking(move || parse::attachment(&raw, index))
            .await
            .map_err(|e| CoreError::Internal(e.to_string()))?
            .ok_or(CoreError::NotFound)
    }

    /// Marks a message read or unread, important or not: on the server first, then here.
    pub async fn set_message_flags(
        &self,
        caller: &User,
        id: postkamer_domain::MessageId,
        seen: Option<bool>,
        flagged: Option<bool>,
    ) -> CoreResult<()> {
        let record = self.store.message(caller.org_id, caller.id, id).await?;
        if record.locations.is_empty() {
            return Err(CoreError::Forbidden);
        }
        let mailbox = self.own_mailbox(caller).await?;
        let mut conn = self.connect(&mailbox).await?;
        let folders = self.store.folders(mailbox.settings.id).await?;
        for location in &record.locations {
            let Some(folder) = folders.iter().find(|f| f.id == location.folder) else {
                continue;
            };
            conn.select(&folder.name).await?;
            conn.set_flags(location.uid, seen, flagged).await?;
            self.store
                .set_location_flags(location.folder, location.uid, seen, flagged)
                .await?;
        }
        let _ = conn.logout().await;
        Ok(())
    }

    /// Moves a message to the Prullenbak on the server (from the Prullenbak: nothing to do) and
    /// brings both folders up to date here.
    pub async fn delete_message(
        &self,
        caller: &User,
        id: postkamer_domain::MessageId,
    ) -> CoreResult<()> {
        let record = self.store.message(caller.org_id, caller.id, id).await?;
        if record.locations.is_empty() {
            return Err(CoreError::Forbidden);
        }
        let mailbox = self.own_mailbox(caller).await?;
        let folders = self.store.folders(mailbox.settings.id).await?;
        let Some(trash) = folders
            .iter()
            .find(|f| f.role == FolderRole::Trash)
            .cloned()
        else {
            return Err(ImapError::MissingFolder(FolderRole::Trash).into());
        };
        let mut conn = self.connect(&mailbox).await?;
        for location in record
            .locations
            .iter()
            .filter(|l| l.role != FolderRole::Trash)
        {
            let Some(folder) = folders.iter().find(|f| f.id == location.folder).cloned() else {
                continue;
            };
            conn.select(&folder.name).await?;
            conn.move_to(location.uid, &trash.name).await?;
            let fresh = self.store.folder(folder.id).await?;
            sync::sync_folder(&self.mail_storage(), &mut conn, &mailbox, fresh, None).await?;
        }
        let fresh = self.store.folder(trash.id).await?;
        sync::sync_folder(&self.mail_storage(), &mut conn, &mailbox, fresh, None).await?;
        let _ = conn.logout().await;
        Ok(())
    }

    pub async fn set_message_private(
        &self,
        caller: &User,
        id: postkamer_domain::MessageId,
        private: bool,
    ) -> CoreResult<()> {
        match self.store.set_private(caller.id, id, private).await {
            // Visible but not owned: a colleague's message on a relation.
            Err(StoreError::NotFound) => {
                self.store.message(caller.org_id, caller.id, id).await?;
                Err(CoreError::Forbidden)
            }
            other => Ok(other?),
        }
    }
}

pub(crate) fn unpack(record: &MessageRecord) -> CoreResult<Vec<u8>> {
    compress::unpack(&record.raw_compressed).map_err(|e| {
        CoreError::Internal(format!(
            "stored message {} is damaged: {e}",
            record.summary.id
        ))
    })
}
