//! Relation sync (CardDAV): an organisation's address book is its persons marked
//! `synchroniseren`; database triggers log every change that a phone must see (a synced person
//! edited, marked, unmarked or deleted, its company renamed) with a per-organisation sequence,
//! which sync tokens count. Who syncs, app passwords and devices: [`devices`].

use postkamer_domain::relation::{Address, PhoneKind};
use postkamer_domain::{CompanyId, OrgId, PersonId};
use sqlx::AssertSqlSafe;

mod devices;
mod log;
mod read;

pub use devices::MAX_DEVICES;

use crate::{BeginWrite, Store, StoreResult, affected, with_pool};

/// A synced person as the CardDAV mapping needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardRecord {
    pub person: PersonId,
    /// The card's resource name (the name a phone chose, else the person's uid).
    pub name: String,
    pub uid: String,
    pub first_name: String,
    pub tussenvoegsel: String,
    pub last_name: String,
    pub job_title: String,
    pub company: String,
    /// (address, primary), in order.
    pub emails: Vec<(String, bool)>,
    pub phones: Vec<(String, PhoneKind)>,
    pub address: Address,
    pub notes: String,
    /// The phone's last full vCard.
    pub original: Option<String>,
    pub updated_at: i64,
}

#[derive(sqlx::FromRow)]
struct CardRow {
    id: i64,
    name: String,
    uid: String,
    first_name: Option<String>,
    tussenvoegsel: Option<String>,
    last_name: String,
    job_title: Option<String>,
    company: Option<String>,
    street: String,
    postal_code: String,
    city: String,
    country: String,
    notes: Option<String>,
    card_original: Option<String>,
    updated_at: i64,
    /// `1address` / `0address` per line, in order (see [`CARD_COLUMNS`]).
    emails: Option<String>,
    /// `kind:number` per line, in order.
    phones: Option<String>,
}

/// What changed in an address book after a sequence number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardChanges {
    pub seq: u64,
    /// Card names that are (still) in the book and changed.
    pub changed: Vec<String>,
    /// Card names no longer in the book.
    pub removed: Vec<String>,
}

/// How a book names its cards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CardName {
    /// The name a phone chose, else the uid (the writable book).
    Phone,
    /// The uid (read-only books).
    Uid,
}

impl CardName {
    fn sql(self) -> &'static str {
        match self {
            CardName::Phone => "COALESCE(p.card_name, p.uid)",
            CardName::Uid => "p.uid",
        }
    }
}

/// A synced person with its e-mail addresses and phones aggregated into one row each: with
/// SQLite every row crosses from the database thread to the runtime, so one row per card
/// instead of one per child is what makes a full sync of 10,000 cards fast. Addresses and
/// numbers are validated (no line breaks, no `:` in a phone kind), so a newline separates them.
const CARD_COLUMNS: &str = "p.id, p.uid, p.first_name, \
     p.tussenvoegsel, p.last_name, p.job_title, c.name AS company, p.street, p.postal_code, \
     p.city, p.country, p.notes, p.card_original, p.updated_at, \
     (SELECT string_agg(CASE WHEN e.is_primary THEN '1' ELSE '0' END || e.email, '\n' \
        ORDER BY e.position) FROM person_emails e WHERE e.person_id = p.id) AS emails, \
     (SELECT string_agg(f.kind || ':' || f.number, '\n' ORDER BY f.position) \
        FROM person_phones f WHERE f.person_id = p.id) AS phones";

impl Store {
    /// The book's sequence: grows with every change a sync must see.
    pub async fn card_seq(&self, org: OrgId) -> StoreResult<u64> {
        let seq: Option<i64> = with_pool!(self, |pool| sqlx::query_scalar(
            "SELECT seq FROM card_books WHERE org_id = $1",
        )
        .bind(org.0)
        .fetch_optional(pool)
        .await)?;
        Ok(seq.map_or(0, |s| u64::try_from(s).unwrap_or(0)))
    }

    /// How many persons are marked for sync.
    pub async fn synced_count(&self, org: OrgId) -> StoreResult<u64> {
        let count: i64 = with_pool!(self, |pool| sqlx::query_scalar(
            "SELECT COUNT(*) FROM persons WHERE org_id = $1 AND synchroniseren",
        )
        .bind(org.0)
        .fetch_one(pool)
        .await)?;
        Ok(u64::try_from(count).unwrap_or(0))
    }

    /// The bytes the organisation's address book takes: each card as the phone sent it last,
    /// else an estimate of the CRM's rendering (its fields plus the fixed lines of a vCard).
    pub async fn card_bytes(&self, org: OrgId) -> StoreResult<u64> {
        let bytes: i64 = with_pool!(self, |pool| sqlx::query_scalar(
            "SELECT CAST(COALESCE(SUM(COALESCE(LENGTH(card_original), \
                 LENGTH(uid) + LENGTH(last_name) + COALESCE(LENGTH(first_name), 0) \
                 + COALESCE(LENGTH(tussenvoegsel), 0) + COALESCE(LENGTH(job_title), 0) \
                 + LENGTH(street) + LENGTH(postal_code) + LENGTH(city) + LENGTH(country) \
                 + COALESCE(LENGTH(notes), 0) + COALESCE(LENGTH(primary_email), 0) \
                 + COALESCE(LENGTH(primary_phone), 0) + 160)), 0) AS BIGINT) \
                 FROM persons WHERE org_id = $1 AND synchroniseren",
        )
        .bind(org.0)
        .fetch_one(pool)
        .await)?;
        Ok(u64::try_from(bytes).unwrap_or(0))
    }

    /// The person behind a card name (synced or not) and whether it is synced.
    pub async fn person_by_card(
        &self,
        org: OrgId,
        name: &str,
    ) -> StoreResult<Option<(PersonId, String, bool)>> {
        let row: Option<(i64, String, bool)> = with_pool!(self, |pool| sqlx::query_as(
            "SELECT id, uid, synchroniseren FROM persons \
                 WHERE org_id = $1 AND (card_name = $2 OR (card_name IS NULL AND uid = $2))",
        )
        .bind(org.0)
        .bind(name)
        .fetch_optional(pool)
        .await)?;
        Ok(row.map(|(id, uid, synced)| (PersonId(id), uid, synced)))
    }

    /// The person of the organisation with this uid: its id, the name of its card (the
    /// phone's, else the uid) and whether it is in the book (marked for sync).
    pub async fn person_card_by_uid(
        &self,
        org: OrgId,
        uid: &str,
    ) -> StoreResult<Option<(PersonId, String, bool)>> {
        let row: Option<(i64, Option<String>, bool)> = with_pool!(self, |pool| sqlx::query_as(
            "SELECT id, card_name, synchroniseren FROM persons WHERE org_id = $1 AND uid = $2",
        )
        .bind(org.0)
        .bind(uid)
        .fetch_optional(pool)
        .await)?;
        Ok(row.map(|(id, name, synced)| {
            (PersonId(id), name.unwrap_or_else(|| uid.to_owned()), synced)
        }))
    }

    /// The person with this uid in any organisation (uids are unique in the installation).
    pub async fn person_org_by_uid(&self, uid: &str) -> StoreResult<Option<(OrgId, PersonId)>> {
        let row: Option<(i64, i64)> = with_pool!(self, |pool| sqlx::query_as(
            "SELECT org_id, id FROM persons WHERE uid = $1",
        )
        .bind(uid)
        .fetch_optional(pool)
        .await)?;
        Ok(row.map(|(org, id)| (OrgId(org), PersonId(id))))
    }

    /// Stores what a phone sent beyond the CRM's fields, and marks the person synced.
    pub async fn set_card(
        &self,
        org: OrgId,
        person: PersonId,
        card_name: Option<&str>,
        original: &str,
    ) -> StoreResult<()> {
        let done = with_pool!(self, |pool| sqlx::query(
            "UPDATE persons SET card_name = $1, card_original = $2, synchroniseren = TRUE, \
                 updated_at = $3 WHERE org_id = $4 AND id = $5",
        )
        .bind(card_name)
        .bind(original)
        .bind(self.now())
        .bind(org.0)
        .bind(person.0)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?;
        affected(done)
    }

    /// Gives a person the UID a phone chose for the card it created (`AlreadyExists` when
    /// another person has it).
    pub async fn set_person_uid(&self, org: OrgId, person: PersonId, uid: &str) -> StoreResult<()> {
        let done = with_pool!(self, |pool| sqlx::query(
            "UPDATE persons SET uid = $1 WHERE org_id = $2 AND id = $3",
        )
        .bind(uid)
        .bind(org.0)
        .bind(person.0)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?;
        affected(done)
    }

    /// The organisation's company with exactly this name (ignoring case), if any.
    pub async fn company_by_name(&self, org: OrgId, name: &str) -> StoreResult<Option<CompanyId>> {
        let id: Option<i64> = with_pool!(self, |pool| {
            sqlx::query_scalar(
                "SELECT id FROM companies WHERE org_id = $1 AND lower(name) = lower($2) ORDER BY id LIMIT 1",
            )
            .bind(org.0)
            .bind(name)
            .fetch_optional(pool)
            .await
        })?;
        Ok(id.map(CompanyId))
    }

    /// Marks or unmarks persons for sync (list, detail page, bulk, a delete on a phone).
    pub async fn set_synced(
        &self,
        org: OrgId,
        persons: &[PersonId],
        synced: bool,
    ) -> StoreResult<u64> {
        let mut done = 0;
        with_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            // In chunks, so a selection of any size stays a short statement.
            for chunk in persons.chunks(500) {
                let ids = chunk
                    .iter()
                    .map(|p| p.0.to_string())
                    .collect::<Vec<_>>()
                    .join(",");
                let sql = format!(
                    "UPDATE persons SET synchroniseren = $1, updated_at = $2 \
                     WHERE org_id = $3 AND synchroniseren <> $1 AND id IN ({ids})"
                );
                done += sqlx::query(AssertSqlSafe(sql.as_str()))
                    .bind(synced)
                    .bind(self.now())
                    .bind(org.0)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            }
            tx.commit().await?;
        });
        Ok(done)
    }
}
