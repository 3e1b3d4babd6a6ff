//! Mailbox settings: a sealed password, precise connection errors, and the stored password going
//! to its own host only.

use crate::support;
use crate::support::unique_user;
use crate::{core, form, user, with_mailbox};
use postkamer_core::{Core, CoreConfig, CoreError};
use postkamer_domain::validate::Invalid;
use postkamer_store::Store;

pub(crate) async fn settings_are_sealed_and_connection_errors_precise(store: Store) {
    let core = core(store);
    let anna = user(&core, "anna@demo.nl").await;
    let login = unique_user("settings");
    let mut input = form(&login);

    // The form is checked before anything is stored.
    let mut bad = input.clone();
    bad.host = "imap.voorbeeld.nl".into();
    match core.save_mailbox(&anna, &bad).await {
        Err(CoreError::Validation(v)) => assert_eq!(v.0[0].error, Invalid::PlaintextNotLocal),
        other => panic!("{other:?}"),
    }
    assert!(core.mailbox_settings(&anna).await.unwrap().is_none());

    // Connection test: folders found; wrong password and closed port said precisely.
    let report = core.test_mailbox(&anna, &input).await.unwrap();
    assert_eq!(report.folders.len(), 3);
    let mut wrong = input.clone();
    wrong.password = "fout".into();
    match core.test_mailbox(&anna, &wrong).await {
        Err(CoreError::Mail { nl, .. }) => assert!(nl.starts_with("Inloggen geweigerd"), "{nl}"),
        other => panic!("{other:?}"),
    }
    let mut closed = input.clone();
    closed.port = free_port().to_string();
    match core.test_mailbox(&anna, &closed).await {
        Err(CoreError::Mail { nl, .. }) => assert!(nl.contains("weigert de verbinding"), "{nl}"),
        other => panic!("{other:?}"),
    }

    let saved = core.save_mailbox(&anna, &input).await.unwrap();
    assert_eq!(saved.login, login);
    let record = core.mailbox_record(&anna).await.unwrap().unwrap();
    let password = support::server().password;
    assert!(
        !record
            .password_sealed
            .windows(password.len())
            .any(|w| w == password.as_bytes()),
        "the password is not stored in the clear"
    );
    // Saving without a password keeps it: the stored one still logs in.
    input.password.clear();
    core.save_mailbox(&anna, &input).await.unwrap();
    assert_eq!(
        core.test_mailbox(&anna, &input)
            .await
            .unwrap()
            .folders
            .len(),
        3
    );
    // A different secret key cannot open it: a clear message, not a crash.
    let other = Core::new(
        core.database(),
        CoreConfig::new(postkamer_core::SecretKey::generate().unwrap()),
    );
    match other.sync_mailbox_once(&record).await {
        Err(CoreError::Mail { nl, .. }) => assert!(nl.contains("ontsleuteld"), "{nl}"),
        other => panic!("{other:?}"),
    }
}

pub(crate) async fn the_stored_password_goes_to_its_own_host_only(store: Store) {
    let core = core(store.clone());
    let (anna, login) = with_mailbox(&core, "anna@demo.nl", "own-host").await;
    // Another host with the password field left empty: refused before any connection, for
    // the test and for saving alike.
    let mut moved = form(&login);
    moved.host = "localhost".into();
    moved.password.clear();
    for outcome in [
        core.test_mailbox(&anna, &moved).await.map(|_| ()),
        core.save_mailbox(&anna, &moved).await.map(|_| ()),
    ] {
        match outcome {
            Err(CoreError::Validation(v)) => {
                assert_eq!(v.0[0].field, "password");
                assert_eq!(v.0[0].error, Invalid::PasswordForNewHost);
            }
            other => panic!("{other:?}"),
        }
    }
    // Typed again, it may go there.
    moved.password = support::server().password;
    assert_eq!(
        core.test_mailbox(&anna, &moved)
            .await
            .unwrap()
            .folders
            .len(),
        3
    );

    // Whatever answers on a host and port a user typed, its words are not shown.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let banner = tokio::spawn(async move {
        use tokio::io::AsyncWriteExt;
        for _ in 0..2 {
            let (mut socket, _) = listener.accept().await.unwrap();
            socket
                .write_all(b"HTTP/1.1 400 Bad Request\r\nServer: intern-geheim-7.3\r\n\r\n")
                .await
                .unwrap();
            socket.shutdown().await.unwrap();
        }
    });
    let mut elsewhere = form(&login);
    elsewhere.port = port.to_string();
    for _ in 0..2 {
        match core.test_mailbox(&anna, &elsewhere).await {
            Err(CoreError::Mail { nl, en }) => {
                assert!(
                    !nl.contains("intern-geheim") && !nl.contains("HTTP"),
                    "{nl}"
                );
                assert!(
                    !en.contains("intern-geheim") && !en.contains("HTTP"),
                    "{en}"
                );
                assert!(nl.contains("IMAP") || nl.contains("verbrak"), "{nl}");
            }
            other => panic!("{other:?}"),
        }
    }
    banner.await.unwrap();

    // An operator's deny list refuses the network, whatever the form says.
    let guarded = Core::new(
        store,
        CoreConfig {
            mail_hosts_deny: postkamer_mail::imap::HostDeny::new(vec![
                "127.0.0.0/8".parse().unwrap(),
            ]),
            ..CoreConfig::new(postkamer_core::SecretKey::generate().unwrap())
        },
    );
    match guarded.test_mailbox(&anna, &form(&login)).await {
        Err(CoreError::Mail { nl, .. }) => assert!(nl.contains("niet toegestaan"), "{nl}"),
        other => panic!("{other:?}"),
    }
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}
