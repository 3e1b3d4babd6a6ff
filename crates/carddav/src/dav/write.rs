//! PUT and DELETE of a card: preconditions, read-only books, and what a refused write answers.

use super::path::Resource;
use super::{Dav, NO_BOOK, NO_CARD, Request, Response};
use crate::store::{BookInfo, Condition, ContactStore, Principal, WriteError};
use crate::vcard;
use crate::xml::{self, CARDDAV, DAV};

impl<S: ContactStore> Dav<S> {
    pub(super) async fn put(
        &self,
        user: &Principal,
        resource: &Resource,
        book_info: Option<&BookInfo>,
        request: &Request<'_>,
    ) -> Result<Response, String> {
        let Resource::Card(_, book, name) = resource else {
            return Ok(Response::text(
                405,
                "Alleen contacten (….vcf) kunnen worden opgeslagen.",
            ));
        };
        if let Some(refused) = self.read_only(user, book, book_info, "write-content") {
            return Ok(refused);
        }
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
        match self
            .store
            .put(user, book, name, card, condition(request))
            .await
        {
            Ok(written) => {
                let response = Response::new(if written.created { 201 } else { 204 });
                Ok(if written.altered {
                    response
                } else {
                    response.header("etag", written.etag)
                })
            }
            Err(WriteError::UidConflict { existing }) => Ok(Response::xml(
                409,
                format!(
                    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<d:error xmlns:d=\"DAV:\" \
                     xmlns:card=\"urn:ietf:params:xml:ns:carddav\"><card:no-uid-conflict>\
                     <d:href>{}</d:href></card:no-uid-conflict></d:error>\n",
                    xml::escape(&self.card_href(&user.id, book, &existing))
                ),
            )
            .header(
                "x-postkamer-error",
                "Dit contact staat al in het adresboek (zelfde UID); wijzig het bestaande contact.",
            )),
            Err(e) => Ok(write_error(e)),
        }
    }

    pub(super) async fn delete(
        &self,
        user: &Principal,
        resource: &Resource,
        book_info: Option<&BookInfo>,
        request: &Request<'_>,
    ) -> Result<Response, String> {
        let Resource::Card(_, book, name) = resource else {
            return Ok(Response::text(
                403,
                "Het adresboek zelf kan niet worden verwijderd.",
            ));
        };
        if let Some(refused) = self.read_only(user, book, book_info, "unbind") {
            return Ok(refused);
        }
        match self
            .store
            .delete(user, book, name, condition(request))
            .await
        {
            Ok(()) => Ok(Response::new(204)),
            Err(e) => Ok(write_error(e)),
        }
    }

    /// 404 for an unknown book, 403 with `need-privileges` (RFC 3744) for a read-only one.
    fn read_only(
        &self,
        user: &Principal,
        book: &str,
        info: Option<&BookInfo>,
        privilege: &str,
    ) -> Option<Response> {
        match info {
            None => Some(Response::text(404, NO_BOOK)),
            Some(info) if info.read_only => Some(
                Response::xml(
                    403,
                    format!(
                        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<d:error xmlns:d=\"DAV:\">\
                         <d:need-privileges><d:resource><d:href>{}</d:href>\
                         <d:privilege><d:{privilege}/></d:privilege></d:resource>\
                         </d:need-privileges></d:error>",
                        xml::escape(&self.book_href(&user.id, book))
                    ),
                )
                .header(
                    "x-postkamer-error",
                    "Dit adresboek is alleen-lezen: wijzig de relatie in Postkamer.",
                ),
            ),
            Some(_) => None,
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
        WriteError::NotFound => Response::text(404, NO_CARD),
        WriteError::Conflict(message) => {
            Response::xml(409, xml::error_body(CARDDAV, "no-uid-conflict"))
                .header("x-postkamer-error", message)
        }
        WriteError::UidConflict { existing } => {
            Response::xml(409, xml::error_body(CARDDAV, "no-uid-conflict"))
                .header("x-postkamer-error", format!("UID van {existing}"))
        }
        WriteError::QuotaExceeded => Response::xml(507, xml::error_body(DAV, "quota-not-exceeded"))
            .header("x-postkamer-error", "Het adresboek is vol."),
        WriteError::Invalid(message) => Response::text(422, &message),
        WriteError::Store(message) => {
            tracing::error!(error = %message, "CardDAV write failed");
            Response::text(500, super::UNAVAILABLE)
        }
    }
}
