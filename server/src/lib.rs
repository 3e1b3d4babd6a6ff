#![recursion_limit = "256"]
//! The Postkamer server: configuration, the HTTP router (pages, server functions, the JSON
//! API, probes), authentication and CSRF middleware, and the demo data loader. `main.rs` is
//! the command line on top.

pub mod api;
pub mod config;
pub mod database;
pub mod dav;
pub mod domain_report;
pub mod error;
pub mod headers;
pub mod limits;
pub mod middleware;
mod private_fs;
pub mod router;
pub mod serve;
