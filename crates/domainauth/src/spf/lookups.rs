//! Following an SPF record's lookups as a receiver would: the lookup tree, the count of
//! lookups and of void lookups, and the findings on the way (loops, missing targets, macros).

use std::collections::HashSet;

use futures::future::BoxFuture;
use postkamer_domain::sending::{Finding, LookupNode};

use super::parse::{Term, invalid_term, terms};
use super::{FOLLOW_LIMIT, spf_text};
use crate::dns::{Answer, Dns};

/// Follows a record's lookups as a receiver would, counting them.
pub(super) struct Walk<'a> {
    pub(super) dns: &'a Dns,
    pub(super) lookups: u32,
    pub(super) voids: Vec<String>,
    pub(super) findings: Vec<Finding>,
    pub(super) visited: HashSet<String>,
}

impl<'a> Walk<'a> {
    pub(super) fn record(
        &mut self,
        domain: String,
        terms: Vec<Term>,
    ) -> BoxFuture<'_, Vec<LookupNode>> {
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
