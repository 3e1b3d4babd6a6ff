//! Postkamer's use cases. Server functions (the browser UI) and the JSON API both call [`Core`],
//! so a rule — who may do what, what is valid, how a login is throttled — is written once.
//!
//! Every operation on behalf of a person takes the calling [`User`] and works inside that user's
//! organisation only: a record of another organisation is [`CoreError::NotFound`], never its data.

mod auth;
pub mod background;
pub mod carddav;
pub mod compose;
mod database;
pub mod demo;
pub mod domains;
mod error;
mod job_queue;
pub mod jobs;
pub mod mail;
mod password;
mod relations;
mod secrets;
pub mod selections;
pub mod sending;
pub mod templates;
mod tokens;
mod users;

pub use auth::{Login, ThrottlePolicy};
pub use database::{Database, DatabaseError};
pub use domains::{CheckReason, DomainsConfig, SigningKey};
pub use error::{CoreError, CoreResult};
pub use password::{hash_password, verify_password};
pub use secrets::{BadSecretKey, Entropy, SealError, SecretKey, SystemEntropy, Unsealable};
pub use tokens::session_csrf_token;
pub use users::UserInput;

use postkamer_domain::{Clock, SystemClock, User};
use postkamer_store::Store;
use std::sync::Arc;
use std::time::Duration;

/// Settings of the use cases that operators may tune.
#[derive(Debug, Clone)]
pub struct CoreConfig {
    pub session_ttl: Duration,
    pub throttle: ThrottlePolicy,
    /// Seals secrets at rest (mailbox passwords, DKIM private keys).
    pub secret: SecretKey,
    /// Sending domains: DNS, our SPF host, re-check intervals.
    pub domains: DomainsConfig,
    /// Messages larger than this are stored as their header, with a note (the mail stays on
    /// the server).
    pub mail_max_message_bytes: u64,
    /// Networks mailbox connections may not reach (`mail_hosts_deny`).
    pub mail_hosts_deny: postkamer_mail::imap::HostDeny,
    /// Mail out: the relay, retries, limits.
    pub sending: sending::SendingConfig,
    /// Where every "now" of the use cases comes from (sessions, throttling, leases, jobs): the
    /// system's clock, a manual one in tests.
    pub clock: Arc<dyn Clock>,
}

impl CoreConfig {
    /// The defaults, sealing with `secret`.
    pub fn new(secret: SecretKey) -> Self {
        Self {
            session_ttl: Duration::from_secs(14 * 24 * 3600),
            throttle: ThrottlePolicy::default(),
            secret,
            domains: DomainsConfig::default(),
            mail_max_message_bytes: postkamer_mail::imap::MAX_MESSAGE_BYTES,
            mail_hosts_deny: Default::default(),
            sending: sending::SendingConfig::default(),
            clock: Arc::new(SystemClock),
        }
    }
}

/// The application core: cheap to clone, shared by every request.
#[derive(Debug, Clone)]
pub struct Core {
    store: Store,
    config: CoreConfig,
    dummy_hash: Arc<tokio::sync::OnceCell<String>>,
    /// Bounds concurrent password checks (see `Core::verify`).
    hashing: Arc<tokio::sync::Semaphore>,
    /// CRM passwords recently checked for CardDAV (see `Core::authenticate_dav`).
    credentials: Arc<carddav::CredentialCache>,
    /// Tells this instance's job runner a job was queued (see `Core::run_background`).
    jobs_wake: Arc<tokio::sync::Notify>,
}

impl Core {
    pub fn new(database: impl Into<Database>, config: CoreConfig) -> Self {
        let store = database.into().0.with_clock(Arc::clone(&config.clock));
        let permits = std::thread::available_parallelism().map_or(2, |n| n.get() * 2);
        Self {
            store,
            config,
            dummy_hash: Arc::default(),
            hashing: Arc::new(tokio::sync::Semaphore::new(permits)),
            credentials: Arc::default(),
            jobs_wake: Arc::default(),
        }
    }

    /// The database this core runs on.
    pub fn database(&self) -> Database {
        Database(self.store.clone())
    }

    /// Unix milliseconds from the configured clock.
    pub(crate) fn now(&self) -> i64 {
        self.config.clock.now_millis()
    }

    pub fn clock(&self) -> Arc<dyn Clock> {
        Arc::clone(&self.config.clock)
    }
}

/// Refuses callers who are not SuperAdmin.
fn require_superadmin(caller: &User) -> CoreResult<()> {
    if caller.is_superadmin() {
        Ok(())
    } else {
        Err(CoreError::Forbidden)
    }
}
