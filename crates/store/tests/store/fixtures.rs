//! Small builders: inputs go through the domain's own validation, as in the application.

use postkamer_domain::relation::Actor;
use postkamer_domain::relation::{
    Address, CompanyInput, EmailInput, PersonInput, PhoneInput, PhoneKind, ValidCompany,
    ValidPerson,
};
use postkamer_domain::relation::{CompanyQuery, PersonQuery};
use postkamer_domain::{
    CompanyId, EmailAddress, Locale, NewUser, OrgId, Page, PageRequest, PersonId, Role, User,
};
use postkamer_store::{Store, StoreError};

pub fn email(address: &str) -> EmailAddress {
    EmailAddress::parse(address).expect("valid address")
}

pub async fn org(store: &Store, name: &str) -> OrgId {
    store.create_org(name).await.expect("create org").id
}

pub async fn user(store: &Store, org: OrgId, name: &str, address: &str, role: Role) -> User {
    store
        .create_user(&new_user(org, name, address, role))
        .await
        .expect("create user")
}

pub fn new_user(org: OrgId, name: &str, address: &str, role: Role) -> NewUser {
    NewUser {
        org_id: org,
        name: name.to_owned(),
        email: email(address),
        role,
        password_hash: format!("$argon2id$hash-of-{address}"),
        locale: Locale::Nl,
    }
}

/// A company input with only a name; fill in the rest with struct update syntax.
pub fn company_input(name: &str) -> CompanyInput {
    CompanyInput {
        name: name.to_owned(),
        ..Default::default()
    }
}

pub fn valid_company(input: CompanyInput) -> ValidCompany {
    input.validate().expect("valid company")
}

pub async fn company(store: &Store, org: OrgId, input: CompanyInput) -> CompanyId {
    store
        .create_company(org, &valid_company(input))
        .await
        .expect("create company")
        .id
}

pub fn company_with_city(name: &str, city: &str) -> CompanyInput {
    CompanyInput {
        address: Address {
            city: city.to_owned(),
            ..Default::default()
        },
        ..company_input(name)
    }
}

/// A person input with a name; `first` may be empty.
pub fn person_input(first: &str, tussenvoegsel: &str, last: &str) -> PersonInput {
    PersonInput {
        first_name: first.to_owned(),
        tussenvoegsel: tussenvoegsel.to_owned(),
        last_name: last.to_owned(),
        ..Default::default()
    }
}

pub fn emails(addresses: &[(&str, bool)]) -> Vec<EmailInput> {
    addresses
        .iter()
        .map(|(address, primary)| EmailInput {
            address: (*address).to_owned(),
            primary: *primary,
        })
        .collect()
}

pub fn phones(numbers: &[(&str, PhoneKind)]) -> Vec<PhoneInput> {
    numbers
        .iter()
        .map(|(number, kind)| PhoneInput {
            number: (*number).to_owned(),
            kind: *kind,
        })
        .collect()
}

pub fn valid_person(input: PersonInput) -> ValidPerson {
    input.validate().expect("valid person")
}

pub async fn person(store: &Store, org: OrgId, input: PersonInput) -> PersonId {
    store
        .create_person(org, &valid_person(input), Actor::SYSTEM)
        .await
        .expect("create person")
        .id
}

pub fn all() -> PageRequest {
    PageRequest::new(Some(1), Some(PageRequest::MAX_PER_PAGE))
}

/// Companies matching `search`, by name, as (ids, total).
pub async fn search_companies(store: &Store, org: OrgId, search: &str) -> (Vec<CompanyId>, u64) {
    let query = CompanyQuery {
        search: search.to_owned(),
        page: all(),
        ..Default::default()
    };
    let page = store
        .list_companies(org, &query)
        .await
        .expect("list companies");
    (page.items.iter().map(|c| c.id).collect(), page.total)
}

pub async fn list_persons(store: &Store, org: OrgId, query: PersonQuery) -> Page<PersonId> {
    let page = store.list_persons(org, &query).await.expect("list persons");
    Page {
        items: page.items.iter().map(|p| p.id).collect(),
        page: page.page,
        per_page: page.per_page,
        total: page.total,
    }
}

/// Persons matching `search`, by name, as (ids, total).
pub async fn search_persons(store: &Store, org: OrgId, search: &str) -> (Vec<PersonId>, u64) {
    let query = PersonQuery {
        search: search.to_owned(),
        page: all(),
        ..Default::default()
    };
    let page = list_persons(store, org, query).await;
    (page.items, page.total)
}

pub async fn person_total(store: &Store, org: OrgId) -> u64 {
    search_persons(store, org, "").await.1
}

/// Asserts that `result` failed with `NotFound`.
#[track_caller]
pub fn assert_not_found<T: std::fmt::Debug>(result: Result<T, StoreError>) {
    match result {
        Err(StoreError::NotFound) => {}
        other => panic!("expected NotFound, got {other:?}"),
    }
}

/// Sorted copy, for comparing sets of ids.
pub fn sorted<T: Ord + Clone>(items: &[T]) -> Vec<T> {
    let mut v = items.to_vec();
    v.sort();
    v
}
