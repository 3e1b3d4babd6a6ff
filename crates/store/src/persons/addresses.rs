//! The organisation's own addresses among a person's, and the log of who linked which address
//! to a person, and how.

use super::own_address;
use crate::{Store, StoreResult, with_pool};
use postkamer_domain::relation::{AddressLogEntry, AddressSource};
use postkamer_domain::{EmailAddress, OrgId, Page, PageRequest, PersonId};
use sqlx::AssertSqlSafe;

impl Store {
    /// Those of `emails` that are the organisation's own addresses (see [`Persons`]).
    pub async fn own_addresses_among(
        &self,
        org: OrgId,
        emails: &[EmailAddress],
    ) -> StoreResult<Vec<EmailAddress>> {
        let mut own = Vec::new();
        for email in emails {
            let is_own = with_pool!(self, |pool| own_address!(pool, org, email));
            if is_own {
                own.push(email.clone());
            }
        }
        Ok(own)
    }

    /// A page of the organisation's address log, newest first.
    pub async fn address_log(
        &self,
        org: OrgId,
        page: PageRequest,
    ) -> StoreResult<Page<AddressLogEntry>> {
        type Row = (
            i64,
            Option<i64>,
            Option<String>,
            Option<i64>,
            String,
            String,
            bool,
            String,
        );
        let sql = format!(
            "SELECT l.at, l.user_id, l.user_name, p.id, l.person_name, l.email, l.added, l.source \
             FROM address_log l LEFT JOIN persons p ON p.id = l.person_id AND p.org_id = l.org_id \
             WHERE l.org_id = $1 ORDER BY l.at DESC, l.id DESC LIMIT {} OFFSET {}",
            page.limit(),
            page.offset()
        );
        let (rows, total): (Vec<Row>, i64) = with_pool!(self, |pool| (
            sqlx::query_as(AssertSqlSafe(sql))
                .bind(org.0)
                .fetch_all(pool)
                .await?,
            sqlx::query_scalar("SELECT COUNT(*) FROM address_log WHERE org_id = $1")
                .bind(org.0)
                .fetch_one(pool)
                .await?,
        ));
        Ok(Page {
            items: rows
                .into_iter()
                .map(
                    |(at, user, user_name, person, person_name, email, added, source)| {
                        AddressLogEntry {
                            at,
                            user_id: user.map(postkamer_domain::UserId),
                            user_name,
                            person_id: person.map(PersonId),
                            person_name,
                            email,
                            added,
                            source: AddressSource::parse(&source).unwrap_or(AddressSource::System),
                        }
                    },
                )
                .collect(),
            page: page.page,
            per_page: page.per_page,
            total: u64::try_from(total).unwrap_or(0),
        })
    }
}
