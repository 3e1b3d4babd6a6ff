//! Beheer → E-mail → Actietypen: E-mail uit, E-mail in, Telefoon, Notitie, Taak, Afspraak and the
//! organisation's own, each with the template it opens with. E-mail uit's template is the one a
//! new e-mail starts from (the help text: "controleer welk sjabloon is gekoppeld aan het type
//! E-mail uit"). SuperAdmins rename, switch off, choose the template and add types.

use super::templates::{self, template_path};
use crate::api::templates::{
    CreateActionType, UpdateActionType, list_action_types, list_templates,
};
use crate::components::{ErrorBox, FieldError, validation_errors};
use crate::i18n::{t, tr, use_locale};
use leptos::prelude::*;
use leptos_meta::Title;
use postkamer_domain::TemplateId;
use postkamer_domain::templates::{
    ActionKind, ActionType, ActionTypeInput, MAX_NAME, TemplateSummary,
};

/// The page's path.
pub const PATH: &str = "/beheer/e-mail/actietypen";

#[component]
pub fn ActionTypesPage() -> impl IntoView {
    let locale = use_locale();
    let superadmin = super::current_user().is_some_and(|u| u.is_superadmin());
    let create = ServerAction::<CreateActionType>::new();
    // One resource per server function: a server function called after another's `.await`
    // would run outside the page's context on the server.
    let types = Resource::new(move || create.version().get(), |_| list_action_types());
    let templates = Resource::new(|| (), |_| list_templates());
    view! {
        <Title text=move || t(locale.get(), "Actietypen", "Action types") />
        <p class="crumbs">
            <a href="/beheer">{tr("Beheer", "Settings")}</a>" › "{tr("E-mail", "E-mail")}" › "
            <a href=templates::PATH>{tr("E-mailsjablonen", "E-mail templates")}</a>
        </p>
        <h1>{tr("Actietypen", "Action types")}</h1>
        <p class="muted">{tr(
            "Elk actietype kan een standaardsjabloon hebben. Het sjabloon van E-mail uit is het sjabloon waarmee een nieuwe e-mail opent.",
            "Each action type can have a default template. The template of E-mail uit is the one a new e-mail opens with.",
        )}</p>
        <Transition fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match (types.await, templates.await) {
                    (Err(error), _) | (_, Err(error)) => view! { <ErrorBox error /> }.into_any(),
                    (Ok(types), Ok(templates)) => {
                        let templates = StoredValue::new(templates);
                        view! {
                            <div class="table-scroll"><table class="list action-types" data-test="action-types">
                                <thead><tr>
                                    <th>{tr("Actietype", "Action type")}</th>
                                    <th>{tr("Sjabloon", "Template")}</th>
                                    <th>{tr("Actief", "Active")}</th>
                                    <th><span class="visually-hidden">{tr("Acties", "Actions")}</span></th>
                                </tr></thead>
                                <tbody>
                                    {types.into_iter().map(|action| view! { <ActionTypeRow action templates superadmin /> }).collect_view()}
                                </tbody>
                            </table></div>
                        }.into_any()
                    }
                }
            })}
        </Transition>
        {superadmin.then(|| view! { <NewActionType create /> })}
    }
}

#[component]
fn ActionTypeRow(
    action: ActionType,
    templates: StoredValue<Vec<TemplateSummary>>,
    superadmin: bool,
) -> impl IntoView {
    let locale = use_locale();
    let id = action.id;
    let name = RwSignal::new(action.name.clone());
    let active = RwSignal::new(action.active);
    let template = RwSignal::new(action.template.as_ref().map(|t| t.id));
    let update = ServerAction::<UpdateActionType>::new();
    let errors = validation_errors(update.value());
    let save = move || {
        let input = ActionTypeInput {
            name: name.get_untracked(),
            active: active.get_untracked(),
            template: template.get_untracked(),
        };
        update.dispatch(UpdateActionType { id, input });
    };
    let template_name = move || {
        template.get().and_then(|id| {
            templates.with_value(|list| list.iter().find(|t| t.id == id).map(|t| t.name.clone()))
        })
    };
    let kind = action.kind.map(ActionKind::as_str).unwrap_or("own");
    view! {
        <tr data-test="action-type" data-kind=kind>
            <td>
                {if superadmin {
                    view! {
                        <input type="text" data-test="action-type-name" maxlength=MAX_NAME.to_string() prop:value=name
                            aria-label=move || t(locale.get(), "Naam van het actietype", "Name of the action type")
                            on:input=move |e| name.set(event_target_value(&e)) />
                        <FieldError field="name" errors />
                    }.into_any()
                } else {
                    view! { <span data-test="action-type-name">{name.get_untracked()}</span> }.into_any()
                }}
            </td>
            <td>
                {if superadmin {
                    view! {
                        <select data-test="action-type-template" aria-label=move || t(locale.get(), "Sjabloon", "Template")
                            prop:value=move || template.get().map(|id| id.to_string()).unwrap_or_default()
                            on:change=move |e| template.set(event_target_value(&e).parse::<TemplateId>().ok())>
                            <option value="">{tr("— geen —", "— none —")}</option>
                            {templates.with_value(|list| list.iter().map(|t| view! { <option value=t.id.to_string()>{t.name.clone()}</option> }).collect_view())}
                        </select>
                        <FieldError field="template" errors />
                    }.into_any()
                } else {
                    ().into_any()
                }}
                <span class="template-link" data-test="action-type-template-name">
                    {move || match (template.get(), template_name()) {
                        (Some(id), Some(name)) => view! { <a href=template_path(id) data-test="action-type-open">{if superadmin { t(locale.get(), "Open", "Open").to_owned() } else { name }}</a> }.into_any(),
                        _ if superadmin => ().into_any(),
                        _ => view! { <span class="muted">"—"</span> }.into_any(),
                    }}
                </span>
            </td>
            <td>
                <input type="checkbox" data-test="action-type-active" disabled=!superadmin prop:checked=active
                    aria-label=move || t(locale.get(), "Actief", "Active")
                    on:change=move |e| active.set(event_target_checked(&e)) />
            </td>
            <td class="nowrap">
                {superadmin.then(|| view! {
                    <button type="button" data-test="action-type-save" disabled=move || update.pending().get() on:click=move |_| save()>
                        {tr("Opslaan", "Save")}
                    </button>
                    {move || match update.value().get() {
                        Some(Ok(_)) => view! { <span class="muted" role="status" data-test="action-type-saved">" "{tr("Opgeslagen", "Saved")}</span> }.into_any(),
                        Some(Err(error)) if error.validation().is_none() => view! { <ErrorBox error /> }.into_any(),
                        _ => ().into_any(),
                    }}
                })}
            </td>
        </tr>
    }
}

#[component]
fn NewActionType(create: ServerAction<CreateActionType>) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let errors = validation_errors(create.value());
    Effect::new(move |_| {
        if let Some(Ok(_)) = create.value().get() {
            name.set(String::new());
        }
    });
    view! {
        <form class="card inline-form" data-test="new-action-type"
            on:submit=move |e| { e.prevent_default(); create.dispatch(CreateActionType { name: name.get_untracked() }); }>
            <h2>{tr("Nieuw actietype", "New action type")}</h2>
            <label for="new-action-type">{tr("Naam", "Name")}</label>
            <input id="new-action-type" type="text" data-test="new-action-type-name" maxlength=MAX_NAME.to_string() required=true
                prop:value=name on:input=move |e| name.set(event_target_value(&e)) />
            <button type="submit" disabled=move || create.pending().get()>{tr("Toevoegen", "Add")}</button>
            <FieldError field="name" errors />
            {move || create.value().get().and_then(Result::err).filter(|e| e.validation().is_none()).map(|error| view! { <ErrorBox error /> })}
        </form>
    }
}
