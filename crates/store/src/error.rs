//! Store errors. Driver errors are translated here, at the boundary: nothing above the store
//! matches on `sqlx::Error`.

/// What can go wrong in the store, in terms the application can act on.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("record not found")]
    NotFound,
    /// A unique constraint was violated; names the constraint's subject (`email`, …).
    #[error("{0} already exists")]
    AlreadyExists(&'static str),
    /// A reference to a record of the organisation that does not exist (a company id, …).
    #[error("{0} does not exist")]
    UnknownReference(&'static str),
    /// The record is still used by another (a template an action type opens with …).
    #[error("still in use: {0}")]
    InUse(&'static str),
    /// An address of the organisation itself cannot become a contact person's.
    #[error("{0} is an address of the organisation itself")]
    OwnAddress(String),
    #[error("database URL must start with sqlite: or postgres://")]
    UnsupportedUrl,
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("stored data is inconsistent: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Database(#[source] sqlx::Error),
}

pub type StoreResult<T> = Result<T, StoreError>;

impl From<sqlx::Error> for StoreError {
    fn from(err: sqlx::Error) -> Self {
        match &err {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                let what = db.constraint().or(Some(db.message())).unwrap_or_default();
                StoreError::AlreadyExists(if what.contains("email") {
                    "email"
                } else {
                    "record"
                })
            }
            sqlx::Error::Database(db) if db.is_foreign_key_violation() => {
                StoreError::UnknownReference("reference")
            }
            _ => StoreError::Database(err),
        }
    }
}
