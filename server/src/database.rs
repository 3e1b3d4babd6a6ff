//! Opening the database from the configuration, with the operator's errors: which file or
//! server could not be opened and how to point `database_url` elsewhere. A new SQLite file is
//! created readable by its owner only (mode 600, in a directory of mode 700 when that is new
//! too); SQLite gives its `-wal` and `-shm` files the same mode.

use crate::config::{Config, redact_url};
use anyhow::Context as _;
use postkamer_core::Database;
use std::path::PathBuf;

const HOW_TO_SET: &str = "Stel database_url in: in postkamer.toml (database_url = \
     \"sqlite://data/postkamer.db\" of \"postgres://gebruiker@host/postkamer\") of met de \
     omgevingsvariabele POSTKAMER_DATABASE_URL.";

/// Opens the configured database, creating a SQLite file that does not exist yet.
pub async fn open(config: &Config) -> anyhow::Result<Database> {
    let url = config.database_url.as_str();
    if let Some(path) = sqlite_file(url).filter(|path| !path.exists()) {
        let created = match crate::private_fs::create_new_file(&path) {
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
            other => other.map(drop),
        };
        created.with_context(|| {
            format!(
                "De database {} kan niet worden aangemaakt. {HOW_TO_SET}",
                path.display()
            )
        })?;
    }
    let name = sqlite_file(url).map_or_else(|| redact_url(url), |path| path.display().to_string());
    Database::connect(url, config.db_max_connections)
        .await
        .with_context(|| format!("De database {name} kan niet worden geopend. {HOW_TO_SET}"))
}

/// Opens the configured database only when it exists (a SQLite file is never created here):
/// for commands that can do without one.
pub async fn open_existing(config: &Config) -> anyhow::Result<Option<Database>> {
    if sqlite_file(&config.database_url).is_some_and(|path| !path.exists()) {
        return Ok(None);
    }
    open(config).await.map(Some)
}

/// The file of a `sqlite://` or `sqlite:` URL (not `:memory:`).
fn sqlite_file(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && !path.starts_with(":memory:")).then(|| PathBuf::from(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_name_their_file() {
        assert_eq!(
            sqlite_file("sqlite://data/postkamer.db"),
            Some(PathBuf::from("data/postkamer.db"))
        );
        assert_eq!(
            sqlite_file("sqlite:///var/lib/pk.db?mode=rwc"),
            Some(PathBuf::from("/var/lib/pk.db"))
        );
        assert_eq!(sqlite_file("sqlite::memory:"), None);
        assert_eq!(sqlite_file("postgres://a@b/c"), None);
    }
}
