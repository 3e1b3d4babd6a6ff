//! Beheer → E-mail → E-mailsjablonen: the organisation's templates, which action types open
//! with each, who changed it last; Open, Dupliceren, Verwijderen and Nieuw (SuperAdmins), and
//! at the top the button Actietypen the help text points to.

mod edit;

pub use edit::TemplatePage;

use super::action_types;
use crate::api::templates::{DeleteTemplate, DuplicateTemplate, list_templates};
use crate::components::{ErrorBox, format_local_date};
use crate::i18n::{t, tr, use_locale};
use leptos::prelude::*;
use leptos_meta::Title;
use postkamer_domain::TemplateId;
use postkamer_domain::templates::TemplateSummary;

/// The list's path.
pub const PATH: &str = "/beheer/e-mail/sjablonen";

/// Where template `id` opens.
pub fn template_path(id: TemplateId) -> String {
    format!("{PATH}/{id}")
}

#[component]
pub fn TemplatesPage() -> impl IntoView {
    let locale = use_locale();
    let superadmin = super::current_user().is_some_and(|u| u.is_superadmin());
    let duplicate = ServerAction::<DuplicateTemplate>::new();
    let delete = ServerAction::<DeleteTemplate>::new();
    let templates = Resource::new(
        move || (duplicate.version().get(), delete.version().get()),
        |_| list_templates(),
    );
    let failure = move || {
        let failed = |v: Option<Result<_, _>>| v.and_then(Result::err);
        failed(delete.value().get())
            .or_else(|| failed(duplicate.value().get().map(|r| r.map(|_| ()))))
    };
    view! {
        <Title text=move || t(locale.get(), "E-mailsjablonen", "E-mail templates") />
        <p class="crumbs"><a href="/beheer">{tr("Beheer", "Settings")}</a>" › "{tr("E-mail", "E-mail")}</p>
        <div class="page-head">
            <h1>{tr("E-mailsjablonen", "E-mail templates")}</h1>
            <div class="actions">
                <a class="button" href=action_types::PATH data-test="open-action-types">{tr("Actietypen", "Action types")}</a>
                {superadmin.then(|| view! {
                    <a class="button primary" href=format!("{PATH}/nieuw") data-test="new-template">{tr("Nieuw sjabloon", "New template")}</a>
                })}
            </div>
        </div>
        <p class="muted">{tr(
            "Een sjabloon bepaalt hoe een e-mail begint: aanhef, het Inhoud-blok waar u uw tekst typt, handtekening en voettekst. Welk sjabloon een nieuwe e-mail krijgt, stelt u in bij Actietypen (type E-mail uit).",
            "A template sets how an e-mail starts: greeting, the Inhoud block where you type your text, signature and footer. Which template a new e-mail gets is set under Action types (type E-mail uit).",
        )}</p>
        {move || failure().map(|error| view! { <ErrorBox error /> })}
        <Transition fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match templates.await {
                    Err(error) => view! { <ErrorBox error /> }.into_any(),
                    Ok(list) if list.is_empty() => view! {
                        <p class="empty" data-test="empty">{tr("Er zijn nog geen sjablonen.", "There are no templates yet.")}</p>
                    }.into_any(),
                    Ok(list) => view! {
                        <div class="table-scroll"><table class="list templates" data-test="templates">
                            <thead><tr>
                                <th>{tr("Naam", "Name")}</th>
                                <th>{tr("Gebruikt door", "Used by")}</th>
                                <th class="hide-narrow">{tr("Inhoud-blok", "Inhoud block")}</th>
                                <th>{tr("Laatst gewijzigd", "Last changed")}</th>
                                <th><span class="visually-hidden">{tr("Acties", "Actions")}</span></th>
                            </tr></thead>
                            <tbody>
                                {list.into_iter().map(|template| view! { <TemplateRow template superadmin duplicate delete /> }).collect_view()}
                            </tbody>
                        </table></div>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn TemplateRow(
    template: TemplateSummary,
    superadmin: bool,
    duplicate: ServerAction<DuplicateTemplate>,
    delete: ServerAction<DeleteTemplate>,
) -> impl IntoView {
    let locale = use_locale();
    let id = template.id;
    let name = StoredValue::new(template.name.clone());
    let used_by = template.used_by.join(", ");
    let changed_by = template.updated_by.clone();
    let busy = move || duplicate.pending().get() || delete.pending().get();
    let confirm_delete = move |_| {
        let question = match locale.get_untracked() {
            postkamer_domain::Locale::Nl => {
                format!("Het sjabloon ‘{}’ verwijderen?", name.get_value())
            }
            postkamer_domain::Locale::En => format!("Delete the template ‘{}’?", name.get_value()),
        };
        if window().confirm_with_message(&question).unwrap_or(false) {
            delete.dispatch(DeleteTemplate { id });
        }
    };
    view! {
        <tr data-test="template-row" data-name=template.name.clone()>
            <td><a href=template_path(id) data-test="template-name">{template.name.clone()}</a></td>
            <td data-test="template-used-by">{if used_by.is_empty() { "—".to_owned() } else { used_by }}</td>
            <td class="hide-narrow" data-test="template-has-inhoud">{move || if template.has_inhoud { t(locale.get(), "ja", "yes") } else { t(locale.get(), "nee", "no") }}</td>
            <td class="nowrap">
                {format_local_date(template.updated_at)}
                {changed_by.map(|by| view! { <span class="muted">" · "{by}</span> })}
            </td>
            <td class="nowrap row-actions">
                <a href=template_path(id) data-test="template-open">{tr("Open", "Open")}</a>
                {superadmin.then(|| view! {
                    <button type="button" class="link" data-test="template-duplicate" disabled=busy
                        on:click=move |_| { duplicate.dispatch(DuplicateTemplate { id }); }>
                        {tr("Dupliceren", "Duplicate")}
                    </button>
                    <button type="button" class="link danger" data-test="template-delete" disabled=busy on:click=confirm_delete>
                        {tr("Verwijderen", "Delete")}
                    </button>
                })}
            </td>
        </tr>
    }
}
