//! One configuration stack: built-in defaults, then a TOML file (`--config`, or
//! `postkamer.toml` when present), then `POSTKAMER_*` environment variables. `DATABASE_URL`
//! is honoured too, as the common convention, below `POSTKAMER_DATABASE_URL`.

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::net::SocketAddr;
use std::path::Path;

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
    /// Largest accepted request body, in bytes.
    pub max_body_bytes: usize,
    /// How long a login session lasts, in days.
    pub session_days: u64,
    /// Failed logins allowed per account and per client address within the window.
    pub login_failures_per_account: u64,
    pub login_failures_per_ip: u64,
    pub login_window_secs: u64,
    /// Database connections per server instance.
    pub db_max_connections: u32,
    /// Behind a reverse proxy: take the client address (for login throttling) from the last
    /// `X-Forwarded-For` entry. Leave off when clients reach the server directly.
    pub trust_forwarded_for: bool,
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
            session_days: 14,
            login_failures_per_account: 5,
            login_failures_per_ip: 30,
            login_window_secs: 15 * 60,
            db_max_connections: 10,
            trust_forwarded_for: false,
        }
    }
}

const KEYS: &[&str] = &[
    "database_url",
    "listen",
    "public_url",
    "log_format",
    "max_body_bytes",
    "session_days",
    "login_failures_per_account",
    "login_failures_per_ip",
    "login_window_secs",
    "db_max_connections",
    "trust_forwarded_for",
];

impl Config {
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

    pub fn secure_cookies(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"))
    }
}

/// Hides the password in a database URL (`postgres://user:***@host/db`).
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
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
