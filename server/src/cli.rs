//! The command line: commands, their options and help texts.

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Postkamer, the mail-centred CRM.
#[derive(Parser)]
#[command(version, about)]
pub struct Cli {
    /// Configuration file (TOML); defaults to ./postkamer.toml when present.
    #[arg(long, global = true, env = "POSTKAMER_CONFIG")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Migrate the database and serve the application.
    Serve,
    /// Bring the database schema up to date.
    Migrate,
    /// Load the demo organisation "Demo BV" with users and relations (skipped when present).
    Demo {
        #[arg(long, default_value_t = 50)]
        companies: usize,
        #[arg(long, default_value_t = 150)]
        persons: usize,
    },
    /// Manage user accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Manage users' IMAP mailbox accounts and sync them by hand.
    Mailbox {
        #[command(subcommand)]
        command: MailboxCommand,
    },
    /// Print a new random secret key (for `secret_key` / POSTKAMER_SECRET_KEY).
    SecretKey,
    /// Sending domains: SPF, DKIM (key001/key002) and DMARC.
    Domain {
        #[command(subcommand)]
        command: DomainCommand,
    },
}

#[derive(Subcommand)]
pub enum DomainCommand {
    /// Check a domain's records against live DNS and print the findings with their fixes.
    /// Needs no running server. Exit code 0: fine (or advice only), 1: something is wrong,
    /// 2: could not check.
    Check {
        domain: String,
        /// Ask this DNS server (ip:port) instead of the configured or system resolver.
        #[arg(long)]
        dns: Option<String>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
        /// English instead of Dutch.
        #[arg(long)]
        english: bool,
    },
}

#[derive(Subcommand)]
pub enum MailboxCommand {
    /// Set the IMAP account of a user (replaces an existing one).
    Add {
        /// The user's login e-mail address.
        #[arg(long)]
        user: String,
        #[arg(long)]
        host: String,
        /// Defaults to 993 for tls, 143 otherwise.
        #[arg(long)]
        port: Option<u16>,
        #[arg(long, value_enum, default_value_t = TlsArg::Tls)]
        tls: TlsArg,
        /// IMAP login name (often the e-mail address).
        #[arg(long)]
        login: String,
        /// Read the password from this environment variable instead of asking for it.
        #[arg(long)]
        password_env: Option<String>,
        /// Only sync mail on or after this date (YYYY-MM-DD).
        #[arg(long)]
        since: Option<String>,
    },
    /// Sync a user's mailbox now, printing per-folder counts.
    Sync {
        #[arg(long)]
        user: String,
        /// One full pass, then exit (the only mode; the server syncs continuously).
        #[arg(long)]
        once: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum TlsArg {
    Tls,
    Starttls,
    None,
}

#[derive(Subcommand)]
pub enum UserCommand {
    /// Create a user; the organisation is created when it does not exist yet.
    Create {
        /// Organisation name.
        #[arg(long)]
        org: String,
        /// Full name, as shown in the UI.
        #[arg(long)]
        name: String,
        /// Login e-mail address (unique across organisations).
        #[arg(long)]
        email: String,
        /// SuperAdmins manage the organisation under Beheer.
        #[arg(long, value_enum, default_value_t = RoleArg::Gebruiker)]
        role: RoleArg,
        /// Read the password from this environment variable instead of asking for it.
        #[arg(long)]
        password_env: Option<String>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum RoleArg {
    Superadmin,
    Gebruiker,
}
