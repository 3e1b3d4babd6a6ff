use std::io;
use std::time::Duration;

use super::transport::{clean_host, is_loopback_host};
use super::*;

#[test]
fn tls_mode_text() {
    for mode in [TlsMode::Tls, TlsMode::StartTls, TlsMode::None] {
        assert_eq!(mode.to_string().parse::<TlsMode>(), Ok(mode));
    }
    assert_eq!(" STARTTLS ".parse::<TlsMode>(), Ok(TlsMode::StartTls));
    assert_eq!(TlsMode::StartTls.as_str(), "starttls");
    assert!("ssl".parse::<TlsMode>().is_err());
    assert_eq!(TlsMode::Tls.default_port(), 993);
    assert_eq!(TlsMode::StartTls.default_port(), 143);
}

#[test]
fn account_debug_hides_the_password() {
    let account = ImapAccount {
        host: "imap.example.nl".to_owned(),
        port: 993,
        tls: TlsMode::Tls,
        login: "jan@example.nl".to_owned(),
        password: "geheim-wachtwoord".to_owned(),
        deny: Default::default(),
    };
    let shown = format!("{account:?}");
    assert!(shown.contains("jan@example.nl"), "{shown}");
    assert!(!shown.contains("geheim"), "{shown}");
}

#[test]
fn roles_are_required() {
    let folder = |role, name: &str| Folder {
        role,
        name: name.to_owned(),
    };
    let complete = [
        folder(FolderRole::Inbox, "INBOX"),
        folder(FolderRole::Sent, "Sent"),
        folder(FolderRole::Trash, "Trash"),
    ];
    assert!(require_all_roles(&complete).is_ok());
    let no_sent = [complete[0].clone(), complete[2].clone()];
    let error = require_all_roles(&no_sent).err();
    assert!(matches!(
        error,
        Some(ImapError::MissingFolder(FolderRole::Sent))
    ));
    assert_eq!(
        error.map(|e| e.message_nl()).as_deref(),
        Some("Map 'Verzonden' niet gevonden op de server.")
    );
    assert!(matches!(
        require_all_roles(&complete[..2]),
        Err(ImapError::MissingFolder(FolderRole::Trash))
    ));
}

#[test]
fn dutch_messages() {
    let cases = [
        (
            ImapError::Dns {
                host: "imap.example.nl".to_owned(),
            },
            "De server imap.example.nl is niet gevonden (DNS).",
        ),
        (
            ImapError::Login {
                server: String::new(),
            },
            "Inloggen geweigerd: controleer gebruikersnaam en wachtwoord.",
        ),
        (
            ImapError::Login {
                server: "[ALERT] Application-specific password required".to_owned(),
            },
            "Inloggen geweigerd: controleer gebruikersnaam en wachtwoord. De server meldt: \
             [ALERT] Application-specific password required",
        ),
        (
            ImapError::MissingFolder(FolderRole::Trash),
            "Map 'Prullenbak' niet gevonden op de server.",
        ),
        (
            ImapError::Connect {
                host: "imap.example.nl".to_owned(),
                addr: ([192, 0, 2, 1], 993).into(),
                source: io::Error::from(io::ErrorKind::ConnectionRefused),
            },
            "De server imap.example.nl weigert de verbinding op poort 993. Klopt het poortnummer?",
        ),
        (
            ImapError::Timeout {
                during: ImapStep::Fetch,
            },
            "De server gaf niet op tijd antwoord tijdens het ophalen van berichten.",
        ),
        (
            ImapError::Rejected {
                during: ImapStep::Select,
                server: "Mailbox doesn't exist: Nope".to_owned(),
            },
            "De server weigerde het openen van een map: Mailbox doesn't exist: Nope",
        ),
    ];
    for (error, dutch) in cases {
        assert_eq!(error.message_nl(), dutch);
        assert!(!error.message_en().is_empty());
    }
    let plain = ImapError::PlaintextRefused {
        host: "imap.example.nl".to_owned(),
    };
    assert!(
        plain
            .message_nl()
            .starts_with("Onbeveiligde verbinding met imap.example.nl geweigerd")
    );
    assert!(!plain.breaks_connection());
    assert!(
        ImapError::Timeout {
            during: ImapStep::Idle
        }
        .breaks_connection()
    );
}

#[test]
fn hosts() {
    assert_eq!(clean_host(" imap.example.nl "), Some("imap.example.nl"));
    assert_eq!(clean_host("[::1]"), Some("::1"));
    assert_eq!(clean_host(""), None);
    assert_eq!(clean_host("imap example.nl"), None);
    assert_eq!(clean_host("imap\r\n.nl"), None);
    for loopback in [
        "127.0.0.1",
        "127.1.2.3",
        "::1",
        "localhost",
        "LOCALHOST.",
        "bridge.localhost",
    ] {
        assert!(is_loopback_host(loopback), "{loopback}");
    }
    for remote in [
        "imap.example.nl",
        "192.0.2.1",
        "10.0.0.1",
        "localhost.example.nl",
        "::ffff:1",
    ] {
        assert!(!is_loopback_host(remote), "{remote}");
    }
}

/// The futures must be `Send`, so that the sync engine can run them on any tokio worker. (The
/// closure is type-checked, never called.)
#[test]
fn futures_are_send() {
    fn is_send<T: Send>(_: &T) {}
    let account = ImapAccount {
        host: "localhost".to_owned(),
        port: 1,
        tls: TlsMode::None,
        login: "u".to_owned(),
        password: "p".to_owned(),
        deny: Default::default(),
    };
    is_send(&ImapConnection::connect(&account, Duration::from_secs(1)));
    is_send(&test_connection(&account, Duration::from_secs(1)));
    let _never_called = |mut connection: ImapConnection| async move {
        is_send(&connection.folders());
        is_send(&connection.select("INBOX"));
        is_send(&connection.uids(None));
        is_send(&connection.fetch(&[1]));
        is_send(&connection.changed_flags(None));
        is_send(&connection.set_flags(1, Some(true), None));
        is_send(&connection.move_to(1, "Trash"));
        is_send(&connection.append("INBOX", b"", Flags::default()));
        is_send(&connection.idle(Duration::from_secs(1), std::future::pending::<()>()));
    };
}
