//! Mail out: a message written in Postkamer is built (MIME), signed when its From domain is an
//! active sending domain of the organisation (never sent unsigned when signing was due: a key
//! that cannot sign is an error), queued in the outbox as the exact bytes to send, and sent by
//! a `mail.send` job through the writer's own SMTP server or, for an active sending domain,
//! the operator's relay.
//!
//! Sending is at least once: a retry sends the same bytes with the same Message-ID, and an
//! attempt interrupted between the server's 250 and our record of it is sent again (a
//! duplicate the recipient's mail program folds by Message-ID), never lost. A 4xx or a broken
//! connection is retried with back-off for as long as the message is younger than
//! [`SendingConfig::retry_for`]; a 5xx is final (`geweigerd`). Recipients are handled one by
//! one: those the server took are never sent to again.
//!
//! The writer's copy is stored with the message when it is queued, so it is in Verzonden and
//! on the relation's timeline at once, and stored on their IMAP server once sent (`copy`).

use std::time::Duration;

use postkamer_domain::clock::millis;
use postkamer_domain::mail::TlsMode;
use postkamer_domain::mail::outbox::{OutboxItem, Recipient};
use postkamer_domain::{
    EmailAddress, Invalid, OutboxId, Page, PageRequest, User, ValidationErrors,
};
use postkamer_mail::compose::Outgoing;
/// A name with an address, and a file sent with a message: what [`NewMail`] is made of.
pub use postkamer_mail::compose::{Mailbox, Part};
use postkamer_store::jobs::NewJob;
use postkamer_store::outbox::{NewOutgoing, OutboxRecord, outbox_job_key};

use crate::{Core, CoreError, CoreResult};

mod account;
mod copy;
mod job;

use job::SendJob;

/// Job kind: send one message of the outbox.
pub use postkamer_domain::jobs::KIND_MAIL_SEND as MAIL_SEND;

/// The operator's SMTP relay (`smtp_relay_url`), for organisations with an active sending
/// domain: the platform relay their SPF include names.
#[derive(Clone)]
pub struct Relay {
    pub host: String,
    pub port: u16,
    pub tls: TlsMode,
    pub credentials: Option<(String, String)>,
}

impl std::fmt::Debug for Relay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Relay")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("tls", &self.tls)
            .finish_non_exhaustive()
    }
}

/// How mail goes out.
#[derive(Debug, Clone)]
pub struct SendingConfig {
    pub relay: Option<Relay>,
    /// How long a message that fails for now is retried (from the moment it was queued).
    pub retry_for: Duration,
    /// The wait after the first failed attempt, doubled after each next one up to
    /// `max_backoff`.
    pub backoff: Duration,
    pub max_backoff: Duration,
    /// The limit on each SMTP step.
    pub smtp_timeout: Duration,
    /// The name in EHLO.
    pub hello_name: String,
    /// Certificates (DER) trusted next to the Mozilla roots for SMTP servers.
    pub extra_roots: Vec<Vec<u8>>,
    /// The most a message may weigh, attachments included.
    pub max_message_bytes: usize,
    /// How long a message sent from the compose window waits before it goes, for "Verzenden
    /// ongedaan maken".
    pub undo_window: Duration,
}

impl Default for SendingConfig {
    fn default() -> Self {
        SendingConfig {
            relay: None,
            retry_for: Duration::from_secs(2 * 24 * 3600),
            backoff: Duration::from_secs(60),
            max_backoff: Duration::from_secs(3600),
            smtp_timeout: Duration::from_secs(60),
            hello_name: "localhost".to_owned(),
            extra_roots: Vec::new(),
            max_message_bytes: 25 * 1024 * 1024,
            undo_window: Duration::from_secs(10),
        }
    }
}

/// A message to send, as its writer made it.
#[derive(Debug, Clone, Default)]
pub struct NewMail {
    pub to: Vec<Mailbox>,
    pub cc: Vec<Mailbox>,
    pub bcc: Vec<Mailbox>,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub inline: Vec<Part>,
    pub attachments: Vec<Part>,
    pub in_reply_to: Option<String>,
    pub references: Vec<String>,
    /// How long it waits in the outbox before it goes: the time to undo sending ("Verzenden
    /// ongedaan maken"); zero sends at once.
    pub hold: Duration,
    /// The draft it was written as (it is being sent from now on).
    pub draft: Option<postkamer_domain::DraftId>,
    /// The action type it is sent as (E-mail uit).
    pub action_type: Option<postkamer_domain::ActionTypeId>,
}

impl Core {
    /// Builds, signs (when due) and queues a message from the caller; it is sent by the job
    /// runner at once.
    pub async fn send_mail(&self, caller: &User, mail: NewMail) -> CoreResult<OutboxItem> {
        let recipients = check_recipients(&mail)?;
        let domain = caller.email.domain().to_owned();
        self.route_for(caller, &domain).await?;
        let now = self.now();
        let outgoing = Outgoing {
            from: Some(Mailbox {
                name: Some(caller.name.clone()),
                address: caller.email.as_str().to_owned(),
            }),
            reply_to: None,
            to: mail.to,
            cc: mail.cc,
            bcc: mail.bcc,
            subject: mail.subject,
            message_id: format!("{}@{domain}", unique_part()?),
            date: now / 1000,
            in_reply_to: mail.in_reply_to,
            references: mail.references,
            text: mail.text,
            html: mail.html,
            inline: mail.inline,
            attachments: mail.attachments,
        };
        let mime = outgoing.to_mime();
        if mime.len() > self.config.sending.max_message_bytes {
            return Err(CoreError::Conflict("mail_too_large"));
        }
        let (raw, signed_with) = match self.signing_key(caller.org_id, &domain).await? {
            Some(key) => {
                let signed = postkamer_domainauth::sign(&mime, &key.key, &key.domain, key.selector)
                    .map_err(|e| {
                        tracing::error!(domain = %key.domain, error = %e, "DKIM signing failed");
                        CoreError::Conflict("dkim_unusable")
                    })?;
                (signed, Some(format!("{} {}", key.selector, key.domain)))
            }
            None => (mime, None),
        };
        let recipients: Vec<Recipient> = recipients.into_iter().map(Recipient::open).collect();
        let copy = self.sent_copy(caller.org_id, caller.id, &raw).await?;
        let new = NewOutgoing {
            org: caller.org_id,
            user: caller.id,
            message_id: &outgoing.message_id,
            envelope_from: caller.email.as_str(),
            subject: &outgoing.subject,
            recipients: &recipients,
            raw: &raw,
            signed_with: signed_with.as_deref(),
            send_at: now.saturating_add(millis(mail.hold)),
            copy: Some(copy),
            draft: mail.draft,
            action_type: mail.action_type,
        };
        let (id, _) = self.store.queue_outgoing(&new, MAIL_SEND, u32::MAX).await?;
        self.jobs_wake.notify_one();
        tracing::info!(user = %caller.id, outbox = %id, signed = signed_with.is_some(), "mail queued");
        Ok(item(self.store.outgoing(id).await?))
    }

    /// The caller's outbox, newest first.
    pub async fn outbox(&self, caller: &User, page: PageRequest) -> CoreResult<Page<OutboxItem>> {
        let page = self.store.outbox(caller.org_id, caller.id, page).await?;
        Ok(Page {
            items: page.items.into_iter().map(item).collect(),
            page: page.page,
            per_page: page.per_page,
            total: page.total,
        })
    }

    /// One message of the caller's outbox.
    pub async fn outgoing(&self, caller: &User, id: OutboxId) -> CoreResult<OutboxItem> {
        Ok(item(
            self.store.outgoing_of(caller.org_id, caller.id, id).await?,
        ))
    }

    /// The exact bytes of a message of the caller, as they are (or were) sent.
    pub async fn outgoing_raw(&self, caller: &User, id: OutboxId) -> CoreResult<Vec<u8>> {
        self.outgoing(caller, id).await?;
        Ok(self.store.outgoing_raw(id).await?)
    }

    /// Cancels a message of the caller that waits; a `Conflict` once it is being sent or done.
    pub async fn cancel_outgoing(&self, caller: &User, id: OutboxId) -> CoreResult<OutboxItem> {
        self.outgoing(caller, id).await?;
        if !self
            .store
            .cancel_outgoing(caller.org_id, caller.id, id)
            .await?
        {
            return Err(CoreError::Conflict("outbox_not_waiting"));
        }
        self.outgoing(caller, id).await
    }

    /// "Nu opnieuw proberen": a failed message of the caller is sent again now.
    pub async fn retry_outgoing(&self, caller: &User, id: OutboxId) -> CoreResult<OutboxItem> {
        self.outgoing(caller, id).await?;
        if !self
            .store
            .retry_outgoing(caller.org_id, caller.id, id)
            .await?
        {
            return Err(CoreError::Conflict("outbox_not_failed"));
        }
        self.schedule_send(caller.org_id, id, self.now()).await?;
        self.outgoing(caller, id).await
    }

    async fn schedule_send(
        &self,
        org: postkamer_domain::OrgId,
        id: OutboxId,
        at: i64,
    ) -> CoreResult<()> {
        let payload = serde_json::to_string(&SendJob { outbox: id })
            .map_err(|e| CoreError::Internal(e.to_string()))?;
        let key = outbox_job_key(id);
        let job = NewJob {
            org: Some(org),
            kind: MAIL_SEND,
            payload: &payload,
            run_at: at,
            max_attempts: u32::MAX,
            unique_key: Some(&key),
        };
        self.store.schedule_job(&job, self.now()).await?;
        self.jobs_wake.notify_one();
        Ok(())
    }
}

fn item(record: OutboxRecord) -> OutboxItem {
    OutboxItem {
        id: record.id,
        message_id: record.message_id,
        subject: record.subject,
        recipients: record.recipients,
        state: record.state,
        attempts: record.attempts,
        last_error: record.last_error,
        retry_at: record.retry_at,
        signed_with: record.signed_with,
        size: record.size,
        created_at: record.created_at,
        sent_at: record.sent_at,
    }
}

/// To, Cc and Bcc, each address once and valid; at least one.
fn check_recipients(mail: &NewMail) -> CoreResult<Vec<String>> {
    let mut errors = ValidationErrors::default();
    for (field, list) in [("to", &mail.to), ("cc", &mail.cc), ("bcc", &mail.bcc)] {
        if list
            .iter()
            .any(|m| EmailAddress::parse(&m.address).is_err())
        {
            errors.push(field, Invalid::Email);
        }
    }
    if mail.to.is_empty() && mail.cc.is_empty() && mail.bcc.is_empty() {
        errors.push("to", Invalid::Required);
    }
    if mail.subject.chars().any(|c| c.is_control() && c != '\t') {
        errors.push("subject", Invalid::ControlCharacters);
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let outgoing = Outgoing {
        to: mail.to.clone(),
        cc: mail.cc.clone(),
        bcc: mail.bcc.clone(),
        ..Outgoing::default()
    };
    Ok(outgoing.recipients())
}

/// 128 random bits in hex: the part of a Message-ID before the `@`.
fn unique_part() -> CoreResult<String> {
    use crate::secrets::{Entropy as _, SystemEntropy};
    let mut bytes = [0u8; 16];
    SystemEntropy.fill(&mut bytes)?;
    Ok(hex::encode(bytes))
}
