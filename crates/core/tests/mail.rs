//! Mail use cases end to end against the throw-away Dovecot of scripts/test.sh: settings with a
//! sealed password and precise connection errors, write-back of flags and deletes, privacy
//! between colleagues, linking an unknown address, and the message view.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../../store/tests/store/harness.rs"]
#[macro_use]
mod harness;
#[path = "../../mail/tests/support/mod.rs"]
mod support;

use postkamer_core::mail::Timeline;
use postkamer_core::{Core, CoreConfig, CoreError, UserInput};
use postkamer_domain::mail::MessageQuery;
use postkamer_domain::mail::{FolderRole, MailboxInput, TlsMode};
use postkamer_domain::relation::{EmailInput, PersonInput};
use postkamer_domain::validate::Invalid;
use postkamer_domain::{MessageId, PageRequest, Role, User};
use postkamer_store::Store;
use support::{Raw, unique_user};

on_both_engines![
    settings_are_sealed_and_connection_errors_precise,
    the_stored_password_goes_to_its_own_host_only,
    read_important_and_delete_are_written_to_the_server,
    colleagues_see_linked_mail_unless_private,
    linking_an_address_pulls_in_earlier_mail,
    message_view_is_safe_and_serves_attachments,
];

async fn user(core: &Core, email: &str) -> User {
    core.bootstrap_user(
        "Demo BV",
        &UserInput {
            name: email.split('@').next().unwrap().to_owned(),
            email: email.to_owned(),
            role: Some(Role::Gebruiker),
            password: "lang genoeg wachtwoord".into(),
        },
    )
    .await
    .unwrap()
}

fn form(login: &str) -> MailboxInput {
    let server = support::server();
    MailboxInput {
        host: server.host,
        port: server.port.to_string(),
        tls: TlsMode::None,
        login: login.to_owned(),
        password: server.password,
        since: String::new(),
        enabled: true,
    }
}

/// A user with a mailbox on the test server; returns the user and the IMAP login.
async fn with_mailbox(core: &Core, email: &str, test: &str) -> (User, String) {
    let user = user(core, email).await;
    let login = unique_user(test);
    core.save_mailbox(&user, &form(&login)).await.unwrap();
    (user, login)
}

async fn sync(core: &Core, user: &User) {
    let mailbox = core.mailbox_record(user).await.unwrap().unwrap();
    core.sync_mailbox_once(&mailbox).await.unwrap();
}

fn mail(n: u32, from: &str, subject: &str, body: &str) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: anna@demo.nl\r\nSubject: {subject}\r\nDate: Tue, 5 Mar 2024 10:00:{n:02} +0100\r\n\
         Message-ID: <{subject}-{n}@test>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    )
    .into_bytes()
}

async fn find(core: &Core, user: &User, folder: FolderRole, search: &str) -> Vec<MessageId> {
    core.list_messages(
        user,
        &MessageQuery {
            folder,
            search: search.to_owned(),
            page: PageRequest::default(),
        },
    )
    .await
    .unwrap()
    .items
    .into_iter()
    .map(|m| m.id)
    .collect()
}

fn core(store: Store) -> Core {
    Core::new(
        store,
        CoreConfig::new(postkamer_core::SecretKey::generate().unwrap()),
    )
}

async fn settings_are_sealed_and_connection_errors_precise(store: Store) {
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

async fn the_stored_password_goes_to_its_own_host_only(store: Store) {
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

async fn read_important_and_delete_are_written_to_the_server(store: Store) {
    let core = core(store.clone());
    let (anna, login) = with_mailbox(&core, "anna@demo.nl", "writeback").await;
    let mut raw = Raw::login(&login).await;
    raw.append("INBOX", &mail(1, "klant@x.nl", "lezen", "x"), None)
        .await;
    raw.append("INBOX", &mail(2, "klant@x.nl", "weggooien", "x"), None)
        .await;
    sync(&core, &anna).await;

    let read = find(&core, &anna, FolderRole::Inbox, "lezen").await[0];
    core.set_message_flags(&anna, read, Some(true), Some(true))
        .await
        .unwrap();
    let record = store.message(anna.org_id, anna.id, read).await.unwrap();
    assert_eq!(
        raw.flags("INBOX", record.locations[0].uid).await,
        (true, true)
    );
    assert_eq!(
        (record.summary.seen, record.summary.flagged),
        (Some(true), Some(true))
    );
    core.set_message_flags(&anna, read, Some(false), None)
        .await
        .unwrap();
    assert_eq!(
        raw.flags("INBOX", record.locations[0].uid).await,
        (false, true)
    );

    let gone = find(&core, &anna, FolderRole::Inbox, "weggooien").await[0];
    core.delete_message(&anna, gone).await.unwrap();
    assert!(
        find(&core, &anna, FolderRole::Inbox, "weggooien")
            .await
            .is_empty()
    );
    assert_eq!(
        find(&core, &anna, FolderRole::Trash, "weggooien")
            .await
            .len(),
        1
    );
    // On the server too: INBOX has one message left, Trash has it.
    let mut conn = support::connect(&login).await;
    conn.select("INBOX").await.unwrap();
    assert_eq!(conn.uids(None).await.unwrap().len(), 1);
    conn.select("Trash").await.unwrap();
    let trash = conn.uids(None).await.unwrap();
    assert_eq!(trash.len(), 1);
    let fetched = conn.fetch(&trash).await.unwrap();
    assert!(String::from_utf8_lossy(&fetched[0].raw).contains("Subject: weggooien"));
    conn.logout().await.unwrap();
    raw.logout().await;
}

async fn colleagues_see_linked_mail_unless_private(store: Store) {
    let core = core(store);
    let (anna, login) = with_mailbox(&core, "anna@demo.nl", "privacy").await;
    let bert = user(&core, "bert@demo.nl").await;
    let piet = core
        .create_person(
            &anna,
            &PersonInput {
                last_name: "Bakker".into(),
                emails: vec![EmailInput {
                    address: "piet@klant.nl".into(),
                    primary: true,
                }],
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let mut raw = Raw::login(&login).await;
    raw.append("INBOX", &mail(1, "piet@klant.nl", "zakelijk", "x"), None)
        .await;
    raw.append(
        "INBOX",
        &mail(2, "vriend@prive.nl", "persoonlijk", "x"),
        None,
    )
    .await;
    raw.logout().await;
    sync(&core, &anna).await;
    let linked = find(&core, &anna, FolderRole::Inbox, "zakelijk").await[0];
    let personal = find(&core, &anna, FolderRole::Inbox, "persoonlijk").await[0];

    let seen_by_bert = core
        .timeline(&bert, Timeline::Person(piet.id), PageRequest::default())
        .await
        .unwrap();
    assert_eq!(
        seen_by_bert.items.iter().map(|m| m.id).collect::<Vec<_>>(),
        [linked]
    );
    assert!(!core.message_view(&bert, linked, false).await.unwrap().owned);
    assert!(matches!(
        core.message_view(&bert, personal, false).await,
        Err(CoreError::NotFound)
    ));
    assert!(find(&core, &bert, FolderRole::Inbox, "").await.is_empty());
    // Bert may look, not touch.
    assert!(matches!(
        core.set_message_flags(&bert, linked, Some(true), None)
            .await,
        Err(CoreError::Forbidden)
    ));
    assert!(matches!(
        core.set_message_private(&bert, linked, true).await,
        Err(CoreError::Forbidden)
    ));
    assert!(matches!(
        core.delete_message(&bert, linked).await,
        Err(CoreError::Forbidden)
    ));
    assert!(matches!(
        core.message_raw(&bert, personal).await,
        Err(CoreError::NotFound)
    ));

    core.set_message_private(&anna, linked, true).await.unwrap();
    assert_eq!(
        core.timeline(&bert, Timeline::Person(piet.id), PageRequest::default())
            .await
            .unwrap()
            .total,
        0
    );
    assert!(matches!(
        core.message_view(&bert, linked, false).await,
        Err(CoreError::NotFound)
    ));
    let own = core.message_view(&anna, linked, false).await.unwrap();
    assert!(own.owned && own.summary.private);

    // Another organisation: nothing, not even the relation.
    let carla = core
        .bootstrap_user(
            "Ander BV",
            &UserInput {
                name: "Carla".into(),
                email: "carla@ander.nl".into(),
                role: None,
                password: "lang genoeg wachtwoord".into(),
            },
        )
        .await
        .unwrap();
    assert!(matches!(
        core.timeline(&carla, Timeline::Person(piet.id), PageRequest::default())
            .await,
        Err(CoreError::NotFound)
    ));
    core.set_message_private(&anna, linked, false)
        .await
        .unwrap();
    assert!(matches!(
        core.message_view(&carla, linked, false).await,
        Err(CoreError::NotFound)
    ));
}

async fn linking_an_address_pulls_in_earlier_mail(store: Store) {
    let core = core(store);
    let (anna, login) = with_mailbox(&core, "anna@demo.nl", "link").await;
    let mut raw = Raw::login(&login).await;
    raw.append(
        "INBOX",
        &mail(1, "\"Sanne de Wit\" <Sanne@Nieuwe-Klant.nl>", "eerste", "x"),
        None,
    )
    .await;
    raw.append(
        "INBOX",
        &mail(2, "sanne@nieuwe-klant.nl", "tweede", "x"),
        None,
    )
    .await;
    raw.logout().await;
    sync(&core, &anna).await;
    let first = find(&core, &anna, FolderRole::Inbox, "eerste").await[0];
    let view = core.message_view(&anna, first, false).await.unwrap();
    assert_eq!(view.unknown_addresses.len(), 1);
    assert_eq!(view.unknown_addresses[0].email, "sanne@nieuwe-klant.nl");
    assert_eq!(
        view.unknown_addresses[0].name.as_deref(),
        Some("Sanne de Wit")
    );

    let existing = core
        .create_person(
            &anna,
            &PersonInput {
                first_name: "Sanne".into(),
                last_name: "Wit".into(),
                tussenvoegsel: "de".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let linked = core
        .link_address(&anna, existing.id, "Sanne@nieuwe-klant.nl ")
        .await
        .unwrap();
    assert_eq!(linked.messages, 2);
    assert_eq!(
        linked.person.emails[0].address.as_str(),
        "sanne@nieuwe-klant.nl"
    );
    assert!(linked.person.emails[0].primary);
    let timeline = core
        .timeline(&anna, Timeline::Person(existing.id), PageRequest::default())
        .await
        .unwrap();
    assert_eq!(timeline.total, 2);
    assert!(
        core.message_view(&anna, first, false)
            .await
            .unwrap()
            .unknown_addresses
            .is_empty()
    );
    // Linking again changes nothing; a bad address is a field error.
    assert_eq!(
        core.link_address(&anna, existing.id, "sanne@nieuwe-klant.nl")
            .await
            .unwrap()
            .person
            .emails
            .len(),
        1
    );
    assert!(matches!(
        core.link_address(&anna, existing.id, "geen adres").await,
        Err(CoreError::Validation(_))
    ));
}

const HTML_MAIL: &[u8] = b"From: a@x.nl\r\nTo: anna@demo.nl\r\nSubject: nieuwsbrief\r\nMessage-ID: <html@test>\r\n\
MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\n\
Content-Type: text/html; charset=utf-8\r\n\r\n\
<p onmouseover=\"x()\">Hallo</p><script>document.cookie</script><img src=\"https://t.example/p.gif\">\
<a href=\"javascript:alert(1)\">klik</a>\r\n--b\r\n\
Content-Type: text/plain; name=\"notities.txt\"\r\nContent-Disposition: attachment; filename=\"notities.txt\"\r\n\r\n\
regel een\r\n--b--\r\n";

async fn message_view_is_safe_and_serves_attachments(store: Store) {
    let core = core(store);
    let (anna, login) = with_mailbox(&core, "anna@demo.nl", "view").await;
    let mut raw = Raw::login(&login).await;
    raw.append("INBOX", HTML_MAIL, None).await;
    let reply = String::from_utf8(mail(3, "a@x.nl", "Re: nieuwsbrief", "antwoord"))
        .unwrap()
        .replace("Content-Type", "In-Reply-To: <html@test>\r\nContent-Type");
    raw.append("INBOX", reply.as_bytes(), None).await;
    raw.logout().await;
    sync(&core, &anna).await;
    let listed = core
        .list_messages(
            &anna,
            &MessageQuery {
                folder: FolderRole::Inbox,
                search: String::new(),
                page: PageRequest::default(),
            },
        )
        .await
        .unwrap();
    let id = listed
        .items
        .iter()
        .find(|m| m.subject == "nieuwsbrief")
        .unwrap()
        .id;
    let view = core.message_view(&anna, id, false).await.unwrap();
    assert_eq!(view.thread.len(), 1, "the reply is in the conversation");
    let html = view.html.as_deref().unwrap();
    for bad in ["<script", "onmouseover", "javascript:", "t.example"] {
        assert!(!html.contains(bad), "{bad}: {html}");
    }
    assert!(html.contains("Hallo"));
    assert!(view.remote_images_blocked);
    assert!(view.owned);
    let with_images = core.message_view(&anna, id, true).await.unwrap();
    assert!(
        with_images
            .html
            .unwrap()
            .contains("https://t.example/p.gif")
    );
    assert_eq!(view.attachments.len(), 1);
    let (info, bytes) = core.attachment(&anna, id, 0).await.unwrap();
    assert_eq!(info.name, "notities.txt");
    assert_eq!(bytes, b"regel een");
    assert!(matches!(
        core.attachment(&anna, id, 5).await,
        Err(CoreError::NotFound)
    ));
    let (_, original) = core.message_raw(&anna, id).await.unwrap();
    assert_eq!(original, HTML_MAIL);
}
