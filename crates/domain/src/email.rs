//! The normalised e-mail address. Two spellings of one mailbox (`Jan@Voorbeeld.NL ` and
//! `jan@voorbeeld.nl`) are one `EmailAddress`: the mail engine matches every message address
//! against contact persons through it, so normalisation happens once, here.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A syntactically valid, normalised (trimmed, lower-cased) e-mail address.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, format = Email))]
pub struct EmailAddress(String);

/// Why a string is not an e-mail address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("the address is empty")]
    Empty,
    #[error("the address has no single @")]
    NoAt,
    #[error("the part before the @ is empty or invalid")]
    LocalPart,
    #[error("the domain after the @ is invalid")]
    Domain,
    #[error("the address is longer than 254 characters")]
    TooLong,
}

impl EmailAddress {
    pub const MAX_LEN: usize = 254;

    pub fn parse(input: &str) -> Result<Self, EmailError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(EmailError::Empty);
        }
        if trimmed.chars().count() > Self::MAX_LEN {
            return Err(EmailError::TooLong);
        }
        let (local, domain) = trimmed.rsplit_once('@').ok_or(EmailError::NoAt)?;
        if !valid_local(local) {
            return Err(EmailError::LocalPart);
        }
        let domain = domain.trim_end_matches('.');
        if !valid_domain(domain) {
            return Err(EmailError::Domain);
        }
        Ok(Self(format!(
            "{}@{}",
            local.to_lowercase(),
            domain.to_lowercase()
        )))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn local_part(&self) -> &str {
        self.0.rsplit_once('@').map_or("", |(l, _)| l)
    }

    pub fn domain(&self) -> &str {
        self.0.rsplit_once('@').map_or("", |(_, d)| d)
    }
}

fn valid_local(local: &str) -> bool {
    !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local.chars().all(|c| {
            c.is_alphanumeric()
                || "!#$%&'*+-/=?^_`{|}~.".contains(c)
                || (!c.is_ascii() && !c.is_whitespace())
        })
}

/// A host name with at least two labels, each 1..=63 characters of letters, digits and inner
/// hyphens (internationalised letters allowed), and a top-level label that is not all digits.
pub fn valid_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    domain.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|tld| !tld.chars().all(|c| c.is_ascii_digit()))
}

impl FromStr for EmailAddress {
    type Err = EmailError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for EmailAddress {
    type Error = EmailError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<EmailAddress> for String {
    fn from(value: EmailAddress) -> Self {
        value.0
    }
}

impl AsRef<str> for EmailAddress {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_case_and_whitespace() {
        let a = EmailAddress::parse("  Jan.de.Vries@Voorbeeld.NL ").unwrap();
        assert_eq!(a.as_str(), "jan.de.vries@voorbeeld.nl");
        assert_eq!(
            a,
            EmailAddress::parse("jan.de.vries@voorbeeld.nl.").unwrap()
        );
        assert_eq!(a.domain(), "voorbeeld.nl");
        assert_eq!(a.local_part(), "jan.de.vries");
    }

    #[test]
    fn rejects_malformed_addresses() {
        for (input, err) in [
            ("", EmailError::Empty),
            ("jan", EmailError::NoAt),
            ("@voorbeeld.nl", EmailError::LocalPart),
            ("jan..piet@voorbeeld.nl", EmailError::LocalPart),
            ("jan piet@voorbeeld.nl", EmailError::LocalPart),
            ("jan@voorbeeld", EmailError::Domain),
            ("jan@-voorbeeld.nl", EmailError::Domain),
            ("jan@voorbeeld..nl", EmailError::Domain),
            ("jan@10.0.0.1", EmailError::Domain),
            ("<script>@x.nl", EmailError::LocalPart),
        ] {
            assert_eq!(EmailAddress::parse(input), Err(err), "{input}");
        }
        assert_eq!(
            EmailAddress::parse(&format!("{}@x.nl", "a".repeat(260))),
            Err(EmailError::TooLong)
        );
    }

    #[test]
    fn accepts_plus_addressing_and_idn() {
        assert!(EmailAddress::parse("jan+crm@voorbeeld.nl").is_ok());
        assert!(EmailAddress::parse("jöran@bäcker.de").is_ok());
    }

    #[test]
    fn deserialises_only_valid_addresses() {
        let ok: EmailAddress = serde_json::from_str("\"A@B.nl\"").unwrap();
        assert_eq!(ok.as_str(), "a@b.nl");
        assert!(serde_json::from_str::<EmailAddress>("\"nope\"").is_err());
    }
}
