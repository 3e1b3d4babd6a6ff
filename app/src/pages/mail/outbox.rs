//! Postvak UIT at `/postvak-uit`: the mail the user wrote in Postkamer on its way out, each
//! message with its state (in de wachtrij, wordt verzonden, verzonden, mislukt with the reason
//! and the next attempt, geweigerd, geannuleerd) and every recipient's; "Nu opnieuw proberen"
//! for a failed message and "Annuleren" while one waits. Refreshes itself while something is
//! under way.

use super::folder_label;
use crate::api::outbox::{CancelOutgoing, RetryOutgoing, list_outbox};
use crate::components::{ErrorBox, Pager, format_local_date, poll_every};
use crate::i18n::{t, tr, use_locale};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use postkamer_domain::mail::FolderRole;
use postkamer_domain::mail::outbox::{OutboxItem, OutboxState, RecipientState};
use std::time::Duration;

/// The page's path (and its pager's base).
pub const PATH: &str = "/postvak-uit";

const REFRESH: Duration = Duration::from_secs(3);

#[component]
pub fn OutboxPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let page = Memo::new(move |_| {
        query
            .read()
            .get("pagina")
            .and_then(|p| p.parse::<u32>().ok())
    });
    let cancel = ServerAction::<CancelOutgoing>::new();
    let retry = ServerAction::<RetryOutgoing>::new();
    let outbox = Resource::new(
        move || (page.get(), cancel.version().get(), retry.version().get()),
        |(page, _, _)| list_outbox(page),
    );
    poll_every(REFRESH, move || {
        let moving = outbox.with_untracked(
            |o| matches!(o, Some(Ok(page)) if page.items.iter().any(|m| !m.state.is_final())),
        );
        if moving {
            outbox.refetch();
        }
    });
    let failure = move || {
        cancel
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| retry.value().get().and_then(Result::err))
    };
    view! {
        <Title text=move || t(locale.get(), "Postvak UIT", "Outbox") />
        <div class="page-head">
            <h1 data-test="outbox-title">{tr("Postvak UIT", "Outbox")}</h1>
        </div>
        <nav class="tabs" aria-label=move || t(locale.get(), "Mappen", "Folders")>
            {FolderRole::ALL.into_iter().map(|role| {
                let href = if role == FolderRole::Inbox { "/".to_owned() } else { format!("/?map={role}") };
                view! { <a href=href data-test=format!("folder-{role}")>{move || folder_label(role, locale.get())}</a> }
            }).collect_view()}
            <a href=PATH class="active" data-test="folder-outbox">{tr("Postvak UIT", "Outbox")}</a>
        </nav>
        <p class="muted">{tr(
            "De e-mail die u in Postkamer schrijft, op weg naar de ontvangers. Lukt verzenden even niet, dan probeert Postkamer het vanzelf opnieuw.",
            "The e-mail you write in Postkamer, on its way to the recipients. When sending fails for now, Postkamer tries again by itself.",
        )}</p>
        {move || failure().map(|error| view! { <ErrorBox error /> })}
        <Transition fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match outbox.await {
                    Err(error) => view! { <ErrorBox error /> }.into_any(),
                    Ok(page) if page.items.is_empty() && page.page <= 1 => view! {
                        <p class="empty" data-test="empty">{tr("Postvak UIT is leeg.", "The outbox is empty.")}</p>
                    }.into_any(),
                    Ok(page) => view! {
                        <div class="table-scroll"><table class="list outbox" data-test="outbox">
                            <thead><tr>
                                <th>{tr("Onderwerp", "Subject")}</th>
                                <th>{tr("Aan", "To")}</th>
                                <th>{tr("Status", "Status")}</th>
                                <th class="hide-narrow">{tr("Geschreven", "Written")}</th>
                                <th><span class="visually-hidden">{tr("Acties", "Actions")}</span></th>
                            </tr></thead>
                            <tbody>
                                {page.items.iter().cloned().map(|item| view! { <OutboxRow item cancel retry /> }).collect_view()}
                            </tbody>
                        </table></div>
                        <Pager page base=PATH.to_owned() param="pagina" />
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn OutboxRow(
    item: OutboxItem,
    cancel: ServerAction<CancelOutgoing>,
    retry: ServerAction<RetryOutgoing>,
) -> impl IntoView {
    let locale = use_locale();
    let (id, state) = (item.id, item.state);
    let busy = move || cancel.pending().get() || retry.pending().get();
    let recipients = item
        .recipients
        .iter()
        .map(|r| match r.state {
            RecipientState::Refused => format!("{} ✗", r.address),
            _ => r.address.clone(),
        })
        .collect::<Vec<_>>()
        .join(", ");
    let retry_at = item.retry_at;
    let error = item.last_error.clone();
    view! {
        <tr data-test="outbox-row" data-state=state.as_str()>
            <td data-test="outbox-subject">
                {if item.subject.is_empty() { "—".to_owned() } else { item.subject.clone() }}
                {item.signed_with.is_some().then(|| view! {
                    <div class="muted small" data-test="outbox-signed">{tr("DKIM-ondertekend", "DKIM-signed")}</div>
                })}
            </td>
            <td data-test="outbox-recipients">{recipients}</td>
            <td>
                <span class=format!("status-badge {}", badge(state)) data-test="outbox-state">{move || state.label(locale.get())}</span>
                {error.map(|e| view! { <div class="field-error" data-test="outbox-error">{e}</div> })}
                {retry_at.map(|at| view! {
                    <div class="muted small" data-test="outbox-retry-at">{tr("Volgende poging:", "Next attempt:")}" "{format_local_date(at)}</div>
                })}
            </td>
            <td class="nowrap hide-narrow">{format_local_date(item.created_at)}</td>
            <td class="nowrap">
                {(state == OutboxState::Mislukt).then(|| view! {
                    <button type="button" class="link" data-test="outbox-retry" disabled=busy
                        on:click=move |_| { retry.dispatch(RetryOutgoing { id }); }>
                        {tr("Nu opnieuw proberen", "Retry now")}
                    </button>
                })}
                {matches!(state, OutboxState::Wachtrij | OutboxState::Mislukt).then(|| view! {
                    <button type="button" class="link danger" data-test="outbox-cancel" disabled=busy
                        on:click=move |_| { cancel.dispatch(CancelOutgoing { id }); }>
                        {tr("Annuleren", "Cancel")}
                    </button>
                })}
            </td>
        </tr>
    }
}

/// Sent green, failed and refused red, under way amber, cancelled grey.
fn badge(state: OutboxState) -> &'static str {
    match state {
        OutboxState::Verzonden => "ok",
        OutboxState::Mislukt | OutboxState::Geweigerd => "error",
        OutboxState::Wachtrij | OutboxState::Verzenden => "warning",
        OutboxState::Geannuleerd => "unknown",
    }
}
