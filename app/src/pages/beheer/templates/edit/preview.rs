//! "Voorbeeld" on the template page: the template filled in for a chosen relation.

use crate::api::ListParams;
use crate::api::relations::list_persons;
use crate::api::templates::PreviewTemplate;
use crate::components::{ErrorBox, frame_document};
use crate::error::AppError;
use crate::i18n::{t, tr, use_locale};
use leptos::prelude::*;
use postkamer_domain::PersonId;
use postkamer_domain::templates::TemplateInput;

/// "Voorbeeld": the template as it stands in the editor, filled in for a relation the user
/// picks (or none, which shows every fallback).
#[component]
pub(super) fn Preview(input: Callback<(), TemplateInput>) -> impl IntoView {
    let locale = use_locale();
    let search = RwSignal::new(String::new());
    let person = RwSignal::new(None::<(PersonId, String)>);
    let preview = ServerAction::<PreviewTemplate>::new();
    let show_text = RwSignal::new(false);
    // Searched as the user types: an action, not a resource, as nothing is searched before.
    let found = Action::new(|search: &String| {
        let search = search.clone();
        async move {
            let params = ListParams {
                search,
                ..Default::default()
            };
            list_persons(params)
                .await
                .map(|page| page.items.into_iter().take(8).collect::<Vec<_>>())
        }
    });
    let show = move || {
        preview.dispatch(PreviewTemplate {
            input: input.run(()),
            person: person.get_untracked().map(|(id, _)| id),
        });
    };
    view! {
        <section class="card preview" data-test="preview">
            <h2>{tr("Voorbeeld", "Preview")}</h2>
            <div class="preview-for">
                <span>{tr("Voor relatie:", "For relation:")}" "</span>
                <strong data-test="preview-person">{move || person.get().map(|(_, n)| n).unwrap_or_else(|| t(locale.get(), "geen (alle velden leeg)", "none (every field empty)").to_owned())}</strong>
                {move || person.get().is_some().then(|| view! {
                    <button type="button" class="link" on:click=move |_| person.set(None)>{tr("wissen", "clear")}</button>
                })}
            </div>
            <input type="search" data-test="preview-search" placeholder=move || t(locale.get(), "Zoek een contactpersoon…", "Search a contact person…")
                prop:value=search on:input=move |e| {
                    let typed = event_target_value(&e);
                    if typed.trim().chars().count() >= 2 {
                        found.dispatch(typed.clone());
                    }
                    search.set(typed);
                } />
            {move || match found.value().get().filter(|_| search.with(|s| s.trim().chars().count() >= 2)) {
                        Some(Ok(people)) if !people.is_empty() => view! {
                            <ul class="plain picks" data-test="preview-results">
                                {people.into_iter().map(|p| {
                                    let choice = (p.id, p.display_name.clone());
                                    view! { <li><button type="button" class="link" data-test="preview-pick"
                                        on:click=move |_| { person.set(Some(choice.clone())); search.set(String::new()); }>
                                        {p.display_name.clone()}{p.company.map(|c| format!(" · {}", c.name))}
                                    </button></li> }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Some(Err(error)) => view! { <ErrorBox error /> }.into_any(),
                        _ => ().into_any(),
            }}
            <div class="actions">
                <button type="button" data-test="preview-show" disabled=move || preview.pending().get() on:click=move |_| show()>
                    {tr("Voorbeeld tonen", "Show preview")}
                </button>
                <label class="inline"><input type="checkbox" prop:checked=show_text on:change=move |e| show_text.set(event_target_checked(&e)) />
                    {tr("Als platte tekst", "As plain text")}</label>
            </div>
            {move || preview.value().get().map(|result| match result {
                Err(AppError::Validation(v)) => {
                    let message = v.message_for("body", locale.get()).or_else(|| v.message_for("subject", locale.get())).unwrap_or_default();
                    view! { <p class="field-error" role="alert">{message}</p> }.into_any()
                }
                Err(error) => view! { <ErrorBox error /> }.into_any(),
                Ok(rendered) => view! {
                    <p><span class="muted">{tr("Onderwerp:", "Subject:")}" "</span><strong data-test="preview-subject">{rendered.subject.clone()}</strong></p>
                    <iframe class="mail-html preview-frame" data-test="preview-html" sandbox="" referrerpolicy="no-referrer"
                        title=move || t(locale.get(), "Voorbeeld", "Preview") srcdoc=frame_document(&rendered.html)
                        style:display=move || if show_text.get() { "none" } else { "block" }></iframe>
                    <pre class="mail-text" data-test="preview-text" style:display=move || if show_text.get() { "block" } else { "none" }>{rendered.text.clone()}</pre>
                }.into_any(),
            })}
        </section>
    }
}
