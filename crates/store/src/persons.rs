//! Contact persons (contactpersonen), their e-mail addresses and phone numbers.

pub(crate) mod list;

use crate::BeginWrite;
use crate::search::{Tokens, fold, multi_insert};
use crate::{Store, StoreError, StoreResult, now_millis, with_pool};
use postkamer_domain::relation::{
    Address, CompanyRef, Person, PersonEmail, PersonSort, PersonSummary, Phone, PhoneKind,
    ValidPerson, display_name,
};
use postkamer_domain::{CompanyId, EmailAddress, OrgId, Page, PageRequest, PersonId, SortDir};
use sqlx::AssertSqlSafe;
use std::future::Future;

/// What to list: a search over name, e-mail, company and phone, optionally within one company
/// and to the persons marked for sync.
#[derive(Debug, Clone, Default)]
pub struct PersonQuery {
    pub search: String,
    pub company: Option<CompanyId>,
    /// Only the persons marked `synchroniseren` (the phones' address book).
    pub synced_only: bool,
    pub sort: PersonSort,
    pub dir: SortDir,
    pub page: PageRequest,
}

pub trait Persons: Send + Sync {
    /// Fails with `UnknownReference("company")` when the company is not the organisation's.
    fn create_person(
        &self,
        org: OrgId,
        person: &ValidPerson,
    ) -> impl Future<Output = StoreResult<Person>> + Send;
    fn person(&self, org: OrgId, id: PersonId) -> impl Future<Output = StoreResult<Person>> + Send;
    fn update_person(
        &self,
        org: OrgId,
        id: PersonId,
        person: &ValidPerson,
    ) -> impl Future<Output = StoreResult<Person>> + Send;
    fn delete_person(
        &self,
        org: OrgId,
        id: PersonId,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    fn list_persons(
        &self,
        org: OrgId,
        query: &PersonQuery,
    ) -> impl Future<Output = StoreResult<Page<PersonSummary>>> + Send;
    /// The contact persons with this address: one indexed lookup, called for every address of
    /// every message by the mail engine.
    fn persons_by_email(
        &self,
        org: OrgId,
        email: &EmailAddress,
    ) -> impl Future<Output = StoreResult<Vec<PersonId>>> + Send;
}

#[derive(sqlx::FromRow)]
struct PersonRow {
    id: i64,
    uid: String,
    first_name: Option<String>,
    tussenvoegsel: Option<String>,
    last_name: String,
    job_title: Option<String>,
    street: String,
    postal_code: String,
    city: String,
    country: String,
    notes: Option<String>,
    company_id: Option<i64>,
    company_name: Option<String>,
    synchroniseren: bool,
    created_at: i64,
    updated_at: i64,
}

pub(crate) fn company_ref(id: Option<i64>, name: Option<String>) -> Option<CompanyRef> {
    Some(CompanyRef {
        id: CompanyId(id?),
        name: name.unwrap_or_default(),
    })
}

/// Dutch phone-book order: last name first, the tussenvoegsel last ("berg jan van der").
fn sort_name(p: &ValidPerson) -> String {
    let parts = [
        Some(p.last_name.as_str()),
        p.first_name.as_deref(),
        p.tussenvoegsel.as_deref(),
    ];
    fold(&parts.into_iter().flatten().collect::<Vec<_>>().join(" "))
}

fn tokens(p: &ValidPerson) -> Vec<String> {
    let mut t = Tokens::default();
    t.words(&p.last_name);
    p.first_name.iter().for_each(|n| {
        t.words(n);
    });
    p.tussenvoegsel.iter().for_each(|n| {
        t.words(n);
    });
    p.emails.iter().for_each(|e| {
        t.address(e.address.as_str());
    });
    p.phones.iter().for_each(|ph| {
        t.phone(&ph.number);
    });
    t.into_vec()
}

/// Checks the company reference, then writes the person's e-mail addresses, phones and search
/// tokens inside the open transaction `$tx`.
macro_rules! write_children {
    ($tx:ident, $org:expr, $id:expr, $p:expr) => {{
        let emails = &$p.emails;
        if !emails.is_empty() {
            let sql = multi_insert(
                "person_emails (person_id, org_id, position, email, is_primary)",
                5,
                emails.len(),
            );
            let mut q = sqlx::query(AssertSqlSafe(sql.as_str()));
            for (pos, e) in emails.iter().enumerate() {
                q = q
                    .bind($id)
                    .bind($org.0)
                    .bind(i64::try_from(pos).unwrap_or(0))
                    .bind(e.address.as_str())
                    .bind(e.primary);
            }
            q.execute(&mut *$tx).await?;
        }
        let phones = &$p.phones;
        if !phones.is_empty() {
            let sql = multi_insert(
                "person_phones (person_id, position, number, kind)",
                4,
                phones.len(),
            );
            let mut q = sqlx::query(AssertSqlSafe(sql.as_str()));
            for (pos, ph) in phones.iter().enumerate() {
                q = q
                    .bind($id)
                    .bind(i64::try_from(pos).unwrap_or(0))
                    .bind(ph.number.as_str())
                    .bind(ph.kind.as_str());
            }
            q.execute(&mut *$tx).await?;
        }
        let tokens = tokens($p);
        if !tokens.is_empty() {
            let sql = multi_insert("person_tokens (person_id, org_id, token)", 3, tokens.len());
            let mut q = sqlx::query(AssertSqlSafe(sql.as_str()));
            for t in &tokens {
                q = q.bind($id).bind($org.0).bind(t.as_str());
            }
            q.execute(&mut *$tx).await?;
        }
    }};
}

/// Fails the surrounding function with `UnknownReference` when the company is not `$org`'s.
macro_rules! check_company {
    ($tx:ident, $org:expr, $company:expr) => {
        if let Some(company) = $company {
            let found: Option<i64> =
                sqlx::query_scalar("SELECT id FROM companies WHERE org_id = $1 AND id = $2")
                    .bind($org.0)
                    .bind(company.0)
                    .fetch_optional(&mut *$tx)
                    .await?;
            if found.is_none() {
                return Err(StoreError::UnknownReference("company"));
            }
        }
    };
}

/// Binds the person's columns `$3`..`$18`, in the order INSERT and UPDATE share.
macro_rules! bind_person {
    ($query:expr, $p:expr) => {
        $query
            .bind($p.company_id.map(|c| c.0))
            .bind(&$p.first_name)
            .bind(&$p.tussenvoegsel)
            .bind(&$p.last_name)
            .bind(sort_name($p))
            .bind(&$p.job_title)
            .bind(&$p.address.street)
            .bind(&$p.address.postal_code)
            .bind(&$p.address.city)
            .bind(fold(&$p.address.city))
            .bind(&$p.address.country)
            .bind(&$p.notes)
            .bind($p.primary_email().map(EmailAddress::as_str))
            .bind($p.phones.first().map(|ph| ph.number.as_str()))
            .bind($p.synchroniseren)
            .bind(now_millis())
    };
}

const PERSON_INSERT: &str = "INSERT INTO persons (org_id, uid, company_id, first_name, tussenvoegsel, \
    last_name, sort_name, job_title, street, postal_code, city, sort_city, country, notes, \
    primary_email, primary_phone, synchroniseren, created_at, updated_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $18) \
    RETURNING id";

const PERSON_UPDATE: &str = "UPDATE persons SET company_id = $3, first_name = $4, tussenvoegsel = $5, \
    last_name = $6, sort_name = $7, job_title = $8, street = $9, postal_code = $10, city = $11, \
    sort_city = $12, country = $13, notes = $14, primary_email = $15, primary_phone = $16, \
    synchroniseren = $17, updated_at = $18 WHERE org_id = $1 AND id = $2";

impl Persons for Store {
    async fn create_person(&self, org: OrgId, p: &ValidPerson) -> StoreResult<Person> {
        let uid = uuid::Uuid::new_v4().to_string();
        let id = with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            check_company!(tx, org, p.company_id);
            let insert = sqlx::query_scalar(PERSON_INSERT).bind(org.0).bind(&uid);
            let id: i64 = bind_person!(insert, p)
                .fetch_one(&mut *tx)
                .await?;
            write_children!(tx, org, id, p);
            tx.commit().await?;
            id
        });
        self.person(org, PersonId(id)).await
    }

    async fn person(&self, org: OrgId, id: PersonId) -> StoreResult<Person> {
        let sql = "SELECT p.id, p.uid, p.first_name, p.tussenvoegsel, p.last_name, p.job_title, p.street, \
                   p.postal_code, p.city, p.country, p.notes, p.company_id, c.name AS company_name, \
                   p.synchroniseren, p.created_at, p.updated_at \
                   FROM persons p LEFT JOIN companies c ON c.id = p.company_id \
                   WHERE p.org_id = $1 AND p.id = $2";
        let emails_sql =
            "SELECT email, is_primary FROM person_emails WHERE person_id = $1 ORDER BY position";
        let phones_sql =
            "SELECT number, kind FROM person_phones WHERE person_id = $1 ORDER BY position";
        type Rows = (PersonRow, Vec<(String, bool)>, Vec<(String, String)>);
        let (row, emails, phones): Rows = with_pool!(self, pool => {
            let row: PersonRow = sqlx::query_as(sql).bind(org.0).bind(id.0).fetch_one(pool).await?;
            let emails = sqlx::query_as(emails_sql).bind(id.0).fetch_all(pool).await?;
            let phones = sqlx::query_as(phones_sql).bind(id.0).fetch_all(pool).await?;
            (row, emails, phones)
        });
        let emails = emails
            .into_iter()
            .map(|(address, primary)| {
                EmailAddress::parse(&address)
                    .map(|address| PersonEmail { address, primary })
                    .map_err(|e| StoreError::Corrupt(format!("person {}: {e}", row.id)))
            })
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(Person {
            id: PersonId(row.id),
            uid: row.uid,
            display_name: display_name(
                row.first_name.as_deref(),
                row.tussenvoegsel.as_deref(),
                &row.last_name,
            ),
            first_name: row.first_name,
            tussenvoegsel: row.tussenvoegsel,
            last_name: row.last_name,
            job_title: row.job_title,
            emails,
            phones: phones
                .into_iter()
                .map(|(number, kind)| Phone {
                    number,
                    kind: PhoneKind::parse(&kind),
                })
                .collect(),
            address: Address {
                street: row.street,
                postal_code: row.postal_code,
                city: row.city,
                country: row.country,
            },
            notes: row.notes,
            company: company_ref(row.company_id, row.company_name),
            synchroniseren: row.synchroniseren,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }

    async fn update_person(
        &self,
        org: OrgId,
        id: PersonId,
        p: &ValidPerson,
    ) -> StoreResult<Person> {
        with_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            check_company!(tx, org, p.company_id);
            let update = sqlx::query(PERSON_UPDATE).bind(org.0).bind(id.0);
            let done = bind_person!(update, p)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
            for table in ["person_emails", "person_phones", "person_tokens"] {
                sqlx::query(AssertSqlSafe(format!("DELETE FROM {table} WHERE person_id = $1")))
                    .bind(id.0)
                    .execute(&mut *tx)
                    .await?;
            }
            write_children!(tx, org, id.0, p);
            tx.commit().await?;
        });
        self.person(org, id).await
    }

    async fn delete_person(&self, org: OrgId, id: PersonId) -> StoreResult<()> {
        let sql = "DELETE FROM persons WHERE org_id = $1 AND id = $2";
        let done = with_pool!(self, pool => sqlx::query(sql).bind(org.0).bind(id.0).execute(pool).await.map(|r| r.rows_affected()))?;
        if done == 0 {
            Err(StoreError::NotFound)
        } else {
            Ok(())
        }
    }

    async fn list_persons(
        &self,
        org: OrgId,
        query: &PersonQuery,
    ) -> StoreResult<Page<PersonSummary>> {
        list::list_persons(self, org, query).await
    }

    async fn persons_by_email(
        &self,
        org: OrgId,
        email: &EmailAddress,
    ) -> StoreResult<Vec<PersonId>> {
        let sql = "SELECT person_id FROM person_emails WHERE org_id = $1 AND email = $2 ORDER BY person_id";
        let ids: Vec<i64> = with_pool!(self, pool => sqlx::query_scalar(sql)
            .bind(org.0).bind(email.as_str()).fetch_all(pool).await)?;
        Ok(ids.into_iter().map(PersonId).collect())
    }
}
