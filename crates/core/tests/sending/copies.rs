//! The writer's copy: in Verzonden and on the relation's timeline as soon as it is queued,
//! APPENDed to the Sent folder on the writer's IMAP server (Dovecot) with `\Seen` once it is
//! sent, recognised by the next sync (one message), and an APPEND that fails neither fails the
//! send nor gets lost.

use std::time::Duration;

use postkamer_core::Core;
use postkamer_core::jobs::Ran;
use postkamer_domain::mail::outbox::OutboxState;
use postkamer_domain::mail::{FolderRole, MailboxInput, MessageQuery, TimelineOf, TlsMode};
use postkamer_domain::relation::{EmailInput, PersonInput};
use postkamer_domain::{PageRequest, User};
use postkamer_mail::imap::Flags;
use postkamer_store::Store;

use crate::dns::TestDns;
use crate::faults::{port, sender};
use crate::smtp::{marker, received};
use crate::support::{connect, unique_user};
use crate::{clock, config, mail, runner};

fn mailbox_form(login: &str, password: &str) -> MailboxInput {
    let server = crate::support::server();
    MailboxInput {
        host: server.host,
        port: server.port.to_string(),
        tls: TlsMode::None,
        login: login.to_owned(),
        password: password.to_owned(),
        since: String::new(),
        enabled: true,
    }
}

async fn sync(core: &Core, user: &User) {
    let mailbox = core.mailbox_record(user).await.unwrap().unwrap();
    core.sync_mailbox_once(&mailbox).await.unwrap();
}

async fn sent_subjects(core: &Core, user: &User) -> Vec<String> {
    let query = MessageQuery {
        folder: FolderRole::Sent,
        search: String::new(),
        page: PageRequest::default(),
    };
    let page = core.list_messages(user, &query).await.unwrap();
    page.items.into_iter().map(|m| m.subject).collect()
}

/// The UIDs of the messages with `message_id` in the login's Sent folder, with their flags.
async fn on_server(login: &str, message_id: &str) -> Vec<Flags> {
    let mut conn = connect(login).await;
    conn.select("Sent").await.unwrap();
    let uids = conn.with_message_id(message_id).await.unwrap();
    let fetched = conn.fetch(&uids).await.unwrap();
    fetched.into_iter().map(|m| m.flags).collect()
}

/// Runs jobs until none is due.
async fn run_all(runner: &postkamer_core::jobs::JobRunner) -> Vec<Ran> {
    let mut ran = Vec::new();
    while let Some(outcome) = runner.run_once().await.unwrap() {
        ran.push(outcome);
    }
    ran
}

pub(crate) async fn a_sent_message_is_in_verzonden_at_once_and_on_the_server_once(store: Store) {
    let dns = TestDns::from_env();
    let clock = clock();
    let core = Core::new(store, config(&dns, clock.clone()));
    let anna = sender(&core, &dns, "copies", port()).await;
    let login = unique_user("sent-copy");
    let password = crate::support::server().password;
    core.save_mailbox(&anna, &mailbox_form(&login, &password))
        .await
        .unwrap();
    sync(&core, &anna).await;
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
    let runner = runner(&core);

    let mark = marker("copy");
    let queued = core
        .send_mail(&anna, mail(&mark, &["piet@klant.nl"]))
        .await
        .unwrap();
    let subject = format!("Offerte café {mark}");
    assert_eq!(
        sent_subjects(&core, &anna).await,
        [subject.as_str()],
        "at once"
    );
    let timeline = core
        .timeline(&anna, TimelineOf::Person(piet.id), PageRequest::default())
        .await
        .unwrap();
    assert_eq!(timeline.items.len(), 1);
    assert_eq!(timeline.items[0].subject, subject);

    // Sent, then APPENDed with \Seen: once on the server, once here, also after a sync.
    run_all(&runner).await;
    received(&mark, 1);
    let record = core.outgoing(&anna, queued.id).await.unwrap();
    assert_eq!(record.state, OutboxState::Verzonden);
    let flags = on_server(&login, &queued.message_id).await;
    assert_eq!(flags.len(), 1, "one copy in Sent");
    assert!(flags[0].seen, "stored as read");
    sync(&core, &anna).await;
    sync(&core, &anna).await;
    assert_eq!(sent_subjects(&core, &anna).await, [subject.as_str()]);
    let own = core
        .timeline(&anna, TimelineOf::Person(piet.id), PageRequest::default())
        .await
        .unwrap();
    assert_eq!(own.total, 1, "no duplicate on the timeline");

    // The IMAP server refuses the login: the message is sent all the same, and the copy
    // follows once the mailbox works again.
    core.save_mailbox(&anna, &mailbox_form(&login, "niet het wachtwoord"))
        .await
        .unwrap();
    clock.advance(Duration::from_secs(60));
    let mark = marker("copy-later");
    let second = core
        .send_mail(&anna, mail(&mark, &["piet@klant.nl"]))
        .await
        .unwrap();
    let ran = run_all(&runner).await;
    received(&mark, 1);
    assert_eq!(
        core.outgoing(&anna, second.id).await.unwrap().state,
        OutboxState::Verzonden,
        "a failing APPEND does not fail the send"
    );
    let Some((at, error)) = ran.iter().find_map(|r| match r {
        Ran::Retry { at, error, .. } => Some((*at, error.clone())),
        _ => None,
    }) else {
        panic!("the APPEND is retried: {ran:?}");
    };
    assert!(
        error.starts_with("Bewaren in Verzonden is mislukt"),
        "{error}"
    );
    assert!(on_server(&login, &second.message_id).await.is_empty());
    let subject2 = format!("Offerte café {mark}");
    assert_eq!(
        sent_subjects(&core, &anna).await,
        [subject2.clone(), subject.clone()]
    );

    core.save_mailbox(&anna, &mailbox_form(&login, &password))
        .await
        .unwrap();
    clock.advance(Duration::from_millis(
        u64::try_from(at - core.clock().now_millis()).unwrap() + 1,
    ));
    let ran = run_all(&runner).await;
    assert!(ran.iter().all(|r| matches!(r, Ran::Done(_))), "{ran:?}");
    assert_eq!(on_server(&login, &second.message_id).await.len(), 1);
    sync(&core, &anna).await;
    assert_eq!(sent_subjects(&core, &anna).await, [subject2, subject]);
}
