//! Contact persons: e-mail addresses and phones, search, sorting, references and isolation.

#[path = "persons/integrity.rs"]
pub(crate) mod integrity;
#[path = "persons/search.rs"]
pub(crate) mod search;
#[path = "persons/writes.rs"]
pub(crate) mod writes;
