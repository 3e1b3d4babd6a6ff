//! The writer's SMTP account (Beheer → Gebruikersinstellingen → E-mail), "Verbinding testen",
//! and the server a message goes through.

use postkamer_domain::User;
use postkamer_domain::mail::{SmtpInput, SmtpSettings, TlsMode};
use postkamer_mail::smtp::{self, SmtpError, SmtpServer};
use postkamer_store::outbox::SmtpAccountRecord;

use crate::mail::stored_password_stays_home;
use crate::{Core, CoreError, CoreResult};

impl Core {
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
    pub(super) async fn route_for(&self, user: &User, domain: &str) -> CoreResult<SmtpServer> {
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
