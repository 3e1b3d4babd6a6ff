//! A hostile (or broken) IMAP server, scripted on a socket of 127.0.0.1: a literal of 2 GB
//! announced for a message it said was 100 bytes, a line without end, a message sent larger
//! than reported. Each ends the command with a clear error before the bytes are buffered, and
//! the memory of the process stays where it was.

use std::time::Duration;

use postkamer_mail::imap::{ImapAccount, ImapConnection, ImapError, Overrun, TlsMode};

use crate::support::hostile::{Body, hostile_server, rss_kb};

async fn fetch_from(reported: u64, body: Body) -> ImapError {
    let port = hostile_server(reported, body).await;
    let account = ImapAccount {
        host: "127.0.0.1".into(),
        port,
        tls: TlsMode::None,
        login: "anna".into(),
        password: "geheim".into(),
        deny: Default::default(),
    };
    let mut conn = ImapConnection::connect(&account, Duration::from_secs(10))
        .await
        .expect("connect to the scripted server");
    conn.select("INBOX").await.expect("select");
    let sizes = conn.sizes(&[1]).await.expect("sizes");
    assert_eq!(sizes, [(1, u32::try_from(reported).unwrap_or(u32::MAX))]);
    conn.fetch_sized(&sizes)
        .await
        .expect_err("the server sends more than it may")
}

#[tokio::test]
async fn a_huge_announced_literal_is_refused_before_it_is_buffered() {
    let before = rss_kb();
    let error = fetch_from(100, Body::Literal(2_000_000_000)).await;
    assert!(
        matches!(
            error,
            ImapError::Overrun {
                overrun: Overrun::Literal { .. },
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.breaks_connection());
    let dutch = error.message_nl();
    assert!(
        dutch.starts_with(
            "De mailserver stuurde tijdens het ophalen van berichten meer gegevens voor één bericht dan verwacht"
        ),
        "{dutch}"
    );
    assert!(
        rss_kb() < before + 64 * 1024,
        "memory grew: {} kB → {} kB",
        before,
        rss_kb()
    );
}

#[tokio::test]
async fn a_message_larger_than_reported_is_refused() {
    let before = rss_kb();
    // Reported as 100 bytes, sent as 5 MB: more than the reported size with any margin.
    let error = fetch_from(100, Body::Literal(5_000_000)).await;
    assert!(
        // Refused as soon as the announcement passes the allowance (100 bytes and a margin).
        matches!(error, ImapError::Overrun { overrun: Overrun::Literal { allowed, .. }, .. } if allowed < 100_000),
        "{error:?}"
    );
    assert!(rss_kb() < before + 64 * 1024);
}

#[tokio::test]
async fn a_line_without_end_is_refused() {
    let before = rss_kb();
    // Reported as 5 MB, so the line limit (1 MB) trips before the command's budget.
    let error = fetch_from(5_000_000, Body::EndlessLine).await;
    assert!(
        matches!(
            error,
            ImapError::Overrun {
                overrun: Overrun::Line { .. },
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.message_nl().contains("een regel zonder einde"));
    assert!(rss_kb() < before + 64 * 1024);
    // Reported small: the command's budget (its reported size and a margin) trips first.
    let error = fetch_from(100, Body::EndlessLine).await;
    assert!(
        matches!(
            error,
            ImapError::Overrun {
                overrun: Overrun::Budget { .. },
                ..
            }
        ),
        "{error:?}"
    );
}
