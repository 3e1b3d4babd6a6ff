//! The organisation's verification token at `_postkamer.<domain>`. The DKIM keys are the
//! installation's (every customer publishes the same `key001`/`key002`), so they prove that a
//! domain sends through this installation, not for which organisation; this record does. Other
//! TXT records at the name (another organisation's token during a move, a provider's note) are
//! allowed: what counts is that this organisation's token is among them.

use postkamer_domain::sending::{
    Finding, OWNERSHIP_PREFIX, RecordCheck, RecordKind, ownership_value,
};

use crate::dns::Dns;
use crate::txt::{display, joined};

/// Checks `_postkamer.<domain>` for `token`.
pub async fn check(dns: &Dns, domain: &str, token: &str) -> RecordCheck {
    let host = RecordKind::Ownership.host(domain);
    let (found, findings) = match dns.txt(&host).await {
        Err(e) => (Vec::new(), vec![Finding::DnsUnavailable { detail: e.0 }]),
        Ok(answer) => {
            let records = answer.found().unwrap_or_default();
            let texts: Vec<String> = records.iter().map(joined).collect();
            (
                records.iter().map(display).collect(),
                diagnose(&texts, token),
            )
        }
    };
    RecordCheck {
        kind: RecordKind::Ownership,
        host,
        found,
        status: RecordCheck::status_of(&findings),
        findings,
        lookup_tree: None,
    }
}

/// The findings for the TXT records at `_postkamer.<domain>`, for the organisation's `token`.
/// The value is compared after trimming (some DNS panels add a space) and case-insensitively in
/// its prefix; the token itself exactly.
pub fn diagnose(records: &[String], token: &str) -> Vec<Finding> {
    let expected = ownership_value(token);
    let tokens: Vec<&str> = records
        .iter()
        .map(|r| r.trim())
        .filter(|r| {
            r.get(..OWNERSHIP_PREFIX.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(OWNERSHIP_PREFIX))
        })
        .collect();
    let ours = tokens
        .iter()
        .any(|t| t[OWNERSHIP_PREFIX.len()..].trim() == token);
    match (ours, tokens.len()) {
        (true, _) => Vec::new(),
        (false, 0) => vec![Finding::OwnershipMissing { proposal: expected }],
        (false, found) => vec![Finding::OwnershipOther {
            found,
            proposal: expected,
        }],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "3f9a0c1d2e4b5a6978877665544332211";

    fn records(values: &[&str]) -> Vec<String> {
        values.iter().map(|v| (*v).to_owned()).collect()
    }

    #[test]
    fn our_token_among_others_verifies() {
        let ours = ownership_value(TOKEN);
        assert!(diagnose(&records(&[&ours]), TOKEN).is_empty());
        assert!(diagnose(&records(&[&format!(" {ours} ")]), TOKEN).is_empty());
        assert!(
            diagnose(
                &records(&["postkamer-verification=other", "v=spf1 -all", &ours]),
                TOKEN
            )
            .is_empty()
        );
        assert!(
            diagnose(
                &records(&[&format!("Postkamer-Verification={TOKEN}")]),
                TOKEN
            )
            .is_empty()
        );
    }

    #[test]
    fn a_missing_or_foreign_token_says_which_and_proposes_ours() {
        let proposal = ownership_value(TOKEN);
        assert_eq!(
            diagnose(&[], TOKEN),
            vec![Finding::OwnershipMissing {
                proposal: proposal.clone()
            }]
        );
        assert_eq!(
            diagnose(&records(&["google-site-verification=abc"]), TOKEN),
            vec![Finding::OwnershipMissing {
                proposal: proposal.clone()
            }]
        );
        assert_eq!(
            diagnose(
                &records(&["postkamer-verification=abc", "postkamer-verification="]),
                TOKEN
            ),
            vec![Finding::OwnershipOther {
                found: 2,
                proposal: proposal.clone()
            }]
        );
        // A token that merely starts with ours is another token.
        assert_eq!(
            diagnose(&records(&[&format!("{proposal}0")]), TOKEN),
            vec![Finding::OwnershipOther { found: 1, proposal }]
        );
    }
}
