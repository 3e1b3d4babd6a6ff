//! Beheer → Systeem → Taken in de wachtrij (SuperAdmin only): the organisation's background jobs
//! (mailbox syncs, domain checks, …) that wait, run or failed, with their attempts and last
//! error, and "Opnieuw proberen" for a failed or waiting one.

use super::SuperAdminOnly;
use crate::api::jobs::{RetryJob, job_queue};
use crate::components::{ErrorBox, Pager, format_local_date};
use crate::i18n::{t, tr, use_locale};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use postkamer_domain::Locale;
use postkamer_domain::jobs::{JobState, QueuedJob};

/// The page's path (and its pager's base).
pub const PATH: &str = "/beheer/systeem/wachtrij";

#[component]
pub fn JobsPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let page = Memo::new(move |_| {
        query
            .read()
            .get("pagina")
            .and_then(|p| p.parse::<u32>().ok())
    });
    let retry = ServerAction::<RetryJob>::new();
    let jobs = Resource::new(
        move || (page.get(), retry.version().get()),
        |(page, _)| job_queue(page),
    );
    view! {
        <Title text=move || t(locale.get(), "Taken in de wachtrij", "Queued jobs") />
        <p class="crumbs"><a href="/beheer">{tr("Beheer", "Settings")}</a>" › "{tr("Systeem", "System")}</p>
        <h1>{tr("Taken in de wachtrij", "Queued jobs")}</h1>
        <SuperAdminOnly>
            <p class="muted">{tr(
                "Het werk dat Postkamer op de achtergrond doet voor uw organisatie, zoals mailboxen synchroniseren en domeinen controleren. Een mislukte taak wacht tot u haar opnieuw probeert; een wachtende taak kunt u meteen laten uitvoeren.",
                "The work Postkamer does in the background for your organisation, such as syncing mailboxes and checking domains. A failed job waits until you retry it; a waiting job can be run at once.",
            )}</p>
            {move || match retry.value().get() {
                Some(Err(error)) => view! { <ErrorBox error /> }.into_any(),
                Some(Ok(())) => view! {
                    <div class="notice ok" role="status" data-test="job-retried">
                        <p>{tr("De taak wordt zo snel mogelijk uitgevoerd.", "The job will run as soon as possible.")}</p>
                    </div>
                }.into_any(),
                None => ().into_any(),
            }}
            <Transition fallback=|| view! { <p class="loading">"…"</p> }>
                {move || Suspend::new(async move {
                    match jobs.await {
                        Err(error) => view! { <ErrorBox error /> }.into_any(),
                        Ok(page) if page.items.is_empty() && page.page <= 1 => view! {
                            <p class="empty" data-test="empty">{tr("Er staan geen taken in de wachtrij.", "There are no jobs in the queue.")}</p>
                        }.into_any(),
                        Ok(page) => view! {
                            <div class="table-scroll"><table class="list jobs" data-test="jobs">
                                <thead><tr>
                                    <th>{tr("Taak", "Job")}</th>
                                    <th>{tr("Onderwerp", "Subject")}</th>
                                    <th>{tr("Status", "Status")}</th>
                                    <th>{tr("Pogingen", "Attempts")}</th>
                                    <th>{tr("Gepland op", "Scheduled for")}</th>
                                    <th class="hide-narrow">{tr("Laatste fout", "Last error")}</th>
                                    <th><span class="visually-hidden">{tr("Acties", "Actions")}</span></th>
                                </tr></thead>
                                <tbody>
                                    {page.items.iter().cloned().map(|job| view! { <JobRow job retry /> }).collect_view()}
                                </tbody>
                            </table></div>
                            <Pager page base=PATH.to_owned() param="pagina" />
                        }.into_any(),
                    }
                })}
            </Transition>
        </SuperAdminOnly>
    }
}

#[component]
fn JobRow(job: QueuedJob, retry: ServerAction<RetryJob>) -> impl IntoView {
    let locale = use_locale();
    let (id, state) = (job.id, job.state);
    let (attempts, max) = (job.attempts, job.max_attempts);
    let job = StoredValue::new(job);
    let text = move |f: fn(&QueuedJob) -> Option<String>| {
        job.with_value(f).unwrap_or_else(|| "—".to_owned())
    };
    view! {
        <tr data-test="job-row" data-state=state.as_str()>
            <td data-test="job-label">{move || job.with_value(|j| j.label(locale.get()).to_owned())}</td>
            <td data-test="job-subject">{text(|j| j.subject.clone())}</td>
            <td><span class=format!("status-badge {}", badge(state)) data-test="job-state">{move || state.label(locale.get())}</span></td>
            <td class="nowrap" data-test="job-attempts">{move || attempts_text(attempts, max, locale.get())}</td>
            <td class="nowrap" data-test="job-run-at">{job.with_value(|j| format_local_date(j.run_at))}</td>
            <td class="hide-narrow" data-test="job-error">{text(|j| j.last_error.clone())}</td>
            <td class="nowrap">
                {state.can_retry().then(|| view! {
                    <button type="button" class="link" data-test="job-retry" disabled=move || retry.pending().get()
                        on:click=move |_| { retry.dispatch(RetryJob { id }); }>
                        {move || if state == JobState::Failed || attempts > 0 {
                            t(locale.get(), "Opnieuw proberen", "Retry")
                        } else {
                            t(locale.get(), "Nu uitvoeren", "Run now")
                        }}
                    </button>
                })}
            </td>
        </tr>
    }
}

/// The colour of a state: failed red, running amber, waiting grey.
fn badge(state: JobState) -> &'static str {
    match state {
        JobState::Failed => "error",
        JobState::Running => "warning",
        JobState::Pending => "unknown",
    }
}

/// "2 van 5"; "2" for a job that keeps retrying (a mailbox sync, a domain check).
fn attempts_text(attempts: u32, max: Option<u32>, locale: Locale) -> String {
    match (locale, max) {
        (_, None) => attempts.to_string(),
        (Locale::Nl, Some(max)) => format!("{attempts} van {max}"),
        (Locale::En, Some(max)) => format!("{attempts} of {max}"),
    }
}
