//! Books with limits: the quota reported and a full book refusing new cards, a read-only book.

use crate::support;
use crate::{call, captured, dav, person, send, shown};

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
