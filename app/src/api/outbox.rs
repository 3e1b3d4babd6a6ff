//! Mail out: the caller's outbox (Postvak UIT) and their SMTP account (Beheer →
//! Gebruikersinstellingen → E-mail). Thin calls into `postkamer_core::sending`; the core keeps
//! the outbox to its writer.

use crate::csrf::CsrfClient;
use crate::error::AppError;
use leptos::prelude::*;
use postkamer_domain::mail::outbox::OutboxItem;
use postkamer_domain::mail::{SmtpInput, SmtpSettings};
use postkamer_domain::{OutboxId, Page};
use server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::ssr;

/// A page of the caller's outbox, newest first.
#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn list_outbox(page: Option<u32>) -> Result<Page<OutboxItem>, AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    let page = postkamer_domain::PageRequest::new(page, None);
    Ok(state.core.outbox(&caller, page).await?)
}

/// "Annuleren": a message that still waits is not sent.
#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn cancel_outgoing(id: OutboxId) -> Result<OutboxItem, AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    Ok(state.core.cancel_outgoing(&caller, id).await?)
}

/// "Nu opnieuw proberen": a failed message is sent again now.
#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn retry_outgoing(id: OutboxId) -> Result<OutboxItem, AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    Ok(state.core.retry_outgoing(&caller, id).await?)
}

#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn get_smtp() -> Result<Option<SmtpSettings>, AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    Ok(state.core.smtp_settings(&caller).await?)
}

#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn save_smtp(input: SmtpInput) -> Result<SmtpSettings, AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    Ok(state.core.save_smtp(&caller, &input).await?)
}

/// "Verbinding testen": connects, secures the connection and logs in. A server that refuses
/// is the answer of the test (`Some`, in the user's words), not a failure of the call.
#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn test_smtp(input: SmtpInput) -> Result<Option<AppError>, AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    match state.core.test_smtp(&caller, &input).await {
        Ok(()) => Ok(None),
        // `from_core`, not `into`: the call succeeded, so the response keeps its 200.
        Err(error @ postkamer_core::CoreError::Mail { .. }) => Ok(Some(AppError::from_core(error))),
        Err(error) => Err(error.into()),
    }
}

#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn delete_smtp() -> Result<(), AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    Ok(state.core.delete_smtp(&caller).await?)
}
