//! Writing responses: escaping, tags with this server's namespace prefixes, multistatus
//! documents and precondition error bodies.

use super::{CALENDARSERVER, CARDDAV, DAV, Name};

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
