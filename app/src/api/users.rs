//! Beheer → Gebruikers. The core refuses every call of a non-SuperAdmin.

use crate::csrf::CsrfClient;
use crate::error::AppError;
use leptos::prelude::*;
use postkamer_domain::{Role, User, UserId};
use server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::ssr;

#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn list_users() -> Result<Vec<User>, AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    Ok(state.core.list_users(&caller).await?)
}

#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn create_user(
    name: String,
    email: String,
    role: Role,
    password: String,
) -> Result<User, AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    let input = postkamer_core::UserInput {
        name,
        email,
        role: Some(role),
        password,
    };
    Ok(state.core.create_user(&caller, &input).await?)
}

#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn set_user_role(id: UserId, role: Role) -> Result<User, AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    Ok(state.core.set_user_role(&caller, id, role).await?)
}

#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn set_user_active(id: UserId, active: bool) -> Result<User, AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    Ok(state.core.set_user_active(&caller, id, active).await?)
}

/// Refuses non-SuperAdmins: the SuperAdmin-only Beheer pages call it before they render.
#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn require_superadmin() -> Result<(), AppError> {
    let caller = ssr::caller()?;
    if caller.is_superadmin() {
        Ok(())
    } else {
        Err(ssr::fail(AppError::Forbidden))
    }
}

/// Beheer → Gebruikers → Adreskoppelingen: who added or removed which address of a contact
/// person (SuperAdmins).
#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn address_log(
    page: Option<u32>,
) -> Result<postkamer_domain::Page<postkamer_domain::relation::AddressLogEntry>, AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    let page = postkamer_domain::PageRequest::new(page, Some(50));
    Ok(state.core.address_log(&caller, page).await?)
}
