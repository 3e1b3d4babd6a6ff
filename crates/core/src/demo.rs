//! `postkamer demo`: the organisation "Demo BV" with two users and realistic relations (a quarter
//! marked for relation sync, which is on for both users; the user also has a saved selection
//! on the phones as a read-only address book; the templates "Standaard", opened by E-mail uit,
//! and "Oud sjabloon"), so a fresh install can be tried at once. The credentials are fixed and
//! public (README).

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
    let (mut demo_user, mut demo_admin) = (None, None);
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
        match role {
            Role::Gebruiker => demo_user = Some(user),
            Role::SuperAdmin => demo_admin = Some(user),
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
    templates(core, &demo_admin.ok_or(CoreError::NotFound)?).await?;
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

/// "Standaard" (greeting, the Inhoud block, signature, company footer) opened by E-mail uit,
/// and "Oud sjabloon" without an Inhoud block, so the help text's steps can be tried.
async fn templates(core: &Core, admin: &postkamer_domain::User) -> Result<(), CoreError> {
    use postkamer_domain::templates::{ActionKind, ActionTypeInput, TemplateInput};
    let input = |name: &str, body: &str| TemplateInput {
        name: name.into(),
        subject: String::new(),
        body: body.into(),
    };
    let standaard = core
        .create_template(admin, &input("Standaard", STANDAARD))
        .await?;
    core.create_template(admin, &input("Oud sjabloon", OUD))
        .await?;
    let actions = core.action_types(admin).await?;
    let email_out = actions
        .iter()
        .find(|a| a.kind == Some(ActionKind::EmailOut))
        .ok_or(CoreError::NotFound)?;
    let link = ActionTypeInput {
        name: email_out.name.clone(),
        active: true,
        template: Some(standaard.id),
    };
    core.update_action_type(admin, email_out.id, &link).await?;
    Ok(())
}

const STANDAARD: &str = r#"{"type": "doc", "content": [
  {"type": "paragraph", "content": [
    {"type": "merge_field", "attrs": {"field": "relatie.aanhef", "fallback": "Geachte relatie"}},
    {"type": "text", "text": ","}]},
  {"type": "inhoud", "content": [{"type": "paragraph"}]},
  {"type": "signature"},
  {"type": "horizontal_rule"},
  {"type": "paragraph", "content": [
    {"type": "text", "text": "Demo BV · Keizersgracht 100 · 1015 AA Amsterdam · "},
    {"type": "text", "text": "www.demo-bv.nl", "marks": [{"type": "link", "attrs": {"href": "https://www.demo-bv.nl"}}]}]}
]}"#;

const OUD: &str = r#"{"type": "doc", "content": [
  {"type": "paragraph", "content": [
    {"type": "merge_field", "attrs": {"field": "relatie.aanhef", "fallback": "Geachte relatie"}},
    {"type": "text", "text": ","}]},
  {"type": "paragraph"},
  {"type": "paragraph", "content": [{"type": "text", "text": "Met vriendelijke groet,"}]},
  {"type": "paragraph", "content": [{"type": "merge_field", "attrs": {"field": "gebruiker.naam"}}]}
]}"#;
