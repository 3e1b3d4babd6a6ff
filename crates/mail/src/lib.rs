//! Postkamer's mail engine. Knows IMAP, MIME and HTML; knows nothing of HTTP or Leptos.
//!
//! - [`imap`]: connecting (implicit TLS, STARTTLS, plain on loopback only), finding the Inbox,
//!   Sent and Trash folders, fetching, flag and move write-back, IDLE.
//! - [`parse`]: one raw RFC 5322 message into the fields the CRM stores and shows.
//! - [`html`]: sanitising incoming HTML for display.
//! - [`compose`]: outgoing messages as MIME; [`smtp`]: sending them, recipient by recipient.
//! - [`store`]: the storage the engine needs ([`store::MailStore`]), implemented outside it.
//! - [`sync`]: one sync pass of a mailbox into that storage; [`worker`]: the background jobs that
//!   keep every mailbox in step (leased through the database, IDLE on the inbox).

pub mod compose;
pub mod compress;
pub mod html;
pub mod imap;
pub mod parse;
pub mod smtp;
pub mod store;
pub mod sync;
pub mod worker;
