//! The protocol in process, with request bodies of real clients (iOS Contacts, DAVx5; see
//! resources/requests/README.md for where each comes from), answers asserted as snapshots:
//! discovery, PROPFIND, multiget, query, sync-collection (initial, incremental, after a delete,
//! bad token), PUT create/update/412, DELETE, and bad input.

#![allow(clippy::unwrap_used)]

mod support;

use std::path::Path;

use postkamer_carddav::vcard::CardData;
use postkamer_carddav::{Dav, Principal, Request, Response};
use postkamer_domain::relation::{Address, EmailInput, PhoneInput, PhoneKind};
use support::memory::MemoryStore;

const MOUNT: &str = "/dav";

fn user() -> Principal {
    Principal {
        id: "7".into(),
        display_name: "Anna de Vries".into(),
        email: "anna@demo-bv.nl".into(),
    }
}

fn person(uid: &str, first: &str, tv: &str, last: &str, email: &str) -> CardData {
    CardData {
        uid: uid.into(),
        first_name: first.into(),
        tussenvoegsel: tv.into(),
        last_name: last.into(),
        organisation: "Demo BV".into(),
        job_title: "Inkoper".into(),
        emails: vec![EmailInput {
            address: email.into(),
            primary: true,
        }],
        phones: vec![PhoneInput {
            number: "+31 30 123 4567".into(),
            kind: PhoneKind::Werk,
        }],
        address: Address {
            street: "Kantoorlaan 1".into(),
            postal_code: "3511 AA".into(),
            city: "Utrecht".into(),
            country: "Nederland".into(),
        },
        notes: String::new(),
    }
}

fn dav() -> Dav<MemoryStore> {
    let store = MemoryStore::default();
    store.insert(
        "0a8b1f1e-2e0c-4c5b-9d1f-0d1b2c3d4e5f",
        person(
            "0a8b1f1e-2e0c-4c5b-9d1f-0d1b2c3d4e5f",
            "Jan",
            "van der",
            "Berg",
            "jan@berg.nl",
        ),
    );
    store.insert(
        "6f2d7c1a-93b4-4e02-8a55-1f6b9d3c2e10",
        person(
            "6f2d7c1a-93b4-4e02-8a55-1f6b9d3c2e10",
            "Sanne",
            "de",
            "Wit",
            "sanne@dewit.nl",
        ),
    );
    store.insert(
        "9c3e",
        person("9c3e", "Piet", "", "Jansen", "piet@jansen.nl"),
    );
    Dav::new(store, MOUNT, "Relaties uit Postkamer")
}

/// A captured request: request line, headers, blank line, body.
struct Captured {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Captured {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

fn captured(file: &str) -> Captured {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("resources/requests")
        .join(file);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let split = bytes
        .windows(2)
        .position(|w| w == b"\n\n")
        .expect("blank line after the headers");
    let head = String::from_utf8(bytes[..split].to_vec()).unwrap();
    let body = bytes[split + 2..].to_vec();
    let mut lines = head.lines();
    let mut request_line = lines.next().unwrap().split(' ');
    let method = request_line.next().unwrap().to_owned();
    let target = request_line.next().unwrap().replace("USER", "7");
    // The server maps /.well-known/carddav to the mount point and strips the mount point.
    let path = match target.as_str() {
        "/.well-known/carddav" | "/" => "/".to_owned(),
        other => other.strip_prefix(MOUNT).unwrap_or(other).to_owned(),
    };
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    Captured {
        method,
        path,
        headers,
        body: String::from_utf8(body)
            .unwrap()
            .replace("USER", "7")
            .into_bytes(),
    }
}

async fn send(dav: &Dav<MemoryStore>, c: &Captured) -> Response {
    dav.handle(
        &user(),
        &Request {
            method: &c.method,
            path: &c.path,
            depth: c.header("depth"),
            if_match: c.header("if-match"),
            if_none_match: c.header("if-none-match"),
            accept: c.header("accept"),
            content_type: c.header("content-type"),
            body: &c.body,
        },
    )
    .await
}

async fn call(
    dav: &Dav<MemoryStore>,
    method: &str,
    path: &str,
    depth: Option<&str>,
    body: &str,
) -> Response {
    dav.handle(
        &user(),
        &Request {
            method,
            path,
            depth,
            body: body.as_bytes(),
            ..Request::default()
        },
    )
    .await
}

/// Status, the headers that matter, and the body with one element per line.
fn shown(response: &Response) -> String {
    let mut out = format!("{}\n", response.status);
    let mut headers: Vec<_> = response
        .headers
        .iter()
        .filter(|(n, _)| *n != "dav")
        .collect();
    headers.sort();
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\n"));
    }
    out.push('\n');
    out.push_str(&String::from_utf8_lossy(&response.body).replace("><", ">\n<"));
    out
}

#[tokio::test]
async fn discovery_as_ios_does_it() {
    let dav = dav();
    for file in [
        "ios/01-propfind-well-known.http",
        "ios/03-propfind-principal.http",
        "ios/04-propfind-home-set-depth1.http",
        "ios/05-propfind-addressbook-ctag-synctoken.http",
        "ios/06-propfind-addressbook-depth1-getetag.http",
    ] {
        let response = send(&dav, &captured(file)).await;
        assert_eq!(response.status, 207, "{file}: {}", shown(&response));
        insta::assert_snapshot!(file.replace('/', "__"), shown(&response));
    }
}

#[tokio::test]
async fn discovery_as_davx5_does_it() {
    let dav = dav();
    for file in [
        "davx5/01-propfind-user-given-url.http",
        "davx5/02-propfind-well-known-current-user-principal.http",
        "davx5/03-options-principal.http",
        "davx5/04-propfind-principal.http",
        "davx5/05-propfind-home-set-depth1.http",
        "davx5/06-propfind-addressbook-capabilities.http",
        "davx5/07-propfind-addressbook-depth1-etags.http",
    ] {
        let response = send(&dav, &captured(file)).await;
        assert!(
            matches!(response.status, 200 | 207),
            "{file}: {}",
            shown(&response)
        );
        insta::assert_snapshot!(file.replace('/', "__"), shown(&response));
    }
}

#[tokio::test]
async fn multiget_in_vcard3_and_vcard4_with_a_missing_href() {
    let dav = dav();
    for file in [
        "ios/08-report-addressbook-multiget.http",
        "davx5/10-report-addressbook-multiget-vcard3.http",
        "davx5/11-report-addressbook-multiget-vcard4.http",
    ] {
        let response = send(&dav, &captured(file)).await;
        assert_eq!(response.status, 207, "{file}");
        insta::assert_snapshot!(file.replace('/', "__"), shown(&response));
    }
    let v4 = String::from_utf8(
        send(
            &dav,
            &captured("davx5/11-report-addressbook-multiget-vcard4.http"),
        )
        .await
        .body,
    )
    .unwrap();
    assert!(v4.contains("VERSION:4.0"));
    let v3 = String::from_utf8(
        send(
            &dav,
            &captured("davx5/10-report-addressbook-multiget-vcard3.http"),
        )
        .await
        .body,
    )
    .unwrap();
    assert!(v3.contains("VERSION:3.0"));
}

#[tokio::test]
async fn sync_collection_initial_incremental_after_delete_and_bad_token() {
    let dav = dav();
    let initial = send(
        &dav,
        &captured("davx5/08-report-sync-collection-initial.http"),
    )
    .await;
    assert_eq!(initial.status, 207);
    insta::assert_snapshot!("sync-initial", shown(&initial));
    let body = String::from_utf8(initial.body).unwrap();
    assert!(
        body.ends_with(
            "<d:sync-token>urn:postkamer:sync:default:3</d:sync-token></d:multistatus>\n"
        ),
        "{body}"
    );

    // Nothing changed: an empty answer with the same token.
    let mut incremental = captured("davx5/09-report-sync-collection-incremental.http");
    incremental.body = String::from_utf8(incremental.body)
        .unwrap()
        .replace("http://sabre.io/ns/sync/18", "urn:postkamer:sync:default:3")
        .into_bytes();
    let nothing = send(&dav, &incremental).await;
    insta::assert_snapshot!("sync-no-change", shown(&nothing));

    // One edited in the CRM, one removed from sync.
    dav.store().insert(
        "9c3e",
        person("9c3e", "Piet", "", "Jansen", "piet@nieuw.nl"),
    );
    dav.store().remove("6f2d7c1a-93b4-4e02-8a55-1f6b9d3c2e10");
    let changed = send(&dav, &incremental).await;
    insta::assert_snapshot!("sync-after-change-and-delete", shown(&changed));
    let body = String::from_utf8(changed.body).unwrap();
    assert!(body.contains("9c3e.vcf</d:href><d:propstat>"));
    assert!(body.contains("6f2d7c1a-93b4-4e02-8a55-1f6b9d3c2e10.vcf</d:href><d:status>HTTP/1.1 404 Not Found</d:status>"));
    assert!(!body.contains("0a8b1f1e"), "unchanged cards are not listed");

    // A token from another server, and one from the future: valid-sync-token.
    for token in [
        "http://sabre.io/ns/sync/18",
        "urn:postkamer:sync:default:999",
        "urn:postkamer:sync:3",
    ] {
        let mut bad = captured("davx5/09-report-sync-collection-incremental.http");
        bad.body = String::from_utf8(bad.body)
            .unwrap()
            .replace("http://sabre.io/ns/sync/18", token)
            .into_bytes();
        let refused = send(&dav, &bad).await;
        assert_eq!(refused.status, 403, "{token}");
        assert!(String::from_utf8_lossy(&refused.body).contains("<d:valid-sync-token/>"));
    }
}

#[tokio::test]
async fn put_create_update_precondition_and_delete() {
    let dav = dav();
    let create = captured("davx5/12-put-create-vcard3.http");
    let created = send(&dav, &create).await;
    assert_eq!(created.status, 201, "{}", shown(&created));
    let etag = created.header_value("etag").unwrap().to_owned();
    assert_eq!(
        dav.store().get("contact2-with-bday").unwrap().meta.etag,
        etag
    );
    // Creating again with If-None-Match: * fails.
    assert_eq!(send(&dav, &create).await.status, 412);

    let mut update = captured("davx5/13-put-update-vcard3.http");
    update
        .headers
        .retain(|(n, _)| !n.eq_ignore_ascii_case("if-match"));
    update.headers.push(("If-Match".into(), "\"stale\"".into()));
    assert_eq!(send(&dav, &update).await.status, 412, "stale ETag");
    update.headers.pop();
    update.headers.push(("If-Match".into(), etag.clone()));
    let updated = send(&dav, &update).await;
    assert_eq!(updated.status, 204, "{}", shown(&updated));
    assert_eq!(
        updated.header_value("etag"),
        Some(etag.as_str()),
        "same card, same ETag"
    );
    // Now with a note added on the phone.
    let body = String::from_utf8(update.body.clone()).unwrap();
    update.body = body
        .replacen(
            "END:VCARD",
            "NOTE:Belt liever na tienen\\nDinsdag vrij\nEND:VCARD",
            1,
        )
        .into_bytes();
    let updated = send(&dav, &update).await;
    assert_eq!(updated.status, 204, "{}", shown(&updated));
    let new_etag = updated.header_value("etag").unwrap().to_owned();
    assert_ne!(new_etag, etag, "the card changed, so did its ETag");
    assert_eq!(
        dav.store().get("contact2-with-bday").unwrap().data.notes,
        "Belt liever na tienen\nDinsdag vrij"
    );

    // GET returns it, with what the CRM does not model (BDAY) kept.
    let got = call(
        &dav,
        "GET",
        "/addressbooks/7/default/contact2-with-bday.vcf",
        None,
        "",
    )
    .await;
    assert_eq!(got.status, 200);
    assert_eq!(got.header_value("etag"), Some(new_etag.as_str()));
    assert!(
        String::from_utf8_lossy(&got.body).contains("BDAY"),
        "{}",
        shown(&got)
    );

    let mut delete = captured("davx5/14-delete.http");
    delete
        .headers
        .retain(|(n, _)| !n.eq_ignore_ascii_case("if-match"));
    delete.headers.push(("If-Match".into(), etag));
    assert_eq!(send(&dav, &delete).await.status, 412, "old ETag");
    delete.headers.pop();
    delete.headers.push(("If-Match".into(), new_etag));
    assert_eq!(send(&dav, &delete).await.status, 204);
    assert!(dav.store().get("contact2-with-bday").is_none());
    assert_eq!(send(&dav, &delete).await.status, 404);
}

#[tokio::test]
async fn addressbook_query_matches_text() {
    let dav = dav();
    let query = r#"<?xml version="1.0" encoding="utf-8"?>
<C:addressbook-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav">
  <D:prop><D:getetag/><C:address-data/></D:prop>
  <C:filter test="anyof">
    <C:prop-filter name="FN"><C:text-match collation="i;unicode-casemap" match-type="contains">VAN DER</C:text-match></C:prop-filter>
    <C:prop-filter name="EMAIL"><C:text-match match-type="starts-with">piet@</C:text-match></C:prop-filter>
  </C:filter>
</C:addressbook-query>"#;
    let response = call(&dav, "REPORT", "/addressbooks/7/default/", Some("1"), query).await;
    assert_eq!(response.status, 207);
    let body = String::from_utf8(response.body).unwrap();
    assert!(body.contains("0a8b1f1e-2e0c-4c5b-9d1f-0d1b2c3d4e5f.vcf"));
    assert!(body.contains("9c3e.vcf"));
    assert!(!body.contains("6f2d7c1a"), "{body}");
    let tel = query.replace(r#"<C:prop-filter name="EMAIL"><C:text-match match-type="starts-with">piet@</C:text-match></C:prop-filter>"#, "").replace("FN", "TEL").replace("VAN DER", "123 4567").replace("anyof", "allof");
    let all = call(&dav, "REPORT", "/addressbooks/7/default/", Some("1"), &tel).await;
    assert_eq!(
        String::from_utf8(all.body)
            .unwrap()
            .matches("<d:response>")
            .count(),
        3
    );
}

#[tokio::test]
async fn bad_requests_get_clear_answers_and_change_nothing() {
    let dav = dav();
    let book = "/addressbooks/7/default/";
    // Malformed XML, an entity bomb, Depth: infinity.
    assert_eq!(
        call(
            &dav,
            "PROPFIND",
            book,
            Some("0"),
            "<d:propfind xmlns:d=\"DAV:\"><d:prop>"
        )
        .await
        .status,
        400
    );
    let bomb = r#"<?xml version="1.0"?><!DOCTYPE b [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><d:propfind xmlns:d="DAV:"><d:prop>&b;</d:prop></d:propfind>"#;
    assert_eq!(
        call(&dav, "PROPFIND", book, Some("1"), bomb).await.status,
        400
    );
    assert_eq!(
        call(&dav, "REPORT", book, Some("1"), bomb).await.status,
        400
    );
    let infinite = call(&dav, "PROPFIND", book, Some("infinity"), "").await;
    assert_eq!(infinite.status, 403);
    assert!(String::from_utf8_lossy(&infinite.body).contains("propfind-finite-depth"));
    // An unsupported report.
    assert_eq!(
        call(&dav, "REPORT", book, Some("1"), r#"<x xmlns="urn:other"/>"#)
            .await
            .status,
        403
    );
    // Other users' books, unknown paths.
    assert_eq!(
        call(&dav, "PROPFIND", "/addressbooks/8/default/", Some("0"), "")
            .await
            .status,
        403
    );
    assert_eq!(
        call(&dav, "GET", "/addressbooks/8/default/9c3e.vcf", None, "")
            .await
            .status,
        403
    );
    assert_eq!(
        call(&dav, "PROPFIND", "/elders/", Some("0"), "")
            .await
            .status,
        404
    );
    assert_eq!(
        call(
            &dav,
            "GET",
            "/addressbooks/7/default/bestaat-niet.vcf",
            None,
            ""
        )
        .await
        .status,
        404
    );
    // Unknown properties: 404 inside the 207, never an error.
    let unknown = call(&dav, "PROPFIND", book, Some("0"), r#"<d:propfind xmlns:d="DAV:" xmlns:x="urn:x"><d:prop><x:kleur/><d:displayname/></d:prop></d:propfind>"#).await;
    assert_eq!(unknown.status, 207);
    let body = String::from_utf8(unknown.body).unwrap();
    assert!(
        body.contains(r#"<x:kleur xmlns:x="urn:x"/></d:prop><d:status>HTTP/1.1 404 Not Found"#),
        "{body}"
    );

    // vCards: no UID, invalid UTF-8, not a vCard, 3 MB, wrong content type.
    let card = "/addressbooks/7/default/nieuw.vcf";
    let put = |body: Vec<u8>, content_type: &'static str| {
        let dav = &dav;
        async move {
            dav.handle(
                &user(),
                &Request {
                    method: "PUT",
                    path: card,
                    content_type: Some(content_type),
                    body: &body,
                    ..Request::default()
                },
            )
            .await
        }
    };
    let no_uid = put(
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Geen UID\r\nN:UID;Geen;;;\r\nEND:VCARD\r\n".to_vec(),
        "text/vcard",
    )
    .await;
    assert_eq!(no_uid.status, 400);
    assert_eq!(
        no_uid.header_value("x-postkamer-error"),
        Some("the vCard has no UID")
    );
    assert_eq!(
        put(
            b"BEGIN:VCARD\r\nFN:\xff\xfe\r\nEND:VCARD\r\n".to_vec(),
            "text/vcard"
        )
        .await
        .status,
        400
    );
    assert_eq!(put(b"hallo".to_vec(), "text/vcard").await.status, 400);
    let mut huge = b"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:x\r\nNOTE:".to_vec();
    huge.extend(std::iter::repeat_n(b'a', 3 * 1024 * 1024));
    huge.extend(b"\r\nEND:VCARD\r\n");
    assert_eq!(put(huge, "text/vcard").await.status, 413);
    assert_eq!(put(b"{}".to_vec(), "application/json").await.status, 415);
    // A UID that belongs to another card.
    let clash = put(
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:9c3e\r\nFN:Dubbel\r\nEND:VCARD\r\n".to_vec(),
        "text/vcard",
    )
    .await;
    assert_eq!(clash.status, 409);
    assert_eq!(dav.store().len(), 3, "nothing stored");
}

#[tokio::test]
async fn quota_is_reported_and_a_full_book_refuses_new_cards() {
    let dav = dav();
    let quota = r#"<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:"><d:prop><d:quota-used-bytes/><d:quota-available-bytes/></d:prop></d:propfind>"#;
    let read = |body: &str, name: &str| -> u64 {
        let start = body.find(&format!("<d:{name}>")).expect(name) + name.len() + 4;
        body[start..start + body[start..].find('<').unwrap()]
            .parse()
            .unwrap()
    };
    let before = call(
        &dav,
        "PROPFIND",
        "/addressbooks/7/default/",
        Some("0"),
        quota,
    )
    .await;
    assert_eq!(before.status, 207);
    let body = String::from_utf8(before.body).unwrap();
    let used = read(&body, "quota-used-bytes");
    assert!(used > 0, "{body}");
    assert_eq!(
        read(&body, "quota-available-bytes"),
        support::memory::QUOTA_BYTES - used
    );
    // The home set answers with the same figures.
    let home = call(&dav, "PROPFIND", "/addressbooks/7/", Some("0"), quota).await;
    assert!(
        String::from_utf8(home.body)
            .unwrap()
            .contains(&format!("<d:quota-used-bytes>{used}<"))
    );

    // A card larger than what is left: 507 with the RFC 4331 precondition, nothing stored.
    let mut create = captured("davx5/12-put-create-vcard3.http");
    let text = String::from_utf8(create.body.clone()).unwrap();
    let note = "x".repeat(usize::try_from(support::memory::QUOTA_BYTES).unwrap());
    create.body = text
        .replacen("END:VCARD", &format!("NOTE:{note}\r\nEND:VCARD"), 1)
        .into_bytes();
    let refused = send(&dav, &create).await;
    assert_eq!(refused.status, 507, "{}", shown(&refused));
    assert!(String::from_utf8_lossy(&refused.body).contains("quota-not-exceeded"));
    assert!(dav.store().get("contact2-with-bday").is_none());
    // A card that fits is stored, and the used bytes grow by its size.
    create.body = text.into_bytes();
    assert_eq!(send(&dav, &create).await.status, 201);
    let after = call(
        &dav,
        "PROPFIND",
        "/addressbooks/7/default/",
        Some("0"),
        quota,
    )
    .await;
    let body = String::from_utf8(after.body).unwrap();
    let grown = read(&body, "quota-used-bytes");
    assert!(grown > used, "{body}");
    assert_eq!(
        read(&body, "quota-available-bytes"),
        support::memory::QUOTA_BYTES - grown
    );
}

#[tokio::test]
async fn a_read_only_book_is_listed_read_synced_and_refuses_writes() {
    let dav = dav();
    dav.store().insert_team(
        "t1",
        person("t1", "Tineke", "", "Team", "tineke@demo-bv.nl"),
    );
    let privileges = r#"<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:"><d:prop><d:displayname/><d:current-user-privilege-set/><d:sync-token/></d:prop></d:propfind>"#;
    let home = call(&dav, "PROPFIND", "/addressbooks/7/", Some("1"), privileges).await;
    assert_eq!(home.status, 207);
    let body = String::from_utf8(home.body).unwrap();
    let team = body
        .split("<d:response>")
        .find(|r| r.contains("<d:href>/dav/addressbooks/7/team/</d:href>"))
        .unwrap_or_else(|| panic!("{body}"));
    assert!(team.contains("Team (alleen lezen)"));
    assert!(
        team.contains("<d:read/>") && !team.contains("<d:write"),
        "{team}"
    );
    assert!(team.contains("urn:postkamer:sync:team:1"), "{team}");
    let default = body
        .split("<d:response>")
        .find(|r| r.contains("/addressbooks/7/default/</d:href>"))
        .unwrap();
    assert!(default.contains("<d:write-content/>"), "{default}");

    // Read: GET and a sync from scratch.
    let got = call(&dav, "GET", "/addressbooks/7/team/t1.vcf", None, "").await;
    assert_eq!(got.status, 200);
    assert!(String::from_utf8_lossy(&got.body).contains("FN:Tineke Team"));
    let sync = |token: &str| {
        format!(
            r#"<?xml version="1.0" encoding="utf-8"?><d:sync-collection xmlns:d="DAV:"><d:sync-token>{token}</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>"#
        )
    };
    let initial = call(
        &dav,
        "REPORT",
        "/addressbooks/7/team/",
        Some("1"),
        &sync(""),
    )
    .await;
    let text = String::from_utf8(initial.body).unwrap();
    assert!(text.contains("/dav/addressbooks/7/team/t1.vcf"), "{text}");
    assert!(text.contains("<d:sync-token>urn:postkamer:sync:team:1</d:sync-token>"));
    // Another book's token is not this book's.
    let default_token = "urn:postkamer:sync:default:1";
    let wrong = call(
        &dav,
        "REPORT",
        "/addressbooks/7/team/",
        Some("1"),
        &sync(default_token),
    )
    .await;
    assert_eq!(wrong.status, 403);
    assert!(String::from_utf8_lossy(&wrong.body).contains("valid-sync-token"));

    // Writes are refused with need-privileges, and reach no store (it would panic).
    let card = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:t2\r\nFN:Nieuw\r\nN:Nieuw;;;;\r\nEND:VCARD\r\n";
    let put = call(&dav, "PUT", "/addressbooks/7/team/t2.vcf", None, card).await;
    assert_eq!(put.status, 403, "{}", shown(&put));
    assert!(String::from_utf8_lossy(&put.body).contains("<d:need-privileges>"));
    let delete = call(&dav, "DELETE", "/addressbooks/7/team/t1.vcf", None, "").await;
    assert_eq!(delete.status, 403);
    assert_eq!(
        call(&dav, "GET", "/addressbooks/7/team/t1.vcf", None, "")
            .await
            .status,
        200,
        "still there"
    );

    // A book the user does not have: 404 for every method.
    for (method, path) in [
        ("PROPFIND", "/addressbooks/7/onbekend/"),
        ("REPORT", "/addressbooks/7/onbekend/"),
        ("PUT", "/addressbooks/7/onbekend/x.vcf"),
        ("DELETE", "/addressbooks/7/onbekend/x.vcf"),
        ("GET", "/addressbooks/7/onbekend/x.vcf"),
    ] {
        let body = if method == "REPORT" {
            sync("")
        } else {
            card.to_owned()
        };
        let body = if method == "PROPFIND" {
            privileges.to_owned()
        } else {
            body
        };
        let response = call(&dav, method, path, Some("1"), &body).await;
        assert_eq!(
            response.status,
            404,
            "{method} {path}: {}",
            shown(&response)
        );
    }
}
