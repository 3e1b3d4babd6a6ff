//! The person list: the organisation's contact persons, searched, sorted and paged.

use super::company_ref;
use crate::search::{prefix_end, query_terms};
use crate::{Store, StoreResult, with_pool};
use postkamer_domain::relation::{PersonQuery, PersonSort, PersonSummary, display_name};
use postkamer_domain::{OrgId, Page, PersonId, SortDir};
use sqlx::AssertSqlSafe;

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: i64,
    first_name: Option<String>,
    tussenvoegsel: Option<String>,
    last_name: String,
    job_title: Option<String>,
    company_id: Option<i64>,
    company_name: Option<String>,
    primary_email: Option<String>,
    primary_phone: Option<String>,
    city: String,
    synchroniseren: bool,
    total: Option<i64>,
}

const SUMMARY_COLUMNS: &str = "p.id, p.first_name, p.tussenvoegsel, p.last_name, p.job_title, \
    p.company_id, c.name AS company_name, p.primary_email, p.primary_phone, p.city, p.synchroniseren";

/// The ids of the persons matching every search term: a term matches a person's own tokens or
/// those of the person's company; the optional company and sync filters are more sets to
/// intersect.
fn search_hits(
    terms: usize,
    first_param: usize,
    company_param: Option<usize>,
    synced_only: bool,
) -> String {
    let mut sets: Vec<String> = (0..terms)
        .map(|i| {
            let (lo, hi) = (first_param + 2 * i, first_param + 2 * i + 1);
            format!(
                "SELECT id FROM (SELECT person_id AS id FROM person_tokens \
                   WHERE org_id = $1 AND token >= ${lo} AND token < ${hi} \
                 UNION SELECT cp.id FROM company_tokens ct JOIN persons cp ON cp.company_id = ct.company_id \
                   WHERE ct.org_id = $1 AND ct.token >= ${lo} AND ct.token < ${hi}) AS t{i}"
            )
        })
        .collect();
    if let Some(n) = company_param {
        sets.push(format!(
            "SELECT id FROM persons WHERE org_id = $1 AND company_id = ${n}"
        ));
    }
    if synced_only {
        sets.push("SELECT id FROM persons WHERE org_id = $1 AND synchroniseren".to_owned());
    }
    sets.join(" INTERSECT ")
}

pub(super) async fn list_persons(
    store: &Store,
    org: OrgId,
    query: &PersonQuery,
) -> StoreResult<Page<PersonSummary>> {
    let terms = query_terms(&query.search);
    let (list_sql, count_sql) = list_sql(query, terms.len());
    let (rows, total): (Vec<SummaryRow>, i64) = with_pool!(store, |pool| {
        let mut list = sqlx::query_as(AssertSqlSafe(list_sql.as_str())).bind(org.0);
        let mut count = sqlx::query_scalar(AssertSqlSafe(count_sql.as_str())).bind(org.0);
        if let Some(company) = query.company {
            list = list.bind(company.0);
            count = count.bind(company.0);
        }
        for term in &terms {
            list = list.bind(term.as_str()).bind(prefix_end(term));
            count = count.bind(term.as_str()).bind(prefix_end(term));
        }
        let rows: Vec<SummaryRow> = list
            .bind(query.page.limit())
            .bind(query.page.offset())
            .fetch_all(pool)
            .await?;
        // A search page carries its total; otherwise (or past the last page) count apart.
        let total = match rows.first().and_then(|r| r.total) {
            Some(total) => total,
            None if terms.is_empty() || query.page.offset() > 0 => count.fetch_one(pool).await?,
            None => 0,
        };
        (rows, total)
    });
    Ok(Page {
        items: rows.into_iter().map(SummaryRow::into_summary).collect(),
        page: query.page.page,
        per_page: query.page.per_page,
        total: u64::try_from(total).unwrap_or(0),
    })
}

impl SummaryRow {
    fn into_summary(self) -> PersonSummary {
        PersonSummary {
            id: PersonId(self.id),
            display_name: display_name(
                self.first_name.as_deref(),
                self.tussenvoegsel.as_deref(),
                &self.last_name,
            ),
            job_title: self.job_title,
            company: company_ref(self.company_id, self.company_name),
            primary_email: self.primary_email,
            primary_phone: self.primary_phone,
            city: self.city,
            synchroniseren: self.synchroniseren,
        }
    }
}

/// `ORDER BY` of the list, a unique order whatever the sort.
fn order_by(query: &PersonQuery) -> String {
    let dir = match query.dir {
        SortDir::Asc => "ASC",
        SortDir::Desc => "DESC",
    };
    match query.sort {
        PersonSort::Name => format!("p.sort_name {dir}, p.id {dir}"),
        PersonSort::Company => {
            format!("COALESCE(c.sort_name, '') {dir}, p.sort_name {dir}, p.id {dir}")
        }
        PersonSort::City => format!("p.sort_city {dir}, p.sort_name {dir}, p.id {dir}"),
        PersonSort::Updated => format!("p.updated_at {dir}, p.id {dir}"),
    }
}

/// The page's statement and the count's, for a query with `terms` search terms. Parameters:
/// `$1` the organisation, then the company (when filtered), two per term, limit and offset.
fn list_sql(query: &PersonQuery, terms: usize) -> (String, String) {
    let order = order_by(query);
    let company_param = query.company.map(|_| 2);
    let first_term_param = if query.company.is_some() { 3 } else { 2 };
    let limit_param = first_term_param + 2 * terms;
    let page = format!("LIMIT ${limit_param} OFFSET ${}", limit_param + 1);
    if terms == 0 {
        // No search: walk the sort index of the organisation's persons.
        let mut filter = match company_param {
            Some(n) => format!("p.org_id = $1 AND p.company_id = ${n}"),
            None => "p.org_id = $1".to_owned(),
        };
        if query.synced_only {
            filter.push_str(" AND p.synchroniseren");
        }
        return (
            format!(
                "SELECT {SUMMARY_COLUMNS}, NULL AS total FROM persons p \
                 LEFT JOIN companies c ON c.id = p.company_id WHERE {filter} ORDER BY {order} {page}"
            ),
            format!("SELECT COUNT(*) FROM persons p WHERE {filter}"),
        );
    }
    // Search: the ids matching every term are computed once, then counted and paged.
    let hits = search_hits(terms, first_term_param, company_param, query.synced_only);
    // The page is chosen on the sort key alone; only its rows are read in full.
    let sort_join = match query.sort {
        PersonSort::Company => "LEFT JOIN companies c ON c.id = p.company_id",
        _ => "",
    };
    (
        format!(
            "WITH hits(id) AS MATERIALIZED ({hits}), \
             page(id) AS (SELECT p.id FROM hits h JOIN persons p ON p.id = h.id {sort_join} \
               ORDER BY {order} {page}) \
             SELECT {SUMMARY_COLUMNS}, (SELECT COUNT(*) FROM hits) AS total \
             FROM page g JOIN persons p ON p.id = g.id \
             LEFT JOIN companies c ON c.id = p.company_id ORDER BY {order}"
        ),
        format!("WITH hits(id) AS MATERIALIZED ({hits}) SELECT COUNT(*) FROM hits"),
    )
}

/// A condition over `persons p` met by every person the query matches (its page and sort
/// ignored), with the binds it needs as `$first…` (the search terms; `$1` is the organisation,
/// the company id is written in as a number). Without search terms it is on `p`'s own columns,
/// so a lookup by uid stays a lookup by uid.
pub(crate) fn members_condition(query: &PersonQuery, first: usize) -> (String, Vec<String>) {
    let terms = query_terms(&query.search);
    let mut condition = "p.org_id = $1".to_owned();
    if let Some(company) = query.company {
        condition.push_str(&format!(" AND p.company_id = {}", company.0));
    }
    if query.synced_only {
        condition.push_str(" AND p.synchroniseren");
    }
    if terms.is_empty() {
        return (condition, Vec::new());
    }
    condition.push_str(&format!(
        " AND p.id IN ({})",
        search_hits(terms.len(), first, None, false)
    ));
    let binds = terms
        .iter()
        .flat_map(|term| [term.clone(), prefix_end(term)])
        .collect();
    (condition, binds)
}
