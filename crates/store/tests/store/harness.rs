//! Runs one test on a fresh, migrated database of either engine.

use postkamer_store::{Engine, Store, with_database};
use sqlx::{AssertSqlSafe, Connection, Executor, PgConnection};
use std::future::Future;

/// The admin URL of the test PostgreSQL server.
const PG_URL_VAR: &str = "POSTKAMER_TEST_PG_URL";

/// A fresh SQLite database file in a temporary directory, removed after the test.
pub async fn run_sqlite<F, Fut>(test: F)
where
    F: FnOnce(Store) -> Fut,
    Fut: Future<Output = ()>,
{
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("postkamer.db");
    let store = Store::connect(&format!("sqlite://{}", path.display()))
        .await
        .expect("open the SQLite database");
    assert_eq!(store.engine(), Engine::Sqlite);
    store.migrate().await.expect("migrate the SQLite database");
    test(store.clone()).await;
    store.close().await;
    drop(dir);
}

/// A fresh database `pk_test_<hex>` on the server named by `POSTKAMER_TEST_PG_URL`, dropped
/// after a passing test (a failing one leaves it behind for inspection).
pub async fn run_postgres<F, Fut>(test: F)
where
    F: FnOnce(Store) -> Fut,
    Fut: Future<Output = ()>,
{
    let admin_url = std::env::var(PG_URL_VAR).unwrap_or_else(|_| {
        panic!(
            "{PG_URL_VAR} is not set: the PostgreSQL tests need a server. Run them through \
             scripts/test.sh, which starts a throw-away PostgreSQL and sets {PG_URL_VAR} \
             (e.g. postgres://postkamer@127.0.0.1:55432/postgres, a trust-auth superuser)."
        )
    });
    let name = format!("pk_test_{}", uuid::Uuid::new_v4().simple());
    let mut admin = PgConnection::connect(&admin_url)
        .await
        .unwrap_or_else(|e| panic!("connect to {PG_URL_VAR}={admin_url}: {e}"));
    admin
        .execute(AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .await
        .expect("create the test database");

    let store = Store::connect(&with_database(&admin_url, &name))
        .await
        .expect("open the PostgreSQL test database");
    assert_eq!(store.engine(), Engine::Postgres);
    store
        .migrate()
        .await
        .expect("migrate the PostgreSQL database");
    test(store.clone()).await;
    store.close().await;

    admin
        .execute(AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
        )))
        .await
        .expect("drop the test database");
    admin.close().await.ok();
}

#[test]
fn database_name_is_replaced() {
    assert_eq!(
        with_database("postgres://pk@127.0.0.1:5432/postgres", "t1"),
        "postgres://pk@127.0.0.1:5432/t1"
    );
    assert_eq!(
        with_database("postgresql://pk@localhost:5432?sslmode=disable", "t1"),
        "postgresql://pk@localhost:5432/t1?sslmode=disable"
    );
}

/// The schema as it was before `version`, with `legacy` (SQL; `SEARCH_COLUMN` and
/// `SEARCH_VALUE` stand for PostgreSQL's full-text column) run on it, then migrated by the
/// store as an upgrade would: for tests of migrations that carry data over.
#[allow(
    dead_code,
    reason = "the harness is shared with other crates' tests, which run no upgrades"
)]
pub async fn run_upgrade<F, Fut>(engine: Engine, version: i64, legacy: &str, test: F)
where
    F: FnOnce(Store) -> Fut,
    Fut: Future<Output = ()>,
{
    let dir = tempfile::tempdir().expect("temporary directory");
    let (url, admin) = match engine {
        Engine::Sqlite => (
            format!("sqlite://{}", dir.path().join("postkamer.db").display()),
            None,
        ),
        Engine::Postgres => {
            let admin_url = std::env::var(PG_URL_VAR)
                .unwrap_or_else(|_| panic!("{PG_URL_VAR} is not set (run scripts/test.sh)"));
            let name = format!("pk_test_{}", uuid::Uuid::new_v4().simple());
            let mut admin = PgConnection::connect(&admin_url).await.expect("connect");
            admin
                .execute(AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .await
                .expect("create the test database");
            (with_database(&admin_url, &name), Some((admin, name)))
        }
    };
    let folder = match engine {
        Engine::Sqlite => "sqlite",
        Engine::Postgres => "postgres",
    };
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../migrations")
        .join(folder);
    let mut before = sqlx::migrate::Migrator::new(path)
        .await
        .expect("migrations");
    before.migrations = before
        .migrations
        .iter()
        .filter(|m| m.version < version)
        .cloned()
        .collect::<Vec<_>>()
        .into();
    let (column, value) = match engine {
        Engine::Sqlite => ("", ""),
        Engine::Postgres => (", search", ", ''::tsvector"),
    };
    let legacy = legacy
        .replace("SEARCH_COLUMN", column)
        .replace("SEARCH_VALUE", value);
    {
        let store = Store::connect(&url).await.expect("open the database");
        store.close().await;
    }
    match engine {
        Engine::Sqlite => {
            let mut conn = sqlx::SqliteConnection::connect(&url)
                .await
                .expect("connect");
            before.run(&mut conn).await.expect("the older migrations");
            sqlx::raw_sql(AssertSqlSafe(legacy))
                .execute(&mut conn)
                .await
                .expect("legacy rows");
            conn.close().await.ok();
        }
        Engine::Postgres => {
            let mut conn = PgConnection::connect(&url).await.expect("connect");
            before.run(&mut conn).await.expect("the older migrations");
            sqlx::raw_sql(AssertSqlSafe(legacy))
                .execute(&mut conn)
                .await
                .expect("legacy rows");
            conn.close().await.ok();
        }
    }
    let store = Store::connect(&url).await.expect("open the database");
    store.migrate().await.expect("the upgrade");
    test(store.clone()).await;
    store.close().await;
    if let Some((mut admin, name)) = admin {
        admin
            .execute(AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
            )))
            .await
            .expect("drop the test database");
        admin.close().await.ok();
    }
    drop(dir);
}

/// Generates `sqlite::<test>` and `postgres::<test>` for every listed test function (each
/// taking a fresh `Store`): `on_both_engines![a, b]` for functions at the crate's root,
/// `on_both_engines! { module::path: [a, b], … }` for functions grouped in modules. Crates
/// include this file with `#[macro_use] mod harness;`.
#[allow(unused_macros)]
macro_rules! on_both_engines {
    ($($test:ident),* $(,)?) => {
        /// Every listed test function by its name alone, for the two modules below.
        mod listed {
            pub(super) use crate::{$($test),*};
        }
        on_both_engines!(@engines [$($test),*]);
    };
    ($($($module:ident)::+: [$($test:ident),* $(,)?]),* $(,)?) => {
        /// Every listed test function by its name alone, for the two modules below.
        mod listed {
            $(pub(super) use crate::$($module)::+::{$($test),*};)*
        }
        on_both_engines!(@engines [$($($test),*),*]);
    };
    (@engines [$($test:ident),*]) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $test() {
                    crate::harness::run_sqlite(crate::listed::$test).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $test() {
                    crate::harness::run_postgres(crate::listed::$test).await;
                }
            )*
        }
    };
}
