//! `postkamer demo`: the organisation "Demo BV" with two users and realistic relations (a quarter
//! marked for relation sync, which is on for both users), so a fresh install can be tried at
//! once. The credentials are fixed and public (README).

use postkamer_core::{Core, CoreError, UserInput};
use postkamer_domain::relation::{CompanyInput, PersonInput};
use postkamer_domain::{CompanyId, Role};
use postkamer_store::{Companies, Orgs, Persons};

pub const ORG: &str = "Demo BV";
pub const ADMIN: (&str, &str, &str) = ("Beheerder Demo", "beheer@demo-bv.nl", "postkamer-beheer");
pub const USER: (&str, &str, &str) = (
    "Gebruiker Demo",
    "gebruiker@demo-bv.nl",
    "postkamer-gebruiker",
);

/// What `demo` did.
pub enum Outcome {
    Created { companies: usize, persons: usize },
    AlreadyThere,
}

pub async fn load(core: &Core, companies: usize, persons: usize) -> Result<Outcome, CoreError> {
    let store = core.store();
    if store.org_by_name(ORG).await?.is_some() {
        return Ok(Outcome::AlreadyThere);
    }
    for ((name, email, password), role) in [(ADMIN, Role::SuperAdmin), (USER, Role::Gebruiker)] {
        let input = UserInput {
            name: name.into(),
            email: email.into(),
            role: Some(role),
            password: password.into(),
        };
        let user = core.bootstrap_user(ORG, &input).await?;
        // Relation sync on, so a phone or any CardDAV client can be tried at once (a quarter
        // of the demo relations are marked for sync).
        core.set_sync_enabled(&user, true).await?;
    }
    let org = store.org_by_name(ORG).await?.ok_or(CoreError::NotFound)?;
    let data = postkamer_demo::generate(2026, companies, persons);
    let mut ids: Vec<CompanyId> = Vec::with_capacity(data.companies.len());
    for company in &data.companies {
        ids.push(
            store
                .create_company(org.id, &valid_company(&company.input)?)
                .await?
                .id,
        );
    }
    for person in &data.persons {
        let mut input: PersonInput = person.input.clone();
        input.company_id = person.company.and_then(|i| ids.get(i).copied());
        store.create_person(org.id, &input.validate()?).await?;
    }
    Ok(Outcome::Created {
        companies: data.companies.len(),
        persons: data.persons.len(),
    })
}

fn valid_company(
    input: &CompanyInput,
) -> Result<postkamer_domain::relation::ValidCompany, CoreError> {
    Ok(input.validate()?)
}
