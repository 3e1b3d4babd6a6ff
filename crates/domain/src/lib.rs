//! Plain types shared by every Postkamer crate, the browser included: identifiers, the normalised
//! [`EmailAddress`], accounts and relations, and the validation rules that the UI and the JSON API
//! both apply. No I/O, no framework types.

pub mod calendar;
pub mod clock;
mod email;
mod ids;
pub mod jobs;
mod locale;
pub mod mail;
pub mod merge;
mod page;
pub mod relation;
pub mod sending;
pub mod templates;
pub mod text;
mod user;
pub mod validate;

pub use clock::{Clock, ManualClock, SystemClock};
pub use email::{EmailAddress, EmailError, valid_domain};
pub use ids::{
    ActionTypeId, ApiTokenId, CompanyId, DraftFileId, DraftId, JobId, MailboxId, MessageId, OrgId,
    OutboxId, PersonId, SendingDomainId, TemplateId, UserId,
};
pub use locale::Locale;
pub use page::{Page, PageRequest, SortDir};
pub use user::{ApiToken, NewUser, Role, User, UserDetails, ValidUserDetails};
pub use validate::{FieldError, Invalid, ValidationErrors};
