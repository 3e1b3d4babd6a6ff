//! The organisation's own addresses never become a contact person's or link colleagues' mail;
//! who linked which address, and how, is logged.

use crate::fixtures::*;
use crate::mail::{at, inbox_query, mailbox_user, message, person_with, progress, subjects};
use postkamer_domain::mail::TimelineOf;
use postkamer_domain::mail::TlsMode;
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
