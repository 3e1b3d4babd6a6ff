//! Two workers on one mailbox, and QRESYNC's flag changes and expunges.

use crate::harness;
use crate::support;
use crate::support::{Raw, TIMEOUT, unique_user};
use crate::{fixture, list, mail};
use postkamer_core::mail::MailStorage;
use postkamer_domain::mail::FolderRole;

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
