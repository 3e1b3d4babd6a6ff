//! Syncs killed halfway resume without loss or duplicates; a hostile server ends the pass with a
//! clear error.

use crate::support;
use crate::support::{Raw, TIMEOUT};
use crate::{Fixture, fixture, mail, pass, total};
use postkamer_core::mail::MailStorage;
use postkamer_domain::PageRequest;
use postkamer_domain::mail::FolderRole;
use postkamer_domain::mail::MessageQuery;
use postkamer_mail::imap::ImapConnection;
use postkamer_mail::sync::{self, SyncOptions};
use postkamer_store::Store;
use rand::{Rng, SeedableRng};

pub(crate) async fn killed_syncs_resume_without_loss_or_duplicates(store: Store) {
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

pub(crate) async fn a_hostile_server_ends_the_pass_with_a_clear_error(store: Store) {
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
    let status = crate::status(&store, &f).await;
    let inbox = status
        .folders
        .iter()
        .find(|folder| folder.role == FolderRole::Inbox)
        .unwrap();
    assert_eq!(inbox.last_error.as_deref(), Some(dutch.as_str()));
}
