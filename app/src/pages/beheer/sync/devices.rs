//! App passwords (one per device, the secret shown once) and the devices that synced.

use super::{Loaded, Settings};
use crate::api::sync::{AppPasswordView, CreateAppPassword, DeviceView, NewAppPassword};
use crate::components::{CopyValue, ErrorBox, TextField, format_local_date, validation_errors};
use crate::error::AppError;
use crate::i18n::{t, tr, use_locale};
use leptos::prelude::*;

/// The create form and the new secret stay outside the list's `Transition`: what was typed
/// survives a refused name, and the secret survives the list refreshing.
#[component]
pub fn AppPasswords(
    create: ServerAction<CreateAppPassword>,
    revoke: Action<i64, Result<(), AppError>>,
    settings: Settings,
) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let errors = validation_errors(create.value());
    // The secret of the password just made; gone once dismissed or when the page is left.
    let fresh = RwSignal::new(None::<NewAppPassword>);
    Effect::new(move |_| {
        if let Some(Ok(new)) = create.value().get() {
            name.set(String::new());
            fresh.set(Some(new));
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        create.dispatch(CreateAppPassword {
            name: name.get_untracked(),
        });
    };
    view! {
        <section class="card" data-test="app-passwords">
            <h2>{tr("App-wachtwoorden", "App passwords")}</h2>
            <p class="muted">{tr(
                "Geef elke telefoon of tablet een eigen app-wachtwoord in plaats van uw Postkamer-wachtwoord. Raakt u een apparaat kwijt, dan trekt u alleen dat wachtwoord in.",
                "Give each phone or tablet its own app password instead of your Postkamer password. If you lose a device, you revoke just that password.",
            )}</p>
            {move || fresh.get().map(|new| view! {
                <div class="notice ok secret-box" data-test="app-password-new" role="status">
                    <p><strong>{new.password.name}</strong>": "{tr(
                        "kopieer dit app-wachtwoord nu en vul het op uw telefoon in bij Wachtwoord. Het wordt niet opnieuw getoond.",
                        "copy this app password now and enter it on your phone as Password. It will not be shown again.",
                    )}</p>
                    <CopyValue value=new.secret test="app-password-secret" label=("App-wachtwoord", "App password") />
                    <p><button type="button" class="link" data-test="app-password-done" on:click=move |_| fresh.set(None)>
                        {tr("Ik heb het overgenomen", "I have copied it")}
                    </button></p>
                </div>
            })}
            {move || create.value().get().and_then(Result::err).filter(|e| e.validation().is_none())
                .map(|error| view! { <ErrorBox error /> })}
            <form class="form app-password-form" on:submit=submit novalidate>
                <TextField label="Naam van het apparaat" label_en="Name of the device" field="name" value=name errors
                    hint=("Bijvoorbeeld ‘iPhone Anna’", "For example ‘Anna's iPhone’") />
                <button type="submit" class="primary" data-test="app-password-create" disabled=move || create.pending().get()>
                    {tr("App-wachtwoord aanmaken", "Create app password")}
                </button>
            </form>
            <Loaded settings render=move |o| view! { <AppPasswordList list=o.app_passwords revoke /> }.into_any() />
        </section>
    }
}

#[component]
fn AppPasswordList(
    list: Vec<AppPasswordView>,
    revoke: Action<i64, Result<(), AppError>>,
) -> impl IntoView {
    let locale = use_locale();
    if list.is_empty() {
        return view! {
            <p class="empty" data-test="app-passwords-empty">{tr("Nog geen app-wachtwoorden.", "No app passwords yet.")}</p>
        }
        .into_any();
    }
    view! {
        <div class="table-scroll"><table class="list app-password-list">
            <thead><tr>
                <th>{tr("Naam", "Name")}</th>
                <th class="hide-narrow">{tr("Aangemaakt", "Created")}</th>
                <th>{tr("Laatst gebruikt", "Last used")}</th>
                <th><span class="visually-hidden">{tr("Acties", "Actions")}</span></th>
            </tr></thead>
            <tbody>{list.into_iter().map(|p| {
                let id = p.id;
                let name = StoredValue::new(p.name.clone());
                let revoke_label = move || name.with_value(|n| match locale.get() {
                    postkamer_domain::Locale::Nl => format!("App-wachtwoord ‘{n}’ intrekken"),
                    postkamer_domain::Locale::En => format!("Revoke app password ‘{n}’"),
                });
                let on_revoke = move |_| {
                    let question = name.with_value(|n| match locale.get_untracked() {
                        postkamer_domain::Locale::Nl => format!("App-wachtwoord ‘{n}’ intrekken? Apparaten die het gebruiken, kunnen dan niet meer synchroniseren."),
                        postkamer_domain::Locale::En => format!("Revoke app password ‘{n}’? Devices using it can then no longer sync."),
                    });
                    if window().confirm_with_message(&question).unwrap_or(false) {
                        revoke.dispatch(id);
                    }
                };
                view! {
                    <tr data-test="app-password-row">
                        <td class="break" data-test="app-password-name-cell">{p.name}</td>
                        <td class="hide-narrow nowrap">{format_local_date(p.created_at)}</td>
                        <td class="nowrap">{match p.last_used_at {
                            Some(at) => format_local_date(at).into_any(),
                            None => view! { <span class="muted">{move || t(locale.get(), "nog niet", "not yet")}</span> }.into_any(),
                        }}</td>
                        <td><button type="button" class="link danger" data-test="app-password-revoke"
                            aria-label=revoke_label disabled=move || revoke.pending().get() on:click=on_revoke>{tr("Intrekken", "Revoke")}</button></td>
                    </tr>
                }
            }).collect_view()}</tbody>
        </table></div>
    }
    .into_any()
}

/// "Apparaten": the last sync of each device.
#[component]
pub fn Devices(devices: Vec<DeviceView>) -> impl IntoView {
    let locale = use_locale();
    view! {
        <section class="card" data-test="devices">
            <h2>{tr("Apparaten", "Devices")}</h2>
            {if devices.is_empty() {
                view! {
                    <p class="empty" data-test="devices-empty">{tr("Nog geen apparaat heeft gesynchroniseerd.", "No device has synchronised yet.")}</p>
                }.into_any()
            } else {
                view! {
                    <div class="table-scroll"><table class="list devices">
                        <thead><tr>
                            <th>{tr("Apparaat", "Device")}</th>
                            <th>{tr("Ingelogd met", "Signed in with")}</th>
                            <th>{tr("Laatste synchronisatie", "Last synchronisation")}</th>
                        </tr></thead>
                        <tbody>{devices.into_iter().map(|d| view! {
                            <tr data-test="device-row">
                                <td class="break small" data-test="device-agent">{d.user_agent}</td>
                                <td data-test="device-login">{match d.app_password {
                                    Some(name) => view! { {tr("app-wachtwoord", "app password")}" ‘"{name}"’" }.into_any(),
                                    None => view! { {move || t(locale.get(), "wachtwoord", "password")} }.into_any(),
                                }}</td>
                                <td class="nowrap">{format_local_date(d.last_seen_at)}</td>
                            </tr>
                        }).collect_view()}</tbody>
                    </table></div>
                }.into_any()
            }}
        </section>
    }
}
