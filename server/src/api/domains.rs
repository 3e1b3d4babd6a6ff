//! Sending domains in the JSON API (SuperAdmins): the list, one domain with the records to
//! publish and the latest findings, a check now, adding and removing. The same core calls as
//! Beheer → E-mail → Domeinen.

use super::ApiJson;
use crate::error::{ApiError, Problem};
use crate::middleware::ApiCaller;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use postkamer_app::ssr::AppState;
use postkamer_domain::SendingDomainId;
use postkamer_domain::sending::{DomainSummary, DomainView, PublishRecord};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/domains", get(list_domains).post(add_domain))
        .route("/domains/{id}", get(get_domain).delete(delete_domain))
        .route("/domains/{id}/check", post(check_domain))
        .route("/domains/{id}/records", get(domain_records))
}

/// A domain to add.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDomain {
    /// The sending domain, e.g. `voorbeeld.nl`.
    domain: String,
}

fn domain_id(id: &str) -> Result<SendingDomainId, ApiError> {
    super::mail::record_id(id).map(SendingDomainId)
}

#[utoipa::path(get, path = "/api/v1/domains", tag = "domains",
    responses((status = 200, body = Vec<DomainSummary>), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn list_domains(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
) -> Result<Json<Vec<DomainSummary>>, ApiError> {
    Ok(Json(state.core.list_domains(&user).await?))
}

/// Adds a domain and checks it at once.
#[utoipa::path(post, path = "/api/v1/domains", tag = "domains", request_body = NewDomain,
    responses((status = 201, body = DomainView), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn add_domain(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
    ApiJson(new): ApiJson<NewDomain>,
) -> Result<(StatusCode, Json<DomainView>), ApiError> {
    let view = state.core.add_domain(&user, &new.domain).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// One domain: state, the records to publish with what the latest check found, history.
#[utoipa::path(get, path = "/api/v1/domains/{id}", tag = "domains", params(("id" = i64, Path)),
    responses((status = 200, body = DomainView), (status = 404, body = Problem)))]
pub async fn get_domain(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<DomainView>, ApiError> {
    Ok(Json(state.core.domain_view(&user, domain_id(&id)?).await?))
}

/// Checks the domain's records against live DNS now (and activates DKIM when both keys verify).
#[utoipa::path(post, path = "/api/v1/domains/{id}/check", tag = "domains", params(("id" = i64, Path)),
    responses((status = 200, body = DomainView), (status = 404, body = Problem)))]
pub async fn check_domain(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<DomainView>, ApiError> {
    Ok(Json(
        state.core.check_domain_now(&user, domain_id(&id)?).await?,
    ))
}

/// Just the records to publish: type, host and exact value.
#[utoipa::path(get, path = "/api/v1/domains/{id}/records", tag = "domains", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<PublishRecord>), (status = 404, body = Problem)))]
pub async fn domain_records(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Vec<PublishRecord>>, ApiError> {
    let view = state.core.domain_view(&user, domain_id(&id)?).await?;
    Ok(Json(view.records.into_iter().map(|r| r.publish).collect()))
}

#[utoipa::path(delete, path = "/api/v1/domains/{id}", tag = "domains", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = Problem)))]
pub async fn delete_domain(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    state.core.delete_domain(&user, domain_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}
