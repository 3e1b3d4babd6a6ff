//! Mail in: Postvak IN (with Verzonden and Prullenbak), the message view and the mail timeline
//! of a relation. The messages come from the user's own IMAP mailbox, kept in step by the
//! server's background sync; the lists refresh themselves so new mail appears without a reload.

mod inbox;
mod message;
mod outbox;
mod timeline;
mod unknown;

pub use inbox::InboxPage;
pub use message::MessagePage;
pub use outbox::OutboxPage;
pub use timeline::{MailTimeline, TimelineResource, timeline_resource};

use crate::components::format_local_date;
use crate::i18n::{t, tr, use_locale};
use leptos::prelude::*;
use postkamer_domain::Locale;
use postkamer_domain::mail::{FolderRole, MessageSummary};

/// "Postvak IN", "Verzonden", "Prullenbak" (or English).
pub fn folder_label(role: FolderRole, locale: Locale) -> &'static str {
    match locale {
        Locale::Nl => role.label_nl(),
        Locale::En => role.label_en(),
    }
}

/// The sender as a list shows it: the display name, else the address.
fn sender(summary: &MessageSummary) -> String {
    summary
        .from
        .as_ref()
        .map(|from| match &from.name {
            Some(name) if !name.trim().is_empty() => name.clone(),
            _ => from.email.clone(),
        })
        .unwrap_or_default()
}

/// Messages as rows: unread in bold, ★ important, 🔒 private, 📎 attachments, sender, subject,
/// snippet, the linked relations and the date. Each row opens the message view.
#[component]
pub fn MessageRows(messages: Vec<MessageSummary>) -> impl IntoView {
    view! {
        <ul class="mail-list" data-test="message-list">
            {messages.into_iter().map(|m| view! { <MessageRow message=m /> }).collect_view()}
        </ul>
    }
}

#[component]
fn MessageRow(message: MessageSummary) -> impl IntoView {
    let locale = use_locale();
    let unread = message.seen == Some(false);
    let relations = message
        .relations
        .iter()
        .map(|r| match &r.company {
            Some(company) => format!("{} ({})", r.display_name, company.name),
            None => r.display_name.clone(),
        })
        .collect::<Vec<_>>()
        .join(", ");
    let subject = message.subject.clone();
    view! {
        <li class="mail-row" class:unread=unread data-test="message-row" data-unread=unread.to_string()>
            <a href=format!("/postvak/{}", message.id)>
                <span class="mail-from" data-test="row-from">{sender(&message)}</span>
                <span class="mail-marks">
                    {(message.flagged == Some(true)).then(|| view! {
                        <span class="mark flagged" data-test="mark-flagged" title=move || t(locale.get(), "Belangrijk", "Important")>"★"</span>
                    })}
                    {message.private.then(|| view! {
                        <span class="mark" data-test="mark-private" title=move || t(locale.get(), "Privé", "Private")>"🔒"</span>
                    })}
                    {message.has_attachments.then(|| view! {
                        <span class="mark" data-test="mark-attachment" title=move || t(locale.get(), "Bijlagen", "Attachments")>"📎"</span>
                    })}
                </span>
                <time class="mail-date">{format_local_date(message.date)}</time>
                <span class="mail-subject" data-test="row-subject">
                    {if subject.trim().is_empty() { tr("(geen onderwerp)", "(no subject)").into_any() } else { subject.into_any() }}
                </span>
                <span class="mail-snippet">{message.snippet.clone()}</span>
                {(!relations.is_empty()).then(|| view! { <span class="mail-relations" data-test="message-relations">{relations}</span> })}
            </a>
        </li>
    }
}
