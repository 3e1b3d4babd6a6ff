//! The message view at `/postvak/:id` (`?afbeeldingen=1` shows remote images).

use super::unknown::UnknownAddresses;
use super::{MessageRows, folder_label};
use crate::api::mail::{
    LinkedAddress, delete_message, get_message, set_message_flags, set_message_private,
};
use crate::components::{ErrorBox, format_local_date, format_size, frame_document};
use crate::error::AppError;
use crate::i18n::{t, tr, use_locale};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use postkamer_domain::MessageId;
use postkamer_domain::mail::{AddressKind, FolderRole, MailAddress, MessageView};

/// What the page shows after "Koppelen aan bestaande contactpersoon", above the (reloaded) view.
pub(super) type LinkedNotice = RwSignal<Option<LinkedAddress>>;

#[component]
pub fn MessagePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<MessageId>().ok())
    });
    let images = Memo::new(move |_| query.read().get("afbeeldingen").is_some_and(|v| v == "1"));
    let message = Resource::new(
        move || (id.get(), images.get()),
        |(id, images)| async move {
            match id {
                Some(id) => get_message(id, images).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    let linked: LinkedNotice = RwSignal::new(None);
    // The message this page has marked read already: a reload of the view (after linking an
    // address) must not undo "Markeer als ongelezen".
    let marked_read = StoredValue::new(None::<MessageId>);
    let locale = use_locale();
    view! {
        <p class="crumbs"><a href="/">{tr("Postvak IN", "Inbox")}</a></p>
        {move || linked.get().map(|l| view! {
            <p class="notice ok" data-test="linked-notice">
                {tr("Gekoppeld aan", "Linked to")}" "
                <a href=format!("/relaties/personen/{}", l.person)>{l.display_name.clone()}</a>
                {move || match (l.messages, locale.get()) {
                    (1, postkamer_domain::Locale::Nl) => ": 1 bericht".to_owned(),
                    (n, postkamer_domain::Locale::Nl) => format!(": {n} berichten"),
                    (1, postkamer_domain::Locale::En) => ": 1 message".to_owned(),
                    (n, postkamer_domain::Locale::En) => format!(": {n} messages"),
                }}
            </p>
        })}
        <Transition fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match message.await {
                    Ok(view) => view! { <MessageDetail view images=images.get_untracked() message linked marked_read /> }.into_any(),
                    Err(error) => view! { <ErrorBox error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The addresses of one header, as written.
fn header_line(view: &MessageView, kind: AddressKind) -> Option<String> {
    let list: Vec<String> = view
        .addresses
        .iter()
        .filter(|a| a.kind == kind)
        .map(MailAddress::display)
        .collect();
    (!list.is_empty()).then(|| list.join(", "))
}

#[derive(Debug, Clone, Copy)]
enum Change {
    Seen(bool),
    Flagged(bool),
    Private(bool),
}

#[component]
fn MessageDetail(
    view: MessageView,
    images: bool,
    message: Resource<Result<MessageView, AppError>>,
    linked: LinkedNotice,
    marked_read: StoredValue<Option<MessageId>>,
) -> impl IntoView {
    let locale = use_locale();
    let summary = view.summary.clone();
    let id = summary.id;
    let owned = view.owned;
    let seen = RwSignal::new(summary.seen.unwrap_or(true));
    let flagged = RwSignal::new(summary.flagged.unwrap_or(false));
    let private = RwSignal::new(summary.private);
    let change = Action::new(move |change: &Change| {
        let change = *change;
        async move {
            let result = match change {
                Change::Seen(v) => set_message_flags(id, Some(v), None).await,
                Change::Flagged(v) => set_message_flags(id, None, Some(v)).await,
                Change::Private(v) => set_message_private(id, v).await,
            };
            if result.is_ok() {
                match change {
                    Change::Seen(v) => seen.set(v),
                    Change::Flagged(v) => flagged.set(v),
                    Change::Private(v) => private.set(v),
                }
            }
            result
        }
    });
    // Opening an unread message of one's own marks it read (once, in the browser).
    Effect::new(move |_| {
        if marked_read.get_value() != Some(id) {
            marked_read.set_value(Some(id));
            if owned && !seen.get_untracked() {
                change.dispatch(Change::Seen(true));
            }
        }
    });
    let folder = summary.folder.unwrap_or_default();
    let delete = Action::new(move |_: &()| delete_message(id));
    Effect::new(move |_| {
        if delete.value().get().is_some_and(|r| r.is_ok()) {
            let back = match folder {
                FolderRole::Inbox => "/".to_owned(),
                other => format!("/?map={other}"),
            };
            use_navigate()(&back, Default::default());
        }
    });
    let busy = move || change.pending().get() || delete.pending().get();
    let error = move || {
        delete
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| change.value().get().and_then(Result::err))
    };
    let subject = if summary.subject.trim().is_empty() {
        t(locale.get_untracked(), "(geen onderwerp)", "(no subject)").to_owned()
    } else {
        summary.subject.clone()
    };
    let from = header_line(&view, AddressKind::From);
    let to = header_line(&view, AddressKind::To);
    let cc = header_line(&view, AddressKind::Cc);
    let MessageView {
        html,
        text,
        remote_images_blocked,
        attachments,
        unknown_addresses,
        thread,
        summary,
        too_large,
        size,
        ..
    } = view;
    view! {
        <Title text=subject.clone() />
        <article class="message" data-test="message">
            <div class="page-head">
                <h1 data-test="message-subject">{subject}</h1>
                {summary.folder.map(|f| view! { <span class="badge">{move || folder_label(f, locale.get())}</span> })}
            </div>
            {move || error().map(|error| view! { <ErrorBox error /> })}
            <div class="message-actions actions">
                {owned.then(|| view! {
                    <button type="button" data-test="toggle-seen" disabled=busy
                        on:click=move |_| { change.dispatch(Change::Seen(!seen.get_untracked())); }>
                        {move || if seen.get() { t(locale.get(), "Markeer als ongelezen", "Mark as unread") } else { t(locale.get(), "Markeer als gelezen", "Mark as read") }}
                    </button>
                    <button type="button" data-test="toggle-flagged" class:on=move || flagged.get() disabled=busy
                        aria-pressed=move || flagged.get().to_string()
                        on:click=move |_| { change.dispatch(Change::Flagged(!flagged.get_untracked())); }>
                        "★ "{tr("Belangrijk", "Important")}
                    </button>
                    <button type="button" data-test="toggle-private" class:on=move || private.get() disabled=busy
                        aria-pressed=move || private.get().to_string()
                        on:click=move |_| { change.dispatch(Change::Private(!private.get_untracked())); }>
                        "🔒 "{tr("Privé", "Private")}
                    </button>
                    {(folder != FolderRole::Trash).then(|| view! {
                        <button type="button" class="danger" data-test="delete-message" disabled=busy
                            on:click=move |_| { delete.dispatch(()); }>
                            {tr("Verwijderen", "Delete")}
                        </button>
                    })}
                })}
                {(!too_large).then(|| view! {
                    <a class="button" href=format!("/mail/{id}/raw") download="" rel="external" data-test="download-raw">
                        {tr("Origineel downloaden", "Download original")}
                    </a>
                })}
            </div>
            <dl class="message-headers card">
                <dt>{tr("Van", "From")}</dt><dd data-test="message-from">{from}</dd>
                <dt>{tr("Aan", "To")}</dt><dd data-test="message-to">{to}</dd>
                {cc.map(|cc| view! { <dt>"Cc"</dt><dd data-test="message-cc">{cc}</dd> })}
                <dt>{tr("Datum", "Date")}</dt><dd data-test="message-date">{format_local_date(summary.date)}</dd>
                {(!summary.relations.is_empty()).then(|| view! {
                    <dt>{tr("Relaties", "Relations")}</dt>
                    <dd data-test="message-relations">
                        {summary.relations.iter().map(|r| view! {
                            <span class="relation">
                                <a href=format!("/relaties/personen/{}", r.id) data-test="relation-link">{r.display_name.clone()}</a>
                                {r.company.clone().map(|c| view! {
                                    " ("<a href=format!("/relaties/bedrijven/{}", c.id)>{c.name}</a>")"
                                })}
                            </span>
                        }).collect_view()}
                    </dd>
                })}
            </dl>
            {too_large.then(|| view! {
                <div class="notice" data-test="message-too-large">
                    <p>{move || match locale.get() {
                        postkamer_domain::Locale::Nl => format!(
                            "Dit bericht is te groot om in Postkamer te bewaren ({}). Afzender, ontvangers en onderwerp staan hier, en het bericht is gekoppeld aan de relaties; de inhoud en de bijlagen leest u in uw e-mailprogramma, waar het bericht gewoon blijft staan.",
                            format_size(size, locale.get())
                        ),
                        postkamer_domain::Locale::En => format!(
                            "This message is too large to keep in Postkamer ({}). Sender, recipients and subject are here, and the message is linked to its relations; read its content and attachments in your mail program, where the message stays.",
                            format_size(size, locale.get())
                        ),
                    }}</p>
                </div>
            })}
            {(!too_large).then(|| view! { <MessageBody id html text remote_images_blocked images /> })}
            {(!attachments.is_empty()).then(|| view! {
                <section class="card">
                    <h2>{tr("Bijlagen", "Attachments")}</h2>
                    <ul class="plain attachments" data-test="attachments">
                        {attachments.into_iter().map(|a| {
                            let size = a.size;
                            view! {
                                <li data-test="attachment">
                                    <a href=format!("/mail/{id}/bijlagen/{}", a.index) download=a.name.clone() rel="external">"📎 "{a.name.clone()}</a>
                                    " "<span class="muted">{a.content_type.clone()}", "{move || format_size(size, locale.get())}</span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </section>
            })}
            {(!unknown_addresses.is_empty()).then(|| view! { <UnknownAddresses addresses=unknown_addresses message linked /> })}
            {(!thread.is_empty()).then(|| view! {
                <section class="card" data-test="thread">
                    <h2>{tr("Conversatie", "Conversation")}</h2>
                    <MessageRows messages=thread />
                </section>
            })}
        </article>
    }
}

/// The sanitised HTML in a sandboxed frame (or the text version), with the remote-image notice.
#[component]
fn MessageBody(
    id: MessageId,
    html: Option<String>,
    text: String,
    remote_images_blocked: bool,
    images: bool,
) -> impl IntoView {
    let locale = use_locale();
    let has_html = html.is_some();
    let show_text = RwSignal::new(!has_html);
    let document = html.as_deref().map(frame_document).unwrap_or_default();
    view! {
        {(has_html && remote_images_blocked && !images).then(|| view! {
            <div class="notice images-blocked" data-test="images-blocked">
                {tr("Externe afbeeldingen zijn geblokkeerd.", "Remote images are blocked.")}" "
                <a class="button" href=format!("/postvak/{id}?afbeeldingen=1") data-test="show-images">{tr("Afbeeldingen tonen", "Show images")}</a>
            </div>
        })}
        {has_html.then(|| view! {
            <p class="body-switch">
                <button type="button" class="link" data-test="toggle-text" on:click=move |_| show_text.update(|s| *s = !*s)>
                    {move || if show_text.get() { t(locale.get(), "HTML-versie tonen", "Show HTML version") } else { t(locale.get(), "Tekstversie tonen", "Show text version") }}
                </button>
            </p>
        })}
        <div class="message-body card">
            {has_html.then(|| view! {
                // No scripts and no same-origin: the frame cannot run code or reach this page.
                // Links (opened in a new tab by the sanitiser) may open, outside the sandbox.
                <iframe
                    class="mail-html"
                    data-test="message-html"
                    sandbox="allow-popups allow-popups-to-escape-sandbox"
                    referrerpolicy="no-referrer"
                    title="E-mail"
                    srcdoc=document
                    style:display=move || if show_text.get() { "none" } else { "block" }
                ></iframe>
            })}
            <pre class="mail-text" data-test="message-text" style:display=move || if show_text.get() { "block" } else { "none" }>{text}</pre>
        </div>
    }
}
