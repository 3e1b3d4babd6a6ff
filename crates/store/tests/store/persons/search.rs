//! Contact persons found by e-mail address, searched, filtered and sorted.

use crate::fixtures::{
    all, company, company_input, email, emails, list_persons, org, person, person_input, phones,
    search_persons,
};
use postkamer_domain::relation::PersonQuery;
use postkamer_domain::relation::{CompanyRef, PersonInput, PersonSort, PhoneKind};
use postkamer_domain::{CompanyId, PageRequest, PersonId, SortDir};
use postkamer_store::Store;

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
