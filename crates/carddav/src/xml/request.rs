//! The requests read from a body's element tree: which properties a PROPFIND or REPORT asks
//! for, and the REPORTs this server answers (multiget, addressbook-query, sync-collection).

use super::{CARDDAV, DAV, Element, Name, XmlError, parse};

/// Which properties a PROPFIND or REPORT asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PropRequest {
    /// `<allprop/>`, or an empty PROPFIND body.
    All,
    /// `<propname/>`: the names only.
    Names,
    Props(Vec<Name>),
}

impl PropRequest {
    fn from_parent(parent: &Element) -> PropRequest {
        if parent.child(DAV, "allprop").is_some() {
            return PropRequest::All;
        }
        if parent.child(DAV, "propname").is_some() {
            return PropRequest::Names;
        }
        match parent.child(DAV, "prop") {
            Some(prop) => {
                PropRequest::Props(prop.children.iter().map(|c| c.name.clone()).collect())
            }
            None => PropRequest::All,
        }
    }

    /// The `address-data` element asked for, with its content type, if any.
    pub fn wants(&self, ns: &str, local: &str) -> bool {
        match self {
            PropRequest::Props(names) => names.iter().any(|n| n.is(ns, local)),
            _ => false,
        }
    }
}

/// A PROPFIND body.
pub fn propfind(body: &[u8]) -> Result<PropRequest, XmlError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(PropRequest::All);
    }
    let root = parse(body)?;
    if !root.name.is(DAV, "propfind") {
        return Err(XmlError::Unexpected(format!(
            "{}:{}",
            root.name.ns, root.name.local
        )));
    }
    Ok(PropRequest::from_parent(&root))
}

/// How an `addressbook-query` matches text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextMatch {
    pub text: String,
    /// `equals`, `contains` (default), `starts-with`, `ends-with`.
    pub match_type: String,
    /// `i;octet` compares exactly; the others ignore case.
    pub case_sensitive: bool,
    pub negate: bool,
}

impl TextMatch {
    pub fn matches(&self, value: &str) -> bool {
        let (value, text) = if self.case_sensitive {
            (value.to_owned(), self.text.clone())
        } else {
            (value.to_lowercase(), self.text.to_lowercase())
        };
        let hit = match self.match_type.as_str() {
            "equals" => value == text,
            "starts-with" => value.starts_with(&text),
            "ends-with" => value.ends_with(&text),
            _ => value.contains(&text),
        };
        hit != self.negate
    }
}

/// One `prop-filter`: a vCard property and how it must match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PropFilter {
    /// Upper-case vCard property name (`FN`, `EMAIL`, `TEL`, …).
    pub name: String,
    pub all_of: bool,
    pub is_not_defined: bool,
    pub text_matches: Vec<TextMatch>,
}

/// A REPORT body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Report {
    Multiget {
        props: PropRequest,
        hrefs: Vec<String>,
    },
    Query {
        props: PropRequest,
        all_of: bool,
        filters: Vec<PropFilter>,
        limit: Option<usize>,
    },
    SyncCollection {
        props: PropRequest,
        token: String,
        limit: Option<usize>,
    },
}

/// A REPORT body; `Err(Unexpected)` for a report this server does not support.
pub fn report(body: &[u8]) -> Result<Report, XmlError> {
    report_with_version(body).map(|(report, _)| report)
}

/// A REPORT body and the `version` asked for in its `<card:address-data>`, if any, from one
/// parse.
pub fn report_with_version(body: &[u8]) -> Result<(Report, Option<String>), XmlError> {
    let root = parse(body)?;
    let version = root
        .child(DAV, "prop")
        .and_then(|prop| prop.child(CARDDAV, "address-data"))
        .and_then(|data| data.attribute("version"))
        .map(str::to_owned);
    report_of(&root).map(|report| (report, version))
}

fn report_of(root: &Element) -> Result<Report, XmlError> {
    let props = PropRequest::from_parent(root);
    let limit = |root: &Element, ns: &str| {
        root.child(ns, "limit")
            .and_then(|l| l.child(ns, "nresults"))
            .and_then(|n| n.text.trim().parse().ok())
    };
    if root.name.is(CARDDAV, "addressbook-multiget") {
        let hrefs = root
            .children_named(DAV, "href")
            .map(|h| h.text.trim().to_owned())
            .collect();
        return Ok(Report::Multiget { props, hrefs });
    }
    if root.name.is(CARDDAV, "addressbook-query") {
        let filter = root.child(CARDDAV, "filter");
        let all_of = filter.and_then(|f| f.attribute("test")) == Some("allof");
        let filters = filter
            .map(|f| {
                f.children_named(CARDDAV, "prop-filter")
                    .map(|p| PropFilter {
                        name: p.attribute("name").unwrap_or_default().to_ascii_uppercase(),
                        all_of: p.attribute("test") == Some("allof"),
                        is_not_defined: p.child(CARDDAV, "is-not-defined").is_some(),
                        text_matches: p
                            .children_named(CARDDAV, "text-match")
                            .map(|t| TextMatch {
                                text: t.text.clone(),
                                match_type: t
                                    .attribute("match-type")
                                    .unwrap_or("contains")
                                    .to_owned(),
                                case_sensitive: t.attribute("collation") == Some("i;octet"),
                                negate: t.attribute("negate-condition") == Some("yes"),
                            })
                            .collect(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        return Ok(Report::Query {
            props,
            all_of,
            filters,
            limit: limit(root, CARDDAV),
        });
    }
    if root.name.is(DAV, "sync-collection") {
        let token = root
            .child(DAV, "sync-token")
            .map(|t| t.text.trim().to_owned())
            .unwrap_or_default();
        return Ok(Report::SyncCollection {
            props,
            token,
            limit: limit(root, DAV),
        });
    }
    Err(XmlError::Unexpected(format!(
        "{}:{}",
        root.name.ns, root.name.local
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml::CALENDARSERVER;

    #[test]
    fn a_propfind_with_prefixed_and_default_namespaces() {
        let body = br#"<?xml version="1.0" encoding="UTF-8"?>
<A:propfind xmlns:A="DAV:"><A:prop><A:current-user-principal/><B:addressbook-home-set xmlns:B="urn:ietf:params:xml:ns:carddav"/><getctag xmlns="http://calendarserver.org/ns/"/></A:prop></A:propfind>"#;
        assert_eq!(
            propfind(body).unwrap(),
            PropRequest::Props(vec![
                Name::new(DAV, "current-user-principal"),
                Name::new(CARDDAV, "addressbook-home-set"),
                Name::new(CALENDARSERVER, "getctag"),
            ])
        );
        assert_eq!(propfind(b"").unwrap(), PropRequest::All);
        assert_eq!(
            propfind(br#"<propfind xmlns="DAV:"><allprop/></propfind>"#).unwrap(),
            PropRequest::All
        );
    }

    #[test]
    fn reports_are_read() {
        let multiget = br#"<card:addressbook-multiget xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav"><d:prop><d:getetag/><card:address-data/></d:prop><d:href>/dav/a/b/1.vcf</d:href><d:href>/dav/a/b/2%20x.vcf</d:href></card:addressbook-multiget>"#;
        let Report::Multiget { hrefs, props } = report(multiget).unwrap() else {
            panic!()
        };
        assert_eq!(hrefs, vec!["/dav/a/b/1.vcf", "/dav/a/b/2%20x.vcf"]);
        assert!(props.wants(CARDDAV, "address-data"));
        let sync = br#"<sync-collection xmlns="DAV:"><sync-token>urn:postkamer:sync:7</sync-token><sync-level>1</sync-level><prop><getetag/></prop></sync-collection>"#;
        assert!(
            matches!(report(sync).unwrap(), Report::SyncCollection { token, .. } if token == "urn:postkamer:sync:7")
        );
        let query = br#"<C:addressbook-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><D:prop><D:getetag/></D:prop><C:filter test="anyof"><C:prop-filter name="FN"><C:text-match collation="i;unicode-casemap" match-type="contains">berg &amp; zn</C:text-match></C:prop-filter></C:filter><C:limit><C:nresults>5</C:nresults></C:limit></C:addressbook-query>"#;
        let Report::Query { filters, limit, .. } = report(query).unwrap() else {
            panic!()
        };
        assert_eq!(limit, Some(5));
        assert_eq!(filters[0].name, "FN");
        assert_eq!(filters[0].text_matches[0].text, "berg & zn");
        assert!(filters[0].text_matches[0].matches("Van den Berg & Zn"));
    }
}
