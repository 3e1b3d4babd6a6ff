//! The outbox (Postvak UIT): the states of a message on its way out and of each recipient.

use serde::{Deserialize, Serialize};

use crate::{Locale, OutboxId};

/// Where a message in the outbox is.
///
/// wachtrij → verzenden → verzonden | mislukt (retried at `retry_at` while young enough, else
/// for good) | geweigerd (the server refused it with a 5xx: no retry). Geannuleerd: stopped by
/// its writer while it waited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum OutboxState {
    Wachtrij,
    Verzenden,
    Verzonden,
    Mislukt,
    Geweigerd,
    Geannuleerd,
}

impl OutboxState {
    pub const ALL: [OutboxState; 6] = [
        OutboxState::Wachtrij,
        OutboxState::Verzenden,
        OutboxState::Verzonden,
        OutboxState::Mislukt,
        OutboxState::Geweigerd,
        OutboxState::Geannuleerd,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OutboxState::Wachtrij => "wachtrij",
            OutboxState::Verzenden => "verzenden",
            OutboxState::Verzonden => "verzonden",
            OutboxState::Mislukt => "mislukt",
            OutboxState::Geweigerd => "geweigerd",
            OutboxState::Geannuleerd => "geannuleerd",
        }
    }

    pub fn parse(text: &str) -> Option<OutboxState> {
        OutboxState::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// Nothing more happens to it by itself.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            OutboxState::Verzonden | OutboxState::Geweigerd | OutboxState::Geannuleerd
        )
    }

    pub fn label(self, locale: Locale) -> &'static str {
        match (self, locale) {
            (OutboxState::Wachtrij, Locale::Nl) => "In de wachtrij",
            (OutboxState::Wachtrij, Locale::En) => "Queued",
            (OutboxState::Verzenden, Locale::Nl) => "Wordt verzonden",
            (OutboxState::Verzenden, Locale::En) => "Sending",
            (OutboxState::Verzonden, Locale::Nl) => "Verzonden",
            (OutboxState::Verzonden, Locale::En) => "Sent",
            (OutboxState::Mislukt, Locale::Nl) => "Mislukt",
            (OutboxState::Mislukt, Locale::En) => "Failed",
            (OutboxState::Geweigerd, Locale::Nl) => "Geweigerd",
            (OutboxState::Geweigerd, Locale::En) => "Refused",
            (OutboxState::Geannuleerd, Locale::Nl) => "Geannuleerd",
            (OutboxState::Geannuleerd, Locale::En) => "Cancelled",
        }
    }
}

/// What became of one recipient.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum RecipientState {
    /// Not yet taken by the server (never tried, or refused for now: 4xx).
    Open,
    /// The server took the message for this recipient.
    Accepted,
    /// The server refused this recipient for good (5xx).
    Refused,
}

/// One recipient of an outgoing message and the server's last word on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Recipient {
    pub address: String,
    pub state: RecipientState,
    /// The server's reply code and text when it refused (for now or for good).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply: Option<String>,
}

impl Recipient {
    pub fn open(address: impl Into<String>) -> Recipient {
        Recipient {
            address: address.into(),
            state: RecipientState::Open,
            reply: None,
        }
    }
}

/// A message of the caller's outbox (Postvak UIT) as the UI and the API show it. Times are Unix
/// milliseconds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutboxItem {
    pub id: OutboxId,
    /// Without the angle brackets.
    pub message_id: String,
    pub subject: String,
    pub recipients: Vec<Recipient>,
    pub state: OutboxState,
    /// Attempts so far.
    pub attempts: u32,
    /// The last failure in plain Dutch.
    pub last_error: Option<String>,
    /// When it is tried again (failed for now); `None` when it is not.
    pub retry_at: Option<i64>,
    /// `key001 example.nl` when DKIM-signed.
    pub signed_with: Option<String>,
    /// Bytes, attachments included.
    pub size: u64,
    pub created_at: i64,
    pub sent_at: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_round_trip_and_final_ones_are_known() {
        for state in OutboxState::ALL {
            assert_eq!(OutboxState::parse(state.as_str()), Some(state));
            assert!(!state.label(Locale::Nl).is_empty());
        }
        assert_eq!(OutboxState::parse("sent"), None);
        assert!(OutboxState::Geweigerd.is_final());
        assert!(
            !OutboxState::Mislukt.is_final(),
            "a failed message may be retried"
        );
    }
}
