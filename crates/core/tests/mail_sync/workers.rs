//! Two instances on one mailbox, and QRESYNC's flag changes and expunges.

use crate::harness;
use crate::support;
use crate::support::{Raw, TIMEOUT, unique_user};
use crate::{fixture, list, mail};
use postkamer_core::background::{BackgroundConfig, MAIL_SYNC};
use postkamer_core::{Core, CoreConfig, SecretKey};
use postkamer_domain::mail::{FolderRole, MailboxInput, TlsMode};

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
async fn two_instances_keep_a_mailbox_in_step_without_duplicates() {
    harness::run_sqlite(|store| async move {
        let f = fixture(&store, "worker").await;
        let mut raw = Raw::login(&f.login).await;
        raw.append("INBOX", &mail(1, "a@x.nl", "voor-start", "x"), None)
            .await;
        let core = Core::new(
            store.clone(),
            CoreConfig::new(SecretKey::generate().unwrap()),
        );
        // The password sealed with this core's key, as the form saves it.
        let server = support::server();
        let input = MailboxInput {
            host: server.host,
            port: server.port.to_string(),
            tls: TlsMode::None,
            login: f.login.clone(),
            password: server.password,
            since: String::new(),
            enabled: true,
        };
        core.save_mailbox(&f.user, &input).await.unwrap();
        let (stop, stopped) = tokio::sync::watch::channel(false);
        // Two instances on one database: one of them takes the mailbox's sync job.
        let instance = |owner: &str| {
            let mut config = BackgroundConfig::new(owner);
            config.poll = std::time::Duration::from_millis(100);
            let core = core.clone();
            let stopped = stopped.clone();
            tokio::spawn(async move { core.run_background(config, stopped).await })
        };
        let (a, b) = (instance("a"), instance("b"));
        eventually("the first pass", || async {
            crate::status(&store, &f).await.last_success_at.is_some()
        })
        .await;
        assert_eq!(list(&store, &f, FolderRole::Inbox).await, ["voor-start"]);
        assert!(crate::status(&store, &f).await.running, "its job is leased");

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
        let jobs = store.all_jobs(10).await.unwrap();
        let sync: Vec<_> = jobs.iter().filter(|j| j.kind == MAIL_SYNC).collect();
        assert_eq!(sync.len(), 1, "one sync job per mailbox: {jobs:?}");

        stop.send(true).unwrap();
        a.await.unwrap();
        b.await.unwrap();
        assert!(
            !crate::status(&store, &f).await.running,
            "the job is given back"
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
