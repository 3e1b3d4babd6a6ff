//! One template (`/beheer/e-mail/sjablonen/:id`, a new one at `…/nieuw`, which becomes the new
//! template's address once it is saved, without reloading the form): name, subject and
//! body in the editor, Opslaan (SuperAdmins; leaving with unsaved changes asks first), a
//! preview for a chosen relation, and the earlier versions with Herstellen. Others see the
//! template and its preview, not editable.

mod preview;
mod versions;

use super::{PATH, template_path};
use crate::api::templates::{RestoreTemplate, SaveTemplate, get_template, template_versions};
use crate::components::{
    Editor, EditorHandle, ErrorBox, FieldError, UnsavedGuard, field_label, validation_errors,
};
use crate::error::AppError;
use crate::i18n::{t, tr, use_locale};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map};
use postkamer_domain::TemplateId;
use postkamer_domain::merge::MergeField;
use postkamer_domain::templates::{MAX_NAME, Template, TemplateInput, TemplateVersion};
use preview::Preview;
use versions::Versions;

/// What a new template starts with: the greeting, the Inhoud block and the signature.
const NEW_BODY: &str = r#"{"type":"doc","content":[{"type":"paragraph","content":[{"type":"merge_field","attrs":{"field":"relatie.aanhef","fallback":""}},{"type":"text","text":","}]},{"type":"inhoud","content":[{"type":"paragraph"}]},{"type":"signature"}]}"#;

#[component]
pub fn TemplatePage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    // `nieuw`: a new template (`None`); anything else that is not an id is not there.
    let address = Memo::new(move |_| match params.read().get("id").as_deref() {
        Some("nieuw") => Ok(None),
        Some(id) => id.parse::<TemplateId>().map(Some).map_err(|_| ()),
        None => Err(()),
    });
    let id = Memo::new(move |_| address.get().ok().flatten());
    // Every resource of the page is made here, in the same order on the server and in the
    // browser (hydration pairs them up by that order), none after an `.await`.
    // A template this page has just created keeps its form: its id in the address does not
    // load it again.
    let created = StoredValue::new(None::<TemplateId>);
    let template = Resource::new(
        move || {
            address
                .get()
                .map(|id| id.filter(|id| created.get_value() != Some(*id)))
        },
        |address| async move {
            match address {
                Ok(Some(id)) => get_template(id).await.map(Some),
                Ok(None) => Ok(None),
                Err(()) => Err(AppError::NotFound),
            }
        },
    );
    let editable = super::super::current_user().is_some_and(|u| u.is_superadmin());
    let save = ServerAction::<SaveTemplate>::new();
    let restore = ServerAction::<RestoreTemplate>::new();
    let versions = Resource::new(
        move || (id.get(), save.version().get(), restore.version().get()),
        move |(id, _, _)| async move {
            match id {
                Some(id) if editable => template_versions(id).await,
                _ => Ok(Vec::new()),
            }
        },
    );
    let actions = Actions {
        editable,
        save,
        restore,
        versions,
        created,
    };
    view! {
        <Title text=move || t(locale.get(), "E-mailsjabloon", "E-mail template") />
        <p class="crumbs">
            <a href="/beheer">{tr("Beheer", "Settings")}</a>" › "{tr("E-mail", "E-mail")}" › "
            <a href=PATH>{tr("E-mailsjablonen", "E-mail templates")}</a>
        </p>
        <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match template.await {
                    Err(error) => view! { <ErrorBox error /> }.into_any(),
                    Ok(template) => view! { <TemplateForm template actions /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// What the page made for the form: whether the caller may change templates, the save and
/// restore actions, the versions list.
#[derive(Clone, Copy)]
struct Actions {
    editable: bool,
    save: ServerAction<SaveTemplate>,
    restore: ServerAction<RestoreTemplate>,
    versions: Resource<Result<Vec<TemplateVersion>, AppError>>,
    created: StoredValue<Option<TemplateId>>,
}

#[component]
fn TemplateForm(template: Option<Template>, actions: Actions) -> impl IntoView {
    let locale = use_locale();
    let Actions {
        editable,
        save,
        restore,
        versions,
        created,
    } = actions;
    let id = RwSignal::new(template.as_ref().map(|t| t.id));
    let name = RwSignal::new(
        template
            .as_ref()
            .map(|t| t.name.clone())
            .unwrap_or_default(),
    );
    let subject = RwSignal::new(
        template
            .as_ref()
            .map(|t| t.subject.clone())
            .unwrap_or_default(),
    );
    let initial = template
        .as_ref()
        .map_or_else(|| NEW_BODY.to_owned(), |t| t.body.clone());
    let body = RwSignal::new(initial.clone());
    // Every edit counts up; what was saved is the count at the time of the save.
    let revision = RwSignal::new(0u64);
    let saved_revision = RwSignal::new(0u64);
    let dirty = Signal::derive(move || revision.get() != saved_revision.get());
    let changed = move || revision.update(|r| *r += 1);
    let handle = EditorHandle::new();
    let errors = validation_errors(save.value());
    let saving_revision = StoredValue::new(0u64);
    let input = move || TemplateInput {
        name: name.get_untracked(),
        subject: subject.get_untracked(),
        body: handle.document().unwrap_or_else(|| body.get_untracked()),
    };
    let submit = move || {
        saving_revision.set_value(revision.get_untracked());
        save.dispatch(SaveTemplate {
            id: id.get_untracked(),
            input: input(),
        });
    };
    Effect::new(move |_| {
        if let Some(Ok(saved)) = save.value().get() {
            saved_revision.set(saving_revision.get_value());
            if id.get_untracked().is_none() {
                created.set_value(Some(saved.id));
                id.set(Some(saved.id));
                use_navigate()(
                    &template_path(saved.id),
                    leptos_router::NavigateOptions {
                        replace: true,
                        ..Default::default()
                    },
                );
            }
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(restored)) = restore.value().get() {
            name.set(restored.name.clone());
            subject.set(restored.subject.clone());
            body.set(restored.body.clone());
            let _ = handle.set_content(&restored.body);
            saved_revision.set(revision.get_untracked());
        }
    });
    let heading = move || {
        let name = name.get();
        if name.trim().is_empty() {
            t(locale.get(), "Nieuw sjabloon", "New template").to_owned()
        } else {
            name
        }
    };
    view! {
        <UnsavedGuard dirty locale=locale.get_untracked() />
        <form class="template-form" data-test="template-form"
            on:submit=move |e| { e.prevent_default(); if editable { submit(); } }>
            <div class="page-head">
                <h1 data-test="template-title">{heading}</h1>
                <div class="actions">
                    <Show when=move || dirty.get()>
                        <span class="status-badge warning" data-test="unsaved">{tr("Niet opgeslagen", "Not saved")}</span>
                    </Show>
                    {editable.then(|| view! {
                        <button type="submit" class="primary" data-test="template-save" disabled=move || save.pending().get()>
                            {move || if save.pending().get() { t(locale.get(), "Opslaan…", "Saving…") } else { t(locale.get(), "Opslaan", "Save") }}
                        </button>
                    })}
                </div>
            </div>
            {(!editable).then(|| view! {
                <p class="notice" data-test="read-only">{tr(
                    "Alleen een SuperAdmin kan sjablonen wijzigen. U kunt het sjabloon bekijken en een voorbeeld tonen.",
                    "Only a SuperAdmin can change templates. You can look at the template and show a preview.",
                )}</p>
            })}
            {move || match save.value().get() {
                Some(Err(AppError::Validation(_))) => view! {
                    <div class="notice error" role="alert" data-test="save-refused">
                        <p>{tr("Het sjabloon is niet opgeslagen; zie de meldingen hieronder. Uw wijzigingen staan er nog.", "The template was not saved; see the messages below. Your changes are still there.")}</p>
                    </div>
                }.into_any(),
                Some(Err(error)) => view! { <ErrorBox error /> }.into_any(),
                Some(Ok(_)) if !dirty.get() => view! {
                    <div class="notice ok" role="status" data-test="saved"><p>{tr("Opgeslagen.", "Saved.")}</p></div>
                }.into_any(),
                _ => ().into_any(),
            }}
            <div class="form-grid">
                <label for="template-name">{tr("Naam", "Name")}</label>
                <div>
                    <input id="template-name" type="text" data-test="field-name" maxlength=MAX_NAME.to_string() required=true
                        readonly=!editable prop:value=name on:input=move |e| { name.set(event_target_value(&e)); changed(); } />
                    <FieldError field="name" errors />
                </div>
                <label for="template-subject">{tr("Onderwerp", "Subject")}</label>
                <div>
                    <div class="subject-line">
                        <input id="template-subject" type="text" data-test="field-subject" maxlength="250"
                            readonly=!editable prop:value=subject on:input=move |e| { subject.set(event_target_value(&e)); changed(); } />
                        {editable.then(|| view! { <SubjectField subject changed /> })}
                    </div>
                    <FieldError field="subject" errors />
                </div>
            </div>
            <Editor initial handle read_only=!editable on_change=move |doc: String| { body.set(doc); changed(); } />
            <FieldError field="body" errors />
        </form>
        <Preview input=Callback::new(move |()| input()) />
        {move || id.get().filter(|_| editable).map(|id| view! {
            <Versions id restore versions />
        })}
    }
}

/// A merge field put at the end of the subject line (`{relatie.voornaam}`).
#[component]
fn SubjectField(
    subject: RwSignal<String>,
    changed: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let locale = use_locale();
    view! {
        <select data-test="subject-field" aria-label=move || t(locale.get(), "Samenvoegveld in het onderwerp", "Merge field in the subject")
            prop:value=""
            on:change=move |e| {
                let key = event_target_value(&e);
                if MergeField::parse(&key).is_some() {
                    subject.update(|s| {
                        if !s.is_empty() && !s.ends_with(' ') {
                            s.push(' ');
                        }
                        s.push_str(&format!("{{{key}}}"));
                    });
                    changed();
                }
            }>
            <option value="">{tr("Samenvoegveld…", "Merge field…")}</option>
            {MergeField::ALL.into_iter().map(|f| view! { <option value=f.key()>{move || field_label(f, locale.get())}</option> }).collect_view()}
        </select>
    }
}
