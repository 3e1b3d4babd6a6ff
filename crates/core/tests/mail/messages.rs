//! Messages: read, important and delete written back to the server, and the safe message view.

use crate::support;
use crate::support::Raw;
use crate::{core, find, mail, sync, with_mailbox};
use postkamer_core::CoreError;
use postkamer_domain::PageRequest;
use postkamer_domain::mail::FolderRole;
use postkamer_domain::mail::MessageQuery;
use postkamer_store::Store;

pub(crate) async fn read_important_and_delete_are_written_to_the_server(store: Store) {
    let core = core(store.clone());
    let (anna, login) = with_mailbox(&core, "anna@demo.nl", "writeback").await;
    let mut raw = Raw::login(&login).await;
    raw.append("INBOX", &mail(1, "klant@x.nl", "lezen", "x"), None)
        .await;
    raw.append("INBOX", &mail(2, "klant@x.nl", "weggooien", "x"), None)
        .await;
    sync(&core, &anna).await;

    let read = find(&core, &anna, FolderRole::Inbox, "lezen").await[0];
    core.set_message_flags(&anna, read, Some(true), Some(true))
        .await
        .unwrap();
    let record = store.message(anna.org_id, anna.id, read).await.unwrap();
    assert_eq!(
        raw.flags("INBOX", record.locations[0].uid).await,
        (true, true)
    );
    assert_eq!(
        (record.summary.seen, record.summary.flagged),
        (Some(true), Some(true))
    );
    core.set_message_flags(&anna, read, Some(false), None)
        .await
        .unwrap();
    assert_eq!(
        raw.flags("INBOX", record.locations[0].uid).await,
        (false, true)
    );

    let gone = find(&core, &anna, FolderRole::Inbox, "weggooien").await[0];
    core.delete_message(&anna, gone).await.unwrap();
    assert!(
        find(&core, &anna, FolderRole::Inbox, "weggooien")
            .await
            .is_empty()
    );
    assert_eq!(
        find(&core, &anna, FolderRole::Trash, "weggooien")
            .await
            .len(),
        1
    );
    // On the server too: INBOX has one message left, Trash has it.
    let mut conn = support::connect(&login).await;
    conn.select("INBOX").await.unwrap();
    assert_eq!(conn.uids(None).await.unwrap().len(), 1);
    conn.select("Trash").await.unwrap();
    let trash = conn.uids(None).await.unwrap();
    assert_eq!(trash.len(), 1);
    let fetched = conn.fetch(&trash).await.unwrap();
    assert!(String::from_utf8_lossy(&fetched[0].raw).contains("Subject: weggooien"));
    conn.logout().await.unwrap();
    raw.logout().await;
}

const HTML_MAIL: &[u8] = b"From: a@x.nl\r\nTo: anna@demo.nl\r\nSubject: nieuwsbrief\r\nMessage-ID: <html@test>\r\n\
MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\n\
Content-Type: text/html; charset=utf-8\r\n\r\n\
<p onmouseover=\"x()\">Hallo</p><script>document.cookie</script><img src=\"https://t.example/p.gif\">\
<a href=\"javascript:alert(1)\">klik</a>\r\n--b\r\n\
Content-Type: text/plain; name=\"notities.txt\"\r\nContent-Disposition: attachment; filename=\"notities.txt\"\r\n\r\n\
regel een\r\n--b--\r\n";

pub(crate) async fn message_view_is_safe_and_serves_attachments(store: Store) {
    let core = core(store);
    let (anna, login) = with_mailbox(&core, "anna@demo.nl", "view").await;
    let mut raw = Raw::login(&login).await;
    raw.append("INBOX", HTML_MAIL, None).await;
    let reply = String::from_utf8(mail(3, "a@x.nl", "Re: nieuwsbrief", "antwoord"))
        .unwrap()
        .replace("Content-Type", "In-Reply-To: <html@test>\r\nContent-Type");
    raw.append("INBOX", reply.as_bytes(), None).await;
    raw.logout().await;
    sync(&core, &anna).await;
    let listed = core
        .list_messages(
            &anna,
            &MessageQuery {
                folder: FolderRole::Inbox,
                search: String::new(),
                page: PageRequest::default(),
            },
        )
        .await
        .unwrap();
    let id = listed
        .items
        .iter()
        .find(|m| m.subject == "nieuwsbrief")
        .unwrap()
        .id;
    let view = core.message_view(&anna, id, false).await.unwrap();
    assert_eq!(view.thread.len(), 1, "the reply is in the conversation");
    let html = view.html.as_deref().unwrap();
    for bad in ["<script", "onmouseover", "javascript:", "t.example"] {
        assert!(!html.contains(bad), "{bad}: {html}");
    }
    assert!(html.contains("Hallo"));
    assert!(view.remote_images_blocked);
    assert!(view.owned);
    let with_images = core.message_view(&anna, id, true).await.unwrap();
    assert!(
        with_images
            .html
            .unwrap()
            .contains("https://t.example/p.gif")
    );
    assert_eq!(view.attachments.len(), 1);
    let (info, bytes) = core.attachment(&anna, id, 0).await.unwrap();
    assert_eq!(info.name, "notities.txt");
    assert_eq!(bytes, b"regel een");
    assert!(matches!(
        core.attachment(&anna, id, 5).await,
        Err(CoreError::NotFound)
    ));
    let (_, original) = core.message_raw(&anna, id).await.unwrap();
    assert_eq!(original, HTML_MAIL);
}
