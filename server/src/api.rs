//! The JSON API under `/api/v1`: the same use cases as the UI, through [`postkamer_core::Core`],
//! authenticated by a bearer API token (or the browser session plus CSRF header).

mod docs;
mod domains;
pub mod drafts;
mod jobs;
pub mod mail;
mod outbox;
mod relations;
mod templates;

use crate::error::{ApiError, Problem};
use crate::middleware::{ApiCaller, api_not_found};
use axum::Json;
use axum::Router;
use axum::extract::{FromRequest, Request, State};
use axum::routing::get;
use postkamer_app::ssr::AppState;
use postkamer_domain::{User, UserDetails};
use serde::de::DeserializeOwned;
use utoipa::OpenApi;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/me", get(me).put(update_me))
        .merge(relations::router())
        .merge(mail::router())
        .merge(domains::router())
        .merge(jobs::router())
        .merge(templates::router())
        .merge(outbox::router())
        .merge(drafts::router())
        .route("/openapi.json", get(openapi_json))
        .route("/docs", get(docs::page))
        .fallback(api_not_found)
        .layer(axum::middleware::from_fn(crate::error::localize_problems))
}

/// A JSON body whose rejections (syntax, unknown fields, size, content type) are problem
/// documents.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let Json(value) = Json::<T>::from_request(req, state).await?;
        Ok(ApiJson(value))
    }
}

/// A file from outside (an attachment, a template image) served as it is: its content type
/// (else `application/octet-stream`), never sniffed, and sandboxed should a browser open it as
/// a document.
fn sandboxed_file(bytes: Vec<u8>, content_type: &str) -> axum::response::Response {
    use axum::http::{HeaderValue, header};
    use axum::response::IntoResponse;
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(content_type)
            .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream")),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    response
}

/// The signed-in user.
#[utoipa::path(get, path = "/api/v1/me", tag = "account",
    responses((status = 200, body = User), (status = 401, body = Problem)))]
async fn me(ApiCaller(user): ApiCaller) -> Json<User> {
    Json(user)
}

/// The caller's own name, job title and phone number (Gebruikersinstellingen → Mijn gegevens),
/// which the merge fields gebruiker.naam, gebruiker.functie and gebruiker.telefoon show.
#[utoipa::path(put, path = "/api/v1/me", tag = "account", request_body = UserDetails,
    responses((status = 200, body = User), (status = 401, body = Problem), (status = 422, body = Problem)))]
async fn update_me(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
    ApiJson(details): ApiJson<UserDetails>,
) -> Result<Json<User>, ApiError> {
    Ok(Json(state.core.set_my_details(&user, &details).await?))
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Postkamer API", version = "1", description = "Relaties (companies and contact persons) of your organisation and the mail linked to them. \
        Authenticate with `Authorization: Bearer <token>`; create a token under Beheer → Gebruikersinstellingen → API-tokens. \
        Errors are `application/problem+json`; titles follow `Accept-Language` (nl, en)."),
    paths(
        me, update_me,
        relations::list_persons, relations::create_person, relations::get_person, relations::update_person,
        relations::delete_person, relations::persons_by_email, relations::address_log,
        relations::list_companies, relations::create_company, relations::get_company, relations::update_company,
        relations::delete_company,
        mail::list_messages, mail::get_message, mail::update_message, mail::raw_message,
        mail::person_messages, mail::company_messages, mail::sync_status,
        domains::list_domains, domains::add_domain, domains::get_domain, domains::check_domain,
        domains::domain_records, domains::delete_domain,
        jobs::list_jobs, jobs::retry_job,
        templates::list_templates, templates::create_template, templates::get_template,
        templates::update_template, templates::delete_template, templates::duplicate_template,
        templates::template_versions, templates::restore_template, templates::render_template,
        templates::list_action_types, templates::create_action_type, templates::update_action_type,
        templates::upload_image, templates::image,
        outbox::send, outbox::list_outbox, outbox::get_outgoing, outbox::raw_outgoing,
        outbox::cancel_outgoing, outbox::retry_outgoing, outbox::get_smtp, outbox::put_smtp,
        outbox::delete_smtp, outbox::test_smtp,
        drafts::start_draft, drafts::list_drafts, drafts::get_draft, drafts::save_draft,
        drafts::delete_draft, drafts::check_draft, drafts::send_draft, drafts::undo_send,
        drafts::upload, drafts::get_file, drafts::remove_file,
    ),
    components(schemas(Problem, crate::error::ProblemField, mail::MessageChange, outbox::SendRequest, outbox::AddressInput, outbox::AttachmentInput, domains::NewDomain, templates::NewActionType, templates::StoredImage)),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
    tags((name = "relations", description = "Companies and contact persons"), (name = "account", description = "The caller"), (name = "mail", description = "Synced mail: the caller's folders and a relation's messages"), (name = "domains", description = "Sending domains (SuperAdmins): SPF, DKIM key001/key002 and DMARC records to publish and their check against live DNS"), (name = "templates", description = "E-mail templates (the editor's document, merge fields, versions, rendering for a relation) and action types"), (name = "outbox", description = "Mail out: sending from the caller's address (DKIM-signed for an active sending domain), the outbox (Postvak UIT) with each message's state, the caller's SMTP account"), (name = "drafts", description = "Writing mail: drafts started from the template of E-mail uit (new, on a relation, reply, reply to all, forward), saved as typed, their files, the pre-send check of empty merge fields, sending after the time to undo it, and undoing it"), (name = "jobs", description = "The organisation's background job queue (SuperAdmins): mailbox syncs, domain checks; their state, attempts and last error, and retrying them"))
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
