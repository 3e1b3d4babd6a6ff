//! "Adresboeken per selectie": which saved selections of the relation list go to the phones as
//! read-only address books, next to the relations marked for sync.

use crate::api::selections::{SelectionView, list_selections, set_selection_sync};
use crate::components::{ErrorBox, SavedSwitch};
use crate::error::AppError;
use crate::i18n::{t, tr, use_locale};
use crate::pages::relations::list_href;
use leptos::prelude::*;

#[component]
pub fn SelectionBooks() -> impl IntoView {
    // Read once: each switch keeps its own state (a refetch would draw it anew and take the
    // keyboard focus away).
    let selections = Resource::new(|| (), |_| list_selections());
    view! {
        <section class="card" data-test="selection-books">
            <h2>{tr("Adresboeken per selectie", "Address books per selection")}</h2>
            <p class="muted">{tr(
                "Naast de gemarkeerde relaties kan elke opgeslagen selectie uit de relatielijst als eigen adresboek op uw telefoon staan. Zo'n adresboek is alleen-lezen: wijzigingen maakt u in Postkamer, en ze komen vanzelf mee.",
                "Besides the marked relations, each saved selection of the relation list can be an address book of its own on your phone. Such an address book is read-only: you make changes in Postkamer, and they follow by themselves.",
            )}</p>
            <Transition fallback=|| view! { <p class="loading">"…"</p> }>
                {move || Suspend::new(async move {
                    match selections.await {
                        Err(error) => view! { <ErrorBox error /> }.into_any(),
                        Ok(list) if list.is_empty() => view! {
                            <p class="empty" data-test="selection-books-empty">{tr(
                                "Nog geen selecties. Zoek in de relatielijst en kies ‘Opslaan als selectie’.",
                                "No selections yet. Search the relation list and choose ‘Save as selection’.",
                            )}" "<a href="/relaties">{tr("Naar de relaties", "To the relations")}</a></p>
                        }.into_any(),
                        Ok(list) => view! {
                            <ul class="plain selection-books">
                                {list.into_iter().map(|s| view! { <SelectionBook selection=s /> }).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn SelectionBook(selection: SelectionView) -> impl IntoView {
    let locale = use_locale();
    let on = RwSignal::new(selection.carddav);
    let id = selection.id;
    let toggle = Action::new(move |wanted: &bool| {
        let wanted = *wanted;
        async move {
            set_selection_sync(id, wanted).await?;
            Ok::<bool, AppError>(wanted)
        }
    });
    let href = list_href("/relaties", &selection.params(), None);
    let name = selection.name.clone();
    view! {
        <li data-test="selection-book">
            <SavedSwitch on toggle test="selection-book-toggle">
                <span data-test="selection-book-name">{name}</span>
            </SavedSwitch>
            " "<span class="muted small" data-test="selection-book-state">{move || if on.get() {
                t(locale.get(), "op uw telefoons (alleen lezen)", "on your phones (read-only)")
            } else {
                t(locale.get(), "niet op uw telefoons", "not on your phones")
            }}</span>
            " · "<a href=href>{tr("Bekijken", "View")}</a>
            {move || toggle.value().get().and_then(Result::err).map(|error| view! { <ErrorBox error /> })}
        </li>
    }
}
