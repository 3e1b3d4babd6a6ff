//! Gebruikersinstellingen of the signed-in user: their details, password and API tokens.

use crate::api::auth::{
    ChangePassword, CreateApiToken, PasswordChanged, RevokeApiToken, SaveMyDetails,
    list_api_tokens, my_details,
};
use crate::components::{ErrorBox, TextField, format_date, validation_errors};
use crate::i18n::{t, tr, use_locale};
use leptos::prelude::*;
use leptos_meta::Title;
use postkamer_domain::{Locale, UserDetails};

/// Mijn gegevens: name, job title and phone number, which the templates' merge fields
/// gebruiker.naam, gebruiker.functie and gebruiker.telefoon show in the user's mail.
#[component]
pub fn DetailsPage() -> impl IntoView {
    let locale = use_locale();
    let details = Resource::new(|| (), |_| my_details());
    view! {
        <Title text=move || t(locale.get(), "Mijn gegevens", "My details") />
        <p class="crumbs"><a href="/beheer">{tr("Beheer", "Settings")}</a></p>
        <h1>{tr("Mijn gegevens", "My details")}</h1>
        <p class="muted">{tr(
            "Uw naam, functie en telefoonnummer zoals ze in uw e-mail komen: de samenvoegvelden Gebruiker – naam, functie en telefoon in de e-mailsjablonen.",
            "Your name, job title and phone number as they appear in your e-mail: the merge fields User – name, job title and phone in the e-mail templates.",
        )}</p>
        <Suspense fallback=|| view! { <p class="muted">"…"</p> }>
            {move || Suspend::new(async move {
                match details.await {
                    Ok(initial) => view! { <DetailsForm initial /> }.into_any(),
                    Err(error) => view! { <ErrorBox error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn DetailsForm(initial: UserDetails) -> impl IntoView {
    let save = ServerAction::<SaveMyDetails>::new();
    let name = RwSignal::new(initial.name);
    let job_title = RwSignal::new(initial.job_title);
    let phone = RwSignal::new(initial.phone);
    let errors = validation_errors(save.value());
    // The stored form (a phone number written the one way) once saved.
    Effect::new(move |_| {
        if let Some(Ok(saved)) = save.value().get() {
            phone.set(saved.phone);
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.dispatch(SaveMyDetails {
            details: UserDetails {
                name: name.get_untracked(),
                job_title: job_title.get_untracked(),
                phone: phone.get_untracked(),
            },
        });
    };
    view! {
        <form class="card form narrow" on:submit=submit novalidate data-test="details-form">
            {move || match save.value().get() {
                Some(Ok(_)) => Some(view! {
                    <div class="notice ok" data-test="details-saved"><p>{tr("Uw gegevens zijn opgeslagen.", "Your details have been saved.")}</p></div>
                }.into_any()),
                Some(Err(error)) if error.validation().is_none() => Some(view! { <ErrorBox error /> }.into_any()),
                _ => None,
            }}
            <TextField label="Naam" label_en="Name" field="name" value=name errors autocomplete="name" required=true />
            <TextField label="Functie" label_en="Job title" field="job_title" value=job_title errors autocomplete="organization-title" />
            <TextField label="Telefoon" label_en="Phone" field="phone" value=phone errors input_type="tel" autocomplete="tel" />
            <div class="form-actions">
                <button type="submit" class="primary" data-test="save" disabled=move || save.pending().get()>{tr("Opslaan", "Save")}</button>
            </div>
        </form>
    }
}

#[component]
pub fn PasswordPage() -> impl IntoView {
    let locale = use_locale();
    let change = ServerAction::<ChangePassword>::new();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let errors = validation_errors(change.value());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        change.dispatch(ChangePassword {
            current: current.get_untracked(),
            new: new.get_untracked(),
            confirm: confirm.get_untracked(),
        });
    };
    view! {
        <Title text=move || t(locale.get(), "Wachtwoord wijzigen", "Change password") />
        <p class="crumbs"><a href="/beheer">{tr("Beheer", "Settings")}</a></p>
        <h1>{tr("Wachtwoord wijzigen", "Change password")}</h1>
        <form class="card form narrow" on:submit=submit novalidate data-test="password-form">
            {move || match change.value().get() {
                Some(Ok(revoked)) => Some(view! { <PasswordChangedNotice revoked /> }.into_any()),
                Some(Err(error)) if error.validation().is_none() => Some(view! { <ErrorBox error /> }.into_any()),
                _ => None,
            }}
            <TextField label="Huidig wachtwoord" label_en="Current password" field="current" value=current errors input_type="password" autocomplete="current-password" />
            <TextField label="Nieuw wachtwoord (min. 10 tekens)" label_en="New password (min. 10 characters)" field="new" value=new errors input_type="password" autocomplete="new-password" />
            <TextField label="Nieuw wachtwoord herhalen" label_en="Repeat new password" field="confirm" value=confirm errors input_type="password" autocomplete="new-password" />
            <div class="form-actions">
                <button type="submit" class="primary" data-test="save" disabled=move || change.pending().get()>{tr("Wijzigen", "Change")}</button>
            </div>
        </form>
    }
}

/// After a password change: what was revoked, so the user knows what to set up again.
#[component]
fn PasswordChangedNotice(revoked: PasswordChanged) -> impl IntoView {
    let locale = use_locale();
    let count = move |n: u64, nl: (&str, &str), en: (&str, &str)| {
        let (one, many) = if locale.get() == Locale::En { en } else { nl };
        format!("{n} {}", if n == 1 { one } else { many })
    };
    let ended = move || {
        [
            (
                revoked.sessions,
                ("andere sessie", "andere sessies"),
                ("other session", "other sessions"),
            ),
            (
                revoked.api_tokens,
                ("API-token", "API-tokens"),
                ("API token", "API tokens"),
            ),
            (
                revoked.app_passwords,
                ("app-wachtwoord", "app-wachtwoorden"),
                ("app password", "app passwords"),
            ),
        ]
        .into_iter()
        .filter(|(n, _, _)| *n > 0)
        .map(|(n, nl, en)| count(n, nl, en))
        .collect::<Vec<_>>()
    };
    view! {
        <div class="notice ok" data-test="password-changed">
            <p>{tr("Uw wachtwoord is gewijzigd.", "Your password has been changed.")}</p>
            {move || {
                let ended = ended();
                (!ended.is_empty()).then(|| view! {
                    <p data-test="password-revoked">
                        {tr("Ingetrokken: ", "Revoked: ")}{ended.join(", ")}
                        {tr(
                            ". Programma's en telefoons die daarmee werkten, hebben een nieuw token of app-wachtwoord nodig.",
                            ". Programs and phones that used them need a new token or app password.",
                        )}
                    </p>
                })
            }}
        </div>
    }
}

#[component]
pub fn TokensPage() -> impl IntoView {
    let locale = use_locale();
    let create = ServerAction::<CreateApiToken>::new();
    let revoke = ServerAction::<RevokeApiToken>::new();
    let tokens = Resource::new(
        move || (create.version().get(), revoke.version().get()),
        |_| list_api_tokens(),
    );
    let name = RwSignal::new(String::new());
    let errors = validation_errors(create.value());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        create.dispatch(CreateApiToken {
            name: name.get_untracked(),
        });
    };
    view! {
        <Title text=move || t(locale.get(), "API-tokens", "API tokens") />
        <p class="crumbs"><a href="/beheer">{tr("Beheer", "Settings")}</a></p>
        <h1>{tr("API-tokens", "API tokens")}</h1>
        <p class="muted">{tr(
            "Met een API-token gebruikt een ander programma de JSON-API namens u (Authorization: Bearer …). ",
            "With an API token another program uses the JSON API on your behalf (Authorization: Bearer …). ",
        )}<a href="/api/v1/docs">{tr("API-documentatie", "API documentation")}</a></p>
        {move || create.value().get().and_then(Result::ok).map(|(token, secret)| view! {
            <div class="notice ok" data-test="new-token">
                <p>{tr("Kopieer dit token nu; het wordt niet opnieuw getoond:", "Copy this token now; it will not be shown again:")}" "<strong>{token.name}</strong></p>
                <code class="secret" data-test="new-token-secret">{secret}</code>
            </div>
        })}
        <form class="card form narrow" on:submit=submit novalidate>
            <TextField label="Naam (bijv. het programma)" label_en="Name (e.g. the program)" field="name" value=name errors />
            <div class="form-actions">
                <button type="submit" class="primary" data-test="create-token">{tr("Token aanmaken", "Create token")}</button>
            </div>
        </form>
        <Transition fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match tokens.await {
                    Err(error) => view! { <ErrorBox error /> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <p class="empty">{tr("Nog geen tokens.", "No tokens yet.")}</p> }.into_any(),
                    Ok(list) => view! {
                        <table class="list">
                            <thead><tr><th>{tr("Naam", "Name")}</th><th>{tr("Begint met", "Starts with")}</th><th>{tr("Aangemaakt", "Created")}</th><th>{tr("Laatst gebruikt", "Last used")}</th><th></th></tr></thead>
                            <tbody>{list.into_iter().map(|tok| {
                                let id = tok.id;
                                view! {
                                    <tr data-test="token-row">
                                        <td>{tok.name}</td><td><code>{tok.prefix}"…"</code></td>
                                        <td>{format_date(tok.created_at)}</td>
                                        <td>{tok.last_used_at.map(format_date).unwrap_or_else(|| "—".into())}</td>
                                        <td><button type="button" class="link danger" data-test="revoke-token"
                                            on:click=move |_| { revoke.dispatch(RevokeApiToken { id }); }>{tr("Intrekken", "Revoke")}</button></td>
                                    </tr>
                                }
                            }).collect_view()}</tbody>
                        </table>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}
