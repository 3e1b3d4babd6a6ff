//! The SMTP client against a real SMTP server (aiosmtpd with STARTTLS and AUTH), which
//! `scripts/test.sh` starts (`scripts/lib/smtp.sh`; for a run by hand, source that file and call
//! `smtp_start`). One test binary, its tests in `tests/smtp/`.

#![allow(clippy::unwrap_used)]

#[path = "smtp/delivery.rs"]
mod delivery;
#[path = "smtp/server.rs"]
mod server;
