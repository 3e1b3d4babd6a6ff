//! Mail in the JSON API: the caller's folders, one message, its raw bytes, a relation's mail,
//! the sync status. The same visibility rules as the UI (private mail stays with its owner).
//! Also the browser's download routes for the raw message and attachments.

use super::ApiJson;
use crate::error::{ApiError, Problem};
use crate::middleware::ApiCaller;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use postkamer_app::ssr::AppState;
use postkamer_core::CoreError;
use postkamer_domain::mail::{FolderRole, MessageSummary, MessageView, SyncStatus};
use postkamer_domain::mail::{MessageQuery, TimelineOf};
use postkamer_domain::{CompanyId, MessageId, Page, PageRequest, PersonId};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/messages", get(list_messages))
        .route("/messages/{id}", get(get_message).patch(update_message))
        .route("/messages/{id}/raw", get(raw_message))
        .route("/persons/{id}/messages", get(person_messages))
        .route("/companies/{id}/messages", get(company_messages))
        .route("/mailbox/status", get(sync_status))
}

/// The browser's downloads (session cookie): `/mail/{id}/raw` and `/mail/{id}/bijlagen/{index}`.
/// The download routes outside the JSON API (for the browser: session cookie). Listed here so
/// the privacy suite walks the same routes the router serves.
pub const DOWNLOAD_ROUTES: [&str; 2] = ["/mail/{id}/raw", "/mail/{id}/bijlagen/{index}"];

pub fn downloads() -> Router<AppState> {
    let [raw, attachment_route] = DOWNLOAD_ROUTES;
    Router::new()
        .route(raw, get(raw_message))
        .route(attachment_route, get(attachment))
}

/// Query parameters of a folder list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct MessageListQuery {
    /// `inbox` (default), `sent` or `trash`.
    folder: Option<String>,
    /// Full-text search over subject, body and addresses; every word must match (by prefix).
    q: Option<String>,
    /// 1-based page number.
    page: Option<u32>,
    /// Items per page, 1–100 (default 25).
    per_page: Option<u32>,
}

/// Paging of a relation's mail.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    page: Option<u32>,
    per_page: Option<u32>,
}

/// Options of the message view.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct MessageQueryParams {
    /// Keep remote images in the sanitised HTML (default: blocked).
    remote_images: Option<bool>,
}

/// Changes to a message of the caller; written to the mail server first.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MessageChange {
    /// Read (`\Seen` on the server).
    seen: Option<bool>,
    /// Important (`\Flagged` on the server).
    flagged: Option<bool>,
    /// Private: colleagues no longer see it, not even on a relation.
    private: Option<bool>,
}

fn message_id(id: &str) -> Result<MessageId, ApiError> {
    record_id(id).map(MessageId)
}

type QueryResult<T> = Result<Query<T>, axum::extract::rejection::QueryRejection>;

#[utoipa::path(get, path = "/api/v1/messages", tag = "mail", params(MessageListQuery),
    responses((status = 200, body = Page<MessageSummary>), (status = 400, body = Problem), (status = 401, body = Problem)))]
pub async fn list_messages(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
    query: QueryResult<MessageListQuery>,
) -> Result<Json<Page<MessageSummary>>, ApiError> {
    let Query(q) = query?;
    let folder = match q.folder.as_deref() {
        None | Some("") => FolderRole::Inbox,
        Some(f) => f.parse().map_err(|_| {
            ApiError::BadQuery(format!("unknown folder `{f}`: inbox, sent or trash"))
        })?,
    };
    let query = MessageQuery {
        folder,
        search: q.q.unwrap_or_default(),
        page: PageRequest::new(q.page, q.per_page),
    };
    Ok(Json(state.core.list_messages(&user, &query).await?))
}

#[utoipa::path(get, path = "/api/v1/messages/{id}", tag = "mail", params(("id" = i64, Path), MessageQueryParams),
    responses((status = 200, body = MessageView), (status = 404, body = Problem)))]
pub async fn get_message(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
    Path(id): Path<String>,
    query: QueryResult<MessageQueryParams>,
) -> Result<Json<MessageView>, ApiError> {
    let Query(q) = query?;
    let view = state
        .core
        .message_view(&user, message_id(&id)?, q.remote_images.unwrap_or(false))
        .await?;
    Ok(Json(view))
}

#[utoipa::path(patch, path = "/api/v1/messages/{id}", tag = "mail", params(("id" = i64, Path)), request_body = MessageChange,
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 502, body = Problem)))]
pub async fn update_message(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
    Path(id): Path<String>,
    ApiJson(change): ApiJson<MessageChange>,
) -> Result<StatusCode, ApiError> {
    let id = message_id(&id)?;
    if change.seen.is_some() || change.flagged.is_some() {
        state
            .core
            .set_message_flags(&user, id, change.seen, change.flagged)
            .await?;
    }
    if let Some(private) = change.private {
        state.core.set_message_private(&user, id, private).await?;
    }
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/messages/{id}/raw", tag = "mail", params(("id" = i64, Path)),
    responses((status = 200, content_type = "message/rfc822", body = Vec<u8>), (status = 404, body = Problem)))]
pub async fn raw_message(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let (summary, raw) = state.core.message_raw(&user, message_id(&id)?).await?;
    let name = format!("{}.eml", file_stem(&summary.subject, summary.id));
    Ok(download(raw, "message/rfc822", &name))
}

async fn attachment(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
    Path((id, index)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let index: u32 = index
        .parse()
        .map_err(|_| ApiError::Core(CoreError::NotFound))?;
    let (info, bytes) = state
        .core
        .attachment(&user, message_id(&id)?, index)
        .await?;
    Ok(download(bytes, &info.content_type, &info.name))
}

#[utoipa::path(get, path = "/api/v1/persons/{id}/messages", tag = "mail", params(("id" = i64, Path), PageQuery),
    responses((status = 200, body = Page<MessageSummary>), (status = 404, body = Problem)))]
pub async fn person_messages(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
    Path(id): Path<String>,
    query: QueryResult<PageQuery>,
) -> Result<Json<Page<MessageSummary>>, ApiError> {
    let of = TimelineOf::Person(PersonId(record_id(&id)?));
    timeline(&state, &user, of, query).await
}

#[utoipa::path(get, path = "/api/v1/companies/{id}/messages", tag = "mail", params(("id" = i64, Path), PageQuery),
    responses((status = 200, body = Page<MessageSummary>), (status = 404, body = Problem)))]
pub async fn company_messages(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
    Path(id): Path<String>,
    query: QueryResult<PageQuery>,
) -> Result<Json<Page<MessageSummary>>, ApiError> {
    let of = TimelineOf::Company(CompanyId(record_id(&id)?));
    timeline(&state, &user, of, query).await
}

/// A path id that is not a number names no record: 404, like any unknown id.
pub(crate) fn record_id(id: &str) -> Result<i64, ApiError> {
    id.parse().map_err(|_| ApiError::Core(CoreError::NotFound))
}

async fn timeline(
    state: &AppState,
    user: &postkamer_domain::User,
    of: TimelineOf,
    query: QueryResult<PageQuery>,
) -> Result<Json<Page<MessageSummary>>, ApiError> {
    let Query(q) = query?;
    let page = PageRequest::new(q.page, q.per_page);
    Ok(Json(state.core.timeline(user, of, page).await?))
}

#[utoipa::path(get, path = "/api/v1/mailbox/status", tag = "mail",
    responses((status = 200, body = SyncStatus), (status = 404, body = Problem)))]
pub async fn sync_status(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
) -> Result<Json<SyncStatus>, ApiError> {
    state
        .core
        .sync_status(&user)
        .await?
        .map(Json)
        .ok_or(ApiError::Core(CoreError::NotFound))
}

/// A file name from a subject: letters, digits, spaces and a few marks; never empty.
fn file_stem(subject: &str, id: MessageId) -> String {
    let stem: String = subject
        .chars()
        .filter(|c| c.is_alphanumeric() || " -_.,()".contains(*c))
        .take(80)
        .collect();
    let stem = stem.trim().trim_matches('.').to_owned();
    if stem.is_empty() {
        format!("bericht-{id}")
    } else {
        stem
    }
}

/// A download response: the bytes as an attachment, never rendered by the browser.
fn download(bytes: Vec<u8>, content_type: &str, name: &str) -> Response {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let disposition = format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}");
    let mut response = super::sandboxed_file(bytes, content_type);
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn download_names_are_safe() {
        let r = download(b"x".to_vec(), "application/pdf", "offerte \"2026\"\r\n.pdf");
        let cd = r.headers()[header::CONTENT_DISPOSITION]
            .to_str()
            .expect("ascii");
        assert!(
            cd.starts_with("attachment; filename=\"offerte _2026___.pdf\""),
            "{cd}"
        );
        assert!(
            cd.contains("filename*=UTF-8''offerte%20%222026%22%0D%0A.pdf"),
            "{cd}"
        );
        let r = download(Vec::new(), "bad\ntype", "x");
        assert_eq!(
            r.headers()[header::CONTENT_TYPE],
            "application/octet-stream"
        );
        assert_eq!(
            file_stem("Re: café / offerte?", MessageId(1)),
            "Re café  offerte"
        );
        assert_eq!(file_stem("///", MessageId(7)), "bericht-7");
    }
}
