//! Saved selections above the person list: each a link back to its search, and "Opslaan als
//! selectie" for the list as it is filtered now.

use super::list_href;
use crate::api::ListParams;
use crate::api::selections::{DeleteSelection, SaveSelection, SelectionView, list_selections};
use crate::components::{ErrorBox, FieldError, validation_errors};
use crate::i18n::{t, tr, use_locale};
use leptos::prelude::*;
use postkamer_domain::Locale;

/// Whether the list shows exactly this selection.
fn is_current(selection: &SelectionView, params: &ListParams) -> bool {
    selection.search.trim() == params.search.trim()
        && selection.company == params.company
        && selection.synced_only == params.synced_only
}

#[component]
pub fn SavedSelections(params: Memo<ListParams>) -> impl IntoView {
    let locale = use_locale();
    let save = ServerAction::<SaveSelection>::new();
    let delete = ServerAction::<DeleteSelection>::new();
    // Refetched after a save that worked (not after a refused one: the form, drawn from the
    // list, keeps its focus and what was typed) and after a delete.
    let saved = RwSignal::new(0_u32);
    let selections = Resource::new(
        move || (saved.get(), delete.version().get()),
        |_| list_selections(),
    );
    let name = RwSignal::new(String::new());
    let errors = validation_errors(save.value());
    Effect::new(move |_| {
        if matches!(save.value().get(), Some(Ok(_))) {
            name.set(String::new());
            saved.update(|n| *n += 1);
        }
    });
    let filtered = move || {
        let p = params.get();
        !p.search.trim().is_empty() || p.company.is_some() || p.synced_only
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.dispatch(SaveSelection {
            name: name.get_untracked(),
            params: params.get_untracked(),
        });
    };
    view! {
        <section class="selections" data-test="selections" aria-label=move || t(locale.get(), "Selecties", "Selections")>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match selections.await {
                        Err(error) => view! { <ErrorBox error /> }.into_any(),
                        Ok(list) => {
                            // Offered for a filtered list that is not a saved selection yet.
                            let offer = filtered()
                                && !params.with(|p| list.iter().any(|s| is_current(s, p)));
                            view! {
                                <SelectionLinks list params delete />
                                {offer.then(|| view! {
                                    <form class="save-selection" on:submit=submit novalidate>
                                        <label for="f-selection-name">{tr("Deze zoekopdracht opslaan als selectie", "Save this search as a selection")}</label>
                                        <div class="inline">
                                            <input id="f-selection-name" type="text" maxlength="100" autocomplete="off"
                                                data-test="field-selection-name" bind:value=name
                                                placeholder=move || t(locale.get(), "Naam, bijvoorbeeld ‘Leveranciers’", "Name, for example ‘Suppliers’")
                                                aria-invalid=move || errors.get().is_some_and(|e| e.message_for("name", locale.get()).is_some()).to_string() />
                                            <button type="submit" data-test="selection-save" disabled=move || save.pending().get()>
                                                {tr("Opslaan als selectie", "Save as selection")}
                                            </button>
                                        </div>
                                        <FieldError field="name" errors />
                                        <FieldError field="company" errors />
                                    </form>
                                })}
                            }
                            .into_any()
                        }
                    }
                })}
            </Transition>
            {move || delete.value().get().and_then(Result::err).map(|error| view! { <ErrorBox error /> })}
            {move || save.value().get().and_then(Result::err).filter(|e| e.validation().is_none())
                .map(|error| view! { <ErrorBox error /> })}
            {move || matches!(save.value().get(), Some(Ok(_))).then(|| view! {
                <p class="notice ok" role="status" data-test="selection-saved">{tr(
                    "Selectie opgeslagen. Onder Beheer → Gebruikersinstellingen → Synchronisatie kunt u haar als adresboek (alleen lezen) op uw telefoon zetten.",
                    "Selection saved. Under Settings → User settings → Synchronisation you can put it on your phone as a (read-only) address book.",
                )}</p>
            })}
        </section>
    }
}

/// The saved selections as links (the current one marked), each with its delete button.
#[component]
fn SelectionLinks(
    list: Vec<SelectionView>,
    params: Memo<ListParams>,
    delete: ServerAction<DeleteSelection>,
) -> impl IntoView {
    let locale = use_locale();
    (!list.is_empty()).then(|| view! {
        <p class="list-filters">
            <span class="muted">{tr("Selecties:", "Selections:")}</span>" "
            {list.into_iter().map(|s| {
                let href = list_href("/relaties", &s.params(), None);
                let current = {
                    let s = s.clone();
                    move || params.with(|p| is_current(&s, p))
                };
                let name = StoredValue::new(s.name.clone());
                let on_delete = move |_| {
                    let question = name.with_value(|n| match locale.get_untracked() {
                        Locale::Nl => format!("Selectie ‘{n}’ verwijderen? De relaties zelf blijven bestaan."),
                        Locale::En => format!("Delete selection ‘{n}’? The relations themselves stay."),
                    });
                    if window().confirm_with_message(&question).unwrap_or(false) {
                        delete.dispatch(DeleteSelection { id: s.id });
                    }
                };
                let delete_label = move || name.with_value(|n| match locale.get() {
                    Locale::Nl => format!("Selectie ‘{n}’ verwijderen"),
                    Locale::En => format!("Delete selection ‘{n}’"),
                });
                view! {
                    <span class="selection" data-test="selection">
                        <a href=href class="filter" class:active=current.clone()
                            aria-current=move || current().then_some("true") data-test="selection-link">{s.name.clone()}</a>
                        <button type="button" class="link danger" data-test="selection-delete"
                            aria-label=delete_label title=delete_label
                            disabled=move || delete.pending().get() on:click=on_delete>"×"</button>
                    </span>
                }
            }).collect_view()}
        </p>
    })
}
