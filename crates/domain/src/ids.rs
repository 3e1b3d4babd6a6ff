//! Typed identifiers: a `PersonId` can never be passed where a `CompanyId` is meant.

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
        )]
        #[serde(transparent)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map($name)
            }
        }
    };
}

id_type!(
    /// An organisation (tenant). Every other record belongs to exactly one.
    OrgId
);
id_type!(
    /// A user account.
    UserId
);
id_type!(
    /// A background job in the queue.
    JobId
);
id_type!(
    /// A company (bedrijf).
    CompanyId
);
id_type!(
    /// A contact person (contactpersoon).
    PersonId
);
id_type!(
    /// A bearer API token.
    ApiTokenId
);
id_type!(
    /// A user's IMAP mailbox account.
    MailboxId
);
id_type!(
    /// A stored e-mail message (one per organisation, however many folders hold it).
    MessageId
);
id_type!(
    /// A sending domain (SPF/DKIM/DMARC set-up) of an organisation.
    SendingDomainId
);
id_type!(
    /// An e-mail template (Beheer → E-mail → E-mailsjablonen).
    TemplateId
);
id_type!(
    /// An action type (Beheer → E-mail → Actietypen).
    ActionTypeId
);
id_type!(
    /// A message in the outbox (Postvak UIT): written in Postkamer, sent by the job runner.
    OutboxId
);
id_type!(
    /// A message being written (Concepten), saved as its writer types.
    DraftId
);
id_type!(
    /// A file attached to a draft.
    DraftFileId
);
