//! Saved selections of the relation list (per user), and which of them go to the user's phones
//! as read-only address books. Thin calls into `postkamer_core::selections`.

use crate::api::ListParams;
use crate::csrf::CsrfClient;
use crate::error::AppError;
use leptos::prelude::*;
use postkamer_domain::CompanyId;
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::ssr;

/// A saved selection as the pages show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelectionView {
    pub id: i64,
    pub name: String,
    pub search: String,
    pub company: Option<CompanyId>,
    pub synced_only: bool,
    /// Offered to the user's phones as a read-only address book.
    pub carddav: bool,
}

impl SelectionView {
    /// The relation list's parameters for this selection.
    pub fn params(&self) -> ListParams {
        ListParams {
            search: self.search.clone(),
            company: self.company,
            synced_only: self.synced_only,
            ..ListParams::default()
        }
    }
}

#[cfg(feature = "ssr")]
fn view(s: postkamer_domain::relation::SavedSelection) -> SelectionView {
    SelectionView {
        id: s.id,
        name: s.name,
        search: s.search,
        company: s.company,
        synced_only: s.synced_only,
        carddav: s.carddav,
    }
}

#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn list_selections() -> Result<Vec<SelectionView>, AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    Ok(state
        .core
        .selections(&caller)
        .await?
        .into_iter()
        .map(view)
        .collect())
}

/// "Opslaan als selectie": the list's current search, company and sync filter under a name.
#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn save_selection(name: String, params: ListParams) -> Result<SelectionView, AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    let query = postkamer_domain::relation::PersonQuery {
        search: params.search,
        company: params.company,
        synced_only: params.synced_only,
        ..Default::default()
    };
    Ok(view(
        state.core.save_selection(&caller, &name, &query).await?,
    ))
}

#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn delete_selection(id: i64) -> Result<(), AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    Ok(state.core.delete_selection(&caller, id).await?)
}

/// "Op telefoon (alleen lezen)": the selection as a read-only address book, or not.
#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn set_selection_sync(id: i64, on: bool) -> Result<(), AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    Ok(state.core.set_selection_sync(&caller, id, on).await?)
}
