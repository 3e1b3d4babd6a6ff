use super::names::{name_from_address, split_display_name};
use super::person_form::PersonForm;
use super::{ListToolbar, Tab, list_href, list_params, sort_header};
use crate::api::mail::TimelineTarget;
use crate::api::relations::{DeletePerson, get_person, list_persons};
use crate::api::sync::set_persons_synced;
use crate::components::{ErrorBox, Pager, format_date};
use crate::i18n::{t, tr, use_locale};
use crate::pages::mail::{MailTimeline, TimelineResource, timeline_resource};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use postkamer_domain::relation::{EmailInput, Person, PersonInput, PhoneKind};
use postkamer_domain::{Locale, PersonId};
use std::collections::BTreeSet;

#[component]
pub fn PersonsPage() -> impl IntoView {
    let locale = use_locale();
    let params = list_params();
    let bulk = Action::new(|(ids, synced): &(Vec<PersonId>, bool)| {
        set_persons_synced(ids.clone(), *synced)
    });
    let persons = Resource::new(
        move || (params.get(), bulk.version().get()),
        |(params, _)| list_persons(params),
    );
    let selected = RwSignal::new(BTreeSet::<PersonId>::new());
    // Another search, sort or page: nothing selected, and the last result's message gone.
    Effect::new(move |_| {
        params.track();
        selected.set(BTreeSet::new());
        bulk.value().set(None);
    });
    Effect::new(move |_| {
        if bulk.value().with(|v| matches!(v, Some(Ok(_)))) {
            selected.set(BTreeSet::new());
        }
    });
    view! {
        <Title text=move || t(locale.get(), "Relaties", "Relations") />
        <ListToolbar tab=Tab::Persons />
        <BulkSyncBar selected bulk />
        <Transition fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                let p = params.get_untracked();
                match persons.await {
                    Err(error) => view! { <ErrorBox error /> }.into_any(),
                    Ok(page) if page.items.is_empty() => view! {
                        <p class="empty" data-test="empty">{tr("Geen contactpersonen gevonden.", "No contact persons found.")}</p>
                    }.into_any(),
                    Ok(page) => {
                        let base = list_href("/relaties", &p, None);
                        let on_page: Vec<PersonId> = page.items.iter().map(|row| row.id).collect();
                        let all_selected = {
                            let on_page = on_page.clone();
                            move || selected.with(|s| on_page.iter().all(|id| s.contains(id)))
                        };
                        let select_all = move |ev: leptos::ev::Event| {
                            let on = event_target_checked(&ev);
                            selected.update(|s| for id in &on_page {
                                if on { s.insert(*id); } else { s.remove(id); }
                            });
                        };
                        view! {
                            <table class="list persons">
                                <thead><tr>
                                    <th class="select"><input type="checkbox" data-test="person-select-all" prop:checked=all_selected on:change=select_all
                                        aria-label=move || t(locale.get(), "Alle contactpersonen op deze pagina selecteren", "Select all contact persons on this page") /></th>
                                    <th>{sort_header("/relaties", &p, "name", tr("Naam", "Name"))}</th>
                                    <th>{sort_header("/relaties", &p, "company", tr("Bedrijf", "Company"))}</th>
                                    <th class="hide-narrow">{tr("E-mail", "E-mail")}</th>
                                    <th class="hide-narrow">{tr("Telefoon", "Phone")}</th>
                                    <th class="hide-narrow">{sort_header("/relaties", &p, "city", tr("Plaats", "City"))}</th>
                                </tr></thead>
                                <tbody>
                                    {page.items.iter().map(|row| {
                                        let id = row.id;
                                        let label = row.display_name.clone();
                                        view! {
                                            <tr data-test="person-row" class:selected=move || selected.with(|s| s.contains(&id))>
                                                <td class="select"><input type="checkbox" data-test="person-select"
                                                    aria-label=move || format!("{} {label}", t(locale.get(), "Selecteer", "Select"))
                                                    prop:checked=move || selected.with(|s| s.contains(&id))
                                                    on:change=move |ev| {
                                                        let on = event_target_checked(&ev);
                                                        selected.update(|s| if on { s.insert(id); } else { s.remove(&id); });
                                                    } /></td>
                                                <td><a href=format!("/relaties/personen/{id}")>{row.display_name.clone()}</a>
                                                    {row.synchroniseren.then(|| view! { <SyncMark /> })}
                                                    {row.job_title.clone().map(|j| view! { <span class="muted">" · "{j}</span> })}</td>
                                                <td>{row.company.clone().map(|c| view! { <a href=format!("/relaties/bedrijven/{}", c.id)>{c.name}</a> })}</td>
                                                <td class="hide-narrow">{row.primary_email.clone()}</td>
                                                <td class="hide-narrow nowrap">{row.primary_phone.clone()}</td>
                                                <td class="hide-narrow">{row.city.clone()}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                            <Pager page base />
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// ⇄ after the name of a person marked for sync.
#[component]
fn SyncMark() -> impl IntoView {
    let locale = use_locale();
    let text = move || {
        t(
            locale.get(),
            "Gemarkeerd voor synchronisatie",
            "Marked for synchronisation",
        )
    };
    view! { <span class="sync-mark" role="img" title=text aria-label=text data-test="person-synced">"⇄"</span> }
}

/// Marks or unmarks the selected rows for sync.
#[component]
fn BulkSyncBar(
    selected: RwSignal<BTreeSet<PersonId>>,
    bulk: Action<(Vec<PersonId>, bool), Result<u64, crate::error::AppError>>,
) -> impl IntoView {
    let locale = use_locale();
    let count = move || selected.with(BTreeSet::len);
    let disabled = move || count() == 0 || bulk.pending().get();
    let run = move |synced: bool| {
        let ids: Vec<PersonId> = selected.with_untracked(|s| s.iter().copied().collect());
        if !ids.is_empty() {
            bulk.dispatch((ids, synced));
        }
    };
    view! {
        <div class="bulk-bar" data-test="bulk-bar">
            <span class="muted" data-test="bulk-count">{move || match (locale.get(), count()) {
                (Locale::Nl, 0) => "Selecteer contactpersonen om ze te markeren voor synchronisatie.".to_owned(),
                (Locale::En, 0) => "Select contact persons to mark them for synchronisation.".to_owned(),
                (Locale::Nl, n) => format!("{n} geselecteerd"),
                (Locale::En, n) => format!("{n} selected"),
            }}</span>
            <div class="actions">
                <button type="button" data-test="bulk-sync-on" disabled=disabled on:click=move |_| run(true)>
                    <span aria-hidden="true">"⇄ "</span>{tr("Markeren voor synchronisatie", "Mark for synchronisation")}
                </button>
                <button type="button" data-test="bulk-sync-off" disabled=disabled on:click=move |_| run(false)>
                    {tr("Niet synchroniseren", "Do not synchronise")}
                </button>
            </div>
        </div>
        {move || bulk.value().get().map(|result| match result {
            Ok(changed) => view! {
                <p class="notice ok" data-test="bulk-result" role="status">{move || match (locale.get(), changed) {
                    (Locale::Nl, 1) => "1 contactpersoon bijgewerkt.".to_owned(),
                    (Locale::Nl, n) => format!("{n} contactpersonen bijgewerkt."),
                    (Locale::En, 1) => "1 contact person updated.".to_owned(),
                    (Locale::En, n) => format!("{n} contact persons updated."),
                }}</p>
            }.into_any(),
            Err(error) => view! { <ErrorBox error /> }.into_any(),
        })}
    }
}

/// The `:id` of the route; `None` when malformed.
fn person_id() -> Memo<Option<PersonId>> {
    let params = use_params_map();
    Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<PersonId>().ok())
    })
}

/// The person named by the `:id` of the route; a malformed id is "not found".
fn person_resource(id: Memo<Option<PersonId>>) -> Resource<Result<Person, crate::error::AppError>> {
    Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => get_person(id).await,
                None => Err(crate::error::AppError::NotFound),
            }
        },
    )
}

#[component]
pub fn PersonPage() -> impl IntoView {
    let id = person_id();
    let person = person_resource(id);
    // Created here, outside the Suspense, so hydration finds its server-rendered data.
    let mail = timeline_resource(move || id.get().map(TimelineTarget::Person));
    view! {
        <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match person.await {
                    Ok(person) => view! { <PersonDetail person mail /> }.into_any(),
                    Err(error) => view! { <ErrorBox error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn phone_kind(kind: PhoneKind, locale: postkamer_domain::Locale) -> &'static str {
    match kind {
        PhoneKind::Werk => t(locale, "werk", "work"),
        PhoneKind::Mobiel => t(locale, "mobiel", "mobile"),
        PhoneKind::Prive => t(locale, "privé", "home"),
        PhoneKind::Fax => "fax",
        PhoneKind::Overig => t(locale, "overig", "other"),
    }
}

#[component]
fn PersonDetail(person: Person, mail: TimelineResource) -> impl IntoView {
    let locale = use_locale();
    let delete = ServerAction::<DeletePerson>::new();
    Effect::new(move |_| {
        if delete.value().get().is_some_and(|r| r.is_ok()) {
            use_navigate()("/relaties", Default::default());
        }
    });
    let id = person.id;
    let announce_linked = use_query_map()
        .read_untracked()
        .get("nieuw")
        .is_some_and(|v| v == "1");
    let on_delete = move |_| {
        let question = t(
            locale.get_untracked(),
            "Deze contactpersoon verwijderen?",
            "Delete this contact person?",
        );
        if window().confirm_with_message(question).unwrap_or(false) {
            delete.dispatch(DeletePerson { id });
        }
    };
    let address = [
        person.address.street.clone(),
        format!("{} {}", person.address.postal_code, person.address.city)
            .trim()
            .to_owned(),
        person.address.country.clone(),
    ]
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>();
    view! {
        <Title text=person.display_name.clone() />
        <p class="crumbs"><a href="/relaties">{tr("Relaties", "Relations")}</a></p>
        <div class="page-head">
            <h1 data-test="person-name">{person.display_name.clone()}</h1>
            <div class="actions">
                <a class="button" href=format!("/relaties/personen/{id}/bewerken") data-test="edit">{tr("Bewerken", "Edit")}</a>
                <button type="button" class="danger" data-test="delete" on:click=on_delete>{tr("Verwijderen", "Delete")}</button>
            </div>
        </div>
        {move || delete.value().get().and_then(Result::err).map(|error| view! { <ErrorBox error /> })}
        <div class="detail-grid">
            <section class="card">
                <dl>
                    <dt>{tr("Aanhef", "Salutation")}</dt>
                    <dd data-test="person-salutation">{person.greeting()}","</dd>
                    <dt>{tr("Functie", "Job title")}</dt>
                    <dd data-test="person-job_title">{person.job_title.clone().unwrap_or_default()}</dd>
                    <dt>{tr("Bedrijf", "Company")}</dt>
                    <dd data-test="person-company">{person.company.clone().map(|c| view! { <a href=format!("/relaties/bedrijven/{}", c.id)>{c.name}</a> })}</dd>
                    <dt>{tr("E-mail", "E-mail")}</dt>
                    <dd><ul class="plain" data-test="person-emails">
                        {person.emails.iter().map(|e| view! {
                            <li><a href=format!("mailto:{}", e.address)>{e.address.to_string()}</a>
                                {e.primary.then(|| view! { <span class="badge">{tr("primair", "primary")}</span> })}</li>
                        }).collect_view()}
                    </ul></dd>
                    <dt>{tr("Telefoon", "Phone")}</dt>
                    <dd><ul class="plain">
                        {person.phones.iter().map(|p| {
                            let kind = p.kind;
                            view! { <li><a href=format!("tel:{}", p.number.replace(' ', ""))>{p.number.clone()}</a>" "<span class="muted">{move || phone_kind(kind, locale.get())}</span></li> }
                        }).collect_view()}
                    </ul></dd>
                    <dt>{tr("Adres", "Address")}</dt>
                    <dd>{address.into_iter().map(|line| view! { <div>{line}</div> }).collect_view()}</dd>
                    <dt>{tr("Synchroniseren", "Synchronise")}</dt>
                    <dd><PersonSync id synced=person.synchroniseren /></dd>
                    <dt>{tr("Gewijzigd", "Modified")}</dt>
                    <dd>{format_date(person.updated_at)}" UTC"</dd>
                </dl>
                {person.notes.clone().map(|n| view! { <h2>{tr("Notities", "Notes")}</h2><p class="notes">{n}</p> })}
            </section>
            <MailTimeline messages=mail announce_linked />
        </div>
    }
}

/// Whether the person goes to the phones, with the button that changes it.
#[component]
fn PersonSync(id: PersonId, synced: bool) -> impl IntoView {
    let locale = use_locale();
    let synced = RwSignal::new(synced);
    let toggle = Action::new(move |on: &bool| {
        let on = *on;
        async move {
            set_persons_synced(vec![id], on).await?;
            // The page may be gone by the time the answer comes.
            synced.try_set(on);
            Ok::<(), crate::error::AppError>(())
        }
    });
    view! {
        <div class="person-sync">
            <span data-test="person-sync">{move || if synced.get() {
                view! { <SyncMark />" "{move || t(locale.get(), "ja", "yes")} }.into_any()
            } else {
                view! { {move || t(locale.get(), "nee", "no")} }.into_any()
            }}</span>
            " "
            <button type="button" class="link" data-test="person-sync-toggle" disabled=move || toggle.pending().get()
                on:click=move |_| { toggle.dispatch(!synced.get_untracked()); }>
                {move || if synced.get() {
                    t(locale.get(), "Niet meer synchroniseren", "Stop synchronising")
                } else {
                    t(locale.get(), "Markeren voor synchronisatie", "Mark for synchronisation")
                }}
            </button>
        </div>
        {move || (!synced.get()).then(|| view! {
            <p class="hint" data-test="person-sync-hint">{tr(
                "Gemarkeerde relaties komen op de telefoons van wie synchronisatie aan heeft staan. Verwijdert iemand het contact op zijn telefoon, dan blijft de relatie in Postkamer bestaan; alleen de markering wordt dan uitgezet.",
                "Marked relations go to the phones of everyone who has synchronisation on. If someone deletes the contact on their phone, the relation stays in Postkamer; only the mark is switched off.",
            )}</p>
        })}
        {move || toggle.value().get().and_then(Result::err).map(|error| view! { <ErrorBox error /> })}
    }
}

#[component]
pub fn NewPersonPage() -> impl IntoView {
    let locale = use_locale();
    // "Nieuwe contactpersoon" on a company page passes the company along; from an unknown
    // address of a message also the address (`email`) and the name in its header (`naam`).
    let query = use_query_map().get_untracked();
    let email = query.get("email").unwrap_or_default().trim().to_owned();
    let name = query
        .get("naam")
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty())
        .or_else(|| name_from_address(&email))
        .unwrap_or_default();
    let (first_name, tussenvoegsel, last_name) = split_display_name(&name);
    let initial = PersonInput {
        first_name,
        tussenvoegsel,
        last_name,
        emails: (!email.is_empty())
            .then_some(EmailInput {
                address: email,
                primary: true,
            })
            .into_iter()
            .collect(),
        company_id: query.get("bedrijf").and_then(|c| c.parse().ok()),
        ..PersonInput::default()
    };
    view! {
        <Title text=move || t(locale.get(), "Nieuwe contactpersoon", "New contact person") />
        <p class="crumbs"><a href="/relaties">{tr("Relaties", "Relations")}</a></p>
        <h1>{tr("Nieuwe contactpersoon", "New contact person")}</h1>
        <PersonForm initial id=None current_company=None />
    }
}

#[component]
pub fn EditPersonPage() -> impl IntoView {
    let person = person_resource(person_id());
    view! {
        <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match person.await {
                    Ok(person) => view! {
                        <Title text=person.display_name.clone() />
                        <p class="crumbs"><a href="/relaties">{tr("Relaties", "Relations")}</a>" › "
                            <a href=format!("/relaties/personen/{}", person.id)>{person.display_name.clone()}</a></p>
                        <h1>{tr("Contactpersoon bewerken", "Edit contact person")}</h1>
                        <PersonForm initial=person.to_input() id=Some(person.id) current_company=person.company.clone() />
                    }.into_any(),
                    Err(error) => view! { <ErrorBox error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
