//! Mail: batches and progress, dedupe, linking by address, visibility and privacy, full-text
//! search, expunge and reset, leases.

use crate::fixtures::*;
use postkamer_domain::mail::sync::{
    FolderProgress, FolderRecord, IncomingMessage, Located, SearchText,
};
use postkamer_domain::mail::{AddressKind, FolderRole, MailAddress, TlsMode};
use postkamer_domain::mail::{MessageQuery, TimelineOf};
use postkamer_domain::relation::Actor;
use postkamer_domain::relation::PersonInput;
use postkamer_domain::{OrgId, PageRequest, Role, User};
use postkamer_store::mail::MailboxUpdate;
use postkamer_store::{Store, StoreError};

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

pub async fn batches_are_idempotent_and_messages_stored_once(store: Store) {
    let org = org(&store, "Org").await;
    let (anna, inbox, sent) = mailbox_user(&store, org, "Anna", "anna@org.nl").await;
    let a = message(
        "a",
        "Offerte",
        "klant@x.nl",
        &["anna@org.nl"],
        "tekst",
        1_000,
    );
    let b = message(
        "b",
        "Factuur",
        "klant@x.nl",
        &["anna@org.nl"],
        "tekst",
        2_000,
    );
    store
        .store_batch(
            org,
            inbox.id,
            &[(at(1), a.clone()), (at(2), b.clone())],
            progress(3),
        )
        .await
        .unwrap();
    // The same batch again (a crash after commit, before the caller noticed) changes nothing.
    store
        .store_batch(
            org,
            inbox.id,
            &[(at(1), a.clone()), (at(2), b)],
            progress(3),
        )
        .await
        .unwrap();
    // The same message in Sent: one message, two locations.
    store
        .store_batch(org, sent.id, &[(at(7), a)], progress(8))
        .await
        .unwrap();
    let inbox_page = store
        .list_messages(org, anna.id, &inbox_query(""))
        .await
        .unwrap();
    assert_eq!(subjects(&inbox_page), ["Factuur", "Offerte"]);
    assert_eq!(inbox_page.total, 2);
    let uids: Vec<u32> = store
        .folder_uids(inbox.id)
        .await
        .unwrap()
        .iter()
        .map(|l| l.uid)
        .collect();
    assert_eq!(uids, [1, 2]);
    let folder = store.folder(inbox.id).await.unwrap();
    assert_eq!((folder.uid_top, folder.first_sync_done), (3, true));
    let id = inbox_page.items[1].id;
    let record = store.message(org, anna.id, id).await.unwrap();
    assert_eq!(record.locations.len(), 2, "inbox and sent");

    // Removing one location keeps the message; removing the last deletes it.
    store.remove_uids(sent.id, &[7]).await.unwrap();
    assert!(store.message(org, anna.id, id).await.is_ok());
    store.remove_uids(inbox.id, &[1]).await.unwrap();
    assert!(matches!(
        store.message(org, anna.id, id).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(
        store
            .list_messages(org, anna.id, &inbox_query("offerte"))
            .await
            .unwrap()
            .total,
        0
    );

    // A new UIDVALIDITY empties the folder.
    let reset = store.reset_folder(inbox.id, 99, 1).await.unwrap();
    assert_eq!((reset.uid_validity, reset.first_sync_done), (99, false));
    assert_eq!(
        store
            .list_messages(org, anna.id, &inbox_query(""))
            .await
            .unwrap()
            .total,
        0
    );
}

pub async fn mail_links_to_persons_by_address_including_earlier_mail(store: Store) {
    let org = org(&store, "Org").await;
    let (anna, inbox, _) = mailbox_user(&store, org, "Anna", "anna@org.nl").await;
    let company = company(&store, org, company_input("Klant BV")).await;
    let mut with_reply = message(
        "r",
        "Via reply-to",
        "noreply@x.nl",
        &["anna@org.nl"],
        "x",
        3_000,
    );
    with_reply
        .addresses
        .push(addr(AddressKind::ReplyTo, "piet@klant.nl"));
    let mut with_bcc = message(
        "bcc",
        "Alleen bcc",
        "anna@org.nl",
        &["iemand@x.nl"],
        "x",
        4_000,
    );
    with_bcc
        .addresses
        .push(addr(AddressKind::Bcc, "piet@klant.nl"));
    store
        .store_batch(
            org,
            inbox.id,
            &[
                (
                    at(1),
                    message("1", "Eerste", "piet@klant.nl", &["anna@org.nl"], "x", 1_000),
                ),
                (
                    at(2),
                    message(
                        "2",
                        "Tweede",
                        "anna@org.nl",
                        &["piet@klant.nl", "kees@klant.nl"],
                        "x",
                        2_000,
                    ),
                ),
                (at(3), with_reply),
                (at(4), with_bcc),
            ],
            progress(5),
        )
        .await
        .unwrap();

    // Unknown sender: offered, with the company whose domain fits once it has one.
    let first = store
        .list_messages(org, anna.id, &inbox_query("eerste"))
        .await
        .unwrap()
        .items[0]
        .clone();
    assert!(first.relations.is_empty());
    let unknown = store.unknown_addresses(org, first.id).await.unwrap();
    assert_eq!(
        unknown.iter().map(|u| u.email.as_str()).collect::<Vec<_>>(),
        ["piet@klant.nl"],
        "users are not offered"
    );
    assert_eq!(
        store
            .messages_with_address(org, anna.id, &email("piet@klant.nl"))
            .await
            .unwrap(),
        3
    );

    // The person created afterwards has all earlier mail (From, To, Reply-To; not Bcc).
    let piet = person_with(&store, org, "Piet", &["piet@klant.nl"]).await;
    let timeline = store
        .timeline(
            org,
            anna.id,
            TimelineOf::Person(piet),
            PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(subjects(&timeline), ["Via reply-to", "Tweede", "Eerste"]);
    let listed = store
        .list_messages(org, anna.id, &inbox_query("eerste"))
        .await
        .unwrap();
    assert_eq!(listed.items[0].relations[0].display_name, "Piet");
    assert!(
        store
            .unknown_addresses(org, first.id)
            .await
            .unwrap()
            .is_empty()
    );

    // Through the person to the company.
    let mut input = store.person(org, piet).await.unwrap().to_input();
    input.company_id = Some(company);
    input.emails.push(postkamer_domain::relation::EmailInput {
        address: "KEES@klant.nl".into(),
        primary: false,
    });
    store
        .update_person(org, piet, &input.validate().unwrap(), Actor::SYSTEM)
        .await
        .unwrap();
    let company_mail = store
        .timeline(
            org,
            anna.id,
            TimelineOf::Company(company),
            PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(
        company_mail.total, 3,
        "kees@ adds no new message: it was in Tweede already"
    );
    // Removing the address unlinks.
    store.delete_person(org, piet, Actor::SYSTEM).await.unwrap();
    assert_eq!(
        store
            .timeline(
                org,
                anna.id,
                TimelineOf::Company(company),
                PageRequest::default()
            )
            .await
            .unwrap()
            .total,
        0
    );
}

pub async fn private_mail_stays_with_its_owner(store: Store) {
    let org = org(&store, "Org").await;
    let (anna, inbox, _) = mailbox_user(&store, org, "Anna", "anna@org.nl").await;
    let (bert, bert_inbox, _) = mailbox_user(&store, org, "Bert", "bert@org.nl").await;
    let piet = person_with(&store, org, "Piet", &["piet@klant.nl"]).await;
    store
        .store_batch(
            org,
            inbox.id,
            &[
                (
                    at(1),
                    message(
                        "linked",
                        "Met klant",
                        "piet@klant.nl",
                        &["anna@org.nl"],
                        "x",
                        1_000,
                    ),
                ),
                (
                    at(2),
                    message(
                        "own",
                        "Persoonlijk",
                        "vriend@x.nl",
                        &["anna@org.nl"],
                        "x",
                        2_000,
                    ),
                ),
            ],
            progress(3),
        )
        .await
        .unwrap();
    let anna_page = store
        .list_messages(org, anna.id, &inbox_query(""))
        .await
        .unwrap();
    let linked = anna_page
        .items
        .iter()
        .find(|m| m.subject == "Met klant")
        .unwrap()
        .id;
    let own = anna_page
        .items
        .iter()
        .find(|m| m.subject == "Persoonlijk")
        .unwrap()
        .id;

    // Bert: not in his inbox; the linked one on the relation; the unlinked one nowhere.
    assert_eq!(
        store
            .list_messages(org, bert.id, &inbox_query(""))
            .await
            .unwrap()
            .total,
        0
    );
    let on_relation = store
        .timeline(
            org,
            bert.id,
            TimelineOf::Person(piet),
            PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(subjects(&on_relation), ["Met klant"]);
    assert_eq!(on_relation.items[0].seen, None, "not Bert's copy");
    assert!(store.message(org, bert.id, linked).await.is_ok());
    assert!(matches!(
        store.message(org, bert.id, own).await,
        Err(StoreError::NotFound)
    ));
    // Only owners mark private.
    assert!(matches!(
        store.set_private(bert.id, linked, true).await,
        Err(StoreError::NotFound)
    ));

    store.set_private(anna.id, linked, true).await.unwrap();
    assert_eq!(
        store
            .timeline(
                org,
                bert.id,
                TimelineOf::Person(piet),
                PageRequest::default()
            )
            .await
            .unwrap()
            .total,
        0
    );
    assert!(matches!(
        store.message(org, bert.id, linked).await,
        Err(StoreError::NotFound)
    ));
    let anna_view = store
        .timeline(
            org,
            anna.id,
            TimelineOf::Person(piet),
            PageRequest::default(),
        )
        .await
        .unwrap();
    assert!(anna_view.items[0].private);
    // Bert gets the same message in his own mailbox: his copy is his.
    store
        .store_batch(
            org,
            bert_inbox.id,
            &[(
                at(1),
                message(
                    "linked",
                    "Met klant",
                    "piet@klant.nl",
                    &["anna@org.nl"],
                    "x",
                    1_000,
                ),
            )],
            progress(2),
        )
        .await
        .unwrap();
    assert!(store.message(org, bert.id, linked).await.is_ok());
    store.set_private(anna.id, linked, false).await.unwrap();

    // Another organisation sees nothing, whatever the ids.
    let other = org_fixture(&store).await;
    let (carla, _, _) = mailbox_user(&store, other, "Carla", "carla@ander.nl").await;
    assert!(matches!(
        store.message(other, carla.id, linked).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(
        store
            .timeline(
                other,
                carla.id,
                TimelineOf::Person(piet),
                PageRequest::default()
            )
            .await
            .unwrap()
            .total,
        0
    );
}

async fn org_fixture(store: &Store) -> OrgId {
    org(store, "Ander BV").await
}

pub async fn mail_is_searched_in_subject_body_and_addresses(store: Store) {
    let org = org(&store, "Org").await;
    let (anna, inbox, _) = mailbox_user(&store, org, "Anna", "anna@org.nl").await;
    store
        .store_batch(
            org,
            inbox.id,
            &[
                (
                    at(1),
                    message(
                        "1",
                        "Offerte café",
                        "joelle@voorbeeld.nl",
                        &["anna@org.nl"],
                        "De levering van koffiebonen",
                        1_000,
                    ),
                ),
                (
                    at(2),
                    message(
                        "2",
                        "Factuur",
                        "boekhouding@leverancier.nl",
                        &["anna@org.nl"],
                        "Betaling binnen 30 dagen",
                        2_000,
                    ),
                ),
            ],
            progress(3),
        )
        .await
        .unwrap();
    for (search, expected) in [
        ("cafe", vec!["Offerte café"]),
        ("CAFÉ", vec!["Offerte café"]),
        ("koffie", vec!["Offerte café"]),
        ("levering koffiebonen", vec!["Offerte café"]),
        ("voorbeeld", vec!["Offerte café"]),
        ("boekhouding@leverancier.nl", vec!["Factuur"]),
        ("betaling 30", vec!["Factuur"]),
        ("offerte factuur", vec![]),
        ("\"; DROP TABLE messages; --", vec![]),
        ("*", vec!["Factuur", "Offerte café"]),
    ] {
        let page = store
            .list_messages(org, anna.id, &inbox_query(search))
            .await
            .unwrap();
        assert_eq!(subjects(&page), expected, "search {search:?}");
    }
}

pub async fn flags_and_progress_are_kept(store: Store) {
    let org = org(&store, "Org").await;
    let (anna, inbox, _) = mailbox_user(&store, org, "Anna", "anna@org.nl").await;
    store
        .store_batch(
            org,
            inbox.id,
            &[(at(5), message("1", "S", "a@x.nl", &[], "x", 1))],
            progress(6),
        )
        .await
        .unwrap();
    store
        .update_flags(
            inbox.id,
            &[
                Located {
                    uid: 5,
                    seen: true,
                    flagged: true,
                    modseq: Some(9),
                },
                at(99),
            ],
        )
        .await
        .unwrap();
    let item = store
        .list_messages(org, anna.id, &inbox_query(""))
        .await
        .unwrap()
        .items[0]
        .clone();
    assert_eq!(
        (item.seen, item.flagged, item.folder),
        (Some(true), Some(true), Some(FolderRole::Inbox))
    );
    store
        .set_location_flags(inbox.id, 5, Some(false), None)
        .await
        .unwrap();
    let item = store
        .list_messages(org, anna.id, &inbox_query(""))
        .await
        .unwrap()
        .items[0]
        .clone();
    assert_eq!((item.seen, item.flagged), (Some(false), Some(true)));
    let status = store.sync_status(inbox.mailbox).await.unwrap();
    let inbox_status = status
        .folders
        .iter()
        .find(|f| f.role == FolderRole::Inbox)
        .unwrap();
    assert_eq!(inbox_status.stored, 1);
    assert!(!status.running);
}

pub async fn leases_give_each_mailbox_to_one_instance(store: Store) {
    let org = org(&store, "Org").await;
    let (_, inbox, _) = mailbox_user(&store, org, "Anna", "anna@org.nl").await;
    let id = inbox.mailbox;
    let now = postkamer_store::now_millis();
    assert_eq!(
        store.claim_mailbox("a", now + 60_000).await.unwrap(),
        Some(id)
    );
    assert_eq!(
        store.claim_mailbox("b", now + 60_000).await.unwrap(),
        None,
        "leased by a"
    );
    assert!(store.renew_lease(id, "a", now + 120_000).await.unwrap());
    assert!(!store.renew_lease(id, "b", now + 120_000).await.unwrap());
    assert!(store.sync_status(id).await.unwrap().running);
    store.release_lease(id, "a").await.unwrap();
    assert_eq!(
        store.claim_mailbox("b", now - 1).await.unwrap(),
        Some(id),
        "released"
    );
    // b's lease (already expired) is taken over by c; b notices on renewal.
    assert_eq!(
        store.claim_mailbox("c", now + 60_000).await.unwrap(),
        Some(id)
    );
    assert!(!store.renew_lease(id, "b", now + 60_000).await.unwrap());

    // Concurrent claims: exactly one wins.
    store.release_lease(id, "c").await.unwrap();
    let claims = futures_like_join(&store, now).await;
    assert_eq!(
        claims.iter().filter(|c| c.is_some()).count(),
        1,
        "{claims:?}"
    );
}

async fn futures_like_join(store: &Store, now: i64) -> Vec<Option<postkamer_domain::MailboxId>> {
    let mut handles = Vec::new();
    for i in 0..8 {
        let store = store.clone();
        handles.push(tokio::spawn(async move {
            store
                .claim_mailbox(&format!("w{i}"), now + 60_000)
                .await
                .unwrap()
        }));
    }
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}

pub async fn changing_the_server_starts_over(store: Store) {
    let org = org(&store, "Org").await;
    let (anna, inbox, _) = mailbox_user(&store, org, "Anna", "anna@org.nl").await;
    store
        .store_batch(
            org,
            inbox.id,
            &[(at(1), message("1", "S", "a@x.nl", &[], "x", 1))],
            progress(2),
        )
        .await
        .unwrap();
    let update = |host: &str, password: Option<Vec<u8>>| MailboxUpdate {
        host: host.into(),
        port: 143,
        tls: TlsMode::None,
        login: "anna@org.nl".into(),
        password_sealed: password,
        since: Some("2025-01-01".into()),
        enabled: true,
    };
    // Same server, no new password: the stored one and the mail stay.
    let kept = store
        .save_mailbox(org, anna.id, &update("127.0.0.1", None))
        .await
        .unwrap();
    assert_eq!(kept.password_sealed, vec![1, 2, 3]);
    assert_eq!(kept.settings.since.as_deref(), Some("2025-01-01"));
    assert_eq!(
        store
            .list_messages(org, anna.id, &inbox_query(""))
            .await
            .unwrap()
            .total,
        1
    );
    // Another server: folders and their mail are gone.
    store
        .save_mailbox(org, anna.id, &update("imap.elders.nl", None))
        .await
        .unwrap();
    assert_eq!(
        store
            .list_messages(org, anna.id, &inbox_query(""))
            .await
            .unwrap()
            .total,
        0
    );
    assert!(store.folders(kept.settings.id).await.unwrap().is_empty());
}
