//! The cross-user privacy suite. Anna owns three messages: one whose counterparty is a contact
//! person (linked), one from a stranger (unlinked) and one she marked private. Bert (her
//! colleague), Beheer (the organisation's SuperAdmin) and Eve (a SuperAdmin of another
//! organisation) try every route that can show mail: pages, server functions, the JSON API and
//! the downloads. Only the linked message may reach Bert and Beheer; nothing reaches Eve.
//!
//! The routes are enumerated from the router itself — the app's pages, the registered server
//! functions, the OpenAPI document, the download routes — and each must be classified (in
//! privacy/routes.rs): a new route without a classification fails `every_route_is_classified`.

#![allow(
    clippy::unwrap_used,
    reason = "a test fails loudly on the first unexpected error"
)]

#[path = "privacy/carddav.rs"]
mod carddav;
#[path = "privacy/drafts.rs"]
mod drafts;
#[path = "privacy/mail.rs"]
mod mail;
#[path = "privacy/outbox.rs"]
mod outbox;
#[path = "privacy/routes.rs"]
mod routes;
mod support;
#[path = "privacy/world.rs"]
mod world;
