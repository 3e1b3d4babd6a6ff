//! The sync engine against the real Dovecot of scripts/test.sh, into both store engines:
//! first sync, IDLE, flags from another client, UIDVALIDITY reset, crash safety, linking and
//! hostile mail.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../../store/tests/store/harness.rs"]
#[macro_use]
mod harness;
#[path = "mail_sync/content.rs"]
mod content;
#[path = "mail_sync/failures.rs"]
mod failures;
#[path = "mail_sync/first_sync.rs"]
mod first_sync;
#[path = "../../mail/tests/support/mod.rs"]
mod support;
#[path = "mail_sync/workers.rs"]
mod workers;

use postkamer_core::mail::MailStorage;
use postkamer_domain::mail::MessageQuery;
use postkamer_domain::mail::sync::MailboxRecord;
use postkamer_domain::mail::{FolderRole, TlsMode};
use postkamer_domain::{Locale, NewUser, OrgId, PageRequest, Role, User};
use postkamer_mail::sync;
use postkamer_store::Store;
use postkamer_store::mail::MailboxUpdate;
use support::unique_user;

use content::{
    addresses_in_any_case_link_to_one_person, hostile_mail_is_stored_and_shown_safely,
    messages_over_the_cap_are_kept_as_their_header,
};
use failures::{
    a_hostile_server_ends_the_pass_with_a_clear_error,
    killed_syncs_resume_without_loss_or_duplicates,
};
use first_sync::{
    first_sync_stores_every_folder_once, flags_changed_elsewhere_show_up,
    new_mail_during_idle_is_picked_up, uidvalidity_reset_leaves_no_duplicates,
};

on_both_engines![
    first_sync_stores_every_folder_once,
    new_mail_during_idle_is_picked_up,
    flags_changed_elsewhere_show_up,
    uidvalidity_reset_leaves_no_duplicates,
    killed_syncs_resume_without_loss_or_duplicates,
    addresses_in_any_case_link_to_one_person,
    hostile_mail_is_stored_and_shown_safely,
    messages_over_the_cap_are_kept_as_their_header,
    a_hostile_server_ends_the_pass_with_a_clear_error,
];

struct Fixture {
    org: OrgId,
    user: User,
    login: String,
    mailbox: MailboxRecord,
}

async fn fixture(store: &Store, test: &str) -> Fixture {
    let org = store.create_org("Org").await.unwrap().id;
    let login = unique_user(test);
    let user = store
        .create_user(&NewUser {
            org_id: org,
            name: "Anna".into(),
            email: postkamer_domain::EmailAddress::parse("anna@org.nl").unwrap(),
            role: Role::Gebruiker,
            password_hash: "x".into(),
            locale: Locale::Nl,
        })
        .await
        .unwrap();
    let server = support::server();
    let mailbox = store
        .save_mailbox(
            org,
            user.id,
            &MailboxUpdate {
                host: server.host,
                port: server.port,
                tls: TlsMode::None,
                login: login.clone(),
                password_sealed: Some(Vec::new()),
                since: None,
                enabled: true,
            },
        )
        .await
        .unwrap();
    Fixture {
        org,
        user,
        login,
        mailbox,
    }
}

fn mail(n: usize, from: &str, subject: &str, body: &str) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: anna@org.nl\r\nSubject: {subject}\r\n\
         Date: Tue, 5 Mar 2024 10:{:02}:{:02} +0100\r\nMessage-ID: <m{n}-{subject}@test>\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n",
        (n / 60) % 60,
        n % 60
    )
    .into_bytes()
}

async fn list(store: &Store, f: &Fixture, folder: FolderRole) -> Vec<String> {
    let page = store
        .list_messages(
            f.org,
            f.user.id,
            &MessageQuery {
                folder,
                search: String::new(),
                page: PageRequest::new(Some(1), Some(100)),
            },
        )
        .await
        .unwrap();
    page.items.into_iter().map(|m| m.subject).collect()
}

/// The newest message of `folder` matching `search`.
async fn first_hit(
    store: &Store,
    f: &Fixture,
    folder: FolderRole,
    search: &str,
) -> postkamer_store::mail::MessageRecord {
    let page = store
        .list_messages(
            f.org,
            f.user.id,
            &MessageQuery {
                folder,
                search: search.to_owned(),
                page: PageRequest::default(),
            },
        )
        .await
        .unwrap();
    let first = page
        .items
        .first()
        .unwrap_or_else(|| panic!("no message matches {search:?}"));
    store.message(f.org, f.user.id, first.id).await.unwrap()
}

async fn total(store: &Store, f: &Fixture, folder: FolderRole) -> u64 {
    store
        .list_messages(
            f.org,
            f.user.id,
            &MessageQuery {
                folder,
                search: String::new(),
                page: PageRequest::new(Some(1), Some(1)),
            },
        )
        .await
        .unwrap()
        .total
}

async fn pass(store: &Store, f: &Fixture) -> sync::SyncReport {
    let mut conn = support::connect(&f.login).await;
    let report = sync::sync_mailbox(&MailStorage::new(store.clone()), &mut conn, &f.mailbox)
        .await
        .unwrap();
    conn.logout().await.unwrap();
    report
}

/// The fixture mailbox's sync status, running while its sync job is leased.
async fn status(store: &Store, f: &Fixture) -> postkamer_domain::mail::SyncStatus {
    let id = f.mailbox.settings.id;
    let key = postkamer_core::background::mailbox_job_key(id);
    store
        .sync_status(id, (postkamer_core::background::MAIL_SYNC, &key))
        .await
        .unwrap()
}
