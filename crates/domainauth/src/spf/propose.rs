//! SPF records to publish: a new one, or one record made from what the domain has, with our
//! include added.

use std::collections::HashSet;

use super::parse::Term;

/// The record for a domain without one: ours, and nothing else allowed.
pub fn new_record(include: &str) -> String {
    format!("v=spf1 include:{include} -all")
}

/// One record from the terms of one or more records: every mechanism kept once, in order, our
/// include added before the closing `all`, terms written after `all` (never reached) moved
/// before it, `+all`/`?all` tightened to `~all`, a missing `all` added as `~all` unless a
/// redirect decides, a redirect next to `all` (ignored anyway) dropped.
pub(super) fn propose(records: &[Vec<String>], include: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spf::parse::{self, invalid_term, terms};
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
                    let proposed = parse::terms(&proposal);
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
}
