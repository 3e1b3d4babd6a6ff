//! The properties of collections and cards, written as `<d:response>` elements of a multistatus.

use std::fmt::Write as _;

use super::path::{Resource, http_date};
use super::{Dav, OpenBook, sync_token};
use crate::store::{ContactStore, Principal, StoredCard, Usage};
use crate::vcard::{self, MAX_CARD_BYTES, Version};
use crate::xml::{self, CALENDARSERVER, CARDDAV, DAV, Name, PropRequest};

impl<S: ContactStore> Dav<S> {
    /// The responses for these cards.
    pub(super) fn card_responses(
        &self,
        out: &mut String,
        user: &Principal,
        book: &str,
        cards: &[StoredCard],
        props: &PropRequest,
        version: Version,
    ) {
        for card in cards {
            self.card_response(out, user, book, card, props, version);
        }
    }

    /// The properties of a collection (root, principal, home, book).
    pub(super) fn collection_response(
        &self,
        out: &mut String,
        user: &Principal,
        resource: &Resource,
        props: &PropRequest,
        book: Option<&OpenBook>,
        usage: Option<Usage>,
    ) {
        let href = match resource {
            Resource::Root => format!("{}/", self.mount),
            Resource::Principal(id) => self.principal_href(id),
            Resource::Home(id) => self.home_href(id),
            Resource::Book(id, name) => self.book_href(id, name),
            Resource::Card(id, book, name) => self.card_href(id, book, name),
        };
        let is_book = matches!(resource, Resource::Book(..));
        let writable = book.is_some_and(|b| !b.info.read_only);
        let value = |name: &Name| -> Option<String> {
            let href_of = |h: String| format!("<d:href>{}</d:href>", xml::escape(&h));
            match (name.ns.as_str(), name.local.as_str()) {
                (DAV, "resourcetype") => Some(match resource {
                    Resource::Book(..) => "<d:collection/><card:addressbook/>".into(),
                    Resource::Principal(_) => "<d:collection/><d:principal/>".into(),
                    _ => "<d:collection/>".into(),
                }),
                (DAV, "displayname") => Some(
                    xml::escape(&match resource {
                        Resource::Root => "Postkamer".to_owned(),
                        Resource::Principal(_) => user.display_name.clone(),
                        Resource::Home(_) => "Adresboeken".to_owned(),
                        Resource::Book(..) => book
                            .map(|b| b.info.display_name.clone())
                            .unwrap_or_default(),
                        Resource::Card(..) => String::new(),
                    })
                    .into_owned(),
                ),
                (DAV, "current-user-principal") => Some(href_of(self.principal_href(&user.id))),
                (DAV, "principal-URL") if matches!(resource, Resource::Principal(_)) => {
                    Some(href_of(self.principal_href(&user.id)))
                }
                (DAV, "owner") if !matches!(resource, Resource::Root) => {
                    Some(href_of(self.principal_href(&user.id)))
                }
                (DAV, "principal-collection-set") => {
                    Some(href_of(format!("{}/principals/", self.mount)))
                }
                (CARDDAV, "addressbook-home-set")
                    if matches!(resource, Resource::Root | Resource::Principal(_)) =>
                {
                    Some(href_of(self.home_href(&user.id)))
                }
                (CARDDAV, "principal-address") if matches!(resource, Resource::Principal(_)) => {
                    None
                }
                (CALENDARSERVER, "email-address-set")
                    if matches!(resource, Resource::Principal(_)) =>
                {
                    Some(format!(
                        "<cs:email-address>{}</cs:email-address>",
                        xml::escape(&user.email)
                    ))
                }
                (DAV, "current-user-privilege-set") => Some(if writable {
                    [
                        "read",
                        "write",
                        "write-content",
                        "write-properties",
                        "bind",
                        "unbind",
                        "read-current-user-privilege-set",
                    ]
                    .iter()
                    .map(|p| format!("<d:privilege><d:{p}/></d:privilege>"))
                    .collect()
                } else {
                    "<d:privilege><d:read/></d:privilege><d:privilege><d:read-current-user-privilege-set/></d:privilege>".into()
                }),
                (DAV, "supported-report-set") => Some(if is_book {
                    "<d:supported-report><d:report><card:addressbook-multiget/></d:report></d:supported-report>\
                     <d:supported-report><d:report><card:addressbook-query/></d:report></d:supported-report>\
                     <d:supported-report><d:report><d:sync-collection/></d:report></d:supported-report>"
                        .into()
                } else {
                    String::new()
                }),
                (DAV, "sync-token") if is_book => {
                    book.map(|b| xml::escape(&sync_token(&b.info.name, b.seq)).into_owned())
                }
                (CALENDARSERVER, "getctag") if is_book => book.map(|b| format!("\"{}\"", b.seq)),
                (CARDDAV, "supported-address-data") if is_book => Some(
                    "<card:address-data-type content-type=\"text/vcard\" version=\"3.0\"/>\
                     <card:address-data-type content-type=\"text/vcard\" version=\"4.0\"/>"
                        .into(),
                ),
                (DAV, "quota-used-bytes") => usage.map(|u| u.used_bytes.to_string()),
                (DAV, "quota-available-bytes") => usage.map(|u| u.available_bytes.to_string()),
                (CARDDAV, "max-resource-size") if is_book => Some(MAX_CARD_BYTES.to_string()),
                (CARDDAV, "addressbook-description") if is_book => Some(
                    xml::escape(
                        book.and_then(|b| b.info.description.as_deref())
                            .unwrap_or(&self.description),
                    )
                    .into_owned(),
                ),
                _ => None,
            }
        };
        const ALL: &[(&str, &str)] = &[
            (DAV, "resourcetype"),
            (DAV, "displayname"),
            (DAV, "current-user-principal"),
            (DAV, "owner"),
            (DAV, "sync-token"),
            (CALENDARSERVER, "getctag"),
            (CARDDAV, "addressbook-home-set"),
            (CARDDAV, "supported-address-data"),
        ];
        write_response(out, &href, props, ALL, value);
    }

    /// The properties of one card (`meta` alone when no content is asked for).
    pub(super) fn card_response(
        &self,
        out: &mut String,
        user: &Principal,
        book: &str,
        card: &StoredCard,
        props: &PropRequest,
        version: Version,
    ) {
        let meta = &card.meta;
        let href = self.card_href(&user.id, book, &meta.name);
        let value = |name: &Name| -> Option<String> {
            match (name.ns.as_str(), name.local.as_str()) {
                (DAV, "getetag") => Some(xml::escape(&meta.etag).into_owned()),
                (DAV, "getcontenttype") => Some(version.content_type().into()),
                (DAV, "getlastmodified") => Some(http_date(meta.modified)),
                (DAV, "resourcetype") => Some(String::new()),
                (DAV, "current-user-principal") => Some(format!(
                    "<d:href>{}</d:href>",
                    xml::escape(&self.principal_href(&user.id))
                )),
                (CARDDAV, "address-data") => Some(
                    xml::escape(&vcard::render(
                        &card.data,
                        card.original.as_deref(),
                        version,
                    ))
                    .into_owned(),
                ),
                _ => None,
            }
        };
        const ALL: &[(&str, &str)] = &[
            (DAV, "getetag"),
            (DAV, "getcontenttype"),
            (DAV, "getlastmodified"),
            (DAV, "resourcetype"),
        ];
        write_response(out, &href, props, ALL, value);
    }
}

/// One `<d:response>` with propstats: found properties (200) and unknown ones (404).
pub(super) fn write_response(
    out: &mut String,
    href: &str,
    props: &PropRequest,
    all: &[(&str, &str)],
    value: impl Fn(&Name) -> Option<String>,
) {
    let _ = write!(out, "<d:response><d:href>{}</d:href>", xml::escape(href));
    let (names, names_only): (Vec<Name>, bool) = match props {
        PropRequest::Props(names) => (names.clone(), false),
        PropRequest::All => (all.iter().map(|(ns, l)| Name::new(ns, l)).collect(), false),
        PropRequest::Names => (all.iter().map(|(ns, l)| Name::new(ns, l)).collect(), true),
    };
    let mut found = String::new();
    let mut missing = String::new();
    for name in &names {
        match value(name) {
            Some(_) if names_only => xml::empty(&mut found, name),
            Some(v) if v.is_empty() => xml::empty(&mut found, name),
            Some(v) => {
                xml::open(&mut found, name);
                found.push_str(&v);
                xml::close(&mut found, name);
            }
            None if matches!(props, PropRequest::Props(_)) => xml::empty(&mut missing, name),
            None => {}
        }
    }
    if !found.is_empty() {
        let _ = write!(
            out,
            "<d:propstat><d:prop>{found}</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat>"
        );
    }
    if !missing.is_empty() {
        let _ = write!(
            out,
            "<d:propstat><d:prop>{missing}</d:prop><d:status>HTTP/1.1 404 Not Found</d:status></d:propstat>"
        );
    }
    out.push_str("</d:response>");
}

pub(super) fn status_response(out: &mut String, href: &str, status: u16) {
    let reason = match status {
        404 => "Not Found",
        _ => "Error",
    };
    let _ = write!(
        out,
        "<d:response><d:href>{}</d:href><d:status>HTTP/1.1 {status} {reason}</d:status></d:response>",
        xml::escape(href)
    );
}
