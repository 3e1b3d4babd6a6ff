//! IMAP access to one mail account: connect, find the Inbox, Sent and Trash folders, read
//! messages, write flags and moves back, and wait for new mail with IDLE.
//!
//! A thin, typed layer over `async-imap`; it knows nothing of the store, HTTP or the UI.
//!
//! # Connecting
//! [`ImapConnection::connect`] resolves the host name, opens TCP, sets up TLS ([`TlsMode::Tls`]:
//! implicit TLS, usually port 993; [`TlsMode::StartTls`]: plain first, then upgraded, usually
//! port 143), reads the greeting, logs in with LOGIN and learns the server's capabilities. TLS uses
//! rustls with the Mozilla root certificates (webpki-roots). [`TlsMode::None`] is only allowed to
//! a loopback address (tests, a local bridge such as Proton's); to anything else it is refused
//! before a single packet is sent ([`ImapError::PlaintextRefused`]).
//!
//! Every step has its own time limit (the `timeout` given to `connect`): DNS, TCP and the TLS
//! handshake each as a whole, and after that every read and write as an *inactivity* limit: a
//! command fails with [`ImapError::Timeout`] when the server sends nothing for that long, however
//! long a big download takes in total. IDLE has its own limit.
//!
//! # Errors
//! Every failure is an [`ImapError`] that says what went wrong in terms of the user's settings,
//! with [`ImapError::message_nl`] / [`ImapError::message_en`] for the screen. Passwords never
//! appear in errors, `Debug` output or traces. After an error for which
//! [`ImapError::breaks_connection`] is true, drop the connection and connect again.
//!
//! # Reading mail
//! [`ImapConnection::select`] a folder (with CONDSTORE when the server has it, so the state
//! includes HIGHESTMODSEQ), list its UIDs with [`ImapConnection::uids`], fetch whole raw
//! messages with [`ImapConnection::fetch`] (`BODY.PEEK[]`: reading never marks a message as read)
//! and ask for flag changes with [`ImapConnection::changed_flags`]. Expunged messages are found by comparing
//! `uids()` with what is stored, or — when the server has QRESYNC, which is enabled at login —
//! from [`ImapConnection::changes_since`] (flag changes and VANISHED UIDs in one command).
//!
//! # Changes noticed along the way
//! Servers report new mail and expunges (`EXISTS`, `EXPUNGE`, `FETCH`) whenever they like, also in
//! answers to unrelated commands. The connection remembers that such a report came in after the
//! last `select`, `uids` or `changed_flags`; [`ImapConnection::idle`] then returns
//! [`IdleEvent::Changed`] at once instead of waiting, so nothing that happened between a sync and
//! the next IDLE is missed.

mod capabilities;
mod connection;
mod error;
mod fetch;
mod folders;
mod guard;
mod idle;
mod mailbox;
mod messages;
mod syntax;
pub(crate) mod transport;

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use serde::{Deserialize, Serialize};

pub use capabilities::Capabilities;
pub use connection::{ImapConnection, MAX_MESSAGE_BYTES};
pub use error::{BadInput, ImapError, ImapStep, TlsFailure};
pub(crate) use fetch::HEADER_BYTES;
pub use folders::{ListedMailbox, pick_folders};
pub use guard::Overrun;
pub use ipnet::IpNet;
/// The role of a folder: Inbox, Sent or Trash (the domain's type, re-exported).
pub use postkamer_domain::mail::FolderRole;

/// How the connection to the IMAP server is secured.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TlsMode {
    /// TLS from the first byte ("SSL/TLS", usually port 993).
    Tls,
    /// A plain connection upgraded with the STARTTLS command (usually port 143).
    StartTls,
    /// No encryption at all: only allowed to a server on this computer (loopback).
    None,
}

impl TlsMode {
    /// The usual port for this mode: 993 for TLS, 143 otherwise.
    pub fn default_port(self) -> u16 {
        match self {
            TlsMode::Tls => 993,
            TlsMode::StartTls | TlsMode::None => 143,
        }
    }

    /// `"tls"`, `"starttls"` or `"none"`, as in settings and serde.
    pub fn as_str(self) -> &'static str {
        match self {
            TlsMode::Tls => "tls",
            TlsMode::StartTls => "starttls",
            TlsMode::None => "none",
        }
    }
}

impl fmt::Display for TlsMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The text was not `tls`, `starttls` or `none`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown TLS mode {0:?}: expected tls, starttls or none")]
pub struct ParseTlsModeError(pub String);

impl FromStr for TlsMode {
    type Err = ParseTlsModeError;

    /// Accepts `tls`, `starttls` and `none`, in any case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "tls" => Ok(TlsMode::Tls),
            "starttls" => Ok(TlsMode::StartTls),
            "none" => Ok(TlsMode::None),
            _ => Err(ParseTlsModeError(s.to_owned())),
        }
    }
}

/// Where and as whom to log in. `Debug` leaves the password out.
#[derive(Clone, PartialEq, Eq)]
pub struct ImapAccount {
    /// Host name or IP address of the IMAP server (`[::1]` brackets are allowed).
    pub host: String,
    pub port: u16,
    pub tls: TlsMode,
    /// The user name for LOGIN (often the e-mail address).
    pub login: String,
    pub password: String,
    /// Networks the operator does not let mailbox connections reach (`mail_hosts_deny`).
    pub deny: HostDeny,
}

/// Networks no mailbox connection may reach, checked against every address the host name
/// resolves to, right before connecting (so a name cannot resolve to an allowed address for a
/// check and a denied one for the connection). Empty by default; a multi-tenant installation
/// lists its internal networks here so users cannot point "Verbinding testen" at them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HostDeny(std::sync::Arc<[ipnet::IpNet]>);

impl HostDeny {
    pub fn new(networks: Vec<ipnet::IpNet>) -> Self {
        Self(networks.into())
    }

    /// True when `ip` (an IPv4-mapped IPv6 address as its IPv4 form) is in a denied network.
    pub fn refuses(&self, ip: std::net::IpAddr) -> bool {
        let ip = match ip {
            std::net::IpAddr::V6(v6) => v6
                .to_ipv4_mapped()
                .map_or(std::net::IpAddr::V6(v6), std::net::IpAddr::V4),
            v4 => v4,
        };
        self.0.iter().any(|net| net.contains(&ip))
    }
}

impl fmt::Debug for ImapAccount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ImapAccount")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("tls", &self.tls)
            .field("login", &self.login)
            .field("password", &"<redacted>")
            .finish()
    }
}

/// A folder found on the server, with the role Postkamer gives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Folder {
    pub role: FolderRole,
    /// The server's own mailbox name, exactly as LIST gave it (modified UTF-7, not decoded): pass
    /// it unchanged to [`ImapConnection::select`] and [`ImapConnection::move_to`].
    pub name: String,
}

/// What SELECT tells about a folder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FolderState {
    /// When this changes, every stored UID of the folder is void.
    pub uid_validity: u32,
    /// The UID the next message will get at the earliest. When the server does not send UIDNEXT
    /// (rare), one more than the highest UID present, or 1 in an empty folder.
    pub uid_next: u32,
    /// The number of messages in the folder.
    pub exists: u32,
    /// The folder's HIGHESTMODSEQ when the server has CONDSTORE (and keeps mod-sequences for it).
    pub highest_modseq: Option<u64>,
}

/// The two flags Postkamer keeps in step with the server.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Flags {
    /// `\Seen`: read.
    pub seen: bool,
    /// `\Flagged`: starred / follow-up.
    pub flagged: bool,
}

/// One whole message as fetched.
#[derive(Clone, PartialEq, Eq)]
pub struct Fetched {
    pub uid: u32,
    pub flags: Flags,
    /// The message's mod-sequence (CONDSTORE), if known.
    pub modseq: Option<u64>,
    /// The raw RFC 5322 message, byte for byte as the server has it; only its header when
    /// `too_large` is set.
    pub raw: Vec<u8>,
    /// The message was larger than the per-message cap: `raw` is its header, and this is the
    /// size the server reported.
    pub too_large: Option<u64>,
}

impl fmt::Debug for Fetched {
    /// Shows the size of the message, not its content.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Fetched")
            .field("uid", &self.uid)
            .field("flags", &self.flags)
            .field("modseq", &self.modseq)
            .field("raw_len", &self.raw.len())
            .finish()
    }
}

/// What changed in the selected folder since a mod-sequence (QRESYNC).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Changes {
    /// Messages whose flags changed, by UID.
    pub flags: Vec<FlagUpdate>,
    /// UIDs expunged, ascending (may include UIDs the client never saw).
    pub vanished: Vec<u32>,
}

/// The current flags of one message, from [`ImapConnection::changed_flags`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FlagUpdate {
    pub uid: u32,
    pub flags: Flags,
    pub modseq: Option<u64>,
}

/// Why [`ImapConnection::idle`] returned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdleEvent {
    /// The server reported a change in the selected folder (new mail, an expunge or a flag
    /// change), during IDLE or earlier: sync the folder.
    Changed,
    /// The time limit passed without news.
    Timeout,
    /// The `stop` future completed.
    Stopped,
}

/// A quick check for the "Verbinding testen" button: connect, log in and find the folders.
///
/// Returns the folders found (Inbox, Sent and Trash, in that order), or
/// [`ImapError::MissingFolder`] when one of them is absent.
#[tracing::instrument(skip_all, fields(host = %account.host, port = account.port), err)]
pub async fn test_connection(
    account: &ImapAccount,
    timeout: Duration,
) -> Result<Vec<Folder>, ImapError> {
    let mut connection = ImapConnection::connect(account, timeout).await?;
    let folders = connection.folders().await?;
    // The answer is known; a failing LOGOUT does not change it.
    if let Err(error) = connection.logout().await {
        tracing::debug!(%error, "logout after the connection test failed");
    }
    require_all_roles(&folders)?;
    Ok(folders)
}

/// `Err(MissingFolder(role))` for the first of Inbox, Sent, Trash that is not in `folders`.
fn require_all_roles(folders: &[Folder]) -> Result<(), ImapError> {
    match FolderRole::ALL
        .into_iter()
        .find(|role| !folders.iter().any(|folder| folder.role == *role))
    {
        Some(role) => Err(ImapError::MissingFolder(role)),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests;
