//! Postkamer's CardDAV engine: a user's relations marked for sync as an address book that iOS
//! Contacts, DAVx5 and CardDAV-Sync read and write. WebDAV/CardDAV request parsing and response
//! writing, vCard 3.0/4.0 mapping; generic over a small contact-store trait, with no HTTP
//! framework types.

pub mod dav;
pub mod store;
pub mod vcard;
pub mod xml;

pub use dav::{Dav, Request, Response};
pub use store::{
    BookInfo, CardMeta, Changes, Condition, ContactStore, DEFAULT_BOOK, Principal, StoredCard,
    Usage, WriteError, Written,
};
