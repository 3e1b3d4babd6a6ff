//! Beheer → E-mail → E-mailsjablonen and Actietypen. Everyone reads templates and previews
//! them; the core refuses every change by a non-SuperAdmin.

use crate::csrf::CsrfClient;
use crate::error::AppError;
use leptos::prelude::*;
use postkamer_domain::templates::{
    ActionType, ActionTypeInput, Rendered, Template, TemplateInput, TemplateSummary,
    TemplateVersion,
};
use postkamer_domain::{ActionTypeId, PersonId, TemplateId};
use server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::ssr;

#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn list_templates() -> Result<Vec<TemplateSummary>, AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    Ok(state.core.templates(&caller).await?)
}

#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn get_template(id: TemplateId) -> Result<Template, AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    Ok(state.core.template(&caller, id).await?)
}

/// "Opslaan": a new template (`id` none) or the new state of one.
#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn save_template(
    id: Option<TemplateId>,
    input: TemplateInput,
) -> Result<Template, AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    Ok(match id {
        Some(id) => state.core.update_template(&caller, id, &input).await?,
        None => state.core.create_template(&caller, &input).await?,
    })
}

#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn duplicate_template(id: TemplateId) -> Result<Template, AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    Ok(state.core.duplicate_template(&caller, id).await?)
}

/// Refused (`Conflict("template_in_use")`) while an action type opens with it.
#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn delete_template(id: TemplateId) -> Result<(), AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    Ok(state.core.delete_template(&caller, id).await?)
}

#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn template_versions(id: TemplateId) -> Result<Vec<TemplateVersion>, AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    Ok(state.core.template_versions(&caller, id).await?)
}

/// "Herstellen": an earlier version saved again as the newest.
#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn restore_template(id: TemplateId, version: i64) -> Result<Template, AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    Ok(state.core.restore_template(&caller, id, version).await?)
}

/// "Voorbeeld": the template as it stands in the editor, filled in for a relation.
#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn preview_template(
    input: TemplateInput,
    person: Option<PersonId>,
) -> Result<Rendered, AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    Ok(state.core.preview_template(&caller, &input, person).await?)
}

#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn list_action_types() -> Result<Vec<ActionType>, AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    Ok(state.core.action_types(&caller).await?)
}

#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn create_action_type(name: String) -> Result<ActionType, AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    Ok(state.core.create_action_type(&caller, &name).await?)
}

#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn update_action_type(
    id: ActionTypeId,
    input: ActionTypeInput,
) -> Result<ActionType, AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    Ok(state.core.update_action_type(&caller, id, &input).await?)
}

/// The editor's Afbeelding button: an image the browser read as a `data:` URL, kept for the
/// organisation's templates; the `src` for the document (`cid:img-….png`).
#[server(prefix = "/fn", input = Json, client = CsrfClient)]
pub async fn upload_template_image(data_url: String) -> Result<String, AppError> {
    let (state, caller) = (ssr::state()?, ssr::caller()?);
    Ok(state.core.upload_template_image(&caller, &data_url).await?)
}
