//! Reading, flagging, moving and storing messages.

use std::time::{Duration, Instant};

use postkamer_mail::imap::{Flags, ImapError, ImapStep};

use crate::support::{Raw, connect, inbox_with, large_message, message, unique_user};

#[tokio::test]
async fn append_uids_fetch_round_trip() {
    let mut conn = connect(&unique_user("round-trip")).await;
    let raws = vec![
        message("eerste", "Hallo."),
        message(
            "tweede",
            "Één café, naïef geëxporteerd: €12,50 — ‘quotes’ en 日本語.",
        ),
        message("derde", "Regel 1\r\nRegel 2\r\n\r\n-- \r\nJan"),
    ];
    let appended = conn
        .append("INBOX", &raws[0], Flags::default())
        .await
        .expect("append");
    assert!(appended.is_some(), "APPENDUID expected from Dovecot");
    for raw in &raws[1..] {
        conn.append("INBOX", raw, Flags::default())
            .await
            .expect("append");
    }
    let state = conn.select("INBOX").await.expect("select");
    assert_eq!(state.exists, 3);
    assert!(
        state.highest_modseq.is_some(),
        "CONDSTORE gives HIGHESTMODSEQ"
    );
    let uids = conn.uids(None).await.expect("uids");
    assert_eq!(uids.len(), 3);
    assert!(uids.windows(2).all(|w| w[0] < w[1]), "{uids:?}");
    assert_eq!(Some(uids[0]), appended);
    assert_eq!(state.uid_next, uids[2] + 1);

    // Asked in any order, with a duplicate and a UID that does not exist.
    let fetched = conn
        .fetch(&[uids[2], uids[0], uids[1], uids[0], uids[2] + 100])
        .await
        .expect("fetch");
    assert_eq!(fetched.len(), 3);
    for ((message, uid), raw) in fetched.iter().zip(&uids).zip(&raws) {
        assert_eq!(message.uid, *uid);
        assert!(message.raw == *raw, "message {uid} differs");
        assert_eq!(message.flags, Flags::default());
        assert!(message.modseq.is_some());
    }
    assert!(conn.fetch(&[]).await.expect("empty fetch").is_empty());

    // Found again by Message-ID (how a sent copy is recognised before it is APPENDed twice).
    assert_eq!(
        conn.with_message_id("tweede@example.nl")
            .await
            .expect("search"),
        [uids[1]]
    );
    assert!(
        conn.with_message_id("vierde@example.nl")
            .await
            .expect("search")
            .is_empty()
    );
    assert!(matches!(
        conn.with_message_id("a\r\nb").await,
        Err(ImapError::InvalidInput(_))
    ));
}

#[tokio::test]
async fn large_message_round_trip() {
    let mut conn = connect(&unique_user("large")).await;
    let raw = large_message(25 * 1024 * 1024);
    let started = Instant::now();
    let uids = inbox_with(&mut conn, std::slice::from_ref(&raw)).await;
    let fetched = conn.fetch(&uids).await.expect("fetch 25 MB");
    assert_eq!(fetched.len(), 1);
    assert_eq!(fetched[0].raw.len(), raw.len());
    assert!(fetched[0].raw == raw, "25 MB message differs");
    // Linear, not quadratic: far below this even in a debug build.
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn fetch_does_not_mark_as_read() {
    let user = unique_user("peek");
    let mut conn = connect(&user).await;
    let uids = inbox_with(&mut conn, &[message("ongelezen", "Nog niet gelezen.")]).await;
    let fetched = conn.fetch(&uids).await.expect("fetch");
    assert!(!fetched[0].flags.seen);
    let mut raw = Raw::login(&user).await;
    assert_eq!(raw.flags("INBOX", uids[0]).await, (false, false));
    raw.logout().await;
}

#[tokio::test]
async fn set_flags_is_visible_to_another_client() {
    let user = unique_user("flags");
    let mut conn = connect(&user).await;
    let uids = inbox_with(&mut conn, &[message("vlaggen", "x")]).await;
    let mut raw = Raw::login(&user).await;

    conn.set_flags(uids[0], Some(true), Some(true))
        .await
        .expect("set both");
    assert_eq!(raw.flags("INBOX", uids[0]).await, (true, true));
    conn.set_flags(uids[0], None, Some(false))
        .await
        .expect("clear flagged");
    assert_eq!(raw.flags("INBOX", uids[0]).await, (true, false));
    conn.set_flags(uids[0], Some(false), Some(true))
        .await
        .expect("swap");
    assert_eq!(raw.flags("INBOX", uids[0]).await, (false, true));
    conn.set_flags(uids[0], None, None)
        .await
        .expect("nothing to do");
    assert_eq!(raw.flags("INBOX", uids[0]).await, (false, true));

    let fetched = conn.fetch(&uids).await.expect("fetch");
    assert_eq!(
        fetched[0].flags,
        Flags {
            seen: false,
            flagged: true
        }
    );
    raw.logout().await;
}

async fn check_move_to_trash(without_move: bool) {
    let mut conn = connect(&unique_user(if without_move {
        "copy-expunge"
    } else {
        "move"
    }))
    .await;
    if without_move {
        conn.forget_capability("MOVE");
    }
    let raws = [
        message("weg", "Naar de prullenbak."),
        message("blijft", "Blijft staan."),
    ];
    let uids = inbox_with(&mut conn, &raws).await;
    let new_uid = conn.move_to(uids[0], "Trash").await.expect("move");
    assert!(new_uid.is_some(), "COPYUID expected");
    assert_eq!(conn.uids(None).await.expect("inbox uids"), [uids[1]]);

    let state = conn.select("Trash").await.expect("select Trash");
    assert_eq!(state.exists, 1);
    let in_trash = conn.uids(None).await.expect("trash uids");
    assert_eq!(in_trash, [new_uid.unwrap_or(0)]);
    let fetched = conn.fetch(&in_trash).await.expect("fetch from Trash");
    assert!(fetched[0].raw == raws[0]);
}

#[tokio::test]
async fn move_to_trash() {
    check_move_to_trash(false).await;
}

#[tokio::test]
async fn move_to_trash_without_move_capability() {
    check_move_to_trash(true).await;
}

#[tokio::test]
async fn changed_flags_with_condstore() {
    let user = unique_user("condstore");
    let mut conn = connect(&user).await;
    let raws = [message("a", "1"), message("b", "2"), message("c", "3")];
    let uids = inbox_with(&mut conn, &raws).await;
    let modseq = conn
        .select("INBOX")
        .await
        .expect("select")
        .highest_modseq
        .expect("HIGHESTMODSEQ");
    assert!(
        conn.changed_flags(Some(modseq))
            .await
            .expect("none yet")
            .is_empty()
    );

    let mut raw = Raw::login(&user).await;
    raw.store("INBOX", uids[1], "+FLAGS (\\Seen)").await;
    raw.logout().await;

    let changed = conn
        .changed_flags(Some(modseq))
        .await
        .expect("changed flags");
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert_eq!(changed[0].uid, uids[1]);
    assert_eq!(
        changed[0].flags,
        Flags {
            seen: true,
            flagged: false
        }
    );
    assert!(changed[0].modseq.is_some_and(|m| m > modseq));

    // Without a mod-sequence: every message.
    let all = conn.changed_flags(None).await.expect("all flags");
    assert_eq!(all.iter().map(|u| u.uid).collect::<Vec<_>>(), uids);
}

#[tokio::test]
async fn flags_without_condstore() {
    let user = unique_user("no-condstore");
    let mut conn = connect(&user).await;
    conn.forget_capability("CONDSTORE");
    conn.forget_capability("QRESYNC");
    let uids = inbox_with(&mut conn, &[message("a", "1"), message("b", "2")]).await;
    let state = conn.select("INBOX").await.expect("select");
    assert_eq!(state.highest_modseq, None);
    conn.set_flags(uids[0], None, Some(true))
        .await
        .expect("flag");
    let all = conn.changed_flags(Some(12345)).await.expect("all flags");
    assert_eq!(all.len(), 2);
    assert_eq!(
        all[0].flags,
        Flags {
            seen: false,
            flagged: true
        }
    );
    assert_eq!(all[1].flags, Flags::default());
    let fetched = conn.fetch(&uids).await.expect("fetch");
    assert!(fetched.iter().all(|m| m.modseq.is_none()));
}

#[tokio::test]
async fn uids_since_a_date_and_in_windows() {
    let user = unique_user("since");
    let mut raw = Raw::login(&user).await;
    for (i, date) in ["01-Jan-2020 10:00:00 +0000", "15-Jun-2021 10:00:00 +0000"]
        .iter()
        .enumerate()
    {
        raw.append("INBOX", &message(&format!("oud{i}"), "oud"), Some(date))
            .await;
    }
    for i in 0..5 {
        raw.append("INBOX", &message(&format!("nieuw{i}"), "nieuw"), None)
            .await;
    }
    raw.logout().await;

    let mut conn = connect(&user).await;
    conn.select("INBOX").await.expect("select");
    let all = conn.uids(None).await.expect("all");
    assert_eq!(all.len(), 7);
    assert_eq!(
        conn.uids(Some((2021, 1, 1))).await.expect("since 2021"),
        all[1..]
    );
    assert_eq!(
        conn.uids(Some((2022, 1, 1))).await.expect("since 2022"),
        all[2..]
    );
    assert!(
        conn.uids(Some((2999, 1, 1)))
            .await
            .expect("future")
            .is_empty()
    );
    assert!(matches!(
        conn.uids(Some((2023, 2, 29))).await,
        Err(ImapError::InvalidInput(_))
    ));

    // The same answers when searched in windows of 2 and 3 messages.
    for window in [2, 3] {
        conn.set_search_window(window);
        assert_eq!(conn.uids(None).await.expect("windowed"), all);
        assert_eq!(
            conn.uids(Some((2021, 1, 1))).await.expect("windowed since"),
            all[1..]
        );
    }
}

#[tokio::test]
async fn uidvalidity_changes_when_a_folder_is_recreated() {
    let user = unique_user("uidvalidity");
    let mut raw = Raw::login(&user).await;
    raw.create_folder("Project").await;
    let mut conn = connect(&user).await;
    conn.append("Project", &message("p", "x"), Flags::default())
        .await
        .expect("append");
    let before = conn.select("Project").await.expect("select").uid_validity;
    conn.select("INBOX").await.expect("select INBOX");

    raw.delete_folder("Project").await;
    raw.create_folder("Project").await;
    raw.logout().await;
    let after = conn.select("Project").await.expect("select again");
    assert_ne!(after.uid_validity, before);
    assert_eq!(after.exists, 0);
}

#[tokio::test]
async fn refusals_and_misuse() {
    let mut conn = connect(&unique_user("refusals")).await;
    let error = conn
        .select("Bestaat-niet")
        .await
        .expect_err("no such folder");
    assert!(
        matches!(
            error,
            ImapError::Rejected {
                during: ImapStep::Select,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(!error.breaks_connection());
    // Nothing is selected after a failed SELECT.
    assert!(matches!(
        conn.uids(None).await,
        Err(ImapError::InvalidInput(_))
    ));
    assert!(matches!(
        conn.select("a\r\nb").await,
        Err(ImapError::InvalidInput(_))
    ));
    // The connection is still fine.
    conn.select("INBOX").await.expect("select INBOX");
    assert!(conn.uids(None).await.expect("uids").is_empty());
    assert!(
        conn.changed_flags(None)
            .await
            .expect("flags of nothing")
            .is_empty()
    );
    let error = conn
        .append("Bestaat-niet", &message("x", "y"), Flags::default())
        .await
        .expect_err("append to a missing folder");
    assert!(
        matches!(
            error,
            ImapError::Rejected {
                during: ImapStep::Append,
                ..
            }
        ),
        "{error:?}"
    );
    conn.logout().await.expect("logout");
}
