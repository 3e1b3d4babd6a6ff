//! Contact persons: e-mail addresses and phones, search, sorting, references and isolation.

use crate::fixtures::{
    all, assert_not_found, company, company_input, email, emails, list_persons, org, person,
    person_input, person_total, phones, search_companies, search_persons, user, valid_person,
};
use postkamer_domain::relation::Actor;
use postkamer_domain::relation::PersonQuery;
use postkamer_domain::relation::{
    Address, CompanyRef, PersonEmail, PersonInput, PersonSort, Phone, PhoneKind,
};
use postkamer_domain::{CompanyId, PageRequest, PersonId, Role, SortDir};
use postkamer_store::{Store, StoreError};

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

pub async fn persons_are_found_by_email(store: Store) {
    let a = org(&store, "A").await;
    let b = org(&store, "B").await;
    let jan = person(
        &store,
        a,
        PersonInput {
            emails: emails(&[("Jan@Voorbeeld.NL", true)]),
            ..person_input("Jan", "", "Jansen")
        },
    )
    .await;
    let info1 = person(
        &store,
        a,
        PersonInput {
            emails: emails(&[("info@gedeeld.nl", true), ("p2@x.nl", false)]),
            ..person_input("", "", "Eerste")
        },
    )
    .await;
    let info2 = person(
        &store,
        a,
        PersonInput {
            emails: emails(&[("p3@x.nl", true), ("INFO@gedeeld.nl", false)]),
            ..person_input("", "", "Tweede")
        },
    )
    .await;
    let other = person(
        &store,
        b,
        PersonInput {
            emails: emails(&[("jan@voorbeeld.nl", true)]),
            ..person_input("Jan", "", "Anders")
        },
    )
    .await;

    let lookup = |org, address: &str| {
        let store = store.clone();
        let address = email(address);
        async move { store.persons_by_email(org, &address).await.unwrap() }
    };
    assert_eq!(lookup(a, " JAN@voorbeeld.nl ").await, vec![jan]);
    assert_eq!(lookup(a, "jan@voorbeeld.nl.").await, vec![jan]);
    assert_eq!(lookup(a, "Info@Gedeeld.NL").await, vec![info1, info2]);
    assert_eq!(
        lookup(a, "p2@x.nl").await,
        vec![info1],
        "a secondary address"
    );
    assert_eq!(lookup(a, "onbekend@voorbeeld.nl").await, vec![]);
    assert_eq!(lookup(b, "jan@voorbeeld.nl").await, vec![other]);
    assert_eq!(
        lookup(b, "info@gedeeld.nl").await,
        vec![],
        "another org's persons"
    );
    let c = org(&store, "C").await;
    assert_eq!(lookup(c, "jan@voorbeeld.nl").await, vec![]);
}

pub async fn persons_are_searched(store: Store) {
    let acme = org(&store, "Acme").await;
    let bakkerij = company(&store, acme, company_input("Bakkerij De Vries")).await;
    let hofman = company(&store, acme, company_input("Hofman Advies")).await;
    let jan = person(
        &store,
        acme,
        PersonInput {
            emails: emails(&[("jan@berg.nl", true), ("j.vandenberg@werk.nl", false)]),
            phones: phones(&[("06 1234 5678", PhoneKind::Mobiel)]),
            company_id: Some(bakkerij),
            ..person_input("Jan", "van den", "Berg")
        },
    )
    .await;
    let zoe = person(
        &store,
        acme,
        PersonInput {
            emails: emails(&[("zoe@jansen.nl", true)]),
            ..person_input("Zoë", "", "Jansen")
        },
    )
    .await;
    let piet = person(
        &store,
        acme,
        PersonInput {
            phones: phones(&[("020 7654321", PhoneKind::Werk)]),
            ..person_input("Piet", "de", "Vries")
        },
    )
    .await;
    let anna = person(
        &store,
        acme,
        PersonInput {
            company_id: Some(hofman),
            ..person_input("Anna", "", "Bakker")
        },
    )
    .await;

    // Results come by name: Bakker, (van den) Berg, Jansen, (de) Vries.
    let cases: &[(&str, &[PersonId])] = &[
        // The second e-mail address, whole and in any case.
        ("j.vandenberg@werk.nl", &[jan]),
        ("J.VandenBerg@Werk.NL", &[jan]),
        ("zoe@jansen.nl", &[zoe]),
        ("werk.nl", &[jan]),
        // Name prefixes.
        ("ja", &[jan, zoe]),
        ("pie", &[piet]),
        ("berg", &[jan]),
        ("Jansen", &[zoe]),
        // The tussenvoegsel is neither needed nor in the way.
        ("van den berg", &[jan]),
        ("van berg", &[jan]),
        ("vries", &[jan, piet]),
        // The company name finds the company's persons.
        ("bakkerij", &[jan]),
        ("hofman", &[anna]),
        ("bakker", &[anna, jan]),
        ("de vries", &[jan, piet]),
        // Phone digits, however written.
        ("06-12345678", &[jan]),
        ("0612345678", &[jan]),
        ("+31612345678", &[jan]),
        ("020-7654321", &[piet]),
        // ... also as shown, with spaces.
        ("06 1234 5678", &[jan]),
        ("+31 6 1234 5678", &[jan]),
        ("020 765 4321", &[piet]),
        ("piet 020 765", &[piet]),
        // Non-ASCII folded both ways.
        ("zoe", &[zoe]),
        ("Zoë", &[zoe]),
        ("ZOË", &[zoe]),
        // Every term must match.
        ("jan berg", &[jan]),
        ("piet vries", &[piet]),
        ("zoe jansen", &[zoe]),
        ("anna bakkerij", &[]),
        ("hofman berg", &[]),
        ("xyz", &[]),
        ("", &[anna, jan, zoe, piet]),
    ];
    for (search, expected) in cases {
        let (ids, total) = search_persons(&store, acme, search).await;
        assert_eq!(ids, *expected, "search {search:?}");
        assert_eq!(total, expected.len() as u64, "total for {search:?}");
    }
}

pub async fn persons_are_filtered_and_sorted(store: Store) {
    let a = org(&store, "A").await;
    let b = org(&store, "B").await;
    let alfa = company(&store, a, company_input("Alfa")).await;
    let bravo = company(&store, a, company_input("Bravo")).await;
    let foreign = company(&store, b, company_input("Alfa")).await;
    let in_company = |input: PersonInput, company: Option<CompanyId>| PersonInput {
        company_id: company,
        ..input
    };
    let berg = person(
        &store,
        a,
        in_company(person_input("Jan", "van den", "Berg"), Some(alfa)),
    )
    .await;
    let appel = person(&store, a, person_input("Karel", "", "Appel")).await;
    let vries = person(
        &store,
        a,
        in_company(person_input("Piet", "de", "Vries"), Some(alfa)),
    )
    .await;
    let jansen = person(&store, a, person_input("Zoë", "", "Jansen")).await;
    let bakker = person(
        &store,
        a,
        in_company(person_input("Anna", "", "Bakker"), Some(bravo)),
    )
    .await;
    person(&store, b, person_input("Aad", "", "Aardappel")).await;

    let list = |sort: PersonSort, dir: SortDir, company: Option<CompanyId>, search: &str| {
        let query = PersonQuery {
            search: search.to_owned(),
            company,
            sort,
            dir,
            page: all(),
            ..Default::default()
        };
        let store = store.clone();
        async move { list_persons(&store, a, query).await }
    };
    let ids = |sort, dir| async move { list(sort, dir, None, "").await.items };

    // Phone-book order: the tussenvoegsel does not count (van den Berg under B, de Vries under V).
    assert_eq!(
        ids(PersonSort::Name, SortDir::Asc).await,
        vec![appel, bakker, berg, jansen, vries]
    );
    assert_eq!(
        ids(PersonSort::Name, SortDir::Desc).await,
        vec![vries, jansen, berg, bakker, appel]
    );
    // By company name (those without one first), then by name.
    assert_eq!(
        ids(PersonSort::Company, SortDir::Asc).await,
        vec![appel, jansen, berg, vries, bakker]
    );
    assert_eq!(
        ids(PersonSort::Company, SortDir::Desc).await,
        vec![bakker, vries, berg, jansen, appel]
    );

    // Within one company.
    let in_alfa = list(PersonSort::Name, SortDir::Asc, Some(alfa), "").await;
    assert_eq!((in_alfa.items, in_alfa.total), (vec![berg, vries], 2));
    let searched = list(PersonSort::Name, SortDir::Asc, Some(alfa), "piet").await;
    assert_eq!((searched.items, searched.total), (vec![vries], 1));
    let none = list(PersonSort::Name, SortDir::Asc, Some(alfa), "anna").await;
    assert_eq!((none.items, none.total), (vec![], 0));
    let other_org = list(PersonSort::Name, SortDir::Asc, Some(foreign), "").await;
    assert_eq!(
        (other_org.items, other_org.total),
        (vec![], 0),
        "another org's company"
    );

    // Pages.
    let query = PersonQuery {
        page: PageRequest::new(Some(2), Some(2)),
        ..Default::default()
    };
    let page = list_persons(&store, a, query).await;
    assert_eq!(
        (page.items, page.total, page.page, page.per_page),
        (vec![berg, jansen], 5, 2, 2)
    );

    // The summary names the company.
    let summary = store
        .list_persons(
            a,
            &PersonQuery {
                company: Some(bravo),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        summary.items[0].company,
        Some(CompanyRef {
            id: bravo,
            name: "Bravo".into()
        })
    );
}

pub async fn unknown_company_is_refused_and_nothing_stored(store: Store) {
    let a = org(&store, "A").await;
    let b = org(&store, "B").await;
    let theirs = company(&store, b, company_input("Hun BV")).await;
    let ours = company(&store, a, company_input("Ons BV")).await;
    let existing = store
        .create_person(
            a,
            &valid_person(PersonInput {
                emails: emails(&[("bestaand@a.nl", true)]),
                company_id: Some(ours),
                ..person_input("", "", "Bestaand")
            }),
            Actor::SYSTEM,
        )
        .await
        .unwrap();

    for company in [theirs, CompanyId(theirs.0.max(ours.0) + 1000)] {
        let input = valid_person(PersonInput {
            emails: emails(&[("nieuw@a.nl", true)]),
            phones: phones(&[("06 1234 5678", PhoneKind::Mobiel)]),
            company_id: Some(company),
            ..person_input("Nieuw", "", "Persoon")
        });
        match store.create_person(a, &input, Actor::SYSTEM).await {
            Err(StoreError::UnknownReference("company")) => {}
            other => panic!("expected UnknownReference(\"company\"), got {other:?}"),
        }
        match store
            .update_person(a, existing.id, &input, Actor::SYSTEM)
            .await
        {
            Err(StoreError::UnknownReference("company")) => {}
            other => panic!("expected UnknownReference(\"company\"), got {other:?}"),
        }
    }

    // Nothing was stored or changed.
    assert_eq!(person_total(&store, a).await, 1);
    assert_eq!(person_total(&store, b).await, 0);
    assert!(
        store
            .persons_by_email(a, &email("nieuw@a.nl"))
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(search_persons(&store, a, "nieuw").await, (vec![], 0));
    assert_eq!(search_persons(&store, a, "0612345678").await, (vec![], 0));
    assert_eq!(store.person(a, existing.id).await.unwrap(), existing);
    assert_eq!(store.company(b, theirs).await.unwrap().person_count, 0);
    assert_eq!(store.company(a, ours).await.unwrap().person_count, 1);
}

pub async fn deleting_a_person_removes_its_emails(store: Store) {
    let a = org(&store, "A").await;
    let b = org(&store, "B").await;
    let c = company(&store, a, company_input("Firma")).await;
    let doomed = person(
        &store,
        a,
        PersonInput {
            emails: emails(&[("weg@a.nl", true), ("gedeeld@a.nl", false)]),
            phones: phones(&[("06 1234 5678", PhoneKind::Mobiel)]),
            company_id: Some(c),
            ..person_input("Wim", "", "Weg")
        },
    )
    .await;
    let stays = person(
        &store,
        a,
        PersonInput {
            emails: emails(&[("gedeeld@a.nl", true)]),
            company_id: Some(c),
            ..person_input("Bea", "", "Blijft")
        },
    )
    .await;
    assert_eq!(store.company(a, c).await.unwrap().person_count, 2);

    // Another organisation cannot delete it.
    assert_not_found(store.delete_person(b, doomed, Actor::SYSTEM).await);
    assert!(store.person(a, doomed).await.is_ok());

    store.delete_person(a, doomed, Actor::SYSTEM).await.unwrap();
    assert_not_found(store.person(a, doomed).await);
    assert_not_found(store.delete_person(a, doomed, Actor::SYSTEM).await);
    assert_not_found(
        store
            .update_person(
                a,
                doomed,
                &valid_person(person_input("", "", "W")),
                Actor::SYSTEM,
            )
            .await,
    );
    assert!(
        store
            .persons_by_email(a, &email("weg@a.nl"))
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store
            .persons_by_email(a, &email("gedeeld@a.nl"))
            .await
            .unwrap(),
        vec![stays]
    );
    assert_eq!(search_persons(&store, a, "wim").await, (vec![], 0));
    assert_eq!(search_persons(&store, a, "0612345678").await, (vec![], 0));
    assert_eq!(search_persons(&store, a, "firma").await, (vec![stays], 1));
    assert_eq!(person_total(&store, a).await, 1);
    assert_eq!(store.company(a, c).await.unwrap().person_count, 1);

    // The address can be used again.
    let again = person(
        &store,
        a,
        PersonInput {
            emails: emails(&[("weg@a.nl", true)]),
            ..person_input("", "", "Opnieuw")
        },
    )
    .await;
    assert_eq!(
        store.persons_by_email(a, &email("weg@a.nl")).await.unwrap(),
        vec![again]
    );
}

pub async fn persons_are_isolated_between_orgs(store: Store) {
    let a = org(&store, "A").await;
    let b = org(&store, "B").await;
    let c = company(&store, a, company_input("Geheim BV")).await;
    let p = store
        .create_person(
            a,
            &valid_person(PersonInput {
                emails: emails(&[("geheim@a.nl", true)]),
                company_id: Some(c),
                ..person_input("Gerda", "", "Geheim")
            }),
            Actor::SYSTEM,
        )
        .await
        .unwrap();
    let intruder = person(&store, b, person_input("Ivo", "", "Indringer")).await;

    assert_not_found(store.person(b, p.id).await);
    assert_not_found(
        store
            .update_person(
                b,
                p.id,
                &valid_person(person_input("", "", "X")),
                Actor::SYSTEM,
            )
            .await,
    );
    assert_not_found(store.delete_person(b, p.id, Actor::SYSTEM).await);
    assert_not_found(store.person(a, intruder).await);
    assert_eq!(
        store.person(a, p.id).await.unwrap(),
        p,
        "unchanged by org B"
    );

    assert_eq!(search_persons(&store, b, "").await, (vec![intruder], 1));
    assert_eq!(search_persons(&store, a, "").await, (vec![p.id], 1));
    for search in ["geheim", "gerda", "geheim@a.nl"] {
        assert_eq!(
            search_persons(&store, b, search).await,
            (vec![], 0),
            "{search}"
        );
    }
    assert!(
        store
            .persons_by_email(b, &email("geheim@a.nl"))
            .await
            .unwrap()
            .is_empty()
    );
    // Org B cannot attach its person to org A's company either.
    let attach = valid_person(PersonInput {
        company_id: Some(c),
        ..person_input("", "", "X")
    });
    assert!(matches!(
        store
            .update_person(b, intruder, &attach, Actor::SYSTEM)
            .await,
        Err(StoreError::UnknownReference("company"))
    ));
    assert_eq!(store.company(a, c).await.unwrap().person_count, 1);
}

pub async fn hostile_text_is_stored_as_plain_text(store: Store) {
    let acme = org(&store, "Acme").await;
    let sql = "'; DROP TABLE persons; --";
    let script = "<script>alert('x')</script>";
    let admin = user(
        &store,
        acme,
        "Robert'); DROP TABLE users;--",
        "bobby@acme.nl",
        Role::SuperAdmin,
    )
    .await;
    assert_eq!(admin.name, "Robert'); DROP TABLE users;--");

    let company_id = company(&store, acme, company_input(sql)).await;
    let input = PersonInput {
        job_title: "\" OR 1=1 --".into(),
        notes: format!("{script}\n' OR '1'='1"),
        address: Address {
            street: "<img src=x onerror=alert(1)>".into(),
            city: "%_\\".into(),
            ..Default::default()
        },
        company_id: Some(company_id),
        ..person_input(script, "van 't", sql)
    };
    let p = store
        .create_person(acme, &valid_person(input), Actor::SYSTEM)
        .await
        .unwrap();
    let stored = store.person(acme, p.id).await.unwrap();
    assert_eq!(stored.first_name.as_deref(), Some(script));
    assert_eq!(stored.tussenvoegsel.as_deref(), Some("van 't"));
    assert_eq!(stored.last_name, sql);
    assert_eq!(stored.display_name, format!("{script} van 't {sql}"));
    assert_eq!(stored.job_title.as_deref(), Some("\" OR 1=1 --"));
    assert_eq!(stored.notes, Some(format!("{script}\n' OR '1'='1")));
    assert_eq!(stored.address.street, "<img src=x onerror=alert(1)>");
    assert_eq!(stored.address.city, "%_\\");
    assert_eq!(
        stored.company,
        Some(CompanyRef {
            id: company_id,
            name: sql.into()
        })
    );
    assert_eq!(store.company(acme, company_id).await.unwrap().name, sql);

    // The tables are still there and work; search treats the text as words.
    let normal = person(&store, acme, person_input("Gewoon", "", "Iemand")).await;
    assert_eq!(person_total(&store, acme).await, 2);
    assert_eq!(search_persons(&store, acme, sql).await, (vec![p.id], 1));
    assert_eq!(
        search_persons(&store, acme, "script alert").await,
        (vec![p.id], 1)
    );
    assert_eq!(
        search_persons(&store, acme, "%").await.1,
        2,
        "no terms: everything"
    );
    assert_eq!(
        search_persons(&store, acme, "gewoon").await,
        (vec![normal], 1)
    );
    assert_eq!(
        search_companies(&store, acme, "drop table").await,
        (vec![company_id], 1)
    );
    let summary = store
        .list_persons(
            acme,
            &PersonQuery {
                search: "drop".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        summary.items[0].display_name,
        format!("{script} van 't {sql}")
    );
    assert_eq!(store.list_users(acme).await.unwrap(), vec![admin]);

    // Editing it again keeps it verbatim.
    let again = store
        .update_person(acme, p.id, &valid_person(stored.to_input()), Actor::SYSTEM)
        .await
        .unwrap();
    assert_eq!(again.last_name, sql);
    assert_eq!(again.first_name.as_deref(), Some(script));
    assert_eq!(again.uid, stored.uid);
}
