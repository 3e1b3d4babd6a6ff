//! Sending domains: the DNS records a customer publishes (SPF, DKIM `key001`/`key002`, DMARC, and
//! the organisation's verification token), what a check against live DNS found, and how each finding is explained — in Dutch and English, with the
//! fix. The engine (`postkamer-domainauth`) produces these values; the store keeps them as history;
//! the UI, the CLI and the JSON API show them.

use serde::{Deserialize, Serialize};

use crate::Locale;

mod explain;
mod report;

pub use report::{
    DomainReport, DomainState, DomainSummary, DomainView, HistoryEntry, PublishRecord, RecordCheck,
    RecordView,
};

/// The two DKIM selectors of an installation. Both are published; one signs, the other is ready
/// for a key rotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Selector {
    Key001,
    Key002,
}

impl Selector {
    pub const ALL: [Selector; 2] = [Selector::Key001, Selector::Key002];

    pub fn as_str(self) -> &'static str {
        match self {
            Selector::Key001 => "key001",
            Selector::Key002 => "key002",
        }
    }

    pub fn parse(text: &str) -> Option<Selector> {
        Selector::ALL.into_iter().find(|s| s.as_str() == text)
    }

    pub fn other(self) -> Selector {
        match self {
            Selector::Key001 => Selector::Key002,
            Selector::Key002 => Selector::Key001,
        }
    }
}

impl std::fmt::Display for Selector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One row of a domain page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum RecordKind {
    Spf,
    Key001,
    Key002,
    Dmarc,
    /// TXT `_postkamer.<domain>` with the organisation's verification token: the DKIM keys are
    /// the installation's, so only this record proves which organisation the domain is for.
    Ownership,
}

impl RecordKind {
    /// The rows of a domain page, in order.
    pub const ALL: [RecordKind; 5] = [
        RecordKind::Spf,
        RecordKind::Key001,
        RecordKind::Key002,
        RecordKind::Dmarc,
        RecordKind::Ownership,
    ];

    /// The rows when no organisation asks (the CLI without a database): no token to expect.
    pub const AUTHENTICATION: [RecordKind; 4] = [
        RecordKind::Spf,
        RecordKind::Key001,
        RecordKind::Key002,
        RecordKind::Dmarc,
    ];

    pub fn dkim(selector: Selector) -> RecordKind {
        match selector {
            Selector::Key001 => RecordKind::Key001,
            Selector::Key002 => RecordKind::Key002,
        }
    }

    pub fn selector(self) -> Option<Selector> {
        match self {
            RecordKind::Key001 => Some(Selector::Key001),
            RecordKind::Key002 => Some(Selector::Key002),
            _ => None,
        }
    }

    /// The name to publish, relative to the domain ("@" for the domain itself).
    pub fn relative_host(self) -> &'static str {
        match self {
            RecordKind::Spf => "@",
            RecordKind::Key001 => "key001._domainkey",
            RecordKind::Key002 => "key002._domainkey",
            RecordKind::Dmarc => "_dmarc",
            RecordKind::Ownership => "_postkamer",
        }
    }

    /// The fully qualified name of the record for `domain`.
    pub fn host(self, domain: &str) -> String {
        match self {
            RecordKind::Spf => domain.to_owned(),
            other => format!("{}.{domain}", other.relative_host()),
        }
    }

    pub fn label(self, locale: Locale) -> &'static str {
        match (self, locale) {
            (RecordKind::Spf, _) => "SPF",
            (RecordKind::Key001, _) => "DKIM key001",
            (RecordKind::Key002, _) => "DKIM key002",
            (RecordKind::Dmarc, _) => "DMARC",
            (RecordKind::Ownership, Locale::Nl) => "Verificatiecode",
            (RecordKind::Ownership, Locale::En) => "Verification token",
        }
    }
}

/// Traffic-light status of a record (and of a whole domain).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Status {
    /// Green: published and correct.
    Ok,
    /// Orange: works, but should be improved.
    Warning,
    /// Red: missing or wrong; mail is not (fully) authenticated.
    Error,
    /// Grey: could not be checked (DNS unreachable) — says nothing about the record.
    Unknown,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Warning => "warning",
            Status::Error => "error",
            Status::Unknown => "unknown",
        }
    }

    pub fn label(self, locale: Locale) -> &'static str {
        match (locale, self) {
            (Locale::Nl, Status::Ok) => "In orde",
            (Locale::Nl, Status::Warning) => "Aandachtspunt",
            (Locale::Nl, Status::Error) => "Fout ingesteld",
            (Locale::Nl, Status::Unknown) => "Kon niet controleren",
            (Locale::En, Status::Ok) => "Correct",
            (Locale::En, Status::Warning) => "Needs attention",
            (Locale::En, Status::Error) => "Wrong",
            (Locale::En, Status::Unknown) => "Could not check",
        }
    }
}

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

/// One node of the SPF lookup tree: a term that costs a DNS lookup, and what it pulled in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LookupNode {
    /// The term as written (`include:_spf.google.com`, `mx`, `redirect=…`); the root is the domain.
    pub term: String,
    /// DNS lookups this term costs, itself and everything below it.
    pub lookups: u32,
    #[cfg_attr(feature = "openapi", schema(no_recursion))]
    pub children: Vec<LookupNode>,
}

impl LookupNode {
    /// The tree as indented lines, for the CLI and the UI.
    pub fn lines(&self) -> Vec<String> {
        fn walk(node: &LookupNode, depth: usize, out: &mut Vec<String>) {
            out.push(format!(
                "{}{} ({})",
                "  ".repeat(depth),
                node.term,
                node.lookups
            ));
            for child in &node.children {
                walk(child, depth + 1, out);
            }
        }
        let mut out = Vec::new();
        walk(self, 0, &mut out);
        out
    }
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

/// The value of the ownership record for an organisation's token.
pub fn ownership_value(token: &str) -> String {
    format!("{OWNERSHIP_PREFIX}{token}")
}

/// What every ownership record starts with.
pub const OWNERSHIP_PREFIX: &str = "postkamer-verification=";

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
    fn status_is_the_worst_severity_and_unknown_wins() {
        assert_eq!(RecordCheck::status_of(&[]), Status::Ok);
        assert_eq!(
            RecordCheck::status_of(&[Finding::DkimSplitOk { strings: 2 }]),
            Status::Ok
        );
        assert_eq!(
            RecordCheck::status_of(&[Finding::DkimTesting, Finding::DkimSplitOk { strings: 2 }]),
            Status::Warning
        );
        assert_eq!(
            RecordCheck::status_of(&[Finding::DkimTesting, Finding::DkimRevoked]),
            Status::Error
        );
        assert_eq!(
            RecordCheck::status_of(&[
                Finding::DkimRevoked,
                Finding::DnsUnavailable { detail: "x".into() }
            ]),
            Status::Unknown
        );
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
