//! Relaties: companies and contact persons.

use crate::api::ListParams;
use crate::csrf::CsrfClient;
use crate::error::AppError;
use leptos::prelude::*;
use postkamer_domain::relation::{
    Company, CompanyInput, CompanyRef, CompanySummary, Person, PersonInput, PersonSummary,
};
use postkamer_domain::{CompanyId, Page, PersonId};
use server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::ssr;
#[cfg(feature = "ssr")]
use postkamer_domain::{
    PageRequest,
    relation::{CompanySort, PersonSort},
};

#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn list_persons(params: ListParams) -> Result<Page<PersonSummary>, AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    let (sort, dir) = PersonSort::parse(&params.sort).unwrap_or_default();
    let query = postkamer_domain::relation::PersonQuery {
        search: params.search,
        company: params.company,
        synced_only: params.synced_only,
        sort,
        dir,
        page: PageRequest::new(Some(params.page), None),
    };
    Ok(state.core.list_persons(&caller, &query).await?)
}

#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn get_person(id: PersonId) -> Result<Person, AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    Ok(state.core.person(&caller, id).await?)
}

#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn create_person(input: PersonInput) -> Result<Person, AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    Ok(state.core.create_person(&caller, &input).await?)
}

#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn update_person(id: PersonId, input: PersonInput) -> Result<Person, AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    Ok(state.core.update_person(&caller, id, &input).await?)
}

#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn delete_person(id: PersonId) -> Result<(), AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    Ok(state.core.delete_person(&caller, id).await?)
}

#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn list_companies(params: ListParams) -> Result<Page<CompanySummary>, AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    let (sort, dir) = CompanySort::parse(&params.sort).unwrap_or_default();
    let query = postkamer_domain::relation::CompanyQuery {
        search: params.search,
        sort,
        dir,
        page: PageRequest::new(Some(params.page), None),
    };
    Ok(state.core.list_companies(&caller, &query).await?)
}

#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn get_company(id: CompanyId) -> Result<Company, AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    Ok(state.core.company(&caller, id).await?)
}

#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn create_company(input: CompanyInput) -> Result<Company, AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    Ok(state.core.create_company(&caller, &input).await?)
}

#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn update_company(id: CompanyId, input: CompanyInput) -> Result<Company, AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    Ok(state.core.update_company(&caller, id, &input).await?)
}

#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn delete_company(id: CompanyId) -> Result<(), AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    Ok(state.core.delete_company(&caller, id).await?)
}

/// Companies for the picker of the person form.
#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn company_options() -> Result<Vec<CompanyRef>, AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    Ok(state.core.company_refs(&caller).await?)
}
