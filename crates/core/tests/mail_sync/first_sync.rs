//! The first sync of every folder, new mail during IDLE, flags changed by another client and a
//! UIDVALIDITY reset.

use crate::support;
use crate::support::{Raw, TIMEOUT};
use crate::{first_hit, fixture, list, mail, pass, total};
use postkamer_core::mail::MailStorage;
use postkamer_domain::PageRequest;
use postkamer_domain::mail::FolderRole;
use postkamer_domain::mail::MessageQuery;
use postkamer_mail::imap::{IdleEvent, ImapConnection};
use postkamer_mail::sync;
use postkamer_store::Store;

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

pub(crate) async fn first_sync_stores_every_folder_once(store: Store) {
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
    let status = crate::status(&store, &f).await;
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

pub(crate) async fn new_mail_during_idle_is_picked_up(store: Store) {
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

pub(crate) async fn flags_changed_elsewhere_show_up(store: Store) {
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

pub(crate) async fn uidvalidity_reset_leaves_no_duplicates(store: Store) {
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
