//! Mail out in the JSON API: send a message, the caller's outbox (Postvak UIT) with each
//! message's state, its exact bytes, cancel while it waits, retry a failed one now; the caller's
//! SMTP account with "Verbinding testen". The outbox is its writer's only: anyone else's message
//! is a 404.

use super::ApiJson;
use super::mail::record_id;
use crate::error::{ApiError, Problem};
use crate::middleware::ApiCaller;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use postkamer_app::ssr::AppState;
use postkamer_core::sending::{Mailbox, NewMail, Part};
use postkamer_domain::mail::outbox::OutboxItem;
use postkamer_domain::mail::{SmtpInput, SmtpSettings};
use postkamer_domain::{Invalid, OutboxId, Page, PageRequest, ValidationErrors};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/mail/send", post(send))
        .route("/outbox", get(list_outbox))
        .route("/outbox/{id}", get(get_outgoing))
        .route("/outbox/{id}/raw", get(raw_outgoing))
        .route("/outbox/{id}/cancel", post(cancel_outgoing))
        .route("/outbox/{id}/retry", post(retry_outgoing))
        .route("/me/smtp", get(get_smtp).put(put_smtp).delete(delete_smtp))
        .route("/me/smtp/test", post(test_smtp))
}

/// A name and an address.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddressInput {
    #[serde(default)]
    name: Option<String>,
    address: String,
}

/// A file to send with the message.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttachmentInput {
    file_name: String,
    /// E.g. `application/pdf`; default `application/octet-stream`.
    #[serde(default)]
    content_type: Option<String>,
    /// The file, base64. The whole request is bounded by the server's `max_body_bytes`.
    data: String,
}

/// A message to send from the caller's own address.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SendRequest {
    #[serde(default)]
    to: Vec<AddressInput>,
    #[serde(default)]
    cc: Vec<AddressInput>,
    /// In the envelope only: no Bcc header is written.
    #[serde(default)]
    bcc: Vec<AddressInput>,
    subject: String,
    /// The plain-text body.
    text: String,
    /// The HTML body (optional): sent as multipart/alternative with the text.
    #[serde(default)]
    html: Option<String>,
    #[serde(default)]
    attachments: Vec<AttachmentInput>,
    /// The Message-ID (without `<>`) this answers: In-Reply-To and References.
    #[serde(default)]
    in_reply_to: Option<String>,
    #[serde(default)]
    references: Vec<String>,
}

fn mailboxes(list: Vec<AddressInput>) -> Vec<Mailbox> {
    list.into_iter()
        .map(|a| Mailbox {
            name: a.name.filter(|n| !n.trim().is_empty()),
            address: a.address.trim().to_owned(),
        })
        .collect()
}

impl SendRequest {
    fn into_mail(self) -> Result<NewMail, ApiError> {
        let mut attachments = Vec::with_capacity(self.attachments.len());
        for file in self.attachments {
            let bytes = BASE64.decode(file.data.trim()).map_err(|_| {
                ApiError::Core(ValidationErrors::single("attachments", Invalid::Attachment).into())
            })?;
            let name = file.file_name.trim().to_owned();
            if name.is_empty() || name.chars().any(char::is_control) {
                return Err(ApiError::Core(
                    ValidationErrors::single("attachments", Invalid::Attachment).into(),
                ));
            }
            attachments.push(Part {
                name,
                content_type: file
                    .content_type
                    .filter(|t| t.contains('/') && t.is_ascii() && !t.contains(['\r', '\n']))
                    .unwrap_or_else(|| "application/octet-stream".to_owned()),
                bytes,
            });
        }
        Ok(NewMail {
            to: mailboxes(self.to),
            cc: mailboxes(self.cc),
            bcc: mailboxes(self.bcc),
            subject: self.subject,
            text: self.text,
            html: self.html.unwrap_or_default(),
            inline: Vec::new(),
            attachments,
            in_reply_to: self.in_reply_to,
            references: self.references,
            ..NewMail::default()
        })
    }
}

/// Sends a message from the caller's own address: built, DKIM-signed when its domain is an
/// active sending domain of the organisation, and queued (202); the outbox shows how it goes.
/// 409 `no_smtp` when there is no SMTP account and no active domain with the relay.
#[utoipa::path(post, path = "/api/v1/mail/send", tag = "outbox", request_body = SendRequest,
    responses((status = 202, body = OutboxItem), (status = 401, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn send(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
    ApiJson(request): ApiJson<SendRequest>,
) -> Result<(StatusCode, Json<OutboxItem>), ApiError> {
    let mail = request.into_mail()?;
    let item = state.core.send_mail(&user, mail).await?;
    Ok((StatusCode::ACCEPTED, Json(item)))
}

/// Paging of the outbox.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct OutboxQuery {
    /// 1-based page number.
    page: Option<u32>,
    /// Items per page, 1–100 (default 25).
    per_page: Option<u32>,
}

/// The caller's outbox (Postvak UIT), newest first, each message with its state: wachtrij,
/// verzenden, verzonden, mislukt (with the reason and the next attempt), geweigerd or
/// geannuleerd, and every recipient's.
#[utoipa::path(get, path = "/api/v1/outbox", tag = "outbox", params(OutboxQuery),
    responses((status = 200, body = Page<OutboxItem>), (status = 400, body = Problem),
        (status = 401, body = Problem)))]
pub async fn list_outbox(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
    query: Result<Query<OutboxQuery>, QueryRejection>,
) -> Result<Json<Page<OutboxItem>>, ApiError> {
    let Query(q) = query?;
    let page = PageRequest::new(q.page, q.per_page);
    Ok(Json(state.core.outbox(&user, page).await?))
}

fn outbox_id(id: &str) -> Result<OutboxId, ApiError> {
    Ok(OutboxId(record_id(id)?))
}

/// One message of the caller's outbox.
#[utoipa::path(get, path = "/api/v1/outbox/{id}", tag = "outbox", params(("id" = i64, Path)),
    responses((status = 200, body = OutboxItem), (status = 404, body = Problem)))]
pub async fn get_outgoing(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<OutboxItem>, ApiError> {
    Ok(Json(state.core.outgoing(&user, outbox_id(&id)?).await?))
}

/// The exact bytes of a message of the caller's outbox, as they are sent (`message/rfc822`).
#[utoipa::path(get, path = "/api/v1/outbox/{id}/raw", tag = "outbox", params(("id" = i64, Path)),
    responses((status = 200, content_type = "message/rfc822", body = Vec<u8>),
        (status = 404, body = Problem)))]
pub async fn raw_outgoing(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let bytes = state.core.outgoing_raw(&user, outbox_id(&id)?).await?;
    Ok(super::sandboxed_file(bytes, "message/rfc822"))
}

/// Cancels a message that waits (queued, or failed and waiting for its retry); 409 once it is
/// being sent or done.
#[utoipa::path(post, path = "/api/v1/outbox/{id}/cancel", tag = "outbox", params(("id" = i64, Path)),
    responses((status = 200, body = OutboxItem), (status = 404, body = Problem),
        (status = 409, body = Problem)))]
pub async fn cancel_outgoing(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<OutboxItem>, ApiError> {
    Ok(Json(
        state.core.cancel_outgoing(&user, outbox_id(&id)?).await?,
    ))
}

/// "Nu opnieuw proberen": a failed message is sent again now; 409 when it has not failed.
#[utoipa::path(post, path = "/api/v1/outbox/{id}/retry", tag = "outbox", params(("id" = i64, Path)),
    responses((status = 200, body = OutboxItem), (status = 404, body = Problem),
        (status = 409, body = Problem)))]
pub async fn retry_outgoing(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<OutboxItem>, ApiError> {
    Ok(Json(
        state.core.retry_outgoing(&user, outbox_id(&id)?).await?,
    ))
}

/// The caller's SMTP account (never its password); 404 when none is set.
#[utoipa::path(get, path = "/api/v1/me/smtp", tag = "outbox",
    responses((status = 200, body = SmtpSettings), (status = 404, body = Problem)))]
pub async fn get_smtp(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
) -> Result<Json<SmtpSettings>, ApiError> {
    state
        .core
        .smtp_settings(&user)
        .await?
        .map(Json)
        .ok_or(ApiError::Core(postkamer_core::CoreError::NotFound))
}

/// Sets the caller's SMTP account (Beheer → Gebruikersinstellingen → E-mail). An empty
/// password keeps the stored one, except for another host.
#[utoipa::path(put, path = "/api/v1/me/smtp", tag = "outbox", request_body = SmtpInput,
    responses((status = 200, body = SmtpSettings), (status = 422, body = Problem)))]
pub async fn put_smtp(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
    ApiJson(input): ApiJson<SmtpInput>,
) -> Result<Json<SmtpSettings>, ApiError> {
    Ok(Json(state.core.save_smtp(&user, &input).await?))
}

/// Removes the caller's SMTP account.
#[utoipa::path(delete, path = "/api/v1/me/smtp", tag = "outbox",
    responses((status = 204), (status = 401, body = Problem)))]
pub async fn delete_smtp(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
) -> Result<StatusCode, ApiError> {
    state.core.delete_smtp(&user).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// "Verbinding testen": connects with these settings, secures the connection and logs in
/// (204), or says in plain words which step failed (502).
#[utoipa::path(post, path = "/api/v1/me/smtp/test", tag = "outbox", request_body = SmtpInput,
    responses((status = 204), (status = 422, body = Problem), (status = 502, body = Problem)))]
pub async fn test_smtp(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
    ApiJson(input): ApiJson<SmtpInput>,
) -> Result<StatusCode, ApiError> {
    state.core.test_smtp(&user, &input).await?;
    Ok(StatusCode::NO_CONTENT)
}
