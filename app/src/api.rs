//! Server functions: the browser UI's calls into [`postkamer_core::Core`]. Each one finds the
//! caller the middleware attached to the request; the core decides what the caller may do.
//! All take JSON and carry the CSRF header (see [`crate::csrf`]).

pub mod auth;
pub mod domains;
pub mod jobs;
pub mod mail;
pub mod outbox;
pub mod relations;
pub mod selections;
pub mod sync;
pub mod templates;
pub mod users;

use serde::{Deserialize, Serialize};

/// List parameters shared by the relation lists.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListParams {
    pub search: String,
    /// `name`, `-name`, `city`, … (see `PersonSort::parse` / `CompanySort::parse`).
    pub sort: String,
    pub page: u32,
    /// Only the contact persons of this company (person lists).
    #[serde(default)]
    pub company: Option<postkamer_domain::CompanyId>,
    /// Only the contact persons marked for sync (person lists).
    #[serde(default)]
    pub synced_only: bool,
}
