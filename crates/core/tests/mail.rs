//! Mail use cases end to end against the throw-away Dovecot of scripts/test.sh: settings with a
//! sealed password and precise connection errors, write-back of flags and deletes, privacy
//! between colleagues, linking an unknown address, and the message view.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../../store/tests/store/harness.rs"]
#[macro_use]
mod harness;
#[path = "mail/colleagues.rs"]
mod colleagues;
#[path = "mail/messages.rs"]
mod messages;
#[path = "mail/settings.rs"]
mod settings;
#[path = "../../mail/tests/support/mod.rs"]
mod support;

use postkamer_core::{Core, CoreConfig, UserInput};
use postkamer_domain::mail::MessageQuery;
use postkamer_domain::mail::{FolderRole, MailboxInput, TlsMode};
use postkamer_domain::{MessageId, PageRequest, Role, User};
use postkamer_store::Store;
use support::unique_user;

use colleagues::{
    colleagues_see_linked_mail_unless_private, linking_an_address_pulls_in_earlier_mail,
};
use messages::{
    message_view_is_safe_and_serves_attachments,
    read_important_and_delete_are_written_to_the_server,
};
use settings::{
    settings_are_sealed_and_connection_errors_precise,
    the_stored_password_goes_to_its_own_host_only,
};

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
