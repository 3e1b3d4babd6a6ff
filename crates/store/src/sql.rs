//! Statements built at run time — multi-row inserts, `IN (…)` lists — as plain values: the SQL
//! text and its arguments, run in a [`Tx`] on whichever engine the store has. A function that
//! builds one is ordinary code (rustfmt formats it, it can be split and named) and knows
//! nothing of the engine except, through [`param`], how it numbers parameters.

use crate::{BeginWrite, Db, Engine, Store, StoreResult};
use sqlx::postgres::PgRow;
use sqlx::query::Query;
use sqlx::sqlite::SqliteRow;
use sqlx::{AssertSqlSafe, Database, Encode, FromRow, Postgres, Sqlite, Transaction, Type};
use std::borrow::Cow;

/// One argument of a [`Statement`].
#[derive(Debug, Clone)]
pub(crate) enum Arg<'a> {
    Int(Option<i64>),
    Text(Option<Cow<'a, str>>),
    Bool(bool),
    Bytes(Option<&'a [u8]>),
}

impl From<i64> for Arg<'_> {
    fn from(v: i64) -> Self {
        Arg::Int(Some(v))
    }
}

impl From<Option<i64>> for Arg<'_> {
    fn from(v: Option<i64>) -> Self {
        Arg::Int(v)
    }
}

impl From<bool> for Arg<'_> {
    fn from(v: bool) -> Self {
        Arg::Bool(v)
    }
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(v: &'a str) -> Self {
        Arg::Text(Some(Cow::Borrowed(v)))
    }
}

impl<'a> From<&'a String> for Arg<'a> {
    fn from(v: &'a String) -> Self {
        Arg::Text(Some(Cow::Borrowed(v)))
    }
}

impl<'a> From<Option<&'a str>> for Arg<'a> {
    fn from(v: Option<&'a str>) -> Self {
        Arg::Text(v.map(Cow::Borrowed))
    }
}

impl<'a> From<&'a Option<String>> for Arg<'a> {
    fn from(v: &'a Option<String>) -> Self {
        Arg::Text(v.as_deref().map(Cow::Borrowed))
    }
}

impl From<String> for Arg<'_> {
    fn from(v: String) -> Self {
        Arg::Text(Some(Cow::Owned(v)))
    }
}

impl<'a> From<Option<&'a [u8]>> for Arg<'a> {
    fn from(v: Option<&'a [u8]>) -> Self {
        Arg::Bytes(v)
    }
}

impl<'a> From<&'a [u8]> for Arg<'a> {
    fn from(v: &'a [u8]) -> Self {
        Arg::Bytes(Some(v))
    }
}

impl<'a> From<&'a Vec<u8>> for Arg<'a> {
    fn from(v: &'a Vec<u8>) -> Self {
        Arg::Bytes(Some(v))
    }
}

/// SQL text and its arguments, in order.
#[derive(Debug, Clone)]
pub(crate) struct Statement<'a> {
    sql: String,
    args: Vec<Arg<'a>>,
}

impl<'a> Statement<'a> {
    pub(crate) fn new(sql: impl Into<String>) -> Self {
        Self::with_capacity(sql, 0)
    }

    pub(crate) fn with_capacity(sql: impl Into<String>, args: usize) -> Self {
        Statement {
            sql: sql.into(),
            args: Vec::with_capacity(args),
        }
    }

    pub(crate) fn bind(mut self, arg: impl Into<Arg<'a>>) -> Self {
        self.push(arg);
        self
    }

    pub(crate) fn push(&mut self, arg: impl Into<Arg<'a>>) {
        self.args.push(arg.into());
    }

    /// The statement as a query of engine `DB`.
    fn query<DB>(self) -> Query<'a, DB, <DB as Database>::Arguments>
    where
        DB: Database,
        Option<i64>: Encode<'a, DB> + Type<DB>,
        Option<&'a str>: Encode<'a, DB> + Type<DB>,
        Option<String>: Encode<'a, DB> + Type<DB>,
        bool: Encode<'a, DB> + Type<DB>,
        Option<&'a [u8]>: Encode<'a, DB> + Type<DB>,
    {
        let mut query = sqlx::query(AssertSqlSafe(self.sql));
        for arg in self.args {
            query = match arg {
                Arg::Int(v) => query.bind(v),
                Arg::Text(Some(Cow::Borrowed(v))) => query.bind(Some(v)),
                Arg::Text(Some(Cow::Owned(v))) => query.bind(Some(v)),
                Arg::Text(None) => query.bind(None::<&str>),
                Arg::Bool(v) => query.bind(v),
                Arg::Bytes(v) => query.bind(v),
            };
        }
        query
    }
}

/// One parameter: `$n` for PostgreSQL; a bare `?` for SQLite, which sqlx binds by position
/// (numbered ones it looks up by name, which grows with the square of their number).
pub(crate) fn param(engine: Engine, n: usize) -> String {
    match engine {
        Engine::Postgres => format!("${n}"),
        Engine::Sqlite => "?".to_owned(),
    }
}

/// `$first, $first+1, …` for an `IN (…)` list.
pub(crate) fn param_list(engine: Engine, count: usize, first: usize) -> String {
    (first..first + count)
        .map(|i| param(engine, i))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `($1, $2, …), (…)`: `rows` groups of `cols` parameters from number `first`; with
/// `search`, each group ends with the PostgreSQL full-text vector over two more parameters.
pub(crate) fn value_groups(
    engine: Engine,
    rows: usize,
    cols: usize,
    first: usize,
    search: bool,
) -> String {
    let per_row = cols + if search { 2 } else { 0 };
    let mut sql = String::with_capacity(rows * per_row * 5);
    for row in 0..rows {
        if row > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        let base = first + row * per_row;
        for col in 0..cols {
            if col > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&param(engine, base + col));
        }
        if search {
            sql.push_str(&format!(
                ", setweight(to_tsvector('simple', ${}), 'A') || to_tsvector('simple', ${})",
                base + cols,
                base + cols + 1
            ));
        }
        sql.push(')');
    }
    sql
}

/// A row both engines can decode into.
pub(crate) trait Row:
    for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{
}

impl<T> Row for T where T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{}

/// A write transaction on either engine.
pub(crate) enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

impl Tx {
    pub(crate) fn engine(&self) -> Engine {
        match self {
            Tx::Sqlite(_) => Engine::Sqlite,
            Tx::Postgres(_) => Engine::Postgres,
        }
    }

    /// Runs `statement`; returns the rows it touched.
    pub(crate) async fn execute(&mut self, statement: Statement<'_>) -> StoreResult<u64> {
        Ok(match self {
            Tx::Sqlite(tx) => statement.query().execute(&mut **tx).await?.rows_affected(),
            Tx::Postgres(tx) => statement.query().execute(&mut **tx).await?.rows_affected(),
        })
    }

    pub(crate) async fn fetch_all<T: Row>(
        &mut self,
        statement: Statement<'_>,
    ) -> StoreResult<Vec<T>> {
        Ok(match self {
            Tx::Sqlite(tx) => {
                let rows = statement.query().fetch_all(&mut **tx).await?;
                rows.iter().map(T::from_row).collect::<Result<_, _>>()?
            }
            Tx::Postgres(tx) => {
                let rows = statement.query().fetch_all(&mut **tx).await?;
                rows.iter().map(T::from_row).collect::<Result<_, _>>()?
            }
        })
    }

    pub(crate) async fn fetch_optional<T: Row>(
        &mut self,
        statement: Statement<'_>,
    ) -> StoreResult<Option<T>> {
        Ok(match self {
            Tx::Sqlite(tx) => {
                let row = statement.query().fetch_optional(&mut **tx).await?;
                row.as_ref().map(T::from_row).transpose()?
            }
            Tx::Postgres(tx) => {
                let row = statement.query().fetch_optional(&mut **tx).await?;
                row.as_ref().map(T::from_row).transpose()?
            }
        })
    }

    pub(crate) async fn commit(self) -> StoreResult<()> {
        match self {
            Tx::Sqlite(tx) => tx.commit().await?,
            Tx::Postgres(tx) => tx.commit().await?,
        }
        Ok(())
    }
}

impl Store {
    /// Runs one statement on its own; returns the rows it touched.
    pub(crate) async fn execute(&self, statement: Statement<'_>) -> StoreResult<u64> {
        Ok(crate::with_pool!(self, |pool| statement
            .query()
            .execute(pool)
            .await?
            .rows_affected()))
    }

    /// Runs one statement on its own; returns the row it gave, if any.
    pub(crate) async fn fetch_optional<T: Row>(
        &self,
        statement: Statement<'_>,
    ) -> StoreResult<Option<T>> {
        Ok(crate::with_pool!(self, |pool| {
            let row = statement.query().fetch_optional(pool).await?;
            row.as_ref().map(T::from_row).transpose()?
        }))
    }

    /// Runs one statement on its own; returns the rows it gave.
    pub(crate) async fn fetch_all<T: Row>(&self, statement: Statement<'_>) -> StoreResult<Vec<T>> {
        Ok(crate::with_pool!(self, |pool| {
            let rows = statement.query().fetch_all(pool).await?;
            rows.iter().map(T::from_row).collect::<Result<_, _>>()?
        }))
    }

    /// Starts a write transaction (see [`BeginWrite`]).
    pub(crate) async fn begin(&self) -> StoreResult<Tx> {
        Ok(match &self.db {
            Db::Sqlite(pool) => Tx::Sqlite(pool.begin_write().await?),
            Db::Postgres(pool) => Tx::Postgres(pool.begin_write().await?),
        })
    }
}
