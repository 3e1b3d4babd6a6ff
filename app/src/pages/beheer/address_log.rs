//! Beheer → Gebruikers → Adreskoppelingen (SuperAdmin only): who added or removed which e-mail
//! address of a contact person, when and how. An address on a contact person links all mail
//! with it to the relation, for every colleague to read.

use super::SuperAdminOnly;
use crate::api::users::address_log;
use crate::components::{ErrorBox, Pager, format_local_date};
use crate::i18n::{t, tr, use_locale};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AddressLogPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let page = Memo::new(move |_| {
        query
            .read()
            .get("pagina")
            .and_then(|p| p.parse::<u32>().ok())
    });
    let log = Resource::new(move || page.get(), address_log);
    view! {
        <Title text=move || t(locale.get(), "Adreskoppelingen", "Address links") />
        <p class="crumbs"><a href="/beheer">{tr("Beheer", "Settings")}</a>" › "<a href="/beheer/gebruikers">{tr("Gebruikers", "Users")}</a></p>
        <h1>{tr("Adreskoppelingen", "Address links")}</h1>
        <SuperAdminOnly>
            <p class="muted">{tr(
                "Een e-mailadres bij een contactpersoon koppelt alle e-mail met dat adres aan de relatie: collega's zien die berichten dan (behalve privé). Hier staat wie welk adres toevoegde of verwijderde.",
                "An e-mail address on a contact person links all mail with that address to the relation: colleagues then see those messages (except private ones). This is who added or removed which address.",
            )}</p>
            <Transition fallback=|| view! { <p class="loading">"…"</p> }>
                {move || Suspend::new(async move {
                    match log.await {
                        Err(error) => view! { <ErrorBox error /> }.into_any(),
                        Ok(page) if page.items.is_empty() => view! {
                            <p class="empty" data-test="empty">{tr("Nog geen adressen gekoppeld.", "No addresses linked yet.")}</p>
                        }.into_any(),
                        Ok(page) => view! {
                            <table class="list" data-test="address-log">
                                <thead><tr>
                                    <th>{tr("Wanneer", "When")}</th>
                                    <th>{tr("Wie", "Who")}</th>
                                    <th>{tr("E-mailadres", "E-mail address")}</th>
                                    <th>{tr("Contactpersoon", "Contact person")}</th>
                                    <th>{tr("Wijziging", "Change")}</th>
                                    <th class="hide-narrow">{tr("Via", "Through")}</th>
                                </tr></thead>
                                <tbody>
                                    {page.items.iter().map(|e| {
                                        let (added, source) = (e.added, e.source);
                                        let who = e.user_name.clone();
                                        view! {
                                            <tr data-test="address-log-row">
                                                <td>{format_local_date(e.at)}</td>
                                                <td>{move || who.clone().unwrap_or_else(|| t(locale.get(), "Systeem", "System").to_owned())}</td>
                                                <td data-test="address-log-email">{e.email.clone()}</td>
                                                <td>{match e.person_id {
                                                    Some(id) => view! { <a href=format!("/relaties/personen/{id}")>{e.person_name.clone()}</a> }.into_any(),
                                                    None => view! { <span>{e.person_name.clone()}" "<span class="muted">{tr("(verwijderd)", "(deleted)")}</span></span> }.into_any(),
                                                }}</td>
                                                <td data-test="address-log-change">{move || if added {
                                                    t(locale.get(), "Toegevoegd", "Added")
                                                } else {
                                                    t(locale.get(), "Verwijderd", "Removed")
                                                }}</td>
                                                <td class="hide-narrow">{move || source.label(locale.get())}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                            <Pager page base="/beheer/gebruikers/adreskoppelingen".to_owned() param="pagina" />
                        }.into_any(),
                    }
                })}
            </Transition>
        </SuperAdminOnly>
    }
}
