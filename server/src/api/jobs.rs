//! The job queue in the JSON API (SuperAdmins): the organisation's queued jobs and "Opnieuw
//! proberen". The same core calls as Beheer → Systeem → Taken in de wachtrij.

use crate::error::{ApiError, Problem};
use crate::middleware::ApiCaller;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use postkamer_app::ssr::AppState;
use postkamer_domain::jobs::QueuedJob;
use postkamer_domain::{JobId, Page, PageRequest};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/jobs", get(list_jobs))
        .route("/jobs/{id}/retry", post(retry_job))
}

/// Paging of the queue.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct JobsQuery {
    /// 1-based page number.
    page: Option<u32>,
    /// Items per page, 1–100 (default 25).
    per_page: Option<u32>,
}

/// The organisation's queued jobs: failed first, then running, then waiting, each by when it
/// runs. Jobs of the installation itself are not shown.
#[utoipa::path(get, path = "/api/v1/jobs", tag = "jobs", params(JobsQuery),
    responses((status = 200, body = Page<QueuedJob>), (status = 400, body = Problem),
        (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn list_jobs(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
    query: Result<Query<JobsQuery>, QueryRejection>,
) -> Result<Json<Page<QueuedJob>>, ApiError> {
    let Query(q) = query?;
    let page = PageRequest::new(q.page, q.per_page);
    Ok(Json(state.core.job_queue(&user, page).await?))
}

/// "Opnieuw proberen": a failed or waiting job runs as soon as a runner is free, its attempts
/// counted afresh. A running job is left to its runner (409).
#[utoipa::path(post, path = "/api/v1/jobs/{id}/retry", tag = "jobs", params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem)))]
pub async fn retry_job(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id = JobId(super::mail::record_id(&id)?);
    state.core.retry_job(&user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
