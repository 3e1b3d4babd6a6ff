//! Saved selections of the relation list, per user, and what their read-only address books
//! need: the persons a selection holds, their cards (named by uid), and the log of every
//! person's changes (kept by database triggers on both engines, see `…0005_selections`).

use postkamer_domain::relation::{PersonQuery, SavedSelection};
use postkamer_domain::{CompanyId, OrgId, UserId};
use sqlx::AssertSqlSafe;

use crate::cards::{CardName, CardRecord};
use crate::persons::list::members_condition;
use crate::{Store, StoreError, StoreResult, affected, with_pool};

type SelectionRow = (i64, String, String, Option<i64>, bool, bool, i64);

const SELECTION_COLUMNS: &str = "id, name, search, company_id, synced_only, carddav, created_at";

fn selection(row: SelectionRow) -> SavedSelection {
    let (id, name, search, company, synced_only, carddav, created_at) = row;
    SavedSelection {
        id,
        name,
        search,
        company: company.map(CompanyId),
        synced_only,
        carddav,
        created_at,
    }
}

/// Persons changed after a sequence (every person of the organisation, not only synced ones).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonChanges {
    pub seq: u64,
    /// The uids of the persons changed, added or deleted, each once.
    pub uids: Vec<String>,
}

impl Store {
    /// The user's selections, by name.
    pub async fn selections(&self, org: OrgId, user: UserId) -> StoreResult<Vec<SavedSelection>> {
        let sql = format!(
            "SELECT {SELECTION_COLUMNS} FROM saved_selections \
             WHERE org_id = $1 AND user_id = $2 ORDER BY name, id"
        );
        let rows: Vec<SelectionRow> =
            with_pool!(self, |pool| sqlx::query_as(AssertSqlSafe(sql.as_str()))
                .bind(org.0)
                .bind(user.0)
                .fetch_all(pool)
                .await)?;
        Ok(rows.into_iter().map(selection).collect())
    }

    pub async fn selection(
        &self,
        org: OrgId,
        user: UserId,
        id: i64,
    ) -> StoreResult<Option<SavedSelection>> {
        let sql = format!(
            "SELECT {SELECTION_COLUMNS} FROM saved_selections \
             WHERE org_id = $1 AND user_id = $2 AND id = $3"
        );
        let row: Option<SelectionRow> =
            with_pool!(self, |pool| sqlx::query_as(AssertSqlSafe(sql.as_str()))
                .bind(org.0)
                .bind(user.0)
                .bind(id)
                .fetch_optional(pool)
                .await)?;
        Ok(row.map(selection))
    }

    /// Saves the list's filters under `name` (trimmed and checked by the caller). Fails with
    /// `AlreadyExists("name")` when the user has a selection of that name, and with
    /// `UnknownReference("company")` when the company is not the organisation's.
    pub async fn create_selection(
        &self,
        org: OrgId,
        user: UserId,
        name: &str,
        query: &PersonQuery,
    ) -> StoreResult<SavedSelection> {
        let sql = format!(
            "INSERT INTO saved_selections \
             (org_id, user_id, name, search, company_id, synced_only, created_at) \
             SELECT $1, $2, $3, $4, $5, $6, $7 \
             WHERE $5 IS NULL OR EXISTS (SELECT 1 FROM companies WHERE id = $5 AND org_id = $1) \
             RETURNING {SELECTION_COLUMNS}"
        );
        let row: Option<SelectionRow> =
            with_pool!(self, |pool| sqlx::query_as(AssertSqlSafe(sql.as_str()))
                .bind(org.0)
                .bind(user.0)
                .bind(name)
                .bind(query.search.trim())
                .bind(query.company.map(|c| c.0))
                .bind(query.synced_only)
                .bind(self.now())
                .fetch_optional(pool)
                .await)
            .map_err(|e| match StoreError::from(e) {
                StoreError::AlreadyExists(_) => StoreError::AlreadyExists("name"),
                other => other,
            })?;
        row.map(selection)
            .ok_or(StoreError::UnknownReference("company"))
    }

    pub async fn delete_selection(&self, org: OrgId, user: UserId, id: i64) -> StoreResult<()> {
        let done = with_pool!(self, |pool| sqlx::query(
            "DELETE FROM saved_selections WHERE org_id = $1 AND user_id = $2 AND id = $3",
        )
        .bind(org.0)
        .bind(user.0)
        .bind(id)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?;
        affected(done)
    }

    /// Offers the selection to the user's phones as a read-only address book, or stops.
    pub async fn set_selection_carddav(
        &self,
        org: OrgId,
        user: UserId,
        id: i64,
        carddav: bool,
    ) -> StoreResult<()> {
        let done = with_pool!(self, |pool| sqlx::query(
            "UPDATE saved_selections SET carddav = $1 \
                 WHERE org_id = $2 AND user_id = $3 AND id = $4",
        )
        .bind(carddav)
        .bind(org.0)
        .bind(user.0)
        .bind(id)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?;
        affected(done)
    }

    /// The organisation's person sequence: grows with every change of any person.
    pub async fn person_seq(&self, org: OrgId) -> StoreResult<u64> {
        let seq: Option<i64> = with_pool!(self, |pool| sqlx::query_scalar(
            "SELECT seq FROM person_books WHERE org_id = $1",
        )
        .bind(org.0)
        .fetch_optional(pool)
        .await)?;
        Ok(seq.map_or(0, |s| u64::try_from(s).unwrap_or(0)))
    }

    /// The persons changed after `since`, or `None` when `since` is not a sequence the
    /// organisation reached.
    pub async fn person_changes(
        &self,
        org: OrgId,
        since: u64,
    ) -> StoreResult<Option<PersonChanges>> {
        let since = i64::try_from(since).unwrap_or(i64::MAX);
        let (seq, uids): (Option<(i64, i64)>, Vec<String>) = with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let seq: Option<(i64, i64)> =
                sqlx::query_as("SELECT seq, pruned_seq FROM person_books WHERE org_id = $1")
                    .bind(org.0)
                    .fetch_optional(&mut *tx)
                    .await?;
            let uids = sqlx::query_scalar(
                "SELECT uid FROM person_changes WHERE org_id = $1 AND seq > $2 \
                 GROUP BY uid ORDER BY MIN(seq)",
            )
            .bind(org.0)
            .bind(since)
            .fetch_all(&mut *tx)
            .await?;
            tx.commit().await?;
            (seq, uids)
        });
        let (seq, pruned) = seq.unwrap_or((0, 0));
        // Newer than the book, or older than what the log still holds.
        if since > seq || since < pruned {
            return Ok(None);
        }
        Ok(Some(PersonChanges {
            seq: u64::try_from(seq).unwrap_or(0),
            uids,
        }))
    }

    /// The cards of the selection's members (all, or those with these uids — at most a few
    /// hundred), named by their uid (a read-only book never holds a phone's own name).
    pub async fn selection_cards(
        &self,
        org: OrgId,
        selection: &SavedSelection,
        uids: Option<&[String]>,
    ) -> StoreResult<Vec<CardRecord>> {
        if uids.is_some_and(<[String]>::is_empty) {
            return Ok(Vec::new());
        }
        let (mut condition, mut binds) = members_condition(&selection.query(), 2);
        if let Some(uids) = uids {
            let first = 2 + binds.len();
            let list = (0..uids.len())
                .map(|i| format!("${}", first + i))
                .collect::<Vec<_>>()
                .join(", ");
            // Through the uid index (a plain `p.uid IN` lets the planner walk the
            // organisation's persons instead).
            condition.push_str(&format!(
                " AND p.id IN (SELECT id FROM persons WHERE uid IN ({list}))"
            ));
            binds.extend(uids.iter().cloned());
        }
        self.read_cards(org, CardName::Uid, &condition, &binds)
            .await
    }
}
