//! `postkamer demo`: the organisation "Demo BV" with two users and realistic relations (a quarter
//! marked for relation sync, which is on for both users; the user also has a saved selection
//! on the phones as a read-only address book), so a fresh install can be tried at once. The credentials are fixed and public (README).

use crate::{Core, CoreError, UserInput};
use postkamer_domain::relation::{Actor, CompanyInput, PersonInput};
use postkamer_domain::{CompanyId, Role};

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
    let store = &core.store;
    if store.org_by_name(ORG).await?.is_some() {
        return Ok(Outcome::AlreadyThere);
    }
    let mut demo_user = None;
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
        if role == Role::Gebruiker {
            demo_user = Some(user);
        }
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
        store
            .create_person(org.id, &input.validate()?, Actor::SYSTEM)
            .await?;
    }
    // A saved selection on the user's phones as a read-only address book: the contact persons
    // of companies in Amsterdam.
    let user = demo_user.ok_or(CoreError::NotFound)?;
    let amsterdam = postkamer_domain::relation::PersonQuery {
        search: "Amsterdam".into(),
        ..Default::default()
    };
    let selection = core
        .save_selection(&user, "Relaties in Amsterdam", &amsterdam)
        .await?;
    core.set_selection_sync(&user, selection.id, true).await?;
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
