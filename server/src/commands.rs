//! `postkamer mailbox …`: a user's IMAP account set and synced by hand.

use anyhow::Context;
use postkamer_core::Core;

use crate::cli::{MailboxCommand, TlsArg};

pub async fn mailbox_command(core: &Core, command: MailboxCommand) -> anyhow::Result<()> {
    use postkamer_domain::mail::{MailboxInput, TlsMode};
    match command {
        MailboxCommand::Add {
            user,
            host,
            port,
            tls,
            login,
            password_env,
            since,
        } => {
            let user = find_user(core, &user).await?;
            let password = match password_env {
                Some(var) => std::env::var(&var)
                    .with_context(|| format!("environment variable {var} is not set"))?,
                None => rpassword::prompt_password("IMAP-wachtwoord: ")
                    .context("reading the password")?,
            };
            let input = MailboxInput {
                host,
                port: port.map(|p| p.to_string()).unwrap_or_default(),
                tls: match tls {
                    TlsArg::Tls => TlsMode::Tls,
                    TlsArg::Starttls => TlsMode::StartTls,
                    TlsArg::None => TlsMode::None,
                },
                login,
                password,
                since: since.unwrap_or_default(),
                enabled: true,
            };
            match core.save_mailbox(&user, &input).await {
                Ok(saved) => println!(
                    "Mailbox voor {} opgeslagen: {}:{} ({}), login {}.",
                    user.email, saved.host, saved.port, saved.tls, saved.login
                ),
                Err(postkamer_core::CoreError::Validation(errors)) => {
                    return Err(invalid(&errors, "mailbox niet opgeslagen"));
                }
                Err(err) => return Err(err.into()),
            }
        }
        MailboxCommand::Sync { user, once: _ } => {
            let user = find_user(core, &user).await?;
            let mailbox = core.mailbox_record(&user).await?.with_context(|| {
                format!("{} heeft geen mailbox (postkamer mailbox add)", user.email)
            })?;
            let started = std::time::Instant::now();
            match core.sync_mailbox_once(&mailbox).await {
                Ok(report) => {
                    for f in &report.folders {
                        println!(
                            "{:<12} {:>7} op server  {:>7} opgehaald  {:>6} verwijderd  {:>6} vlaggen  {:>8.2} s",
                            f.name,
                            f.on_server,
                            f.fetched,
                            f.removed,
                            f.flags_changed,
                            f.elapsed.as_secs_f64()
                        );
                    }
                    for role in &report.missing {
                        println!("{:<12} niet gevonden op de server", role.label_nl());
                    }
                    let secs = started.elapsed().as_secs_f64();
                    let fetched = report.fetched();
                    println!(
                        "Klaar in {secs:.2} s: {fetched} berichten opgehaald ({:.0} per seconde).",
                        fetched as f64 / secs.max(0.001)
                    );
                }
                Err(postkamer_core::CoreError::Mail { nl, .. }) => anyhow::bail!("{nl}"),
                Err(err) => return Err(err.into()),
            }
        }
    }
    Ok(())
}

async fn find_user(core: &Core, email: &str) -> anyhow::Result<postkamer_domain::User> {
    let address = postkamer_domain::EmailAddress::parse(email)
        .map_err(|e| anyhow::anyhow!("{email}: {e}"))?;
    core.user_by_email(&address)
        .await?
        .with_context(|| format!("geen gebruiker met e-mailadres {email}"))
}

/// Prints each invalid field with its Dutch message; the error to end the command with.
pub fn invalid(errors: &postkamer_domain::ValidationErrors, outcome: &str) -> anyhow::Error {
    for e in &errors.0 {
        eprintln!(
            "{}: {}",
            e.field,
            e.error.message(postkamer_domain::Locale::Nl)
        );
    }
    anyhow::anyhow!("{outcome}")
}
