//! Mail: batches and progress, dedupe, linking by address, visibility and privacy, full-text
//! search, expunge and reset, leases.

use crate::fixtures::*;
use postkamer_domain::mail::MessageQuery;
use postkamer_domain::mail::sync::{
    FolderProgress, FolderRecord, IncomingMessage, Located, SearchText,
};
use postkamer_domain::mail::{AddressKind, FolderRole, MailAddress, TlsMode};
use postkamer_domain::relation::Actor;
use postkamer_domain::relation::PersonInput;
use postkamer_domain::{OrgId, PageRequest, Role, User};
use postkamer_store::Store;
use postkamer_store::mail::MailboxUpdate;

#[path = "mail/reading.rs"]
pub(crate) mod reading;
#[path = "mail/state.rs"]
pub(crate) mod state;
#[path = "mail/storing.rs"]
pub(crate) mod storing;

pub(crate) fn addr(kind: AddressKind, email: &str) -> MailAddress {
    MailAddress {
        kind,
        email: email.to_owned(),
        name: None,
    }
}

/// A message from `from` to `to` (bare lower-case addresses, as the mail engine hands them).
pub(crate) fn message(
    key: &str,
    subject: &str,
    from: &str,
    to: &[&str],
    body: &str,
    date: i64,
) -> IncomingMessage {
    let mut addresses = vec![addr(AddressKind::From, from)];
    addresses.extend(to.iter().map(|t| addr(AddressKind::To, t)));
    let search = SearchText::of(subject, &addresses, body);
    IncomingMessage {
        dedupe_key: key.to_owned(),
        content_hash: format!("hash-{key}"),
        display_key: format!("d:{key}"),
        truncated: false,
        header_message_id: Some(format!("{key}@test")),
        thread_key: format!("{key}@test"),
        subject: subject.to_owned(),
        sent_at: Some(date),
        sort_at: date,
        addresses,
        snippet: body.chars().take(40).collect(),
        search,
        attachment_count: 0,
        size: body.len() as u64,
        raw_compressed: format!("Subject: {subject}\r\n\r\n{body}").into_bytes(),
    }
}

pub(crate) fn at(uid: u32) -> Located {
    Located {
        uid,
        seen: false,
        flagged: false,
        modseq: None,
    }
}

pub(crate) fn progress(top: u32) -> FolderProgress {
    FolderProgress {
        uid_top: top,
        uid_low: Some(1),
        first_sync_done: true,
        highest_modseq: None,
        on_server: 0,
    }
}

pub(crate) async fn mailbox_user(
    store: &Store,
    org: OrgId,
    name: &str,
    email: &str,
) -> (User, FolderRecord, FolderRecord) {
    let user = user(store, org, name, email, Role::Gebruiker).await;
    let mailbox = store
        .save_mailbox(
            org,
            user.id,
            &MailboxUpdate {
                host: "127.0.0.1".into(),
                port: 143,
                tls: TlsMode::None,
                login: email.into(),
                password_sealed: Some(vec![1, 2, 3]),
                since: None,
                enabled: true,
            },
        )
        .await
        .expect("mailbox");
    let inbox = store
        .ensure_folder(mailbox.settings.id, FolderRole::Inbox, "INBOX")
        .await
        .expect("inbox");
    let sent = store
        .ensure_folder(mailbox.settings.id, FolderRole::Sent, "Sent")
        .await
        .expect("sent");
    (user, inbox, sent)
}

pub(crate) async fn person_with(
    store: &Store,
    org: OrgId,
    last: &str,
    addresses: &[&str],
) -> postkamer_domain::PersonId {
    let input = PersonInput {
        emails: emails(
            &addresses
                .iter()
                .enumerate()
                .map(|(i, a)| (*a, i == 0))
                .collect::<Vec<_>>(),
        ),
        ..person_input("", "", last)
    };
    store
        .create_person(org, &input.validate().expect("valid"), Actor::SYSTEM)
        .await
        .expect("person")
        .id
}

pub(crate) fn inbox_query(search: &str) -> MessageQuery {
    MessageQuery {
        folder: FolderRole::Inbox,
        search: search.to_owned(),
        page: PageRequest::new(Some(1), Some(50)),
    }
}

pub(crate) fn subjects(
    page: &postkamer_domain::Page<postkamer_domain::mail::MessageSummary>,
) -> Vec<&str> {
    page.items.iter().map(|m| m.subject.as_str()).collect()
}
