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

use std::time::Duration;

use postkamer_domain::clock::millis;
use postkamer_domain::mail::outbox::{OutboxItem, OutboxState, Recipient, RecipientState};
use postkamer_domain::mail::{SmtpInput, SmtpSettings, TlsMode};
use postkamer_domain::{
    EmailAddress, Invalid, OutboxId, Page, PageRequest, User, ValidationErrors,
};
use postkamer_mail::compose::Outgoing;
/// A name with an address, and a file sent with a message: what [`NewMail`] is made of.
pub use postkamer_mail::compose::{Mailbox, Part};
use postkamer_mail::smtp::{self, Delivery, SmtpError, SmtpServer};
use postkamer_store::StoreError;
use postkamer_store::jobs::{JobRecord, NewJob};
use postkamer_store::outbox::{
    NewOutgoing, OutboxRecord, SendOutcome, SmtpAccountRecord, outbox_job_key,
};
use serde::{Deserialize, Serialize};

use crate::jobs::{JobKind, JobResult, Next};
use crate::mail::stored_password_stays_home;
use crate::{Core, CoreError, CoreResult};

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
}

/// The payload of a `mail.send` job.
#[derive(Serialize, Deserialize)]
struct SendJob {
    outbox: OutboxId,
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
        let new = NewOutgoing {
            org: caller.org_id,
            user: caller.id,
            message_id: &outgoing.message_id,
            envelope_from: caller.email.as_str(),
            subject: &outgoing.subject,
            recipients: &recipients,
            raw: &raw,
            signed_with: signed_with.as_deref(),
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

    /// The caller's SMTP account, if set.
    pub async fn smtp_settings(&self, caller: &User) -> CoreResult<Option<SmtpSettings>> {
        Ok(self
            .store
            .smtp_account(caller.id)
            .await?
            .map(|a| SmtpSettings {
                host: a.host,
                port: a.port,
                tls: a.tls,
                login: a.login,
                has_password: a.password_sealed.is_some(),
            }))
    }

    /// Saves the caller's SMTP account (the password sealed). Does not connect: use
    /// [`Core::test_smtp`] for that.
    pub async fn save_smtp(&self, caller: &User, input: &SmtpInput) -> CoreResult<SmtpSettings> {
        let existing = self.store.smtp_account(caller.id).await?;
        let valid = input.validate(
            existing
                .as_ref()
                .is_some_and(|a| a.password_sealed.is_some()),
        )?;
        stored_password_stays_home(
            stored_host(existing.as_ref()),
            &valid.host,
            valid.password.is_some(),
        )?;
        let account = SmtpAccountRecord {
            user: caller.id,
            org: caller.org_id,
            host: valid.host,
            port: valid.port,
            tls: valid.tls,
            login: valid.login,
            password_sealed: valid
                .password
                .as_deref()
                .map(|p| self.config.secret.seal_str(p))
                .transpose()?,
            updated_at: 0,
        };
        self.store.set_smtp_account(&account).await?;
        tracing::info!(user = %caller.id, host = %account.host, "SMTP account saved");
        self.smtp_settings(caller)
            .await?
            .ok_or_else(|| CoreError::Internal("the SMTP account just saved is gone".into()))
    }

    /// "Verbinding testen": connects with the typed settings (an empty password: the stored
    /// one), secures the connection and logs in. A precise Dutch error when a step fails.
    pub async fn test_smtp(&self, caller: &User, input: &SmtpInput) -> CoreResult<()> {
        let existing = self.store.smtp_account(caller.id).await?;
        let stored = existing.as_ref().and_then(|a| a.password_sealed.as_deref());
        let valid = input.validate(stored.is_some())?;
        stored_password_stays_home(
            stored_host(existing.as_ref()),
            &valid.host,
            valid.password.is_some(),
        )?;
        let password = match (valid.password, stored) {
            (Some(typed), _) => Some(typed),
            (None, Some(sealed)) => Some(self.config.secret.open_str(sealed).map_err(|_| {
                CoreError::Internal("the stored SMTP password cannot be opened".into())
            })?),
            (None, None) => None,
        };
        let server = self.smtp_server(
            valid.host,
            valid.port,
            valid.tls,
            (!valid.login.is_empty())
                .then_some(valid.login)
                .zip(password),
        );
        smtp::check(&server).await.map_err(mail_error)
    }

    pub async fn delete_smtp(&self, caller: &User) -> CoreResult<()> {
        self.store.delete_smtp_account(caller.id).await?;
        Ok(())
    }

    /// The server a message of `user` from `domain` goes through: their own SMTP account, else
    /// the relay when the domain is an active sending domain of their organisation. A
    /// `Conflict` when there is neither.
    async fn route_for(&self, user: &User, domain: &str) -> CoreResult<SmtpServer> {
        if let Some(account) = self.store.smtp_account(user.id).await? {
            let password = account
                .password_sealed
                .as_deref()
                .map(|sealed| self.config.secret.open_str(sealed))
                .transpose()
                .map_err(|_| {
                    CoreError::Internal("the stored SMTP password cannot be opened".into())
                })?;
            let credentials = (!account.login.is_empty())
                .then_some(account.login)
                .zip(password);
            return Ok(self.smtp_server(account.host, account.port, account.tls, credentials));
        }
        if let Some(relay) = &self.config.sending.relay
            && self.is_dkim_active(user.org_id, domain).await?
        {
            return Ok(self.smtp_server(
                relay.host.clone(),
                relay.port,
                relay.tls,
                relay.credentials.clone(),
            ));
        }
        Err(CoreError::Conflict("no_smtp"))
    }

    fn smtp_server(
        &self,
        host: String,
        port: u16,
        tls: TlsMode,
        credentials: Option<(String, String)>,
    ) -> SmtpServer {
        let sending = &self.config.sending;
        SmtpServer {
            host,
            port,
            tls,
            credentials,
            hello_name: sending.hello_name.clone(),
            timeout: sending.smtp_timeout,
            extra_roots: sending.extra_roots.clone(),
            deny: self.config.mail_hosts_deny.clone(),
        }
    }

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
        self.store
            .finish_sending(id, &outcome)
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

fn mail_error(err: SmtpError) -> CoreError {
    CoreError::Mail {
        nl: err.message_nl(),
        en: err.message_en(),
    }
}

/// Where the stored SMTP password belongs, if one is stored.
fn stored_host(account: Option<&SmtpAccountRecord>) -> Option<&str> {
    account
        .filter(|a| a.password_sealed.is_some())
        .map(|a| a.host.as_str())
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
