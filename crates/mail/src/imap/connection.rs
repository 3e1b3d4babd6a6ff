//! The connection: its state, connecting and logging in (`connect`), and the loop that sends a
//! command and reads its answers (`command`).
//!
//! Commands are sent with `async-imap`'s `run_command` and their answers read one by one with
//! `read_response`, rather than through its per-command helpers: that way every untagged answer is
//! seen here (EXISTS, EXPUNGE, FETCH, BYE, COPYUID, APPENDUID ...), NO/BAD keep the server's own
//! text, and the message count of the selected folder stays exact.

use std::fmt;
use std::time::Duration;

use super::capabilities::Capabilities;
use super::error::{BadInput, ImapError};
use super::guard::Allowance;
use super::transport::Timed;

mod command;
mod connect;

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
