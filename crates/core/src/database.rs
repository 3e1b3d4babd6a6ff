//! The database the use cases run on, as the server opens it: connect, migrate, check, close.
//! Everything else goes through [`Core`](crate::Core).

use postkamer_store::{Store, StoreError};

/// An open database (SQLite or PostgreSQL), cheap to clone.
#[derive(Debug, Clone)]
pub struct Database(pub(crate) Store);

/// Why the database could not be opened or brought up to date; the text says what failed,
/// for an operator.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct DatabaseError(#[from] StoreError);

impl Database {
    /// Connects to `url`: `sqlite://path/to/file.db` (created when missing), `sqlite::memory:`,
    /// or `postgres://…`, with at most `max_connections` in the pool.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Database, DatabaseError> {
        Ok(Database(Store::connect_with(url, max_connections).await?))
    }

    /// Brings the schema up to date. Safe to run at every start and from several instances.
    pub async fn migrate(&self) -> Result<(), DatabaseError> {
        Ok(self.0.migrate().await?)
    }

    /// A cheap round trip, for readiness checks.
    pub async fn ping(&self) -> Result<(), DatabaseError> {
        Ok(self.0.ping().await?)
    }

    pub async fn close(&self) {
        self.0.close().await;
    }
}

impl From<Store> for Database {
    fn from(store: Store) -> Database {
        Database(store)
    }
}
