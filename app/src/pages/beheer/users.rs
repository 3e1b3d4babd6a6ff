//! Beheer → Gebruikers (SuperAdmin only): list, create, change role, (de)activate.

use crate::api::users::{CreateUser, SetUserActive, SetUserRole, list_users};
use crate::components::{ErrorBox, TextField, validation_errors};
use crate::i18n::{t, tr, use_locale};
use leptos::prelude::*;
use leptos_meta::Title;
use postkamer_domain::{Role, User};

#[component]
pub fn UsersPage() -> impl IntoView {
    let locale = use_locale();
    let create = ServerAction::<CreateUser>::new();
    let set_role = ServerAction::<SetUserRole>::new();
    let set_active = ServerAction::<SetUserActive>::new();
    let users = Resource::new(
        move || {
            (
                create.version().get(),
                set_role.version().get(),
                set_active.version().get(),
            )
        },
        |_| list_users(),
    );
    let change_error = move || {
        set_role
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| set_active.value().get().and_then(Result::err))
    };
    view! {
        <Title text=move || t(locale.get(), "Gebruikers", "Users") />
        <p class="crumbs"><a href="/beheer">{tr("Beheer", "Settings")}</a></p>
        <h1>{tr("Gebruikers", "Users")}</h1>
        <Transition fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match users.await {
                    Err(error) => view! { <ErrorBox error /> }.into_any(),
                    Ok(users) => view! {
                        {move || change_error().map(|error| view! { <ErrorBox error /> })}
                        <table class="list">
                            <thead><tr>
                                <th>{tr("Naam", "Name")}</th>
                                <th>{tr("E-mailadres", "E-mail address")}</th>
                                <th>{tr("Rol", "Role")}</th>
                                <th>{tr("Status", "Status")}</th>
                            </tr></thead>
                            <tbody>
                                {users.into_iter().map(|u| view! { <UserRow user=u set_role set_active /> }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                }
            })}
        </Transition>
        // Outside the list's Transition, so a refreshed list does not clear what was typed.
        // (The server refuses the call for anyone but a SuperAdmin all the same.)
        {super::current_user().is_some_and(|u| u.is_superadmin()).then(|| view! { <NewUser create /> })}
    }
}

#[component]
fn UserRow(
    user: User,
    set_role: ServerAction<SetUserRole>,
    set_active: ServerAction<SetUserActive>,
) -> impl IntoView {
    let locale = use_locale();
    let id = user.id;
    let active = user.active;
    view! {
        <tr data-test="user-row" class:inactive=!active>
            <td>{user.name.clone()}</td>
            <td>{user.email.to_string()}</td>
            <td>
                <select data-test="user-role" aria-label=move || t(locale.get(), "Rol", "Role")
                    on:change=move |ev| {
                        if let Some(role) = Role::parse(&event_target_value(&ev)) {
                            set_role.dispatch(SetUserRole { id, role });
                        }
                    }>
                    {[Role::SuperAdmin, Role::Gebruiker].into_iter().map(|r| view! {
                        <option value=r.as_str() selected=user.role == r>{move || r.label(locale.get())}</option>
                    }).collect_view()}
                </select>
            </td>
            <td>
                <button type="button" class="link" data-test="user-toggle-active"
                    on:click=move |_| { set_active.dispatch(SetUserActive { id, active: !active }); }>
                    {move || match (active, locale.get()) {
                        (true, l) => t(l, "Actief — deactiveren", "Active — deactivate"),
                        (false, l) => t(l, "Inactief — activeren", "Inactive — activate"),
                    }}
                </button>
            </td>
        </tr>
    }
}

#[component]
fn NewUser(create: ServerAction<CreateUser>) -> impl IntoView {
    let locale = use_locale();
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Gebruiker);
    let errors = validation_errors(create.value());
    Effect::new(move |_| {
        if create.value().get().is_some_and(|r| r.is_ok()) {
            name.set(String::new());
            email.set(String::new());
            password.set(String::new());
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        create.dispatch(CreateUser {
            name: name.get_untracked(),
            email: email.get_untracked(),
            role: role.get_untracked(),
            password: password.get_untracked(),
        });
    };
    view! {
        <form class="card form" on:submit=submit novalidate data-test="new-user-form">
            <h2>{tr("Nieuwe gebruiker", "New user")}</h2>
            {move || create.value().get().and_then(Result::err).filter(|e| e.validation().is_none()).map(|error| view! { <ErrorBox error /> })}
            <div class="row">
                <TextField label="Naam" label_en="Name" field="name" value=name errors required=true />
                <TextField label="E-mailadres" label_en="E-mail address" field="email" value=email errors input_type="email" required=true />
            </div>
            <div class="row">
                <TextField label="Wachtwoord (min. 10 tekens)" label_en="Password (min. 10 characters)" field="password" value=password errors input_type="password" autocomplete="new-password" required=true />
                <div class="field">
                    <label for="f-role">{tr("Rol", "Role")}</label>
                    <select id="f-role" data-test="field-role" on:change=move |ev| role.set(Role::parse(&event_target_value(&ev)).unwrap_or(Role::Gebruiker))>
                        <option value="gebruiker" selected=true>{move || Role::Gebruiker.label(locale.get())}</option>
                        <option value="superadmin">"SuperAdmin"</option>
                    </select>
                </div>
            </div>
            <div class="form-actions">
                <button type="submit" class="primary" data-test="create-user" disabled=move || create.pending().get()>
                    {tr("Gebruiker aanmaken", "Create user")}
                </button>
            </div>
        </form>
    }
}
