//! Mail as the CRM shows it: mailbox accounts, folders, messages, their sync health. Shared by
//! the mail engine, the store, the UI and the JSON API.

use crate::{EmailAddress, MailboxId, MessageId, PersonId, UserId};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

pub mod draft;
mod input;
pub mod outbox;
mod query;
pub mod sync;

pub use input::{MailboxInput, SmtpInput, SmtpSettings, ValidMailbox, ValidSmtp, is_loopback_host};
pub use query::{MessageQuery, TimelineOf};

/// How the connection to the IMAP server is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum TlsMode {
    /// TLS from the first byte (port 993).
    #[default]
    Tls,
    /// Plain connection upgraded with STARTTLS (port 143).
    StartTls,
    /// No encryption: only accepted for a server on the loopback address.
    None,
}

impl TlsMode {
    pub const ALL: [TlsMode; 3] = [TlsMode::Tls, TlsMode::StartTls, TlsMode::None];

    pub fn as_str(self) -> &'static str {
        match self {
            TlsMode::Tls => "tls",
            TlsMode::StartTls => "starttls",
            TlsMode::None => "none",
        }
    }

    /// The usual IMAP port.
    pub fn default_port(self) -> u16 {
        match self {
            TlsMode::Tls => 993,
            TlsMode::StartTls | TlsMode::None => 143,
        }
    }

    /// The usual SMTP submission port.
    pub fn smtp_default_port(self) -> u16 {
        match self {
            TlsMode::Tls => 465,
            TlsMode::StartTls => 587,
            TlsMode::None => 25,
        }
    }
}

impl fmt::Display for TlsMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for TlsMode {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|m| m.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or(UnknownValue)
    }
}

/// A string that names none of an enum's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("unknown value")]
pub struct UnknownValue;

/// The three folders the CRM keeps in step with the server.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum FolderRole {
    #[default]
    Inbox,
    Sent,
    Trash,
}

impl FolderRole {
    pub const ALL: [FolderRole; 3] = [FolderRole::Inbox, FolderRole::Sent, FolderRole::Trash];

    pub fn as_str(self) -> &'static str {
        match self {
            FolderRole::Inbox => "inbox",
            FolderRole::Sent => "sent",
            FolderRole::Trash => "trash",
        }
    }

    /// The Dutch name the UI shows, as in SpinOffice.
    pub fn label_nl(self) -> &'static str {
        match self {
            FolderRole::Inbox => "Postvak IN",
            FolderRole::Sent => "Verzonden",
            FolderRole::Trash => "Prullenbak",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            FolderRole::Inbox => "Inbox",
            FolderRole::Sent => "Sent",
            FolderRole::Trash => "Trash",
        }
    }
}

impl fmt::Display for FolderRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for FolderRole {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or(UnknownValue)
    }
}

/// Which header an address of a message came from. Only From, To, Cc and Reply-To link a message
/// to a contact person; Bcc (present in sent mail) is kept for display only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum AddressKind {
    From,
    To,
    Cc,
    ReplyTo,
    Bcc,
}

impl AddressKind {
    pub const ALL: [AddressKind; 5] = [
        AddressKind::From,
        AddressKind::To,
        AddressKind::Cc,
        AddressKind::ReplyTo,
        AddressKind::Bcc,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AddressKind::From => "from",
            AddressKind::To => "to",
            AddressKind::Cc => "cc",
            AddressKind::ReplyTo => "reply_to",
            AddressKind::Bcc => "bcc",
        }
    }

    pub fn links(self) -> bool {
        !matches!(self, AddressKind::Bcc)
    }
}

impl FromStr for AddressKind {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or(UnknownValue)
    }
}

/// One address of a message as written in its header: the display name and the normalised
/// address (lower-cased; kept verbatim when it is not a valid address, which then links to nobody).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MailAddress {
    pub kind: AddressKind,
    pub email: String,
    pub name: Option<String>,
}

impl MailAddress {
    pub fn valid_email(&self) -> Option<EmailAddress> {
        EmailAddress::parse(&self.email).ok()
    }

    /// "Jan Jansen <jan@voorbeeld.nl>", or just the address.
    pub fn display(&self) -> String {
        match &self.name {
            Some(name) if !name.is_empty() => format!("{name} <{}>", self.email),
            _ => self.email.clone(),
        }
    }
}

/// A contact person a message is linked to, with the company through them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LinkedPerson {
    pub id: PersonId,
    pub display_name: String,
    pub email: String,
    pub company: Option<crate::relation::CompanyRef>,
}

/// A message in a list (Postvak IN, a relation's timeline, the API).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MessageSummary {
    pub id: MessageId,
    pub subject: String,
    pub from: Option<MailAddress>,
    /// The Date header (Unix ms), or when it was stored when the header is missing or bogus.
    pub date: i64,
    pub snippet: String,
    pub has_attachments: bool,
    /// The caller's own copy: read / flagged (= important) on the server. `None` when the
    /// message is not in one of the caller's folders (a colleague's mail seen on a relation).
    pub seen: Option<bool>,
    pub flagged: Option<bool>,
    pub private: bool,
    pub folder: Option<FolderRole>,
    pub relations: Vec<LinkedPerson>,
}

/// An attachment's metadata; the bytes come from the raw message on download.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttachmentInfo {
    /// Position among the message's attachments, used in the download URL.
    pub index: u32,
    pub name: String,
    pub content_type: String,
    pub size: u64,
}

/// An address of a message that matches no contact person: the UI offers "Nieuwe contactpersoon"
/// (prefilled) and "Koppelen aan bestaande contactpersoon".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnknownAddress {
    pub email: String,
    pub name: Option<String>,
    /// A company whose e-mail domain is this address's domain.
    pub company: Option<crate::relation::CompanyRef>,
}

/// One message as the message view shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MessageView {
    pub summary: MessageSummary,
    pub addresses: Vec<MailAddress>,
    pub message_id_header: Option<String>,
    pub size: u64,
    /// Plain text: the text part, or the HTML converted to text.
    pub text: String,
    /// Sanitised HTML (no scripts, no event handlers, remote images blocked unless asked for).
    pub html: Option<String>,
    /// Whether the HTML referred to remote images that were blocked.
    pub remote_images_blocked: bool,
    pub attachments: Vec<AttachmentInfo>,
    pub unknown_addresses: Vec<UnknownAddress>,
    /// The caller owns a copy (may mark it read, important, private, delete it).
    pub owned: bool,
    /// Larger than the per-message cap: only the header is stored (`size` is the size on the
    /// server); read the message in the mail program.
    pub too_large: bool,
    /// Other messages of the same conversation the caller may see, oldest first.
    pub thread: Vec<MessageSummary>,
}

/// A mailbox account as the settings page shows it: never the password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MailboxSettings {
    pub id: MailboxId,
    pub user: UserId,
    pub host: String,
    pub port: u16,
    pub tls: TlsMode,
    pub login: String,
    /// Only messages on or after this date (YYYY-MM-DD) are synchronised.
    pub since: Option<String>,
    pub enabled: bool,
}

/// Sync health of one folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FolderStatus {
    pub role: FolderRole,
    pub name: String,
    /// Messages in the folder on the server (within the "since" date), at the last look.
    pub on_server: u64,
    /// Messages of the folder stored in the CRM.
    pub stored: u64,
    pub first_sync_done: bool,
    pub last_success_at: Option<i64>,
    pub last_error: Option<String>,
}

/// Sync health of a mailbox account and its folders.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncStatus {
    pub mailbox: MailboxId,
    /// A server instance holds the mailbox: connected, fetching or waiting (IDLE) for new mail.
    pub running: bool,
    pub last_success_at: Option<i64>,
    pub last_error: Option<String>,
    pub last_error_at: Option<i64>,
    pub folders: Vec<FolderStatus>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enums_round_trip_through_their_names() {
        for mode in TlsMode::ALL {
            assert_eq!(mode.as_str().parse::<TlsMode>(), Ok(mode));
        }
        for role in FolderRole::ALL {
            assert_eq!(role.as_str().parse::<FolderRole>(), Ok(role));
        }
        for kind in AddressKind::ALL {
            assert_eq!(kind.as_str().parse::<AddressKind>(), Ok(kind));
        }
        assert_eq!("STARTTLS".parse::<TlsMode>(), Ok(TlsMode::StartTls));
        assert!("ssl".parse::<TlsMode>().is_err());
        assert!(!AddressKind::Bcc.links());
        assert!(AddressKind::ReplyTo.links());
    }
}
