//! A message being written (a draft, listed under Concepten): what the compose window shows
//! and saves as its writer types. Everything typed is kept as typed, also what is not valid
//! yet (an address half written); sending checks it.

use serde::{Deserialize, Serialize};

use crate::merge::MergeField;
use crate::{DraftFileId, DraftId, MessageId, OutboxId, PersonId, TemplateId};

/// The most recipients a draft holds in To, Cc and Bcc together.
pub const MAX_RECIPIENTS: usize = 500;
/// The longest subject a draft keeps (what a template's subject may be).
pub const MAX_SUBJECT: usize = 250;
/// The largest editor document a draft keeps (the attachments are stored apart).
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// An address in To, Cc or Bcc as typed or picked: a contact person's address with their name,
/// or a free address.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DraftAddress {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub address: String,
}

/// What the compose window saves (every few seconds while its writer types).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct DraftInput {
    pub to: Vec<DraftAddress>,
    pub cc: Vec<DraftAddress>,
    pub bcc: Vec<DraftAddress>,
    pub subject: String,
    /// The editor's document (ProseMirror JSON), the template's parts and the Inhoud block.
    pub body: String,
    /// The template it was started from (or switched to).
    pub template: Option<TemplateId>,
}

/// How a new draft starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ComposeStart {
    /// "Nieuwe e-mail": in Postvak IN (no recipient), or on a relation (To: the person's
    /// primary address).
    New {
        #[serde(default)]
        person: Option<PersonId>,
    },
    /// "Beantwoorden" (`all`: "Allen beantwoorden").
    Reply {
        message: MessageId,
        #[serde(default)]
        all: bool,
    },
    /// "Doorsturen": the original below, its attachments attached.
    Forward { message: MessageId },
}

/// A file attached to a draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DraftFile {
    pub id: DraftFileId,
    pub name: String,
    pub content_type: String,
    pub size: u64,
}

/// A draft as the compose window opens it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Draft {
    pub id: DraftId,
    /// What the compose window shows and saves.
    pub content: DraftInput,
    /// The message it answers or forwards.
    pub reply_of: Option<MessageId>,
    pub forward_of: Option<MessageId>,
    pub files: Vec<DraftFile>,
    /// While sending is under way (or can still be undone): the message in the outbox.
    pub sending: Option<OutboxId>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A draft in the Concepten list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DraftSummary {
    pub id: DraftId,
    pub subject: String,
    /// The first recipient, for the list.
    pub to: Option<DraftAddress>,
    pub recipients: u32,
    pub files: u32,
    pub updated_at: i64,
}

/// What the compose window shows before it sends: the merge fields that would come out empty
/// ("Beste ," would go out), for the relation of the first To address, and how it is sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SendCheck {
    /// The contact person the merge fields are filled in for (of the first To address).
    pub person: Option<PersonId>,
    /// Fields that are empty for that person and have no fallback, each once.
    pub empty_fields: Vec<MergeField>,
    /// "key001 example.nl" when it goes out DKIM-signed; `None`: unsigned (the domain is not an
    /// active sending domain of the organisation).
    pub signed_with: Option<String>,
}

/// The outcome of "Verzenden": the message waiting in the outbox, which goes at `send_at`
/// unless sending is undone first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Sending {
    pub draft: DraftId,
    pub outbox: OutboxId,
    pub send_at: i64,
}
