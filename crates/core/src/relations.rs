//! Relations: companies and contact persons. Every user of the organisation may read and edit
//! them; the input is validated by the rules in `postkamer_domain::relation`.

use crate::{Core, CoreResult};
use postkamer_domain::relation::{
    Actor, AddressLogEntry, AddressSource, Company, CompanyInput, CompanyRef, CompanySummary,
    Person, PersonInput, PersonSummary, ValidPerson,
};
use postkamer_domain::relation::{CompanyQuery, PersonQuery};
use postkamer_domain::validate::Invalid;
use postkamer_domain::{
    CompanyId, EmailAddress, OrgId, Page, PageRequest, PersonId, User, ValidationErrors,
};

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
        let valid = self.valid_person(caller.org_id, input).await?;
        let by = Actor::user(caller.id, AddressSource::Relation);
        Ok(self.store.create_person(caller.org_id, &valid, by).await?)
    }

    pub async fn update_person(
        &self,
        caller: &User,
        id: PersonId,
        input: &PersonInput,
    ) -> CoreResult<Person> {
        self.update_person_by(caller, id, input, AddressSource::Relation)
            .await
    }

    pub(crate) async fn update_person_by(
        &self,
        caller: &User,
        id: PersonId,
        input: &PersonInput,
        source: AddressSource,
    ) -> CoreResult<Person> {
        let valid = self.valid_person(caller.org_id, input).await?;
        let by = Actor::user(caller.id, source);
        Ok(self
            .store
            .update_person(caller.org_id, id, &valid, by)
            .await?)
    }

    pub async fn delete_person(&self, caller: &User, id: PersonId) -> CoreResult<()> {
        let by = Actor::user(caller.id, AddressSource::Relation);
        Ok(self.store.delete_person(caller.org_id, id, by).await?)
    }

    /// The input validated, and its addresses checked against the organisation's own: a
    /// colleague's address (or one at a sending domain) on a contact person would link that
    /// colleague's mail to the relation for everybody to read.
    pub(crate) async fn valid_person(
        &self,
        org: OrgId,
        input: &PersonInput,
    ) -> CoreResult<ValidPerson> {
        let errors = self.own_address_errors(org, input).await?;
        match input.validate() {
            Ok(valid) if errors.is_empty() => Ok(valid),
            Ok(_) => Err(errors.into()),
            Err(mut invalid) => {
                let mut errors = errors;
                errors
                    .0
                    .retain(|own| !invalid.0.iter().any(|e| e.field == own.field));
                invalid.0.extend(errors.0);
                Err(invalid.into())
            }
        }
    }

    /// One `OwnAddress` error per address of the input that is the organisation's own, named
    /// by its field (`emails[1].address`).
    pub(crate) async fn own_address_errors(
        &self,
        org: OrgId,
        input: &PersonInput,
    ) -> CoreResult<ValidationErrors> {
        let addresses: Vec<(usize, EmailAddress)> = input
            .emails
            .iter()
            .enumerate()
            .filter_map(|(i, e)| Some((i, EmailAddress::parse(&e.address).ok()?)))
            .collect();
        let all: Vec<EmailAddress> = addresses.iter().map(|(_, a)| a.clone()).collect();
        let own = self.store.own_addresses_among(org, &all).await?;
        let mut errors = ValidationErrors::default();
        for (i, address) in &addresses {
            if own.contains(address) {
                errors.push(format!("emails[{i}].address"), Invalid::OwnAddress);
            }
        }
        Ok(errors)
    }

    /// Who added or removed which address of a contact person, newest first (SuperAdmins).
    pub async fn address_log(
        &self,
        caller: &User,
        page: PageRequest,
    ) -> CoreResult<Page<AddressLogEntry>> {
        crate::require_superadmin(caller)?;
        Ok(self.store.address_log(caller.org_id, page).await?)
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
