//! Postvak IN at `/`: folder switch (`map=inbox|sent|trash`), search (`q`), pages (`pagina`).

use super::{MessageRows, folder_label};
use crate::api::mail::{MessageParams, get_sync_status, list_messages};
use crate::components::{ErrorBox, Pager, poll_every};
use crate::i18n::{t, tr, use_locale};
use crate::url::encode_component;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;
use postkamer_domain::mail::{FolderRole, SyncStatus};
use std::time::Duration;

/// How often the list asks for new mail.
const REFRESH: Duration = Duration::from_secs(5);

fn message_params() -> Memo<MessageParams> {
    let query = use_query_map();
    Memo::new(move |_| {
        let q = query.read();
        MessageParams {
            folder: q
                .get("map")
                .and_then(|m| m.parse().ok())
                .unwrap_or_default(),
            search: q.get("q").unwrap_or_default(),
            page: q.get("pagina").and_then(|p| p.parse().ok()).unwrap_or(1),
        }
    })
}

/// The list's address without the page: `/`, `/?map=sent`, `/?map=sent&q=offerte`.
fn list_href(folder: FolderRole, search: &str) -> String {
    let mut parts = Vec::new();
    if folder != FolderRole::Inbox {
        parts.push(format!("map={folder}"));
    }
    if !search.is_empty() {
        parts.push(format!("q={}", encode_component(search)));
    }
    if parts.is_empty() {
        "/".to_owned()
    } else {
        format!("/?{}", parts.join("&"))
    }
}

#[component]
pub fn InboxPage() -> impl IntoView {
    let locale = use_locale();
    let params = message_params();
    let messages = Resource::new(move || params.get(), list_messages);
    let status = Resource::new(|| (), |_| get_sync_status());
    // New mail without a reload: the Transition keeps the current list on screen while the
    // fresh one loads, and the search box sits outside it, so nothing typed is lost.
    poll_every(REFRESH, move || {
        messages.refetch();
        status.refetch();
    });
    let folder = move || params.with(|p| p.folder);
    view! {
        <Title text=move || folder_label(folder(), locale.get()) />
        <div class="page-head">
            <h1 data-test="folder-title">{move || folder_label(folder(), locale.get())}</h1>
        </div>
        <nav class="tabs" aria-label=move || t(locale.get(), "Mappen", "Folders")>
            {FolderRole::ALL.into_iter().map(|role| view! {
                <a href=list_href(role, "") class:active=move || folder() == role
                    data-test=format!("folder-{role}")>{move || folder_label(role, locale.get())}</a>
            }).collect_view()}
            <a href="/postvak-uit" data-test="folder-outbox">{tr("Postvak UIT", "Outbox")}</a>
        </nav>
        <Form method="GET" action="/" attr:class="search">
            <input
                type="search"
                name="q"
                data-test="mail-search-input"
                aria-label=move || t(locale.get(), "Zoeken in e-mail", "Search mail")
                placeholder=move || t(locale.get(), "Zoek op afzender, onderwerp of tekst", "Search by sender, subject or text")
                prop:value=move || params.get().search
            />
            {move || (folder() != FolderRole::Inbox).then(|| view! { <input type="hidden" name="map" value=folder().as_str() /> })}
            <button type="submit" data-test="mail-search-submit">{tr("Zoeken", "Search")}</button>
        </Form>
        <Transition fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                let p = params.get_untracked();
                match (status.await, messages.await) {
                    (Err(error), _) | (_, Err(error)) => view! { <ErrorBox error /> }.into_any(),
                    (Ok(None), _) => view! { <NoMailbox /> }.into_any(),
                    (Ok(Some(status)), Ok(page)) => {
                        let base = list_href(p.folder, &p.search);
                        let empty = page.items.is_empty();
                        view! {
                            <SyncNotice status />
                            {if empty {
                                view! {
                                    <p class="empty" data-test="empty">{move || match (p.search.is_empty(), locale.get()) {
                                        (true, l) => t(l, "Geen berichten in deze map.", "No messages in this folder.").to_owned(),
                                        (false, l) => format!("{} “{}”.", t(l, "Geen berichten gevonden voor", "No messages found for"), p.search),
                                    }}</p>
                                }.into_any()
                            } else {
                                view! {
                                    <MessageRows messages=page.items.clone() />
                                    <Pager page base param="pagina" />
                                }.into_any()
                            }}
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// No mailbox yet: where to set one up.
#[component]
fn NoMailbox() -> impl IntoView {
    view! {
        <div class="notice" data-test="no-mailbox">
            <strong>{tr("Nog geen mailbox gekoppeld", "No mailbox connected yet")}</strong>
            <p>{tr(
                "Koppel uw eigen mailbox (IMAP) om hier uw e-mail te zien, automatisch gekoppeld aan uw relaties.",
                "Connect your own mailbox (IMAP) to see your e-mail here, linked to your relations automatically.",
            )}</p>
            <p><a class="button primary" href="/beheer/gebruikersinstellingen/e-mail" data-test="setup-mailbox">
                {tr("E-mail instellen", "Set up e-mail")}</a></p>
        </div>
    }
}

/// The first sync still running, or the last sync failing, said above the list.
#[component]
fn SyncNotice(status: SyncStatus) -> impl IntoView {
    let locale = use_locale();
    let first_sync = status.folders.is_empty() || status.folders.iter().any(|f| !f.first_sync_done);
    let (stored, on_server) = status
        .folders
        .iter()
        .fold((0, 0), |(s, o), f| (s + f.stored, o + f.on_server));
    let error = status
        .last_error
        .clone()
        .or_else(|| status.folders.iter().find_map(|f| f.last_error.clone()));
    view! {
        {error.map(|error| view! {
            <div class="notice error" data-test="sync-error" role="alert">
                <strong>{tr("Synchroniseren lukt niet", "Synchronisation fails")}</strong>
                <p>{error}" "<a href="/beheer/gebruikersinstellingen/e-mail">{tr("Instellingen bekijken", "View settings")}</a></p>
            </div>
        })}
        {first_sync.then(|| view! {
            <p class="notice" data-test="first-sync">
                {move || match locale.get() {
                    postkamer_domain::Locale::Nl => format!("Uw mailbox wordt voor het eerst opgehaald: {stored} van {on_server} berichten binnen."),
                    postkamer_domain::Locale::En => format!("Your mailbox is being fetched for the first time: {stored} of {on_server} messages in."),
                }}
            </p>
        })}
    }
}
