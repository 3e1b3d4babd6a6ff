use postkamer_domain::ValidationErrors;
use postkamer_domain::validate::Invalid;
use postkamer_store::StoreError;

/// Why a use case did not complete. The server maps each variant to one HTTP status and the UI
/// to one Dutch message; `Internal` details are logged, never shown.
#[derive(Debug, Clone, thiserror::Error)]
pub enum CoreError {
    #[error("invalid input: {0}")]
    Validation(#[from] ValidationErrors),
    #[error("not signed in, or wrong credentials")]
    Unauthenticated,
    #[error("not allowed for this user")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("conflicts with the current state: {0}")]
    Conflict(&'static str),
    #[error("too many failed attempts; retry in {retry_after_secs} s")]
    Throttled { retry_after_secs: u64 },
    /// The mail server could not be reached or refused: a message for the user, both languages.
    #[error("mail server: {en}")]
    Mail { nl: String, en: String },
    #[error("internal error: {0}")]
    Internal(String),
}

pub type CoreResult<T> = Result<T, CoreError>;

impl From<crate::secrets::SealError> for CoreError {
    fn from(err: crate::secrets::SealError) -> Self {
        tracing::error!(error = %err, "sealing a secret failed");
        CoreError::Internal(err.to_string())
    }
}

impl From<StoreError> for CoreError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound => CoreError::NotFound,
            StoreError::AlreadyExists("email") => {
                CoreError::Validation(ValidationErrors::single("email", Invalid::EmailTaken))
            }
            StoreError::AlreadyExists(what) => CoreError::Conflict(what),
            StoreError::InUse(what) => CoreError::Conflict(what),
            StoreError::UnknownReference("company") => CoreError::Validation(
                ValidationErrors::single("company_id", Invalid::UnknownCompany),
            ),
            // Core checks the addresses first and names the field; this is the race between
            // that check and the write (a colleague's account created in between).
            StoreError::OwnAddress(_) => {
                CoreError::Validation(ValidationErrors::single("emails", Invalid::OwnAddress))
            }
            other => CoreError::Internal(other.to_string()),
        }
    }
}
