//! Postkamer's persistence. The rest of the application talks to [`Store`] through small role
//! traits ([`Users`], [`Sessions`], [`Companies`], [`Persons`] …) and never sees `sqlx`.
//!
//! Two engines sit behind one `Store`: SQLite, the embedded default (one file, WAL, foreign keys
//! on), and PostgreSQL for deployments with several server instances. The engine is chosen once,
//! from the database URL, in [`Store::connect`]. Queries are written once with `$n` parameters,
//! which both engines accept, and run on whichever pool is present through [`with_pool!`];
//! dialect-specific SQL is rare and sits next to the query it replaces, marked as such.

mod accounts;
pub mod cards;
mod companies;
pub mod domains;
pub mod drafts;
mod error;
pub mod jobs;
pub mod mail;
pub mod outbox;
mod persons;
mod search;
pub mod selections;
mod sessions;
mod sql;
pub mod templates;

pub use accounts::Org;
pub use error::{StoreError, StoreResult};
pub use sessions::{AttemptClaim, NewSession, Revoked};

use postkamer_domain::{Clock, SystemClock};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};
use std::future::Future;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

/// Which database engine a [`Store`] runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

#[derive(Debug, Clone)]
enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// The handle to the database: cheap to clone, shared by every request. Every time it writes
/// (created, updated, changed at) comes from its clock: the system's, or one a test drives.
#[derive(Clone)]
pub struct Store {
    db: Db,
    clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("db", &self.db)
            .finish_non_exhaustive()
    }
}

/// Runs `$body` with `$pool` bound to the store's pool, whichever engine it is. The body is
/// written once and compiled for both engines.
macro_rules! with_pool {
    ($store:expr, |$pool:ident| $body:expr) => {
        match &$store.db {
            $crate::Db::Sqlite($pool) => $body,
            $crate::Db::Postgres($pool) => $body,
        }
    };
}
pub(crate) use with_pool;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/postgres");

impl Store {
    /// The store with its times taken from `clock`.
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Store {
        self.clock = clock;
        self
    }

    /// Now, by the store's clock (Unix milliseconds).
    pub(crate) fn now(&self) -> i64 {
        self.clock.now_millis()
    }

    /// Connects to `url`: `sqlite://path/to/file.db` (created when missing), `sqlite::memory:`,
    /// or `postgres://…`.
    pub async fn connect(url: &str) -> StoreResult<Store> {
        Self::connect_with(url, 10).await
    }

    pub async fn connect_with(url: &str, max_connections: u32) -> StoreResult<Store> {
        let db = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let options = PgConnectOptions::from_str(url)?.application_name("postkamer");
            let pool = PgPoolOptions::new()
                .max_connections(max_connections)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(options)
                .await?;
            Db::Postgres(pool)
        } else if url.starts_with("sqlite:") {
            let memory = url.contains(":memory:");
            let options = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .foreign_keys(true)
                .journal_mode(if memory {
                    SqliteJournalMode::Memory
                } else {
                    SqliteJournalMode::Wal
                })
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(5));
            // An in-memory database lives in one connection; a file is shared by several.
            let pool = SqlitePoolOptions::new()
                .max_connections(if memory { 1 } else { max_connections })
                .min_connections(if memory { 1 } else { 0 })
                .idle_timeout(None)
                .max_lifetime(None)
                .connect_with(options)
                .await?;
            Db::Sqlite(pool)
        } else {
            return Err(StoreError::UnsupportedUrl);
        };
        Ok(Store {
            db,
            clock: Arc::new(SystemClock),
        })
    }

    pub fn engine(&self) -> Engine {
        match self.db {
            Db::Sqlite(_) => Engine::Sqlite,
            Db::Postgres(_) => Engine::Postgres,
        }
    }

    /// Brings the schema up to date. Safe to run at every start and from several instances.
    pub async fn migrate(&self) -> StoreResult<()> {
        match &self.db {
            Db::Sqlite(pool) => SQLITE_MIGRATIONS.run(pool).await?,
            Db::Postgres(pool) => POSTGRES_MIGRATIONS.run(pool).await?,
        }
        Ok(())
    }

    /// A cheap round trip, for readiness checks.
    pub async fn ping(&self) -> StoreResult<()> {
        with_pool!(self, |pool| sqlx::query("SELECT 1")
            .execute(pool)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    /// Refreshes the query planner's statistics; run it after a bulk load (SQLite: `ANALYZE` the
    /// first time, then `PRAGMA optimize`; PostgreSQL: `ANALYZE`).
    pub async fn optimize(&self) -> StoreResult<()> {
        match &self.db {
            Db::Sqlite(pool) => {
                let mut conn = pool.acquire().await?;
                let analysed: bool = sqlx::query_scalar(
                    "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1')",
                )
                .fetch_one(&mut *conn)
                .await?;
                if !analysed {
                    sqlx::query("ANALYZE").execute(&mut *conn).await?;
                }
                sqlx::query("PRAGMA optimize").execute(&mut *conn).await?;
            }
            Db::Postgres(pool) => {
                sqlx::query("ANALYZE").execute(pool).await?;
            }
        }
        Ok(())
    }

    pub async fn close(&self) {
        with_pool!(self, |pool| pool.close().await);
    }
}

/// Starts a write transaction. SQLite takes the write lock at once (`BEGIN IMMEDIATE`), so a
/// transaction that reads before it writes cannot fail on a snapshot another writer outdated;
/// PostgreSQL's default `BEGIN` is right as it is.
pub(crate) trait BeginWrite {
    type Db: sqlx::Database;
    fn begin_write(
        &self,
    ) -> impl Future<Output = Result<sqlx::Transaction<'static, Self::Db>, sqlx::Error>> + Send;
}

impl BeginWrite for SqlitePool {
    type Db = sqlx::Sqlite;
    fn begin_write(
        &self,
    ) -> impl Future<Output = Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error>> + Send
    {
        self.begin_with("BEGIN IMMEDIATE")
    }
}

impl BeginWrite for PgPool {
    type Db = sqlx::Postgres;
    fn begin_write(
        &self,
    ) -> impl Future<Output = Result<sqlx::Transaction<'static, sqlx::Postgres>, sqlx::Error>> + Send
    {
        self.begin()
    }
}

/// `NotFound` when a write touched no row (a record of another organisation, or none).
pub(crate) fn affected(rows: u64) -> StoreResult<()> {
    if rows == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

/// `postgres://u@h:p/postgres?x=y` with the database replaced by `name`: tests and benchmarks
/// create a fresh database on a server given by its admin URL and connect to it with this.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[authority_start..]
        .find('/')
        .map_or(base.len(), |i| authority_start + i);
    let mut out = format!("{}/{name}", &base[..host_end]);
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    out
}

/// Milliseconds since the Unix epoch.
/// (The system's; the store itself reads its own clock.)
pub fn now_millis() -> i64 {
    SystemClock.now_millis()
}
