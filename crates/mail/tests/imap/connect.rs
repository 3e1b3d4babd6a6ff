//! Connecting, logging in, finding the folders, and how each kind of failure is reported.

use std::time::{Duration, Instant};

use postkamer_mail::imap::{
    FolderRole, ImapAccount, ImapConnection, ImapError, ImapStep, TlsFailure, TlsMode,
    test_connection,
};

use crate::support::{TIMEOUT, account, connect, unique_user};

#[tokio::test]
async fn connect_and_login() {
    let conn = connect(&unique_user("login")).await;
    let capabilities = conn.capabilities();
    assert!(capabilities.has_idle, "{capabilities:?}");
    assert!(capabilities.has_condstore);
    assert!(capabilities.has_qresync);
    assert!(capabilities.has_move);
    assert!(capabilities.has_uidplus);
    assert!(capabilities.has_special_use);
    assert!(capabilities.has("imap4rev1"));
    conn.logout().await.expect("logout");
}

#[tokio::test]
async fn wrong_password_is_a_login_error() {
    let mut account = account(&unique_user("wrong-password"));
    account.password = "not-the-password".to_owned();
    let error = ImapConnection::connect(&account, TIMEOUT)
        .await
        .expect_err("login with a wrong password");
    assert!(matches!(error, ImapError::Login { .. }), "{error:?}");
    let dutch = error.message_nl();
    assert!(
        dutch.starts_with("Inloggen geweigerd: controleer gebruikersnaam en wachtwoord."),
        "{dutch}"
    );
    assert!(!dutch.contains("not-the-password"), "{dutch}");
    assert!(!error.message_en().contains("not-the-password"));
    assert!(!format!("{error:?}").contains("not-the-password"));
}

#[tokio::test]
async fn refused_port_is_a_connect_error() {
    // A port that was free a moment ago: nothing listens there.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("address").port()
    };
    let mut account = account(&unique_user("refused"));
    account.port = port;
    let error = ImapConnection::connect(&account, TIMEOUT)
        .await
        .expect_err("nothing listens");
    match &error {
        ImapError::Connect { addr, source, .. } => {
            assert_eq!(addr.port(), port);
            assert_eq!(source.kind(), std::io::ErrorKind::ConnectionRefused);
        }
        other => panic!("expected Connect, got {other:?}"),
    }
    assert!(
        error.message_nl().contains("weigert de verbinding"),
        "{}",
        error.message_nl()
    );
}

#[tokio::test]
async fn unknown_host_is_a_dns_error() {
    let account = ImapAccount {
        host: "postkamer-test.invalid".to_owned(),
        port: 993,
        tls: TlsMode::Tls,
        login: "jan".to_owned(),
        password: "x".to_owned(),
        deny: Default::default(),
    };
    let error = ImapConnection::connect(&account, TIMEOUT)
        .await
        .expect_err("no such host");
    assert!(
        matches!(&error, ImapError::Dns { host } if host == "postkamer-test.invalid"),
        "{error:?}"
    );
    assert_eq!(
        error.message_nl(),
        "De server postkamer-test.invalid is niet gevonden (DNS)."
    );
}

#[tokio::test]
async fn tls_mistakes_are_tls_errors() {
    // The test server speaks plain IMAP only.
    let mut account = account(&unique_user("tls"));
    account.tls = TlsMode::Tls;
    let error = ImapConnection::connect(&account, TIMEOUT)
        .await
        .expect_err("TLS to a plain port");
    assert!(
        matches!(
            &error,
            ImapError::Tls {
                failure: TlsFailure::Handshake(_),
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.message_nl().contains("993"), "{}", error.message_nl());

    account.tls = TlsMode::StartTls;
    let error = ImapConnection::connect(&account, TIMEOUT)
        .await
        .expect_err("no STARTTLS on the server");
    assert!(
        matches!(
            &error,
            ImapError::Tls {
                failure: TlsFailure::NoStartTls,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(
        error.message_nl().contains("STARTTLS"),
        "{}",
        error.message_nl()
    );
}

#[tokio::test]
async fn a_silent_server_times_out() {
    // The kernel accepts the connection into the listen queue; nobody ever greets.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let mut account = account(&unique_user("silent"));
    account.port = listener.local_addr().expect("address").port();
    let started = Instant::now();
    let error = ImapConnection::connect(&account, Duration::from_millis(300))
        .await
        .expect_err("no greeting");
    assert!(
        matches!(
            error,
            ImapError::Timeout {
                during: ImapStep::Greeting
            }
        ),
        "{error:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(
        error
            .message_nl()
            .starts_with("De server gaf geen antwoord"),
        "{}",
        error.message_nl()
    );
    drop(listener);
}

#[tokio::test]
async fn plaintext_to_another_host_is_refused_before_connecting() {
    // Neither name is looked up nor address contacted: the answer comes at once.
    for host in ["imap.example.nl", "192.0.2.1", "postkamer-test.invalid"] {
        let account = ImapAccount {
            host: host.to_owned(),
            port: 143,
            tls: TlsMode::None,
            login: "jan".to_owned(),
            password: "x".to_owned(),
            deny: Default::default(),
        };
        let started = Instant::now();
        let error = ImapConnection::connect(&account, TIMEOUT)
            .await
            .expect_err("plaintext refused");
        assert!(
            matches!(error, ImapError::PlaintextRefused { .. }),
            "{host}: {error:?}"
        );
        assert!(started.elapsed() < Duration::from_secs(1));
    }
}

#[tokio::test]
async fn folders_and_connection_test() {
    let user = unique_user("folders");
    let mut conn = connect(&user).await;
    let folders = conn.folders().await.expect("folders");
    let names: Vec<(FolderRole, &str)> =
        folders.iter().map(|f| (f.role, f.name.as_str())).collect();
    assert_eq!(
        names,
        [
            (FolderRole::Inbox, "INBOX"),
            (FolderRole::Sent, "Sent"),
            (FolderRole::Trash, "Trash")
        ]
    );
    conn.logout().await.expect("logout");

    let tested = test_connection(&account(&user), TIMEOUT)
        .await
        .expect("connection test");
    assert_eq!(tested, folders);
}
