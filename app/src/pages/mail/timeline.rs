//! The mail of a contact person or company on its detail page, newest first, with its own
//! page parameter (`mailpagina`) so it pages independently of anything else on the page.

use super::MessageRows;
use crate::api::mail::{TimelineTarget, timeline};
use crate::components::{ErrorBox, Pager};
use crate::error::AppError;
use crate::i18n::{tr, use_locale};
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_query_map};
use postkamer_domain::mail::MessageSummary;
use postkamer_domain::{Locale, Page};

/// A relation's mail, as the page loads it.
pub type TimelineResource = Resource<Result<Page<MessageSummary>, AppError>>;

/// The timeline of `of` (`None`: the page's id is malformed, "not found") at the page in
/// `mailpagina`. Create it at the top of the page, outside any `Suspense`: a resource created
/// inside one is not matched up with its server-rendered data when the page hydrates.
pub fn timeline_resource(
    of: impl Fn() -> Option<TimelineTarget> + Send + Sync + 'static,
) -> TimelineResource {
    let query = use_query_map();
    let page = Memo::new(move |_| {
        query
            .read()
            .get("mailpagina")
            .and_then(|p| p.parse::<u32>().ok())
            .unwrap_or(1)
    });
    Resource::new(
        move || (of(), page.get()),
        |(of, page)| async move {
            match of {
                Some(of) => timeline(of, page).await,
                None => Err(AppError::NotFound),
            }
        },
    )
}

#[component]
pub fn MailTimeline(
    messages: TimelineResource,
    /// Say how many earlier messages the relation brought along (right after creating it).
    #[prop(optional)]
    announce_linked: bool,
) -> impl IntoView {
    let locale = use_locale();
    let path = use_location().pathname;
    view! {
        <section class="card timeline" data-test="timeline">
            <h2>{tr("Tijdlijn", "Timeline")}</h2>
            <Transition fallback=|| view! { <p class="loading">"…"</p> }>
                {move || Suspend::new(async move {
                    match messages.await {
                        Err(error) => view! { <ErrorBox error /> }.into_any(),
                        Ok(list) => {
                            let total = list.total;
                            let notice = (announce_linked && total > 0).then(|| view! {
                                <p class="notice ok" data-test="linked-notice">{move || match (total, locale.get()) {
                                    (1, Locale::Nl) => "1 eerder bericht gekoppeld".to_owned(),
                                    (n, Locale::Nl) => format!("{n} eerdere berichten gekoppeld"),
                                    (1, Locale::En) => "1 earlier message linked".to_owned(),
                                    (n, Locale::En) => format!("{n} earlier messages linked"),
                                }}</p>
                            });
                            if list.items.is_empty() {
                                view! {
                                    {notice}
                                    <p class="muted" data-test="timeline-empty">{tr("Nog geen e-mail met deze relatie.", "No e-mail with this relation yet.")}</p>
                                }.into_any()
                            } else {
                                let base = path.get_untracked();
                                view! {
                                    {notice}
                                    <MessageRows messages=list.items.clone() />
                                    <Pager page=list base param="mailpagina" />
                                }.into_any()
                            }
                        }
                    }
                })}
            </Transition>
        </section>
    }
}
