//! Companies (bedrijven).

use crate::BeginWrite;
use crate::search::{Tokens, fold, multi_insert, prefix_end, query_terms};
use crate::{Store, StoreError, StoreResult, with_pool};
use postkamer_domain::relation::CompanyQuery;
use postkamer_domain::relation::{
    Address, Company, CompanyRef, CompanySort, CompanySummary, ValidCompany,
};
use postkamer_domain::{CompanyId, OrgId, Page, SortDir};
use sqlx::AssertSqlSafe;

#[derive(sqlx::FromRow)]
struct CompanyRow {
    id: i64,
    name: String,
    kvk_number: Option<String>,
    street: String,
    postal_code: String,
    city: String,
    country: String,
    phone: Option<String>,
    website: Option<String>,
    created_at: i64,
    updated_at: i64,
    person_count: i64,
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: i64,
    name: String,
    city: String,
    phone: Option<String>,
    kvk_number: Option<String>,
    person_count: i64,
}

const PERSON_COUNT: &str =
    "(SELECT COUNT(*) FROM persons p WHERE p.company_id = c.id) AS person_count";

fn tokens(company: &ValidCompany) -> Vec<String> {
    let mut t = Tokens::default();
    t.words(&company.name).words(&company.address.city);
    company.kvk_number.iter().for_each(|k| {
        t.words(k);
    });
    company.phone.iter().for_each(|p| {
        t.phone(p);
    });
    company.email_domains.iter().for_each(|d| {
        t.address(d);
    });
    t.into_vec()
}

fn count(n: i64) -> u32 {
    u32::try_from(n).unwrap_or(0)
}

/// Binds the company's columns `$2`..`$12`, in the order INSERT and UPDATE share.
macro_rules! bind_company {
    ($query:expr, $company:expr, $now:expr) => {
        $query
            .bind(&$company.name)
            .bind(fold(&$company.name))
            .bind(&$company.kvk_number)
            .bind(&$company.address.street)
            .bind(&$company.address.postal_code)
            .bind(&$company.address.city)
            .bind(fold(&$company.address.city))
            .bind(&$company.address.country)
            .bind(&$company.phone)
            .bind(&$company.website)
            .bind($now)
    };
}

/// Writes a company's domains and search tokens inside the open transaction `$tx`.
macro_rules! write_children {
    ($tx:ident, $org:expr, $id:expr, $company:expr) => {{
        let domains = &$company.email_domains;
        if !domains.is_empty() {
            let sql = multi_insert(
                "company_domains (company_id, org_id, position, domain)",
                4,
                domains.len(),
            );
            let mut q = sqlx::query(AssertSqlSafe(sql.as_str()));
            for (pos, d) in domains.iter().enumerate() {
                q = q
                    .bind($id)
                    .bind($org.0)
                    .bind(i64::try_from(pos).unwrap_or(0))
                    .bind(d.as_str());
            }
            q.execute(&mut *$tx).await?;
        }
        let tokens = tokens($company);
        if !tokens.is_empty() {
            let sql = multi_insert(
                "company_tokens (company_id, org_id, token)",
                3,
                tokens.len(),
            );
            let mut q = sqlx::query(AssertSqlSafe(sql.as_str()));
            for t in &tokens {
                q = q.bind($id).bind($org.0).bind(t.as_str());
            }
            q.execute(&mut *$tx).await?;
        }
    }};
}

impl Store {
    pub async fn create_company(&self, org: OrgId, company: &ValidCompany) -> StoreResult<Company> {
        let now = self.now();
        let id = with_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let insert = sqlx::query_scalar(
                "INSERT INTO companies (org_id, name, sort_name, kvk_number, street, postal_code, \
                 city, sort_city, country, phone, website, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
            )
            .bind(org.0);
            let id: i64 = bind_company!(insert, company, now)
                .fetch_one(&mut *tx)
                .await?;
            write_children!(tx, org, id, company);
            tx.commit().await?;
            id
        });
        self.company(org, CompanyId(id)).await
    }

    pub async fn company(&self, org: OrgId, id: CompanyId) -> StoreResult<Company> {
        let sql = format!(
            "SELECT c.id, c.name, c.kvk_number, c.street, c.postal_code, c.city, c.country, c.phone, \
             c.website, c.created_at, c.updated_at, {PERSON_COUNT} \
             FROM companies c WHERE c.org_id = $1 AND c.id = $2"
        );
        let domains_sql =
            "SELECT domain FROM company_domains WHERE company_id = $1 ORDER BY position";
        let (row, email_domains): (CompanyRow, Vec<String>) = with_pool!(self, |pool| {
            let row: CompanyRow = sqlx::query_as(AssertSqlSafe(sql.as_str()))
                .bind(org.0)
                .bind(id.0)
                .fetch_one(pool)
                .await?;
            let domains = sqlx::query_scalar(domains_sql)
                .bind(id.0)
                .fetch_all(pool)
                .await?;
            (row, domains)
        });
        Ok(Company {
            id: CompanyId(row.id),
            name: row.name,
            kvk_number: row.kvk_number,
            address: Address {
                street: row.street,
                postal_code: row.postal_code,
                city: row.city,
                country: row.country,
            },
            phone: row.phone,
            website: row.website,
            email_domains,
            person_count: count(row.person_count),
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }

    pub async fn update_company(
        &self,
        org: OrgId,
        id: CompanyId,
        company: &ValidCompany,
    ) -> StoreResult<Company> {
        let now = self.now();
        with_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let update = sqlx::query(
                "UPDATE companies SET name = $2, sort_name = $3, kvk_number = $4, street = $5, \
                 postal_code = $6, city = $7, sort_city = $8, country = $9, phone = $10, \
                 website = $11, updated_at = $12 WHERE org_id = $1 AND id = $13",
            )
            .bind(org.0);
            let done = bind_company!(update, company, now)
                .bind(id.0)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
            sqlx::query("DELETE FROM company_domains WHERE company_id = $1")
                .bind(id.0)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM company_tokens WHERE company_id = $1")
                .bind(id.0)
                .execute(&mut *tx)
                .await?;
            write_children!(tx, org, id.0, company);
            tx.commit().await?;
        });
        self.company(org, id).await
    }

    /// Deletes the company; its contact persons stay, without a company.
    pub async fn delete_company(&self, org: OrgId, id: CompanyId) -> StoreResult<()> {
        let sql = "DELETE FROM companies WHERE org_id = $1 AND id = $2";
        let done = with_pool!(self, |pool| sqlx::query(sql)
            .bind(org.0)
            .bind(id.0)
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))?;
        if done == 0 {
            Err(StoreError::NotFound)
        } else {
            Ok(())
        }
    }

    pub async fn list_companies(
        &self,
        org: OrgId,
        query: &CompanyQuery,
    ) -> StoreResult<Page<CompanySummary>> {
        let terms = query_terms(&query.search);
        let mut filter = String::from("c.org_id = $1");
        for i in 0..terms.len() {
            let (lo, hi) = (2 + 2 * i, 3 + 2 * i);
            filter.push_str(&format!(
                " AND c.id IN (SELECT company_id FROM company_tokens \
                 WHERE org_id = $1 AND token >= ${lo} AND token < ${hi})"
            ));
        }
        let dir = match query.dir {
            SortDir::Asc => "ASC",
            SortDir::Desc => "DESC",
        };
        let order = match query.sort {
            CompanySort::Name => format!("c.sort_name {dir}, c.id {dir}"),
            CompanySort::City => format!("c.sort_city {dir}, c.sort_name {dir}, c.id {dir}"),
            CompanySort::Updated => format!("c.updated_at {dir}, c.id {dir}"),
        };
        let n = 2 + 2 * terms.len();
        let list_sql = format!(
            "SELECT c.id, c.name, c.city, c.phone, c.kvk_number, {PERSON_COUNT} FROM companies c \
             WHERE {filter} ORDER BY {order} LIMIT ${n} OFFSET ${}",
            n + 1
        );
        let count_sql = format!("SELECT COUNT(*) FROM companies c WHERE {filter}");
        let (rows, total): (Vec<SummaryRow>, i64) = with_pool!(self, |pool| {
            let mut list = sqlx::query_as(AssertSqlSafe(list_sql.as_str())).bind(org.0);
            let mut total = sqlx::query_scalar(AssertSqlSafe(count_sql.as_str())).bind(org.0);
            for term in &terms {
                list = list.bind(term.as_str()).bind(prefix_end(term));
                total = total.bind(term.as_str()).bind(prefix_end(term));
            }
            let rows = list
                .bind(query.page.limit())
                .bind(query.page.offset())
                .fetch_all(pool)
                .await?;
            (rows, total.fetch_one(pool).await?)
        });
        Ok(Page {
            items: rows
                .into_iter()
                .map(|r| CompanySummary {
                    id: CompanyId(r.id),
                    name: r.name,
                    city: r.city,
                    phone: r.phone,
                    kvk_number: r.kvk_number,
                    person_count: count(r.person_count),
                })
                .collect(),
            page: query.page.page,
            per_page: query.page.per_page,
            total: u64::try_from(total).unwrap_or(0),
        })
    }

    /// Companies that mail from `domain` (to suggest one for a new contact person).
    pub async fn companies_by_domain(
        &self,
        org: OrgId,
        domain: &str,
    ) -> StoreResult<Vec<CompanyRef>> {
        let sql = "SELECT c.id, c.name FROM company_domains d JOIN companies c ON c.id = d.company_id \
                   WHERE d.org_id = $1 AND d.domain = $2 ORDER BY c.sort_name, c.id";
        let rows: Vec<(i64, String)> = with_pool!(self, |pool| sqlx::query_as(sql)
            .bind(org.0)
            .bind(domain.trim().to_lowercase())
            .fetch_all(pool)
            .await)?;
        Ok(into_refs(rows))
    }

    /// All companies as id and name, by name, for pickers (at most `limit`).
    pub async fn company_refs(&self, org: OrgId, limit: u32) -> StoreResult<Vec<CompanyRef>> {
        let sql =
            "SELECT id, name FROM companies WHERE org_id = $1 ORDER BY sort_name, id LIMIT $2";
        let rows: Vec<(i64, String)> = with_pool!(self, |pool| sqlx::query_as(sql)
            .bind(org.0)
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await)?;
        Ok(into_refs(rows))
    }
}

fn into_refs(rows: Vec<(i64, String)>) -> Vec<CompanyRef> {
    rows.into_iter()
        .map(|(id, name)| CompanyRef {
            id: CompanyId(id),
            name,
        })
        .collect()
}
