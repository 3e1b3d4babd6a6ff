//! Companies: CRUD, search, sorting, paging, domains and organisation isolation.

#[path = "companies/lists.rs"]
pub(crate) mod lists;
#[path = "companies/records.rs"]
pub(crate) mod records;
