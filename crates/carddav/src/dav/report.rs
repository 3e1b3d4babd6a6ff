//! REPORT: `addressbook-multiget`, `addressbook-query` and `sync-collection` on a book.

use std::fmt::Write as _;

use super::path::{Resource, decode};
use super::props::status_response;
use super::query::query_matches;
use super::{Dav, Request, Response, sync_token, token_seq};
use crate::store::{ContactStore, Principal};
use crate::vcard::Version;
use crate::xml::{self, DAV, Report};

impl<S: ContactStore> Dav<S> {
    pub(super) async fn report(
        &self,
        user: &Principal,
        resource: &Resource,
        request: &Request<'_>,
    ) -> Result<Response, String> {
        let (report, version) = match xml::report_with_version(request.body) {
            Ok(parsed) => parsed,
            Err(xml::XmlError::Unexpected(what)) => {
                return Ok(Response::xml(403, xml::error_body(DAV, "supported-report"))
                    .header("x-postkamer-report", what));
            }
            Err(e) => return Ok(Response::text(400, &e.to_string())),
        };
        let Resource::Book(_, book_name) = resource else {
            return Ok(Response::xml(403, xml::error_body(DAV, "supported-report")));
        };
        let book_name = book_name.as_str();
        let version = Version::from_media_type(version.as_deref().or(request.accept));
        let mut out = xml::multistatus_start();
        match report {
            Report::Multiget { props, hrefs } => {
                let book = self.book_href(&user.id, book_name);
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
                let cards = self.store.cards(user, book_name, &wanted).await?;
                for (href, name) in hrefs.iter().zip(&names) {
                    match name
                        .as_ref()
                        .and_then(|n| cards.iter().find(|c| &c.meta.name == n))
                    {
                        Some(card) => {
                            self.card_response(&mut out, user, book_name, card, &props, version)
                        }
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
                let cards = self.store.list(user, book_name).await?;
                let matching = cards.iter().filter(|c| query_matches(c, all_of, &filters));
                for card in matching.take(limit.unwrap_or(usize::MAX)) {
                    self.card_response(&mut out, user, book_name, card, &props, version);
                }
            }
            Report::SyncCollection { props, token, .. } => {
                let since = if token.is_empty() {
                    None
                } else {
                    match token_seq(&token, book_name) {
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
                        let seq = self.store.sync_seq(user, book_name).await?;
                        (seq, self.store.list(user, book_name).await?, Vec::new())
                    }
                    Some(since) => match self.store.changes(user, book_name, since).await? {
                        Some(changes) => (changes.sync_seq, changes.changed, changes.removed),
                        None => {
                            return Ok(Response::xml(
                                403,
                                xml::error_body(DAV, "valid-sync-token"),
                            ));
                        }
                    },
                };
                self.card_responses(&mut out, user, book_name, &changed, &props, version);
                for name in &removed {
                    status_response(&mut out, &self.card_href(&user.id, book_name, name), 404);
                }
                let _ = write!(
                    out,
                    "<d:sync-token>{}</d:sync-token>",
                    xml::escape(&sync_token(book_name, seq))
                );
            }
        }
        xml::multistatus_end(&mut out);
        Ok(Response::xml(207, out))
    }
}
