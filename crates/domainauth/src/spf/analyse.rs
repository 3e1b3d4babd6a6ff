//! The findings on a domain's SPF record: none, several, or one — whether it lets our servers
//! send, where and how it ends, and what its lookups cost.

use std::collections::HashSet;

use postkamer_domain::sending::{Finding, LookupNode};

use super::lookups::Walk;
use super::parse::{Term, invalid_term, same_name, terms};
use super::propose::{new_record, propose};
use super::{MAX_LOOKUPS, MAX_VOID_LOOKUPS};
use crate::dns::Dns;

pub(super) async fn analyse(
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
