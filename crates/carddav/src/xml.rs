//! WebDAV/CardDAV XML: request bodies read into a small element tree (quick-xml, namespaces
//! resolved; no DTDs, so no entity expansion — an XML bomb is refused, not expanded; depth and
//! size limited), the requests interpreted from it, and multistatus responses written.

mod parse;
mod request;
mod write;

pub use parse::parse;
pub use request::{
    PropFilter, PropRequest, Report, TextMatch, propfind, report, report_with_version,
};
pub use write::{close, empty, error_body, escape, multistatus_end, multistatus_start, open};

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
