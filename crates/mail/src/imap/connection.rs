//! The connection: connecting and logging in, and the loop that sends a command and reads its
//! answers.
//!
//! Commands are sent with `async-imap`'s `run_command` and their answers read one by one with
//! `read_response`, rather than through its per-command helpers: that way every untagged answer is
//! seen here (EXISTS, EXPUNGE, FETCH, BYE, COPYUID, APPENDUID ...), NO/BAD keep the server's own
//! text, and the message count of the selected folder stays exact.

use std::fmt;
use std::time::Duration;

use async_imap::imap_proto::{MailboxDatum, RequestId, Response, Status};
use async_imap::types::UnsolicitedResponse;

use super::capabilities::Capabilities;
use super::error::{BadInput, ImapError, ImapStep, TlsFailure, io_error, lib_error, login_error};
use super::guard::Allowance;
use super::syntax::outcome_text;
use super::transport::{self, Timed, Transport};
use super::{ImapAccount, TlsMode};

type Session = async_imap::Session<Timed>;
type Client = async_imap::Client<Timed>;

/// The next answer from the server on `$connection` (an [`ImapConnection`]), or `return Err(..)`
/// from the enclosing function when there is none. (A macro because `async-imap` does not export
/// the name of its response type.)
macro_rules! next_response {
    ($connection:expr, $step:expr) => {
        match $connection.session.read_response().await {
            Ok(Some(response)) => response,
            Ok(None) => return Err($connection.closed($step)),
            Err(error) => return Err($crate::imap::error::io_error($step, error)),
        }
    };
}
pub(super) use next_response;

/// `FETCH`/`SEARCH` windows hold at most this many messages (see `uids`).
const SEARCH_WINDOW: u32 = 25_000;

/// The selected folder, as far as this connection has been told.
#[derive(Debug)]
pub(super) struct Selected {
    pub(super) name: String,
    pub(super) exists: u32,
    /// SELECT was done with CONDSTORE and the folder has mod-sequences.
    pub(super) condstore: bool,
}

/// A logged-in IMAP connection. See the [module documentation](super) for the overall picture.
///
/// Commands run one at a time (`&mut self`). After an error for which
/// [`ImapError::breaks_connection`] is true, drop the connection and connect again.
pub struct ImapConnection {
    pub(super) session: Session,
    pub(super) host: String,
    pub(super) capabilities: Capabilities,
    /// The inactivity limit for reads and writes.
    pub(super) timeout: Duration,
    pub(super) selected: Option<Selected>,
    /// The server reported EXISTS, EXPUNGE or FETCH since the last select/uids/changed_flags.
    pub(super) changed: bool,
    /// The text of a `* BYE`, for the error when the connection then ends.
    bye: Option<String>,
    pub(super) search_window: u32,
    /// QRESYNC is enabled (RFC 7162): expunges arrive as VANISHED, and
    /// [`ImapConnection::changes_since`] reports them.
    pub(super) qresync: bool,
    /// What the next command may receive, when it is not [`Allowance::COMMAND`].
    pub(super) next_allowance: Option<Allowance>,
    /// Messages larger than this are fetched as their header only.
    pub(super) max_message: u64,
}

/// The default per-message cap: larger messages are stored as their header.
pub const MAX_MESSAGE_BYTES: u64 = 50 * 1024 * 1024;

impl fmt::Debug for ImapConnection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ImapConnection")
            .field("host", &self.host)
            .field("selected", &self.selected)
            .field("capabilities", &self.capabilities)
            .finish_non_exhaustive()
    }
}

impl ImapConnection {
    /// Connects, secures the connection as `account.tls` says, logs in and reads the
    /// capabilities. `timeout` limits each step (DNS, TCP, TLS, and then every read and write
    /// without progress, for the life of the connection).
    #[tracing::instrument(
        skip_all,
        fields(host = %account.host, port = account.port, tls = %account.tls),
        err
    )]
    pub async fn connect(account: &ImapAccount, timeout: Duration) -> Result<Self, ImapError> {
        let host =
            transport::clean_host(&account.host).ok_or(ImapError::InvalidInput(BadInput::Host))?;
        let bad_credential = |s: &str| s.contains(['\r', '\n', '\0']);
        if bad_credential(&account.login) || bad_credential(&account.password) {
            return Err(ImapError::InvalidInput(BadInput::Credentials));
        }
        let plaintext_refused = || ImapError::PlaintextRefused {
            host: host.to_owned(),
        };
        if account.tls == TlsMode::None && !transport::is_loopback_host(host) {
            return Err(plaintext_refused());
        }

        let mut addrs = transport::resolve(host, account.port, timeout).await?;
        if addrs.iter().any(|addr| account.deny.refuses(addr.ip())) {
            tracing::warn!(%host, "mail host refused by mail_hosts_deny");
            return Err(ImapError::HostDenied {
                host: host.to_owned(),
            });
        }
        if account.tls == TlsMode::None {
            addrs.retain(|addr| addr.ip().is_loopback());
            if addrs.is_empty() {
                return Err(plaintext_refused());
            }
        }
        let tcp = transport::connect_tcp(host, &addrs, timeout).await?;
        let stream = match account.tls {
            TlsMode::Tls => Transport::Tls(Box::new(
                transport::tls_handshake(tcp, host, timeout).await?,
            )),
            TlsMode::StartTls | TlsMode::None => Transport::Plain(tcp),
        };
        let mut client = Client::new(Timed::new(stream, timeout));
        read_greeting(&mut client).await?;

        if account.tls == TlsMode::StartTls {
            client
                .run_command_and_check_ok("STARTTLS", None)
                .await
                .map_err(|error| match error {
                    async_imap::error::Error::No(_) | async_imap::error::Error::Bad(_) => {
                        ImapError::Tls {
                            host: host.to_owned(),
                            failure: TlsFailure::NoStartTls,
                        }
                    }
                    other => lib_error(ImapStep::Tls, other),
                })?;
            // Anything the server sent after its OK is dropped with the plain stream, as
            // RFC 3501 requires.
            let Transport::Plain(tcp) = client.into_inner().into_inner() else {
                return Err(ImapError::Protocol(
                    "STARTTLS on a TLS connection".to_owned(),
                ));
            };
            let tls = transport::tls_handshake(tcp, host, timeout).await?;
            client = Client::new(Timed::new(Transport::Tls(Box::new(tls)), timeout));
        }

        let (session, capabilities) = client
            .login_with_capabilities(&account.login, &account.password)
            .await
            .map_err(|(error, _client)| login_error(error))?;
        let mut connection = ImapConnection {
            session,
            host: host.to_owned(),
            capabilities: Capabilities::default(),
            timeout,
            selected: None,
            changed: false,
            bye: None,
            search_window: SEARCH_WINDOW,
            qresync: false,
            next_allowance: None,
            max_message: MAX_MESSAGE_BYTES,
        };
        connection.capabilities = match capabilities {
            Some(capabilities) => Capabilities::from_lib(&capabilities),
            None => connection.ask_capabilities().await?,
        };
        if connection.capabilities.has_qresync {
            // A server that refuses is used without it (CONDSTORE and UID comparison).
            connection.qresync = connection
                .run(ImapStep::Capability, "ENABLE QRESYNC", &mut |response| {
                    matches!(response, Response::Capabilities(_))
                })
                .await
                .is_ok();
        }
        Ok(connection)
    }

    /// What the server can do, as it said after login.
    pub fn capabilities(&self) -> &Capabilities {
        &self.capabilities
    }

    /// Whether QRESYNC is enabled on this connection.
    pub fn qresync(&self) -> bool {
        self.qresync
    }

    /// The name of the selected folder, if any.
    pub fn selected_folder(&self) -> Option<&str> {
        self.selected
            .as_ref()
            .map(|selected| selected.name.as_str())
    }

    /// For tests: behave as if the server lacked `name` (e.g. `"MOVE"`, `"IDLE"`, `"CONDSTORE"`),
    /// to exercise the fallbacks.
    #[doc(hidden)]
    pub fn forget_capability(&mut self, name: &str) {
        self.capabilities = self.capabilities.without(name);
    }

    /// The per-message cap (default [`MAX_MESSAGE_BYTES`]): larger messages are fetched as
    /// their header only (see [`ImapConnection::fetch_sized`]).
    pub fn set_max_message_bytes(&mut self, bytes: u64) {
        self.max_message = bytes.max(1024);
    }

    pub fn max_message_bytes(&self) -> u64 {
        self.max_message
    }

    /// For tests: the number of messages per SEARCH window in [`ImapConnection::uids`].
    #[doc(hidden)]
    pub fn set_search_window(&mut self, messages: u32) {
        self.search_window = messages.max(1);
    }

    async fn ask_capabilities(&mut self) -> Result<Capabilities, ImapError> {
        let mut found = Capabilities::default();
        self.run(ImapStep::Capability, "CAPABILITY", &mut |response| {
            if let Response::Capabilities(list) = response {
                found = Capabilities::from_proto(list);
                return true;
            }
            false
        })
        .await?;
        Ok(found)
    }

    /// Says goodbye and closes the connection.
    #[tracing::instrument(skip_all, err)]
    pub async fn logout(mut self) -> Result<(), ImapError> {
        match self.run(ImapStep::Logout, "LOGOUT", &mut |_| false).await {
            // Some servers close right after their BYE without the tagged OK.
            Ok(()) | Err(ImapError::Closed { .. }) => Ok(()),
            Err(error) => Err(error),
        }
    }

    /// Sends `command` and reads answers up to its tagged reply. `on` sees every answer (the
    /// tagged reply last) and returns true for those it took; the others are noted as
    /// unsolicited (EXISTS, EXPUNGE, FETCH, BYE).
    pub(super) async fn run(
        &mut self,
        step: ImapStep,
        command: &str,
        on: &mut (dyn FnMut(&Response<'_>) -> bool + Send),
    ) -> Result<(), ImapError> {
        let tag = self.send(step, command).await?;
        self.finish(step, &tag, on).await
    }

    pub(super) async fn send(
        &mut self,
        step: ImapStep,
        command: &str,
    ) -> Result<RequestId, ImapError> {
        self.absorb_unsolicited();
        let allowance = self.next_allowance.take().unwrap_or(Allowance::COMMAND);
        self.session.get_mut().expect(allowance);
        self.session
            .run_command(command)
            .await
            .map_err(|error| lib_error(step, error))
    }

    /// Reads answers up to the tagged reply to `tag`; see [`Self::run`].
    pub(super) async fn finish(
        &mut self,
        step: ImapStep,
        tag: &RequestId,
        on: &mut (dyn FnMut(&Response<'_>) -> bool + Send),
    ) -> Result<(), ImapError> {
        loop {
            let response = next_response!(self, step);
            let parsed = response.parsed();
            match parsed {
                Response::Done {
                    tag: done_tag,
                    status,
                    outcome,
                } if done_tag == tag => {
                    on(parsed);
                    return match status {
                        Status::Ok => Ok(()),
                        Status::No | Status::Bad => Err(ImapError::Rejected {
                            during: step,
                            server: outcome_text(outcome),
                        }),
                        Status::Bye => Err(ImapError::Closed {
                            during: step,
                            server: outcome_text(outcome),
                        }),
                        Status::PreAuth => {
                            Err(ImapError::Protocol("PREAUTH as a command reply".to_owned()))
                        }
                    };
                }
                Response::Done { .. } => {
                    tracing::debug!("ignoring the reply to another command");
                }
                _ => {
                    if !on(parsed) {
                        self.note(parsed);
                    }
                }
            }
        }
    }

    /// The error for a connection that ended during `step`.
    pub(super) fn closed(&mut self, step: ImapStep) -> ImapError {
        ImapError::Closed {
            during: step,
            server: self.bye.take().unwrap_or_default(),
        }
    }

    /// Keeps track of what the server says on its own accord.
    pub(super) fn note(&mut self, response: &Response<'_>) {
        match response {
            Response::MailboxData(MailboxDatum::Exists(count)) => {
                if let Some(selected) = &mut self.selected {
                    selected.exists = *count;
                }
                self.changed = true;
            }
            Response::Expunge(_) => {
                if let Some(selected) = &mut self.selected {
                    selected.exists = selected.exists.saturating_sub(1);
                }
                self.changed = true;
            }
            Response::Vanished {
                earlier: false,
                uids,
            } => {
                let gone: u32 = uids
                    .iter()
                    .map(|r| r.end().saturating_sub(*r.start()).saturating_add(1))
                    .sum();
                if let Some(selected) = &mut self.selected {
                    selected.exists = selected.exists.saturating_sub(gone);
                }
                self.changed = true;
            }
            Response::Fetch(..) | Response::Vanished { .. } => self.changed = true,
            Response::Data {
                status: Status::Bye,
                outcome,
            } => self.bye = Some(outcome_text(outcome)),
            _ => {}
        }
    }

    /// Takes in what `async-imap` queued on its own (nothing, normally: every command here reads
    /// its answers itself).
    pub(super) fn absorb_unsolicited(&mut self) {
        while let Ok(unsolicited) = self.session.unsolicited_responses.try_recv() {
            match unsolicited {
                UnsolicitedResponse::Exists(count) => {
                    self.note(&Response::MailboxData(MailboxDatum::Exists(count)));
                }
                UnsolicitedResponse::Expunge(seq) => self.note(&Response::Expunge(seq)),
                UnsolicitedResponse::Other(response) => self.note(response.parsed()),
                _ => {}
            }
        }
    }

    pub(super) fn require_selected(&self) -> Result<&Selected, ImapError> {
        self.selected
            .as_ref()
            .ok_or(ImapError::InvalidInput(BadInput::NoFolderSelected))
    }

    /// Switches the read/write inactivity limit off (`None`, during IDLE) or back on.
    pub(super) fn set_inactivity_limit(&mut self, limit: Option<Duration>) {
        self.session.get_mut().set_limit(limit);
    }
}

async fn read_greeting(client: &mut Client) -> Result<(), ImapError> {
    let response = match client.read_response().await {
        Ok(Some(response)) => response,
        Ok(None) => {
            return Err(ImapError::Closed {
                during: ImapStep::Greeting,
                server: String::new(),
            });
        }
        Err(error) => return Err(io_error(ImapStep::Greeting, error)),
    };
    match response.parsed() {
        Response::Data {
            status: Status::Ok, ..
        } => Ok(()),
        Response::Data {
            status: Status::Bye,
            outcome,
        } => Err(ImapError::Closed {
            during: ImapStep::Greeting,
            server: outcome_text(outcome),
        }),
        Response::Data {
            status: Status::PreAuth,
            ..
        } => Err(ImapError::Protocol(
            "the server greets with PREAUTH, which is not supported".to_owned(),
        )),
        _ => Err(ImapError::Protocol("no IMAP greeting".to_owned())),
    }
}
