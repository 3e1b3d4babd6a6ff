//! Relations: companies and contact persons. Every user of the organisation may read and edit
//! them; the input is validated by the rules in `postkamer_domain::relation`.

use crate::{Core, CoreResult};
use postkamer_domain::relation::{
    Company, CompanyInput, CompanyRef, CompanySummary, Person, PersonInput, PersonSummary,
};
use postkamer_domain::{CompanyId, EmailAddress, Page, PersonId, User};
use postkamer_store::{Companies, CompanyQuery, PersonQuery, Persons};

impl Core {
    pub async fn list_companies(
        &self,
        caller: &User,
        query: &CompanyQuery,
    ) -> CoreResult<Page<CompanySummary>> {
        Ok(self.store.list_companies(caller.org_id, query).await?)
    }

    pub async fn company(&self, caller: &User, id: CompanyId) -> CoreResult<Company> {
        Ok(self.store.company(caller.org_id, id).await?)
    }

    pub async fn create_company(&self, caller: &User, input: &CompanyInput) -> CoreResult<Company> {
        let valid = input.validate()?;
        Ok(self.store.create_company(caller.org_id, &valid).await?)
    }

    pub async fn update_company(
        &self,
        caller: &User,
        id: CompanyId,
        input: &CompanyInput,
    ) -> CoreResult<Company> {
        let valid = input.validate()?;
        Ok(self.store.update_company(caller.org_id, id, &valid).await?)
    }

    pub async fn delete_company(&self, caller: &User, id: CompanyId) -> CoreResult<()> {
        Ok(self.store.delete_company(caller.org_id, id).await?)
    }

    /// Companies for a picker, by name.
    pub async fn company_refs(&self, caller: &User) -> CoreResult<Vec<CompanyRef>> {
        Ok(self.store.company_refs(caller.org_id, 1000).await?)
    }

    pub async fn list_persons(
        &self,
        caller: &User,
        query: &PersonQuery,
    ) -> CoreResult<Page<PersonSummary>> {
        Ok(self.store.list_persons(caller.org_id, query).await?)
    }

    pub async fn person(&self, caller: &User, id: PersonId) -> CoreResult<Person> {
        Ok(self.store.person(caller.org_id, id).await?)
    }

    pub async fn create_person(&self, caller: &User, input: &PersonInput) -> CoreResult<Person> {
        let valid = input.validate()?;
        Ok(self.store.create_person(caller.org_id, &valid).await?)
    }

    pub async fn update_person(
        &self,
        caller: &User,
        id: PersonId,
        input: &PersonInput,
    ) -> CoreResult<Person> {
        let valid = input.validate()?;
        Ok(self.store.update_person(caller.org_id, id, &valid).await?)
    }

    pub async fn delete_person(&self, caller: &User, id: PersonId) -> CoreResult<()> {
        Ok(self.store.delete_person(caller.org_id, id).await?)
    }

    /// The contact persons with this address, in the caller's organisation.
    pub async fn persons_by_email(
        &self,
        caller: &User,
        email: &EmailAddress,
    ) -> CoreResult<Vec<PersonId>> {
        Ok(self.store.persons_by_email(caller.org_id, email).await?)
    }
}
