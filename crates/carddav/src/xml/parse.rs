//! Reading a request body into its element tree: namespaces resolved, DTDs refused (so no
//! entity expansion), depth and element count limited.

use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;

use super::{Element, MAX_DEPTH, MAX_ELEMENTS, Name, XmlError};

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml::{propfind, report};

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
}
