use super::ApiJson;
use crate::error::{ApiError, Problem};
use crate::middleware::ApiCaller;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use postkamer_app::ssr::AppState;
use postkamer_core::CoreError;
use postkamer_domain::relation::{
    AddressLogEntry, Company, CompanyInput, CompanySort, CompanySummary, Person, PersonInput,
    PersonSort, PersonSummary,
};
use postkamer_domain::relation::{CompanyQuery, PersonQuery};
use postkamer_domain::{CompanyId, EmailAddress, Page, PageRequest, PersonId};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/persons", get(list_persons).post(create_person))
        .route("/persons/by-email", get(persons_by_email))
        .route(
            "/persons/{id}",
            get(get_person).put(update_person).delete(delete_person),
        )
        .route("/address-log", get(address_log))
        .route("/companies", get(list_companies).post(create_company))
        .route(
            "/companies/{id}",
            get(get_company).put(update_company).delete(delete_company),
        )
}

/// Query parameters of the lists.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Search terms; every term must match a word of the name, an e-mail address, the company or a phone number.
    q: Option<String>,
    /// `name`, `company` (persons), `city` or `updated`; prefix `-` for descending.
    sort: Option<String>,
    /// 1-based page number.
    page: Option<u32>,
    /// Items per page, 1–100 (default 25).
    per_page: Option<u32>,
    /// Only the contact persons of this company (persons only).
    company_id: Option<i64>,
    /// `true`: only the contact persons marked for sync with phones (persons only).
    synced: Option<bool>,
}

/// A path id that is not a number names no record: 404, like any unknown id.
fn parse_id(id: &str) -> Result<i64, ApiError> {
    id.parse().map_err(|_| ApiError::Core(CoreError::NotFound))
}

fn bad_sort(sort: &str) -> ApiError {
    ApiError::BadQuery(format!("unknown sort `{sort}`"))
}

fn page_type<T>(page: Page<T>) -> Json<Page<T>> {
    Json(page)
}

#[utoipa::path(get, path = "/api/v1/persons", tag = "relations", params(ListQuery),
    responses((status = 200, body = Page<PersonSummary>), (status = 400, body = Problem), (status = 401, body = Problem)))]
pub async fn list_persons(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
    query: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Page<PersonSummary>>, ApiError> {
    let Query(q) = query?;
    let (sort, dir) = match q.sort.as_deref() {
        None | Some("") => Default::default(),
        Some(s) => PersonSort::parse(s).ok_or_else(|| bad_sort(s))?,
    };
    let query = PersonQuery {
        search: q.q.unwrap_or_default(),
        company: q.company_id.map(CompanyId),
        synced_only: q.synced.unwrap_or(false),
        sort,
        dir,
        page: PageRequest::new(q.page, q.per_page),
    };
    Ok(page_type(state.core.list_persons(&user, &query).await?))
}

#[utoipa::path(post, path = "/api/v1/persons", tag = "relations", request_body = PersonInput,
    responses((status = 201, body = Person), (status = 400, body = Problem), (status = 422, body = Problem)))]
pub async fn create_person(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
    ApiJson(input): ApiJson<PersonInput>,
) -> Result<impl IntoResponse, ApiError> {
    let person = state.core.create_person(&user, &input).await?;
    let location = format!("/api/v1/persons/{}", person.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(person),
    ))
}

#[utoipa::path(get, path = "/api/v1/persons/{id}", tag = "relations", params(("id" = i64, Path)),
    responses((status = 200, body = Person), (status = 404, body = Problem)))]
pub async fn get_person(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Person>, ApiError> {
    Ok(Json(
        state.core.person(&user, PersonId(parse_id(&id)?)).await?,
    ))
}

#[utoipa::path(put, path = "/api/v1/persons/{id}", tag = "relations", params(("id" = i64, Path)), request_body = PersonInput,
    responses((status = 200, body = Person), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn update_person(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<PersonInput>,
) -> Result<Json<Person>, ApiError> {
    Ok(Json(
        state
            .core
            .update_person(&user, PersonId(parse_id(&id)?), &input)
            .await?,
    ))
}

#[utoipa::path(delete, path = "/api/v1/persons/{id}", tag = "relations", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = Problem)))]
pub async fn delete_person(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    state
        .core
        .delete_person(&user, PersonId(parse_id(&id)?))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct EmailQuery {
    /// The e-mail address (any case).
    email: String,
}

/// The contact persons with this e-mail address.
#[utoipa::path(get, path = "/api/v1/persons/by-email", tag = "relations", params(EmailQuery),
    responses((status = 200, body = Vec<Person>), (status = 422, body = Problem)))]
pub async fn persons_by_email(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
    query: Result<Query<EmailQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Vec<Person>>, ApiError> {
    let Query(q) = query?;
    let email = EmailAddress::parse(&q.email).map_err(|_| {
        CoreError::Validation(postkamer_domain::ValidationErrors::single(
            "email",
            postkamer_domain::Invalid::Email,
        ))
    })?;
    let mut persons = Vec::new();
    for id in state.core.persons_by_email(&user, &email).await? {
        // A person deleted since the lookup is simply no longer there.
        match state.core.person(&user, id).await {
            Ok(person) => persons.push(person),
            Err(CoreError::NotFound) => {}
            Err(err) => return Err(err.into()),
        }
    }
    Ok(Json(persons))
}

#[utoipa::path(get, path = "/api/v1/companies", tag = "relations", params(ListQuery),
    responses((status = 200, body = Page<CompanySummary>), (status = 400, body = Problem), (status = 401, body = Problem)))]
pub async fn list_companies(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
    query: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Page<CompanySummary>>, ApiError> {
    let Query(q) = query?;
    if q.company_id.is_some() {
        return Err(ApiError::BadQuery(
            "company_id applies to persons only".into(),
        ));
    }
    let (sort, dir) = match q.sort.as_deref() {
        None | Some("") => Default::default(),
        Some(s) => CompanySort::parse(s).ok_or_else(|| bad_sort(s))?,
    };
    let query = CompanyQuery {
        search: q.q.unwrap_or_default(),
        sort,
        dir,
        page: PageRequest::new(q.page, q.per_page),
    };
    Ok(page_type(state.core.list_companies(&user, &query).await?))
}

#[utoipa::path(post, path = "/api/v1/companies", tag = "relations", request_body = CompanyInput,
    responses((status = 201, body = Company), (status = 400, body = Problem), (status = 422, body = Problem)))]
pub async fn create_company(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
    ApiJson(input): ApiJson<CompanyInput>,
) -> Result<impl IntoResponse, ApiError> {
    let company = state.core.create_company(&user, &input).await?;
    let location = format!("/api/v1/companies/{}", company.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(company),
    ))
}

#[utoipa::path(get, path = "/api/v1/companies/{id}", tag = "relations", params(("id" = i64, Path)),
    responses((status = 200, body = Company), (status = 404, body = Problem)))]
pub async fn get_company(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Company>, ApiError> {
    Ok(Json(
        state.core.company(&user, CompanyId(parse_id(&id)?)).await?,
    ))
}

#[utoipa::path(put, path = "/api/v1/companies/{id}", tag = "relations", params(("id" = i64, Path)), request_body = CompanyInput,
    responses((status = 200, body = Company), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn update_company(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<CompanyInput>,
) -> Result<Json<Company>, ApiError> {
    Ok(Json(
        state
            .core
            .update_company(&user, CompanyId(parse_id(&id)?), &input)
            .await?,
    ))
}

#[utoipa::path(delete, path = "/api/v1/companies/{id}", tag = "relations", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = Problem)))]
pub async fn delete_company(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    state
        .core
        .delete_company(&user, CompanyId(parse_id(&id)?))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Query parameters of the address log.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct LogQuery {
    /// 1-based page number.
    page: Option<u32>,
    /// Items per page, 1–100 (default 25).
    per_page: Option<u32>,
}

/// Who added or removed which e-mail address of a contact person, newest first (SuperAdmins):
/// an address on a contact person links all mail with it to the relation.
#[utoipa::path(get, path = "/api/v1/address-log", tag = "relations", params(LogQuery),
    responses((status = 200, body = Page<AddressLogEntry>), (status = 403, body = Problem)))]
pub async fn address_log(
    State(state): State<AppState>,
    ApiCaller(user): ApiCaller,
    query: Result<Query<LogQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Page<AddressLogEntry>>, ApiError> {
    let Query(q) = query?;
    let page = PageRequest::new(q.page, q.per_page);
    Ok(Json(state.core.address_log(&user, page).await?))
}
