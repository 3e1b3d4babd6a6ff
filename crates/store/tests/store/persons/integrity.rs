//! Contact persons' references, deletes, organisation isolation and hostile text.

use crate::fixtures::{
    assert_not_found, company, company_input, email, emails, org, person, person_input,
    person_total, phones, search_companies, search_persons, user, valid_person,
};
use postkamer_domain::relation::Actor;
use postkamer_domain::relation::PersonQuery;
use postkamer_domain::relation::{Address, CompanyRef, PersonInput, PhoneKind};
use postkamer_domain::{CompanyId, Role};
use postkamer_store::{Store, StoreError};

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
