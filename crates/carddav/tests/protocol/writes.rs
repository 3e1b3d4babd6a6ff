//! Writes and queries: PUT create, update and 412, DELETE, addressbook-query, and bad input that
//! gets a clear answer and changes nothing.

use crate::{call, captured, dav, send, shown, user};
use postkamer_carddav::Request;

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
