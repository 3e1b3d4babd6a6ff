//! The test SMTP server from the environment, and what it received.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use postkamer_domain::mail::TlsMode;
use postkamer_mail::imap::HostDeny;
use postkamer_mail::smtp::SmtpServer;

fn var(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} is not set: run scripts/test.sh, or source scripts/lib/smtp.sh and call smtp_start")
    })
}

/// The server's listener for `tls`, logged in with the run's login.
pub fn server(tls: TlsMode) -> SmtpServer {
    let address = var(match tls {
        TlsMode::StartTls => "POSTKAMER_TEST_SMTP",
        TlsMode::Tls => "POSTKAMER_TEST_SMTP_TLS",
        TlsMode::None => "POSTKAMER_TEST_SMTP_PLAIN",
    });
    let (host, port) = address.rsplit_once(':').unwrap();
    SmtpServer {
        host: host.to_owned(),
        port: port.parse().unwrap(),
        tls,
        credentials: Some((
            var("POSTKAMER_TEST_SMTP_LOGIN"),
            var("POSTKAMER_TEST_SMTP_PASSWORD"),
        )),
        hello_name: "postkamer.test".to_owned(),
        timeout: Duration::from_secs(10),
        extra_roots: vec![std::fs::read(var("POSTKAMER_TEST_SMTP_CA")).unwrap()],
        deny: HostDeny::default(),
    }
}

/// A message the server took: its bytes exactly, and the envelope.
#[derive(Debug)]
pub struct Received {
    pub bytes: Vec<u8>,
    pub mail_from: String,
    pub rcpt_tos: Vec<String>,
    pub listener: String,
}

/// The messages the server took whose bytes contain `marker` (each test marks its own), once
/// `count` of them are there. The server writes a message before it answers 250, so after a
/// delivery returned they are all there; the deadline only guards against a broken server.
pub fn received(marker: &str, count: usize) -> Vec<Received> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let found = received_now(marker);
        if found.len() >= count || Instant::now() > deadline {
            assert_eq!(found.len(), count, "messages marked {marker}");
            return found;
        }
        std::thread::yield_now();
    }
}

/// The messages marked `marker` the server has taken so far.
pub fn received_now(marker: &str) -> Vec<Received> {
    let spool = PathBuf::from(var("POSTKAMER_TEST_SMTP_SPOOL"));
    let mut names: Vec<PathBuf> = std::fs::read_dir(&spool)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    names.sort();
    let mut found = Vec::new();
    for meta in names {
        let bytes = std::fs::read(meta.with_extension("eml")).unwrap();
        if !bytes.windows(marker.len()).any(|w| w == marker.as_bytes()) {
            continue;
        }
        let json: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&meta).unwrap()).unwrap();
        let text = |key: &str| json[key].as_str().unwrap_or_default().to_owned();
        found.push(Received {
            mail_from: text("mail_from"),
            listener: text("listener"),
            rcpt_tos: json["rcpt_tos"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r.as_str().unwrap().to_owned())
                .collect(),
            bytes,
        });
    }
    found
}

/// A marker unique to one test run and test.
pub fn marker(test: &str) -> String {
    format!("{test}-{}-{}", std::process::id(), uuid_like())
}

fn uuid_like() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
}
