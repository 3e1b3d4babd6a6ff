//! "Eerdere versies" on the template page.

use crate::api::templates::RestoreTemplate;
use crate::components::{ErrorBox, format_local_date};
use crate::error::AppError;
use crate::i18n::{t, tr, use_locale};
use leptos::prelude::*;
use postkamer_domain::TemplateId;
use postkamer_domain::templates::TemplateVersion;

/// The last versions with who saved them and when; "Herstellen" saves one again as the newest.
#[component]
pub(super) fn Versions(
    id: TemplateId,
    restore: ServerAction<RestoreTemplate>,
    versions: Resource<Result<Vec<TemplateVersion>, AppError>>,
) -> impl IntoView {
    let locale = use_locale();
    view! {
        <section class="card versions" data-test="versions">
            <h2>{tr("Eerdere versies", "Earlier versions")}</h2>
            {move || restore.value().get().and_then(Result::err).map(|error| view! { <ErrorBox error /> })}
            <Transition fallback=|| view! { <p class="loading">"…"</p> }>
                {move || Suspend::new(async move {
                    match versions.await {
                        Err(error) => view! { <ErrorBox error /> }.into_any(),
                        Ok(list) => view! {
                            <ol class="plain version-list">
                                {list.into_iter().enumerate().map(|(i, v)| {
                                    let version = v.id;
                                    view! {
                                        <li data-test="version">
                                            <span>{format_local_date(v.saved_at)}</span>
                                            {v.saved_by.map(|by| view! { <span class="muted">" · "{by}</span> })}
                                            {if i == 0 {
                                                view! { <span class="muted">" · "{move || t(locale.get(), "huidige versie", "current version")}</span> }.into_any()
                                            } else {
                                                view! {
                                                    " "
                                                    <button type="button" class="link" data-test="version-restore" disabled=move || restore.pending().get()
                                                        on:click=move |_| { restore.dispatch(RestoreTemplate { id, version }); }>
                                                        {tr("Herstellen", "Restore")}
                                                    </button>
                                                }.into_any()
                                            }}
                                        </li>
                                    }
                                }).collect_view()}
                            </ol>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
