//! Sending domains: the DNS records a customer publishes (SPF, DKIM `key001`/`key002`, DMARC, and
//! the organisation's verification token), what a check against live DNS found, and how each finding is explained — in Dutch and English, with the
//! fix. The engine (`postkamer-domainauth`) produces these values; the store keeps them as history;
//! the UI, the CLI and the JSON API show them.

mod explain;
mod finding;
mod record;
mod report;

pub use finding::{DkimDamage, Explanation, Finding, Severity};
pub use record::{OWNERSHIP_PREFIX, RecordKind, Selector, Status, ownership_value};
pub use report::{
    DomainReport, DomainState, DomainSummary, DomainView, HistoryEntry, LookupNode, PublishRecord,
    RecordCheck, RecordView,
};
