//! The protocol: one function from a request (method, path below the mount point, the headers
//! that matter, body) to a response, for an authenticated principal. URL layout below the mount
//! point (`/dav` on the main host, `/` on the sync host):
//!
//! ```text
//! /                                   root: current-user-principal
//! /principals/<id>/                   the user's principal
//! /addressbooks/<id>/                 the address book home
//! /addressbooks/<id>/default/         the writable address book (for the CRM: the relations
//!                                     marked for sync)
//! /addressbooks/<id>/<book>/          other books of the user, possibly read-only
//! /addressbooks/<id>/<book>/<n>.vcf   one contact
//! ```

mod path;
mod props;
mod query;
mod report;
mod write;

pub use path::http_date;
use path::{Resource, encode, resolve};

use crate::store::{BookInfo, ContactStore, Principal, StoredCard};
use crate::vcard::{self, Version};
use crate::xml::{self, DAV};

/// The methods this server answers.
pub const ALLOW: &str = "OPTIONS, GET, HEAD, PUT, DELETE, PROPFIND, REPORT";
/// The `DAV` header: WebDAV class 1 and 3, CardDAV.
pub const DAV_HEADER: &str = "1, 3, addressbook";

pub(crate) const SYNC_TOKEN_PREFIX: &str = "urn:postkamer:sync:";

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

/// A book with its current sync sequence.
struct OpenBook {
    info: BookInfo,
    seq: u64,
}

/// The sync token of a book at a sequence: `urn:postkamer:sync:<book>:<seq>`.
fn sync_token(book: &str, seq: u64) -> String {
    format!("{SYNC_TOKEN_PREFIX}{}:{seq}", encode(book))
}

/// The sequence in a token of this book; `None` for any other text (another book's token too).
fn token_seq(token: &str, book: &str) -> Option<u64> {
    let (token_book, seq) = token.strip_prefix(SYNC_TOKEN_PREFIX)?.rsplit_once(':')?;
    (token_book == encode(book)).then_some(())?;
    seq.parse().ok()
}

const NO_BOOK: &str = "Dit adresboek bestaat niet (meer).";
const NO_CARD: &str = "Dit contact staat niet (meer) in het adresboek.";
const UNAVAILABLE: &str = "Het adresboek is nu niet beschikbaar; probeer het later opnieuw.";

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

    fn book_href(&self, id: &str, book: &str) -> String {
        format!(
            "{}/addressbooks/{}/{}/",
            self.mount,
            encode(id),
            encode(book)
        )
    }

    fn card_href(&self, id: &str, book: &str, name: &str) -> String {
        format!("{}{}.vcf", self.book_href(id, book), encode(name))
    }

    /// The card `name` of the book, if it is there.
    async fn one_card(
        &self,
        user: &Principal,
        book: &str,
        name: &str,
    ) -> Result<Option<StoredCard>, String> {
        let mut cards = self.store.cards(user, book, &[name.to_owned()]).await?;
        Ok(cards.pop())
    }

    /// Answers one request of `user`. Store failures are logged and answered with a bare 500.
    pub async fn handle(&self, user: &Principal, request: &Request<'_>) -> Response {
        let Some(resource) = resolve(request.path) else {
            return Response::text(404, "Niet gevonden.");
        };
        if resource.owner().is_some_and(|owner| owner != user.id) {
            return Response::text(403, "Dit adresboek is van een andere gebruiker.");
        }
        let mut response = self
            .dispatch(user, &resource, request)
            .await
            .unwrap_or_else(|e| {
                // The cause is for the log, never for the client (it may be database text).
                tracing::error!(error = %e, method = request.method, "CardDAV request failed");
                Response::text(500, UNAVAILABLE)
            });
        response.headers.push(("dav", DAV_HEADER.into()));
        response
    }

    async fn dispatch(
        &self,
        user: &Principal,
        resource: &Resource,
        request: &Request<'_>,
    ) -> Result<Response, String> {
        // The book a path names, looked up once for the whole request.
        let book = match resource {
            Resource::Book(_, name) | Resource::Card(_, name, _) => {
                match self.store.book(user, name).await? {
                    Some(info) => Some(info),
                    None => return Ok(Response::text(404, NO_BOOK)),
                }
            }
            _ => None,
        };
        match request.method {
            "OPTIONS" => Ok(Response::new(200)
                .header("dav", DAV_HEADER)
                .header("allow", ALLOW)),
            "PROPFIND" => self.propfind(user, resource, book, request).await,
            "REPORT" => self.report(user, resource, request).await,
            "GET" | "HEAD" => self.get(user, resource, request).await,
            "PUT" => self.put(user, resource, book.as_ref(), request).await,
            "DELETE" => self.delete(user, resource, book.as_ref(), request).await,
            _ => {
                Ok(Response::text(405, "Deze methode wordt niet ondersteund.")
                    .header("allow", ALLOW))
            }
        }
    }

    async fn propfind(
        &self,
        user: &Principal,
        resource: &Resource,
        book: Option<BookInfo>,
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
        // Quota (RFC 4331) costs a sum over the book: read only when asked for.
        let usage = if matches!(resource, Resource::Home(_) | Resource::Book(..))
            && (props.wants(DAV, "quota-used-bytes") || props.wants(DAV, "quota-available-bytes"))
        {
            Some(self.store.usage(user).await?)
        } else {
            None
        };
        let mut out = xml::multistatus_start();
        match resource {
            Resource::Root | Resource::Principal(_) => {
                self.collection_response(&mut out, user, resource, &props, None, None)
            }
            Resource::Home(id) => {
                self.collection_response(&mut out, user, resource, &props, None, usage);
                if depth == 1 {
                    for info in self.store.books(user).await? {
                        let seq = self.store.sync_seq(user, &info.name).await?;
                        let resource = Resource::Book(id.clone(), info.name.clone());
                        let book = OpenBook { info, seq };
                        self.collection_response(
                            &mut out,
                            user,
                            &resource,
                            &props,
                            Some(&book),
                            usage,
                        );
                    }
                }
            }
            Resource::Book(_, name) => {
                let Some(info) = book else {
                    return Ok(Response::text(404, NO_BOOK));
                };
                let seq = self.store.sync_seq(user, name).await?;
                let book = OpenBook { info, seq };
                self.collection_response(&mut out, user, resource, &props, Some(&book), usage);
                if depth == 1 {
                    let cards = self.store.list(user, name).await?;
                    self.card_responses(&mut out, user, name, &cards, &props, Version::V3);
                }
            }
            Resource::Card(_, book, name) => {
                let Some(card) = self.one_card(user, book, name).await? else {
                    return Ok(Response::text(404, NO_CARD));
                };
                let version = Version::from_media_type(request.accept);
                self.card_response(&mut out, user, book, &card, &props, version);
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
        let Resource::Card(_, book, name) = resource else {
            return Ok(Response::text(
                405,
                "Dit is een map; gebruik een CardDAV-programma om het adresboek te lezen.",
            )
            .header("allow", "OPTIONS, PROPFIND, REPORT"));
        };
        let Some(card) = self.one_card(user, book, name).await? else {
            return Ok(Response::text(404, NO_CARD));
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
}
