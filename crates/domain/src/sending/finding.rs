//! What a check finds: every finding with its severity and its stable code, the damage a
//! published DKIM key can show, and a finding in words.

use serde::{Deserialize, Serialize};

use crate::Locale;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Severity {
    /// A note: nothing to fix.
    Info,
    Warning,
    Error,
}

/// What kind of damage a published DKIM value shows compared with ours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum DkimDamage {
    /// The value stops early: the end was lost when pasting.
    Truncated,
    /// Characters were added after the end of the key.
    ExtraAtEnd,
    /// Characters inside the key differ.
    Changed,
    /// A different, complete key is published (an old one, or another provider's).
    OtherKey,
}

/// One thing a check found. Each variant knows its severity, its explanation and its fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Finding {
    // ----- the domain -----
    /// The resolver could not be asked (unreachable, timeout, server failure).
    DnsUnavailable {
        detail: String,
    },
    /// NXDOMAIN for the domain itself.
    DomainMissing,
    /// No MX record: replies to mail from this domain cannot be delivered.
    NoMx,

    // ----- SPF -----
    SpfMissing {
        proposal: String,
    },
    SpfMultiple {
        count: usize,
        merged: String,
    },
    SpfIncludeMissing {
        include: String,
        proposal: String,
    },
    SpfIncludeAfterAll {
        include: String,
        proposal: String,
    },
    SpfPassAll {
        proposal: String,
    },
    SpfNeutralAll {
        proposal: String,
    },
    /// Neither an `all` term nor `redirect=`: everything not listed is "neutral".
    SpfNoAll {
        proposal: String,
    },
    /// `redirect=` is used; its target's policy applies.
    SpfRedirect {
        target: String,
    },
    /// `redirect=` next to an `all` term is ignored (RFC 7208 6.1).
    SpfRedirectIgnored {
        target: String,
    },
    SpfTooManyLookups {
        count: u32,
    },
    SpfTooManyVoidLookups {
        count: u32,
        names: Vec<String>,
    },
    SpfSyntax {
        term: String,
    },
    SpfPtr,
    /// An include or redirect target that has no SPF record (PermError for receivers).
    SpfTargetMissing {
        target: String,
    },
    /// Lookups with macros (`%{i}`…) cannot be followed without a message.
    SpfMacro {
        term: String,
    },
    SpfLoop {
        target: String,
    },

    // ----- DKIM -----
    DkimMissing,
    /// The name is a CNAME to `target`, and `target` does not hold our key.
    DkimCname {
        target: String,
    },
    /// The name is a CNAME to a record that does hold our key: fine.
    DkimViaCname {
        target: String,
    },
    DkimMismatch {
        damage: DkimDamage,
        position: usize,
        expected_len: usize,
        found_len: usize,
    },
    /// Spaces or tabs inside the `p=` value.
    DkimSpacesInKey,
    /// CR or LF inside the record.
    DkimLineBreak,
    /// Quote characters are part of the value.
    DkimQuotes,
    /// Split into several TXT records instead of several strings of one record.
    DkimSplitRecords {
        count: usize,
    },
    /// One record of several strings with spaces at the seams.
    DkimSplitSeams {
        strings: usize,
    },
    /// One record of several strings, joined correctly: fine.
    DkimSplitOk {
        strings: usize,
    },
    /// Whitespace between tags, which the DKIM standard allows: fine.
    DkimWhitespaceAllowed,
    DkimWrongKeyType {
        found: String,
    },
    DkimWrongHash {
        found: String,
    },
    DkimKeyTooShort {
        bits: usize,
    },
    DkimRevoked,
    DkimTesting,
    DkimSyntax {
        detail: String,
    },
    DkimMultiple {
        count: usize,
    },

    // ----- DMARC -----
    DmarcMissing {
        proposal: String,
    },
    DmarcMultiple {
        count: usize,
    },
    DmarcSyntax {
        detail: String,
    },
    DmarcPolicyNone {
        proposal: String,
    },
    DmarcNoRua,
    DmarcPct {
        pct: u8,
    },
    DmarcSubdomainNone,
    DmarcSpfNotAligned {
        envelope_domain: String,
    },

    // ----- ownership -----
    /// No verification token at `_postkamer.<domain>`.
    OwnershipMissing {
        proposal: String,
    },
    /// Tokens are published there, but not this organisation's (another organisation's, or an
    /// old one).
    OwnershipOther {
        found: usize,
        proposal: String,
    },
    /// The token is published and the records verify, but another organisation of this
    /// installation holds the domain: a domain is active in one organisation at a time.
    DomainHeldElsewhere,
}

/// A finding in words: what is wrong (or right) and what to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Explanation {
    pub text: String,
    pub fix: Option<String>,
    /// A record value to copy (a proposal), shown with a copy button.
    pub value: Option<String>,
}

impl Finding {
    pub fn severity(&self) -> Severity {
        use Finding::*;
        match self {
            DkimViaCname { .. }
            | DkimSplitOk { .. }
            | DkimWhitespaceAllowed
            | SpfRedirect { .. }
            | SpfMacro { .. } => Severity::Info,
            NoMx
            | SpfNeutralAll { .. }
            | SpfNoAll { .. }
            | SpfRedirectIgnored { .. }
            | SpfPtr
            | DkimSpacesInKey
            | DkimTesting
            | DmarcMissing { .. }
            | DmarcPolicyNone { .. }
            | DmarcNoRua
            | DmarcPct { .. }
            | DmarcSubdomainNone
            | DmarcSpfNotAligned { .. } => Severity::Warning,
            OwnershipMissing { .. } | OwnershipOther { .. } | DomainHeldElsewhere => {
                Severity::Error
            }
            DnsUnavailable { .. }
            | DomainMissing
            | SpfMissing { .. }
            | SpfMultiple { .. }
            | SpfIncludeMissing { .. }
            | SpfIncludeAfterAll { .. }
            | SpfPassAll { .. }
            | SpfTooManyLookups { .. }
            | SpfTooManyVoidLookups { .. }
            | SpfSyntax { .. }
            | SpfTargetMissing { .. }
            | SpfLoop { .. }
            | DkimMissing
            | DkimCname { .. }
            | DkimMismatch { .. }
            | DkimLineBreak
            | DkimQuotes
            | DkimSplitRecords { .. }
            | DkimSplitSeams { .. }
            | DkimWrongKeyType { .. }
            | DkimWrongHash { .. }
            | DkimKeyTooShort { .. }
            | DkimRevoked
            | DkimSyntax { .. }
            | DkimMultiple { .. }
            | DmarcMultiple { .. }
            | DmarcSyntax { .. } => Severity::Error,
        }
    }

    /// A stable code for the JSON API and the CLI (`spf_missing`, `dkim_mismatch`, …).
    pub fn code(&self) -> String {
        serde_json_code(self)
    }

    pub fn explain(&self, locale: Locale) -> Explanation {
        match locale {
            Locale::Nl => self.explain_nl(),
            Locale::En => self.explain_en(),
        }
    }
}

fn serde_json_code(finding: &Finding) -> String {
    // The serde tag, without pulling serde_json into the browser bundle: the Debug name of the
    // variant in snake_case is the same string.
    let debug = format!("{finding:?}");
    let name = debug.split([' ', '{', '(']).next().unwrap_or_default();
    let mut code = String::with_capacity(name.len() + 4);
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                code.push('_');
            }
            code.push(c.to_ascii_lowercase());
        } else {
            code.push(c);
        }
    }
    code
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_is_the_serde_tag() {
        let findings = [
            Finding::DomainMissing,
            Finding::SpfTooManyLookups { count: 11 },
            Finding::DkimMismatch {
                damage: DkimDamage::Truncated,
                position: 3,
                expected_len: 10,
                found_len: 3,
            },
        ];
        for finding in findings {
            let json = serde_json::to_value(&finding).unwrap();
            assert_eq!(json["code"], finding.code());
        }
    }

    #[test]
    fn every_finding_is_explained_in_both_languages() {
        let finding = Finding::SpfMissing {
            proposal: "v=spf1 include:spf.example -all".into(),
        };
        for locale in Locale::ALL {
            let e = finding.explain(locale);
            assert!(!e.text.is_empty());
            assert_eq!(e.value.as_deref(), Some("v=spf1 include:spf.example -all"));
        }
    }
}
