//! SMTP errors in terms the user can act on, and whether a retry can help.
//!
//! `Display` (and [`SmtpError::message_en`]) is English for logs; [`SmtpError::message_nl`] is
//! the Dutch sentence for the screen. Neither contains the password: server replies are quoted,
//! and no server echoes it.

use std::error::Error as _;

use serde::{Deserialize, Serialize};

/// The step of a transaction during which something failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SmtpStep {
    Connect,
    StartTls,
    Auth,
    MailFrom,
    RcptTo,
    Data,
    Message,
    Quit,
}

impl SmtpStep {
    fn as_en(self) -> &'static str {
        match self {
            SmtpStep::Connect => "connecting",
            SmtpStep::StartTls => "setting up the secure connection",
            SmtpStep::Auth => "logging in",
            SmtpStep::MailFrom => "giving the sender",
            SmtpStep::RcptTo => "giving a recipient",
            SmtpStep::Data => "starting the message",
            SmtpStep::Message => "sending the message",
            SmtpStep::Quit => "closing the connection",
        }
    }

    fn as_nl(self) -> &'static str {
        match self {
            SmtpStep::Connect => "het verbinden",
            SmtpStep::StartTls => "het beveiligen van de verbinding",
            SmtpStep::Auth => "het inloggen",
            SmtpStep::MailFrom => "het opgeven van de afzender",
            SmtpStep::RcptTo => "het opgeven van een ontvanger",
            SmtpStep::Data => "het beginnen van het bericht",
            SmtpStep::Message => "het versturen van het bericht",
            SmtpStep::Quit => "het afsluiten van de verbinding",
        }
    }
}

/// A negative reply of the server: its code and text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SmtpReply {
    pub code: u16,
    pub text: String,
}

impl SmtpReply {
    /// 5xx: the server will not take it, however often it is asked.
    pub fn is_permanent(&self) -> bool {
        self.code >= 500
    }

    /// What we say for an address we could not even give to the server.
    pub(crate) fn invalid_address() -> SmtpReply {
        SmtpReply {
            code: 553,
            text: "5.1.3 not a valid address (refused by Postkamer)".to_owned(),
        }
    }

    /// The reply in plain Dutch, with the server's own words after it.
    pub fn explain_nl(&self) -> String {
        let plain = match (self.code, enhanced(&self.text)) {
            (_, Some("5.1.1")) | (550, None) | (_, Some("5.1.0")) => {
                "het adres bestaat niet of neemt geen mail aan"
            }
            (_, Some("5.1.3")) => "het adres is ongeldig",
            (_, Some("5.2.2")) | (452, _) | (552, _) => "de mailbox van de ontvanger is vol",
            (_, Some("5.7.1")) | (_, Some("5.7.0")) => {
                "de server weigert dit bericht (beleid of spamfilter)"
            }
            (_, Some(code)) if code.starts_with("5.7.") => {
                "de server weigert dit bericht om een beveiligingsreden (bijvoorbeeld SPF of DKIM)"
            }
            (421, _) => "de server is tijdelijk niet beschikbaar",
            (450 | 451, _) => "de server kan het bericht nu niet aannemen (tijdelijk)",
            (535, _) => "de inlognaam of het wachtwoord wordt geweigerd",
            (553, _) => "het adres wordt niet geaccepteerd",
            (554, _) => "de server weigert het bericht",
            (code, _) if code >= 500 => "de server weigert het bericht",
            _ => "de server kan het bericht nu niet aannemen",
        };
        format!("{plain} (server: {} {})", self.code, self.text)
    }
}

/// The enhanced status code (RFC 3463) at the start of a reply text, like `5.1.1`.
fn enhanced(text: &str) -> Option<&str> {
    let first = text.split_whitespace().next()?;
    let mut parts = first.split('.');
    let valid = matches!(parts.next(), Some("2" | "4" | "5"))
        && parts.next().is_some_and(|p| p.parse::<u16>().is_ok())
        && parts.next().is_some_and(|p| p.parse::<u16>().is_ok())
        && parts.next().is_none();
    valid.then_some(first)
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SmtpError {
    #[error("the SMTP server {host} cannot be found")]
    Dns { host: String },
    #[error(
        "refusing an unencrypted connection to {host}: without TLS only a server on this computer (loopback) is allowed"
    )]
    PlainRefused { host: String },
    #[error("the SMTP server {host} is on a network this installation does not connect to")]
    HostDenied { host: String },
    #[error("no connection to the SMTP server: {0}")]
    Connect(String),
    #[error("the secure connection failed: {0}")]
    Tls(String),
    #[error("the SMTP server does not offer STARTTLS")]
    StartTlsUnsupported,
    #[error("the SMTP server offers neither AUTH PLAIN nor AUTH LOGIN")]
    NoAuthMechanism,
    #[error("the message has 8-bit content and the SMTP server lacks 8BITMIME")]
    EightBitUnsupported,
    #[error("not a valid address: {0}")]
    InvalidAddress(String),
    #[error("the SMTP server said {} {} while {}", reply.code, reply.text, step.as_en())]
    Refused { step: SmtpStep, reply: SmtpReply },
    #[error("the connection broke while {}: {reason}", step.as_en())]
    Network { step: SmtpStep, reason: String },
    #[error("the SMTP server did not answer in time while {}", .0.as_en())]
    Timeout(SmtpStep),
}

impl SmtpError {
    /// No retry can help: the server refused with a 5xx, or the settings are wrong.
    pub fn is_permanent(&self) -> bool {
        match self {
            SmtpError::Refused { reply, .. } => reply.is_permanent(),
            SmtpError::PlainRefused { .. }
            | SmtpError::HostDenied { .. }
            | SmtpError::StartTlsUnsupported
            | SmtpError::NoAuthMechanism
            | SmtpError::EightBitUnsupported
            | SmtpError::InvalidAddress(_) => true,
            SmtpError::Dns { .. }
            | SmtpError::Connect(_)
            | SmtpError::Tls(_)
            | SmtpError::Network { .. }
            | SmtpError::Timeout(_) => false,
        }
    }

    pub fn message_en(&self) -> String {
        self.to_string()
    }

    /// The Dutch sentence for the screen.
    pub fn message_nl(&self) -> String {
        match self {
            SmtpError::Dns { host } => format!(
                "De SMTP-server {host} is niet gevonden. Controleer de servernaam."
            ),
            SmtpError::PlainRefused { host } => format!(
                "Een onbeveiligde verbinding met {host} is niet toegestaan: kies TLS of STARTTLS."
            ),
            SmtpError::HostDenied { host } => format!(
                "De SMTP-server {host} staat op een netwerk waarmee deze installatie geen verbinding maakt. Vraag uw beheerder."
            ),
            SmtpError::Connect(reason) => format!(
                "Geen verbinding met de SMTP-server ({reason}). Controleer de servernaam en de poort."
            ),
            SmtpError::Tls(reason) => format!(
                "De beveiligde verbinding is mislukt ({reason}). Controleer de poort en of TLS of STARTTLS de juiste keuze is."
            ),
            SmtpError::StartTlsUnsupported => {
                "De SMTP-server biedt geen STARTTLS aan. Kies TLS (meestal poort 465) of een andere poort.".to_owned()
            }
            SmtpError::NoAuthMechanism => {
                "De SMTP-server biedt geen inlogmethode aan die Postkamer kent (PLAIN of LOGIN).".to_owned()
            }
            SmtpError::EightBitUnsupported => {
                "De SMTP-server kan dit bericht niet aannemen (geen 8BITMIME).".to_owned()
            }
            SmtpError::InvalidAddress(address) => format!("{address} is geen geldig e-mailadres."),
            SmtpError::Refused {
                step: SmtpStep::Auth,
                reply,
            } => format!(
                "Inloggen bij de SMTP-server is geweigerd: controleer de inlognaam en het wachtwoord (server: {} {}).",
                reply.code, reply.text
            ),
            SmtpError::Refused { step, reply } => format!(
                "Geweigerd bij {}: {}.",
                step.as_nl(),
                reply.explain_nl()
            ),
            SmtpError::Network { step, reason } => format!(
                "De verbinding met de SMTP-server werd verbroken tijdens {} ({reason}).",
                step.as_nl()
            ),
            SmtpError::Timeout(step) => format!(
                "De SMTP-server antwoordde niet op tijd tijdens {}.",
                step.as_nl()
            ),
        }
    }

    pub(super) fn from_lettre(step: SmtpStep, error: &lettre::transport::smtp::Error) -> SmtpError {
        let detail = || {
            error
                .source()
                .map(ToString::to_string)
                .unwrap_or_else(|| error.to_string())
        };
        if let Some(code) = error.status() {
            let code =
                code.to_string()
                    .parse()
                    .unwrap_or(if error.is_permanent() { 554 } else { 451 });
            return SmtpError::Refused {
                step,
                reply: SmtpReply {
                    code,
                    text: detail(),
                },
            };
        }
        if error.is_timeout() {
            return SmtpError::Timeout(step);
        }
        if error.is_tls() || caused_by_tls(error) {
            return SmtpError::Tls(detail());
        }
        if step == SmtpStep::Auth && error.is_client() {
            return SmtpError::NoAuthMechanism;
        }
        if step == SmtpStep::Connect {
            return SmtpError::Connect(detail());
        }
        SmtpError::Network {
            step,
            reason: detail(),
        }
    }
}

/// Whether a TLS failure lies under `error` (lettre reports a failed handshake on connecting as
/// a connection error).
fn caused_by_tls(error: &(dyn std::error::Error + 'static)) -> bool {
    use tokio_rustls::rustls;
    let mut source = error.source();
    while let Some(cause) = source {
        if cause.is::<rustls::Error>() {
            return true;
        }
        if let Some(io) = cause.downcast_ref::<std::io::Error>()
            && io
                .get_ref()
                .is_some_and(|inner| inner.is::<rustls::Error>())
        {
            return true;
        }
        source = cause.source();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_are_explained_in_dutch_with_the_servers_words() {
        let reply = SmtpReply {
            code: 550,
            text: "5.1.1 <x@example.com>: Recipient address rejected".to_owned(),
        };
        assert!(reply.is_permanent());
        let nl = reply.explain_nl();
        assert!(nl.starts_with("het adres bestaat niet"), "{nl}");
        assert!(nl.contains("550 5.1.1"), "{nl}");
        let busy = SmtpReply {
            code: 451,
            text: "4.3.0 try later".to_owned(),
        };
        assert!(!busy.is_permanent());
        assert!(busy.explain_nl().contains("tijdelijk"));
        assert_eq!(enhanced("5.7.26 unauthenticated"), Some("5.7.26"));
        assert_eq!(enhanced("Recipient rejected"), None);
    }

    #[test]
    fn permanence_follows_the_reply_code() {
        let refused = |code| SmtpError::Refused {
            step: SmtpStep::MailFrom,
            reply: SmtpReply {
                code,
                text: String::new(),
            },
        };
        assert!(refused(554).is_permanent());
        assert!(!refused(421).is_permanent());
        assert!(!SmtpError::Connect("refused".into()).is_permanent());
        assert!(SmtpError::StartTlsUnsupported.is_permanent());
    }
}
