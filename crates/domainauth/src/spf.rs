//! SPF (RFC 7208): is there exactly one record, does it let our servers send, where does it end,
//! and how many DNS lookups does a receiver need to evaluate it. mail-auth's parser decides what
//! is valid; the terms are kept as written so a finding can name the offending one and a proposal
//! can keep every other term.

use postkamer_domain::sending::{Finding, RecordCheck, RecordKind};

use crate::dns::{Dns, TxtRecord};
use crate::txt::{display, joined};

mod analyse;
mod lookups;
mod parse;
mod propose;

use analyse::analyse;
pub use propose::new_record;

/// Receivers stop after this many DNS-querying terms (RFC 7208 4.6.4).
pub const MAX_LOOKUPS: u32 = 10;
/// …and after this many lookups that return nothing.
pub const MAX_VOID_LOOKUPS: u32 = 2;
/// We stop following a (hostile or broken) tree after this many lookups.
const FOLLOW_LIMIT: u32 = 40;

/// Checks the SPF record of `domain` for our `include` host.
pub async fn check(dns: &Dns, domain: &str, include: &str) -> RecordCheck {
    let (found, findings, lookup_tree) = match dns.txt(domain).await {
        Err(e) => (
            Vec::new(),
            vec![Finding::DnsUnavailable { detail: e.0 }],
            None,
        ),
        Ok(answer) => {
            let records = answer.found().unwrap_or_default();
            let spf: Vec<String> = records.iter().filter_map(spf_text).collect();
            let found = records
                .iter()
                .filter(|r| spf_text(r).is_some())
                .map(display)
                .collect();
            let (findings, tree) = analyse(dns, domain, include, &spf).await;
            (found, findings, tree)
        }
    };
    RecordCheck {
        kind: RecordKind::Spf,
        host: domain.to_owned(),
        found,
        status: RecordCheck::status_of(&findings),
        findings,
        lookup_tree,
    }
}

/// The record text if this TXT record is an SPF record (`v=spf1` followed by a space or nothing).
fn spf_text(record: &TxtRecord) -> Option<String> {
    let text = joined(record);
    let lower = text.to_ascii_lowercase();
    let rest = lower.strip_prefix("v=spf1")?;
    (rest.is_empty() || rest.starts_with(' ')).then_some(text)
}
