//! Contact persons created and updated with their e-mail addresses and phones.

use crate::fixtures::{
    all, assert_not_found, company, company_input, email, emails, org, person_input, phones,
    search_persons, valid_person,
};
use postkamer_domain::PersonId;
use postkamer_domain::relation::Actor;
use postkamer_domain::relation::PersonQuery;
use postkamer_domain::relation::{
    Address, CompanyRef, PersonEmail, PersonInput, Phone, PhoneKind, Salutation,
};
use postkamer_store::Store;

pub async fn person_is_created_with_emails_and_phones(store: Store) {
    let acme = org(&store, "Acme").await;
    let bakkerij = company(&store, acme, company_input("Bakkerij De Vries")).await;
    let input = PersonInput {
        job_title: "Bakker".into(),
        emails: emails(&[("Jan@Berg.NL", false), ("j.vandenberg@werk.nl", true)]),
        phones: phones(&[
            ("06 1234 5678", PhoneKind::Mobiel),
            ("020-7654321", PhoneKind::Werk),
        ]),
        address: Address {
            street: "Kerkstraat 5".into(),
            postal_code: "1234ab".into(),
            city: "Zaandam".into(),
            country: String::new(),
        },
        notes: "Regel 1\nRegel 2".into(),
        company_id: Some(bakkerij),
        synchroniseren: true,
        ..person_input("Jan", " van  den ", "Berg")
    };
    let p = store
        .create_person(acme, &valid_person(input), Actor::SYSTEM)
        .await
        .unwrap();
    assert_eq!(p.uid.len(), 36, "a UUID: {}", p.uid);
    assert_eq!(p.first_name.as_deref(), Some("Jan"));
    assert_eq!(p.tussenvoegsel.as_deref(), Some("van den"));
    assert_eq!(p.last_name, "Berg");
    assert_eq!(p.display_name, "Jan van den Berg");
    assert_eq!(p.job_title.as_deref(), Some("Bakker"));
    assert_eq!(
        p.emails,
        vec![
            PersonEmail {
                address: email("jan@berg.nl"),
                primary: false
            },
            PersonEmail {
                address: email("j.vandenberg@werk.nl"),
                primary: true
            },
        ],
        "in order, the chosen one primary"
    );
    assert_eq!(
        p.phones,
        vec![
            Phone {
                number: "06 1234 5678".into(),
                kind: PhoneKind::Mobiel
            },
            Phone {
                number: "020-7654321".into(),
                kind: PhoneKind::Werk
            },
        ]
    );
    assert_eq!(p.address.postal_code, "1234 AB");
    assert_eq!(p.address.city, "Zaandam");
    assert_eq!(p.notes.as_deref(), Some("Regel 1\nRegel 2"));
    assert_eq!(
        p.company,
        Some(CompanyRef {
            id: bakkerij,
            name: "Bakkerij De Vries".into()
        })
    );
    assert!(p.synchroniseren);
    assert_eq!(p.created_at, p.updated_at);
    assert_eq!(store.person(acme, p.id).await.unwrap(), p);
    assert_eq!(store.company(acme, bakkerij).await.unwrap().person_count, 1);

    // Without a chosen primary address the first becomes primary; nothing else is required.
    let minimal = PersonInput {
        emails: emails(&[("a@x.nl", false), ("b@x.nl", false)]),
        ..person_input("", "", "Alleen")
    };
    let m = store
        .create_person(acme, &valid_person(minimal), Actor::SYSTEM)
        .await
        .unwrap();
    assert_ne!(m.uid, p.uid);
    assert_eq!(m.display_name, "Alleen");
    assert_eq!(
        (m.first_name.clone(), m.tussenvoegsel.clone()),
        (None, None)
    );
    assert_eq!(
        m.emails.iter().map(|e| e.primary).collect::<Vec<_>>(),
        vec![true, false]
    );
    assert!(m.phones.is_empty());
    assert_eq!(
        (m.company.clone(), m.notes.clone(), m.synchroniseren),
        (None, None, false)
    );

    // The list shows the primary address and the first phone.
    let page = store
        .list_persons(
            acme,
            &PersonQuery {
                page: all(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(page.total, 2);
    let (first, second) = (&page.items[0], &page.items[1]);
    assert_eq!((first.id, second.id), (m.id, p.id), "Alleen before Berg");
    assert_eq!(second.display_name, "Jan van den Berg");
    assert_eq!(second.job_title.as_deref(), Some("Bakker"));
    assert_eq!(
        second.primary_email.as_deref(),
        Some("j.vandenberg@werk.nl")
    );
    assert_eq!(second.primary_phone.as_deref(), Some("06 1234 5678"));
    assert_eq!(second.city, "Zaandam");
    assert_eq!(second.company, p.company);
    assert!(second.synchroniseren);
    assert_eq!(first.primary_email.as_deref(), Some("a@x.nl"));
    assert_eq!(first.primary_phone, None);
}

pub async fn person_update_keeps_uid_and_replaces_children(store: Store) {
    // The store's own clock, moved on by hand between the writes it tells apart.
    let clock = std::sync::Arc::new(postkamer_domain::ManualClock::at(1_800_000_000_000));
    let store = store.with_clock(clock.clone());
    let acme = org(&store, "Acme").await;
    let oud_bv = company(&store, acme, company_input("Oud BV")).await;
    let nieuw_bv = company(&store, acme, company_input("Nieuw BV")).await;
    let before = store
        .create_person(
            acme,
            &valid_person(PersonInput {
                emails: emails(&[("oud@voorbeeld.nl", true), ("tweede@voorbeeld.nl", false)]),
                phones: phones(&[("06 1111 2222", PhoneKind::Mobiel)]),
                company_id: Some(oud_bv),
                ..person_input("Jan", "", "Berg")
            }),
            Actor::SYSTEM,
        )
        .await
        .unwrap();

    clock.advance(std::time::Duration::from_secs(1));
    let update = PersonInput {
        emails: emails(&[("Nieuw@Voorbeeld.nl", true), ("tweede@voorbeeld.nl", false)]),
        phones: phones(&[
            ("010 1234567", PhoneKind::Werk),
            ("06 9999 8888", PhoneKind::Prive),
        ]),
        company_id: Some(nieuw_bv),
        salutation: Salutation::Mevrouw,
        ..person_input("", "", "Bergsma")
    };
    let after = store
        .update_person(acme, before.id, &valid_person(update), Actor::SYSTEM)
        .await
        .unwrap();
    assert_eq!(after.id, before.id);
    assert_eq!(after.uid, before.uid, "uid stable across updates");
    assert_eq!(after.created_at, before.created_at);
    assert!(after.updated_at > before.updated_at);
    assert_eq!(after.first_name, None);
    assert_eq!(after.display_name, "Bergsma");
    assert_eq!(before.salutation, Salutation::Automatisch);
    assert_eq!(after.salutation, Salutation::Mevrouw);
    assert_eq!(after.greeting(), "Geachte mevrouw Bergsma");
    assert_eq!(
        after.emails,
        vec![
            PersonEmail {
                address: email("nieuw@voorbeeld.nl"),
                primary: true
            },
            PersonEmail {
                address: email("tweede@voorbeeld.nl"),
                primary: false
            },
        ]
    );
    assert_eq!(
        after
            .phones
            .iter()
            .map(|p| p.number.as_str())
            .collect::<Vec<_>>(),
        vec!["010 1234567", "06 9999 8888"]
    );
    assert_eq!(after.phones[1].kind, PhoneKind::Prive);
    assert_eq!(
        after.company,
        Some(CompanyRef {
            id: nieuw_bv,
            name: "Nieuw BV".into()
        })
    );
    assert_eq!(store.person(acme, before.id).await.unwrap(), after);

    // Lookups and search follow the new data only.
    assert!(
        store
            .persons_by_email(acme, &email("oud@voorbeeld.nl"))
            .await
            .unwrap()
            .is_empty()
    );
    let id = vec![before.id];
    assert_eq!(
        store
            .persons_by_email(acme, &email("nieuw@voorbeeld.nl"))
            .await
            .unwrap(),
        id
    );
    assert_eq!(
        store
            .persons_by_email(acme, &email("tweede@voorbeeld.nl"))
            .await
            .unwrap(),
        id
    );
    for gone in ["oud@voorbeeld.nl", "oud", "jan", "0611112222", "oud bv"] {
        assert_eq!(
            search_persons(&store, acme, gone).await,
            (vec![], 0),
            "{gone}"
        );
    }
    for found in [
        "bergsma",
        "nieuw@voorbeeld.nl",
        "0101234567",
        "0699998888",
        "nieuw",
    ] {
        assert_eq!(
            search_persons(&store, acme, found).await,
            (id.clone(), 1),
            "{found}"
        );
    }
    assert_eq!(store.company(acme, oud_bv).await.unwrap().person_count, 0);
    assert_eq!(store.company(acme, nieuw_bv).await.unwrap().person_count, 1);

    // Leaving the company, dropping every address and phone.
    let bare = store
        .update_person(
            acme,
            before.id,
            &valid_person(person_input("", "", "Bergsma")),
            Actor::SYSTEM,
        )
        .await
        .unwrap();
    assert_eq!(
        (bare.company, bare.emails.len(), bare.phones.len()),
        (None, 0, 0)
    );
    assert_eq!(bare.uid, before.uid);
    assert!(
        store
            .persons_by_email(acme, &email("tweede@voorbeeld.nl"))
            .await
            .unwrap()
            .is_empty()
    );

    let missing = PersonId(before.id.0 + 1000);
    assert_not_found(
        store
            .update_person(
                acme,
                missing,
                &valid_person(person_input("", "", "X")),
                Actor::SYSTEM,
            )
            .await,
    );
    assert_not_found(store.person(acme, missing).await);
}
