//! Templates and action types in the JSON API: everyone in the organisation reads them and
//! renders a template for a relation; SuperAdmins create, change, duplicate, restore and
//! delete. The same core calls as Beheer → E-mail → E-mailsjablonen and Actietypen.

use super::ApiJson;
use crate::error::{ApiError, Problem};
use crate::middleware::ApiCaller;
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use postkamer_app::ssr::AppState;
use postkamer_domain::templates::{
    ActionType, ActionTypeInput, Rendered, Template, TemplateInput, TemplateSummary,
    TemplateVersion,
};
use postkamer_domain::{ActionTypeId, PersonId, TemplateId};
use serde::{Deserialize, Serialize};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/templates", get(list_templates).post(create_template))
        .route(
            "/templates/{id}",
            get(get_template)
                .put(update_template)
                .delete(delete_template),
        )
        .route("/templates/{id}/duplicate", post(duplicate_template))
        .route("/templates/{id}/versions", get(template_versions))
        .route(
            "/templates/{id}/versions/{version}/restore",
            post(restore_template),
        )
        .route("/templates/{id}/render", get(render_template))
        .route("/templates/images", post(upload_image))
        .route("/templates/images/{name}", get(image))
        .route(
            "/action-types",
            get(list_action_types).post(create_action_type),
        )
        .route("/action-types/{id}", put(update_action_type))
}

fn template_id(id: &str) -> Result<TemplateId, ApiError> {
    super::mail::record_id(id).map(TemplateId)
}

#[utoipa::path(get, path = "/api/v1/templates", tag = "templates",
    responses((status = 200, body = Vec<TemplateSummary>), (status = 401, body = Problem)))]
pub async fn list_templates(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
) -> Result<Json<Vec<TemplateSummary>>, ApiError> {
    Ok(Json(state.core.templates(&user).await?))
}

#[utoipa::path(post, path = "/api/v1/templates", tag = "templates", request_body = TemplateInput,
    responses((status = 201, body = Template), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create_template(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
    ApiJson(input): ApiJson<TemplateInput>,
) -> Result<(StatusCode, Json<Template>), ApiError> {
    let template = state.core.create_template(&user, &input).await?;
    Ok((StatusCode::CREATED, Json(template)))
}

#[utoipa::path(get, path = "/api/v1/templates/{id}", tag = "templates", params(("id" = i64, Path)),
    responses((status = 200, body = Template), (status = 404, body = Problem)))]
pub async fn get_template(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Template>, ApiError> {
    Ok(Json(state.core.template(&user, template_id(&id)?).await?))
}

/// Saves a template (kept as its newest version).
#[utoipa::path(put, path = "/api/v1/templates/{id}", tag = "templates", params(("id" = i64, Path)),
    request_body = TemplateInput,
    responses((status = 200, body = Template), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)))]
pub async fn update_template(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<TemplateInput>,
) -> Result<Json<Template>, ApiError> {
    let id = template_id(&id)?;
    Ok(Json(state.core.update_template(&user, id, &input).await?))
}

/// Removes a template; 409 while an action type opens with it.
#[utoipa::path(delete, path = "/api/v1/templates/{id}", tag = "templates", params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn delete_template(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    state.core.delete_template(&user, template_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A copy named "… (kopie)".
#[utoipa::path(post, path = "/api/v1/templates/{id}/duplicate", tag = "templates", params(("id" = i64, Path)),
    responses((status = 201, body = Template), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn duplicate_template(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<Template>), ApiError> {
    let copy = state
        .core
        .duplicate_template(&user, template_id(&id)?)
        .await?;
    Ok((StatusCode::CREATED, Json(copy)))
}

/// The last 20 versions, newest first.
#[utoipa::path(get, path = "/api/v1/templates/{id}/versions", tag = "templates", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<TemplateVersion>), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn template_versions(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Vec<TemplateVersion>>, ApiError> {
    Ok(Json(
        state
            .core
            .template_versions(&user, template_id(&id)?)
            .await?,
    ))
}

/// "Herstellen": an earlier version saved again as the newest.
#[utoipa::path(post, path = "/api/v1/templates/{id}/versions/{version}/restore", tag = "templates",
    params(("id" = i64, Path), ("version" = i64, Path)),
    responses((status = 200, body = Template), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn restore_template(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
    Path((id, version)): Path<(String, String)>,
) -> Result<Json<Template>, ApiError> {
    let (id, version) = (template_id(&id)?, super::mail::record_id(&version)?);
    Ok(Json(state.core.restore_template(&user, id, version).await?))
}

/// For whom to render.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct RenderQuery {
    /// A contact person; without one every relation field shows its fallback.
    person: Option<i64>,
}

/// The template filled in for a contact person: subject, HTML and text.
#[utoipa::path(get, path = "/api/v1/templates/{id}/render", tag = "templates",
    params(("id" = i64, Path), RenderQuery),
    responses((status = 200, body = Rendered), (status = 400, body = Problem), (status = 404, body = Problem)))]
pub async fn render_template(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
    Path(id): Path<String>,
    query: Result<Query<RenderQuery>, QueryRejection>,
) -> Result<Json<Rendered>, ApiError> {
    let Query(q) = query?;
    let id = template_id(&id)?;
    let person = q.person.map(PersonId);
    Ok(Json(state.core.render_template(&user, id, person).await?))
}

#[utoipa::path(get, path = "/api/v1/action-types", tag = "templates",
    responses((status = 200, body = Vec<ActionType>), (status = 401, body = Problem)))]
pub async fn list_action_types(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
) -> Result<Json<Vec<ActionType>>, ApiError> {
    Ok(Json(state.core.action_types(&user).await?))
}

/// A new action type of the organisation's own.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewActionType {
    name: String,
}

#[utoipa::path(post, path = "/api/v1/action-types", tag = "templates", request_body = NewActionType,
    responses((status = 201, body = ActionType), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create_action_type(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
    ApiJson(new): ApiJson<NewActionType>,
) -> Result<(StatusCode, Json<ActionType>), ApiError> {
    let created = state.core.create_action_type(&user, &new.name).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Renames, switches on or off, and chooses the template.
#[utoipa::path(put, path = "/api/v1/action-types/{id}", tag = "templates", params(("id" = i64, Path)),
    request_body = ActionTypeInput,
    responses((status = 200, body = ActionType), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)))]
pub async fn update_action_type(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ActionTypeInput>,
) -> Result<Json<ActionType>, ApiError> {
    let id = ActionTypeId(super::mail::record_id(&id)?);
    Ok(Json(
        state.core.update_action_type(&user, id, &input).await?,
    ))
}

/// Where an uploaded image is: the `src` of a document's image node.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct StoredImage {
    /// `cid:img-<hash>.<ext>`
    pub src: String,
}

/// Keeps an image for the organisation's templates: PNG, JPEG, GIF or WebP (by its bytes), at
/// most 512 KB, as the request body. Uploading the same image again gives the same `src`.
#[utoipa::path(post, path = "/api/v1/templates/images", tag = "templates",
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = StoredImage), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn upload_image(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
    body: Bytes,
) -> Result<(StatusCode, Json<StoredImage>), ApiError> {
    let src = state.core.keep_template_image(&user, body.to_vec()).await?;
    Ok((StatusCode::CREATED, Json(StoredImage { src })))
}

/// One of the organisation's template images (the editor shows them from here).
#[utoipa::path(get, path = "/api/v1/templates/images/{name}", tag = "templates",
    params(("name" = String, Path, description = "img-<hash>.<ext>, the part after cid:")),
    responses((status = 200, content_type = "image/*", body = Vec<u8>), (status = 404, body = Problem)))]
pub async fn image(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
    Path(name): Path<String>,
) -> Result<Response, ApiError> {
    let image = state.core.template_image(&user, &name).await?;
    let mut response = super::sandboxed_file(image.bytes, &image.content_type);
    // The name is the content's hash: the same name is always the same image.
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=31536000, immutable"),
    );
    Ok(response)
}
