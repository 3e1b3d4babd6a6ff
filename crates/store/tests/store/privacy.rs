//! A user's mail is theirs: the organisation's own addresses never link mail to a relation
//! (refused on every write of a contact person, ignored on every read), each copy of a message
//! is its own row and each user is served their own, counts follow visibility, and who linked
//! which address is logged.

use crate::fixtures::*;
use crate::mail::{addr, at, inbox_query, mailbox_user, message, person_with, progress, subjects};
use postkamer_domain::mail::TimelineOf;
use postkamer_domain::mail::{AddressKind, TlsMode};
use postkamer_domain::relation::{Actor, AddressSource, EmailInput};
use postkamer_domain::{PageRequest, Role};
use postkamer_store::mail::MailboxUpdate;
use postkamer_store::{Store, StoreError};

fn own_address_refused<T: std::fmt::Debug>(result: Result<T, StoreError>, expected: &str) {
    match result {
        Err(StoreError::OwnAddress(email)) => assert_eq!(email, expected),
        other => panic!("expected OwnAddress({expected}), got {other:?}"),
    }
}

pub async fn own_addresses_never_become_a_contact_persons(store: Store) {
    let org = org(&store, "Org").await;
    let (anna, _, _) = mailbox_user(&store, org, "Anna", "anna@org.nl").await;
    user(&store, org, "Bert", "bert@org.nl", Role::Gebruiker).await;
    store.add_domain(org, "eigen-domein.nl").await.unwrap();
    // Anna reads her mail with an IMAP login other than her CRM address.
    store
        .save_mailbox(
            org,
            anna.id,
            &MailboxUpdate {
                host: "127.0.0.1".into(),
                port: 143,
                tls: TlsMode::None,
                login: "Postvak@Org-Mail.nl".into(),
                password_sealed: Some(vec![1]),
                since: None,
                enabled: true,
            },
        )
        .await
        .unwrap();
    let by = Actor::user(anna.id, AddressSource::Relation);
    let with = |address: &str| {
        valid_person(postkamer_domain::relation::PersonInput {
            emails: emails(&[("piet@klant.nl", true), (address, false)]),
            ..person_input("Piet", "", "Bakker")
        })
    };
    // A colleague's login (in any case), an IMAP login, an address at a sending domain.
    own_address_refused(
        store.create_person(org, &with("BERT@org.nl"), by).await,
        "bert@org.nl",
    );
    own_address_refused(
        store
            .create_person(org, &with("postvak@org-mail.nl"), by)
            .await,
        "postvak@org-mail.nl",
    );
    own_address_refused(
        store
            .create_person(org, &with("info@eigen-domein.nl"), by)
            .await,
        "info@eigen-domein.nl",
    );
    assert_eq!(person_total(&store, org).await, 0, "nothing stored");
    let piet = store
        .create_person(org, &with("piet@prive.nl"), by)
        .await
        .unwrap();
    own_address_refused(
        store
            .update_person(org, piet.id, &with("bert@org.nl"), by)
            .await,
        "bert@org.nl",
    );
    assert_eq!(
        store.person(org, piet.id).await.unwrap().emails.len(),
        2,
        "the refused update changed nothing"
    );
    let found = store
        .own_addresses_among(
            org,
            &[
                email("piet@klant.nl"),
                email("Bert@Org.nl"),
                email("x@eigen-domein.nl"),
            ],
        )
        .await
        .unwrap();
    assert_eq!(found, [email("bert@org.nl"), email("x@eigen-domein.nl")]);
    // Another organisation's users are not this one's own.
    let other = crate::fixtures::org(&store, "Ander BV").await;
    assert!(
        store
            .own_addresses_among(other, &[email("bert@org.nl")])
            .await
            .unwrap()
            .is_empty()
    );
}

pub async fn address_changes_are_logged_with_who_and_how(store: Store) {
    let org = org(&store, "Org").await;
    let anna = user(&store, org, "Anna de Vries", "anna@org.nl", Role::Gebruiker).await;
    let piet = store
        .create_person(
            org,
            &valid_person(postkamer_domain::relation::PersonInput {
                emails: emails(&[("piet@klant.nl", true)]),
                ..person_input("Piet", "", "Bakker")
            }),
            Actor::user(anna.id, AddressSource::Relation),
        )
        .await
        .unwrap();
    let mut input = piet.to_input();
    input.emails = vec![EmailInput {
        address: "piet@bakker.nl".into(),
        primary: true,
    }];
    store
        .update_person(
            org,
            piet.id,
            &input.validate().unwrap(),
            Actor::user(anna.id, AddressSource::Mail),
        )
        .await
        .unwrap();
    // An update that keeps the addresses logs nothing.
    store
        .update_person(org, piet.id, &input.validate().unwrap(), Actor::SYSTEM)
        .await
        .unwrap();
    let log = store.address_log(org, all()).await.unwrap();
    let lines: Vec<(String, bool, AddressSource, Option<String>)> = log
        .items
        .iter()
        .map(|e| (e.email.clone(), e.added, e.source, e.user_name.clone()))
        .collect();
    let anna_name = Some("Anna de Vries".to_owned());
    assert_eq!(
        lines,
        [
            // Newest first.
            (
                "piet@klant.nl".into(),
                false,
                AddressSource::Mail,
                anna_name.clone()
            ),
            (
                "piet@bakker.nl".into(),
                true,
                AddressSource::Mail,
                anna_name.clone()
            ),
            (
                "piet@klant.nl".into(),
                true,
                AddressSource::Relation,
                anna_name.clone()
            ),
        ]
    );
    assert!(log.items.iter().all(|e| e.person_name == "Piet Bakker"));
    assert!(log.items.iter().all(|e| e.person_id == Some(piet.id)));
    // Deleting the person logs its addresses as removed; the log outlives person and user.
    store
        .delete_person(org, piet.id, Actor::SYSTEM)
        .await
        .unwrap();
    let log = store.address_log(org, all()).await.unwrap();
    assert_eq!(log.total, 4);
    let last = &log.items[0];
    assert_eq!(
        (
            last.email.as_str(),
            last.added,
            last.user_id,
            last.person_id
        ),
        ("piet@bakker.nl", false, None, None)
    );
    assert_eq!(last.person_name, "Piet Bakker");
    // Another organisation's log is its own.
    let other = crate::fixtures::org(&store, "Ander BV").await;
    assert_eq!(store.address_log(other, all()).await.unwrap().total, 0);
}

pub async fn colleagues_mail_is_never_linked_through_their_own_address(store: Store) {
    let org = org(&store, "Org").await;
    let (anna, _, _) = mailbox_user(&store, org, "Anna", "anna@org.nl").await;
    // Stored before Xander joined (or before this rule): a contact person with his address.
    let legacy = person_with(&store, org, "Oud", &["xander@org.nl"]).await;
    let piet = person_with(&store, org, "Piet", &["piet@klant.nl"]).await;
    let (xander, inbox, _) = mailbox_user(&store, org, "Xander", "xander@org.nl").await;
    store
        .store_batch(
            org,
            inbox.id,
            &[
                (
                    at(1),
                    message(
                        "p",
                        "Persoonlijk",
                        "vriend@prive.nl",
                        &["xander@org.nl"],
                        "x",
                        1_000,
                    ),
                ),
                (
                    at(2),
                    message(
                        "k",
                        "Van de klant",
                        "piet@klant.nl",
                        &["xander@org.nl"],
                        "x",
                        2_000,
                    ),
                ),
            ],
            progress(3),
        )
        .await
        .unwrap();
    let own = store
        .list_messages(org, xander.id, &inbox_query(""))
        .await
        .unwrap();
    assert_eq!(own.total, 2, "Xander sees his own mail");
    let personal = own
        .items
        .iter()
        .find(|m| m.subject == "Persoonlijk")
        .unwrap();
    let customer = own
        .items
        .iter()
        .find(|m| m.subject == "Van de klant")
        .unwrap();
    assert!(
        personal.relations.is_empty(),
        "not linked through his own address: {:?}",
        personal.relations
    );
    assert_eq!(
        customer
            .relations
            .iter()
            .map(|r| r.display_name.as_str())
            .collect::<Vec<_>>(),
        ["Piet"],
        "linked through the counterparty only"
    );
    // Anna: the personal mail is nowhere, the customer's mail is on Piet.
    let on_legacy = store
        .timeline(
            org,
            anna.id,
            TimelineOf::Person(legacy),
            PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(on_legacy.total, 0, "{:?}", subjects(&on_legacy));
    assert!(matches!(
        store.message(org, anna.id, personal.id).await,
        Err(StoreError::NotFound)
    ));
    let on_piet = store
        .timeline(
            org,
            anna.id,
            TimelineOf::Person(piet),
            PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(subjects(&on_piet), ["Van de klant"]);
    assert_eq!(
        store
            .messages_with_address(org, anna.id, &email("xander@org.nl"))
            .await
            .unwrap(),
        1,
        "only the customer's mail, visible through Piet"
    );
    // An own address is never offered as unknown either.
    assert!(
        store
            .unknown_addresses(org, personal.id)
            .await
            .unwrap()
            .iter()
            .all(|u| u.email != "xander@org.nl")
    );
}

pub async fn a_copy_with_the_same_headers_is_another_message(store: Store) {
    let org = org(&store, "Org").await;
    let (anna, anna_inbox, _) = mailbox_user(&store, org, "Anna", "anna@org.nl").await;
    let (mallory, mallory_inbox, _) = mailbox_user(&store, org, "Mallory", "mallory@org.nl").await;
    let (bert, _, _) = mailbox_user(&store, org, "Bert", "bert@org.nl").await;
    let piet = person_with(&store, org, "Piet", &["piet@klant.nl"]).await;
    let real = message(
        "real",
        "Factuur",
        "piet@klant.nl",
        &["anna@org.nl"],
        "IBAN NL01",
        1_000,
    );
    store
        .store_batch(org, anna_inbox.id, &[(at(1), real.clone())], progress(2))
        .await
        .unwrap();
    let real_id = store
        .list_messages(org, anna.id, &inbox_query(""))
        .await
        .unwrap()
        .items[0]
        .id;
    store.set_private(anna.id, real_id, true).await.unwrap();

    // Mallory appends the same headers with another body (as the mail engine keys them: the
    // bytes differ, so do key and display key).
    let mut doctored = message(
        "doctored",
        "Factuur",
        "piet@klant.nl",
        &["anna@org.nl"],
        "IBAN NL99",
        1_000,
    );
    doctored.header_message_id = real.header_message_id.clone();
    doctored.thread_key = real.thread_key.clone();
    store
        .store_batch(org, mallory_inbox.id, &[(at(1), doctored)], progress(2))
        .await
        .unwrap();
    let mallory_id = store
        .list_messages(org, mallory.id, &inbox_query(""))
        .await
        .unwrap()
        .items[0]
        .id;
    assert_ne!(mallory_id, real_id, "another message");
    assert!(matches!(
        store.message(org, mallory.id, real_id).await,
        Err(StoreError::NotFound)
    ));
    assert!(
        store
            .thread(org, mallory.id, mallory_id, &real.thread_key)
            .await
            .unwrap()
            .is_empty()
    );
    // Bert sees Mallory's copy for what it is, never Anna's private one.
    let on_piet = store
        .timeline(
            org,
            bert.id,
            TimelineOf::Person(piet),
            PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(
        on_piet.items.iter().map(|m| m.id).collect::<Vec<_>>(),
        [mallory_id]
    );
    let seen_by_bert = store.message(org, bert.id, mallory_id).await.unwrap();
    assert!(String::from_utf8_lossy(&seen_by_bert.raw_compressed).contains("NL99"));
    assert!(!seen_by_bert.owned);

    // The very same bytes make Mallory an owner of that copy only: she had it already, and
    // her marks are hers (Anna's private mark still hides it from Bert).
    store
        .store_batch(org, mallory_inbox.id, &[(at(2), real)], progress(3))
        .await
        .unwrap();
    store.set_private(mallory.id, real_id, false).await.unwrap();
    assert!(matches!(
        store.message(org, bert.id, real_id).await,
        Err(StoreError::NotFound)
    ));
    let anna_copy = store.message(org, anna.id, real_id).await.unwrap();
    assert!(anna_copy.summary.private, "Anna's own mark");
    let mallory_copy = store.message(org, mallory.id, real_id).await.unwrap();
    assert!(!mallory_copy.summary.private, "not Mallory's mark");
}

pub async fn each_user_is_served_their_own_copy(store: Store) {
    let org = org(&store, "Org").await;
    let (anna, _, anna_sent) = mailbox_user(&store, org, "Anna", "anna@org.nl").await;
    let (bert, bert_inbox, _) = mailbox_user(&store, org, "Bert", "bert@org.nl").await;
    let (carla, _, _) = mailbox_user(&store, org, "Carla", "carla@org.nl").await;
    let piet = person_with(&store, org, "Piet", &["piet@klant.nl"]).await;
    // Anna's Sent copy carries her Bcc; Bert's delivered copy does not. They read alike.
    let mut sent = message(
        "sent-copy",
        "Voorstel",
        "anna@org.nl",
        &["piet@klant.nl", "bert@org.nl"],
        "x",
        1_000,
    );
    sent.addresses
        .push(addr(AddressKind::Bcc, "klaas@geheim.nl"));
    sent.display_key = "d:voorstel".into();
    let mut delivered = message(
        "delivered-copy",
        "Voorstel",
        "anna@org.nl",
        &["piet@klant.nl", "bert@org.nl"],
        "x",
        1_000,
    );
    delivered.display_key = "d:voorstel".into();
    store
        .store_batch(org, anna_sent.id, &[(at(1), sent)], progress(2))
        .await
        .unwrap();
    store
        .store_batch(org, bert_inbox.id, &[(at(1), delivered)], progress(2))
        .await
        .unwrap();
    let timeline = |viewer| {
        let store = store.clone();
        async move {
            store
                .timeline(
                    org,
                    viewer,
                    TimelineOf::Person(piet),
                    PageRequest::default(),
                )
                .await
                .unwrap()
        }
    };
    let (for_anna, for_bert, for_carla) = (
        timeline(anna.id).await,
        timeline(bert.id).await,
        timeline(carla.id).await,
    );
    for page in [&for_anna, &for_bert, &for_carla] {
        assert_eq!(page.total, 1, "one message, however many copies");
        assert_eq!(page.items.len(), 1);
    }
    let anna_id = for_anna.items[0].id;
    let bert_id = for_bert.items[0].id;
    assert_ne!(anna_id, bert_id, "each their own copy");
    assert!(for_anna.items[0].seen.is_some() && for_bert.items[0].seen.is_some());
    assert_eq!(for_carla.items[0].seen, None, "Carla owns no copy");

    let bcc = |record: &postkamer_store::mail::MessageRecord| {
        record
            .addresses
            .iter()
            .filter(|a| a.kind == AddressKind::Bcc)
            .count()
    };
    // Whichever copy is asked for, an owner gets their own.
    let anna_via_bert = store.message(org, anna.id, bert_id).await.unwrap();
    assert_eq!(
        (anna_via_bert.summary.id, anna_via_bert.owned),
        (anna_id, true)
    );
    assert_eq!(bcc(&anna_via_bert), 1, "Anna's own Bcc");
    let bert_via_anna = store.message(org, bert.id, anna_id).await.unwrap();
    assert_eq!(
        (bert_via_anna.summary.id, bert_via_anna.owned),
        (bert_id, true)
    );
    assert_eq!(bcc(&bert_via_anna), 0);
    // A colleague never sees a Bcc.
    let carla_view = store.message(org, carla.id, anna_id).await.unwrap();
    assert!(!carla_view.owned && carla_view.locations.is_empty());
    assert_eq!(bcc(&carla_view), 0);
    assert_eq!(
        store
            .messages_with_address(org, carla.id, &email("piet@klant.nl"))
            .await
            .unwrap(),
        1
    );
    // Nor is a Bcc address a link.
    let klaas = person_with(&store, org, "Klaas", &["klaas@geheim.nl"]).await;
    assert_eq!(
        store
            .timeline(
                org,
                carla.id,
                TimelineOf::Person(klaas),
                PageRequest::default()
            )
            .await
            .unwrap()
            .total,
        0
    );
}

pub async fn counts_follow_visibility(store: Store) {
    let org = org(&store, "Org").await;
    let (anna, inbox, _) = mailbox_user(&store, org, "Anna", "anna@org.nl").await;
    let (bert, _, _) = mailbox_user(&store, org, "Bert", "bert@org.nl").await;
    store
        .store_batch(
            org,
            inbox.id,
            &[
                (
                    at(1),
                    message("a", "Een", "vriend@prive.nl", &["anna@org.nl"], "x", 1_000),
                ),
                (
                    at(2),
                    message("b", "Twee", "vriend@prive.nl", &["anna@org.nl"], "x", 2_000),
                ),
            ],
            progress(3),
        )
        .await
        .unwrap();
    let ids: Vec<_> = store
        .list_messages(org, anna.id, &inbox_query(""))
        .await
        .unwrap()
        .items
        .iter()
        .map(|m| m.id)
        .collect();
    store.set_private(anna.id, ids[0], true).await.unwrap();
    let count = |viewer| {
        let store = store.clone();
        async move {
            store
                .messages_with_address(org, viewer, &email("vriend@prive.nl"))
                .await
                .unwrap()
        }
    };
    assert_eq!(count(anna.id).await, 2, "her own mail");
    assert_eq!(
        count(bert.id).await,
        0,
        "unlinked mail is no one else's business"
    );
    // Once the address is a relation's, Bert sees (and counts) the mail that is not private.
    person_with(&store, org, "Vriend", &["vriend@prive.nl"]).await;
    assert_eq!(count(bert.id).await, 1);
    // Another organisation counts nothing.
    let other = crate::fixtures::org(&store, "Ander BV").await;
    assert_eq!(
        store
            .messages_with_address(other, bert.id, &email("vriend@prive.nl"))
            .await
            .unwrap(),
        0
    );
}

/// The rows stored before copies were kept apart: one message shared by Anna's and Bert's
/// inboxes (marked private by Anna), one of Anna's alone.
pub const LEGACY_SHARED_MESSAGES: &str = "
INSERT INTO organisations (id, name, created_at) VALUES (1001, 'Org', 0);
INSERT INTO users (id, org_id, name, email, role, password_hash, created_at, updated_at) VALUES
    (1001, 1001, 'Anna', 'anna@org.nl', 'gebruiker', 'x', 0, 0),
    (1002, 1001, 'Bert', 'bert@org.nl', 'gebruiker', 'x', 0, 0);
INSERT INTO mailboxes (id, org_id, user_id, host, port, tls, login, password_sealed, created_at, updated_at) VALUES
    (1001, 1001, 1001, 'h', 143, 'none', 'anna@org.nl', '', 0, 0),
    (1002, 1001, 1002, 'h', 143, 'none', 'bert@org.nl', '', 0, 0);
INSERT INTO mail_folders (id, mailbox_id, role, name, uid_validity, uid_top, first_sync_done, on_server) VALUES
    (1001, 1001, 'inbox', 'INBOX', 7, 3, TRUE, 2),
    (1002, 1002, 'inbox', 'INBOX', 7, 2, TRUE, 1);
INSERT INTO messages (id, org_id, dedupe_key, content_hash, header_message_id, thread_key, subject,
                      sort_at, snippet, attachment_count, size, raw, created_at SEARCH_COLUMN) VALUES
    (1001, 1001, 'm:shared', 'h1', 'gedeeld@x', 'gedeeld@x', 'Gedeeld', 1, '', 0, 0, '', 0 SEARCH_VALUE),
    (1002, 1001, 'm:own', 'h2', 'eigen@x', 'eigen@x', 'Eigen', 2, '', 0, 0, '', 0 SEARCH_VALUE);
INSERT INTO mail_locations (folder_id, uid, message_id, seen, flagged, sort_at) VALUES
    (1001, 1, 1001, FALSE, FALSE, 1),
    (1001, 2, 1002, FALSE, FALSE, 2),
    (1002, 1, 1001, FALSE, FALSE, 1);
INSERT INTO private_messages (user_id, message_id) VALUES (1001, 1001);
";

/// After the upgrade: the shared row is gone (each user's copy comes back with the next sync),
/// the private mark comes back with Anna's copy, the other row keeps its place.
pub async fn shared_rows_of_old_are_split_into_copies(store: Store) {
    let org = postkamer_domain::OrgId(1001);
    let (anna, bert) = (
        postkamer_domain::UserId(1001),
        postkamer_domain::UserId(1002),
    );
    let page = store
        .list_messages(org, anna, &inbox_query(""))
        .await
        .unwrap();
    assert_eq!(subjects(&page), ["Eigen"]);
    assert_eq!(
        store
            .list_messages(org, bert, &inbox_query(""))
            .await
            .unwrap()
            .total,
        0
    );
    let anna_inbox = store
        .folder(postkamer_domain::mail::sync::FolderId(1001))
        .await
        .unwrap();
    assert_eq!(
        store.folder_count(anna_inbox.id).await.unwrap(),
        1,
        "a pass refetches UID 1"
    );
    // The next pass brings each copy back; Anna's mark with hers.
    let mut copy = message(
        "anna-copy",
        "Gedeeld",
        "vriend@x.nl",
        &["anna@org.nl"],
        "x",
        1,
    );
    copy.header_message_id = Some("gedeeld@x".into());
    store
        .store_batch(org, anna_inbox.id, &[(at(1), copy.clone())], progress(3))
        .await
        .unwrap();
    let mut bert_copy = copy;
    bert_copy.dedupe_key = "bert-copy".into();
    store
        .store_batch(
            org,
            postkamer_domain::mail::sync::FolderId(1002),
            &[(at(1), bert_copy)],
            progress(2),
        )
        .await
        .unwrap();
    let anna_page = store
        .list_messages(org, anna, &inbox_query("gedeeld"))
        .await
        .unwrap();
    assert!(anna_page.items[0].private, "Anna's mark carried over");
    let bert_page = store
        .list_messages(org, bert, &inbox_query("gedeeld"))
        .await
        .unwrap();
    assert!(!bert_page.items[0].private, "Bert never marked his");
    assert_ne!(anna_page.items[0].id, bert_page.items[0].id);
    let own = store.message(org, anna, page.items[0].id).await.unwrap();
    assert!(own.owned);
}
