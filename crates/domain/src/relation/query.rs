//! What the relation lists show: the queries of the person and company lists, and saved
//! selections of the person list.

use super::{CompanySort, PersonSort};
use crate::{CompanyId, PageRequest, SortDir};

/// What to list: a search over name, e-mail, company and phone, optionally within one company
/// and to the persons marked for sync.
#[derive(Debug, Clone, Default)]
pub struct PersonQuery {
    pub search: String,
    pub company: Option<CompanyId>,
    /// Only the persons marked `synchroniseren` (the phones' address book).
    pub synced_only: bool,
    pub sort: PersonSort,
    pub dir: SortDir,
    pub page: PageRequest,
}

/// What to list: a search over name, KvK number, city, e-mail domains and phone.
#[derive(Debug, Clone, Default)]
pub struct CompanyQuery {
    pub search: String,
    pub sort: CompanySort,
    pub dir: SortDir,
    pub page: PageRequest,
}

/// A saved selection: the relation list's filters under a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedSelection {
    pub id: i64,
    pub name: String,
    pub search: String,
    pub company: Option<CompanyId>,
    pub synced_only: bool,
    /// Offered to the user's phones as a read-only address book.
    pub carddav: bool,
    pub created_at: i64,
}

impl SavedSelection {
    /// The list query this selection stands for (all of it, unpaged).
    pub fn query(&self) -> PersonQuery {
        PersonQuery {
            search: self.search.clone(),
            company: self.company,
            synced_only: self.synced_only,
            ..Default::default()
        }
    }
}
