//! SPF terms as written: split into the record's terms, each read into qualifier, name and
//! argument, and the first invalid one found.

use mail_auth::common::parse::TxtRecordParser;
use mail_auth::spf::Spf;

/// The terms after `v=spf1`, as written.
pub(super) fn terms(record: &str) -> Vec<String> {
    record
        .split_ascii_whitespace()
        .skip(1)
        .map(str::to_owned)
        .collect()
}

/// The first invalid term, or the whole record when only the combination is invalid.
/// mail-auth's parser judges each term; it reads an unknown mechanism (`incldue:…`) as an unknown
/// modifier, which RFC 7208 does not allow (modifiers are `name=value`), so that is checked here.
pub(super) fn invalid_term(record: &str, terms: &[String]) -> Option<String> {
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
pub(super) struct Term {
    pub(super) text: String,
    pub(super) qualifier: char,
    /// Lowercase mechanism or modifier name.
    pub(super) name: String,
    pub(super) argument: Option<String>,
    pub(super) modifier: bool,
}

impl Term {
    pub(super) fn parse(text: &str) -> Term {
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

    pub(super) fn is_include_of(&self, host: &str) -> bool {
        !self.modifier
            && self.name == "include"
            && self
                .argument
                .as_deref()
                .is_some_and(|arg| same_name(arg, host))
    }
}

pub(super) fn same_name(a: &str, b: &str) -> bool {
    a.trim_end_matches('.')
        .eq_ignore_ascii_case(b.trim_end_matches('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

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
