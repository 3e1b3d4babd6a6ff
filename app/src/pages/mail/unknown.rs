//! "Onbekende adressen" of a message: addresses that belong to no contact person, each with
//! "Nieuwe contactpersoon" (a prefilled form) and "Koppelen aan bestaande contactpersoon".

use super::message::LinkedNotice;
use crate::api::ListParams;
use crate::api::mail::link_address;
use crate::api::relations::list_persons;
use crate::components::ErrorBox;
use crate::error::AppError;
use crate::i18n::{t, tr, use_locale};
use crate::url::encode_component;
use leptos::prelude::*;
use postkamer_domain::PersonId;
use postkamer_domain::mail::{MessageView, UnknownAddress};

type MessageResource = Resource<Result<MessageView, AppError>>;

/// The new-person form, prefilled with the address, the display name and the suggested company.
fn new_person_href(address: &UnknownAddress) -> String {
    let mut query = vec![format!("email={}", encode_component(&address.email))];
    if let Some(name) = address
        .name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        query.push(format!("naam={}", encode_component(name)));
    }
    if let Some(company) = &address.company {
        query.push(format!("bedrijf={}", company.id));
    }
    format!("/relaties/personen/nieuw?{}", query.join("&"))
}

#[component]
pub(super) fn UnknownAddresses(
    addresses: Vec<UnknownAddress>,
    message: MessageResource,
    linked: LinkedNotice,
) -> impl IntoView {
    view! {
        <section class="card unknown" data-test="unknown-addresses">
            <h2>{tr("Onbekende adressen", "Unknown addresses")}</h2>
            <p class="muted">{tr(
                "Deze adressen horen bij geen contactpersoon. Voeg ze toe: eerdere e-mail met het adres wordt meteen gekoppeld.",
                "These addresses belong to no contact person. Add them: earlier e-mail with the address is linked at once.",
            )}</p>
            <ul class="plain">
                {addresses.into_iter().map(|address| view! { <UnknownRow address message linked /> }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn UnknownRow(
    address: UnknownAddress,
    message: MessageResource,
    linked: LinkedNotice,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let href = new_person_href(&address);
    let UnknownAddress {
        email,
        name,
        company,
    } = address;
    let search = name.clone().unwrap_or_default();
    let email_for_picker = email.clone();
    view! {
        <li class="unknown-address" data-test="unknown-address" data-email=email.clone()>
            <div>
                {name.filter(|n| !n.trim().is_empty()).map(|n| view! { <strong>{n}</strong>" " })}
                <span class="muted">"<"{email.clone()}">"</span>
                {company.map(|c| view! {
                    <span class="muted">" · "{tr("bedrijf", "company")}" "<a href=format!("/relaties/bedrijven/{}", c.id)>{c.name}</a></span>
                })}
            </div>
            <div class="actions">
                <a class="button" href=href data-test="new-person-from-address">{tr("Nieuwe contactpersoon", "New contact person")}</a>
                <button type="button" data-test="link-existing" aria-expanded=move || open.get().to_string()
                    on:click=move |_| open.update(|o| *o = !*o)>
                    {tr("Koppelen aan bestaande contactpersoon", "Link to existing contact person")}
                </button>
            </div>
            {move || open.get().then(|| view! {
                <LinkPicker email=email_for_picker.clone() search=search.clone() message linked />
            })}
        </li>
    }
}

/// Finds a contact person by name or e-mail and adds the address to them.
#[component]
fn LinkPicker(
    email: String,
    /// The search text to start with (the address's display name).
    search: String,
    message: MessageResource,
    linked: LinkedNotice,
) -> impl IntoView {
    let locale = use_locale();
    let search = RwSignal::new(search);
    let results = Action::new(|search: &String| {
        list_persons(ListParams {
            search: search.clone(),
            page: 1,
            ..ListParams::default()
        })
    });
    let link = Action::new(move |person: &PersonId| link_address(*person, email.clone()));
    Effect::new(move |_| {
        if let Some(Ok(done)) = link.value().get() {
            linked.set(Some(done));
            message.refetch();
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        results.dispatch(search.get_untracked());
    };
    view! {
        <div class="link-picker" data-test="link-picker">
            <form class="search" on:submit=submit>
                <input type="search" data-test="link-search" bind:value=search
                    aria-label=move || t(locale.get(), "Contactpersoon zoeken", "Search contact person")
                    placeholder=move || t(locale.get(), "Zoek op naam, e-mail of bedrijf", "Search by name, e-mail or company") />
                <button type="submit" data-test="link-search-submit" disabled=move || results.pending().get()>{tr("Zoeken", "Search")}</button>
            </form>
            {move || link.value().get().and_then(Result::err).map(|error| view! { <ErrorBox error /> })}
            {move || results.value().get().map(|found| match found {
                Err(error) => view! { <ErrorBox error /> }.into_any(),
                Ok(page) if page.items.is_empty() => view! {
                    <p class="empty" data-test="link-none">{tr("Geen contactpersonen gevonden.", "No contact persons found.")}</p>
                }.into_any(),
                Ok(page) => view! {
                    <ul class="plain link-results">
                        {page.items.into_iter().map(|p| {
                            let id = p.id;
                            view! {
                                <li data-test="link-result">
                                    <span>{p.display_name}</span>
                                    {p.company.map(|c| view! { <span class="muted">" · "{c.name}</span> })}
                                    {p.primary_email.map(|e| view! { <span class="muted">" · "{e}</span> })}
                                    " "
                                    <button type="button" class="primary" data-test="link-pick" disabled=move || link.pending().get()
                                        on:click=move |_| { link.dispatch(id); }>{tr("Koppelen", "Link")}</button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            })}
        </div>
    }
}
