//! Helpers for tests against the throw-away Dovecot started by `scripts/lib/dovecot.sh`.
//!
//! `scripts/test.sh` starts it. To run the IMAP tests by hand:
//!
//! ```sh
//! . scripts/lib/dovecot.sh && dovecot_start     # exports POSTKAMER_TEST_IMAP(_PASSWORD)
//! cargo nextest run -p postkamer-mail --test imap
//! dovecot_stop
//! ```
//!
//! Any user name logs in there with the password, and gets a fresh empty mailbox (INBOX, Sent,
//! Trash): every test uses its own user from [`unique_user`].
#![allow(dead_code)] // Each test binary uses part of this.
pub mod hostile;

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures::TryStreamExt;
use postkamer_mail::imap::{Flags, ImapAccount, ImapConnection, TlsMode};
use tokio::net::TcpStream;

/// Generous: a failing test fails within this, a passing one never waits for it.
pub const TIMEOUT: Duration = Duration::from_secs(30);

/// Where the test server listens.
pub struct TestServer {
    pub host: String,
    pub port: u16,
    pub password: String,
}

/// The server from `POSTKAMER_TEST_IMAP` (host:port) and `POSTKAMER_TEST_IMAP_PASSWORD`.
/// Panics with instructions when they are not set: these tests must not pass silently.
pub fn server() -> TestServer {
    const HOW: &str = "the IMAP tests need a Dovecot test server: run them through scripts/test.sh, \
         or start one first with `. scripts/lib/dovecot.sh && dovecot_start` (it exports \
         POSTKAMER_TEST_IMAP and POSTKAMER_TEST_IMAP_PASSWORD)";
    let address = std::env::var("POSTKAMER_TEST_IMAP")
        .unwrap_or_else(|_| panic!("POSTKAMER_TEST_IMAP is not set; {HOW}"));
    let password = std::env::var("POSTKAMER_TEST_IMAP_PASSWORD")
        .unwrap_or_else(|_| panic!("POSTKAMER_TEST_IMAP_PASSWORD is not set; {HOW}"));
    let (host, port) = address
        .rsplit_once(':')
        .unwrap_or_else(|| panic!("POSTKAMER_TEST_IMAP={address:?} is not host:port"));
    TestServer {
        host: host.to_owned(),
        port: port
            .parse()
            .unwrap_or_else(|_| panic!("POSTKAMER_TEST_IMAP={address:?}: bad port")),
        password,
    }
}

/// A user name no other test (or earlier run) uses: `t-<test>-<pid>-<nanos>-<n>`.
pub fn unique_user(test: &str) -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "t-{}-{}-{nanos}-{}",
        test.replace('_', "-"),
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// The account of `user` on the test server (plain IMAP on 127.0.0.1).
pub fn account(user: &str) -> ImapAccount {
    let server = server();
    ImapAccount {
        host: server.host,
        port: server.port,
        tls: TlsMode::None,
        login: user.to_owned(),
        password: server.password,
        deny: Default::default(),
    }
}

/// Logs `user` in with the client under test.
pub async fn connect(user: &str) -> ImapConnection {
    ImapConnection::connect(&account(user), TIMEOUT)
        .await
        .unwrap_or_else(|e| panic!("connect as {user}: {e}"))
}

/// Appends `raws` to INBOX, selects it and returns the UIDs, ascending.
pub async fn inbox_with(conn: &mut ImapConnection, raws: &[Vec<u8>]) -> Vec<u32> {
    for raw in raws {
        conn.append("INBOX", raw, Flags::default())
            .await
            .expect("append");
    }
    conn.select("INBOX").await.expect("select INBOX");
    let uids = conn.uids(None).await.expect("uids");
    assert_eq!(uids.len(), raws.len());
    uids
}

/// A small message with CRLF line ends.
pub fn message(subject: &str, body: &str) -> Vec<u8> {
    format!(
        "From: Jan Jansen <jan@example.nl>\r\n\
         To: Piet <piet@example.nl>\r\n\
         Subject: {subject}\r\n\
         Date: Tue, 5 Mar 2024 10:00:00 +0100\r\n\
         Message-ID: <{subject}@example.nl>\r\n\
         MIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\
         Content-Transfer-Encoding: 8bit\r\n\
         \r\n\
         {body}\r\n"
    )
    .into_bytes()
}

/// A message of about `size` bytes: a base64-looking attachment in 76-character lines.
pub fn large_message(size: usize) -> Vec<u8> {
    let mut raw = b"From: jan@example.nl\r\n\
        To: piet@example.nl\r\n\
        Subject: groot\r\n\
        MIME-Version: 1.0\r\n\
        Content-Type: multipart/mixed; boundary=\"b\"\r\n\
        \r\n\
        --b\r\n\
        Content-Type: text/plain\r\n\
        \r\n\
        Zie bijlage.\r\n\
        --b\r\n\
        Content-Type: application/octet-stream; name=\"bijlage.bin\"\r\n\
        Content-Transfer-Encoding: base64\r\n\
        \r\n"
        .to_vec();
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut n: usize = 0;
    while raw.len() < size {
        for _ in 0..76 {
            n = n.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            raw.push(ALPHABET[(n >> 16) % 64]);
        }
        raw.extend_from_slice(b"\r\n");
    }
    raw.extend_from_slice(b"--b--\r\n");
    raw
}

/// A second client that is not the code under test (async-imap used directly), to set things up
/// and check them from the outside.
pub struct Raw {
    session: async_imap::Session<TcpStream>,
}

impl Raw {
    pub async fn login(user: &str) -> Raw {
        let server = server();
        let tcp = TcpStream::connect((server.host.as_str(), server.port))
            .await
            .expect("connect to the test server");
        let mut client = async_imap::Client::new(tcp);
        client
            .read_response()
            .await
            .expect("greeting")
            .expect("greeting");
        let session = client
            .login(user, &server.password)
            .await
            .map_err(|(e, _)| e)
            .expect("raw login");
        Raw { session }
    }

    pub async fn create_folder(&mut self, name: &str) {
        self.session.create(name).await.expect("CREATE");
    }

    pub async fn delete_folder(&mut self, name: &str) {
        self.session.delete(name).await.expect("DELETE");
    }

    /// APPEND with an optional internal date (`"01-Jan-2020 10:00:00 +0000"`).
    pub async fn append(&mut self, folder: &str, raw: &[u8], internal_date: Option<&str>) {
        let date = internal_date.map(|d| format!("\"{d}\""));
        self.session
            .append(folder, None, date.as_deref(), raw)
            .await
            .expect("APPEND");
    }

    /// `(seen, flagged)` of message `uid` in `folder`, as this second client sees them.
    pub async fn flags(&mut self, folder: &str, uid: u32) -> (bool, bool) {
        use async_imap::types::Flag;
        self.session.examine(folder).await.expect("EXAMINE");
        let fetches: Vec<_> = self
            .session
            .uid_fetch(uid.to_string(), "FLAGS")
            .await
            .expect("UID FETCH")
            .try_collect()
            .await
            .expect("UID FETCH answers");
        let fetch = fetches
            .iter()
            .find(|f| f.uid == Some(uid))
            .unwrap_or_else(|| panic!("UID {uid} not in {folder}"));
        let flags: Vec<Flag<'_>> = fetch.flags().collect();
        (flags.contains(&Flag::Seen), flags.contains(&Flag::Flagged))
    }

    /// `UID STORE uid <query>` in `folder`, e.g. `+FLAGS (\Seen)`.
    pub async fn store(&mut self, folder: &str, uid: u32, query: &str) {
        self.session.select(folder).await.expect("SELECT");
        let _: Vec<_> = self
            .session
            .uid_store(uid.to_string(), query)
            .await
            .expect("UID STORE")
            .try_collect()
            .await
            .expect("UID STORE answers");
    }

    /// `EXPUNGE` in `folder`.
    pub async fn expunge(&mut self, folder: &str) {
        self.session.select(folder).await.expect("SELECT");
        let _: Vec<_> = self
            .session
            .expunge()
            .await
            .expect("EXPUNGE")
            .try_collect()
            .await
            .expect("EXPUNGE answers");
    }

    pub async fn logout(mut self) {
        self.session.logout().await.expect("LOGOUT");
    }
}
