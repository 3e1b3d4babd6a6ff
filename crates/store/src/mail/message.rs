//! One message as its viewer may see it — their own copy when they have one — its
//! conversation, and the addresses on it that are no contact person yet.

use super::read::{
    OWN_COLUMNS, SUMMARY_COLUMNS, SummaryRow, copy_group, counterparty, one_copy_each, owned,
    visible,
};
use crate::{Store, StoreError, StoreResult, with_pool};
use postkamer_domain::mail::sync::FolderId;
use postkamer_domain::mail::{
    AddressKind, FolderRole, MailAddress, MessageSummary, UnknownAddress,
};
use postkamer_domain::relation::CompanyRef;
use postkamer_domain::{CompanyId, EmailAddress, MailboxId, MessageId, OrgId, PageRequest, UserId};
use sqlx::AssertSqlSafe;

/// One message for the message view: its summary, addresses and compressed raw bytes.
#[derive(Debug, Clone)]
pub struct MessageRecord {
    pub summary: MessageSummary,
    pub addresses: Vec<MailAddress>,
    pub header_message_id: Option<String>,
    pub thread_key: String,
    pub size: u64,
    pub raw_compressed: Vec<u8>,
    /// Stored without its body: larger than the per-message cap.
    pub truncated: bool,
    /// The viewer owns this copy. When not, its per-recipient headers are not theirs to read.
    pub owned: bool,
    /// The viewer's own copies: (folder, UID, folder name, mailbox).
    pub locations: Vec<OwnLocation>,
}

/// Where the viewer has a message on their own server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnLocation {
    pub folder: FolderId,
    pub role: FolderRole,
    pub uid: u32,
    pub mailbox: MailboxId,
}

impl Store {
    /// One message, if the viewer may see it (else `NotFound`, also across organisations).
    /// A viewer who owns a copy of the same message gets their own copy (with their own
    /// headers, Bcc included); a colleague gets the copy asked for without its Bcc addresses
    /// (the caller leaves the per-recipient headers out of its bytes: see `owned`).
    pub async fn message(
        &self,
        org: OrgId,
        viewer: UserId,
        id: MessageId,
    ) -> StoreResult<MessageRecord> {
        #[derive(sqlx::FromRow)]
        struct Extra {
            header_message_id: Option<String>,
            thread_key: String,
            size: i64,
            raw: Vec<u8>,
            truncated: bool,
        }
        let (id, owned_copy) = self.viewers_copy(org, viewer, id).await?;
        let sql =
            format!("SELECT {SUMMARY_COLUMNS}, {OWN_COLUMNS} FROM messages m WHERE m.id = $3");
        let row: SummaryRow = with_pool!(self, |pool| sqlx::query_as(AssertSqlSafe(sql))
            .bind(org.0)
            .bind(viewer.0)
            .bind(id.0)
            .fetch_one(pool)
            .await)?;
        let extra: Extra = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT header_message_id, thread_key, size, raw, truncated FROM messages WHERE id = $1",
            )
            .bind(id.0)
            .fetch_one(pool)
            .await
        })?;
        let mut summary = row.into_summary();
        summary.relations = self
            .linked_persons(org, &[id])
            .await?
            .remove(&id)
            .unwrap_or_default();
        Ok(MessageRecord {
            summary,
            addresses: self.addresses_of(id, owned_copy).await?,
            header_message_id: extra.header_message_id,
            thread_key: extra.thread_key,
            size: u64::try_from(extra.size).unwrap_or(0),
            raw_compressed: extra.raw,
            truncated: extra.truncated,
            owned: owned_copy,
            locations: self.own_locations(id, viewer).await?,
        })
    }

    /// The copy of message `id` that `viewer` reads, and whether it is their own: `id` itself
    /// when they may see it, swapped for a copy of theirs that reads alike when they have one.
    async fn viewers_copy(
        &self,
        org: OrgId,
        viewer: UserId,
        id: MessageId,
    ) -> StoreResult<(MessageId, bool)> {
        let visible_sql = format!(
            "SELECT m.id, {owned} AS owned, {group} AS copy_group FROM messages m \
             WHERE m.id = $3 AND {visible}",
            owned = owned("m"),
            group = copy_group("m"),
            visible = visible("m"),
        );
        let found: Option<(i64, bool, String)> =
            with_pool!(self, |pool| sqlx::query_as(AssertSqlSafe(visible_sql))
                .bind(org.0)
                .bind(viewer.0)
                .bind(id.0)
                .fetch_optional(pool)
                .await)?;
        let (id, owned_copy, group) = found.ok_or(StoreError::NotFound)?;
        if owned_copy {
            return Ok((MessageId(id), true));
        }
        let own_sql = format!(
            "SELECT m.id FROM messages m WHERE m.org_id = $1 AND {} = $3 AND {} \
             ORDER BY m.id LIMIT 1",
            copy_group("m"),
            owned("m")
        );
        let own: Option<i64> = with_pool!(self, |pool| sqlx::query_scalar(AssertSqlSafe(own_sql))
            .bind(org.0)
            .bind(viewer.0)
            .bind(&group)
            .fetch_optional(pool)
            .await)?;
        Ok(match own {
            Some(own) => (MessageId(own), true),
            None => (MessageId(id), false),
        })
    }

    /// The message's addresses by kind, in header order; Bcc only on the viewer's own copy.
    async fn addresses_of(&self, id: MessageId, owned_copy: bool) -> StoreResult<Vec<MailAddress>> {
        let addresses: Vec<(String, String, Option<String>)> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT kind, email, name FROM message_addresses WHERE message_id = $1 ORDER BY position",
            )
            .bind(id.0)
            .fetch_all(pool)
            .await
        })?;
        Ok(AddressKind::ALL
            .into_iter()
            .filter(|kind| owned_copy || *kind != AddressKind::Bcc)
            .flat_map(|kind| {
                addresses
                    .iter()
                    .filter(move |(k, _, _)| k == kind.as_str())
                    .map(move |(_, email, name)| MailAddress {
                        kind,
                        email: email.clone(),
                        name: name.clone(),
                    })
            })
            .collect())
    }

    /// Where the viewer has the message on their own server.
    async fn own_locations(&self, id: MessageId, viewer: UserId) -> StoreResult<Vec<OwnLocation>> {
        let locations: Vec<(i64, String, i64, i64)> = with_pool!(self, |pool| sqlx::query_as(
            "SELECT f.id, f.role, l.uid, b.id FROM mail_locations l \
                 JOIN mail_folders f ON f.id = l.folder_id JOIN mailboxes b ON b.id = f.mailbox_id \
                 WHERE l.message_id = $1 AND b.user_id = $2 ORDER BY f.role",
        )
        .bind(id.0)
        .bind(viewer.0)
        .fetch_all(pool)
        .await)?;
        Ok(locations
            .into_iter()
            .filter_map(|(folder, role, uid, mailbox)| {
                Some(OwnLocation {
                    folder: FolderId(folder),
                    role: role.parse().ok()?,
                    uid: u32::try_from(uid).ok()?,
                    mailbox: MailboxId(mailbox),
                })
            })
            .collect())
    }

    /// The other messages of a conversation the viewer may see, oldest first (at most 50),
    /// one copy of each.
    pub async fn thread(
        &self,
        org: OrgId,
        viewer: UserId,
        message: MessageId,
        thread_key: &str,
    ) -> StoreResult<Vec<MessageSummary>> {
        let group_of_this = format!(
            "(SELECT {} FROM messages t WHERE t.id = $4)",
            copy_group("t")
        );
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS}, {OWN_COLUMNS} FROM messages m WHERE m.id IN ({}) \
             ORDER BY m.sort_at, m.id LIMIT 50",
            one_copy_each(&format!(
                "v.org_id = $1 AND v.thread_key = $3 AND {} <> {group_of_this}",
                copy_group("v")
            ))
        );
        let rows: Vec<SummaryRow> = with_pool!(self, |pool| sqlx::query_as(AssertSqlSafe(sql))
            .bind(org.0)
            .bind(viewer.0)
            .bind(thread_key)
            .bind(message.0)
            .fetch_all(pool)
            .await)?;
        Ok(self
            .summaries_page(org, rows, PageRequest::new(Some(1), Some(50)), 0)
            .await?
            .items)
    }

    /// The message's addresses that match no contact person and no user of the organisation,
    /// with a company whose e-mail domain fits.
    pub async fn unknown_addresses(
        &self,
        org: OrgId,
        id: MessageId,
    ) -> StoreResult<Vec<UnknownAddress>> {
        let rows: Vec<(String, Option<String>)> = with_pool!(self, |pool| {
            sqlx::query_as(AssertSqlSafe(format!(
                "SELECT ma.email, ma.name FROM message_addresses ma \
                 WHERE ma.message_id = $1 AND ma.org_id = $2 AND {} \
                   AND NOT EXISTS (SELECT 1 FROM person_emails pe WHERE pe.org_id = ma.org_id AND pe.email = ma.email) \
                 ORDER BY ma.position", counterparty("ma")
            )))
            .bind(id.0)
            .bind(org.0)
            .fetch_all(pool)
            .await
        })?;
        let mut out: Vec<UnknownAddress> = Vec::new();
        for (email, name) in rows {
            let Ok(valid) = EmailAddress::parse(&email) else {
                continue;
            };
            if out.iter().any(|u| u.email == email) {
                continue;
            }
            let company: Option<(i64, String)> = with_pool!(self, |pool| {
                sqlx::query_as(
                    "SELECT c.id, c.name FROM company_domains d JOIN companies c ON c.id = d.company_id \
                     WHERE d.org_id = $1 AND d.domain = $2 ORDER BY c.sort_name, c.id LIMIT 1",
                )
                .bind(org.0)
                .bind(valid.domain())
                .fetch_optional(pool)
                .await
            })?;
            out.push(UnknownAddress {
                email,
                name,
                company: company.map(|(id, name)| CompanyRef {
                    id: CompanyId(id),
                    name,
                }),
            });
        }
        Ok(out)
    }

    /// How many messages with this address (in From, To, Cc, Reply-To) the viewer may see,
    /// each message once: what the viewer sees of its mail once the address is a contact
    /// person's. Follows the same visibility as the messages themselves.
    pub async fn messages_with_address(
        &self,
        org: OrgId,
        viewer: UserId,
        email: &EmailAddress,
    ) -> StoreResult<u64> {
        let sql = format!(
            "SELECT COUNT(DISTINCT {group}) FROM messages m WHERE m.id IN \
               (SELECT message_id FROM message_addresses WHERE org_id = $1 AND email = $3 AND kind <> 'bcc') \
             AND {visible}",
            group = copy_group("m"),
            visible = visible("m"),
        );
        let n: i64 = with_pool!(self, |pool| sqlx::query_scalar(AssertSqlSafe(sql))
            .bind(org.0)
            .bind(viewer.0)
            .bind(email.as_str())
            .fetch_one(pool)
            .await)?;
        Ok(u64::try_from(n).unwrap_or(0))
    }
}
