//! Writing mail in the JSON API: start a draft (new, on a relation, reply, reply to all,
//! forward), save it as typed, attach files, the pre-send check, send it (it goes after the
//! time to undo it) and undo sending; Concepten. A draft is its writer's only: anyone else's is
//! a 404.

use super::ApiJson;
use super::mail::record_id;
use crate::error::{ApiError, Problem};
use crate::middleware::ApiCaller;
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use postkamer_app::ssr::AppState;
use postkamer_domain::mail::draft::{
    ComposeStart, Draft, DraftFile, DraftInput, DraftSummary, SendCheck, Sending,
};
use postkamer_domain::{DraftFileId, DraftId, Page, PageRequest};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/drafts", get(list_drafts).post(start_draft))
        .route(
            "/drafts/{id}",
            get(get_draft).put(save_draft).delete(delete_draft),
        )
        .route("/drafts/{id}/check", get(check_draft))
        .route("/drafts/{id}/send", post(send_draft))
        .route("/drafts/{id}/undo", post(undo_send))
        .route(
            "/drafts/{id}/files/{file}",
            get(get_file).delete(remove_file),
        )
}

fn draft_id(id: &str) -> Result<DraftId, ApiError> {
    Ok(DraftId(record_id(id)?))
}

/// Starts a draft: `{"kind": "new"}` (optionally `"person"`: To is their primary address),
/// `{"kind": "reply", "message": 7, "all": false}` or `{"kind": "forward", "message": 7}`. It
/// opens with the template of the action type E-mail uit.
#[utoipa::path(post, path = "/api/v1/drafts", tag = "drafts", request_body = ComposeStart,
    responses((status = 201, body = Draft), (status = 404, body = Problem),
        (status = 422, body = Problem)))]
pub async fn start_draft(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
    ApiJson(start): ApiJson<ComposeStart>,
) -> Result<(StatusCode, Json<Draft>), ApiError> {
    let draft = state.core.start_draft(&user, start).await?;
    Ok((StatusCode::CREATED, Json(draft)))
}

/// Paging of Concepten.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct DraftsQuery {
    /// 1-based page number.
    page: Option<u32>,
    /// Items per page, 1–100 (default 25).
    per_page: Option<u32>,
}

/// Concepten: the caller's drafts that are not being sent, last changed first.
#[utoipa::path(get, path = "/api/v1/drafts", tag = "drafts", params(DraftsQuery),
    responses((status = 200, body = Page<DraftSummary>), (status = 400, body = Problem)))]
pub async fn list_drafts(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
    query: Result<Query<DraftsQuery>, QueryRejection>,
) -> Result<Json<Page<DraftSummary>>, ApiError> {
    let Query(q) = query?;
    let page = PageRequest::new(q.page, q.per_page);
    Ok(Json(state.core.drafts(&user, page).await?))
}

/// One draft of the caller, with its files; `sending` names its message in the outbox while
/// sending can still be undone or is under way.
#[utoipa::path(get, path = "/api/v1/drafts/{id}", tag = "drafts", params(("id" = i64, Path)),
    responses((status = 200, body = Draft), (status = 404, body = Problem)))]
pub async fn get_draft(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Draft>, ApiError> {
    Ok(Json(state.core.draft(&user, draft_id(&id)?).await?))
}

/// Saves the draft as typed (addresses are checked when it is sent); 409 `draft_sending`
/// while it is being sent.
#[utoipa::path(put, path = "/api/v1/drafts/{id}", tag = "drafts", params(("id" = i64, Path)),
    request_body = DraftInput,
    responses((status = 200, body = Draft), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn save_draft(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<DraftInput>,
) -> Result<Json<Draft>, ApiError> {
    Ok(Json(
        state.core.save_draft(&user, draft_id(&id)?, &input).await?,
    ))
}

/// Deletes a draft (not while it is being sent: 409).
#[utoipa::path(delete, path = "/api/v1/drafts/{id}", tag = "drafts", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn delete_draft(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    state.core.delete_draft(&user, draft_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The pre-send check: the merge fields that would come out empty (no value for the relation
/// of the first To address, no fallback), and whether it goes out DKIM-signed.
#[utoipa::path(get, path = "/api/v1/drafts/{id}/check", tag = "drafts", params(("id" = i64, Path)),
    responses((status = 200, body = SendCheck), (status = 404, body = Problem),
        (status = 422, body = Problem)))]
pub async fn check_draft(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<SendCheck>, ApiError> {
    Ok(Json(state.core.check_draft(&user, draft_id(&id)?).await?))
}

/// Sends the draft, filled in for the relation of its first To address: it waits in the
/// outbox until `send_at` (the time to undo it), then goes (202).
#[utoipa::path(post, path = "/api/v1/drafts/{id}/send", tag = "drafts", params(("id" = i64, Path)),
    responses((status = 202, body = Sending), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn send_draft(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<Sending>), ApiError> {
    let sending = state.core.send_draft(&user, draft_id(&id)?).await?;
    Ok((StatusCode::ACCEPTED, Json(sending)))
}

/// "Verzenden ongedaan maken": the message stays home, the draft is a draft again; 409 once it
/// is on its way.
#[utoipa::path(post, path = "/api/v1/drafts/{id}/undo", tag = "drafts", params(("id" = i64, Path)),
    responses((status = 200, body = Draft), (status = 404, body = Problem),
        (status = 409, body = Problem)))]
pub async fn undo_send(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Draft>, ApiError> {
    Ok(Json(state.core.undo_send(&user, draft_id(&id)?).await?))
}

/// The uploaded file's name.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct UploadQuery {
    /// The file name as the mail shows it.
    name: String,
}

/// Attaches a file: the request body is the file, its `Content-Type` the file's type, `name`
/// its name. 409 `attachments_too_large` when the draft's files would weigh more than a
/// message may; 413 for a body over that limit.
#[utoipa::path(post, path = "/api/v1/drafts/{id}/files", tag = "drafts",
    params(("id" = i64, Path), UploadQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = DraftFile), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 413, body = Problem)))]
pub async fn upload(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
    Path(id): Path<String>,
    query: Result<Query<UploadQuery>, QueryRejection>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<DraftFile>), ApiError> {
    let Query(q) = query?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/octet-stream");
    let file = state
        .core
        .attach_file(&user, draft_id(&id)?, &q.name, content_type, &body)
        .await?;
    Ok((StatusCode::CREATED, Json(file)))
}

/// One file of a draft, as it will be sent.
#[utoipa::path(get, path = "/api/v1/drafts/{id}/files/{file}", tag = "drafts",
    params(("id" = i64, Path), ("file" = i64, Path)),
    responses((status = 200, body = Vec<u8>), (status = 404, body = Problem)))]
pub async fn get_file(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
    Path((id, file)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let file = DraftFileId(record_id(&file)?);
    let (info, bytes) = state.core.draft_file(&user, draft_id(&id)?, file).await?;
    Ok(super::sandboxed_file(bytes, &info.content_type))
}

/// Removes a file from a draft.
#[utoipa::path(delete, path = "/api/v1/drafts/{id}/files/{file}", tag = "drafts",
    params(("id" = i64, Path), ("file" = i64, Path)),
    responses((status = 204), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn remove_file(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
    Path((id, file)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let file = DraftFileId(record_id(&file)?);
    state.core.remove_file(&user, draft_id(&id)?, file).await?;
    Ok(StatusCode::NO_CONTENT)
}
