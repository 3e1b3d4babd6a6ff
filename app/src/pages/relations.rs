//! Relaties: the lists, detail pages and forms of contact persons and companies.

mod companies;
mod company_form;
mod names;
mod person_form;
mod persons;
mod selections;

pub use companies::{CompaniesPage, CompanyPage, EditCompanyPage, NewCompanyPage};
pub use persons::{EditPersonPage, NewPersonPage, PersonPage, PersonsPage};

use crate::api::ListParams;
use crate::i18n::t;
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

/// The query parameter of the "marked for sync only" filter (`?gesynchroniseerd=ja`).
pub const SYNCED_PARAM: &str = "gesynchroniseerd";

/// The list parameters in the page's query string.
fn list_params() -> Memo<ListParams> {
    let query = use_query_map();
    Memo::new(move |_| {
        let q = query.read();
        ListParams {
            search: q.get("q").unwrap_or_default(),
            sort: q.get("sort").unwrap_or_default(),
            page: q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1),
            company: q.get("bedrijf").and_then(|c| c.parse().ok()),
            synced_only: q.get(SYNCED_PARAM).is_some_and(|v| v == "ja"),
        }
    })
}

/// The query string for `params` with another sort or page, for links.
pub fn list_href(base: &str, params: &ListParams, sort: Option<&str>) -> String {
    let mut parts = Vec::new();
    if !params.search.is_empty() {
        parts.push(format!(
            "q={}",
            crate::url::encode_component(&params.search)
        ));
    }
    if let Some(company) = params.company {
        parts.push(format!("bedrijf={company}"));
    }
    if params.synced_only {
        parts.push(format!("{SYNCED_PARAM}=ja"));
    }
    let sort = sort.unwrap_or(&params.sort);
    if !sort.is_empty() {
        parts.push(format!("sort={sort}"));
    }
    if parts.is_empty() {
        base.to_owned()
    } else {
        format!("{base}?{}", parts.join("&"))
    }
}

/// A sortable column header: clicking toggles between ascending and descending.
fn sort_header(
    base: &'static str,
    params: &ListParams,
    key: &'static str,
    label: impl Fn() -> &'static str + Send + Sync + 'static,
) -> impl IntoView {
    let current = params.sort.clone();
    let (next, mark) = if current == key {
        (format!("-{key}"), " ▲")
    } else if current == format!("-{key}") {
        (key.to_owned(), " ▼")
    } else {
        (key.to_owned(), "")
    };
    let href = list_href(base, params, Some(&next));
    view! { <a class="sort" href=href data-test=format!("sort-{key}")>{label}{mark}</a> }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tab {
    Persons,
    Companies,
}

/// Tabs, search box and "new" button above both lists.
#[component]
fn ListToolbar(tab: Tab) -> impl IntoView {
    let locale = crate::i18n::use_locale();
    let params = list_params();
    let (new_href, new_test, new_nl, new_en) = match tab {
        Tab::Persons => (
            "/relaties/personen/nieuw",
            "new-person",
            "Nieuwe contactpersoon",
            "New contact person",
        ),
        Tab::Companies => (
            "/relaties/bedrijven/nieuw",
            "new-company",
            "Nieuw bedrijf",
            "New company",
        ),
    };
    view! {
        <div class="page-head">
            <h1>{move || t(locale.get(), "Relaties", "Relations")}</h1>
            <a class="button primary" href=new_href data-test=new_test>{move || t(locale.get(), new_nl, new_en)}</a>
        </div>
        <nav class="tabs">
            <a href="/relaties" class:active=tab == Tab::Persons data-test="tab-persons">{move || t(locale.get(), "Contactpersonen", "Contact persons")}</a>
            <a href="/relaties/bedrijven" class:active=tab == Tab::Companies data-test="tab-companies">{move || t(locale.get(), "Bedrijven", "Companies")}</a>
        </nav>
        <Form method="GET" action="" attr:class="search">
            <input
                type="search"
                name="q"
                data-test="search-input"
                aria-label=move || t(locale.get(), "Zoeken", "Search")
                placeholder=move || match tab {
                    Tab::Persons => t(locale.get(), "Zoek op naam, e-mail, bedrijf of telefoon", "Search by name, e-mail, company or phone"),
                    Tab::Companies => t(locale.get(), "Zoek op naam, plaats, KvK, domein of telefoon", "Search by name, city, KvK, domain or phone"),
                }
                prop:value=move || params.get().search
            />
            {move || {
                let sort = params.get().sort;
                (!sort.is_empty()).then(|| view! { <input type="hidden" name="sort" value=sort /> })
            }}
            {move || params.get().company.map(|c| view! { <input type="hidden" name="bedrijf" value=c.to_string() /> })}
            {move || params.get().synced_only.then(|| view! { <input type="hidden" name=SYNCED_PARAM value="ja" /> })}
            <button type="submit" data-test="search-submit">{move || t(locale.get(), "Zoeken", "Search")}</button>
        </Form>
        {(tab == Tab::Persons).then(|| view! {
            <SyncedFilter params />
            <selections::SavedSelections params />
        })}
    }
}

/// "Only marked for sync" on the person list: a link that switches the filter (works without
/// JavaScript; the search, company and sort stay).
#[component]
fn SyncedFilter(params: Memo<ListParams>) -> impl IntoView {
    let locale = crate::i18n::use_locale();
    let on = move || params.get().synced_only;
    let href = move || {
        let mut toggled = params.get();
        toggled.synced_only = !toggled.synced_only;
        list_href("/relaties", &toggled, None)
    };
    view! {
        <p class="list-filters">
            <a href=href class="filter" class:active=on aria-pressed=move || on().to_string() data-test="filter-synced">
                <span aria-hidden="true">"⇄ "</span>
                {move || t(locale.get(), "Alleen gemarkeerd voor synchronisatie", "Only marked for synchronisation")}
            </a>
        </p>
    }
}
