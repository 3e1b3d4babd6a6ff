//! SPF (RFC 7208): is there exactly one record, does it let our servers send, where does it end,
//! and how many DNS lookups does a receiver need to evaluate it. mail-auth's parser decides what
//! is valid; the terms are kept as written so a finding can name the offending one and a proposal
//! can keep every other term.

use std::collections::HashSet;

use futures::future::BoxFuture;
use mail_auth::common::parse::TxtRecordParser;
use mail_auth::spf::Spf;
use postkamer_domain::sending::{Finding, LookupNode, RecordCheck, RecordKind};

use crate::dns::{Answer, Dns, TxtRecord};
use crate::txt::{display, joined};

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

async fn analyse(
    dns: &Dns,
    domain: &str,
    include: &str,
    records: &[String],
) -> (Vec<Finding>, Option<LookupNode>) {
    match records {
        [] => (
            vec![Finding::SpfMissing {
                proposal: new_record(include),
            }],
            None,
        ),
        [record] => analyse_one(dns, domain, include, record).await,
        several => {
            let terms: Vec<Vec<String>> = several.iter().map(|r| terms(r)).collect();
            (
                vec![Finding::SpfMultiple {
                    count: several.len(),
                    merged: propose(&terms, include),
                }],
                None,
            )
        }
    }
}

async fn analyse_one(
    dns: &Dns,
    domain: &str,
    include: &str,
    record: &str,
) -> (Vec<Finding>, Option<LookupNode>) {
    let terms = terms(record);
    if let Some(term) = invalid_term(record, &terms) {
        return (vec![Finding::SpfSyntax { term }], None);
    }
    let mut findings = Vec::new();
    let parsed: Vec<Term> = terms.iter().map(|t| Term::parse(t)).collect();
    let all = parsed.iter().position(|t| t.name == "all" && !t.modifier);
    let redirect = parsed.iter().find(|t| t.modifier && t.name == "redirect");
    let ours = parsed.iter().position(|t| t.is_include_of(include));

    let mut walk = Walk {
        dns,
        lookups: 0,
        voids: Vec::new(),
        findings: Vec::new(),
        visited: HashSet::from([domain.to_ascii_lowercase()]),
    };
    let children = walk.record(domain.to_owned(), parsed.clone()).await;
    let tree = LookupNode {
        term: domain.to_owned(),
        lookups: walk.lookups,
        children,
    };

    match (ours, all) {
        (Some(at), Some(all_at)) if at > all_at => findings.push(Finding::SpfIncludeAfterAll {
            include: include.to_owned(),
            proposal: propose(std::slice::from_ref(&terms), include),
        }),
        (Some(_), _) => {}
        (None, _) if all.is_none() && redirect.is_some() && tree_includes(&tree, include) => {}
        (None, _) => findings.push(Finding::SpfIncludeMissing {
            include: include.to_owned(),
            proposal: propose(std::slice::from_ref(&terms), include),
        }),
    }
    match all.map(|i| parsed[i].qualifier) {
        Some('+') => findings.push(Finding::SpfPassAll {
            proposal: propose(std::slice::from_ref(&terms), include),
        }),
        Some('?') => findings.push(Finding::SpfNeutralAll {
            proposal: propose(std::slice::from_ref(&terms), include),
        }),
        Some(_) => {}
        None if redirect.is_none() => findings.push(Finding::SpfNoAll {
            proposal: propose(std::slice::from_ref(&terms), include),
        }),
        None => {}
    }
    if let Some(redirect) = redirect {
        let target = redirect.argument.clone().unwrap_or_default();
        findings.push(if all.is_some() {
            Finding::SpfRedirectIgnored { target }
        } else {
            Finding::SpfRedirect { target }
        });
    }
    if parsed.iter().any(|t| t.name == "ptr" && !t.modifier) {
        findings.push(Finding::SpfPtr);
    }
    findings.append(&mut walk.findings);
    if walk.lookups > MAX_LOOKUPS {
        findings.push(Finding::SpfTooManyLookups {
            count: walk.lookups,
        });
    }
    if walk.voids.len() as u32 > MAX_VOID_LOOKUPS {
        findings.push(Finding::SpfTooManyVoidLookups {
            count: walk.voids.len() as u32,
            names: walk.voids,
        });
    }
    let tree = (tree.lookups > 0).then_some(tree);
    (findings, tree)
}

fn tree_includes(node: &LookupNode, include: &str) -> bool {
    node.children.iter().any(|child| {
        child
            .term
            .strip_prefix("include:")
            .or_else(|| child.term.strip_prefix("+include:"))
            .is_some_and(|target| same_name(target, include))
            || tree_includes(child, include)
    })
}

/// The terms after `v=spf1`, as written.
fn terms(record: &str) -> Vec<String> {
    record
        .split_ascii_whitespace()
        .skip(1)
        .map(str::to_owned)
        .collect()
}

/// The first invalid term, or the whole record when only the combination is invalid.
/// mail-auth's parser judges each term; it reads an unknown mechanism (`incldue:…`) as an unknown
/// modifier, which RFC 7208 does not allow (modifiers are `name=value`), so that is checked here.
fn invalid_term(record: &str, terms: &[String]) -> Option<String> {
    let bad = |term: &&String| {
        let parsed = Term::parse(term);
        term.contains(['"', '\''])
            || (!parsed.modifier && !MECHANISMS.contains(&parsed.name.as_str()))
            || !valid_address(&parsed, term)
            || Spf::parse(format!("v=spf1 {term}").as_bytes()).is_err()
    };
    if let Some(term) = terms.iter().find(bad) {
        return Some(term.clone());
    }
    Spf::parse(record.as_bytes())
        .is_err()
        .then(|| record.to_owned())
}

/// `ip4:`/`ip6:` hold an address of their family and a prefix length that fits it.
fn valid_address(term: &Term, text: &str) -> bool {
    let (max, is_family): (u8, fn(&str) -> bool) = match term.name.as_str() {
        "ip4" if !term.modifier => (32, |a| a.parse::<std::net::Ipv4Addr>().is_ok()),
        "ip6" if !term.modifier => (128, |a| a.parse::<std::net::Ipv6Addr>().is_ok()),
        _ => return true,
    };
    let Some((_, value)) = text.split_once(':') else {
        return false;
    };
    let (address, prefix) = match value.split_once('/') {
        Some((address, prefix)) => (address, Some(prefix)),
        None => (value, None),
    };
    is_family(address) && prefix.is_none_or(|p| p.parse::<u8>().is_ok_and(|p| p <= max))
}

const MECHANISMS: [&str; 8] = ["all", "include", "a", "mx", "ptr", "ip4", "ip6", "exists"];

/// One term, split into what the analysis needs.
#[derive(Debug, Clone)]
struct Term {
    text: String,
    qualifier: char,
    /// Lowercase mechanism or modifier name.
    name: String,
    argument: Option<String>,
    modifier: bool,
}

impl Term {
    fn parse(text: &str) -> Term {
        let (qualifier, rest) = match text.chars().next() {
            Some(q @ ('+' | '-' | '~' | '?')) => (q, &text[1..]),
            _ => ('+', text),
        };
        let name_end = rest.find([':', '=', '/']).unwrap_or(rest.len());
        let name = rest[..name_end].to_ascii_lowercase();
        let modifier = rest[name_end..].starts_with('=');
        let argument = match rest[name_end..].chars().next() {
            Some(':' | '=') => {
                let arg = &rest[name_end + 1..];
                // `a:host/24`: the CIDR length is not part of the name.
                let arg = if modifier {
                    arg
                } else {
                    arg.split('/').next().unwrap_or(arg)
                };
                Some(arg.to_owned())
            }
            _ => None,
        };
        Term {
            text: text.to_owned(),
            qualifier,
            name,
            argument,
            modifier,
        }
    }

    fn is_include_of(&self, host: &str) -> bool {
        !self.modifier
            && self.name == "include"
            && self
                .argument
                .as_deref()
                .is_some_and(|arg| same_name(arg, host))
    }
}

fn same_name(a: &str, b: &str) -> bool {
    a.trim_end_matches('.')
        .eq_ignore_ascii_case(b.trim_end_matches('.'))
}

/// The record for a domain without one: ours, and nothing else allowed.
pub fn new_record(include: &str) -> String {
    format!("v=spf1 include:{include} -all")
}

/// One record from the terms of one or more records: every mechanism kept once, in order, our
/// include added before the closing `all`, terms written after `all` (never reached) moved
/// before it, `+all`/`?all` tightened to `~all`, a missing `all` added as `~all` unless a
/// redirect decides, a redirect next to `all` (ignored anyway) dropped.
fn propose(records: &[Vec<String>], include: &str) -> String {
    let mut mechanisms: Vec<String> = Vec::new();
    let mut modifiers: Vec<String> = Vec::new();
    let mut all: Option<char> = None;
    let mut seen = HashSet::new();
    for terms in records {
        for text in terms {
            let term = Term::parse(text);
            if term.modifier {
                if !modifiers.iter().any(|m| Term::parse(m).name == term.name) {
                    modifiers.push(text.clone());
                }
            } else if term.name == "all" {
                all.get_or_insert(term.qualifier);
            } else if !term.is_include_of(include) && seen.insert(text.to_ascii_lowercase()) {
                mechanisms.push(text.clone());
            }
        }
    }
    mechanisms.push(format!("include:{include}"));
    let has_redirect = modifiers.iter().any(|m| Term::parse(m).name == "redirect");
    let all = match all {
        Some('-') => Some("-all"),
        Some(_) => Some("~all"),
        None if has_redirect => None,
        None if records.len() == 1 => Some("~all"),
        None => Some("-all"),
    };
    if all.is_some() {
        modifiers.retain(|m| Term::parse(m).name != "redirect");
    }
    let mut out = String::from("v=spf1");
    for term in mechanisms
        .iter()
        .map(String::as_str)
        .chain(all)
        .chain(modifiers.iter().map(String::as_str))
    {
        out.push(' ');
        out.push_str(term);
    }
    out
}

/// Follows a record's lookups as a receiver would, counting them.
struct Walk<'a> {
    dns: &'a Dns,
    lookups: u32,
    voids: Vec<String>,
    findings: Vec<Finding>,
    visited: HashSet<String>,
}

impl<'a> Walk<'a> {
    fn record(&mut self, domain: String, terms: Vec<Term>) -> BoxFuture<'_, Vec<LookupNode>> {
        Box::pin(async move {
            let mut nodes = Vec::new();
            for term in terms {
                if self.lookups >= FOLLOW_LIMIT {
                    break;
                }
                let counts = matches!(
                    (term.modifier, term.name.as_str()),
                    (false, "include" | "a" | "mx" | "ptr" | "exists") | (true, "redirect")
                );
                if !counts {
                    continue;
                }
                self.lookups += 1;
                let before = self.lookups;
                let target = term.argument.clone().unwrap_or_else(|| domain.clone());
                let mut node = LookupNode {
                    term: term.text.clone(),
                    lookups: 1,
                    children: Vec::new(),
                };
                if target.contains('%') {
                    self.findings.push(Finding::SpfMacro {
                        term: term.text.clone(),
                    });
                } else {
                    match term.name.as_str() {
                        "include" | "redirect" => node.children = self.follow(target).await,
                        "a" => self.count_void(&target, self.dns.has_address(&target).await),
                        "exists" => self.count_void(&target, self.dns.has_address(&target).await),
                        "mx" => {
                            let found = self.dns.mx(&target).await.map(|a| a.found().is_some());
                            self.count_void(&target, found);
                        }
                        _ => {}
                    }
                }
                node.lookups += self.lookups - before;
                nodes.push(node);
            }
            nodes
        })
    }

    fn count_void(&mut self, name: &str, found: Result<bool, crate::dns::Unavailable>) {
        match found {
            Ok(true) => {}
            Ok(false) => self.voids.push(name.to_owned()),
            Err(e) => self.unavailable(e),
        }
    }

    fn unavailable(&mut self, e: crate::dns::Unavailable) {
        if !self
            .findings
            .iter()
            .any(|f| matches!(f, Finding::DnsUnavailable { .. }))
        {
            self.findings.push(Finding::DnsUnavailable { detail: e.0 });
        }
    }

    async fn follow(&mut self, target: String) -> Vec<LookupNode> {
        let key = target.trim_end_matches('.').to_ascii_lowercase();
        if !self.visited.insert(key) {
            self.findings.push(Finding::SpfLoop { target });
            return Vec::new();
        }
        let records = match self.dns.txt(&target).await {
            Ok(Answer::Found(records)) => records,
            Ok(_) => Vec::new(),
            Err(e) => {
                self.unavailable(e);
                return Vec::new();
            }
        };
        let spf: Vec<String> = records.iter().filter_map(spf_text).collect();
        match spf.as_slice() {
            [record] => {
                let terms = terms(record);
                if let Some(term) = invalid_term(record, &terms) {
                    self.findings.push(Finding::SpfSyntax {
                        term: format!("{target}: {term}"),
                    });
                    return Vec::new();
                }
                let parsed = terms.iter().map(|t| Term::parse(t)).collect();
                self.record(target, parsed).await
            }
            [] => {
                self.voids.push(target.clone());
                self.findings.push(Finding::SpfTargetMissing { target });
                Vec::new()
            }
            _ => {
                self.findings.push(Finding::SpfSyntax {
                    term: format!("{target}: {} SPF-records", spf.len()),
                });
                Vec::new()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        /// Arbitrary text never panics the term parser, the validity check or the proposal; and
        /// the proposal for a valid record is valid, holds our include once, before `all`.
        #[test]
        fn arbitrary_records_never_panic_and_valid_ones_get_valid_proposals(
            body in "((\\+|-|~|\\?)?(all|include:[a-z]{1,8}\\.test|a|mx|ptr|ip4:192\\.0\\.2\\.[0-9]{1,3}(/[0-9]{1,2})?|ip6:[0-9a-f:]{2,20}|exists:%\\{i\\}\\.x\\.test|redirect=[a-z]{1,8}\\.test|exp=[a-z]{1,5}|[^ ]{0,12})( |\t)){0,12}",
            bytes in proptest::collection::vec(any::<u8>(), 0..300),
        ) {
            let noise = String::from_utf8_lossy(&bytes).into_owned();
            for record in [format!("v=spf1 {body}"), format!("v=spf1 {noise}"), noise.clone()] {
                let terms = terms(&record);
                let invalid = invalid_term(&record, &terms);
                let proposal = propose(std::slice::from_ref(&terms), "spf.pk.test");
                if invalid.is_none() {
                    let proposed = super::terms(&proposal);
                    prop_assert_eq!(invalid_term(&proposal, &proposed), None, "{} -> {}", record, proposal);
                    let parsed: Vec<Term> = proposed.iter().map(|t| Term::parse(t)).collect();
                    let ours: Vec<usize> = parsed.iter().enumerate().filter(|(_, t)| t.is_include_of("spf.pk.test")).map(|(i, _)| i).collect();
                    prop_assert_eq!(ours.len(), 1);
                    if let Some(all) = parsed.iter().position(|t| t.name == "all" && !t.modifier) {
                        prop_assert!(ours[0] < all);
                        prop_assert!(matches!(parsed[all].qualifier, '-' | '~'));
                    }
                }
            }
        }
    }

    fn t(s: &str) -> Vec<String> {
        terms(s)
    }

    #[test]
    fn proposals_keep_every_other_term_and_put_ours_before_all() {
        assert_eq!(
            propose(&[t("v=spf1 mx ip4:192.0.2.0/24 -all")], "spf.pk.test"),
            "v=spf1 mx ip4:192.0.2.0/24 include:spf.pk.test -all"
        );
        assert_eq!(
            propose(&[t("v=spf1 -all include:spf.pk.test")], "spf.pk.test"),
            "v=spf1 include:spf.pk.test -all"
        );
        assert_eq!(
            propose(&[t("v=spf1 a +all exp=explain.pk.test")], "spf.pk.test"),
            "v=spf1 a include:spf.pk.test ~all exp=explain.pk.test"
        );
        assert_eq!(
            propose(&[t("v=spf1 mx redirect=other.pk.test")], "spf.pk.test"),
            "v=spf1 mx include:spf.pk.test redirect=other.pk.test"
        );
        assert_eq!(
            propose(
                &[
                    t("v=spf1 ip4:192.0.2.1 -all"),
                    t("v=spf1 include:spf.pk.test ip4:192.0.2.1 ~all")
                ],
                "spf.pk.test"
            ),
            "v=spf1 ip4:192.0.2.1 include:spf.pk.test -all"
        );
    }

    #[test]
    fn the_offending_term_is_named() {
        let record = "v=spf1 mx incldue:spf.pk.test -all";
        assert_eq!(
            invalid_term(record, &terms(record)).as_deref(),
            Some("incldue:spf.pk.test")
        );
        let record = "v=spf1 mx ip4:192.0.2.300 -all";
        assert_eq!(
            invalid_term(record, &terms(record)).as_deref(),
            Some("ip4:192.0.2.300")
        );
        let record = "v=spf1 mx -all";
        assert_eq!(invalid_term(record, &terms(record)), None);
    }

    #[test]
    fn terms_are_split_into_name_argument_and_qualifier() {
        let term = Term::parse("~a:mail.pk.test/24");
        assert_eq!(
            (term.qualifier, term.name.as_str(), term.argument.as_deref()),
            ('~', "a", Some("mail.pk.test"))
        );
        let term = Term::parse("redirect=_spf.pk.test");
        assert!(term.modifier);
        assert!(Term::parse("INCLUDE:SPF.PK.TEST.").is_include_of("spf.pk.test"));
    }
}
