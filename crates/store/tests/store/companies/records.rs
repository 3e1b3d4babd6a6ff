//! Companies created, read, updated and deleted; found by domain and reference; isolated per
//! organisation.

use crate::fixtures::{
    assert_not_found, company, company_input, company_with_city, org, person, person_input,
    person_total, search_companies, search_persons, sorted, valid_company,
};
use postkamer_domain::CompanyId;
use postkamer_domain::relation::CompanyQuery;
use postkamer_domain::relation::{Address, CompanyInput, CompanyRef};
use postkamer_store::Store;

pub async fn company_is_created_read_and_updated(store: Store) {
    let acme = org(&store, "Acme").await;
    let input = CompanyInput {
        name: "  Bakkerij De Vries B.V. ".into(),
        kvk_number: "1234 5678".into(),
        phone: " 020 - 123  4567 ".into(),
        website: "WWW.Bakkerij.nl".into(),
        address: Address {
            street: "Dorpsstraat 1".into(),
            postal_code: "1011ab".into(),
            city: "Amsterdam".into(),
            country: String::new(),
        },
        email_domains: vec![
            "@Bakkerij.NL".into(),
            "bakkerij.nl".into(),
            "bakker.com".into(),
        ],
    };
    let created = store
        .create_company(acme, &valid_company(input))
        .await
        .unwrap();
    assert_eq!(created.name, "Bakkerij De Vries B.V.");
    assert_eq!(created.kvk_number.as_deref(), Some("12345678"));
    assert_eq!(created.phone.as_deref(), Some("020 - 123 4567"));
    assert_eq!(created.website.as_deref(), Some("https://www.bakkerij.nl"));
    assert_eq!(created.address.street, "Dorpsstraat 1");
    assert_eq!(created.address.postal_code, "1011 AB");
    assert_eq!(created.address.city, "Amsterdam");
    assert_eq!(created.email_domains, vec!["bakkerij.nl", "bakker.com"]);
    assert_eq!(created.person_count, 0);
    assert!(created.created_at > 0);
    assert_eq!(created.created_at, created.updated_at);
    assert_eq!(store.company(acme, created.id).await.unwrap(), created);
    assert_eq!(
        search_companies(&store, acme, "bakkerij").await.0,
        vec![created.id]
    );

    let update = CompanyInput {
        name: "De Vries Brood".into(),
        address: Address {
            city: "Haarlem".into(),
            ..Default::default()
        },
        email_domains: vec!["nieuw.nl".into(), "alt.nl".into()],
        ..Default::default()
    };
    let updated = store
        .update_company(acme, created.id, &valid_company(update))
        .await
        .unwrap();
    assert_eq!(updated.id, created.id);
    assert_eq!(updated.name, "De Vries Brood");
    assert_eq!(updated.kvk_number, None);
    assert_eq!(updated.phone, None);
    assert_eq!(updated.website, None);
    assert_eq!(
        updated.address,
        Address {
            city: "Haarlem".into(),
            ..Default::default()
        }
    );
    assert_eq!(
        updated.email_domains,
        vec!["nieuw.nl", "alt.nl"],
        "domains replaced, in order"
    );
    assert_eq!(updated.created_at, created.created_at);
    assert!(updated.updated_at >= created.updated_at);
    assert_eq!(store.company(acme, created.id).await.unwrap(), updated);

    // The old domains and search words are gone; the new ones are found.
    assert!(
        store
            .companies_by_domain(acme, "bakkerij.nl")
            .await
            .unwrap()
            .is_empty()
    );
    let refs = store.companies_by_domain(acme, "alt.nl").await.unwrap();
    assert_eq!(
        refs,
        vec![CompanyRef {
            id: created.id,
            name: "De Vries Brood".into()
        }]
    );
    for gone in [
        "bakkerij",
        "amsterdam",
        "12345678",
        "0201234567",
        "bakker.com",
    ] {
        assert_eq!(
            search_companies(&store, acme, gone).await,
            (vec![], 0),
            "{gone}"
        );
    }
    for found in ["brood", "haarlem", "nieuw.nl", "vries"] {
        assert_eq!(
            search_companies(&store, acme, found).await,
            (vec![created.id], 1),
            "{found}"
        );
    }
    let summary = store
        .list_companies(acme, &CompanyQuery::default())
        .await
        .unwrap();
    assert_eq!(summary.total, 1);
    assert_eq!(summary.items[0].name, "De Vries Brood");
    assert_eq!(summary.items[0].city, "Haarlem");
    assert_eq!(summary.items[0].kvk_number, None);

    // A company that does not exist.
    let missing = CompanyId(created.id.0 + 1000);
    assert_not_found(store.company(acme, missing).await);
    assert_not_found(
        store
            .update_company(acme, missing, &valid_company(company_input("X")))
            .await,
    );
    assert_not_found(store.delete_company(acme, missing).await);
}

pub async fn deleting_a_company_keeps_its_persons(store: Store) {
    let acme = org(&store, "Acme").await;
    let c = company(
        &store,
        acme,
        CompanyInput {
            email_domains: vec!["weg.nl".into()],
            ..company_input("Wegwerp BV")
        },
    )
    .await;
    let mut with_company = person_input("Jan", "", "Jansen");
    with_company.company_id = Some(c);
    let p1 = person(&store, acme, with_company.clone()).await;
    with_company.last_name = "Pietersen".into();
    let p2 = person(&store, acme, with_company).await;
    let loner = person(&store, acme, person_input("Els", "", "Alleen")).await;

    assert_eq!(store.company(acme, c).await.unwrap().person_count, 2);
    let listed = store
        .list_companies(acme, &CompanyQuery::default())
        .await
        .unwrap();
    assert_eq!(listed.items[0].person_count, 2);
    assert_eq!(
        store.person(acme, p1).await.unwrap().company.map(|r| r.id),
        Some(c)
    );
    assert_eq!(
        sorted(&search_persons(&store, acme, "wegwerp").await.0),
        vec![p1, p2]
    );

    store.delete_company(acme, c).await.unwrap();
    assert_not_found(store.company(acme, c).await);
    assert_not_found(store.delete_company(acme, c).await);
    assert_not_found(
        store
            .update_company(acme, c, &valid_company(company_input("Terug")))
            .await,
    );
    for p in [p1, p2, loner] {
        assert_eq!(store.person(acme, p).await.unwrap().company, None);
    }
    assert_eq!(person_total(&store, acme).await, 3);
    assert_eq!(search_persons(&store, acme, "wegwerp").await, (vec![], 0));
    assert_eq!(search_persons(&store, acme, "jansen").await, (vec![p1], 1));
    assert!(
        store
            .companies_by_domain(acme, "weg.nl")
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(search_companies(&store, acme, "").await, (vec![], 0));
    assert!(store.company_refs(acme, 10).await.unwrap().is_empty());
}

pub async fn companies_by_domain_and_refs(store: Store) {
    let a = org(&store, "A").await;
    let b = org(&store, "B").await;
    let with_domains = |name: &str, domains: &[&str]| CompanyInput {
        email_domains: domains.iter().map(|d| (*d).to_owned()).collect(),
        ..company_input(name)
    };
    let zeta = company(&store, a, with_domains("Zeta", &["gedeeld.nl", "zeta.nl"])).await;
    let alfa = company(&store, a, with_domains("Alfa", &["gedeeld.nl"])).await;
    let midden = company(&store, a, company_input("Midden")).await;
    let beta = company(&store, b, with_domains("Beta", &["gedeeld.nl"])).await;

    let r = |id: CompanyId, name: &str| CompanyRef {
        id,
        name: name.to_owned(),
    };
    let shared = vec![r(alfa, "Alfa"), r(zeta, "Zeta")];
    assert_eq!(
        store.companies_by_domain(a, "gedeeld.nl").await.unwrap(),
        shared
    );
    assert_eq!(
        store.companies_by_domain(a, " GEDEELD.NL ").await.unwrap(),
        shared
    );
    assert_eq!(
        store.companies_by_domain(a, "zeta.nl").await.unwrap(),
        vec![r(zeta, "Zeta")]
    );
    assert!(
        store
            .companies_by_domain(a, "onbekend.nl")
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store.companies_by_domain(b, "gedeeld.nl").await.unwrap(),
        vec![r(beta, "Beta")]
    );
    assert!(
        store
            .companies_by_domain(b, "zeta.nl")
            .await
            .unwrap()
            .is_empty()
    );

    assert_eq!(
        store.company_refs(a, 10).await.unwrap(),
        vec![r(alfa, "Alfa"), r(midden, "Midden"), r(zeta, "Zeta")]
    );
    assert_eq!(
        store.company_refs(a, 2).await.unwrap(),
        vec![r(alfa, "Alfa"), r(midden, "Midden")]
    );
    assert_eq!(
        store.company_refs(b, 10).await.unwrap(),
        vec![r(beta, "Beta")]
    );
}

pub async fn companies_are_isolated_between_orgs(store: Store) {
    let a = org(&store, "A").await;
    let b = org(&store, "B").await;
    let ours = company(
        &store,
        a,
        CompanyInput {
            email_domains: vec!["geheim.nl".into()],
            ..company_with_city("Geheim BV", "Delft")
        },
    )
    .await;
    let theirs = company(&store, b, company_input("Andere BV")).await;
    let before = store.company(a, ours).await.unwrap();

    assert_not_found(store.company(b, ours).await);
    assert_not_found(
        store
            .update_company(b, ours, &valid_company(company_input("Gekaapt")))
            .await,
    );
    assert_not_found(store.delete_company(b, ours).await);
    assert_eq!(
        store.company(a, ours).await.unwrap(),
        before,
        "unchanged by org B"
    );

    assert_eq!(search_companies(&store, b, "").await, (vec![theirs], 1));
    assert_eq!(search_companies(&store, a, "").await, (vec![ours], 1));
    assert_eq!(search_companies(&store, b, "geheim").await, (vec![], 0));
    assert_eq!(search_companies(&store, b, "delft").await, (vec![], 0));
    assert_eq!(search_companies(&store, b, "gekaapt").await, (vec![], 0));
    assert_eq!(search_companies(&store, a, "gekaapt").await, (vec![], 0));
    assert!(
        store
            .companies_by_domain(b, "geheim.nl")
            .await
            .unwrap()
            .is_empty()
    );
    let refs = store.company_refs(b, 100).await.unwrap();
    assert_eq!(refs.iter().map(|r| r.id).collect::<Vec<_>>(), vec![theirs]);
}
