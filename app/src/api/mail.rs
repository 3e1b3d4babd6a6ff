//! Mail in: the caller's IMAP account (Beheer → Gebruikersinstellingen → E-mail), Postvak IN,
//! the message view and the relation timelines. Thin calls into `postkamer_core::mail`; the core
//! decides what the caller may see and change.

use crate::csrf::CsrfClient;
use crate::error::AppError;
use leptos::prelude::*;
use postkamer_domain::mail::{
    FolderRole, MailboxInput, MailboxSettings, MessageSummary, MessageView, SyncStatus,
};
use postkamer_domain::{CompanyId, MessageId, Page, PersonId};
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::ssr;
#[cfg(feature = "ssr")]
use postkamer_domain::PageRequest;

/// A folder list: which folder, the search text and the page (1-based).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageParams {
    pub folder: FolderRole,
    pub search: String,
    pub page: u32,
}

/// Whose mail a timeline shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TimelineTarget {
    Person(PersonId),
    /// The mail of every contact person of the company.
    Company(CompanyId),
}

/// What "Koppelen aan bestaande contactpersoon" did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkedAddress {
    pub person: PersonId,
    pub display_name: String,
    /// Messages with the address, now on the person's timeline.
    pub messages: u64,
}

#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn get_mailbox() -> Result<Option<MailboxSettings>, AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    Ok(state.core.mailbox_settings(&caller).await?)
}

#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn save_mailbox(input: MailboxInput) -> Result<MailboxSettings, AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    Ok(state.core.save_mailbox(&caller, &input).await?)
}

/// "Verbinding testen": the server's names of Postvak IN, Verzonden and Prullenbak.
#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn test_mailbox(input: MailboxInput) -> Result<Vec<(FolderRole, String)>, AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    Ok(state.core.test_mailbox(&caller, &input).await?.folders)
}

#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn delete_mailbox() -> Result<(), AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    Ok(state.core.delete_mailbox(&caller).await?)
}

#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn sync_now() -> Result<(), AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    Ok(state.core.sync_now(&caller).await?)
}

/// `None`: the caller has no mailbox yet.
#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn get_sync_status() -> Result<Option<SyncStatus>, AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    Ok(state.core.sync_status(&caller).await?)
}

#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn list_messages(params: MessageParams) -> Result<Page<MessageSummary>, AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    let query = postkamer_domain::mail::MessageQuery {
        folder: params.folder,
        search: params.search,
        page: PageRequest::new(Some(params.page), None),
    };
    Ok(state.core.list_messages(&caller, &query).await?)
}

#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn timeline(of: TimelineTarget, page: u32) -> Result<Page<MessageSummary>, AppError> {
    use postkamer_domain::mail::TimelineOf;
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    let of = match of {
        TimelineTarget::Person(id) => TimelineOf::Person(id),
        TimelineTarget::Company(id) => TimelineOf::Company(id),
    };
    let page = PageRequest::new(Some(page), Some(10));
    Ok(state.core.timeline(&caller, of, page).await?)
}

#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn get_message(
    id: MessageId,
    allow_remote_images: bool,
) -> Result<MessageView, AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    Ok(state
        .core
        .message_view(&caller, id, allow_remote_images)
        .await?)
}

/// Read / unread and important (flagged), written back to the mail server.
#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn set_message_flags(
    id: MessageId,
    seen: Option<bool>,
    flagged: Option<bool>,
) -> Result<(), AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    Ok(state
        .core
        .set_message_flags(&caller, id, seen, flagged)
        .await?)
}

/// Moves the message to the Prullenbak on the mail server.
#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn delete_message(id: MessageId) -> Result<(), AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    Ok(state.core.delete_message(&caller, id).await?)
}

#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn set_message_private(id: MessageId, private: bool) -> Result<(), AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    Ok(state.core.set_message_private(&caller, id, private).await?)
}

/// "Koppelen aan bestaande contactpersoon": adds `email` to the person; earlier mail follows.
#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn link_address(person: PersonId, email: String) -> Result<LinkedAddress, AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    let linked = state.core.link_address(&caller, person, &email).await?;
    Ok(LinkedAddress {
        person: linked.person.id,
        display_name: linked.person.display_name,
        messages: linked.messages,
    })
}

/// How many messages carry `email` (what linking it to a person brings in).
#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn messages_with_address(email: String) -> Result<u64, AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    let address = postkamer_domain::EmailAddress::parse(&email).map_err(|_| {
        ssr::fail(AppError::Validation(
            postkamer_domain::ValidationErrors::single("email", postkamer_domain::Invalid::Email),
        ))
    })?;
    Ok(state.core.messages_with_address(&caller, &address).await?)
}
