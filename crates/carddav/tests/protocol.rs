//! The protocol in process, with request bodies of real clients (iOS Contacts, DAVx5; see
//! resources/requests/README.md for where each comes from), answers asserted as snapshots:
//! discovery, PROPFIND, multiget, query, sync-collection (initial, incremental, after a delete,
//! bad token), PUT create/update/412, DELETE, and bad input.

#![allow(clippy::unwrap_used)]

#[path = "protocol/books.rs"]
mod books;
mod support;
#[path = "protocol/writes.rs"]
mod writes;

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
