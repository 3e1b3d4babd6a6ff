//! Saved selections: the relation list's filters under a name, per user, each of which the user
//! can also offer to phones as a read-only address book (see [`crate::carddav`]).

use postkamer_domain::relation::PersonQuery;
use postkamer_domain::relation::SavedSelection;
use postkamer_domain::validate::Invalid;
use postkamer_domain::{User, ValidationErrors};
use postkamer_store::StoreError;

use crate::{Core, CoreError, CoreResult};

/// How many selections one user may keep.
pub const MAX_SELECTIONS: usize = 100;
const MAX_NAME: usize = 100;

impl Core {
    /// The caller's selections, by name.
    pub async fn selections(&self, caller: &User) -> CoreResult<Vec<SavedSelection>> {
        Ok(self.store.selections(caller.org_id, caller.id).await?)
    }

    /// Saves the list's filters (search, company, "marked for sync only") under `name`.
    pub async fn save_selection(
        &self,
        caller: &User,
        name: &str,
        query: &PersonQuery,
    ) -> CoreResult<SavedSelection> {
        let name = name.trim();
        let invalid = if name.is_empty() {
            Some(Invalid::Required)
        } else if name.chars().count() > MAX_NAME {
            Some(Invalid::TooLong { max: MAX_NAME })
        } else if name.chars().any(char::is_control) {
            Some(Invalid::ControlCharacters)
        } else {
            None
        };
        if let Some(invalid) = invalid {
            return Err(ValidationErrors::single("name", invalid).into());
        }
        if query.search.chars().count() > 200 {
            return Err(ValidationErrors::single("search", Invalid::TooLong { max: 200 }).into());
        }
        if self.store.selections(caller.org_id, caller.id).await?.len() >= MAX_SELECTIONS {
            return Err(ValidationErrors::single(
                "name",
                Invalid::TooMany {
                    max: MAX_SELECTIONS,
                },
            )
            .into());
        }
        match self
            .store
            .create_selection(caller.org_id, caller.id, name, query)
            .await
        {
            Err(StoreError::AlreadyExists(_)) => {
                Err(ValidationErrors::single("name", Invalid::NameTaken).into())
            }
            Err(StoreError::UnknownReference(_)) => {
                Err(ValidationErrors::single("company", Invalid::UnknownCompany).into())
            }
            other => Ok(other?),
        }
    }

    pub async fn delete_selection(&self, caller: &User, id: i64) -> CoreResult<()> {
        Ok(self
            .store
            .delete_selection(caller.org_id, caller.id, id)
            .await?)
    }

    /// Offers the selection to the caller's phones as a read-only address book, or stops.
    pub async fn set_selection_sync(&self, caller: &User, id: i64, on: bool) -> CoreResult<()> {
        self.store
            .set_selection_carddav(caller.org_id, caller.id, id, on)
            .await
            .map_err(CoreError::from)
    }
}
