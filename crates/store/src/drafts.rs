//! Drafts (Concepten) and their files: a user's own, saved as they type. A draft that is being
//! sent (its message waits or goes in the outbox) is not changed; one whose sending was undone,
//! refused or given up is a draft again. Once its message is sent the draft goes (see
//! [`Store::finish_sending`]).

use postkamer_domain::mail::draft::{DraftAddress, DraftFile, DraftInput, DraftSummary};
use postkamer_domain::{
    DraftFileId, DraftId, MessageId, OrgId, OutboxId, Page, PageRequest, TemplateId, UserId,
};

use crate::sql::Statement;
use crate::{Store, StoreError, StoreResult};

/// A draft as it starts: its content, and what it answers or forwards.
#[derive(Debug, Clone, Default)]
pub struct NewDraft {
    pub content: DraftInput,
    pub reply_of: Option<MessageId>,
    pub forward_of: Option<MessageId>,
    /// The Message-ID (without angle brackets) it answers, and the conversation's before it.
    pub in_reply_to: Option<String>,
    pub references: Vec<String>,
}

/// A stored draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftRecord {
    pub id: DraftId,
    pub content: DraftInput,
    pub reply_of: Option<MessageId>,
    pub forward_of: Option<MessageId>,
    pub in_reply_to: Option<String>,
    pub references: Vec<String>,
    /// Its message in the outbox while that waits or goes (not once sending was undone, refused
    /// or given up: then it is a draft again).
    pub sending: Option<OutboxId>,
    pub files: Vec<DraftFile>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// `d` can be edited: never sent, or its sending undone, refused or given up.
pub(crate) const EDITABLE: &str = "(d.outbox_id IS NULL OR EXISTS (SELECT 1 FROM outbox eo \
     WHERE eo.id = d.outbox_id AND (eo.state IN ('geannuleerd', 'geweigerd') \
       OR (eo.state = 'mislukt' AND eo.retry_at IS NULL))))";

fn addresses_json(list: &[DraftAddress]) -> String {
    serde_json::to_string(list).unwrap_or_else(|_| "[]".to_owned())
}

#[derive(sqlx::FromRow)]
struct DraftRow {
    id: i64,
    to_list: String,
    cc_list: String,
    bcc_list: String,
    subject: String,
    body: String,
    template_id: Option<i64>,
    reply_of: Option<i64>,
    forward_of: Option<i64>,
    in_reply_to: Option<String>,
    refs: String,
    editable: bool,
    outbox_id: Option<i64>,
    created_at: i64,
    updated_at: i64,
}

fn column_list(id: i64, what: &str, json: &str) -> StoreResult<Vec<DraftAddress>> {
    serde_json::from_str(json).map_err(|e| StoreError::Corrupt(format!("draft {id} {what}: {e}")))
}

#[derive(sqlx::FromRow)]
struct FileRow {
    id: i64,
    name: String,
    content_type: String,
    size: i64,
}

impl From<FileRow> for DraftFile {
    fn from(row: FileRow) -> DraftFile {
        DraftFile {
            id: DraftFileId(row.id),
            name: row.name,
            content_type: row.content_type,
            size: u64::try_from(row.size).unwrap_or_default(),
        }
    }
}

impl Store {
    pub async fn create_draft(
        &self,
        org: OrgId,
        user: UserId,
        new: &NewDraft,
    ) -> StoreResult<DraftId> {
        let now = self.now();
        let c = &new.content;
        let (id,): (i64,) = self
            .fetch_optional(
                Statement::new(
                    "INSERT INTO drafts (org_id, user_id, to_list, cc_list, bcc_list, subject, body, \
                       template_id, reply_of, forward_of, in_reply_to, refs, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id",
                )
                .bind(org.0)
                .bind(user.0)
                .bind(addresses_json(&c.to))
                .bind(addresses_json(&c.cc))
                .bind(addresses_json(&c.bcc))
                .bind(c.subject.as_str())
                .bind(c.body.as_str())
                .bind(c.template.map(|t| t.0))
                .bind(new.reply_of.map(|m| m.0))
                .bind(new.forward_of.map(|m| m.0))
                .bind(new.in_reply_to.as_deref())
                .bind(new.references.join(" "))
                .bind(now),
            )
            .await?
            .ok_or_else(|| StoreError::Corrupt("a new draft has no id".into()))?;
        Ok(DraftId(id))
    }

    /// Saves what the compose window holds; `false` when the draft is being sent (its message
    /// waits or goes: undo sending first). Saving a draft whose sending was undone or failed
    /// makes it a plain draft again.
    pub async fn save_draft(
        &self,
        org: OrgId,
        user: UserId,
        id: DraftId,
        content: &DraftInput,
    ) -> StoreResult<bool> {
        self.draft(org, user, id).await?;
        let sql = format!(
            "UPDATE drafts SET to_list = $4, cc_list = $5, bcc_list = $6, subject = $7, body = $8, \
               template_id = $9, outbox_id = NULL, updated_at = $10 \
             WHERE id = $1 AND org_id = $2 AND user_id = $3 AND id IN \
               (SELECT d.id FROM drafts d WHERE d.id = $1 AND {EDITABLE})"
        );
        let changed = self
            .execute(
                Statement::new(sql)
                    .bind(id.0)
                    .bind(org.0)
                    .bind(user.0)
                    .bind(addresses_json(&content.to))
                    .bind(addresses_json(&content.cc))
                    .bind(addresses_json(&content.bcc))
                    .bind(content.subject.as_str())
                    .bind(content.body.as_str())
                    .bind(content.template.map(|t| t.0))
                    .bind(self.now()),
            )
            .await?;
        Ok(changed == 1)
    }

    /// One draft of the user, with its files (`NotFound` for anyone else's).
    pub async fn draft(&self, org: OrgId, user: UserId, id: DraftId) -> StoreResult<DraftRecord> {
        let sql = format!(
            "SELECT d.id, d.to_list, d.cc_list, d.bcc_list, d.subject, d.body, d.template_id, \
               d.reply_of, d.forward_of, d.in_reply_to, d.refs, {EDITABLE} AS editable, d.outbox_id, \
               d.created_at, d.updated_at \
             FROM drafts d WHERE d.id = $1 AND d.org_id = $2 AND d.user_id = $3"
        );
        let row: DraftRow = self
            .fetch_optional(Statement::new(sql).bind(id.0).bind(org.0).bind(user.0))
            .await?
            .ok_or(StoreError::NotFound)?;
        let files: Vec<FileRow> = self
            .fetch_all(
                Statement::new(
                    "SELECT id, name, content_type, size FROM draft_files WHERE draft_id = $1 ORDER BY id",
                )
                .bind(id.0),
            )
            .await?;
        Ok(DraftRecord {
            id: DraftId(row.id),
            content: DraftInput {
                to: column_list(row.id, "to", &row.to_list)?,
                cc: column_list(row.id, "cc", &row.cc_list)?,
                bcc: column_list(row.id, "bcc", &row.bcc_list)?,
                subject: row.subject,
                body: row.body,
                template: row.template_id.map(TemplateId),
            },
            reply_of: row.reply_of.map(MessageId),
            forward_of: row.forward_of.map(MessageId),
            in_reply_to: row.in_reply_to,
            references: row.refs.split_whitespace().map(str::to_owned).collect(),
            sending: row.outbox_id.filter(|_| !row.editable).map(OutboxId),
            files: files.into_iter().map(DraftFile::from).collect(),
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }

    /// Concepten: the user's drafts that are not being sent, last changed first.
    pub async fn drafts(
        &self,
        org: OrgId,
        user: UserId,
        page: PageRequest,
    ) -> StoreResult<Page<DraftSummary>> {
        let filter = format!("d.org_id = $1 AND d.user_id = $2 AND {EDITABLE}");
        let (total,): (i64,) = self
            .fetch_optional(
                Statement::new(format!(
                    "SELECT CAST(COUNT(*) AS BIGINT) FROM drafts d WHERE {filter}"
                ))
                .bind(org.0)
                .bind(user.0),
            )
            .await?
            .unwrap_or((0,));
        type Row = (i64, String, String, String, String, i64, i64);
        let rows: Vec<Row> = self
            .fetch_all(
                Statement::new(format!(
                    "SELECT d.id, d.subject, d.to_list, d.cc_list, d.bcc_list, d.updated_at, \
                       (SELECT CAST(COUNT(*) AS BIGINT) FROM draft_files f WHERE f.draft_id = d.id) \
                     FROM drafts d WHERE {filter} ORDER BY d.updated_at DESC, d.id DESC \
                     LIMIT $3 OFFSET $4"
                ))
                .bind(org.0)
                .bind(user.0)
                .bind(page.limit())
                .bind(page.offset()),
            )
            .await?;
        let mut items = Vec::with_capacity(rows.len());
        for (id, subject, to, cc, bcc, updated_at, files) in rows {
            let to = column_list(id, "to", &to)?;
            let count =
                to.len() + column_list(id, "cc", &cc)?.len() + column_list(id, "bcc", &bcc)?.len();
            items.push(DraftSummary {
                id: DraftId(id),
                subject,
                to: to.into_iter().next(),
                recipients: u32::try_from(count).unwrap_or(u32::MAX),
                files: u32::try_from(files).unwrap_or(u32::MAX),
                updated_at,
            });
        }
        Ok(Page {
            items,
            page: page.page,
            per_page: page.per_page,
            total: u64::try_from(total).unwrap_or_default(),
        })
    }

    /// Deletes a draft that is not being sent; `false` when there is none such.
    pub async fn delete_draft(&self, org: OrgId, user: UserId, id: DraftId) -> StoreResult<bool> {
        let sql = format!(
            "DELETE FROM drafts WHERE id IN (SELECT d.id FROM drafts d \
               WHERE d.id = $1 AND d.org_id = $2 AND d.user_id = $3 AND {EDITABLE})"
        );
        let gone = self
            .execute(Statement::new(sql).bind(id.0).bind(org.0).bind(user.0))
            .await?;
        Ok(gone == 1)
    }

    /// The bytes of a draft's files so far.
    pub async fn draft_files_size(&self, draft: DraftId) -> StoreResult<u64> {
        let (size,): (i64,) = self
            .fetch_optional(
                Statement::new(
                    "SELECT CAST(COALESCE(SUM(size), 0) AS BIGINT) FROM draft_files WHERE draft_id = $1",
                )
                .bind(draft.0),
            )
            .await?
            .unwrap_or((0,));
        Ok(u64::try_from(size).unwrap_or_default())
    }

    /// Attaches a file to a draft of the user (checked by the caller: the draft is theirs and
    /// editable, the size within the limit).
    pub async fn add_draft_file(
        &self,
        draft: DraftId,
        name: &str,
        content_type: &str,
        bytes: &[u8],
    ) -> StoreResult<DraftFile> {
        let size = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
        let now = self.now();
        let mut tx = self.begin().await?;
        let (id,): (i64,) = tx
            .fetch_optional(
                Statement::new(
                    "INSERT INTO draft_files (draft_id, name, content_type, size, bytes, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                )
                .bind(draft.0)
                .bind(name)
                .bind(content_type)
                .bind(size)
                .bind(bytes)
                .bind(now),
            )
            .await?
            .ok_or_else(|| StoreError::Corrupt("a new file has no id".into()))?;
        let touch = Statement::new("UPDATE drafts SET updated_at = $1 WHERE id = $2");
        tx.execute(touch.bind(now).bind(draft.0)).await?;
        tx.commit().await?;
        Ok(DraftFile {
            id: DraftFileId(id),
            name: name.to_owned(),
            content_type: content_type.to_owned(),
            size: u64::try_from(size).unwrap_or_default(),
        })
    }

    pub async fn remove_draft_file(&self, draft: DraftId, file: DraftFileId) -> StoreResult<bool> {
        let gone = self
            .execute(
                Statement::new("DELETE FROM draft_files WHERE id = $1 AND draft_id = $2")
                    .bind(file.0)
                    .bind(draft.0),
            )
            .await?;
        Ok(gone == 1)
    }

    /// A draft's files with their bytes, in the order they were added; one only with `file`.
    pub async fn draft_file_bytes(
        &self,
        draft: DraftId,
        file: Option<DraftFileId>,
    ) -> StoreResult<Vec<(DraftFile, Vec<u8>)>> {
        type Row = (i64, String, String, i64, Vec<u8>);
        let rows: Vec<Row> = self
            .fetch_all(
                Statement::new(
                    "SELECT id, name, content_type, size, bytes FROM draft_files \
                     WHERE draft_id = $1 AND ($2 IS NULL OR id = $2) ORDER BY id",
                )
                .bind(draft.0)
                .bind(file.map(|f| f.0)),
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(|(id, name, content_type, size, bytes)| {
                let file = FileRow {
                    id,
                    name,
                    content_type,
                    size,
                };
                (file.into(), bytes)
            })
            .collect())
    }
}
