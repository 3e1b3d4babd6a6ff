//! The mail account forms: what a user types for their IMAP account and their SMTP server, and
//! their checks.

use super::TlsMode;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The mailbox form as typed (Beheer → Gebruikersinstellingen → E-mail, the API, the CLI).
/// An empty password keeps the stored one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MailboxInput {
    pub host: String,
    pub port: String,
    pub tls: TlsMode,
    pub login: String,
    #[serde(default)]
    pub password: String,
    /// YYYY-MM-DD, or empty for all mail.
    #[serde(default)]
    pub since: String,
    #[serde(default = "enabled_default")]
    pub enabled: bool,
}

fn enabled_default() -> bool {
    true
}

/// A checked [`MailboxInput`].
#[derive(Clone, PartialEq, Eq)]
pub struct ValidMailbox {
    pub host: String,
    pub port: u16,
    pub tls: TlsMode,
    pub login: String,
    pub password: Option<String>,
    pub since: Option<String>,
    pub enabled: bool,
}

impl fmt::Debug for ValidMailbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ValidMailbox")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("tls", &self.tls)
            .field("login", &self.login)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .finish_non_exhaustive()
    }
}

/// Whether `host` is this machine: the only place a plaintext IMAP connection may go.
pub fn is_loopback_host(host: &str) -> bool {
    let host = host.trim().trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

impl MailboxInput {
    /// `has_password`: a password is stored already (so an empty one keeps it).
    pub fn validate(&self, has_password: bool) -> Result<ValidMailbox, crate::ValidationErrors> {
        use crate::validate::Invalid;
        let mut errors = crate::ValidationErrors::default();
        let server = check_server(
            &mut errors,
            &self.host,
            &self.port,
            self.tls,
            self.tls.default_port(),
        );
        let login = check_login(&mut errors, &self.login);
        if login.is_empty() && errors.0.iter().all(|e| e.field != "login") {
            errors.push("login", Invalid::Required);
        }
        let password = check_password(&mut errors, &self.password, has_password);
        let since = match self.since.trim() {
            "" => None,
            s if valid_date(s) => Some(s.to_owned()),
            _ => {
                errors.push("since", Invalid::Date);
                None
            }
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        let (host, port) = server.unwrap_or_default();
        Ok(ValidMailbox {
            host,
            port,
            tls: self.tls,
            login,
            password,
            since,
            enabled: self.enabled,
        })
    }
}

/// The SMTP form as typed (Beheer → Gebruikersinstellingen → E-mail, next to the IMAP
/// account; the API). An empty login sends without AUTH; an empty password keeps the stored
/// one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SmtpInput {
    pub host: String,
    /// Empty: the usual port of the TLS mode (465 TLS, 587 STARTTLS, 25 none).
    #[serde(default)]
    pub port: String,
    pub tls: TlsMode,
    #[serde(default)]
    pub login: String,
    #[serde(default)]
    pub password: String,
}

/// The caller's SMTP account as the settings page shows it (never the password).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub tls: TlsMode,
    /// Empty: sent without AUTH.
    pub login: String,
    pub has_password: bool,
}

/// A checked SMTP form.
#[derive(Clone, PartialEq, Eq)]
pub struct ValidSmtp {
    pub host: String,
    pub port: u16,
    pub tls: TlsMode,
    /// Empty: no AUTH.
    pub login: String,
    /// `None`: keep the stored one (or none, without AUTH).
    pub password: Option<String>,
}

impl fmt::Debug for ValidSmtp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ValidSmtp")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("tls", &self.tls)
            .field("login", &self.login)
            .finish_non_exhaustive()
    }
}

impl SmtpInput {
    /// `has_password`: a password is stored already (so an empty one keeps it).
    pub fn validate(&self, has_password: bool) -> Result<ValidSmtp, crate::ValidationErrors> {
        let mut errors = crate::ValidationErrors::default();
        let server = check_server(
            &mut errors,
            &self.host,
            &self.port,
            self.tls,
            self.tls.smtp_default_port(),
        );
        let login = check_login(&mut errors, &self.login);
        let password = if login.is_empty() {
            None
        } else {
            check_password(&mut errors, &self.password, has_password)
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        let (host, port) = server.unwrap_or_default();
        Ok(ValidSmtp {
            host,
            port,
            tls: self.tls,
            login,
            password,
        })
    }
}

/// Host, port and TLS mode of a mail server form; `None` when one of them is wrong (each
/// error pushed).
fn check_server(
    errors: &mut crate::ValidationErrors,
    host: &str,
    port: &str,
    tls: TlsMode,
    default_port: u16,
) -> Option<(String, u16)> {
    use crate::validate::Invalid;
    let host = host.trim().to_owned();
    let host_ok = !host.is_empty()
        && host.len() <= 253
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c));
    if host.is_empty() {
        errors.push("host", Invalid::Required);
    } else if !host_ok {
        errors.push("host", Invalid::Host);
    }
    let port = match port.trim() {
        "" => Some(default_port),
        p => p.parse::<u16>().ok().filter(|p| *p > 0),
    };
    if port.is_none() {
        errors.push("port", Invalid::Port);
    }
    if tls == TlsMode::None && host_ok && !is_loopback_host(&host) {
        errors.push("tls", Invalid::PlaintextNotLocal);
    }
    Some((host, port?)).filter(|_| host_ok)
}

/// The login, trimmed (empty when none was typed; the caller decides whether that is allowed).
fn check_login(errors: &mut crate::ValidationErrors, login: &str) -> String {
    use crate::validate::Invalid;
    let login = login.trim().to_owned();
    if login.chars().count() > 254 {
        errors.push("login", Invalid::TooLong { max: 254 });
    } else if login.chars().any(char::is_control) {
        errors.push("login", Invalid::ControlCharacters);
    }
    login
}

/// The typed password; `None` (keep the stored one) when empty and one is stored.
fn check_password(
    errors: &mut crate::ValidationErrors,
    password: &str,
    has_password: bool,
) -> Option<String> {
    use crate::validate::Invalid;
    let typed = (!password.is_empty()).then(|| password.to_owned());
    if typed.is_none() && !has_password {
        errors.push("password", Invalid::Required);
    } else if password.chars().count() > 1024 {
        errors.push("password", Invalid::TooLong { max: 1024 });
    } else if password
        .chars()
        .any(|c| c == '\r' || c == '\n' || c == '\0')
    {
        errors.push("password", Invalid::ControlCharacters);
    }
    typed
}

fn valid_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| s.get(r).and_then(|p| p.parse::<u32>().ok());
    matches!(
        (num(0..4), num(5..7), num(8..10)),
        (Some(1970..=9999), Some(1..=12), Some(1..=31))
    )
}

#[cfg(test)]
mod form_tests {
    use super::*;
    use crate::validate::Invalid;

    fn form() -> MailboxInput {
        MailboxInput {
            host: "imap.voorbeeld.nl".into(),
            port: String::new(),
            tls: TlsMode::Tls,
            login: "jan@voorbeeld.nl".into(),
            password: "geheim".into(),
            since: String::new(),
            enabled: true,
        }
    }

    #[test]
    fn a_good_form_gets_the_default_port() {
        let valid = form().validate(false).expect("valid");
        assert_eq!(valid.port, 993);
        assert_eq!(valid.password.as_deref(), Some("geheim"));
        assert!(!format!("{valid:?}").contains("geheim"));
    }

    #[test]
    fn every_field_is_checked() {
        let bad = MailboxInput {
            host: "imap voorbeeld".into(),
            port: "70000".into(),
            tls: TlsMode::None,
            login: " ".into(),
            password: String::new(),
            since: "31-01-2025".into(),
            enabled: true,
        };
        let errors = bad.validate(false).expect_err("invalid");
        let fields: Vec<(&str, Invalid)> = errors
            .0
            .iter()
            .map(|e| (e.field.as_str(), e.error))
            .collect();
        assert_eq!(
            fields,
            [
                ("host", Invalid::Host),
                ("port", Invalid::Port),
                ("login", Invalid::Required),
                ("password", Invalid::Required),
                ("since", Invalid::Date),
            ]
        );
    }

    #[test]
    fn plaintext_only_to_this_machine() {
        let mut f = form();
        f.tls = TlsMode::None;
        assert_eq!(
            f.validate(true).expect_err("remote plaintext").0[0].error,
            Invalid::PlaintextNotLocal
        );
        for host in ["127.0.0.1", "localhost", "[::1]"] {
            f.host = host.into();
            assert!(f.validate(true).is_ok(), "{host}");
        }
        // An empty password keeps the stored one.
        f.password.clear();
        assert_eq!(f.validate(true).expect("keeps").password, None);
    }

    #[test]
    fn the_smtp_form_takes_its_own_ports_and_may_go_without_auth() {
        let mut smtp = SmtpInput {
            host: "smtp.voorbeeld.nl".into(),
            port: String::new(),
            tls: TlsMode::StartTls,
            login: "jan@voorbeeld.nl".into(),
            password: "geheim".into(),
        };
        let valid = smtp.validate(false).expect("valid");
        assert_eq!(valid.port, 587);
        assert!(!format!("{valid:?}").contains("geheim"));
        smtp.tls = TlsMode::Tls;
        assert_eq!(smtp.validate(false).unwrap().port, 465);
        smtp.password.clear();
        let errors = smtp.validate(false).expect_err("a login needs a password");
        assert_eq!(errors.0[0].field, "password");
        smtp.login.clear();
        let anonymous = smtp.validate(false).expect("a relay without AUTH");
        assert_eq!((anonymous.login.as_str(), anonymous.password), ("", None));
        smtp.host = "smtp voorbeeld".into();
        smtp.port = "0".into();
        let fields: Vec<_> = smtp
            .validate(false)
            .unwrap_err()
            .0
            .iter()
            .map(|e| (e.field.clone(), e.error))
            .collect();
        assert_eq!(
            fields,
            [
                ("host".to_owned(), Invalid::Host),
                ("port".to_owned(), Invalid::Port)
            ]
        );
    }
}
