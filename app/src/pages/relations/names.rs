//! Name splitting lives in the domain crate (the CardDAV mapping uses it too).

pub use postkamer_domain::relation::names::{name_from_address, split_display_name};
