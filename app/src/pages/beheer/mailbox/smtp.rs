//! The SMTP part of Beheer → Gebruikersinstellingen → E-mail: the server the user's mail
//! written in Postkamer leaves through. Without one, mail goes through the platform's relay
//! when the organisation's domain is active (Beheer → E-mail → Domeinen). The password is never
//! sent back to the browser; an empty password field keeps it.

use crate::api::outbox::{delete_smtp, get_smtp, save_smtp, test_smtp};
use crate::components::{ErrorBox, FieldError, TextField};
use crate::error::AppError;
use crate::i18n::{t, tr, use_locale};
use leptos::prelude::*;
use postkamer_domain::ValidationErrors;
use postkamer_domain::mail::{SmtpInput, SmtpSettings, TlsMode};

use super::tls_label;

/// Which button's result is on screen.
#[derive(Debug, Clone, PartialEq)]
enum Feedback {
    Saved,
    Tested,
    Deleted,
    TestFailed(AppError),
    Failed(AppError),
}

#[component]
pub fn SmtpSection() -> impl IntoView {
    let settings = Resource::new(|| (), |_| get_smtp());
    view! {
        <section class="card" data-test="smtp-section">
            <h2>{tr("Uitgaande e-mail (SMTP)", "Outgoing e-mail (SMTP)")}</h2>
            <p class="muted">{tr(
                "De server waarlangs de e-mail die u in Postkamer schrijft vertrekt, meestal die van uw provider (poort 587 met STARTTLS of 465 met TLS). Laat u dit leeg, dan verstuurt Postkamer via zijn eigen server zodra het domein van uw organisatie actief is (Beheer → E-mail → Domeinen).",
                "The server the e-mail you write in Postkamer leaves through, usually your provider's (port 587 with STARTTLS or 465 with TLS). Left empty, Postkamer sends through its own server once your organisation's domain is active (Beheer → E-mail → Domeinen).",
            )}</p>
            <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
                {move || Suspend::new(async move {
                    match settings.await {
                        Ok(settings) => view! { <SmtpForm settings /> }.into_any(),
                        Err(error) => view! { <ErrorBox error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn SmtpForm(settings: Option<SmtpSettings>) -> impl IntoView {
    let locale = use_locale();
    let tls = RwSignal::new(settings.as_ref().map_or(TlsMode::StartTls, |s| s.tls));
    let host = RwSignal::new(
        settings
            .as_ref()
            .map(|s| s.host.clone())
            .unwrap_or_default(),
    );
    let port = RwSignal::new(
        settings
            .as_ref()
            .filter(|s| s.port != s.tls.smtp_default_port())
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
    let stored = RwSignal::new(settings.as_ref().is_some_and(|s| s.has_password));
    let exists = RwSignal::new(settings.is_some());
    let feedback = RwSignal::new(None::<Feedback>);
    // The fields are `smtp.host` … on this page (the IMAP form above has its own `host`).
    let errors: Signal<Option<ValidationErrors>> = Signal::derive(move || {
        feedback.with(|f| match f {
            Some(
                Feedback::Failed(AppError::Validation(v))
                | Feedback::TestFailed(AppError::Validation(v)),
            ) => {
                let mut v = v.clone();
                for error in &mut v.0 {
                    error.field = format!("smtp.{}", error.field);
                }
                Some(v)
            }
            _ => None,
        })
    });
    let collect = move || SmtpInput {
        host: host.get_untracked(),
        port: port.get_untracked(),
        tls: tls.get_untracked(),
        login: login.get_untracked(),
        password: password.get_untracked(),
    };
    let save = Action::new(move |input: &SmtpInput| {
        let input = input.clone();
        async move {
            match save_smtp(input).await {
                Ok(saved) => {
                    stored.set(saved.has_password);
                    exists.set(true);
                    password.set(String::new());
                    feedback.set(Some(Feedback::Saved));
                }
                Err(error) => feedback.set(Some(Feedback::Failed(error))),
            }
        }
    });
    let test = Action::new(move |input: &SmtpInput| {
        let input = input.clone();
        async move {
            feedback.set(Some(match test_smtp(input).await {
                Ok(None) => Feedback::Tested,
                Ok(Some(refused)) => Feedback::TestFailed(refused),
                Err(error) => Feedback::TestFailed(error),
            }));
        }
    });
    let delete = Action::new(move |_: &()| async move {
        match delete_smtp().await {
            Ok(()) => {
                exists.set(false);
                stored.set(false);
                feedback.set(Some(Feedback::Deleted));
            }
            Err(error) => feedback.set(Some(Feedback::Failed(error))),
        }
    });
    let busy = move || save.pending().get() || test.pending().get() || delete.pending().get();
    let password_placeholder = Signal::derive(move || {
        if stored.get() {
            t(locale.get(), "ongewijzigd", "unchanged").to_owned()
        } else {
            String::new()
        }
    });
    let port_placeholder = Signal::derive(move || tls.get().smtp_default_port().to_string());
    view! {
        <form class="form" novalidate data-test="smtp-form"
            on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); save.dispatch(collect()); }>
            {move || feedback.get().map(|f| view! { <SmtpNotice feedback=f /> })}
            <div class="row">
                <TextField label="SMTP-server" label_en="SMTP server" field="smtp.host" value=host errors required=true
                    hint=("Bijvoorbeeld smtp.uwprovider.nl", "For example smtp.yourprovider.com") />
                <TextField label="Poort" label_en="Port" field="smtp.port" value=port errors placeholder=port_placeholder
                    hint=("Leeg: 587 bij STARTTLS, 465 bij TLS", "Empty: 587 with STARTTLS, 465 with TLS") />
                <div class="field" class:invalid=move || errors.get().is_some_and(|e| e.0.iter().any(|f| f.field == "smtp.tls"))>
                    <label for="f-smtp-tls">{tr("Beveiliging", "Security")}</label>
                    <select id="f-smtp-tls" data-test="smtp-tls"
                        on:change=move |ev| tls.set(event_target_value(&ev).parse().unwrap_or(TlsMode::StartTls))>
                        {[TlsMode::StartTls, TlsMode::Tls, TlsMode::None].into_iter().map(|mode| view! {
                            <option value=mode.as_str() selected=move || tls.get() == mode>{move || tls_label(mode, locale.get())}</option>
                        }).collect_view()}
                    </select>
                    <FieldError field="smtp.tls" errors />
                </div>
            </div>
            <div class="row">
                <TextField label="Gebruikersnaam" label_en="User name" field="smtp.login" value=login errors
                    hint=("Leeg: verzenden zonder inloggen", "Empty: send without logging in") />
                <TextField label="Wachtwoord" label_en="Password" field="smtp.password" value=password errors
                    input_type="password" autocomplete="new-password" placeholder=password_placeholder />
            </div>
            <div class="form-actions wrap">
                <button type="submit" class="primary" data-test="smtp-save" disabled=busy>{tr("Opslaan", "Save")}</button>
                <button type="button" data-test="smtp-test" disabled=busy on:click=move |_| { test.dispatch(collect()); }>
                    {move || if test.pending().get() { t(locale.get(), "Bezig met testen…", "Testing…") } else { t(locale.get(), "Verbinding testen", "Test connection") }}
                </button>
                {move || exists.get().then(|| view! {
                    <button type="button" class="danger" data-test="smtp-delete" disabled=busy
                        on:click=move |_| { delete.dispatch(()); }>{tr("SMTP-server verwijderen", "Delete SMTP server")}</button>
                })}
            </div>
        </form>
    }
}

#[component]
fn SmtpNotice(feedback: Feedback) -> impl IntoView {
    let locale = use_locale();
    match feedback {
        Feedback::Saved => view! { <p class="notice ok" data-test="smtp-saved">{tr("Opgeslagen.", "Saved.")}</p> }.into_any(),
        Feedback::Tested => view! {
            <p class="notice ok" data-test="smtp-ok">{tr("Verbinding gelukt: de server neemt uw e-mail aan.", "Connection works: the server accepts your e-mail.")}</p>
        }.into_any(),
        Feedback::Deleted => view! { <p class="notice ok" data-test="smtp-deleted">{tr("De SMTP-server is verwijderd.", "The SMTP server has been deleted.")}</p> }.into_any(),
        Feedback::TestFailed(error) if error.validation().is_none() => {
            let error = StoredValue::new(error);
            view! {
                <div class="notice error" data-test="smtp-error" role="alert">
                    <strong>{tr("Verbinding mislukt", "Connection failed")}</strong>
                    <p>{move || error.with_value(|e| e.message(locale.get()))}</p>
                </div>
            }.into_any()
        }
        Feedback::TestFailed(error) | Feedback::Failed(error) => view! { <ErrorBox error /> }.into_any(),
    }
}
