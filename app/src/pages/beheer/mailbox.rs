//! Beheer → Gebruikersinstellingen → E-mail: the user's own IMAP mailbox and how its sync is
//! doing, and the SMTP server their mail leaves through (`smtp`). The passwords are never sent
//! back to the browser; an empty password field keeps the stored one.

use crate::api::mail::{
    delete_mailbox, get_mailbox, get_sync_status, save_mailbox, sync_now, test_mailbox,
};
use crate::components::{ErrorBox, FieldError, TextField, format_local_date, poll_every};
use crate::error::AppError;
use crate::i18n::{t, tr, use_locale};
use leptos::prelude::*;
use leptos_meta::Title;
use postkamer_domain::mail::{FolderRole, MailboxInput, MailboxSettings, SyncStatus, TlsMode};
use postkamer_domain::{Locale, ValidationErrors};
use std::time::Duration;

mod smtp;

/// How often the status refreshes while the first sync runs.
const STATUS_REFRESH: Duration = Duration::from_secs(2);

type StatusResource = Resource<Result<Option<SyncStatus>, AppError>>;

#[component]
pub fn MailboxPage() -> impl IntoView {
    let locale = use_locale();
    let settings = Resource::new(|| (), |_| get_mailbox());
    // Both here, outside the Suspense: a resource created inside one is not matched up with its
    // server-rendered data when the page hydrates.
    let status: StatusResource = Resource::new(|| (), |_| get_sync_status());
    view! {
        <Title text=move || t(locale.get(), "E-mail", "E-mail") />
        <p class="crumbs"><a href="/beheer">{tr("Beheer", "Settings")}</a>" › "{tr("Gebruikersinstellingen", "User settings")}</p>
        <h1>{tr("E-mail", "E-mail")}</h1>
        <p class="muted">{tr(
            "Koppel uw eigen mailbox via IMAP. Postkamer haalt Postvak IN, Verzonden en Prullenbak op; alle e-mail blijft ook op uw mailserver staan.",
            "Connect your own mailbox over IMAP. Postkamer fetches Inbox, Sent and Trash; all e-mail also stays on your mail server.",
        )}</p>
        <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match settings.await {
                    Ok(settings) => view! { <MailboxForm settings status /> }.into_any(),
                    Err(error) => view! { <ErrorBox error /> }.into_any(),
                }
            })}
        </Suspense>
        // Outside the Suspense above: it loads its own settings.
        <smtp::SmtpSection />
    }
}

/// Which button's result is on screen.
#[derive(Debug, Clone, PartialEq)]
enum Feedback {
    Saved,
    Tested(Vec<(FolderRole, String)>),
    SyncRequested,
    Deleted,
    TestFailed(AppError),
    Failed(AppError),
}

pub(super) fn tls_label(mode: TlsMode, locale: Locale) -> &'static str {
    match mode {
        TlsMode::Tls => "TLS",
        TlsMode::StartTls => "STARTTLS",
        TlsMode::None => t(
            locale,
            "Geen (alleen deze computer)",
            "None (this computer only)",
        ),
    }
}

fn folder_name(role: FolderRole, locale: Locale) -> &'static str {
    crate::pages::mail::folder_label(role, locale)
}

#[component]
fn MailboxForm(settings: Option<MailboxSettings>, status: StatusResource) -> impl IntoView {
    let locale = use_locale();
    let tls = RwSignal::new(settings.as_ref().map(|s| s.tls).unwrap_or_default());
    let host = RwSignal::new(
        settings
            .as_ref()
            .map(|s| s.host.clone())
            .unwrap_or_default(),
    );
    // The default port shows as an empty field, so switching TLS mode picks the right default.
    let port = RwSignal::new(
        settings
            .as_ref()
            .filter(|s| s.port != s.tls.default_port())
            .map(|s| s.port.to_string())
            .unwrap_or_default(),
    );
    let login = RwSignal::new(
        settings
            .as_ref()
            .map(|s| s.login.clone())
            .unwrap_or_default(),
    );
    let password = RwSignal::new(String::new());
    let since = RwSignal::new(
        settings
            .as_ref()
            .and_then(|s| s.since.clone())
            .unwrap_or_default(),
    );
    let enabled = RwSignal::new(settings.as_ref().is_none_or(|s| s.enabled));
    let stored = RwSignal::new(settings.is_some());
    let sync_enabled = RwSignal::new(settings.as_ref().is_some_and(|s| s.enabled));
    let feedback = RwSignal::new(None::<Feedback>);
    let errors: Signal<Option<ValidationErrors>> = Signal::derive(move || {
        feedback.with(|f| match f {
            Some(
                Feedback::Failed(AppError::Validation(v))
                | Feedback::TestFailed(AppError::Validation(v)),
            ) => Some(v.clone()),
            _ => None,
        })
    });
    poll_every(STATUS_REFRESH, move || {
        let first_sync_running = status.with_untracked(|s| match s {
            Some(Ok(Some(st))) => {
                st.folders.is_empty() || st.folders.iter().any(|f| !f.first_sync_done)
            }
            _ => false,
        });
        if first_sync_running && sync_enabled.get_untracked() {
            status.refetch();
        }
    });

    let collect = move || MailboxInput {
        host: host.get_untracked(),
        port: port.get_untracked(),
        tls: tls.get_untracked(),
        login: login.get_untracked(),
        password: password.get_untracked(),
        since: since.get_untracked(),
        enabled: enabled.get_untracked(),
    };
    let save = Action::new(move |input: &MailboxInput| {
        let input = input.clone();
        async move {
            match save_mailbox(input).await {
                Ok(saved) => {
                    stored.set(true);
                    sync_enabled.set(saved.enabled);
                    password.set(String::new());
                    feedback.set(Some(Feedback::Saved));
                    status.refetch();
                }
                Err(error) => feedback.set(Some(Feedback::Failed(error))),
            }
        }
    });
    let test = Action::new(move |input: &MailboxInput| {
        let input = input.clone();
        async move {
            feedback.set(Some(match test_mailbox(input).await {
                Ok(folders) => Feedback::Tested(folders),
                Err(error) => Feedback::TestFailed(error),
            }));
        }
    });
    let sync = Action::new(move |_: &()| async move {
        feedback.set(Some(match sync_now().await {
            Ok(()) => Feedback::SyncRequested,
            Err(error) => Feedback::Failed(error),
        }));
        status.refetch();
    });
    let delete = Action::new(move |_: &()| async move {
        match delete_mailbox().await {
            Ok(()) => {
                stored.set(false);
                sync_enabled.set(false);
                feedback.set(Some(Feedback::Deleted));
                status.refetch();
            }
            Err(error) => feedback.set(Some(Feedback::Failed(error))),
        }
    });
    let busy = move || {
        save.pending().get()
            || test.pending().get()
            || sync.pending().get()
            || delete.pending().get()
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.dispatch(collect());
    };
    let on_delete = move |_| {
        let question = t(
            locale.get_untracked(),
            "Mailbox verwijderen? Postkamer haalt dan geen e-mail meer op; op uw mailserver blijft alles staan.",
            "Delete the mailbox? Postkamer then stops fetching e-mail; everything stays on your mail server.",
        );
        if window().confirm_with_message(question).unwrap_or(false) {
            delete.dispatch(());
        }
    };
    let password_placeholder = Signal::derive(move || {
        if stored.get() {
            t(locale.get(), "ongewijzigd", "unchanged").to_owned()
        } else {
            String::new()
        }
    });
    let port_placeholder = Signal::derive(move || tls.get().default_port().to_string());

    view! {
        <form class="card form" on:submit=submit novalidate data-test="mailbox-form">
            {move || feedback.get().map(|f| view! { <FeedbackNotice feedback=f /> })}
            <div class="row">
                <TextField label="IMAP-server" label_en="IMAP server" field="host" value=host errors required=true
                    hint=("Bijvoorbeeld imap.uwprovider.nl", "For example imap.yourprovider.com") />
                <TextField label="Poort" label_en="Port" field="port" value=port errors placeholder=port_placeholder
                    hint=("Leeg: 993 bij TLS, 143 bij STARTTLS of geen", "Empty: 993 with TLS, 143 with STARTTLS or none") />
                <div class="field" class:invalid=move || errors.get().is_some_and(|e| e.0.iter().any(|f| f.field == "tls"))>
                    <label for="f-tls">{tr("Beveiliging", "Security")}</label>
                    <select id="f-tls" data-test="field-tls"
                        on:change=move |ev| tls.set(event_target_value(&ev).parse().unwrap_or_default())>
                        {TlsMode::ALL.into_iter().map(|mode| view! {
                            <option value=mode.as_str() selected=move || tls.get() == mode>{move || tls_label(mode, locale.get())}</option>
                        }).collect_view()}
                    </select>
                    <FieldError field="tls" errors />
                </div>
            </div>
            <div class="row">
                <TextField label="Gebruikersnaam" label_en="User name" field="login" value=login errors required=true />
                <TextField label="Wachtwoord" label_en="Password" field="password" value=password errors
                    input_type="password" autocomplete="new-password" placeholder=password_placeholder />
            </div>
            <div class="row">
                <TextField label="Alleen mail vanaf" label_en="Only mail from" field="since" value=since errors input_type="date"
                    hint=("Leeg: alle e-mail", "Empty: all e-mail") />
                <div class="field">
                    <label class="inline checkbox-field">
                        <input type="checkbox" data-test="field-enabled" bind:checked=enabled />
                        {tr("Synchronisatie aan", "Synchronisation on")}
                    </label>
                </div>
            </div>
            <div class="form-actions wrap">
                <button type="submit" class="primary" data-test="save" disabled=busy>{tr("Opslaan", "Save")}</button>
                <button type="button" data-test="test-connection" disabled=busy
                    on:click=move |_| { test.dispatch(collect()); }>
                    {move || if test.pending().get() { t(locale.get(), "Bezig met testen…", "Testing…") } else { t(locale.get(), "Verbinding testen", "Test connection") }}
                </button>
                <button type="button" data-test="sync-now" disabled=move || busy() || !stored.get()
                    on:click=move |_| { sync.dispatch(()); }>{tr("Nu synchroniseren", "Synchronise now")}</button>
                {move || stored.get().then(|| view! {
                    <button type="button" class="danger" data-test="delete-mailbox" disabled=busy on:click=on_delete>
                        {tr("Mailbox verwijderen", "Delete mailbox")}
                    </button>
                })}
            </div>
        </form>
        <SyncStatusView status />
    }
}

#[component]
fn FeedbackNotice(feedback: Feedback) -> impl IntoView {
    let locale = use_locale();
    match feedback {
        Feedback::Saved => view! {
            <p class="notice ok" data-test="mailbox-saved">{tr("Opgeslagen. De synchronisatie begint zo.", "Saved. Synchronisation starts shortly.")}</p>
        }.into_any(),
        Feedback::Tested(folders) => {
            let found = StoredValue::new(folders);
            view! {
                <div class="notice ok" data-test="connection-ok">
                    <strong>{tr("Verbinding gelukt", "Connection works")}</strong>
                    <p data-test="connection-folders">{move || found.with_value(|folders| folders
                        .iter()
                        .map(|(role, name)| format!("{}: {name}", folder_name(*role, locale.get())))
                        .collect::<Vec<_>>()
                        .join(", "))}</p>
                </div>
            }.into_any()
        }
        Feedback::SyncRequested => view! {
            <p class="notice ok" data-test="sync-requested">{tr("De synchronisatie is gestart.", "Synchronisation has started.")}</p>
        }.into_any(),
        Feedback::Deleted => view! {
            <p class="notice ok" data-test="mailbox-deleted">{tr("De mailbox is verwijderd.", "The mailbox has been deleted.")}</p>
        }.into_any(),
        Feedback::TestFailed(error) if error.validation().is_none() => {
            let error = StoredValue::new(error);
            view! {
                <div class="notice error" data-test="connection-error" role="alert">
                    <strong>{tr("Verbinding mislukt", "Connection failed")}</strong>
                    <p>{move || error.with_value(|e| e.message(locale.get()))}</p>
                </div>
            }.into_any()
        }
        Feedback::TestFailed(error) | Feedback::Failed(error) => view! { <ErrorBox error /> }.into_any(),
    }
}

/// Per folder: on the server, stored here, a progress bar during the first sync, the last
/// success and the last error.
#[component]
fn SyncStatusView(status: StatusResource) -> impl IntoView {
    let locale = use_locale();
    view! {
        <section class="card" data-test="sync-status">
            <h2>{tr("Synchronisatie", "Synchronisation")}</h2>
            <Transition fallback=|| view! { <p class="loading">"…"</p> }>
                {move || Suspend::new(async move {
                    match status.await {
                        Err(error) => view! { <ErrorBox error /> }.into_any(),
                        Ok(None) => view! {
                            <p class="muted" data-test="no-mailbox">{tr("Nog geen mailbox opgeslagen.", "No mailbox saved yet.")}</p>
                        }.into_any(),
                        Ok(Some(st)) => view! {
                            {st.running.then(|| view! {
                                <p class="muted" data-test="sync-running">{tr("● Actief: nieuwe e-mail komt vanzelf binnen.", "● Active: new e-mail comes in by itself.")}</p>
                            })}
                            {st.last_error.clone().map(|error| view! {
                                <div class="notice error" data-test="sync-error" role="alert">
                                    <strong>{tr("Laatste fout", "Last error")}{st.last_error_at.map(|at| format!(" ({})", format_local_date(at)))}</strong>
                                    <p>{error}</p>
                                </div>
                            })}
                            <p class="muted">{tr("Laatst gelukt:", "Last success:")}" "
                                <span data-test="sync-last-success">{st.last_success_at.map_or_else(|| "—".to_owned(), format_local_date)}</span></p>
                            {if st.folders.is_empty() {
                                view! { <p class="muted" data-test="sync-waiting">{tr("De eerste synchronisatie begint zo; de mappen verschijnen hier.", "The first synchronisation starts shortly; the folders appear here.")}</p> }.into_any()
                            } else {
                                view! {
                                    <table class="list sync-folders">
                                        <thead><tr>
                                            <th>{tr("Map", "Folder")}</th>
                                            <th class="num hide-narrow">{tr("Op de server", "On the server")}</th>
                                            <th class="num hide-narrow">{tr("Opgeslagen", "Stored")}</th>
                                            <th>{tr("Status", "Status")}</th>
                                        </tr></thead>
                                        <tbody>
                                            {st.folders.into_iter().map(|f| {
                                                let role = f.role;
                                                view! {
                                                    <tr data-test=format!("sync-folder-{role}")>
                                                        <td>{move || folder_name(role, locale.get())}<div class="muted small">{f.name.clone()}</div></td>
                                                        <td class="num hide-narrow" data-test="on-server">{f.on_server}</td>
                                                        <td class="num hide-narrow" data-test="stored">{f.stored}</td>
                                                        <td>
                                                            <div class="show-narrow muted small">{f.stored}" / "{f.on_server}</div>
                                                            {if f.first_sync_done {
                                                                view! { <span class="sync-done" data-test="first-sync-done">"✓ "{tr("bijgewerkt", "up to date")}</span> }.into_any()
                                                            } else {
                                                                let max = f.on_server.max(1);
                                                                view! {
                                                                    <progress max=max.to_string() value=f.stored.min(max).to_string() data-test="sync-progress"></progress>
                                                                    <span class="muted small">" "{tr("eerste synchronisatie", "first synchronisation")}</span>
                                                                }.into_any()
                                                            }}
                                                            {f.last_success_at.map(|at| view! { <div class="muted small">{tr("gelukt", "succeeded")}" "{format_local_date(at)}</div> })}
                                                            {f.last_error.clone().map(|e| view! { <div class="field-error" data-test="folder-error">{e}</div> })}
                                                        </td>
                                                    </tr>
                                                }
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                }.into_any()
                            }}
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
