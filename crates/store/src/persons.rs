//! Contact persons (contactpersonen), their e-mail addresses and phone numbers.

pub(crate) mod list;

use crate::BeginWrite;
use crate::search::{Tokens, fold, multi_insert};
use crate::{Store, StoreError, StoreResult, with_pool};
use postkamer_domain::relation::PersonQuery;
use postkamer_domain::relation::{
    Actor, CompanyRef, Person, PersonSummary, ValidPerson, display_name,
};
use postkamer_domain::{CompanyId, EmailAddress, OrgId, Page, PersonId};
use sqlx::AssertSqlSafe;

mod addresses;
mod read;

#[derive(sqlx::FromRow)]
struct PersonRow {
    id: i64,
    uid: String,
    first_name: Option<String>,
    tussenvoegsel: Option<String>,
    last_name: String,
    job_title: Option<String>,
    salutation: String,
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

/// Whether `$email` is one of the organisation's own addresses (see [`Persons`]), asked on
/// `$executor` (a pool or an open transaction of either engine).
macro_rules! own_address {
    ($executor:expr, $org:expr, $email:expr) => {{
        let email: &postkamer_domain::EmailAddress = $email;
        let own: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM users WHERE org_id = $1 AND email = $2) \
             OR EXISTS (SELECT 1 FROM mailboxes WHERE org_id = $1 AND lower(login) = $2) \
             OR EXISTS (SELECT 1 FROM sending_domains WHERE org_id = $1 AND domain = $3)",
        )
        .bind($org.0)
        .bind(email.as_str())
        .bind(email.domain())
        .fetch_one($executor)
        .await?;
        own
    }};
}
pub(crate) use own_address;

/// Logs the addresses a person gained and lost, inside the open transaction `$tx`.
macro_rules! log_addresses {
    ($tx:ident, $org:expr, $person:expr, $name:expr, $old:expr, $new:expr, $by:expr, $now:expr) => {{
        let old: &[String] = $old;
        let new: &[String] = $new;
        let by: Actor = $by;
        let name: &str = &$name;
        let changes = new
            .iter()
            .filter(|e| !old.contains(e))
            .map(|e| (e, true))
            .chain(old.iter().filter(|e| !new.contains(e)).map(|e| (e, false)));
        for (email, added) in changes {
            sqlx::query(
                "INSERT INTO address_log (org_id, at, user_id, user_name, person_id, person_name, \
                 email, added, source) \
                 VALUES ($1, $2, $3, (SELECT name FROM users WHERE id = $3), $4, $5, $6, $7, $8)",
            )
            .bind($org.0)
            .bind($now)
            .bind(by.user.map(|u| u.0))
            .bind($person)
            .bind(name)
            .bind(email.as_str())
            .bind(added)
            .bind(by.source.as_str())
            .execute(&mut *$tx)
            .await?;
        }
    }};
}

/// The person's addresses as stored, inside the open transaction `$tx`.
macro_rules! stored_addresses {
    ($tx:ident, $id:expr) => {{
        let emails: Vec<String> = sqlx::query_scalar(
            "SELECT email FROM person_emails WHERE person_id = $1 ORDER BY position",
        )
        .bind($id)
        .fetch_all(&mut *$tx)
        .await?;
        emails
    }};
}

fn addresses_of(p: &ValidPerson) -> Vec<String> {
    p.emails
        .iter()
        .map(|e| e.address.as_str().to_owned())
        .collect()
}

fn name_of(p: &ValidPerson) -> String {
    display_name(
        p.first_name.as_deref(),
        p.tussenvoegsel.as_deref(),
        &p.last_name,
    )
}

/// Checks the company reference, then writes the person's e-mail addresses, phones and search
/// tokens inside the open transaction `$tx`.
macro_rules! write_children {
    ($tx:ident, $org:expr, $id:expr, $p:expr) => {{
        let emails = &$p.emails;
        for e in emails {
            if crate::persons::own_address!(&mut *$tx, $org, &e.address) {
                return Err(StoreError::OwnAddress(e.address.to_string()));
            }
        }
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

/// Binds the person's columns `$3`..`$19`, in the order INSERT and UPDATE share.
macro_rules! bind_person {
    ($query:expr, $p:expr, $now:expr) => {
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
            .bind($p.salutation.as_str())
            .bind($now)
    };
}

const PERSON_INSERT: &str = "INSERT INTO persons (org_id, uid, company_id, first_name, tussenvoegsel, \
    last_name, sort_name, job_title, street, postal_code, city, sort_city, country, notes, \
    primary_email, primary_phone, synchroniseren, salutation, created_at, updated_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $19) \
    RETURNING id";

const PERSON_UPDATE: &str = "UPDATE persons SET company_id = $3, first_name = $4, tussenvoegsel = $5, \
    last_name = $6, sort_name = $7, job_title = $8, street = $9, postal_code = $10, city = $11, \
    sort_city = $12, country = $13, notes = $14, primary_email = $15, primary_phone = $16, \
    synchroniseren = $17, salutation = $18, updated_at = $19 WHERE org_id = $1 AND id = $2";

/// Writes of a person's e-mail addresses are logged with their [`Actor`] in the same
/// transaction, and refused with [`StoreError::OwnAddress`] for an address of the organisation
/// itself (a user's, an IMAP login, or at one of its sending domains): such an address would make
/// a colleague's mail a relation's.
impl Store {
    /// Fails with `UnknownReference("company")` when the company is not the organisation's.
    pub async fn create_person(
        &self,
        org: OrgId,
        p: &ValidPerson,
        by: Actor,
    ) -> StoreResult<Person> {
        let uid = uuid::Uuid::new_v4().to_string();
        let id = with_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            check_company!(tx, org, p.company_id);
            let insert = sqlx::query_scalar(PERSON_INSERT).bind(org.0).bind(&uid);
            let id: i64 = bind_person!(insert, p, self.now())
                .fetch_one(&mut *tx)
                .await?;
            write_children!(tx, org, id, p);
            log_addresses!(
                tx,
                org,
                id,
                name_of(p),
                &[],
                &addresses_of(p),
                by,
                self.now()
            );
            tx.commit().await?;
            id
        });
        self.person(org, PersonId(id)).await
    }

    pub async fn update_person(
        &self,
        org: OrgId,
        id: PersonId,
        p: &ValidPerson,
        by: Actor,
    ) -> StoreResult<Person> {
        with_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            check_company!(tx, org, p.company_id);
            let old = stored_addresses!(tx, id.0);
            let update = sqlx::query(PERSON_UPDATE).bind(org.0).bind(id.0);
            let done = bind_person!(update, p, self.now())
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
            for table in ["person_emails", "person_phones", "person_tokens"] {
                sqlx::query(AssertSqlSafe(format!(
                    "DELETE FROM {table} WHERE person_id = $1"
                )))
                .bind(id.0)
                .execute(&mut *tx)
                .await?;
            }
            write_children!(tx, org, id.0, p);
            log_addresses!(
                tx,
                org,
                id.0,
                name_of(p),
                &old,
                &addresses_of(p),
                by,
                self.now()
            );
            tx.commit().await?;
        });
        self.person(org, id).await
    }

    pub async fn delete_person(&self, org: OrgId, id: PersonId, by: Actor) -> StoreResult<()> {
        with_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let name: Option<(Option<String>, Option<String>, String)> = sqlx::query_as(
                "SELECT first_name, tussenvoegsel, last_name FROM persons WHERE org_id = $1 AND id = $2",
            )
            .bind(org.0)
            .bind(id.0)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((first, tussen, last)) = name else {
                return Err(StoreError::NotFound);
            };
            let old = stored_addresses!(tx, id.0);
            let name = display_name(first.as_deref(), tussen.as_deref(), &last);
            log_addresses!(tx, org, id.0, name, &old, &[], by, self.now());
            sqlx::query("DELETE FROM persons WHERE org_id = $1 AND id = $2")
                .bind(org.0)
                .bind(id.0)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        });
        Ok(())
    }

    pub async fn list_persons(
        &self,
        org: OrgId,
        query: &PersonQuery,
    ) -> StoreResult<Page<PersonSummary>> {
        list::list_persons(self, org, query).await
    }

    /// The contact persons with this address: one indexed lookup, called for every address of
    /// every message by the mail engine.
    pub async fn persons_by_email(
        &self,
        org: OrgId,
        email: &EmailAddress,
    ) -> StoreResult<Vec<PersonId>> {
        let sql = "SELECT person_id FROM person_emails WHERE org_id = $1 AND email = $2 ORDER BY person_id";
        let ids: Vec<i64> = with_pool!(self, |pool| sqlx::query_scalar(sql)
            .bind(org.0)
            .bind(email.as_str())
            .fetch_all(pool)
            .await)?;
        Ok(ids.into_iter().map(PersonId).collect())
    }
}
