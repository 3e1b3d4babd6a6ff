//! The HTTP surface: pages (SSR), server functions, the JSON API, CardDAV and the health probes,
//! behind request ids, tracing, security headers, bounded bodies and authentication.

use crate::api;
use crate::headers::{SecurityHeaders, security_headers};
use crate::limits::{Limits, bounded_body};
use crate::middleware::authenticate;
use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderName, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list, handle_server_fns_with_context};
use postkamer_app::ssr::AppState;
use postkamer_app::{App, shell};
use tower::ServiceBuilder;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

pub fn router(state: AppState, limits: Limits) -> Router {
    let headers = SecurityHeaders {
        https: state.secure_cookies,
    };
    let routes = generate_route_list(App);
    let context = {
        let state = state.clone();
        move || provide_context(state.clone())
    };
    let render = {
        let options = state.leptos_options.clone();
        move || shell(options.clone())
    };
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .route("/favicon.svg", get(favicon))
        .route("/fn/{*name}", post(server_fn))
        .nest("/api/v1", api::router())
        .merge(api::mail::downloads())
        .route(
            "/beheer/gebruikersinstellingen/synchronisatie/postkamer.mobileconfig",
            get(crate::dav::mobileconfig),
        )
        .leptos_routes_with_context(&state, routes, context, render)
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(axum::middleware::from_fn_with_state(state.clone(), authenticate))
        .layer(DefaultBodyLimit::max(limits.max_body_bytes))
        // Every body read whole and bounded before a handler runs: the server functions read
        // theirs without axum's extractors, so DefaultBodyLimit alone would not hold them.
        .layer(axum::middleware::from_fn_with_state(limits, bounded_body))
        // A draft's files come with their own, larger limit.
        .merge(
            Router::new()
                .route("/api/v1/drafts/{id}/files", post(api::drafts::upload))
                .layer(axum::middleware::from_fn(crate::error::localize_problems))
                .layer(axum::middleware::from_fn_with_state(state.clone(), authenticate))
                .layer(DefaultBodyLimit::max(limits.max_upload_bytes))
                .layer(axum::middleware::from_fn_with_state(limits.for_uploads(), bounded_body)),
        )
        // CardDAV authenticates itself (HTTP Basic) and reads its own, larger bodies.
        .route("/.well-known/carddav", any(crate::dav::well_known))
        .route("/dav", any(crate::dav::handler))
        .route("/dav/", any(crate::dav::handler))
        .route("/dav/{*path}", any(crate::dav::handler))
        .layer(axum::middleware::from_fn_with_state(state.clone(), crate::dav::sync_host))
        .layer(axum::middleware::from_fn_with_state(headers, security_headers))
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
                .layer(TraceLayer::new_for_http().make_span_with(|request: &Request<Body>| {
                    let id = request.headers().get(&REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
                    tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), request_id = %id)
                }))
                .layer(PropagateRequestIdLayer::new(REQUEST_ID)),
        )
        .with_state(state)
}

async fn server_fn(State(state): State<AppState>, request: Request<Body>) -> impl IntoResponse {
    handle_server_fns_with_context(move || provide_context(state.clone()), request).await
}

/// Ready when the database answers.
async fn readyz(State(state): State<AppState>) -> Response {
    match state.core.database().ping().await {
        Ok(()) => "ready".into_response(),
        Err(err) => {
            tracing::warn!(%err, "not ready: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
        }
    }
}

async fn favicon() -> impl IntoResponse {
    const ICON: &str = "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'><rect width='32' height='32' rx='6' fill='#1f4e79'/><path d='M6 10h20v13H6z' fill='none' stroke='#fff' stroke-width='2'/><path d='M6 10l10 8 10-8' fill='none' stroke='#fff' stroke-width='2'/></svg>";
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        ICON,
    )
}
