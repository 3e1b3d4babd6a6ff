//! WebDAV/CardDAV XML: request bodies read into a small element tree (quick-xml, namespaces
//! resolved; no DTDs, so no entity expansion — an XML bomb is refused, not expanded; depth and
//! size limited), the requests interpreted from it, and multistatus responses written.

use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;

pub const DAV: &str = "DAV:";
pub const CARDDAV: &str = "urn:ietf:params:xml:ns:carddav";
pub const CALENDARSERVER: &str = "http://calendarserver.org/ns/";

const MAX_DEPTH: usize = 32;
const MAX_ELEMENTS: usize = 20_000;

/// Why a request body was refused (answered 400).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum XmlError {
    #[error("malformed XML: {0}")]
    Malformed(String),
    #[error("DTDs and entity declarations are not accepted")]
    Doctype,
    #[error("XML nested deeper than {MAX_DEPTH} levels")]
    TooDeep,
    #[error("more than {MAX_ELEMENTS} XML elements")]
    TooMany,
    #[error("unexpected request body: {0}")]
    Unexpected(String),
}

/// A property (or element) name: namespace and local name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Name {
    pub ns: String,
    pub local: String,
}

impl Name {
    pub fn new(ns: &str, local: &str) -> Name {
        Name {
            ns: ns.to_owned(),
            local: local.to_owned(),
        }
    }

    pub fn is(&self, ns: &str, local: &str) -> bool {
        self.ns == ns && self.local == local
    }
}

/// An element of a request body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    pub name: Name,
    pub attributes: Vec<(String, String)>,
    pub children: Vec<Element>,
    pub text: String,
}

impl Element {
    pub fn child(&self, ns: &str, local: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name.is(ns, local))
    }

    pub fn children_named<'a>(
        &'a self,
        ns: &'a str,
        local: &'a str,
    ) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name.is(ns, local))
    }

    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Reads a request body into its root element.
pub fn parse(body: &[u8]) -> Result<Element, XmlError> {
    let text = std::str::from_utf8(body).map_err(|_| XmlError::Malformed("not UTF-8".into()))?;
    let mut reader = NsReader::from_str(text);
    let mut stack: Vec<Element> = Vec::new();
    let mut count = 0usize;
    let malformed = |e: &dyn std::fmt::Display| XmlError::Malformed(e.to_string());
    loop {
        let (ns, event) = reader.read_resolved_event().map_err(|e| malformed(&e))?;
        let namespace = match ns {
            ResolveResult::Bound(ns) => String::from_utf8_lossy(ns.as_ref()).into_owned(),
            ResolveResult::Unbound => String::new(),
            ResolveResult::Unknown(prefix) => {
                return Err(XmlError::Malformed(format!(
                    "unknown namespace prefix {}",
                    String::from_utf8_lossy(&prefix)
                )));
            }
        };
        match event {
            Event::Start(start) | Event::Empty(start) if stack.len() >= MAX_DEPTH => {
                let _ = start;
                return Err(XmlError::TooDeep);
            }
            Event::Start(ref start) | Event::Empty(ref start) => {
                count += 1;
                if count > MAX_ELEMENTS {
                    return Err(XmlError::TooMany);
                }
                let local = String::from_utf8_lossy(start.local_name().as_ref()).into_owned();
                let mut attributes = Vec::new();
                for attribute in start.attributes() {
                    let attribute = attribute.map_err(|e| malformed(&e))?;
                    let key =
                        String::from_utf8_lossy(attribute.key.local_name().as_ref()).into_owned();
                    let value = attribute
                        .decode_and_unescape_value(reader.decoder())
                        .map_err(|e| malformed(&e))?
                        .into_owned();
                    attributes.push((key, value));
                }
                let element = Element {
                    name: Name {
                        ns: namespace,
                        local,
                    },
                    attributes,
                    children: Vec::new(),
                    text: String::new(),
                };
                if matches!(event, Event::Empty(_)) {
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(element),
                        None => return Ok(element),
                    }
                } else {
                    stack.push(element);
                }
            }
            Event::End(_) => {
                let element = stack
                    .pop()
                    .ok_or_else(|| XmlError::Malformed("unbalanced end tag".into()))?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None => return Ok(element),
                }
            }
            Event::Text(t) => {
                if let Some(current) = stack.last_mut() {
                    current
                        .text
                        .push_str(&t.decode().map_err(|e| malformed(&e))?);
                }
            }
            Event::CData(t) => {
                if let Some(current) = stack.last_mut() {
                    current
                        .text
                        .push_str(&t.decode().map_err(|e| malformed(&e))?);
                }
            }
            Event::GeneralRef(reference) => {
                let resolved = match reference.resolve_char_ref().map_err(|e| malformed(&e))? {
                    Some(c) => c.to_string(),
                    None => {
                        let name = reference.decode().map_err(|e| malformed(&e))?;
                        quick_xml::escape::resolve_predefined_entity(&name)
                            .ok_or_else(|| XmlError::Malformed(format!("unknown entity &{name};")))?
                            .to_owned()
                    }
                };
                if let Some(current) = stack.last_mut() {
                    current.text.push_str(&resolved);
                }
            }
            Event::DocType(_) => return Err(XmlError::Doctype),
            Event::Eof => {
                return Err(XmlError::Malformed(if stack.is_empty() {
                    "empty body".into()
                } else {
                    "unexpected end".into()
                }));
            }
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
        }
    }
}

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

// ------------------------------------------------------------------ writing

/// Escapes text for element content and attribute values.
pub fn escape(text: &str) -> std::borrow::Cow<'_, str> {
    quick_xml::escape::escape(text)
}

/// The prefix this server writes a namespace with; `None` for namespaces declared per element.
fn prefix(ns: &str) -> Option<&'static str> {
    match ns {
        DAV => Some("d"),
        CARDDAV => Some("card"),
        CALENDARSERVER => Some("cs"),
        _ => None,
    }
}

/// Writes `<name>` (opening tag), declaring unknown namespaces on the element itself.
pub fn open(out: &mut String, name: &Name) {
    match prefix(&name.ns) {
        Some(p) => {
            out.push('<');
            out.push_str(p);
            out.push(':');
            out.push_str(&name.local);
            out.push('>');
        }
        None => {
            out.push_str("<x:");
            out.push_str(&name.local);
            out.push_str(" xmlns:x=\"");
            out.push_str(&escape(&name.ns));
            out.push_str("\">");
        }
    }
}

pub fn close(out: &mut String, name: &Name) {
    out.push_str("</");
    out.push_str(prefix(&name.ns).unwrap_or("x"));
    out.push(':');
    out.push_str(&name.local);
    out.push('>');
}

/// Writes `<name/>`.
pub fn empty(out: &mut String, name: &Name) {
    open(out, name);
    out.truncate(out.len() - 1);
    out.push_str("/>");
}

/// The start of a multistatus document.
pub fn multistatus_start() -> String {
    String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<d:multistatus xmlns:d=\"DAV:\" \
         xmlns:card=\"urn:ietf:params:xml:ns:carddav\" xmlns:cs=\"http://calendarserver.org/ns/\">",
    )
}

pub fn multistatus_end(out: &mut String) {
    out.push_str("</d:multistatus>\n");
}

/// A `<d:error>` body with one precondition element (`valid-sync-token`, …).
pub fn error_body(ns: &str, precondition: &str) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<d:error xmlns:d=\"DAV:\" \
         xmlns:card=\"urn:ietf:params:xml:ns:carddav\">",
    );
    empty(&mut out, &Name::new(ns, precondition));
    out.push_str("</d:error>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn hostile_xml_is_refused() {
        let bomb = br#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><propfind xmlns="DAV:"><prop>&lol2;</prop></propfind>"#;
        assert_eq!(propfind(bomb), Err(XmlError::Doctype));
        let undeclared = br#"<propfind xmlns="DAV:"><prop>&lol;</prop></propfind>"#;
        assert!(matches!(propfind(undeclared), Err(XmlError::Malformed(_))));
        let deep = format!("{}{}", "<a>".repeat(100), "</a>".repeat(100));
        assert_eq!(parse(deep.as_bytes()), Err(XmlError::TooDeep));
        assert!(matches!(
            propfind(b"<propfind xmlns=\"DAV:\"><prop>"),
            Err(XmlError::Malformed(_))
        ));
        assert!(matches!(
            propfind(&[0xff, 0xfe]),
            Err(XmlError::Malformed(_))
        ));
        assert!(matches!(
            propfind(b"<x:propfind/>"),
            Err(XmlError::Malformed(_))
        ));
        assert!(matches!(
            report(br#"<foo xmlns="DAV:"/>"#),
            Err(XmlError::Unexpected(_))
        ));
    }

    #[test]
    fn writing_declares_unknown_namespaces_on_the_element() {
        let mut out = String::new();
        empty(
            &mut out,
            &Name::new("http://apple.com/ns/ical/", "calendar-color"),
        );
        assert_eq!(
            out,
            r#"<x:calendar-color xmlns:x="http://apple.com/ns/ical/"/>"#
        );
        let mut out = String::new();
        open(&mut out, &Name::new(DAV, "getetag"));
        out.push_str(&escape("\"a&b\""));
        close(&mut out, &Name::new(DAV, "getetag"));
        assert_eq!(out, "<d:getetag>&quot;a&amp;b&quot;</d:getetag>");
    }
}
