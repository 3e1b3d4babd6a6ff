//! The job queue as a SuperAdmin sees it (Beheer → Systeem → Taken in de wachtrij): each queued
//! job with a human label, what it is about, its state, its attempts and its last error.

use crate::{JobId, Locale};
use serde::{Deserialize, Serialize};

/// The kind of a mailbox's sync; payload `{"mailbox": <id>}`.
pub const KIND_MAIL_SYNC: &str = "mail.sync";
/// The kind of a sending domain's re-check; payload `{"domain": <id>}`.
pub const KIND_DOMAIN_CHECK: &str = "domain.check";
/// The kind of sending one message of the outbox; payload `{"outbox": <id>}`.
pub const KIND_MAIL_SEND: &str = "mail.send";
/// The kind of storing a sent message in the writer's Sent folder on their IMAP server (APPEND);
/// payload `{"outbox": <id>}`.
pub const KIND_MAIL_APPEND: &str = "mail.append";

/// Where a queued job stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum JobState {
    /// Waiting for its time (a first run, or a retry after a failed attempt).
    Pending,
    /// A runner holds it now.
    Running,
    /// Its last attempt failed: it waits for "Opnieuw proberen".
    Failed,
}

impl JobState {
    /// The state of a stored job at `now` (Unix milliseconds): failed once `failed_at` is set,
    /// running while a lease holds (`lease_until` not before `now`, as the claim has it), else
    /// pending.
    pub fn at(failed_at: Option<i64>, lease_until: i64, now: i64) -> JobState {
        if failed_at.is_some() {
            JobState::Failed
        } else if lease_until >= now {
            JobState::Running
        } else {
            JobState::Pending
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Pending => "pending",
            JobState::Running => "running",
            JobState::Failed => "failed",
        }
    }

    pub fn label(self, locale: Locale) -> &'static str {
        match (self, locale) {
            (JobState::Pending, Locale::Nl) => "Wachtend",
            (JobState::Pending, Locale::En) => "Waiting",
            (JobState::Running, Locale::Nl) => "Bezig",
            (JobState::Running, Locale::En) => "Running",
            (JobState::Failed, Locale::Nl) => "Mislukt",
            (JobState::Failed, Locale::En) => "Failed",
        }
    }

    /// "Opnieuw proberen / nu uitvoeren" applies: a running job is left to its runner.
    pub fn can_retry(self) -> bool {
        self != JobState::Running
    }
}

/// A job's label for people, Dutch and English: the known kinds by name, any other kind as
/// its kind string.
pub fn kind_label(kind: &str) -> (String, String) {
    let (nl, en) = match kind {
        KIND_MAIL_SYNC => ("Mailbox synchroniseren", "Mailbox sync"),
        KIND_DOMAIN_CHECK => ("Domeincontrole", "Domain check"),
        KIND_MAIL_SEND => ("E-mail verzenden", "Send e-mail"),
        KIND_MAIL_APPEND => ("Kopie in Verzonden bewaren", "Keep a copy in Sent"),
        other => (other, other),
    };
    (nl.to_owned(), en.to_owned())
}

/// One job of the organisation's queue. Times are Unix milliseconds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueuedJob {
    pub id: JobId,
    /// `mail.sync`, `domain.check`, …
    pub kind: String,
    /// "Mailbox synchroniseren", …
    pub label_nl: String,
    /// "Mailbox sync", …
    pub label_en: String,
    /// What the job is about: the mailbox owner's name (or e-mail address), the domain name;
    /// `None` when unknown (or no longer there).
    pub subject: Option<String>,
    pub state: JobState,
    /// When it runs (or, failed, when its last attempt was due).
    pub run_at: i64,
    /// Attempts so far, a running one included.
    pub attempts: u32,
    /// The attempts it gets before it fails for good; `None` for a job that keeps retrying
    /// (backing off), as a mailbox sync and a domain check do.
    pub max_attempts: Option<u32>,
    /// For the SuperAdmins, in Dutch, without secrets.
    pub last_error: Option<String>,
    pub created_at: i64,
}

impl QueuedJob {
    pub fn label(&self, locale: Locale) -> &str {
        match locale {
            Locale::Nl => &self.label_nl,
            Locale::En => &self.label_en,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_jobs_state_follows_failure_then_lease() {
        assert_eq!(JobState::at(None, 0, 100), JobState::Pending);
        assert_eq!(
            JobState::at(None, 100, 100),
            JobState::Running,
            "a lease holds to its last millisecond, as the claim has it"
        );
        assert_eq!(
            JobState::at(None, 99, 100),
            JobState::Pending,
            "lease ran out"
        );
        assert_eq!(JobState::at(Some(5), 0, 100), JobState::Failed);
        assert!(!JobState::Running.can_retry());
        assert!(JobState::Failed.can_retry() && JobState::Pending.can_retry());
    }

    #[test]
    fn known_kinds_have_names_and_others_their_kind() {
        assert_eq!(
            kind_label(KIND_MAIL_SYNC),
            ("Mailbox synchroniseren".into(), "Mailbox sync".into())
        );
        assert_eq!(
            kind_label(KIND_DOMAIN_CHECK),
            ("Domeincontrole".into(), "Domain check".into())
        );
        assert_eq!(kind_label("backup"), ("backup".into(), "backup".into()));
    }

    #[test]
    fn states_serialise_in_snake_case() {
        assert_eq!(
            serde_json::to_value(JobState::Failed).unwrap(),
            serde_json::json!("failed")
        );
    }
}
