//! A hostile (or broken) IMAP server, scripted on a socket of 127.0.0.1, for the tests of what
//! the client does when a server sends more than it may.
#![allow(dead_code)] // Each test binary uses part of this.

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// What the scripted server does when asked for a message's body.
#[derive(Clone, Copy)]
pub enum Body {
    /// Announces a literal of this many bytes, then sends (up to) that many.
    Literal(u64),
    /// Starts a FETCH answer and never ends its line.
    EndlessLine,
}

/// Starts the scripted server: one mailbox with one message (UID 1) of `reported` bytes.
pub async fn hostile_server(reported: u64, body: Body) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("address").port();
    tokio::spawn(async move {
        let Ok((stream, _)) = listener.accept().await else {
            return;
        };
        let (read, mut write) = stream.into_split();
        let mut lines = BufReader::new(read).lines();
        if write
            .write_all(b"* OK [CAPABILITY IMAP4rev1 IDLE] hostile ready\r\n")
            .await
            .is_err()
        {
            return;
        }
        while let Ok(Some(line)) = lines.next_line().await {
            let (tag, command) = line.split_once(' ').unwrap_or((&line, ""));
            let command = command.to_ascii_uppercase();
            let answer = if command.starts_with("LOGIN") {
                format!("{tag} OK [CAPABILITY IMAP4rev1 IDLE] in\r\n")
            } else if command.starts_with("LIST") {
                format!("* LIST (\\HasNoChildren) \"/\" INBOX\r\n{tag} OK l\r\n")
            } else if command.starts_with("SELECT") || command.starts_with("EXAMINE") {
                format!(
                    "* 1 EXISTS\r\n* OK [UIDVALIDITY 7] v\r\n* OK [UIDNEXT 2] n\r\n{tag} OK [READ-WRITE] s\r\n"
                )
            } else if command.contains("SEARCH") {
                format!("* SEARCH 1\r\n{tag} OK s\r\n")
            } else if command.contains("RFC822.SIZE") {
                format!("* 1 FETCH (UID 1 RFC822.SIZE {reported})\r\n{tag} OK f\r\n")
            } else if command.contains("BODY.PEEK[]") {
                let start = match body {
                    Body::Literal(n) => format!("* 1 FETCH (UID 1 FLAGS () BODY[] {{{n}}}\r\n"),
                    Body::EndlessLine => "* 1 FETCH (UID 1 FLAGS () BODY[] \"".to_owned(),
                };
                if write.write_all(start.as_bytes()).await.is_err() {
                    return;
                }
                // As much as the client takes: it must stop reading on its own.
                let chunk = vec![b'a'; 64 * 1024];
                let mut sent = 0u64;
                while sent < 3 * 1024 * 1024 * 1024 {
                    if write.write_all(&chunk).await.is_err() {
                        return;
                    }
                    sent += chunk.len() as u64;
                }
                return;
            } else if command.starts_with("LOGOUT") {
                format!("* BYE b\r\n{tag} OK l\r\n")
            } else {
                format!("{tag} OK\r\n")
            };
            if write.write_all(answer.as_bytes()).await.is_err() {
                return;
            }
        }
    });
    port
}

/// The resident memory of this process, in kB.
pub fn rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}
