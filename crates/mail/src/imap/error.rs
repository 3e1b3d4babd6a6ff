//! IMAP errors, each in terms the user can act on.
//!
//! Policy: one variant per thing that can go wrong *for the user* (a host that does not exist, a
//! refused port, a wrong password, a missing folder, a server that says NO), not per library
//! error. `Display` (and [`ImapError::message_en`]) is English for logs; [`ImapError::message_nl`]
//! is the Dutch sentence for the screen. Neither ever contains the password; server texts that are
//! quoted come from the server, which never echoes it.
//!
//! The functions at the end turn `async-imap` and I/O errors into these, with the step they
//! happened in.

use std::io;
use std::net::SocketAddr;

use super::FolderRole;
use super::guard::Overrun;
use super::syntax::{server_text_of_lib_error, truncate};

/// The step during which something failed, for messages like "... while fetching messages".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ImapStep {
    Dns,
    Connect,
    Tls,
    Greeting,
    Login,
    Capability,
    List,
    Select,
    Search,
    Fetch,
    Store,
    Move,
    Append,
    Idle,
    Noop,
    Logout,
}

impl ImapStep {
    /// English, to follow "while": "fetching messages".
    pub fn as_en(self) -> &'static str {
        match self {
            ImapStep::Dns => "looking up the server",
            ImapStep::Connect => "connecting",
            ImapStep::Tls => "setting up the secure connection",
            ImapStep::Greeting => "waiting for the server's greeting",
            ImapStep::Login => "logging in",
            ImapStep::Capability => "asking for the server's capabilities",
            ImapStep::List => "listing the folders",
            ImapStep::Select => "opening a folder",
            ImapStep::Search => "searching messages",
            ImapStep::Fetch => "fetching messages",
            ImapStep::Store => "changing flags",
            ImapStep::Move => "moving a message",
            ImapStep::Append => "saving a message",
            ImapStep::Idle => "waiting for new mail",
            ImapStep::Noop => "checking for changes",
            ImapStep::Logout => "logging out",
        }
    }

    /// Dutch, to follow "tijdens" or "weigerde": "het ophalen van berichten".
    pub fn as_nl(self) -> &'static str {
        match self {
            ImapStep::Dns => "het opzoeken van de server",
            ImapStep::Connect => "het verbinden",
            ImapStep::Tls => "het opzetten van de beveiligde verbinding",
            ImapStep::Greeting => "het wachten op de begroeting van de server",
            ImapStep::Login => "het inloggen",
            ImapStep::Capability => "het opvragen van de mogelijkheden van de server",
            ImapStep::List => "het opvragen van de mappen",
            ImapStep::Select => "het openen van een map",
            ImapStep::Search => "het zoeken van berichten",
            ImapStep::Fetch => "het ophalen van berichten",
            ImapStep::Store => "het bijwerken van vlaggen",
            ImapStep::Move => "het verplaatsen van een bericht",
            ImapStep::Append => "het opslaan van een bericht",
            ImapStep::Idle => "het wachten op nieuwe berichten",
            ImapStep::Noop => "het controleren op wijzigingen",
            ImapStep::Logout => "het uitloggen",
        }
    }
}

impl std::fmt::Display for ImapStep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_en())
    }
}

/// What went wrong with TLS.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TlsFailure {
    /// STARTTLS was asked for, but the server refused the command.
    NoStartTls,
    /// The server's certificate is not trusted (expired, wrong name, unknown issuer ...).
    Certificate(String),
    /// Any other handshake failure (often: TLS spoken to a plain port, or the other way round).
    Handshake(String),
}

impl std::fmt::Display for TlsFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TlsFailure::NoStartTls => f.write_str("the server does not offer STARTTLS"),
            TlsFailure::Certificate(detail) => write!(f, "untrusted certificate ({detail})"),
            TlsFailure::Handshake(detail) => write!(f, "handshake failed ({detail})"),
        }
    }
}

/// Input that cannot be sent to the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BadInput {
    /// Empty host name, or one with spaces or control characters.
    Host,
    /// A user name or password with a line break or NUL in it.
    Credentials,
    /// An empty folder name, or one with line breaks or non-ASCII characters (pass the server's
    /// own name from [`super::ImapConnection::folders`]).
    FolderName,
    /// A date that does not exist.
    Date,
    /// A Message-ID to search for that is empty, or has line breaks or non-ASCII characters.
    MessageId,
    /// A command that needs a selected folder, before any [`super::ImapConnection::select`].
    NoFolderSelected,
}

impl BadInput {
    fn as_en(self) -> &'static str {
        match self {
            BadInput::Host => "invalid server name",
            BadInput::Credentials => "user name or password contains a line break",
            BadInput::FolderName => "invalid folder name",
            BadInput::Date => "invalid date",
            BadInput::MessageId => "invalid Message-ID",
            BadInput::NoFolderSelected => "no folder selected",
        }
    }

    fn as_nl(self) -> &'static str {
        match self {
            BadInput::Host => "De servernaam is ongeldig.",
            BadInput::Credentials => "Gebruikersnaam of wachtwoord bevat een regeleinde.",
            BadInput::FolderName => "De mapnaam is ongeldig.",
            BadInput::Date => "De datum is ongeldig.",
            BadInput::MessageId => "De Message-ID is ongeldig.",
            BadInput::NoFolderSelected => "Er is geen map geopend.",
        }
    }
}

/// Everything that can go wrong talking IMAP. See the module documentation for the policy.
#[derive(Debug, thiserror::Error)]
pub enum ImapError {
    #[error("server {host} not found (DNS)")]
    Dns { host: String },
    #[error("cannot connect to {host} ({addr}): {source}")]
    Connect {
        host: String,
        addr: SocketAddr,
        #[source]
        source: io::Error,
    },
    #[error("the server did not answer in time while {during}")]
    Timeout { during: ImapStep },
    #[error("secure connection to {host} failed: {failure}")]
    Tls { host: String, failure: TlsFailure },
    #[error(
        "refusing an unencrypted connection to {host}: without TLS only a server on this computer (loopback) is allowed"
    )]
    PlaintextRefused { host: String },
    /// The host resolves into a network the operator refuses (`mail_hosts_deny`).
    #[error("connections to {host} are not allowed on this installation")]
    HostDenied { host: String },
    /// The server refused LOGIN: wrong user name or password, or (its text tells) an
    /// app password is needed, or the account is locked.
    #[error("login refused: check user name and password (server: {server})")]
    Login { server: String },
    #[error("folder '{}' not found on the server", .0.label_en())]
    MissingFolder(FolderRole),
    /// The server answered NO or BAD to a command.
    #[error("the server refused {during}: {server}")]
    Rejected { during: ImapStep, server: String },
    /// The connection ended (the server's BYE text, if any, in `server`: for the log, never
    /// in the message — whatever answers on a host and port a user typed is not theirs to read).
    #[error("the server closed the connection while {during}")]
    Closed { during: ImapStep, server: String },
    #[error("{}", .0.as_en())]
    InvalidInput(BadInput),
    /// The server sent something that is not IMAP as we know it (the start of it in the field,
    /// for the log; the message does not echo it).
    #[error("the server's answer is not IMAP: is this an IMAP server, and the right port?")]
    Protocol(String),
    /// The server sent more than the command could take (a message larger than it announced,
    /// an endless line, a flood): the connection is dropped.
    #[error("{overrun} while {during}")]
    Overrun { during: ImapStep, overrun: Overrun },
    #[error("network error while {during}: {source}")]
    Io {
        during: ImapStep,
        #[source]
        source: io::Error,
    },
}

impl ImapError {
    /// The English message (same as `Display`).
    pub fn message_en(&self) -> String {
        self.to_string()
    }

    /// The Dutch message for the screen: what happened and, where it helps, what to check.
    pub fn message_nl(&self) -> String {
        const PORT_HINT: &str =
            "Klopt de beveiliging bij de poort (TLS meestal op 993, STARTTLS op 143)?";
        match self {
            ImapError::Dns { host } => format!("De server {host} is niet gevonden (DNS)."),
            ImapError::Connect { host, addr, source } => match source.kind() {
                io::ErrorKind::ConnectionRefused => format!(
                    "De server {host} weigert de verbinding op poort {}. Klopt het poortnummer?",
                    addr.port()
                ),
                io::ErrorKind::HostUnreachable | io::ErrorKind::NetworkUnreachable => {
                    format!("De server {host} is niet bereikbaar ({addr}).")
                }
                _ => format!("Verbinden met {host} ({addr}) is mislukt: {source}."),
            },
            ImapError::Timeout {
                during: during @ (ImapStep::Greeting | ImapStep::Tls),
            } => format!(
                "De server gaf geen antwoord tijdens {}. {PORT_HINT}",
                during.as_nl()
            ),
            ImapError::Timeout { during } => {
                format!(
                    "De server gaf niet op tijd antwoord tijdens {}.",
                    during.as_nl()
                )
            }
            ImapError::Tls { host, failure } => match failure {
                TlsFailure::NoStartTls => format!(
                    "De server {host} biedt geen STARTTLS aan. Kies TLS (meestal poort 993)."
                ),
                TlsFailure::Certificate(detail) => {
                    format!("Het certificaat van {host} wordt niet vertrouwd ({detail}).")
                }
                TlsFailure::Handshake(detail) => format!(
                    "De beveiligde verbinding met {host} is mislukt ({detail}). {PORT_HINT}"
                ),
            },
            ImapError::HostDenied { host } => format!(
                "Verbinden met {host} is op deze installatie niet toegestaan (dat netwerk is \
                 afgeschermd door de beheerder). Gebruik de mailserver van uw provider."
            ),
            ImapError::PlaintextRefused { host } => format!(
                "Onbeveiligde verbinding met {host} geweigerd: zonder TLS kan alleen met een \
                 server op deze computer worden verbonden. Kies TLS of STARTTLS."
            ),
            ImapError::Login { server } => {
                let mut message =
                    "Inloggen geweigerd: controleer gebruikersnaam en wachtwoord.".to_owned();
                if !server.is_empty() {
                    message.push_str(" De server meldt: ");
                    message.push_str(server);
                }
                message
            }
            ImapError::MissingFolder(role) => {
                format!("Map '{}' niet gevonden op de server.", role.label_nl())
            }
            ImapError::Rejected { during, server } => {
                format!("De server weigerde {}: {server}", during.as_nl())
            }
            ImapError::Closed { during, .. } => {
                format!(
                    "De server verbrak de verbinding tijdens {}.",
                    during.as_nl()
                )
            }
            ImapError::InvalidInput(what) => what.as_nl().to_owned(),
            ImapError::Protocol(_) => "De server antwoordt niet zoals een IMAP-server. Klopt de \
                 servernaam, en de poort (TLS meestal 993, STARTTLS 143)?"
                .to_owned(),
            ImapError::Overrun { during, overrun } => {
                let what = match overrun {
                    Overrun::Literal { allowed, .. } => format!(
                        "meer gegevens voor één bericht dan verwacht (meer dan {})",
                        megabytes(*allowed)
                    ),
                    Overrun::Line { .. } => "een regel zonder einde".to_owned(),
                    Overrun::Budget { budget } => {
                        format!("meer dan {} voor één opdracht", megabytes(*budget))
                    }
                };
                format!(
                    "De mailserver stuurde tijdens {} {what}. De synchronisatie is gestopt om het \
                     geheugen te sparen; ze wordt later opnieuw geprobeerd. Blijft dit gebeuren, \
                     vraag dan de beheerder van de mailserver om het na te kijken.",
                    during.as_nl()
                )
            }
            ImapError::Io { during, source } => {
                format!("Netwerkfout tijdens {}: {source}.", during.as_nl())
            }
        }
    }

    /// True when the connection cannot be used after this error (time-out, closed, network or
    /// protocol error): drop it and connect again. False for a NO/BAD answer to one command, bad
    /// input, or errors that happen before there is a connection.
    pub fn breaks_connection(&self) -> bool {
        matches!(
            self,
            ImapError::Timeout { .. }
                | ImapError::Closed { .. }
                | ImapError::Protocol(_)
                | ImapError::Overrun { .. }
                | ImapError::Io { .. }
        )
    }
}

/// "12,5 MB" (decimal megabytes, as mail clients show sizes).
fn megabytes(bytes: u64) -> String {
    let tenths = bytes.saturating_add(50_000) / 100_000;
    format!("{},{} MB", tenths / 10, tenths % 10)
}

pub(super) fn login_error(error: async_imap::error::Error) -> ImapError {
    use async_imap::error::Error;
    match error {
        Error::No(text) | Error::Bad(text) => ImapError::Login {
            server: server_text_of_lib_error(&text),
        },
        Error::Validate(_) => ImapError::InvalidInput(BadInput::Credentials),
        other => lib_error(ImapStep::Login, other),
    }
}

/// An `async-imap` error during `step`.
pub(super) fn lib_error(step: ImapStep, error: async_imap::error::Error) -> ImapError {
    use async_imap::error::Error;
    match error {
        Error::Io(error) => io_error(step, error),
        Error::No(text) | Error::Bad(text) => ImapError::Rejected {
            during: step,
            server: server_text_of_lib_error(&text),
        },
        Error::ConnectionLost => ImapError::Closed {
            during: step,
            server: String::new(),
        },
        Error::Validate(_) => ImapError::InvalidInput(BadInput::FolderName),
        other => ImapError::Protocol(truncate(&other.to_string(), 200)),
    }
}

/// An I/O error during `step`: time-outs, closed connections and unparsable answers get their
/// own variants.
pub(super) fn io_error(step: ImapStep, error: io::Error) -> ImapError {
    if let Some(overrun) = error.get_ref().and_then(|e| e.downcast_ref::<Overrun>()) {
        return ImapError::Overrun {
            during: step,
            overrun: *overrun,
        };
    }
    match error.kind() {
        io::ErrorKind::TimedOut => ImapError::Timeout { during: step },
        io::ErrorKind::UnexpectedEof
        | io::ErrorKind::ConnectionReset
        | io::ErrorKind::ConnectionAborted
        | io::ErrorKind::BrokenPipe => ImapError::Closed {
            during: step,
            server: String::new(),
        },
        _ => {
            let text = error.to_string();
            // async-imap reports an answer it cannot parse as an io::Error quoting the whole
            // buffer (which may be a message body): keep only the start.
            if text.contains(" during parsing of ") {
                ImapError::Protocol(truncate(&text, 200))
            } else {
                ImapError::Io {
                    during: step,
                    source: error,
                }
            }
        }
    }
}
