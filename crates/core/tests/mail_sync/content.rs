//! What a sync makes of the mail: addresses in any case link to one person, hostile mail is stored
//! and shown safely, messages over the cap are kept as their header.

use crate::support;
use crate::support::Raw;
use crate::{first_hit, fixture, list, mail, pass};
use postkamer_core::mail::MailStorage;
use postkamer_domain::PageRequest;
use postkamer_domain::mail::FolderRole;
use postkamer_domain::mail::TimelineOf;
use postkamer_domain::relation::Actor;
use postkamer_domain::relation::{EmailInput, PersonInput};
use postkamer_mail::sync;
use postkamer_store::Store;

pub(crate) async fn addresses_in_any_case_link_to_one_person(store: Store) {
    let f = fixture(&store, "linking").await;
    let mut raw = Raw::login(&f.login).await;
    for (n, from) in [
        "Piet@Klant.NL",
        "piet@klant.nl",
        "Piet Bakker <PIET@KLANT.nl>",
    ]
    .iter()
    .enumerate()
    {
        raw.append("INBOX", &mail(n, from, &format!("v{n}"), "x"), None)
            .await;
    }
    raw.append("INBOX", &mail(7, "ander@klant.nl", "ander", "x"), None)
        .await;
    raw.logout().await;
    pass(&store, &f).await;
    // The contact person is created after the mail arrived.
    let input = PersonInput {
        last_name: "Bakker".into(),
        emails: vec![EmailInput {
            address: "piet@klant.nl".into(),
            primary: true,
        }],
        ..Default::default()
    };
    let piet = store
        .create_person(f.org, &input.validate().unwrap(), Actor::SYSTEM)
        .await
        .unwrap();
    let timeline = store
        .timeline(
            f.org,
            f.user.id,
            TimelineOf::Person(piet.id),
            PageRequest::default(),
        )
        .await
        .unwrap();
    let mut subjects: Vec<_> = timeline.items.iter().map(|m| m.subject.as_str()).collect();
    subjects.sort();
    assert_eq!(subjects, ["v0", "v1", "v2"]);
    assert!(
        timeline
            .items
            .iter()
            .all(|m| m.relations.iter().any(|r| r.id == piet.id))
    );
}

pub(crate) async fn hostile_mail_is_stored_and_shown_safely(store: Store) {
    let f = fixture(&store, "hostile").await;
    let mut raw = Raw::login(&f.login).await;
    let recipients = (0..500)
        .map(|i| format!("r{i}@ontvanger.nl"))
        .collect::<Vec<_>>()
        .join(",\r\n ");
    let hostile: Vec<(&str, Vec<u8>)> = vec![
        ("broken-mime", b"From: a@x.nl\r\nSubject: broken-mime\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\nhalf".to_vec()),
        ("bad-encoding", b"From: a@x.nl\r\nSubject: =?utf-8?B?!!!?= bad-encoding\r\nContent-Type: text/plain; charset=x-unknown\r\nContent-Transfer-Encoding: base64\r\n\r\n@@@@\xff\xfe\r\n".to_vec()),
        ("recipients", format!("From: a@x.nl\r\nTo: {recipients}\r\nSubject: recipients\r\n\r\nhallo allemaal\r\n").into_bytes()),
        ("injection", b"From: a@x.nl\r\nSubject: =?utf-8?Q?injection=0D=0ABcc:_victim@x.nl?=\r\n\r\nx\r\n".to_vec()),
        ("html", b"From: a@x.nl\r\nSubject: html\r\nContent-Type: text/html\r\n\r\n<p onclick=x()>hoi</p><script>alert(1)</script><iframe src=https://evil.example></iframe><a href=\"javascript:alert(1)\">k</a><img src=https://t.example/p.gif>\r\n".to_vec()),
        ("large", support::large_message(25 * 1024 * 1024)),
    ];
    for (_, m) in &hostile {
        raw.append("INBOX", m, None).await;
    }
    raw.logout().await;
    let report = pass(&store, &f).await;
    assert_eq!(report.fetched(), hostile.len() as u64);
    let subjects = list(&store, &f, FolderRole::Inbox).await;
    for (name, _) in &hostile {
        let name = if *name == "large" { "groot" } else { name };
        assert!(
            subjects.iter().any(|s| s.contains(name)),
            "{name} in {subjects:?}"
        );
    }
    // The large one comes back byte for byte.
    let record = first_hit(&store, &f, FolderRole::Inbox, "groot").await;
    assert_eq!(
        postkamer_mail::compress::unpack(&record.raw_compressed).unwrap(),
        hostile[5].1
    );
    // 500 recipients, all kept; the injected Bcc is not an address.
    let record = first_hit(&store, &f, FolderRole::Inbox, "recipients").await;
    assert_eq!(
        record
            .addresses
            .iter()
            .filter(|a| a.email.ends_with("@ontvanger.nl"))
            .count(),
        500
    );
    let record = first_hit(&store, &f, FolderRole::Inbox, "injection").await;
    assert!(record.addresses.iter().all(|a| a.email != "victim@x.nl"));
    // The HTML as the message view shows it.
    let record = first_hit(&store, &f, FolderRole::Inbox, "html").await;
    let raw = postkamer_mail::compress::unpack(&record.raw_compressed).unwrap();
    let body = postkamer_mail::parse::body(&raw);
    let safe = postkamer_mail::html::sanitize(body.html.as_deref().unwrap(), false);
    for bad in ["<script", "onclick", "<iframe", "javascript:", "t.example"] {
        assert!(!safe.html.contains(bad), "{bad} in {}", safe.html);
    }
    assert!(safe.remote_images_blocked);
}

pub(crate) async fn messages_over_the_cap_are_kept_as_their_header(store: Store) {
    let f = fixture(&store, "over-the-cap").await;
    let mut raw = Raw::login(&f.login).await;
    let large = support::large_message(3 * 1024 * 1024);
    raw.append("INBOX", &large, None).await;
    raw.append("INBOX", &mail(1, "piet@klant.nl", "klein", "gewoon"), None)
        .await;
    raw.logout().await;
    let mut conn = support::connect(&f.login).await;
    conn.set_max_message_bytes(1024 * 1024);
    let report = sync::sync_mailbox(&MailStorage::new(store.clone()), &mut conn, &f.mailbox)
        .await
        .unwrap();
    conn.logout().await.unwrap();
    assert_eq!(report.fetched(), 2);
    let record = first_hit(&store, &f, FolderRole::Inbox, "groot").await;
    assert!(record.truncated, "stored as its header");
    assert_eq!(record.size, large.len() as u64, "the size on the server");
    let stored = postkamer_mail::compress::unpack(&record.raw_compressed).unwrap();
    assert!(stored.len() < 64 * 1024, "{} bytes stored", stored.len());
    assert!(stored.starts_with(b"From: jan@example.nl"));
    assert!(
        record.summary.snippet.contains("te groot"),
        "{}",
        record.summary.snippet
    );
    // Sender and recipients as for any message: it links to its relations.
    assert!(
        record
            .addresses
            .iter()
            .any(|a| a.email == "piet@example.nl")
    );
    let small = first_hit(&store, &f, FolderRole::Inbox, "klein").await;
    assert!(!small.truncated);
    // A second pass fetches nothing again.
    assert_eq!(pass(&store, &f).await.fetched(), 0);
}
