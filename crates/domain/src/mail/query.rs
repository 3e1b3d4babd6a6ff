//! What the mail lists show: a page of one of the viewer's folders, and whose mail a timeline
//! holds.

use super::FolderRole;
use crate::{CompanyId, PageRequest, PersonId};

/// A page of one of the caller's folders, optionally searched.
#[derive(Debug, Clone, Default)]
pub struct MessageQuery {
    pub folder: FolderRole,
    pub search: String,
    pub page: PageRequest,
}

/// Whose mail a timeline shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimelineOf {
    Person(PersonId),
    /// The mail of every contact person of the company.
    Company(CompanyId),
}
