//! Waiting for new mail: IDLE, and the NOOP polling that stands in for it.

use std::time::Duration;

use postkamer_mail::imap::{Flags, IdleEvent};

use crate::support::{connect, message, unique_user};

#[tokio::test]
async fn idle_wakes_up_when_mail_arrives() {
    let user = unique_user("idle");
    let mut conn = connect(&user).await;
    conn.select("INBOX").await.expect("select");
    conn.uids(None).await.expect("uids");
    // IDLE in a task (which also shows the future is Send); the other connection's APPEND must
    // end it with Changed long before the limit.
    let idle = tokio::spawn(conn.idle(Duration::from_secs(60), std::future::pending()));
    let mut other = connect(&user).await;
    other
        .append("INBOX", &message("nieuw", "Er is post."), Flags::default())
        .await
        .expect("append");
    let (mut conn, event) = idle.await.expect("idle task").expect("idle");
    assert_eq!(event, IdleEvent::Changed);
    // The connection is usable afterwards and sees the message.
    assert_eq!(conn.uids(None).await.expect("uids").len(), 1);
}

#[tokio::test]
async fn idle_times_out_and_stops() {
    let mut conn = connect(&unique_user("idle-timeout")).await;
    conn.select("INBOX").await.expect("select");
    let (conn, event) = conn
        .idle(Duration::from_millis(300), std::future::pending())
        .await
        .expect("idle");
    assert_eq!(event, IdleEvent::Timeout);
    let (mut conn, event) = conn
        .idle(Duration::from_secs(60), std::future::ready(()))
        .await
        .expect("idle");
    assert_eq!(event, IdleEvent::Stopped);
    assert!(conn.uids(None).await.expect("usable afterwards").is_empty());
}

#[tokio::test]
async fn idle_reports_changes_seen_before_it_started() {
    let user = unique_user("idle-before");
    let mut conn = connect(&user).await;
    conn.select("INBOX").await.expect("select");
    conn.uids(None).await.expect("uids");
    let mut other = connect(&user).await;
    other
        .append("INBOX", &message("tussendoor", "x"), Flags::default())
        .await
        .expect("append");
    // The EXISTS comes in with the answer to this unrelated command ...
    conn.fetch(&[1]).await.expect("fetch");
    // ... and IDLE does not wait for a second announcement.
    let (_, event) = conn
        .idle(Duration::from_secs(60), std::future::pending())
        .await
        .expect("idle");
    assert_eq!(event, IdleEvent::Changed);
}

#[tokio::test]
async fn polling_stands_in_for_idle() {
    let user = unique_user("poll");
    let mut conn = connect(&user).await;
    conn.forget_capability("IDLE");
    conn.select("INBOX").await.expect("select");
    conn.uids(None).await.expect("uids");
    let (mut conn, event) = conn
        .idle(Duration::from_millis(300), std::future::pending())
        .await
        .expect("poll");
    assert_eq!(event, IdleEvent::Timeout);
    conn.uids(None).await.expect("uids");
    let mut other = connect(&user).await;
    other
        .append("INBOX", &message("nieuw", "x"), Flags::default())
        .await
        .expect("append");
    let (_, event) = conn
        .idle(Duration::from_secs(60), std::future::pending())
        .await
        .expect("poll");
    assert_eq!(event, IdleEvent::Changed);
}
