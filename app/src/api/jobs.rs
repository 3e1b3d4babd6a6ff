//! Beheer → Systeem → Taken in de wachtrij. The core refuses every call of a non-SuperAdmin.

use crate::csrf::CsrfClient;
use crate::error::AppError;
use leptos::prelude::*;
use postkamer_domain::jobs::QueuedJob;
use postkamer_domain::{JobId, Page};
use server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::ssr;

/// A page of the organisation's queue: failed jobs first, then running, then waiting.
#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn job_queue(page: Option<u32>) -> Result<Page<QueuedJob>, AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    let page = postkamer_domain::PageRequest::new(page, None);
    Ok(state.core.job_queue(&caller, page).await?)
}

/// "Opnieuw proberen": a failed or waiting job runs now.
#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn retry_job(id: JobId) -> Result<(), AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    Ok(state.core.retry_job(&caller, id).await?)
}
