//! The error every server function returns, typed so a page can react to each case: show
//! validation messages next to the fields, send the user to the login page, say "Geen toegang".

use postkamer_domain::{Locale, ValidationErrors};
use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("invalid input")]
    Validation(ValidationErrors),
    #[error("not signed in")]
    Unauthenticated,
    #[error("wrong e-mail address or password")]
    BadCredentials,
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("too many attempts")]
    TooManyRequests { retry_after_secs: u64 },
    /// The mail server could not be reached or refused; the sentence says what to fix.
    #[error("mail server: {en}")]
    Mail { nl: String, en: String },
    /// What the browser sent is larger than the server accepts.
    #[error("request too large")]
    TooLarge,
    #[error("internal error")]
    Internal,
    /// The request did not reach the server or its answer could not be read.
    #[error("transport: {0}")]
    Transport(String),
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport(value.to_string())
    }
}

impl AppError {
    /// The validation errors, if this is a validation failure.
    pub fn validation(&self) -> Option<&ValidationErrors> {
        match self {
            AppError::Validation(v) => Some(v),
            _ => None,
        }
    }

    /// A human sentence for the top of a form or page.
    pub fn message(&self, locale: Locale) -> String {
        use crate::i18n::t;
        match self {
            AppError::Validation(_) => t(
                locale,
                "Controleer de gemarkeerde velden.",
                "Please check the marked fields.",
            )
            .into(),
            AppError::Unauthenticated => t(
                locale,
                "U bent niet (meer) ingelogd.",
                "You are not signed in (any more).",
            )
            .into(),
            AppError::BadCredentials => t(
                locale,
                "E-mailadres of wachtwoord onjuist.",
                "E-mail address or password incorrect.",
            )
            .into(),
            AppError::Forbidden => t(
                locale,
                "Geen toegang: deze pagina is alleen voor SuperAdmins.",
                "No access: this page is for SuperAdmins only.",
            )
            .into(),
            AppError::NotFound => t(
                locale,
                "Niet gevonden. Misschien is het verwijderd.",
                "Not found. It may have been deleted.",
            )
            .into(),
            AppError::Conflict(what) => match (what.as_str(), locale) {
                ("last superadmin", Locale::Nl) => {
                    "Er moet minstens één actieve SuperAdmin blijven.".into()
                }
                ("last superadmin", Locale::En) => {
                    "At least one active SuperAdmin must remain.".into()
                }
                ("own account", Locale::Nl) => "U kunt uw eigen account niet deactiveren.".into(),
                ("own account", Locale::En) => "You cannot deactivate your own account.".into(),
                ("selector_not_verified", Locale::Nl) => {
                    "Ondertekenen met deze sleutel kan pas als het DNS-record ervan klopt. Publiceer het record en klik op ‘Nu controleren’.".into()
                }
                ("selector_not_verified", Locale::En) => {
                    "Signing with this key is possible only once its DNS record is correct. Publish the record and click ‘Check now’.".into()
                }
                ("selector_is_signing", Locale::Nl) => {
                    "Met deze sleutel wordt nu ondertekend; een nieuwe sleutel maakt u alleen voor de andere selector.".into()
                }
                ("selector_is_signing", Locale::En) => {
                    "This key signs the mail now; a new key is made only for the other selector.".into()
                }
                ("job_running", Locale::Nl) => {
                    "Deze taak wordt op dit moment uitgevoerd. Wacht tot ze klaar is of mislukt, en probeer het dan opnieuw.".into()
                }
                ("job_running", Locale::En) => {
                    "This job is running right now. Wait until it is done or has failed, then try again.".into()
                }
                ("message_too_large", Locale::Nl) => {
                    "Dit bericht is te groot om in Postkamer te bewaren; open het in uw e-mailprogramma.".into()
                }
                ("message_too_large", Locale::En) => {
                    "This message is too large to keep in Postkamer; open it in your mail program.".into()
                }
                ("no_smtp", Locale::Nl) => {
                    "Er is nog geen SMTP-server ingesteld om mee te verzenden. Vul die in onder Beheer → Gebruikersinstellingen → E-mail.".into()
                }
                ("no_smtp", Locale::En) => {
                    "No SMTP server is set up to send with yet. Fill it in under Beheer → Gebruikersinstellingen → E-mail.".into()
                }
                ("dkim_unusable", Locale::Nl) => {
                    "Dit bericht moet met DKIM worden ondertekend, maar de sleutel van het domein is niet bruikbaar. Er is niets verzonden; vraag uw SuperAdmin de sleutel te vernieuwen (Beheer → E-mail → Domeinen).".into()
                }
                ("dkim_unusable", Locale::En) => {
                    "This message must be DKIM-signed, but the domain's key cannot be used. Nothing was sent; ask your SuperAdmin to renew the key (Beheer → E-mail → Domeinen).".into()
                }
                ("mail_too_large", Locale::Nl) => {
                    "Het bericht is met de bijlagen te groot om te verzenden. Verwijder een of meer bijlagen.".into()
                }
                ("mail_too_large", Locale::En) => {
                    "With its attachments the message is too large to send. Remove one or more attachments.".into()
                }
                ("outbox_not_waiting", Locale::Nl) => {
                    "Dit bericht wordt al verzonden of is klaar; annuleren kan niet meer.".into()
                }
                ("outbox_not_waiting", Locale::En) => {
                    "This message is being sent or is done; it can no longer be cancelled.".into()
                }
                ("outbox_not_failed", Locale::Nl) => {
                    "Alleen een mislukt bericht kan opnieuw worden verzonden.".into()
                }
                ("outbox_not_failed", Locale::En) => {
                    "Only a failed message can be sent again.".into()
                }
                ("draft_sending", Locale::Nl) => {
                    "Dit bericht wordt verzonden. Maak het verzenden eerst ongedaan om het te wijzigen.".into()
                }
                ("draft_sending", Locale::En) => {
                    "This message is being sent. Undo sending first to change it.".into()
                }
                ("draft_not_sending", Locale::Nl) => "Dit concept wordt niet verzonden.".into(),
                ("draft_not_sending", Locale::En) => "This draft is not being sent.".into(),
                ("attachments_too_large", Locale::Nl) => {
                    "De bijlagen worden samen te groot om te verzenden. Verwijder een bijlage of stuur een kleiner bestand.".into()
                }
                ("attachments_too_large", Locale::En) => {
                    "Together the attachments get too large to send. Remove one or send a smaller file.".into()
                }
                ("template_in_use", Locale::Nl) => {
                    "Dit sjabloon is gekoppeld aan een actietype. Kies eerst onder Actietypen een ander sjabloon voor dat type.".into()
                }
                ("template_in_use", Locale::En) => {
                    "This template is linked to an action type. First choose another template for that type under Action types.".into()
                }
                (_, Locale::Nl) => {
                    "Dit botst met een wijziging van iemand anders. Probeer het opnieuw.".into()
                }
                (_, Locale::En) => {
                    "This conflicts with someone else's change. Please try again.".into()
                }
            },
            AppError::TooManyRequests { retry_after_secs } => match locale {
                Locale::Nl => format!(
                    "Te veel mislukte pogingen. Probeer het over {} minuten opnieuw.",
                    retry_after_secs.div_ceil(60)
                ),
                Locale::En => format!(
                    "Too many failed attempts. Try again in {} minutes.",
                    retry_after_secs.div_ceil(60)
                ),
            },
            AppError::Mail { nl, en } => match locale {
                Locale::Nl => nl.clone(),
                Locale::En => en.clone(),
            },
            AppError::TooLarge => t(
                locale,
                "Wat u verstuurt is te groot voor de server. Uw invoer is bewaard; maak het korter.",
                "What you are sending is too large for the server. Your input is kept; make it shorter.",
            )
            .into(),
            AppError::Internal => t(
                locale,
                "Er ging iets mis op de server. Uw invoer is bewaard; probeer het opnieuw.",
                "Something went wrong on the server. Your input is kept; please try again.",
            )
            .into(),
            AppError::Transport(_) => t(
                locale,
                "De server is niet bereikbaar. Uw invoer is bewaard; probeer het opnieuw.",
                "The server cannot be reached. Your input is kept; please try again.",
            )
            .into(),
        }
    }
}

#[cfg(feature = "ssr")]
impl AppError {
    /// The HTTP status of a response carrying this error.
    pub fn status(&self) -> http::StatusCode {
        use http::StatusCode as S;
        match self {
            AppError::Validation(_) => S::UNPROCESSABLE_ENTITY,
            AppError::Unauthenticated | AppError::BadCredentials => S::UNAUTHORIZED,
            AppError::Forbidden => S::FORBIDDEN,
            AppError::NotFound => S::NOT_FOUND,
            AppError::Conflict(_) => S::CONFLICT,
            AppError::TooManyRequests { .. } => S::TOO_MANY_REQUESTS,
            AppError::Mail { .. } => S::BAD_GATEWAY,
            AppError::TooLarge => S::PAYLOAD_TOO_LARGE,
            AppError::Internal | AppError::Transport(_) => S::INTERNAL_SERVER_ERROR,
        }
    }
}

/// Converting a core error also sets the status of the response being built, so a refused
/// server function answers 403 (not 500) and a page that cannot load its record answers 404.
#[cfg(feature = "ssr")]
impl From<postkamer_core::CoreError> for AppError {
    fn from(err: postkamer_core::CoreError) -> Self {
        crate::ssr::fail(AppError::from_core(err))
    }
}

#[cfg(feature = "ssr")]
impl AppError {
    pub(crate) fn from_core(err: postkamer_core::CoreError) -> Self {
        use postkamer_core::CoreError;
        match err {
            CoreError::Validation(v) => AppError::Validation(v),
            CoreError::Unauthenticated => AppError::BadCredentials,
            CoreError::Forbidden => AppError::Forbidden,
            CoreError::NotFound => AppError::NotFound,
            CoreError::Conflict(what) => AppError::Conflict(what.to_owned()),
            CoreError::Throttled { retry_after_secs } => {
                AppError::TooManyRequests { retry_after_secs }
            }
            CoreError::Mail { nl, en } => AppError::Mail { nl, en },
            CoreError::Internal(detail) => {
                tracing::error!(%detail, "server function failed");
                AppError::Internal
            }
        }
    }
}
