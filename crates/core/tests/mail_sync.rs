//! The sync engine against the real Dovecot of scripts/test.sh, into both store engines:
//! first sync, IDLE, flags from another client, UIDVALIDITY reset, crash safety, linking and
//! hostile mail.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../../store/tests/store/harness.rs"]
#[macro_use]
mod harness;
#[path = "../../mail/tests/support/mod.rs"]
mod support;

use postkamer_core::mail::MailStorage;
use postkamer_domain::mail::sync::MailboxRecord;
use postkamer_domain::mail::{FolderRole, TlsMode};
use postkamer_domain::mail::{MessageQuery, TimelineOf};
use postkamer_domain::relation::Actor;
use postkamer_domain::relation::{EmailInput, PersonInput};
use postkamer_domain::{Locale, NewUser, OrgId, PageRequest, Role, User};
use postkamer_mail::imap::{IdleEvent, ImapConnection};
use postkamer_mail::sync::{self, SyncOptions};
use postkamer_store::Store;
use postkamer_store::mail::MailboxUpdate;
use rand::{Rng, SeedableRng};
use support::{Raw, TIMEOUT, unique_user};

on_both_engines![
    first_sync_stores_every_folder_once,
    new_mail_during_idle_is_picked_up,
    flags_changed_elsewhere_show_up,
    uidvalidity_reset_leaves_no_duplicates,
    killed_syncs_resume_without_loss_or_duplicates,
    addresses_in_any_case_link_to_one_person,
    hostile_mail_is_stored_and_shown_safely,
    messages_over_the_cap_are_kept_as_their_header,
    a_hostile_server_ends_the_pass_with_a_clear_error,
];

struct Fixture {
    org: OrgId,
    user: User,
    login: String,
    mailbox: MailboxRecord,
}

async fn fixture(store: &Store, test: &str) -> Fixture {
    let org = store.create_org("Org").await.unwrap().id;
    let login = unique_user(test);
    let user = store
        .create_user(&NewUser {
            org_id: org,
            name: "Anna".into(),
            email: postkamer_domain::EmailAddress::parse("anna@org.nl").unwrap(),
            role: Role::Gebruiker,
            password_hash: "x".into(),
            locale: Locale::Nl,
        })
        .await
        .unwrap();
    let server = support::server();
    let mailbox = store
        .save_mailbox(
            org,
            user.id,
            &MailboxUpdate {
                host: server.host,
                port: server.port,
                tls: TlsMode::None,
                login: login.clone(),
                password_sealed: Some(Vec::new()),
                since: None,
                enabled: true,
            },
        )
        .await
        .unwrap();
    Fixture {
        org,
        user,
        login,
        mailbox,
    }
}

fn mail(n: usize, from: &str, subject: &str, body: &str) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: anna@org.nl\r\nSubject: {subject}\r\n\
         Date: Tue, 5 Mar 2024 10:{:02}:{:02} +0100\r\nMessage-ID: <m{n}-{subject}@test>\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n",
        (n / 60) % 60,
        n % 60
    )
    .into_bytes()
}

async fn list(store: &Store, f: &Fixture, folder: FolderRole) -> Vec<String> {
    let page = store
        .list_messages(
            f.org,
            f.user.id,
            &MessageQuery {
                folder,
                search: String::new(),
                page: PageRequest::new(Some(1), Some(100)),
            },
        )
        .await
        .unwrap();
    page.items.into_iter().map(|m| m.subject).collect()
}

/// The newest message of `folder` matching `search`.
async fn first_hit(
    store: &Store,
    f: &Fixture,
    folder: FolderRole,
    search: &str,
) -> postkamer_store::mail::MessageRecord {
    let page = store
        .list_messages(
            f.org,
            f.user.id,
            &MessageQuery {
                folder,
                search: search.to_owned(),
                page: PageRequest::default(),
            },
        )
        .await
        .unwrap();
    let first = page
        .items
        .first()
        .unwrap_or_else(|| panic!("no message matches {search:?}"));
    store.message(f.org, f.user.id, first.id).await.unwrap()
}

async fn total(store: &Store, f: &Fixture, folder: FolderRole) -> u64 {
    store
        .list_messages(
            f.org,
            f.user.id,
            &MessageQuery {
                folder,
                search: String::new(),
                page: PageRequest::new(Some(1), Some(1)),
            },
        )
        .await
        .unwrap()
        .total
}

async fn pass(store: &Store, f: &Fixture) -> sync::SyncReport {
    let mut conn = support::connect(&f.login).await;
    let report = sync::sync_mailbox(&MailStorage::new(store.clone()), &mut conn, &f.mailbox)
        .await
        .unwrap();
    conn.logout().await.unwrap();
    report
}

const MULTIPART: &[u8] = b"From: =?UTF-8?Q?Jo=C3=ABlle_de_Vr=C3=AEs?= <joelle@voorbeeld.nl>\r\n\
To: anna@org.nl\r\n\
Subject: =?ISO-8859-1?Q?Offerte_caf=E9?=\r\n\
Date: Tue, 3 Nov 2026 10:15:00 +0100\r\n\
Message-ID: <multi@voorbeeld.nl>\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=\"b1\"\r\n\
\r\n\
--b1\r\n\
Content-Type: multipart/alternative; boundary=\"b2\"\r\n\
\r\n\
--b2\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
Content-Transfer-Encoding: quoted-printable\r\n\
\r\n\
Beste Anna, hierbij de offerte voor het caf=C3=A9. Groet, Jo=C3=ABlle\r\n\
--b2\r\n\
Content-Type: text/html; charset=utf-8\r\n\
\r\n\
<p>Beste Anna,</p><p>hierbij de offerte voor het caf\xc3\xa9.</p>\r\n\
--b2--\r\n\
--b1\r\n\
Content-Type: application/pdf; name=\"offerte.pdf\"\r\n\
Content-Disposition: attachment; filename=\"offerte.pdf\"\r\n\
Content-Transfer-Encoding: base64\r\n\
\r\n\
JVBERi0xLjQK\r\n\
--b1--\r\n";

async fn first_sync_stores_every_folder_once(store: Store) {
    let f = fixture(&store, "first").await;
    let mut raw = Raw::login(&f.login).await;
    raw.append("INBOX", MULTIPART, None).await;
    for n in 0..5 {
        raw.append(
            "INBOX",
            &mail(n, "klant@x.nl", &format!("bericht-{n}"), "hallo"),
            None,
        )
        .await;
    }
    // The same message in Sent and Inbox (sent to oneself): stored once, in both lists.
    let own = mail(99, "anna@org.nl", "aan-mezelf", "notitie");
    raw.append("INBOX", &own, None).await;
    raw.append("Sent", &own, None).await;
    raw.append("Trash", &mail(100, "spam@x.nl", "weg", "x"), None)
        .await;
    raw.logout().await;

    let report = pass(&store, &f).await;
    assert_eq!(report.fetched(), 9);
    assert!(report.missing.is_empty());
    let inbox = list(&store, &f, FolderRole::Inbox).await;
    assert_eq!(inbox.len(), 7);
    assert!(inbox.contains(&"Offerte café".to_owned()), "{inbox:?}");
    assert_eq!(list(&store, &f, FolderRole::Sent).await, ["aan-mezelf"]);
    assert_eq!(list(&store, &f, FolderRole::Trash).await, ["weg"]);
    let status = store.sync_status(f.mailbox.settings.id).await.unwrap();
    for folder in &status.folders {
        assert!(folder.first_sync_done, "{folder:?}");
        assert_eq!(folder.stored, folder.on_server, "{folder:?}");
        assert!(folder.last_success_at.is_some());
    }
    // One stored message, two locations.
    let record = first_hit(&store, &f, FolderRole::Sent, "").await;
    assert_eq!(record.locations.len(), 2);

    // The multipart message: parsed fields and the raw bytes exactly as on the server.
    let page = store
        .list_messages(
            f.org,
            f.user.id,
            &MessageQuery {
                folder: FolderRole::Inbox,
                search: "offerte cafe".into(),
                page: PageRequest::default(),
            },
        )
        .await
        .unwrap();
    assert_eq!(page.total, 1);
    let summary = &page.items[0];
    assert!(summary.has_attachments);
    assert_eq!(
        summary.from.as_ref().unwrap().name.as_deref(),
        Some("Joëlle de Vrîs")
    );
    assert_eq!(summary.seen, Some(false), "fetching does not mark read");
    let record = store.message(f.org, f.user.id, summary.id).await.unwrap();
    assert_eq!(
        postkamer_mail::compress::unpack(&record.raw_compressed).unwrap(),
        MULTIPART
    );

    // A second pass fetches nothing.
    assert_eq!(pass(&store, &f).await.fetched(), 0);
    assert_eq!(total(&store, &f, FolderRole::Inbox).await, 7);
}

async fn new_mail_during_idle_is_picked_up(store: Store) {
    let f = fixture(&store, "idle").await;
    let mut raw = Raw::login(&f.login).await;
    raw.append("INBOX", &mail(1, "a@x.nl", "oud", "x"), None)
        .await;
    let mut conn = support::connect(&f.login).await;
    sync::sync_mailbox(&MailStorage::new(store.clone()), &mut conn, &f.mailbox)
        .await
        .unwrap();
    let inbox = store
        .folders(f.mailbox.settings.id)
        .await
        .unwrap()
        .into_iter()
        .find(|x| x.role == FolderRole::Inbox)
        .unwrap();
    sync::sync_folder(
        &MailStorage::new(store.clone()),
        &mut conn,
        &f.mailbox,
        inbox.clone(),
        None,
    )
    .await
    .unwrap();

    // Deliver while the connection waits in IDLE; the wait ends because of it.
    let deliver = async {
        raw.append("INBOX", &mail(2, "b@x.nl", "nieuw", "x"), None)
            .await;
    };
    let idle = conn.idle(TIMEOUT, std::future::pending());
    let ((back, event), ()) = tokio::join!(async { idle.await.unwrap() }, deliver);
    assert_eq!(event, IdleEvent::Changed);
    let mut conn: ImapConnection = back;
    let report = sync::sync_folder(
        &MailStorage::new(store.clone()),
        &mut conn,
        &f.mailbox,
        store.folder(inbox.id).await.unwrap(),
        None,
    )
    .await
    .unwrap();
    assert_eq!(report.fetched, 1);
    assert_eq!(list(&store, &f, FolderRole::Inbox).await, ["nieuw", "oud"]);
    // Nothing new: a short IDLE times out.
    let (conn, event) = conn
        .idle(
            std::time::Duration::from_millis(300),
            std::future::pending(),
        )
        .await
        .unwrap();
    assert_eq!(event, IdleEvent::Timeout);
    conn.logout().await.unwrap();
    raw.logout().await;
}

async fn flags_changed_elsewhere_show_up(store: Store) {
    let f = fixture(&store, "flags").await;
    let mut raw = Raw::login(&f.login).await;
    for n in 0..3 {
        raw.append("INBOX", &mail(n, "a@x.nl", &format!("m{n}"), "x"), None)
            .await;
    }
    pass(&store, &f).await;
    let page = store
        .list_messages(
            f.org,
            f.user.id,
            &MessageQuery {
                folder: FolderRole::Inbox,
                search: "m1".into(),
                page: PageRequest::default(),
            },
        )
        .await
        .unwrap();
    assert_eq!(
        (page.items[0].seen, page.items[0].flagged),
        (Some(false), Some(false))
    );
    let record = store
        .message(f.org, f.user.id, page.items[0].id)
        .await
        .unwrap();
    let uid = record.locations[0].uid;
    raw.store("INBOX", uid, r"+FLAGS (\Seen \Flagged)").await;
    let report = pass(&store, &f).await;
    assert_eq!(
        report.folders.iter().map(|r| r.flags_changed).sum::<u64>(),
        1
    );
    let again = store
        .message(f.org, f.user.id, page.items[0].id)
        .await
        .unwrap();
    assert_eq!(
        (again.summary.seen, again.summary.flagged),
        (Some(true), Some(true))
    );
    // And back.
    raw.store("INBOX", uid, r"-FLAGS (\Flagged)").await;
    pass(&store, &f).await;
    let again = store
        .message(f.org, f.user.id, page.items[0].id)
        .await
        .unwrap();
    assert_eq!(again.summary.flagged, Some(false));
    // An expunge elsewhere removes it here.
    raw.store("INBOX", uid, r"+FLAGS (\Deleted)").await;
    raw.expunge("INBOX").await;
    let report = pass(&store, &f).await;
    assert_eq!(report.folders.iter().map(|r| r.removed).sum::<u64>(), 1);
    assert_eq!(list(&store, &f, FolderRole::Inbox).await, ["m2", "m0"]);
    raw.logout().await;
}

async fn uidvalidity_reset_leaves_no_duplicates(store: Store) {
    let f = fixture(&store, "uidvalidity").await;
    let mut raw = Raw::login(&f.login).await;
    let messages: Vec<Vec<u8>> = (0..4)
        .map(|n| mail(n, "a@x.nl", &format!("t{n}"), "x"))
        .collect();
    for m in &messages {
        raw.append("Trash", m, None).await;
    }
    pass(&store, &f).await;
    let before = store.folders(f.mailbox.settings.id).await.unwrap();
    let trash_before = before
        .iter()
        .find(|x| x.role == FolderRole::Trash)
        .unwrap()
        .uid_validity;
    // The folder is recreated: new UIDVALIDITY, the same messages (and one more).
    raw.delete_folder("Trash").await;
    raw.create_folder("Trash").await;
    for m in &messages {
        raw.append("Trash", m, None).await;
    }
    raw.append("Trash", &mail(9, "a@x.nl", "t9", "x"), None)
        .await;
    pass(&store, &f).await;
    let after = store.folders(f.mailbox.settings.id).await.unwrap();
    let trash = after.iter().find(|x| x.role == FolderRole::Trash).unwrap();
    assert_ne!(trash.uid_validity, trash_before);
    let mut subjects = list(&store, &f, FolderRole::Trash).await;
    subjects.sort();
    assert_eq!(subjects, ["t0", "t1", "t2", "t3", "t9"]);
    assert_eq!(store.folder_uids(trash.id).await.unwrap().len(), 5);
    raw.logout().await;
}

async fn killed_syncs_resume_without_loss_or_duplicates(store: Store) {
    let f = fixture(&store, "crash").await;
    let mut raw = Raw::login(&f.login).await;
    const N: usize = 120;
    for n in 0..N {
        raw.append("INBOX", &mail(n, "a@x.nl", &format!("c{n:03}"), "x"), None)
            .await;
    }
    // Duplicated into Sent, so killed batches also hit the "already stored" path.
    for n in 0..10 {
        raw.append("Sent", &mail(n, "a@x.nl", &format!("c{n:03}"), "x"), None)
            .await;
    }
    raw.logout().await;
    let mut rng = rand::rngs::StdRng::seed_from_u64(20261127);
    let options = SyncOptions {
        batch: 7,
        ..SyncOptions::default()
    };
    for _ in 0..20 {
        let (store2, mailbox, login) = (store.clone(), f.mailbox.clone(), f.login.clone());
        let task = tokio::spawn(async move {
            let mut conn = support::connect(&login).await;
            sync::sync_mailbox_with(
                &MailStorage::new(store2.clone()),
                &mut conn,
                &mailbox,
                options,
            )
            .await
            .map(|_| ())
        });
        // Kill it at a random point: while connecting, fetching or writing. (The delay picks
        // the kill point; nothing waits on it for a result.)
        let after = std::time::Duration::from_micros(rng.gen_range(0..150_000));
        tokio::time::sleep(after).await;
        task.abort();
        let _ = task.await;
    }
    // A pass that is not interrupted completes the job.
    pass(&store, &f).await;
    let mut subjects = list_all(&store, &f, FolderRole::Inbox).await;
    assert_eq!(subjects.len(), N, "every message once");
    subjects.dedup();
    assert_eq!(subjects.len(), N, "no duplicates");
    let inbox = store
        .folders(f.mailbox.settings.id)
        .await
        .unwrap()
        .into_iter()
        .find(|x| x.role == FolderRole::Inbox)
        .unwrap();
    let uids: Vec<u32> = store
        .folder_uids(inbox.id)
        .await
        .unwrap()
        .iter()
        .map(|l| l.uid)
        .collect();
    let mut conn = support::connect(&f.login).await;
    conn.select("INBOX").await.unwrap();
    assert_eq!(
        uids,
        conn.uids(None).await.unwrap(),
        "exactly the server's UIDs"
    );
    assert_eq!(total(&store, &f, FolderRole::Sent).await, 10);
    conn.logout().await.unwrap();
}

async fn list_all(store: &Store, f: &Fixture, folder: FolderRole) -> Vec<String> {
    let mut out = Vec::new();
    for page in 1.. {
        let p = store
            .list_messages(
                f.org,
                f.user.id,
                &MessageQuery {
                    folder,
                    search: String::new(),
                    page: PageRequest::new(Some(page), Some(100)),
                },
            )
            .await
            .unwrap();
        let more = p.has_next();
        out.extend(p.items.into_iter().map(|m| m.subject));
        if !more {
            break;
        }
    }
    out.sort();
    out
}

async fn addresses_in_any_case_link_to_one_person(store: Store) {
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

async fn hostile_mail_is_stored_and_shown_safely(store: Store) {
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

async fn messages_over_the_cap_are_kept_as_their_header(store: Store) {
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

async fn a_hostile_server_ends_the_pass_with_a_clear_error(store: Store) {
    use support::hostile::{Body, hostile_server, rss_kb};
    let f = fixture(&store, "hostile-server").await;
    let before = rss_kb();
    let port = hostile_server(100, Body::Literal(1_500_000_000)).await;
    let account = postkamer_mail::imap::ImapAccount {
        host: "127.0.0.1".into(),
        port,
        tls: postkamer_mail::imap::TlsMode::None,
        login: "anna".into(),
        password: "geheim".into(),
        deny: Default::default(),
    };
    let mut conn = ImapConnection::connect(&account, TIMEOUT).await.unwrap();
    let error = sync::sync_mailbox(&MailStorage::new(store.clone()), &mut conn, &f.mailbox)
        .await
        .expect_err("the pass stops");
    let dutch = error.message_nl();
    assert!(
        dutch.starts_with("De mailserver stuurde tijdens het ophalen van berichten"),
        "{dutch}"
    );
    assert!(
        dutch.contains("meer gegevens voor één bericht dan verwacht"),
        "{dutch}"
    );
    assert!(
        rss_kb() < before + 64 * 1024,
        "memory grew: {before} kB → {} kB",
        rss_kb()
    );
    // Nothing half stored; the folder says what went wrong.
    assert_eq!(total(&store, &f, FolderRole::Inbox).await, 0);
    let status = store.sync_status(f.mailbox.settings.id).await.unwrap();
    let inbox = status
        .folders
        .iter()
        .find(|folder| folder.role == FolderRole::Inbox)
        .unwrap();
    assert_eq!(inbox.last_error.as_deref(), Some(dutch.as_str()));
}

/// Waits for `check` to hold, looking every 50 ms, failing after `support::TIMEOUT`.
async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + TIMEOUT;
    while !check().await {
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn two_workers_keep_a_mailbox_in_step_without_duplicates() {
    harness::run_sqlite(|store| async move {
        let f = fixture(&store, "worker").await;
        let mut raw = Raw::login(&f.login).await;
        raw.append("INBOX", &mail(1, "a@x.nl", "voor-start", "x"), None)
            .await;
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let unseal: postkamer_mail::worker::Unseal = {
            let login = f.login.clone();
            std::sync::Arc::new(move |_| Ok(support::account(&login)))
        };
        let config = |owner: &str| postkamer_mail::worker::WorkerConfig {
            owner: owner.to_owned(),
            claim_every: std::time::Duration::from_millis(100),
            ..Default::default()
        };
        // Two instances on one database: one of them takes the mailbox.
        let a = tokio::spawn(postkamer_mail::worker::run(
            MailStorage::new(store.clone()),
            config("a"),
            unseal.clone(),
            stopped.clone(),
        ));
        let b = tokio::spawn(postkamer_mail::worker::run(
            MailStorage::new(store.clone()),
            config("b"),
            unseal,
            stopped,
        ));
        eventually("the first pass", || async {
            store
                .sync_status(f.mailbox.settings.id)
                .await
                .unwrap()
                .last_success_at
                .is_some()
        })
        .await;
        assert_eq!(list(&store, &f, FolderRole::Inbox).await, ["voor-start"]);
        let status = store.sync_status(f.mailbox.settings.id).await.unwrap();
        assert!(
            status.running && status.last_success_at.is_some(),
            "{status:?}"
        );

        // New mail shows up without anyone asking (IDLE).
        raw.append("INBOX", &mail(2, "b@x.nl", "tijdens-idle", "x"), None)
            .await;
        eventually("the IDLE wake-up", || async {
            list(&store, &f, FolderRole::Inbox).await.len() >= 2
        })
        .await;
        raw.logout().await;
        let inbox = store
            .folders(f.mailbox.settings.id)
            .await
            .unwrap()
            .into_iter()
            .find(|x| x.role == FolderRole::Inbox)
            .unwrap();
        assert_eq!(
            store.folder_uids(inbox.id).await.unwrap().len(),
            2,
            "no duplicates"
        );

        stop.send(true).unwrap();
        a.await.unwrap();
        b.await.unwrap();
        assert!(
            !store
                .sync_status(f.mailbox.settings.id)
                .await
                .unwrap()
                .running,
            "the lease is released"
        );
    })
    .await;
}

#[tokio::test]
async fn qresync_reports_flag_changes_and_expunges_in_one_command() {
    let login = unique_user("qresync");
    let mut raw = Raw::login(&login).await;
    for n in 0..3 {
        raw.append("INBOX", &mail(n, "a@x.nl", &format!("q{n}"), "x"), None)
            .await;
    }
    let mut conn = support::connect(&login).await;
    assert!(
        conn.qresync(),
        "Dovecot has QRESYNC; it is enabled at login"
    );
    let state = conn.select("INBOX").await.unwrap();
    let modseq = state.highest_modseq.unwrap();
    let uids = conn.uids(None).await.unwrap();
    raw.store("INBOX", uids[0], r"+FLAGS (\Flagged)").await;
    raw.store("INBOX", uids[2], r"+FLAGS (\Deleted)").await;
    raw.expunge("INBOX").await;
    let postkamer_mail::imap::Changes {
        flags: updates,
        vanished,
    } = conn.changes_since(modseq).await.unwrap().unwrap();
    assert_eq!(vanished, [uids[2]]);
    let flagged: Vec<u32> = updates
        .iter()
        .filter(|u| u.flags.flagged)
        .map(|u| u.uid)
        .collect();
    assert_eq!(flagged, [uids[0]]);
    // Nothing since the newest mod-sequence.
    let now = conn.select("INBOX").await.unwrap().highest_modseq.unwrap();
    let postkamer_mail::imap::Changes {
        flags: updates,
        vanished,
    } = conn.changes_since(now).await.unwrap().unwrap();
    assert!(updates.is_empty() && vanished.is_empty());
    conn.logout().await.unwrap();
    raw.logout().await;
}
