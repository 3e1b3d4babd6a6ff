//! In-process HTTP tests of the whole router: JSON API, problem documents, authentication,
//! CSRF, throttling, organisation isolation, bad input. Requests go through
//! `tower::ServiceExt::oneshot`; the database is a fresh SQLite file per test.

#[path = "http/auth.rs"]
mod auth;
#[path = "http/input.rs"]
mod input;
#[path = "http/records.rs"]
mod records;
mod support;
