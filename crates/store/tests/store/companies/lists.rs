//! Company lists: search, sorting and stable pages.

use crate::fixtures::{
    all, company, company_input, company_with_city, org, search_companies, valid_company,
};
use postkamer_domain::relation::CompanyQuery;
use postkamer_domain::relation::{CompanyInput, CompanySort};
use postkamer_domain::{CompanyId, PageRequest, SortDir};
use postkamer_store::Store;
use std::collections::BTreeSet;

pub async fn companies_are_searched(store: Store) {
    let acme = org(&store, "Acme").await;
    let bakkerij = company(
        &store,
        acme,
        CompanyInput {
            kvk_number: "1234 5678".into(),
            phone: "020-1234567".into(),
            email_domains: vec!["Bakkerij.NL".into()],
            ..company_with_city("Bakkerij De Vries", "Amsterdam")
        },
    )
    .await;
    let techniek = company(
        &store,
        acme,
        CompanyInput {
            kvk_number: "87654321".into(),
            phone: "+31 10 765 4321".into(),
            email_domains: vec!["vriestech.nl".into()],
            ..company_with_city("Vries Techniek", "Rotterdam")
        },
    )
    .await;
    let hofman = company(&store, acme, company_with_city("Hofman Advies", "Utrecht")).await;
    let cafe = company(
        &store,
        acme,
        company_with_city("Café Zoë", "'s-Hertogenbosch"),
    )
    .await;

    let cases: &[(&str, &[CompanyId])] = &[
        // Word prefixes of the name, any case; results by name.
        ("bak", &[bakkerij]),
        ("BAKKERIJ", &[bakkerij]),
        ("vri", &[bakkerij, techniek]),
        ("Hofman", &[hofman]),
        ("ries", &[]),
        // Every term must match.
        ("vries bak", &[bakkerij]),
        ("vries hofman", &[]),
        // KvK number, whole or its start.
        ("12345678", &[bakkerij]),
        ("8765", &[techniek]),
        ("1234 5678", &[bakkerij]),
        // E-mail domain.
        ("vriestech.nl", &[techniek]),
        ("bakkerij.nl", &[bakkerij]),
        // Phone digits, however written; +31 numbers in national form.
        ("020-1234567", &[bakkerij]),
        ("0201234567", &[bakkerij]),
        ("010-7654321", &[techniek]),
        ("+31107654321", &[techniek]),
        ("+31 10 765 4321", &[techniek]),
        ("020 123 45 67", &[bakkerij]),
        // City, and non-ASCII folded both ways.
        ("rotter", &[techniek]),
        ("hertogenbosch", &[cafe]),
        ("zoe", &[cafe]),
        ("Zoë CAFÉ", &[cafe]),
        ("xyz", &[]),
        ("", &[bakkerij, cafe, hofman, techniek]),
        ("   ", &[bakkerij, cafe, hofman, techniek]),
    ];
    for (search, expected) in cases {
        let (ids, total) = search_companies(&store, acme, search).await;
        assert_eq!(ids, *expected, "search {search:?}");
        assert_eq!(total, expected.len() as u64, "total for {search:?}");
    }
}

pub async fn companies_are_sorted(store: Store) {
    // The store's own clock, moved on by hand between the writes it tells apart.
    let clock = std::sync::Arc::new(postkamer_domain::ManualClock::at(1_800_000_000_000));
    let store = store.with_clock(clock.clone());
    let acme = org(&store, "Acme").await;
    let bravo = company(&store, acme, company_with_city("bravo", "Amsterdam")).await;
    let alfa = company(&store, acme, company_with_city("Alfa", "Zwolle")).await;
    let charlie = company(&store, acme, company_with_city("Charlie", "Utrecht")).await;
    let emile = company(&store, acme, company_with_city("Émile", "amsterdam")).await;

    let list = |sort: CompanySort, dir: SortDir| {
        let store = store.clone();
        async move {
            let query = CompanyQuery {
                sort,
                dir,
                page: all(),
                ..Default::default()
            };
            let page = store.list_companies(acme, &query).await.unwrap();
            page.items.iter().map(|c| c.id).collect::<Vec<_>>()
        }
    };
    // Case and accents do not change the order.
    assert_eq!(
        list(CompanySort::Name, SortDir::Asc).await,
        vec![alfa, bravo, charlie, emile]
    );
    assert_eq!(
        list(CompanySort::Name, SortDir::Desc).await,
        vec![emile, charlie, bravo, alfa]
    );
    // By city, then name.
    assert_eq!(
        list(CompanySort::City, SortDir::Asc).await,
        vec![bravo, emile, charlie, alfa]
    );
    assert_eq!(
        list(CompanySort::City, SortDir::Desc).await,
        vec![alfa, charlie, emile, bravo]
    );

    clock.advance(std::time::Duration::from_secs(1));
    store
        .update_company(
            acme,
            alfa,
            &valid_company(company_with_city("Alfa", "Zwolle")),
        )
        .await
        .unwrap();
    assert_eq!(list(CompanySort::Updated, SortDir::Desc).await[0], alfa);
    assert_eq!(list(CompanySort::Updated, SortDir::Asc).await[3], alfa);
}

pub async fn company_pages_are_stable(store: Store) {
    let acme = org(&store, "Acme").await;
    let same1 = company(&store, acme, company_input("Zelfde")).await;
    let zulu = company(&store, acme, company_input("Zulu")).await;
    let same2 = company(&store, acme, company_input("Zelfde")).await;
    let alfa = company(&store, acme, company_input("Alfa")).await;
    let same3 = company(&store, acme, company_input("zelfde")).await;

    let page = |page: u32, dir: SortDir| {
        let store = store.clone();
        async move {
            let query = CompanyQuery {
                dir,
                page: PageRequest::new(Some(page), Some(2)),
                ..Default::default()
            };
            store.list_companies(acme, &query).await.unwrap()
        }
    };
    let mut seen = Vec::new();
    for (n, expected) in [
        (1, vec![alfa, same1]),
        (2, vec![same2, same3]),
        (3, vec![zulu]),
        (4, vec![]),
    ] {
        let p = page(n, SortDir::Asc).await;
        assert_eq!(p.total, 5, "page {n}");
        assert_eq!((p.page, p.per_page), (n, 2));
        let ids: Vec<CompanyId> = p.items.iter().map(|c| c.id).collect();
        assert_eq!(ids, expected, "page {n}");
        seen.extend(ids);
    }
    let distinct: BTreeSet<CompanyId> = seen.iter().copied().collect();
    assert_eq!(
        distinct.len(),
        5,
        "pages 1-3 cover every company once: {seen:?}"
    );

    let desc: Vec<CompanyId> = [page(1, SortDir::Desc).await, page(2, SortDir::Desc).await]
        .iter()
        .flat_map(|p| p.items.iter().map(|c| c.id))
        .collect();
    assert_eq!(desc, vec![zulu, same3, same2, same1]);
}
