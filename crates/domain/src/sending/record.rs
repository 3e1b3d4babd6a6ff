//! The records a sending domain publishes: the two DKIM selectors, the rows of a domain page
//! (with the names to publish them at), the value of the ownership record, and the
//! traffic-light status of a record.

use serde::{Deserialize, Serialize};

use crate::Locale;

/// The two DKIM selectors of an installation. Both are published; one signs, the other is ready
/// for a key rotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Selector {
    Key001,
    Key002,
}

impl Selector {
    pub const ALL: [Selector; 2] = [Selector::Key001, Selector::Key002];

    pub fn as_str(self) -> &'static str {
        match self {
            Selector::Key001 => "key001",
            Selector::Key002 => "key002",
        }
    }

    pub fn parse(text: &str) -> Option<Selector> {
        Selector::ALL.into_iter().find(|s| s.as_str() == text)
    }

    pub fn other(self) -> Selector {
        match self {
            Selector::Key001 => Selector::Key002,
            Selector::Key002 => Selector::Key001,
        }
    }
}

impl std::fmt::Display for Selector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One row of a domain page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum RecordKind {
    Spf,
    Key001,
    Key002,
    Dmarc,
    /// TXT `_postkamer.<domain>` with the organisation's verification token: the DKIM keys are
    /// the installation's, so only this record proves which organisation the domain is for.
    Ownership,
}

impl RecordKind {
    /// The rows of a domain page, in order.
    pub const ALL: [RecordKind; 5] = [
        RecordKind::Spf,
        RecordKind::Key001,
        RecordKind::Key002,
        RecordKind::Dmarc,
        RecordKind::Ownership,
    ];

    /// The rows when no organisation asks (the CLI without a database): no token to expect.
    pub const AUTHENTICATION: [RecordKind; 4] = [
        RecordKind::Spf,
        RecordKind::Key001,
        RecordKind::Key002,
        RecordKind::Dmarc,
    ];

    pub fn dkim(selector: Selector) -> RecordKind {
        match selector {
            Selector::Key001 => RecordKind::Key001,
            Selector::Key002 => RecordKind::Key002,
        }
    }

    pub fn selector(self) -> Option<Selector> {
        match self {
            RecordKind::Key001 => Some(Selector::Key001),
            RecordKind::Key002 => Some(Selector::Key002),
            _ => None,
        }
    }

    /// The name to publish, relative to the domain ("@" for the domain itself).
    pub fn relative_host(self) -> &'static str {
        match self {
            RecordKind::Spf => "@",
            RecordKind::Key001 => "key001._domainkey",
            RecordKind::Key002 => "key002._domainkey",
            RecordKind::Dmarc => "_dmarc",
            RecordKind::Ownership => "_postkamer",
        }
    }

    /// The fully qualified name of the record for `domain`.
    pub fn host(self, domain: &str) -> String {
        match self {
            RecordKind::Spf => domain.to_owned(),
            other => format!("{}.{domain}", other.relative_host()),
        }
    }

    pub fn label(self, locale: Locale) -> &'static str {
        match (self, locale) {
            (RecordKind::Spf, _) => "SPF",
            (RecordKind::Key001, _) => "DKIM key001",
            (RecordKind::Key002, _) => "DKIM key002",
            (RecordKind::Dmarc, _) => "DMARC",
            (RecordKind::Ownership, Locale::Nl) => "Verificatiecode",
            (RecordKind::Ownership, Locale::En) => "Verification token",
        }
    }
}

/// Traffic-light status of a record (and of a whole domain).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Status {
    /// Green: published and correct.
    Ok,
    /// Orange: works, but should be improved.
    Warning,
    /// Red: missing or wrong; mail is not (fully) authenticated.
    Error,
    /// Grey: could not be checked (DNS unreachable) — says nothing about the record.
    Unknown,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Warning => "warning",
            Status::Error => "error",
            Status::Unknown => "unknown",
        }
    }

    pub fn label(self, locale: Locale) -> &'static str {
        match (locale, self) {
            (Locale::Nl, Status::Ok) => "In orde",
            (Locale::Nl, Status::Warning) => "Aandachtspunt",
            (Locale::Nl, Status::Error) => "Fout ingesteld",
            (Locale::Nl, Status::Unknown) => "Kon niet controleren",
            (Locale::En, Status::Ok) => "Correct",
            (Locale::En, Status::Warning) => "Needs attention",
            (Locale::En, Status::Error) => "Wrong",
            (Locale::En, Status::Unknown) => "Could not check",
        }
    }
}

/// The value of the ownership record for an organisation's token.
pub fn ownership_value(token: &str) -> String {
    format!("{OWNERSHIP_PREFIX}{token}")
}

/// What every ownership record starts with.
pub const OWNERSHIP_PREFIX: &str = "postkamer-verification=";
