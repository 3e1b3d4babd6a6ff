//! The IMAP client against a real Dovecot: `scripts/test.sh` starts one; see `support` for how to
//! run these tests by hand. One test binary, its tests in `tests/imap/`.

mod support;

#[path = "imap/connect.rs"]
mod connect;
#[path = "imap/hostile.rs"]
mod hostile;
#[path = "imap/idle.rs"]
mod idle;
#[path = "imap/messages.rs"]
mod messages;
