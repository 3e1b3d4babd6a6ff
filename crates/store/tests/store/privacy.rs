//! A user's mail is theirs: the organisation's own addresses never link mail to a relation
//! (refused on every write of a contact person, ignored on every read), each copy of a message
//! is its own row and each user is served their own, counts follow visibility, and who linked
//! which address is logged.

#[path = "privacy/addresses.rs"]
pub(crate) mod addresses;
#[path = "privacy/copies.rs"]
pub(crate) mod copies;
#[path = "privacy/upgrade.rs"]
pub(crate) mod upgrade;
