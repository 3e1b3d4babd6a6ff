//! Beheer → E-mail → Domeinen (SuperAdmin only): the sending domains with their DKIM state and
//! the latest check, the open notices, and "Domein toevoegen". The domain page itself (records to
//! publish, findings, key rotation, history) is in [`detail`].

mod detail;
mod record;

pub use detail::DomainPage;

use crate::api::domains::{AddDomain, DomainsOverview, list_domains};
use crate::components::{ErrorBox, FieldError, format_local_date, validation_errors};
use crate::i18n::{t, tr, use_locale};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;
use postkamer_domain::sending::{DomainSummary, Status};

/// The list page; a domain's page is `{BASE}/{id}`.
pub(super) const BASE: &str = "/beheer/e-mail/domeinen";

#[component]
pub fn DomainsPage() -> impl IntoView {
    let locale = use_locale();
    let add = ServerAction::<AddDomain>::new();
    let overview = Resource::new(|| (), |_| list_domains());
    // The first check ran with the add: open the new domain's page with its records.
    Effect::new(move |_| {
        if let Some(Ok(view)) = add.value().get() {
            use_navigate()(&format!("{BASE}/{}", view.summary.id), Default::default());
        }
    });
    view! {
        <Title text=move || t(locale.get(), "Domeinen", "Domains") />
        <p class="crumbs"><a href="/beheer">{tr("Beheer", "Settings")}</a>" › "{tr("E-mail", "E-mail")}</p>
        <h1>{tr("Domeinen", "Domains")}</h1>
        <p class="muted">{tr(
            "De domeinen waarvandaan Postkamer e-mail verstuurt. Per domein stelt u eenmalig SPF en DKIM (key001 en key002) in bij uw DNS-provider; Postkamer controleert de records tegen de live DNS.",
            "The domains Postkamer sends e-mail from. For each domain you set up SPF and DKIM (key001 and key002) once at your DNS provider; Postkamer checks the records against live DNS.",
        )}</p>
        <Transition fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Err(error) => view! { <ErrorBox error /> }.into_any(),
                    Ok(overview) => view! { <DomainList overview /> }.into_any(),
                }
            })}
        </Transition>
        // Outside the list's Transition, so a refreshed list does not clear what was typed.
        // (The server refuses the call for anyone but a SuperAdmin all the same.)
        {super::current_user().is_some_and(|u| u.is_superadmin()).then(|| view! { <NewDomain add /> })}
    }
}

#[component]
fn DomainList(overview: DomainsOverview) -> impl IntoView {
    let locale = use_locale();
    let notices = overview.notices;
    let domains = overview.domains;
    view! {
        {notices.into_iter().map(|notice| {
            let href = notice.domain.map(|id| format!("{BASE}/{id}"));
            let notice = StoredValue::new(notice);
            view! {
                <div class="notice error" role="alert" data-test="domain-notice">
                    <strong>{move || notice.with_value(|n| n.text(locale.get()))}</strong>
                    {href.map(|href| view! { <p><a href=href>{tr("Naar het domein", "Go to the domain")}</a></p> })}
                </div>
            }
        }).collect_view()}
        {if domains.is_empty() {
            view! {
                <p class="empty" data-test="empty">{tr("Nog geen domeinen. Voeg hieronder het domein toe waarvandaan u e-mail verstuurt.", "No domains yet. Add the domain you send e-mail from below.")}</p>
            }.into_any()
        } else {
            view! {
                <div class="table-scroll"><table class="list domains">
                    <thead><tr>
                        <th>{tr("Domein", "Domain")}</th>
                        <th>{tr("DKIM", "DKIM")}</th>
                        <th>{tr("Status", "Status")}</th>
                        <th class="hide-narrow">{tr("Laatst gecontroleerd", "Last checked")}</th>
                    </tr></thead>
                    <tbody>
                        {domains.into_iter().map(|d| view! { <DomainRow domain=d /> }).collect_view()}
                    </tbody>
                </table></div>
            }.into_any()
        }}
    }
}

#[component]
fn DomainRow(domain: DomainSummary) -> impl IntoView {
    let locale = use_locale();
    let state = domain.state;
    let checked = domain
        .last_checked_at
        .map_or_else(|| "—".to_owned(), format_local_date);
    view! {
        <tr data-test="domain-row" data-domain=domain.domain.clone()>
            <td class="domain-name"><a href=format!("{BASE}/{}", domain.id)>{domain.domain.clone()}</a></td>
            <td><span class=format!("state-label {}", state.as_str()) data-test="domain-row-state">{move || state.label(locale.get())}</span></td>
            <td><StatusBadge status=domain.status /></td>
            <td class="hide-narrow nowrap">{checked}</td>
        </tr>
    }
}

#[component]
fn NewDomain(add: ServerAction<AddDomain>) -> impl IntoView {
    let locale = use_locale();
    let domain = RwSignal::new(String::new());
    let errors = validation_errors(add.value());
    let invalid = move || {
        errors
            .get()
            .is_some_and(|e| e.0.iter().any(|f| f.field == "domain"))
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        add.dispatch(AddDomain {
            domain: domain.get_untracked(),
        });
    };
    view! {
        <form class="card form narrow" on:submit=submit novalidate data-test="add-domain-form">
            <h2>{tr("Domein toevoegen", "Add a domain")}</h2>
            {move || add.value().get().and_then(Result::err).filter(|e| e.validation().is_none()).map(|error| view! { <ErrorBox error /> })}
            <div class="field" class:invalid=invalid>
                <label for="f-domain">{tr("Domeinnaam", "Domain name")}<span class="required" aria-hidden="true">" *"</span></label>
                <input id="f-domain" name="domain" type="text" data-test="field-domain"
                    autocomplete="off" autocapitalize="none" spellcheck="false" placeholder="voorbeeld.nl"
                    aria-invalid=move || invalid().to_string() bind:value=domain />
                <p class="hint">{tr(
                    "Het deel na de @ van uw afzenderadres. Postkamer controleert de DNS meteen.",
                    "The part after the @ of your sender address. Postkamer checks the DNS at once.",
                )}</p>
                <FieldError field="domain" errors />
            </div>
            <div class="form-actions">
                <button type="submit" class="primary" data-test="add-domain" disabled=move || add.pending().get()>
                    {move || if add.pending().get() {
                        t(locale.get(), "Bezig met toevoegen en controleren…", "Adding and checking…")
                    } else {
                        t(locale.get(), "Domein toevoegen", "Add domain")
                    }}
                </button>
            </div>
        </form>
    }
}

/// The traffic light of a record or a domain; grey "Nog niet gecontroleerd" before the first check.
#[component]
fn StatusBadge(status: Option<Status>) -> impl IntoView {
    let locale = use_locale();
    let class = format!("status-badge {}", status.map_or("unknown", Status::as_str));
    view! {
        <span class=class data-test="status-badge">
            {move || match status {
                Some(status) => status.label(locale.get()),
                None => t(locale.get(), "Nog niet gecontroleerd", "Not checked yet"),
            }}
        </span>
    }
}
