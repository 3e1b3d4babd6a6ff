//! Mail use cases: the user's IMAP account, its sync, linking unknown addresses to contact
//! persons; the messages themselves are in `messages`.

use crate::{Core, CoreError, CoreResult};
use postkamer_domain::mail::MessageQuery;
use postkamer_domain::mail::sync::MailboxRecord;
use postkamer_domain::mail::{FolderRole, MailboxInput, MailboxSettings, SyncStatus};
use postkamer_domain::relation::{AddressSource, EmailInput, Person};
use postkamer_domain::{EmailAddress, PageRequest, PersonId, User, ValidationErrors};
use postkamer_mail::imap::{ImapAccount, ImapConnection, ImapError};
use postkamer_mail::sync;
use postkamer_store::mail::MailboxUpdate;
use std::time::Duration;

mod messages;
mod storage;

/// Mailbox connection policy and the sync's settings, for the server's configuration.
pub use postkamer_mail::imap::HostDeny;
pub use postkamer_mail::worker::WorkerConfig;

pub(crate) use messages::unpack;
pub use postkamer_domain::mail::TimelineOf as Timeline;
pub use storage::MailStorage;

/// How long a connection test or a write-back may take.
const IMAP_TIMEOUT: Duration = Duration::from_secs(20);

/// What "Verbinding testen" found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectionReport {
    /// The server's folder names for Postvak IN, Verzonden and Prullenbak.
    pub folders: Vec<(FolderRole, String)>,
}

impl From<ImapError> for CoreError {
    fn from(err: ImapError) -> Self {
        CoreError::Mail {
            nl: err.message_nl(),
            en: err.message_en(),
        }
    }
}

impl From<sync::SyncError> for CoreError {
    fn from(err: sync::SyncError) -> Self {
        match err {
            sync::SyncError::Imap(e) => e.into(),
            sync::SyncError::Store(e) => e.into(),
            sync::SyncError::Unseal => CoreError::Mail {
                nl: err.message_nl(),
                en: "The stored password cannot be decrypted; enter it again.".to_owned(),
            },
        }
    }
}

/// The linked-message count after an address was added to a contact person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Linked {
    pub person: Person,
    pub messages: u64,
}

impl Core {
    /// The database as the mail engine's storage.
    pub fn mail_storage(&self) -> MailStorage {
        MailStorage::new(self.store.clone())
    }

    /// Connection settings of a stored mailbox, with the password decrypted.
    pub fn imap_account(&self, mailbox: &MailboxRecord) -> Result<ImapAccount, sync::SyncError> {
        let password = self
            .config
            .secret
            .open_str(&mailbox.password_sealed)
            .map_err(|_| sync::SyncError::Unseal)?;
        Ok(ImapAccount {
            host: mailbox.settings.host.clone(),
            port: mailbox.settings.port,
            tls: imap_tls(mailbox.settings.tls),
            login: mailbox.settings.login.clone(),
            password,
            deny: self.config.mail_hosts_deny.clone(),
        })
    }

    /// `user`'s mailbox as the sync engine needs it, for the operator's command line.
    pub async fn mailbox_record(&self, user: &User) -> CoreResult<Option<MailboxRecord>> {
        Ok(self.store.mailbox_of_user(user.org_id, user.id).await?)
    }

    pub async fn mailbox_settings(&self, caller: &User) -> CoreResult<Option<MailboxSettings>> {
        Ok(self
            .store
            .mailbox_of_user(caller.org_id, caller.id)
            .await?
            .map(|m| m.settings))
    }

    /// Saves the caller's IMAP account (the password sealed). Does not connect: use
    /// [`Core::test_mailbox`] for that.
    pub async fn save_mailbox(
        &self,
        caller: &User,
        input: &MailboxInput,
    ) -> CoreResult<MailboxSettings> {
        let existing = self.store.mailbox_of_user(caller.org_id, caller.id).await?;
        let valid = input.validate(existing.is_some())?;
        stored_password_stays_home(
            existing.as_ref().map(|m| m.settings.host.as_str()),
            &valid.host,
            valid.password.is_some(),
        )?;
        let update = MailboxUpdate {
            host: valid.host,
            port: valid.port,
            tls: valid.tls,
            login: valid.login,
            password_sealed: valid
                .password
                .as_deref()
                .map(|p| self.config.secret.seal_str(p))
                .transpose()?,
            since: valid.since,
            enabled: valid.enabled,
        };
        let saved = self
            .store
            .save_mailbox(caller.org_id, caller.id, &update)
            .await?;
        tracing::info!(user = %caller.id, host = %saved.settings.host, "mailbox account saved");
        // A running sync starts afresh with the new settings (or stops, switched off).
        self.store.wake_mailbox(saved.settings.id).await?;
        if saved.settings.enabled {
            self.schedule_mail_sync(caller.org_id, saved.settings.id)
                .await?;
        }
        Ok(saved.settings)
    }

    /// Connects with the typed settings (an empty password: the stored one), logs in and
    /// finds the folders. A precise Dutch error when any step fails.
    pub async fn test_mailbox(
        &self,
        caller: &User,
        input: &MailboxInput,
    ) -> CoreResult<ConnectionReport> {
        let existing = self.store.mailbox_of_user(caller.org_id, caller.id).await?;
        let valid = input.validate(existing.is_some())?;
        stored_password_stays_home(
            existing.as_ref().map(|m| m.settings.host.as_str()),
            &valid.host,
            valid.password.is_some(),
        )?;
        let password = match valid.password {
            Some(p) => p,
            None => match &existing {
                Some(m) => self.imap_account(m)?.password,
                None => {
                    return Err(ValidationErrors::single(
                        "password",
                        postkamer_domain::Invalid::Required,
                    )
                    .into());
                }
            },
        };
        let account = ImapAccount {
            host: valid.host,
            port: valid.port,
            tls: imap_tls(valid.tls),
            login: valid.login,
            password,
            deny: self.config.mail_hosts_deny.clone(),
        };
        let folders = postkamer_mail::imap::test_connection(&account, IMAP_TIMEOUT).await?;
        Ok(ConnectionReport {
            folders: folders.into_iter().map(|f| (f.role, f.name)).collect(),
        })
    }

    pub async fn delete_mailbox(&self, caller: &User) -> CoreResult<()> {
        Ok(self.store.delete_mailbox(caller.org_id, caller.id).await?)
    }

    /// Asks the background sync to run a pass now (and, after a failure, to stop waiting).
    pub async fn sync_now(&self, caller: &User) -> CoreResult<()> {
        let mailbox = self.own_mailbox(caller).await?;
        self.store.wake_mailbox(mailbox.settings.id).await?;
        self.schedule_mail_sync(caller.org_id, mailbox.settings.id)
            .await
    }

    /// The caller's mailbox sync: running while its sync job runs, the last pass's outcome, each
    /// folder's progress.
    pub async fn sync_status(&self, caller: &User) -> CoreResult<Option<SyncStatus>> {
        let Some(mailbox) = self.store.mailbox_of_user(caller.org_id, caller.id).await? else {
            return Ok(None);
        };
        let id = mailbox.settings.id;
        let key = crate::background::mailbox_job_key(id);
        let job = (crate::background::MAIL_SYNC, key.as_str());
        Ok(Some(self.store.sync_status(id, job).await?))
    }

    /// One full sync pass of the caller's mailbox, here and now (the CLI's `mailbox sync --once`).
    pub async fn sync_mailbox_once(&self, mailbox: &MailboxRecord) -> CoreResult<sync::SyncReport> {
        let mut conn = self.connect(mailbox).await?;
        let result = sync::sync_mailbox(&self.mail_storage(), &mut conn, mailbox).await;
        let _ = conn.logout().await;
        match result {
            Ok(report) => {
                self.store.mailbox_synced(mailbox.settings.id, None).await?;
                Ok(report)
            }
            Err(err) => {
                let _ = self
                    .store
                    .mailbox_synced(mailbox.settings.id, Some(&err.message_nl()))
                    .await;
                Err(err.into())
            }
        }
    }

    /// How many messages carry this address (what linking it brings in).
    pub async fn messages_with_address(
        &self,
        caller: &User,
        email: &EmailAddress,
    ) -> CoreResult<u64> {
        Ok(self
            .store
            .messages_with_address(caller.org_id, caller.id, email)
            .await?)
    }

    /// "Koppelen aan bestaande contactpersoon": adds the address to the person; all earlier
    /// mail with it is linked at once (linking is a join on the address).
    pub async fn link_address(
        &self,
        caller: &User,
        person: PersonId,
        email: &str,
    ) -> CoreResult<Linked> {
        let address = EmailAddress::parse(email)
            .map_err(|_| ValidationErrors::single("email", postkamer_domain::Invalid::Email))?;
        if !self
            .store
            .own_addresses_among(caller.org_id, std::slice::from_ref(&address))
            .await?
            .is_empty()
        {
            return Err(
                ValidationErrors::single("email", postkamer_domain::Invalid::OwnAddress).into(),
            );
        }
        let current = self.store.person(caller.org_id, person).await?;
        let mut input = current.to_input();
        if !current.emails.iter().any(|e| e.address == address) {
            input.emails.push(EmailInput {
                address: address.as_str().to_owned(),
                primary: current.emails.is_empty(),
            });
        }
        let person = self
            .update_person_by(caller, person, &input, AddressSource::Mail)
            .await?;
        let messages = self
            .store
            .messages_with_address(caller.org_id, caller.id, &address)
            .await?;
        Ok(Linked { person, messages })
    }

    async fn own_mailbox(&self, caller: &User) -> CoreResult<MailboxRecord> {
        self.store
            .mailbox_of_user(caller.org_id, caller.id)
            .await?
            .ok_or(CoreError::NotFound)
    }

    pub(crate) async fn connect(&self, mailbox: &MailboxRecord) -> CoreResult<ImapConnection> {
        let account = self.imap_account(mailbox)?;
        let mut conn = ImapConnection::connect(&account, IMAP_TIMEOUT).await?;
        conn.set_max_message_bytes(self.config.mail_max_message_bytes);
        Ok(conn)
    }
}

/// The stored password goes to the host it was typed for only: with another host in the form,
/// it must be typed again (else anyone who can edit the form could send it anywhere).
/// A stored password goes only to the host it was stored for: a form that names another host
/// must carry its own (`stored_host`: where the stored password belongs, if one is stored).
pub(crate) fn stored_password_stays_home(
    stored_host: Option<&str>,
    host: &str,
    typed: bool,
) -> CoreResult<()> {
    let moved = stored_host.is_some_and(|stored| !stored.eq_ignore_ascii_case(host));
    if moved && !typed {
        return Err(ValidationErrors::single(
            "password",
            postkamer_domain::Invalid::PasswordForNewHost,
        )
        .into());
    }
    Ok(())
}

/// A default query for the caller's inbox.
pub fn inbox(page: PageRequest) -> MessageQuery {
    MessageQuery {
        folder: FolderRole::Inbox,
        search: String::new(),
        page,
    }
}

fn imap_tls(mode: postkamer_domain::mail::TlsMode) -> postkamer_mail::imap::TlsMode {
    use postkamer_domain::mail::TlsMode as T;
    use postkamer_mail::imap::TlsMode as I;
    match mode {
        T::Tls => I::Tls,
        T::StartTls => I::StartTls,
        T::None => I::None,
    }
}
