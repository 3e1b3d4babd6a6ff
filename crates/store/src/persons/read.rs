//! One contact person in full: the person, their company, addresses and phone numbers.

use super::{PersonRow, company_ref};
use crate::{Store, StoreError, StoreResult, with_pool};
use postkamer_domain::relation::{
    Address, Person, PersonEmail, Phone, PhoneKind, Salutation, display_name,
};
use postkamer_domain::{EmailAddress, OrgId, PersonId};

impl Store {
    pub async fn person(&self, org: OrgId, id: PersonId) -> StoreResult<Person> {
        let sql = "SELECT p.id, p.uid, p.first_name, p.tussenvoegsel, p.last_name, p.job_title, p.salutation, p.street, \
                   p.postal_code, p.city, p.country, p.notes, p.company_id, c.name AS company_name, \
                   p.synchroniseren, p.created_at, p.updated_at \
                   FROM persons p LEFT JOIN companies c ON c.id = p.company_id \
                   WHERE p.org_id = $1 AND p.id = $2";
        let emails_sql =
            "SELECT email, is_primary FROM person_emails WHERE person_id = $1 ORDER BY position";
        let phones_sql =
            "SELECT number, kind FROM person_phones WHERE person_id = $1 ORDER BY position";
        type Rows = (PersonRow, Vec<(String, bool)>, Vec<(String, String)>);
        let (row, emails, phones): Rows = with_pool!(self, |pool| {
            let row: PersonRow = sqlx::query_as(sql)
                .bind(org.0)
                .bind(id.0)
                .fetch_one(pool)
                .await?;
            let emails = sqlx::query_as(emails_sql)
                .bind(id.0)
                .fetch_all(pool)
                .await?;
            let phones = sqlx::query_as(phones_sql)
                .bind(id.0)
                .fetch_all(pool)
                .await?;
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
            salutation: Salutation::parse(&row.salutation),
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
}
