//! Beheer: the settings menu, laid out as the SpinOffice help texts name it.

mod account;
mod action_types;
mod address_log;
mod domains;
mod jobs;
mod mailbox;
mod sync;
mod templates;
mod users;

pub use account::{DetailsPage, PasswordPage, TokensPage};
pub use action_types::ActionTypesPage;
pub use address_log::AddressLogPage;
pub use domains::{DomainPage, DomainsPage};
pub use jobs::JobsPage;
pub use mailbox::MailboxPage;
pub use sync::SyncPage;
pub use templates::{TemplatePage, TemplatesPage};
pub use users::UsersPage;

use crate::api::users::require_superadmin;
use crate::components::{ComingSoon, ErrorBox, HydrationMark};
use crate::error::AppError;
use crate::i18n::{t, tr, use_locale};
use leptos::prelude::*;
use leptos_meta::Title;
use postkamer_domain::User;

fn current_user() -> Option<User> {
    use_context::<Resource<Result<Option<User>, AppError>>>()
        .and_then(|me| me.get_untracked())
        .and_then(Result::ok)
        .flatten()
}

#[component]
pub fn BeheerIndex() -> impl IntoView {
    let locale = use_locale();
    let superadmin = current_user().is_some_and(|u| u.is_superadmin());
    let link = move |href: &'static str, nl: &'static str, en: &'static str, admin_only: bool| {
        (!admin_only || superadmin).then(|| view! {
            <li><a href=href data-test=format!("beheer-link-{}", href.rsplit('/').next().unwrap_or(href))>{move || t(locale.get(), nl, en)}</a>
                {admin_only.then(|| view! { <span class="badge">"SuperAdmin"</span> })}</li>
        })
    };
    view! {
        <Title text=move || t(locale.get(), "Beheer", "Settings") />
        <h1>{tr("Beheer", "Settings")}</h1>
        <div class="beheer-grid">
            <section class="card">
                <h2>{tr("CRM-voorkeuren", "CRM preferences")}</h2>
                <ul class="plain">{link("/beheer/crm-voorkeuren/ai-instellingen", "AI-instellingen", "AI settings", true)}</ul>
            </section>
            <section class="card">
                <h2>{tr("E-mail", "E-mail")}</h2>
                <ul class="plain">
                    {link(templates::PATH, "E-mailsjablonen", "E-mail templates", false)}
                    {link(action_types::PATH, "Actietypen", "Action types", false)}
                    {link("/beheer/e-mail/domeinen", "Domeinen", "Domains", true)}
                </ul>
            </section>
            <section class="card">
                <h2>{tr("Gebruikersinstellingen", "User settings")}</h2>
                <ul class="plain">
                    {link("/beheer/gebruikersinstellingen/mijn-gegevens", "Mijn gegevens", "My details", false)}
                    {link("/beheer/gebruikersinstellingen/e-mail", "E-mail (uw mailbox)", "E-mail (your mailbox)", false)}
                    {link("/beheer/gebruikersinstellingen/synchronisatie", "Synchronisatie", "Synchronisation", false)}
                    {link("/beheer/gebruikersinstellingen/wachtwoord", "Wachtwoord wijzigen", "Change password", false)}
                    {link("/beheer/gebruikersinstellingen/api-tokens", "API-tokens", "API tokens", false)}
                </ul>
            </section>
            <section class="card">
                <h2>{tr("Gebruikers", "Users")}</h2>
                <ul class="plain">
                    {link("/beheer/gebruikers", "Gebruikers beheren", "Manage users", true)}
                    {link("/beheer/gebruikers/adreskoppelingen", "Adreskoppelingen", "Address links", true)}
                </ul>
                {(!superadmin).then(|| view! { <p class="muted">{tr("Alleen SuperAdmins beheren gebruikers.", "Only SuperAdmins manage users.")}</p> })}
            </section>
            <section class="card">
                <h2>{tr("Systeem", "System")}</h2>
                <ul class="plain">
                    {link(jobs::PATH, "Taken in de wachtrij", "Queued jobs", true)}
                </ul>
                {(!superadmin).then(|| view! { <p class="muted">{tr("Alleen SuperAdmins zien de achtergrondtaken.", "Only SuperAdmins see the background jobs.")}</p> })}
            </section>
        </div>
    }
}

/// Renders `page` for SuperAdmins; everyone else gets "Geen toegang" and HTTP 403.
#[component]
fn SuperAdminOnly(children: ChildrenFn) -> impl IntoView {
    let allowed = Resource::new(|| (), |_| require_superadmin());
    let children = StoredValue::new(children);
    view! {
        <HydrationMark />
        <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match allowed.await {
                    Ok(()) => children.with_value(|c| c()).into_any(),
                    Err(error) => view! { <ErrorBox error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn AiSettingsPage() -> impl IntoView {
    view! {
        <Title text="AI-instellingen" />
        <SuperAdminOnly>
            <ComingSoon
                title="CRM-voorkeuren → AI-instellingen"
                title_en="CRM preferences → AI settings"
                text="Hier zet een SuperAdmin de SmartMail AI-assistent aan of uit voor de hele organisatie. Dit volgt in een latere release."
                text_en="Here a SuperAdmin switches the SmartMail AI assistant on or off for the whole organisation. This follows in a later release."
            />
        </SuperAdminOnly>
    }
}
