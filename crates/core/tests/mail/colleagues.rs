//! Mail between colleagues: linked mail is seen unless private, and linking an address pulls in
//! earlier mail.

use crate::support::Raw;
use crate::{core, find, mail, sync, user, with_mailbox};
use postkamer_core::mail::Timeline;
use postkamer_core::{CoreError, UserInput};
use postkamer_domain::PageRequest;
use postkamer_domain::mail::FolderRole;
use postkamer_domain::relation::{EmailInput, PersonInput};
use postkamer_store::Store;

pub(crate) async fn colleagues_see_linked_mail_unless_private(store: Store) {
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

pub(crate) async fn linking_an_address_pulls_in_earlier_mail(store: Store) {
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
