use super::company_form::CompanyForm;
use super::{ListToolbar, Tab, list_href, list_params, sort_header};
use crate::api::ListParams;
use crate::api::mail::TimelineTarget;
use crate::api::relations::{DeleteCompany, get_company, list_companies, list_persons};
use crate::components::{ErrorBox, Pager, format_date};
use crate::error::AppError;
use crate::i18n::{t, tr, use_locale};
use crate::pages::mail::{MailTimeline, TimelineResource, timeline_resource};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map};
use postkamer_domain::relation::{Company, CompanyInput, PersonSummary};
use postkamer_domain::{CompanyId, Page};

#[component]
pub fn CompaniesPage() -> impl IntoView {
    let locale = use_locale();
    let params = list_params();
    let companies = Resource::new(move || params.get(), list_companies);
    view! {
        <Title text=move || t(locale.get(), "Bedrijven", "Companies") />
        <ListToolbar tab=Tab::Companies />
        <Transition fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                let p = params.get_untracked();
                match companies.await {
                    Err(error) => view! { <ErrorBox error /> }.into_any(),
                    Ok(page) if page.items.is_empty() => view! {
                        <p class="empty" data-test="empty">{tr("Geen bedrijven gevonden.", "No companies found.")}</p>
                    }.into_any(),
                    Ok(page) => {
                        let base = list_href("/relaties/bedrijven", &p, None);
                        view! {
                            <table class="list">
                                <thead><tr>
                                    <th>{sort_header("/relaties/bedrijven", &p, "name", tr("Naam", "Name"))}</th>
                                    <th>{sort_header("/relaties/bedrijven", &p, "city", tr("Plaats", "City"))}</th>
                                    <th class="hide-narrow">{tr("Telefoon", "Phone")}</th>
                                    <th class="hide-narrow">{tr("KvK", "KvK")}</th>
                                    <th class="num">{tr("Personen", "Persons")}</th>
                                </tr></thead>
                                <tbody>
                                    {page.items.iter().map(|row| view! {
                                        <tr data-test="company-row">
                                            <td><a href=format!("/relaties/bedrijven/{}", row.id)>{row.name.clone()}</a></td>
                                            <td>{row.city.clone()}</td>
                                            <td class="hide-narrow">{row.phone.clone()}</td>
                                            <td class="hide-narrow">{row.kvk_number.clone()}</td>
                                            <td class="num">{row.person_count}</td>
                                        </tr>
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

fn company_id() -> Memo<Option<CompanyId>> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get("id").and_then(|id| id.parse().ok()))
}

fn company_resource(id: Memo<Option<CompanyId>>) -> Resource<Result<Company, AppError>> {
    Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => get_company(id).await,
                None => Err(AppError::NotFound),
            }
        },
    )
}

#[component]
pub fn CompanyPage() -> impl IntoView {
    let id = company_id();
    let company = company_resource(id);
    // The lists on the page are loaded here, outside the Suspense: a resource created inside one
    // is not matched up with its server-rendered data when the page hydrates.
    let persons = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => {
                    list_persons(ListParams {
                        page: 1,
                        company: Some(id),
                        ..Default::default()
                    })
                    .await
                }
                None => Err(AppError::NotFound),
            }
        },
    );
    let mail = timeline_resource(move || id.get().map(TimelineTarget::Company));
    view! {
        <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match company.await {
                    Ok(company) => view! { <CompanyDetail company persons mail /> }.into_any(),
                    Err(error) => view! { <ErrorBox error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CompanyDetail(
    company: Company,
    persons: Resource<Result<Page<PersonSummary>, AppError>>,
    mail: TimelineResource,
) -> impl IntoView {
    let locale = use_locale();
    let delete = ServerAction::<DeleteCompany>::new();
    Effect::new(move |_| {
        if delete.value().get().is_some_and(|r| r.is_ok()) {
            use_navigate()("/relaties/bedrijven", Default::default());
        }
    });
    let id = company.id;
    let on_delete = move |_| {
        let question = t(
            locale.get_untracked(),
            "Dit bedrijf verwijderen? De contactpersonen blijven bestaan, zonder bedrijf.",
            "Delete this company? Its contact persons stay, without a company.",
        );
        if window().confirm_with_message(question).unwrap_or(false) {
            delete.dispatch(DeleteCompany { id });
        }
    };
    let address = [
        company.address.street.clone(),
        format!("{} {}", company.address.postal_code, company.address.city)
            .trim()
            .to_owned(),
        company.address.country.clone(),
    ]
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>();
    view! {
        <Title text=company.name.clone() />
        <p class="crumbs"><a href="/relaties/bedrijven">{tr("Bedrijven", "Companies")}</a></p>
        <div class="page-head">
            <h1 data-test="company-name">{company.name.clone()}</h1>
            <div class="actions">
                <a class="button" href=format!("/relaties/bedrijven/{id}/bewerken") data-test="edit">{tr("Bewerken", "Edit")}</a>
                <button type="button" class="danger" data-test="delete" on:click=on_delete>{tr("Verwijderen", "Delete")}</button>
            </div>
        </div>
        {move || delete.value().get().and_then(Result::err).map(|error| view! { <ErrorBox error /> })}
        <div class="detail-grid">
            <section class="card">
                <dl>
                    <dt>{tr("KvK-nummer", "KvK number")}</dt><dd data-test="company-kvk">{company.kvk_number.clone()}</dd>
                    <dt>{tr("Telefoon", "Phone")}</dt><dd>{company.phone.clone()}</dd>
                    <dt>{tr("Website", "Website")}</dt>
                    <dd>{company.website.clone().map(|w| view! { <a href=w.clone() rel="noopener noreferrer" target="_blank">{w.clone()}</a> })}</dd>
                    <dt>{tr("E-maildomeinen", "E-mail domains")}</dt><dd data-test="company-domains">{company.email_domains.join(", ")}</dd>
                    <dt>{tr("Adres", "Address")}</dt>
                    <dd data-test="company-address">{address.into_iter().map(|line| view! { <div>{line}</div> }).collect_view()}</dd>
                    <dt>{tr("Gewijzigd", "Modified")}</dt><dd>{format_date(company.updated_at)}" UTC"</dd>
                </dl>
            </section>
            <section class="card">
                <h2>{tr("Contactpersonen", "Contact persons")}" ("{company.person_count}")"</h2>
                <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
                    {move || Suspend::new(async move {
                        match persons.await {
                            Ok(page) => view! {
                                <ul class="plain" data-test="company-persons">
                                    {page.items.into_iter().map(|p| view! {
                                        <li><a href=format!("/relaties/personen/{}", p.id)>{p.display_name}</a>
                                            {p.job_title.map(|j| view! { <span class="muted">" · "{j}</span> })}</li>
                                    }).collect_view()}
                                </ul>
                            }.into_any(),
                            Err(error) => view! { <ErrorBox error /> }.into_any(),
                        }
                    })}
                </Suspense>
                <div class="actions">
                    <a class="button" href=format!("/relaties/personen/nieuw?bedrijf={id}") data-test="company-new-person">
                        {tr("Nieuwe contactpersoon", "New contact person")}
                    </a>
                    {(company.person_count > 25).then(|| view! {
                        <a class="button" href=format!("/relaties?bedrijf={id}")>{tr("Alle contactpersonen", "All contact persons")}</a>
                    })}
                </div>
            </section>
            <MailTimeline messages=mail />
        </div>
    }
}

#[component]
pub fn NewCompanyPage() -> impl IntoView {
    let locale = use_locale();
    view! {
        <Title text=move || t(locale.get(), "Nieuw bedrijf", "New company") />
        <p class="crumbs"><a href="/relaties/bedrijven">{tr("Bedrijven", "Companies")}</a></p>
        <h1>{tr("Nieuw bedrijf", "New company")}</h1>
        <CompanyForm initial=CompanyInput::default() id=None />
    }
}

#[component]
pub fn EditCompanyPage() -> impl IntoView {
    let company = company_resource(company_id());
    view! {
        <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match company.await {
                    Ok(company) => view! {
                        <Title text=company.name.clone() />
                        <p class="crumbs"><a href="/relaties/bedrijven">{tr("Bedrijven", "Companies")}</a>" › "
                            <a href=format!("/relaties/bedrijven/{}", company.id)>{company.name.clone()}</a></p>
                        <h1>{tr("Bedrijf bewerken", "Edit company")}</h1>
                        <CompanyForm initial=company.to_input() id=Some(company.id) />
                    }.into_any(),
                    Err(error) => view! { <ErrorBox error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
