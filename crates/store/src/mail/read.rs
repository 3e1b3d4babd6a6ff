//! Reading mail, always as a viewer: a user's folders, a relation's timeline, one message, its
//! conversation, and the counts the UI shows.

use crate::search::fold;
use crate::{Engine, Store, StoreResult, with_pool};
use postkamer_domain::mail::{AddressKind, LinkedPerson, MailAddress, MessageSummary};
use postkamer_domain::mail::{MessageQuery, TimelineOf};
use postkamer_domain::relation::display_name;
use postkamer_domain::{MessageId, OrgId, Page, PageRequest, PersonId, UserId};
use sqlx::AssertSqlSafe;
use std::collections::HashMap;

/// `a.email`, an address row of a message, is one of the organisation's own: a user's login,
/// an IMAP login, or an address at one of its sending domains. Such an address never links a
/// message to a relation, whatever a contact person lists.
fn own_address(a: &str) -> String {
    format!(
        "(EXISTS (SELECT 1 FROM users ou WHERE ou.org_id = {a}.org_id AND ou.email = {a}.email) \
         OR EXISTS (SELECT 1 FROM mailboxes omb WHERE omb.org_id = {a}.org_id AND lower(omb.login) = {a}.email) \
         OR EXISTS (SELECT 1 FROM sending_domains osd WHERE osd.org_id = {a}.org_id \
                    AND {a}.email LIKE '%@' || osd.domain))"
    )
}

/// `a` is a counterparty of its message: in From, To, Cc or Reply-To, and not the
/// organisation's own address.
pub(super) fn counterparty(a: &str) -> String {
    format!("{a}.kind <> 'bcc' AND NOT {}", own_address(a))
}

/// The viewer (`$2`) has message `m` in one of their own folders.
pub(super) fn owned(m: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM mail_locations ol JOIN mail_folders ofo ON ofo.id = ol.folder_id \
                 JOIN mailboxes omb ON omb.id = ofo.mailbox_id \
                 WHERE ol.message_id = {m}.id AND omb.user_id = $2)"
    )
}

/// The viewer may see message `m`: they own this copy, or it is linked to a relation of the
/// organisation through its counterparty and no owner of the copy marked it private.
/// Parameters: `$1` org, `$2` viewer.
pub(super) fn visible(m: &str) -> String {
    format!(
        "{m}.org_id = $1 AND ({} \
         OR (NOT EXISTS (SELECT 1 FROM private_messages pm WHERE pm.message_id = {m}.id) \
             AND EXISTS (SELECT 1 FROM message_addresses la JOIN person_emails lpe \
                           ON lpe.org_id = la.org_id AND lpe.email = la.email \
                         WHERE la.message_id = {m}.id AND {})))",
        owned(m),
        counterparty("la")
    )
}

/// The copies of one message that read alike (see the mail engine's display key); rows from
/// before the key existed stand alone.
pub(super) fn copy_group(m: &str) -> String {
    format!("COALESCE({m}.display_key, {m}.dedupe_key)")
}

/// Of the visible copies `v` that `condition` selects, one per message: the viewer's own copy
/// when they have one, else the oldest row.
pub(super) fn one_copy_each(condition: &str) -> String {
    format!(
        "SELECT COALESCE(MIN(CASE WHEN {owned} THEN v.id END), MIN(v.id)) FROM messages v \
         WHERE {condition} AND {visible} GROUP BY {group}",
        owned = owned("v"),
        visible = visible("v"),
        group = copy_group("v"),
    )
}

/// The viewer's own copy's flags and folder (NULL when they have none). `$2` is the viewer.
pub(super) const OWN_COLUMNS: &str = "\
    (SELECT ol.seen FROM mail_locations ol JOIN mail_folders ofo ON ofo.id = ol.folder_id \
       JOIN mailboxes omb ON omb.id = ofo.mailbox_id \
     WHERE ol.message_id = m.id AND omb.user_id = $2 ORDER BY ofo.role LIMIT 1) AS own_seen, \
    (SELECT ol.flagged FROM mail_locations ol JOIN mail_folders ofo ON ofo.id = ol.folder_id \
       JOIN mailboxes omb ON omb.id = ofo.mailbox_id \
     WHERE ol.message_id = m.id AND omb.user_id = $2 ORDER BY ofo.role LIMIT 1) AS own_flagged, \
    (SELECT ofo.role FROM mail_locations ol JOIN mail_folders ofo ON ofo.id = ol.folder_id \
       JOIN mailboxes omb ON omb.id = ofo.mailbox_id \
     WHERE ol.message_id = m.id AND omb.user_id = $2 ORDER BY ofo.role LIMIT 1) AS own_role";

/// A summary's columns; `private` is the viewer's (`$2`) own mark on the copy (colleagues never
/// see a copy marked private).
pub(super) const SUMMARY_COLUMNS: &str = "m.id, m.subject, m.from_email, m.from_name, m.sort_at, m.snippet, \
    m.attachment_count, \
    EXISTS (SELECT 1 FROM private_messages pm WHERE pm.message_id = m.id AND pm.user_id = $2) AS private";

#[derive(sqlx::FromRow)]
pub(super) struct SummaryRow {
    id: i64,
    subject: String,
    from_email: Option<String>,
    from_name: Option<String>,
    sort_at: i64,
    snippet: String,
    attachment_count: i64,
    private: bool,
    own_seen: Option<bool>,
    own_flagged: Option<bool>,
    own_role: Option<String>,
}

impl SummaryRow {
    pub(super) fn into_summary(self) -> MessageSummary {
        MessageSummary {
            id: MessageId(self.id),
            subject: self.subject,
            from: self.from_email.map(|email| MailAddress {
                kind: AddressKind::From,
                email,
                name: self.from_name,
            }),
            date: self.sort_at,
            snippet: self.snippet,
            has_attachments: self.attachment_count > 0,
            seen: self.own_seen,
            flagged: self.own_flagged,
            private: self.private,
            folder: self.own_role.and_then(|r| r.parse().ok()),
            relations: Vec::new(),
        }
    }
}

/// A search as the full-text engine's query: every word must match, by prefix. `None` when
/// the search has no words.
fn fts_condition(engine: Engine, search: &str, param: usize) -> Option<(String, String)> {
    let words: Vec<String> = fold(search)
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(8)
        .map(|w| w.chars().take(64).collect())
        .collect();
    if words.is_empty() {
        return None;
    }
    Some(match engine {
        Engine::Sqlite => (
            format!("m.id IN (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ${param})"),
            words
                .iter()
                .map(|w| format!("\"{w}\"*"))
                .collect::<Vec<_>>()
                .join(" "),
        ),
        Engine::Postgres => (
            format!("m.search @@ to_tsquery('simple', ${param})"),
            words
                .iter()
                .map(|w| format!("{w}:*"))
                .collect::<Vec<_>>()
                .join(" & "),
        ),
    })
}

impl Store {
    /// A page of the viewer's own folder (Postvak IN, Verzonden, Prullenbak), newest first.
    pub async fn list_messages(
        &self,
        org: OrgId,
        viewer: UserId,
        query: &MessageQuery,
    ) -> StoreResult<Page<MessageSummary>> {
        let page = query.page;
        // The folder first: the list then walks the (folder_id, sort_at, uid) index and stops
        // after one page.
        let folder: Option<i64> = with_pool!(self, |pool| sqlx::query_scalar(
            "SELECT f.id FROM mail_folders f JOIN mailboxes b ON b.id = f.mailbox_id \
                 WHERE b.org_id = $1 AND b.user_id = $2 AND f.role = $3",
        )
        .bind(org.0)
        .bind(viewer.0)
        .bind(query.folder.as_str())
        .fetch_optional(pool)
        .await)?;
        let Some(folder) = folder else {
            return Ok(Page {
                items: Vec::new(),
                page: page.page,
                per_page: page.per_page,
                total: 0,
            });
        };
        let fts = fts_condition(self.engine(), &query.search, 4);
        let filter = fts
            .as_ref()
            .map(|(c, _)| format!("AND {c}"))
            .unwrap_or_default();
        let list_sql = format!(
            "SELECT {SUMMARY_COLUMNS}, l.seen AS own_seen, l.flagged AS own_flagged, $3 AS own_role \
             FROM mail_locations l JOIN messages m ON m.id = l.message_id \
             WHERE l.folder_id = $1 {filter} ORDER BY l.sort_at DESC, l.uid DESC LIMIT {} OFFSET {}",
            page.limit(),
            page.offset()
        );
        let count_sql = match fts_condition(self.engine(), &query.search, 2) {
            Some((condition, _)) => format!(
                "SELECT COUNT(*) FROM mail_locations l JOIN messages m ON m.id = l.message_id \
                 WHERE l.folder_id = $1 AND {condition}"
            ),
            None => "SELECT COUNT(*) FROM mail_locations l WHERE l.folder_id = $1".to_owned(),
        };
        let (rows, total): (Vec<SummaryRow>, i64) = with_pool!(self, |pool| {
            let mut list = sqlx::query_as::<_, SummaryRow>(AssertSqlSafe(list_sql))
                .bind(folder)
                .bind(viewer.0)
                .bind(query.folder.as_str());
            let mut count = sqlx::query_scalar::<_, i64>(AssertSqlSafe(count_sql)).bind(folder);
            if let Some((_, q)) = &fts {
                list = list.bind(q.clone());
                count = count.bind(q.clone());
            }
            (list.fetch_all(pool).await?, count.fetch_one(pool).await?)
        });
        self.summaries_page(org, rows, page, total).await
    }

    /// The mail of a contact person or company the viewer may see, newest first.
    pub async fn timeline(
        &self,
        org: OrgId,
        viewer: UserId,
        of: TimelineOf,
        page: PageRequest,
    ) -> StoreResult<Page<MessageSummary>> {
        let persons = match of {
            TimelineOf::Person(_) => "lpe2.person_id = $3",
            TimelineOf::Company(_) => {
                "lpe2.person_id IN (SELECT id FROM persons WHERE org_id = $1 AND company_id = $3)"
            }
        };
        let subject_id = match of {
            TimelineOf::Person(p) => p.0,
            TimelineOf::Company(c) => c.0,
        };
        let linked = format!(
            "v.org_id = $1 AND v.id IN (SELECT la2.message_id FROM message_addresses la2 \
               JOIN person_emails lpe2 ON lpe2.org_id = la2.org_id AND lpe2.email = la2.email \
               WHERE la2.org_id = $1 AND {} AND {persons})",
            counterparty("la2")
        );
        let from = format!("FROM messages m WHERE m.id IN ({})", one_copy_each(&linked));
        let list_sql = format!(
            "SELECT {SUMMARY_COLUMNS}, {OWN_COLUMNS} {from} ORDER BY m.sort_at DESC, m.id DESC LIMIT {} OFFSET {}",
            page.limit(),
            page.offset()
        );
        let count_sql = format!("SELECT COUNT(*) {from}");
        let (rows, total): (Vec<SummaryRow>, i64) = with_pool!(self, |pool| (
            sqlx::query_as(AssertSqlSafe(list_sql))
                .bind(org.0)
                .bind(viewer.0)
                .bind(subject_id)
                .fetch_all(pool)
                .await?,
            sqlx::query_scalar(AssertSqlSafe(count_sql))
                .bind(org.0)
                .bind(viewer.0)
                .bind(subject_id)
                .fetch_one(pool)
                .await?,
        ));
        self.summaries_page(org, rows, page, total).await
    }

    pub(super) async fn summaries_page(
        &self,
        org: OrgId,
        rows: Vec<SummaryRow>,
        page: PageRequest,
        total: i64,
    ) -> StoreResult<Page<MessageSummary>> {
        let mut items: Vec<MessageSummary> =
            rows.into_iter().map(SummaryRow::into_summary).collect();
        let ids: Vec<MessageId> = items.iter().map(|m| m.id).collect();
        let mut relations = self.linked_persons(org, &ids).await?;
        for item in &mut items {
            item.relations = relations.remove(&item.id).unwrap_or_default();
        }
        Ok(Page {
            items,
            page: page.page,
            per_page: page.per_page,
            total: u64::try_from(total).unwrap_or(0),
        })
    }

    /// The contact persons each message is linked to, by name.
    pub async fn linked_persons(
        &self,
        org: OrgId,
        messages: &[MessageId],
    ) -> StoreResult<HashMap<MessageId, Vec<LinkedPerson>>> {
        let mut out: HashMap<MessageId, Vec<LinkedPerson>> = HashMap::new();
        if messages.is_empty() {
            return Ok(out);
        }
        let placeholders = (0..messages.len())
            .map(|i| format!("${}", i + 2))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT ma.message_id, p.id, p.first_name, p.tussenvoegsel, p.last_name, ma.email, c.id, c.name \
             FROM message_addresses ma \
             JOIN person_emails pe ON pe.org_id = ma.org_id AND pe.email = ma.email \
             JOIN persons p ON p.id = pe.person_id \
             LEFT JOIN companies c ON c.id = p.company_id \
             WHERE ma.org_id = $1 AND {} AND ma.message_id IN ({placeholders}) \
             ORDER BY ma.message_id, ma.kind, ma.position",
            counterparty("ma")
        );
        type Row = (
            i64,
            i64,
            Option<String>,
            Option<String>,
            String,
            String,
            Option<i64>,
            Option<String>,
        );
        let rows: Vec<Row> = with_pool!(self, |pool| {
            let mut q = sqlx::query_as(AssertSqlSafe(sql)).bind(org.0);
            for id in messages {
                q = q.bind(id.0);
            }
            q.fetch_all(pool).await?
        });
        for (message, person, first, tussen, last, email, company_id, company_name) in rows {
            let list = out.entry(MessageId(message)).or_default();
            if list.iter().any(|p| p.id.0 == person) {
                continue;
            }
            list.push(LinkedPerson {
                id: PersonId(person),
                display_name: display_name(first.as_deref(), tussen.as_deref(), &last),
                email,
                company: crate::persons::company_ref(company_id, company_name),
            });
        }
        Ok(out)
    }
}
