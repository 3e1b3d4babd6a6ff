//! The protocol: one function from a request (method, path below the mount point, the headers
//! that matter, body) to a response, for an authenticated principal. URL layout below the mount
//! point (`/dav` on the main host, `/` on the sync host):
//!
//! ```text
//! /                                   root: current-user-principal
//! /principals/<id>/                   the user's principal
//! /addressbooks/<id>/                 the address book home
//! /addressbooks/<id>/default/         the address book: relations marked for sync
//! /addressbooks/<id>/default/<n>.vcf  one contact
//! ```

use std::fmt::Write as _;

use crate::store::{CardMeta, Condition, ContactStore, Principal, StoredCard, WriteError};
use crate::vcard::{self, MAX_CARD_BYTES, Version};
use crate::xml::{self, CALENDARSERVER, CARDDAV, DAV, Name, PropFilter, PropRequest, Report};

/// The methods this server answers.
pub const ALLOW: &str = "OPTIONS, GET, HEAD, PUT, DELETE, PROPFIND, REPORT";
/// The `DAV` header: WebDAV class 1 and 3, CardDAV.
pub const DAV_HEADER: &str = "1, 3, addressbook";

const SYNC_TOKEN_PREFIX: &str = "urn:postkamer:sync:";

/// A request as the engine needs it (the server fills it from its HTTP types).
#[derive(Debug, Clone, Default)]
pub struct Request<'a> {
    pub method: &'a str,
    /// The path below the mount point, percent-encoded as received.
    pub path: &'a str,
    pub depth: Option<&'a str>,
    pub if_match: Option<&'a str>,
    pub if_none_match: Option<&'a str>,
    pub accept: Option<&'a str>,
    pub content_type: Option<&'a str>,
    pub body: &'a [u8],
}

/// A response for the server to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl Response {
    fn new(status: u16) -> Response {
        Response {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    fn header(mut self, name: &'static str, value: impl Into<String>) -> Response {
        self.headers.push((name, value.into()));
        self
    }

    fn xml(status: u16, body: String) -> Response {
        Response::new(status)
            .header("content-type", "application/xml; charset=utf-8")
            .with_body(body.into_bytes())
    }

    fn text(status: u16, message: &str) -> Response {
        Response::new(status)
            .header("content-type", "text/plain; charset=utf-8")
            .with_body(format!("{message}\n").into_bytes())
    }

    fn with_body(mut self, body: Vec<u8>) -> Response {
        self.body = body;
        self
    }

    pub fn header_value(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// What a path names.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Resource {
    Root,
    Principal(String),
    Home(String),
    Book(String),
    Card(String, String),
}

impl Resource {
    fn owner(&self) -> Option<&str> {
        match self {
            Resource::Root => None,
            Resource::Principal(id) | Resource::Home(id) | Resource::Book(id) => Some(id),
            Resource::Card(id, _) => Some(id),
        }
    }
}

fn resolve(path: &str) -> Option<Resource> {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    Some(match segments.as_slice() {
        [] => Resource::Root,
        ["principals", id] => Resource::Principal(decode(id)?),
        ["addressbooks", id] => Resource::Home(decode(id)?),
        ["addressbooks", id, "default"] => Resource::Book(decode(id)?),
        ["addressbooks", id, "default", file] => {
            let name = decode(file)?;
            let name = name.strip_suffix(".vcf")?.to_owned();
            if name.is_empty() || name.contains('/') {
                return None;
            }
            Resource::Card(decode(id)?, name)
        }
        _ => return None,
    })
}

/// Percent-decodes one path segment.
fn decode(segment: &str) -> Option<String> {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = segment.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Percent-encodes a path segment (RFC 3986 unreserved characters and `@` stay).
fn encode(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for b in segment.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~@".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// An RFC 7231 date (`Tue, 03 Nov 2026 10:15:00 GMT`) from Unix milliseconds.
pub fn http_date(millis: i64) -> String {
    let secs = millis.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][days.rem_euclid(7) as usize];
    let month_name = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ][(month - 1) as usize];
    format!(
        "{weekday}, {day:02} {month_name} {year} {:02}:{:02}:{:02} GMT",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// The CardDAV server for one mount point.
pub struct Dav<S> {
    store: S,
    /// `/dav` on the main host, empty on the sync host.
    mount: String,
    /// The book's description (`addressbook-description`).
    description: String,
}

impl<S: ContactStore> Dav<S> {
    pub fn new(store: S, mount: &str, description: &str) -> Dav<S> {
        Dav {
            store,
            mount: mount.trim_end_matches('/').to_owned(),
            description: description.to_owned(),
        }
    }

    pub fn store(&self) -> &S {
        &self.store
    }

    fn principal_href(&self, id: &str) -> String {
        format!("{}/principals/{}/", self.mount, encode(id))
    }

    fn home_href(&self, id: &str) -> String {
        format!("{}/addressbooks/{}/", self.mount, encode(id))
    }

    fn book_href(&self, id: &str) -> String {
        format!("{}/addressbooks/{}/default/", self.mount, encode(id))
    }

    fn card_href(&self, id: &str, name: &str) -> String {
        format!("{}{}.vcf", self.book_href(id), encode(name))
    }

    /// Answers one request of `user`.
    pub async fn handle(&self, user: &Principal, request: &Request<'_>) -> Response {
        let Some(resource) = resolve(request.path) else {
            return Response::text(404, "Niet gevonden.");
        };
        if resource.owner().is_some_and(|owner| owner != user.id) {
            return Response::text(403, "Dit adresboek is van een andere gebruiker.");
        }
        let result =
            match request.method {
                "OPTIONS" => Ok(Response::new(200)
                    .header("dav", DAV_HEADER)
                    .header("allow", ALLOW)),
                "PROPFIND" => self.propfind(user, &resource, request).await,
                "REPORT" => self.report(user, &resource, request).await,
                "GET" | "HEAD" => self.get(user, &resource, request).await,
                "PUT" => self.put(user, &resource, request).await,
                "DELETE" => self.delete(user, &resource, request).await,
                _ => Ok(Response::text(405, "Deze methode wordt niet ondersteund.")
                    .header("allow", ALLOW)),
            };
        let mut response = result.unwrap_or_else(|e| {
            Response::text(500, &format!("Het adresboek is nu niet beschikbaar ({e})."))
        });
        response.headers.push(("dav", DAV_HEADER.into()));
        response
    }

    async fn propfind(
        &self,
        user: &Principal,
        resource: &Resource,
        request: &Request<'_>,
    ) -> Result<Response, String> {
        let depth = match request.depth.map(str::trim) {
            None | Some("0") => 0,
            Some("1") => 1,
            Some(_) => {
                return Ok(Response::xml(
                    403,
                    xml::error_body(DAV, "propfind-finite-depth"),
                ));
            }
        };
        let props = match xml::propfind(request.body) {
            Ok(props) => props,
            Err(e) => return Ok(Response::text(400, &e.to_string())),
        };
        let mut out = xml::multistatus_start();
        match resource {
            Resource::Root => self.collection_response(&mut out, user, resource, &props, None),
            Resource::Principal(_) => {
                self.collection_response(&mut out, user, resource, &props, None)
            }
            Resource::Home(id) => {
                self.collection_response(&mut out, user, resource, &props, None);
                if depth == 1 {
                    let book = self.store.book(user).await?;
                    self.collection_response(
                        &mut out,
                        user,
                        &Resource::Book(id.clone()),
                        &props,
                        Some(&book),
                    );
                }
            }
            Resource::Book(_) => {
                let book = self.store.book(user).await?;
                self.collection_response(&mut out, user, resource, &props, Some(&book));
                if depth == 1 {
                    let cards = self.store.list(user).await?;
                    let wants_data = props.wants(CARDDAV, "address-data");
                    if wants_data {
                        let names: Vec<String> = cards.iter().map(|c| c.name.clone()).collect();
                        let full = self.store.cards(user, &names).await?;
                        for card in &full {
                            self.card_response(
                                &mut out,
                                user,
                                &card.meta,
                                Some(card),
                                &props,
                                Version::V3,
                            );
                        }
                    } else {
                        for meta in &cards {
                            self.card_response(&mut out, user, meta, None, &props, Version::V3);
                        }
                    }
                }
            }
            Resource::Card(_, name) => {
                let cards = self.store.cards(user, std::slice::from_ref(name)).await?;
                let Some(card) = cards.first() else {
                    return Ok(Response::text(
                        404,
                        "Dit contact staat niet (meer) in het adresboek.",
                    ));
                };
                let version = Version::from_media_type(request.accept);
                self.card_response(&mut out, user, &card.meta, Some(card), &props, version);
            }
        }
        xml::multistatus_end(&mut out);
        Ok(Response::xml(207, out))
    }

    /// The properties of a collection (root, principal, home, book).
    fn collection_response(
        &self,
        out: &mut String,
        user: &Principal,
        resource: &Resource,
        props: &PropRequest,
        book: Option<&crate::store::BookInfo>,
    ) {
        let href = match resource {
            Resource::Root => format!("{}/", self.mount),
            Resource::Principal(id) => self.principal_href(id),
            Resource::Home(id) => self.home_href(id),
            Resource::Book(id) => self.book_href(id),
            Resource::Card(id, name) => self.card_href(id, name),
        };
        let is_book = matches!(resource, Resource::Book(_));
        let value = |name: &Name| -> Option<String> {
            let href_of = |h: String| format!("<d:href>{}</d:href>", xml::escape(&h));
            match (name.ns.as_str(), name.local.as_str()) {
                (DAV, "resourcetype") => Some(match resource {
                    Resource::Book(_) => "<d:collection/><card:addressbook/>".into(),
                    Resource::Principal(_) => "<d:collection/><d:principal/>".into(),
                    _ => "<d:collection/>".into(),
                }),
                (DAV, "displayname") => Some(
                    xml::escape(&match resource {
                        Resource::Root => "Postkamer".to_owned(),
                        Resource::Principal(_) => user.display_name.clone(),
                        Resource::Home(_) => "Adresboeken".to_owned(),
                        Resource::Book(_) => {
                            book.map(|b| b.display_name.clone()).unwrap_or_default()
                        }
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
                (DAV, "current-user-privilege-set") => Some(if is_book {
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
                    book.map(|b| format!("{SYNC_TOKEN_PREFIX}{}", b.sync_seq))
                }
                (CALENDARSERVER, "getctag") if is_book => {
                    book.map(|b| format!("\"{}\"", b.sync_seq))
                }
                (CARDDAV, "supported-address-data") if is_book => Some(
                    "<card:address-data-type content-type=\"text/vcard\" version=\"3.0\"/>\
                     <card:address-data-type content-type=\"text/vcard\" version=\"4.0\"/>"
                        .into(),
                ),
                (CARDDAV, "max-resource-size") if is_book => Some(MAX_CARD_BYTES.to_string()),
                (CARDDAV, "addressbook-description") if is_book => {
                    Some(xml::escape(&self.description).into_owned())
                }
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
    fn card_response(
        &self,
        out: &mut String,
        user: &Principal,
        meta: &CardMeta,
        card: Option<&StoredCard>,
        props: &PropRequest,
        version: Version,
    ) {
        let href = self.card_href(&user.id, &meta.name);
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
                (CARDDAV, "address-data") => card.map(|c| {
                    xml::escape(&vcard::render(&c.data, c.original.as_deref(), version))
                        .into_owned()
                }),
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

    async fn report(
        &self,
        user: &Principal,
        resource: &Resource,
        request: &Request<'_>,
    ) -> Result<Response, String> {
        let report = match xml::report(request.body) {
            Ok(report) => report,
            Err(xml::XmlError::Unexpected(what)) => {
                return Ok(Response::xml(403, xml::error_body(DAV, "supported-report"))
                    .header("x-postkamer-report", what));
            }
            Err(e) => return Ok(Response::text(400, &e.to_string())),
        };
        if !matches!(resource, Resource::Book(_)) {
            return Ok(Response::xml(403, xml::error_body(DAV, "supported-report")));
        }
        let version = Version::from_media_type(
            address_data_version(request.body)
                .as_deref()
                .or(request.accept),
        );
        let mut out = xml::multistatus_start();
        match report {
            Report::Multiget { props, hrefs } => {
                let book = self.book_href(&user.id);
                let names: Vec<Option<String>> = hrefs
                    .iter()
                    .map(|href| {
                        let path = href.split_once("://").map_or(href.as_str(), |(_, rest)| {
                            rest.find('/').map_or("", |i| &rest[i..])
                        });
                        let file = path.strip_prefix(&book)?;
                        decode(file)?.strip_suffix(".vcf").map(str::to_owned)
                    })
                    .collect();
                let wanted: Vec<String> = names.iter().flatten().cloned().collect();
                let cards = self.store.cards(user, &wanted).await?;
                for (href, name) in hrefs.iter().zip(&names) {
                    match name
                        .as_ref()
                        .and_then(|n| cards.iter().find(|c| &c.meta.name == n))
                    {
                        Some(card) => self.card_response(
                            &mut out,
                            user,
                            &card.meta,
                            Some(card),
                            &props,
                            version,
                        ),
                        None => status_response(&mut out, href, 404),
                    }
                }
            }
            Report::Query {
                props,
                all_of,
                filters,
                limit,
            } => {
                let metas = self.store.list(user).await?;
                let names: Vec<String> = metas.into_iter().map(|m| m.name).collect();
                let cards = self.store.cards(user, &names).await?;
                let matching = cards.iter().filter(|c| query_matches(c, all_of, &filters));
                for card in matching.take(limit.unwrap_or(usize::MAX)) {
                    self.card_response(&mut out, user, &card.meta, Some(card), &props, version);
                }
            }
            Report::SyncCollection { props, token, .. } => {
                let since = if token.is_empty() {
                    None
                } else {
                    match token
                        .strip_prefix(SYNC_TOKEN_PREFIX)
                        .and_then(|n| n.parse::<u64>().ok())
                    {
                        Some(seq) => Some(seq),
                        None => {
                            return Ok(Response::xml(
                                403,
                                xml::error_body(DAV, "valid-sync-token"),
                            ));
                        }
                    }
                };
                let (seq, changed, removed) = match since {
                    None => {
                        let book = self.store.book(user).await?;
                        (book.sync_seq, self.store.list(user).await?, Vec::new())
                    }
                    Some(since) => match self.store.changes(user, since).await? {
                        Some(changes) => (changes.sync_seq, changes.changed, changes.removed),
                        None => {
                            return Ok(Response::xml(
                                403,
                                xml::error_body(DAV, "valid-sync-token"),
                            ));
                        }
                    },
                };
                if props.wants(CARDDAV, "address-data") {
                    let names: Vec<String> = changed.iter().map(|m| m.name.clone()).collect();
                    for card in self.store.cards(user, &names).await? {
                        self.card_response(
                            &mut out,
                            user,
                            &card.meta,
                            Some(&card),
                            &props,
                            version,
                        );
                    }
                } else {
                    for meta in &changed {
                        self.card_response(&mut out, user, meta, None, &props, version);
                    }
                }
                for name in &removed {
                    status_response(&mut out, &self.card_href(&user.id, name), 404);
                }
                let _ = write!(out, "<d:sync-token>{SYNC_TOKEN_PREFIX}{seq}</d:sync-token>");
            }
        }
        xml::multistatus_end(&mut out);
        Ok(Response::xml(207, out))
    }

    async fn get(
        &self,
        user: &Principal,
        resource: &Resource,
        request: &Request<'_>,
    ) -> Result<Response, String> {
        let Resource::Card(_, name) = resource else {
            return Ok(Response::text(
                405,
                "Dit is een map; gebruik een CardDAV-programma om het adresboek te lezen.",
            )
            .header("allow", "OPTIONS, PROPFIND, REPORT"));
        };
        let cards = self.store.cards(user, std::slice::from_ref(name)).await?;
        let Some(card) = cards.first() else {
            return Ok(Response::text(
                404,
                "Dit contact staat niet (meer) in het adresboek.",
            ));
        };
        let version = Version::from_media_type(request.accept);
        let body = vcard::render(&card.data, card.original.as_deref(), version);
        let response = Response::new(200)
            .header("content-type", version.content_type())
            .header("etag", card.meta.etag.clone())
            .header("last-modified", http_date(card.meta.modified))
            .header("vary", "Accept");
        Ok(if request.method == "HEAD" {
            response.header("content-length", body.len().to_string())
        } else {
            response.with_body(body.into_bytes())
        })
    }

    async fn put(
        &self,
        user: &Principal,
        resource: &Resource,
        request: &Request<'_>,
    ) -> Result<Response, String> {
        let Resource::Card(_, name) = resource else {
            return Ok(Response::text(
                405,
                "Alleen contacten (….vcf) kunnen worden opgeslagen.",
            ));
        };
        if let Some(content_type) = request.content_type {
            let media = content_type
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            if !matches!(
                media.as_str(),
                "text/vcard" | "text/x-vcard" | "text/directory"
            ) {
                return Ok(Response::text(
                    415,
                    "Stuur een vCard (Content-Type: text/vcard).",
                ));
            }
        }
        let card = match vcard::parse(request.body) {
            Ok(card) => card,
            Err(e @ vcard::VCardError::TooLarge { .. }) => {
                return Ok(Response::text(413, &e.to_string()));
            }
            Err(e) => {
                return Ok(
                    Response::xml(400, xml::error_body(CARDDAV, "valid-address-data"))
                        .header("x-postkamer-error", e.to_string()),
                );
            }
        };
        match self.store.put(user, name, card, condition(request)).await {
            Ok(written) => {
                let response = Response::new(if written.created { 201 } else { 204 });
                Ok(if written.altered {
                    response
                } else {
                    response.header("etag", written.etag)
                })
            }
            Err(e) => Ok(write_error(e)),
        }
    }

    async fn delete(
        &self,
        user: &Principal,
        resource: &Resource,
        request: &Request<'_>,
    ) -> Result<Response, String> {
        let Resource::Card(_, name) = resource else {
            return Ok(Response::text(
                403,
                "Het adresboek zelf kan niet worden verwijderd.",
            ));
        };
        match self.store.delete(user, name, condition(request)).await {
            Ok(()) => Ok(Response::new(204)),
            Err(e) => Ok(write_error(e)),
        }
    }
}

fn condition(request: &Request<'_>) -> Condition {
    if request.if_none_match.map(str::trim) == Some("*") {
        Condition::IfNoneMatchAny
    } else if let Some(etag) = request.if_match {
        Condition::IfMatch(etag.trim().trim_start_matches("W/").to_owned())
    } else {
        Condition::None
    }
}

fn write_error(error: WriteError) -> Response {
    match error {
        WriteError::PreconditionFailed => Response::text(
            412,
            "Het contact is intussen gewijzigd; haal het opnieuw op.",
        ),
        WriteError::NotFound => {
            Response::text(404, "Dit contact staat niet (meer) in het adresboek.")
        }
        WriteError::Conflict(message) => {
            Response::xml(409, xml::error_body(CARDDAV, "no-uid-conflict"))
                .header("x-postkamer-error", message)
        }
        WriteError::Invalid(message) => Response::text(422, &message),
        WriteError::Store(message) => Response::text(
            500,
            &format!("Het adresboek is nu niet beschikbaar ({message})."),
        ),
    }
}

/// The `version` attribute of `<card:address-data>` in a REPORT body, if any.
fn address_data_version(body: &[u8]) -> Option<String> {
    let root = xml::parse(body).ok()?;
    let prop = root.child(DAV, "prop")?;
    let data = prop.child(CARDDAV, "address-data")?;
    data.attribute("version").map(str::to_owned)
}

/// One `<d:response>` with propstats: found properties (200) and unknown ones (404).
fn write_response(
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

fn status_response(out: &mut String, href: &str, status: u16) {
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

/// Does a card pass an `addressbook-query` filter?
fn query_matches(card: &StoredCard, all_of: bool, filters: &[PropFilter]) -> bool {
    if filters.is_empty() {
        return true;
    }
    let data = &card.data;
    let values = |name: &str| -> Vec<String> {
        match name {
            "FN" => vec![data.display_name()],
            "N" => vec![format!(
                "{} {} {}",
                data.last_name, data.first_name, data.tussenvoegsel
            )],
            "EMAIL" => data.emails.iter().map(|e| e.address.clone()).collect(),
            "TEL" => data.phones.iter().map(|p| p.number.clone()).collect(),
            "ORG" => vec![data.organisation.clone()]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect(),
            "TITLE" => vec![data.job_title.clone()]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect(),
            "NOTE" => vec![data.notes.clone()]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect(),
            "UID" => vec![data.uid.clone()],
            _ => Vec::new(),
        }
    };
    let one = |filter: &PropFilter| {
        let values = values(&filter.name);
        if filter.is_not_defined {
            return values.is_empty();
        }
        if filter.text_matches.is_empty() {
            return !values.is_empty();
        }
        let hits = filter
            .text_matches
            .iter()
            .map(|m| values.iter().any(|v| m.matches(v)));
        if filter.all_of {
            hits.into_iter().all(|h| h)
        } else {
            hits.into_iter().any(|h| h)
        }
    };
    if all_of {
        filters.iter().all(one)
    } else {
        filters.iter().any(one)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_resolve_and_names_round_trip() {
        assert_eq!(resolve("/"), Some(Resource::Root));
        assert_eq!(resolve(""), Some(Resource::Root));
        assert_eq!(
            resolve("/principals/7/"),
            Some(Resource::Principal("7".into()))
        );
        assert_eq!(resolve("/addressbooks/7"), Some(Resource::Home("7".into())));
        assert_eq!(
            resolve("/addressbooks/7/default/"),
            Some(Resource::Book("7".into()))
        );
        assert_eq!(
            resolve("/addressbooks/7/default/ABC%20D%40x.vcf"),
            Some(Resource::Card("7".into(), "ABC D@x".into()))
        );
        assert_eq!(resolve("/addressbooks/7/default/x.txt"), None);
        assert_eq!(resolve("/addressbooks/7/default/%ZZ.vcf"), None);
        assert_eq!(resolve("/elders"), None);
        assert_eq!(encode("ABC D@x/é"), "ABC%20D@x%2F%C3%A9");
    }

    #[test]
    fn http_dates() {
        assert_eq!(http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(
            http_date(1_793_700_900_000),
            "Tue, 03 Nov 2026 10:15:00 GMT"
        );
        assert_eq!(http_date(951_782_400_000), "Tue, 29 Feb 2000 00:00:00 GMT");
    }
}
