//! The `mail.send` job: one attempt at sending one message of the outbox, recipient by
//! recipient, and what it comes to (sent, refused, failed for now with the next attempt, or
//! failed for good).

use std::time::Duration;

use postkamer_domain::OutboxId;
use postkamer_domain::clock::millis;
use postkamer_domain::mail::outbox::{OutboxState, Recipient, RecipientState};
use postkamer_mail::smtp::{self, Delivery, SmtpError};
use postkamer_store::StoreError;
use postkamer_store::jobs::JobRecord;
use postkamer_store::outbox::{OutboxRecord, SendOutcome};
use serde::{Deserialize, Serialize};

use super::MAIL_SEND;
use crate::jobs::{JobKind, JobResult, Next};
use crate::{Core, CoreError};

impl Core {
    pub(crate) fn mail_send_kind(&self) -> JobKind {
        let core = self.clone();
        let timeout = self.config.sending.smtp_timeout;
        JobKind::new(MAIL_SEND, move |job| {
            let core = core.clone();
            async move { core.send_job(&job).await }
        })
        .concurrency(8)
        .max_attempts(u32::MAX)
        // Connecting, EHLO, STARTTLS, AUTH, MAIL, RCPTs, DATA, the message, QUIT: each may
        // take up to the timeout.
        .lease(timeout.saturating_mul(12) + Duration::from_secs(60))
        .backoff(self.config.sending.backoff, self.config.sending.max_backoff)
    }

    /// One attempt at sending one message.
    async fn send_job(&self, job: &JobRecord) -> JobResult {
        let SendJob { outbox: id } = serde_json::from_str(&job.payload)
            .map_err(|e| format!("De taak heeft een onleesbare opdracht ({e})."))?;
        let failed = |err: CoreError| format!("Verzenden is mislukt: {err}");
        let record = match self.store.start_sending(id).await {
            Ok(Some(record)) => record,
            // Sent, refused or cancelled meanwhile, or deleted with its organisation.
            Ok(None) | Err(StoreError::NotFound) => return Ok(Next::Done),
            Err(err) => return Err(failed(err.into())),
        };
        let outcome = self.attempt(&record).await;
        let next = match outcome.retry_at {
            Some(at) => Next::At(at),
            None => Next::Done,
        };
        if outcome.state == OutboxState::Mislukt {
            tracing::warn!(outbox = %id, attempts = record.attempts, error = ?outcome.last_error, "sending failed");
        }
        // Sent: the copy goes to the writer's Sent folder, queued with the state.
        let append = match outcome.state {
            OutboxState::Verzonden => self
                .append_job(record.org, record.user, id)
                .await
                .map_err(failed)?,
            _ => None,
        };
        let append = append
            .as_ref()
            .map(|(payload, key)| super::copy::append_new_job(record.org, payload, key));
        self.store
            .finish_sending(id, &outcome, append.as_ref())
            .await
            .map_err(|e| failed(e.into()))?;
        Ok(next)
    }

    async fn attempt(&self, record: &OutboxRecord) -> SendOutcome {
        let open: Vec<String> = record
            .recipients
            .iter()
            .filter(|r| r.state == RecipientState::Open)
            .map(|r| r.address.clone())
            .collect();
        if open.is_empty() {
            return settled(record.recipients.clone());
        }
        let user = match self.store.user(record.org, record.user).await {
            Ok(user) => user,
            Err(err) => {
                return self.retry_or_give_up(record, record.recipients.clone(), err.to_string());
            }
        };
        let server = match self.route_for(&user, user.email.domain()).await {
            Ok(server) => server,
            Err(CoreError::Conflict(_)) => {
                return final_failure(
                    record.recipients.clone(),
                    "Er is geen SMTP-server ingesteld (Beheer → Gebruikersinstellingen → E-mail)."
                        .to_owned(),
                );
            }
            Err(err) => {
                return self.retry_or_give_up(record, record.recipients.clone(), err.to_string());
            }
        };
        let raw = match self.store.outgoing_raw(record.id).await {
            Ok(raw) => raw,
            Err(err) => {
                return self.retry_or_give_up(record, record.recipients.clone(), err.to_string());
            }
        };
        match smtp::deliver(&server, &record.envelope_from, &open, &raw).await {
            Ok(delivery) => {
                let recipients = apply(&record.recipients, &delivery);
                if recipients.iter().any(|r| r.state == RecipientState::Open) {
                    let why = delivery
                        .refused
                        .iter()
                        .find(|(_, reply)| !reply.is_permanent())
                        .map(|(address, reply)| format!("{address}: {}", reply.explain_nl()))
                        .unwrap_or_default();
                    self.retry_or_give_up(record, recipients, why)
                } else {
                    settled(recipients)
                }
            }
            Err(err) if err.is_permanent() => {
                let state = match &err {
                    SmtpError::Refused { .. } => OutboxState::Geweigerd,
                    _ => OutboxState::Mislukt,
                };
                SendOutcome {
                    state,
                    recipients: record.recipients.clone(),
                    last_error: Some(err.message_nl()),
                    retry_at: None,
                }
            }
            Err(err) => self.retry_or_give_up(record, record.recipients.clone(), err.message_nl()),
        }
    }

    /// Failed for now: again after the back-off, unless the message is too old by then.
    fn retry_or_give_up(
        &self,
        record: &OutboxRecord,
        recipients: Vec<Recipient>,
        error: String,
    ) -> SendOutcome {
        let sending = &self.config.sending;
        let now = self.now();
        let doublings = record.attempts.saturating_sub(1).min(31);
        let wait = sending
            .backoff
            .saturating_mul(1 << doublings)
            .min(sending.max_backoff);
        let at = now.saturating_add(millis(wait));
        let deadline = record.created_at.saturating_add(millis(sending.retry_for));
        if at > deadline {
            return final_failure(
                recipients,
                format!(
                    "{error} Opgegeven na {} pogingen in {}.",
                    record.attempts,
                    human_duration(sending.retry_for)
                ),
            );
        }
        SendOutcome {
            state: OutboxState::Mislukt,
            recipients,
            last_error: Some(error),
            retry_at: Some(at),
        }
    }
}

/// The payload of a `mail.send` (and `mail.append`) job.
#[derive(Serialize, Deserialize)]
pub(super) struct SendJob {
    pub(super) outbox: OutboxId,
}

/// Every recipient has its answer: sent when the server took it for one at least.
fn settled(recipients: Vec<Recipient>) -> SendOutcome {
    let any_accepted = recipients
        .iter()
        .any(|r| r.state == RecipientState::Accepted);
    let refused: Vec<String> = recipients
        .iter()
        .filter(|r| r.state == RecipientState::Refused)
        .map(|r| {
            format!(
                "{}: {}",
                r.address,
                r.reply.as_deref().unwrap_or("geweigerd")
            )
        })
        .collect();
    SendOutcome {
        state: if any_accepted {
            OutboxState::Verzonden
        } else {
            OutboxState::Geweigerd
        },
        last_error: (!refused.is_empty()).then(|| format!("Geweigerd: {}", refused.join("; "))),
        recipients,
        retry_at: None,
    }
}

fn final_failure(recipients: Vec<Recipient>, error: String) -> SendOutcome {
    SendOutcome {
        state: OutboxState::Mislukt,
        recipients,
        last_error: Some(error),
        retry_at: None,
    }
}

/// The recipients after a delivery: the accepted and the refused for good settled, the
/// refused for now open with the server's reply.
fn apply(recipients: &[Recipient], delivery: &Delivery) -> Vec<Recipient> {
    recipients
        .iter()
        .map(|r| {
            let mut r = r.clone();
            if delivery.accepted.contains(&r.address) {
                r.state = RecipientState::Accepted;
                r.reply = None;
            } else if let Some((_, reply)) = delivery.refused.iter().find(|(a, _)| *a == r.address)
            {
                r.state = if reply.is_permanent() {
                    RecipientState::Refused
                } else {
                    RecipientState::Open
                };
                r.reply = Some(reply.explain_nl());
            }
            r
        })
        .collect()
}

fn human_duration(d: Duration) -> String {
    let hours = d.as_secs() / 3600;
    match hours {
        0 => format!("{} minuten", d.as_secs() / 60),
        1 => "1 uur".to_owned(),
        h if h % 24 == 0 && h >= 48 => format!("{} dagen", h / 24),
        h => format!("{h} uur"),
    }
}
