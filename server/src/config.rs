//! One configuration stack: built-in defaults, then a TOML file (`--config`, or
//! `postkamer.toml` when present), then `POSTKAMER_*` environment variables. `DATABASE_URL`
//! is honoured too, as the common convention, below `POSTKAMER_DATABASE_URL`.

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::net::SocketAddr;
use std::path::Path;

mod parse;
mod secret_file;

pub use parse::{dns_servers, host_deny, redact_url};

#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// `sqlite://data/postkamer.db` (the default) or `postgres://user:pass@host/db`.
    pub database_url: String,
    /// Address the HTTP server binds to.
    pub listen: SocketAddr,
    /// The address users reach the site at; `https://…` makes cookies `Secure`.
    pub public_url: Option<String>,
    /// `text` (default) or `json` log lines.
    pub log_format: LogFormat,
    /// Largest accepted request body, in bytes (CardDAV accepts a vCard of 2 MB with photos).
    pub max_body_bytes: usize,
    /// A client must send its request headers within this many seconds, and a request body
    /// within `http_body_timeout_secs` (slow clients hold no connection for long).
    pub http_header_timeout_secs: u64,
    pub http_body_timeout_secs: u64,
    /// How long a login session lasts, in days.
    pub session_days: u64,
    /// Failed logins allowed within the window for one account from one client address, for
    /// one account from all addresses, and from one client address over all accounts.
    pub login_failures_per_client: u64,
    pub login_failures_per_account: u64,
    pub login_failures_per_ip: u64,
    pub login_window_secs: u64,
    /// Database connections per server instance.
    pub db_max_connections: u32,
    /// Behind a reverse proxy: take the client address (for login throttling) from the last
    /// `X-Forwarded-For` entry. Leave off when clients reach the server directly.
    pub trust_forwarded_for: bool,
    /// The installation's secret key (32 bytes, base64) that seals mailbox passwords. When
    /// unset, the key is read from `secret_key_file`, which is created at first start. Every
    /// instance sharing a database needs the same key.
    pub secret_key: Option<String>,
    pub secret_key_file: String,
    /// Run the background mail sync in this instance (leases make several instances share it).
    pub mail_sync: bool,
    /// Full sync pass of every mailbox at least this often, in seconds (the inbox is watched
    /// with IDLE in between).
    pub mail_poll_secs: u64,
    /// Messages larger than this (bytes, as the IMAP server reports them) are stored as their
    /// header with a note; the mail itself stays on the server.
    pub mail_max_message_bytes: u64,
    /// Networks (CIDR, comma-separated) mailbox connections may not reach — "Verbinding
    /// testen" and the sync alike. Empty: none refused. Multi-tenant installations list their
    /// internal networks (e.g. `127.0.0.0/8, 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16,
    /// 169.254.0.0/16, ::1/128, fc00::/7, fe80::/10`).
    pub mail_hosts_deny: String,
    /// Our SPF host: customers publish `include:<spf_include>` (Beheer → E-mail → Domeinen).
    pub spf_include: String,
    /// DNS servers (`ip:port`, comma-separated) that domain checks ask; empty: the system's
    /// resolver. Point at a recursive resolver, or (tests) at an authoritative server.
    pub dns_servers: String,
    /// Per DNS question, in milliseconds.
    pub dns_timeout_ms: u64,
    /// The envelope sender's (Return-Path) domain our sending uses, when it is not the
    /// customer's own domain; DMARC advice then says SPF does not align.
    pub envelope_domain: Option<String>,
    /// PEM files (PKCS#8 or PKCS#1 RSA) with the DKIM keys of selectors key001/key002. When
    /// unset, keys are generated at first start and stored sealed in the database.
    pub dkim_key001_file: Option<String>,
    pub dkim_key002_file: Option<String>,
    /// Run the scheduled domain re-checks in this instance (leases make instances share them).
    pub domain_checks: bool,
    /// Re-check a pending (or broken) domain this often, an active one that often (seconds).
    pub domain_recheck_pending_secs: u64,
    pub domain_recheck_active_secs: u64,
    /// The operator's SMTP relay, used for mail of organisations whose From domain is an
    /// active sending domain (the platform relay their SPF include names) when the user has no
    /// SMTP account of their own: `smtp://user:password@host:587` (STARTTLS),
    /// `smtps://…:465` (TLS from the first byte), `smtp+plain://host:25` (no TLS, this
    /// computer only). User and password percent-encoded; both may be left out.
    pub smtp_relay_url: Option<String>,
    /// A PEM file of certificates trusted for SMTP servers next to the Mozilla roots (an
    /// organisation's own CA).
    pub smtp_ca_file: Option<String>,
    /// The name Postkamer gives in EHLO; default: the host of `public_url`, else `localhost`.
    pub smtp_hello_name: Option<String>,
    /// Per SMTP step (connecting, each command, the message), in seconds.
    pub smtp_timeout_secs: u64,
    /// A message that fails for now (4xx, server unreachable) is retried for this many hours
    /// from the moment it was written, then it has failed for good.
    pub mail_send_retry_hours: u64,
    /// The largest message that may be sent, attachments included, in bytes.
    pub mail_send_max_bytes: usize,
    /// A host name that serves only CardDAV, at `/` (`sync.voorbeeld.nl`): what the help texts
    /// tell phone users to enter as the server. The main host serves it at `/dav/` too.
    pub sync_host: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            database_url: "sqlite://data/postkamer.db".into(),
            listen: SocketAddr::from(([127, 0, 0, 1], 3000)),
            public_url: None,
            log_format: LogFormat::Text,
            max_body_bytes: 1024 * 1024,
            http_header_timeout_secs: 10,
            http_body_timeout_secs: 30,
            session_days: 14,
            login_failures_per_client: 5,
            login_failures_per_account: 100,
            login_failures_per_ip: 30,
            login_window_secs: 15 * 60,
            db_max_connections: 10,
            trust_forwarded_for: false,
            secret_key: None,
            secret_key_file: "data/secret.key".into(),
            mail_sync: true,
            mail_poll_secs: 300,
            mail_max_message_bytes: 50 * 1024 * 1024,
            mail_hosts_deny: String::new(),
            spf_include: "spf.postkamer.nl".into(),
            dns_servers: String::new(),
            dns_timeout_ms: 3000,
            envelope_domain: None,
            dkim_key001_file: None,
            dkim_key002_file: None,
            domain_checks: true,
            domain_recheck_pending_secs: 3600,
            domain_recheck_active_secs: 24 * 3600,
            sync_host: None,
            smtp_relay_url: None,
            smtp_ca_file: None,
            smtp_hello_name: None,
            smtp_timeout_secs: 60,
            mail_send_retry_hours: 48,
            mail_send_max_bytes: 25 * 1024 * 1024,
        }
    }
}

const KEYS: &[&str] = &[
    "database_url",
    "listen",
    "public_url",
    "log_format",
    "max_body_bytes",
    "http_header_timeout_secs",
    "http_body_timeout_secs",
    "session_days",
    "login_failures_per_client",
    "login_failures_per_account",
    "login_failures_per_ip",
    "login_window_secs",
    "db_max_connections",
    "trust_forwarded_for",
    "secret_key",
    "secret_key_file",
    "mail_sync",
    "mail_poll_secs",
    "mail_max_message_bytes",
    "mail_hosts_deny",
    "spf_include",
    "dns_servers",
    "dns_timeout_ms",
    "envelope_domain",
    "dkim_key001_file",
    "dkim_key002_file",
    "domain_checks",
    "smtp_relay_url",
    "smtp_ca_file",
    "smtp_hello_name",
    "smtp_timeout_secs",
    "mail_send_retry_hours",
    "mail_send_max_bytes",
    "domain_recheck_pending_secs",
    "domain_recheck_active_secs",
    "sync_host",
];

impl Config {
    /// The secret key from `secret_key`, else from `secret_key_file` — generated and written
    /// (readable by the owner only) when the file does not exist yet.
    pub fn secret_key(&self) -> anyhow::Result<postkamer_core::SecretKey> {
        use anyhow::Context;
        match &self.secret_key {
            Some(key) => postkamer_core::SecretKey::from_base64(key).context("secret_key"),
            None => secret_file::load_or_create(Path::new(&self.secret_key_file)),
        }
    }

    /// How sending domains are checked (Beheer → E-mail → Domeinen, `postkamer domain check`).
    pub fn domains(&self) -> anyhow::Result<postkamer_core::DomainsConfig> {
        let servers = dns_servers(&self.dns_servers)?;
        Ok(postkamer_core::DomainsConfig {
            check: postkamer_core::domains::CheckConfig {
                dns: postkamer_core::domains::DnsConfig {
                    servers,
                    timeout: std::time::Duration::from_millis(self.dns_timeout_ms.max(100)),
                },
                spf_include: self
                    .spf_include
                    .trim()
                    .trim_end_matches('.')
                    .to_ascii_lowercase(),
                envelope_domain: self.envelope_domain.clone(),
            },
            pending_every: std::time::Duration::from_secs(self.domain_recheck_pending_secs.max(60)),
            active_every: std::time::Duration::from_secs(self.domain_recheck_active_secs.max(60)),
            ..Default::default()
        })
    }

    /// How mail goes out: the relay, its CA certificates, retries, limits.
    pub fn sending(&self) -> anyhow::Result<postkamer_core::sending::SendingConfig> {
        use anyhow::Context;
        let extra_roots = match &self.smtp_ca_file {
            None => Vec::new(),
            Some(file) => parse::certificates(
                &std::fs::read(file).with_context(|| format!("smtp_ca_file: reading {file}"))?,
            )
            .with_context(|| format!("smtp_ca_file: {file}"))?,
        };
        let hello_name = self.smtp_hello_name.clone().unwrap_or_else(|| {
            self.public_url
                .as_deref()
                .and_then(|url| url.split("://").nth(1))
                .and_then(|rest| rest.split(['/', ':']).next())
                .filter(|host| !host.is_empty())
                .unwrap_or("localhost")
                .to_owned()
        });
        Ok(postkamer_core::sending::SendingConfig {
            relay: self
                .smtp_relay_url
                .as_deref()
                .map(parse::smtp_relay)
                .transpose()
                .context("smtp_relay_url")?,
            retry_for: std::time::Duration::from_secs(self.mail_send_retry_hours * 3600),
            smtp_timeout: std::time::Duration::from_secs(self.smtp_timeout_secs.max(1)),
            hello_name,
            extra_roots,
            max_message_bytes: self.mail_send_max_bytes,
            ..Default::default()
        })
    }

    /// The DKIM keys from `dkim_key001_file` / `dkim_key002_file`.
    pub fn dkim_keys(
        &self,
    ) -> anyhow::Result<
        Vec<(
            postkamer_domain::sending::Selector,
            postkamer_core::domains::DkimKeyPair,
        )>,
    > {
        use anyhow::Context;
        use postkamer_domain::sending::Selector;
        [
            (Selector::Key001, &self.dkim_key001_file),
            (Selector::Key002, &self.dkim_key002_file),
        ]
        .into_iter()
        .filter_map(|(selector, file)| file.as_ref().map(|f| (selector, f)))
        .map(|(selector, file)| {
            let pem = std::fs::read_to_string(file)
                .with_context(|| format!("dkim_{selector}_file: reading {file}"))?;
            let key = postkamer_core::domains::DkimKeyPair::from_pem(&pem)
                .with_context(|| format!("dkim_{selector}_file: {file}"))?;
            Ok((selector, key))
        })
        .collect()
    }

    pub fn load(file: Option<&Path>) -> Result<Config, Box<figment::Error>> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        match file {
            Some(path) => figment = figment.merge(Toml::file_exact(path)),
            None if Path::new("postkamer.toml").exists() => {
                figment = figment.merge(Toml::file("postkamer.toml"))
            }
            None => {}
        }
        figment
            .merge(Env::raw().only(&["DATABASE_URL"]))
            .merge(Env::prefixed("POSTKAMER_").only(KEYS))
            .extract()
            .map_err(Box::new)
    }

    /// The request limits of the router.
    pub fn limits(&self) -> crate::limits::Limits {
        crate::limits::Limits {
            max_body_bytes: self.max_body_bytes,
            body_timeout: std::time::Duration::from_secs(self.http_body_timeout_secs.max(1)),
            max_upload_bytes: self.mail_send_max_bytes,
        }
    }

    pub fn header_timeout(&self) -> std::time::Duration {
        std::time::Duration::from_secs(self.http_header_timeout_secs.max(1))
    }

    pub fn secure_cookies(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"))
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("database_url", &redact_url(&self.database_url))
            .field("listen", &self.listen)
            .field("public_url", &self.public_url)
            .field("log_format", &self.log_format)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("session_days", &self.session_days)
            .field(
                "secret_key",
                &self.secret_key.as_ref().map(|_| "<redacted>"),
            )
            .field("secret_key_file", &self.secret_key_file)
            .field("mail_sync", &self.mail_sync)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_passwords() {
        assert_eq!(
            redact_url("postgres://pk:geheim@db/pk"),
            "postgres://pk:***@db/pk"
        );
        assert_eq!(redact_url("postgres://pk@db/pk"), "postgres://pk@db/pk");
        assert_eq!(redact_url("sqlite://data/x.db"), "sqlite://data/x.db");
    }

    #[test]
    #[expect(
        clippy::result_large_err,
        reason = "figment's Jail returns its own error"
    )]
    fn file_then_environment() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("pk.toml", "listen = \"127.0.0.1:4000\"\nsession_days = 3\n")?;
            jail.set_env("DATABASE_URL", "postgres://a@b/c");
            jail.set_env("POSTKAMER_SESSION_DAYS", "7");
            jail.set_env("POSTKAMER_TEST_PG_URL", "ignored");
            let c = Config::load(Some(Path::new("pk.toml"))).map_err(|e| *e)?;
            assert_eq!(c.listen.port(), 4000);
            assert_eq!(c.session_days, 7);
            assert_eq!(c.database_url, "postgres://a@b/c");
            jail.set_env("POSTKAMER_DATABASE_URL", "sqlite://x.db");
            assert_eq!(
                Config::load(Some(Path::new("pk.toml")))
                    .map_err(|e| *e)?
                    .database_url,
                "sqlite://x.db"
            );
            Ok(())
        });
    }

    #[test]
    #[expect(
        clippy::result_large_err,
        reason = "figment's Jail returns its own error"
    )]
    fn unknown_keys_in_the_file_are_refused() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("pk.toml", "listne = \"127.0.0.1:4000\"\n")?;
            let err = Config::load(Some(Path::new("pk.toml")))
                .err()
                .map(|e| e.to_string());
            assert!(
                err.as_deref().is_some_and(|e| e.contains("listne")),
                "{err:?}"
            );
            Ok(())
        });
    }
}
