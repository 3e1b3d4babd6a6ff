use super::*;
use postkamer_domain::EmailAddress;
use std::collections::HashSet;

/// Asserts every input validates and every e-mail address is unique; returns the addresses.
fn check(data: &DemoData) -> HashSet<String> {
    for c in &data.companies {
        if let Err(e) = c.input.validate() {
            panic!("{:?} is invalid: {e:?}", c.input);
        }
    }
    let mut seen = HashSet::new();
    for p in &data.persons {
        assert_eq!(p.input.company_id, None);
        if let Some(i) = p.company {
            assert!(i < data.companies.len());
        }
        let valid = match p.input.validate() {
            Ok(v) => v,
            Err(e) => panic!("{:?} is invalid: {e:?}", p.input),
        };
        assert_eq!(
            valid.emails.iter().filter(|e| e.primary).count(),
            1,
            "{:?}",
            p.input
        );
        for e in &valid.emails {
            assert!(e.address.as_str().is_ascii(), "{}", e.address);
            assert!(
                seen.insert(e.address.to_string()),
                "duplicate {}",
                e.address
            );
        }
    }
    seen
}

fn share(data: &DemoData, f: impl Fn(&DemoPerson) -> bool) -> f64 {
    data.persons.iter().filter(|p| f(p)).count() as f64 / data.persons.len() as f64
}

#[test]
fn small_data_set_validates() {
    let data = generate(1, 50, 150);
    assert_eq!((data.companies.len(), data.persons.len()), (50, 150));
    check(&data);
    let kvk: HashSet<_> = data.companies.iter().map(|c| &c.input.kvk_number).collect();
    assert_eq!(kvk.len(), 50);
    let domains: HashSet<_> = data
        .companies
        .iter()
        .map(|c| &c.input.email_domains[0])
        .collect();
    assert_eq!(domains.len(), 50);
}

#[test]
fn two_thousand_persons_have_the_right_shares() {
    let data = generate(2024, 120, 2_000);
    check(&data);
    let with_company = share(&data, |p| p.company.is_some());
    assert!((0.80..=0.90).contains(&with_company), "{with_company}");
    let sync = share(&data, |p| p.input.synchroniseren);
    assert!((0.20..=0.30).contains(&sync), "{sync}");
    let second = share(&data, |p| p.input.emails.len() == 2);
    assert!((0.20..=0.32).contains(&second), "{second}");
    let tussenvoegsel = share(&data, |p| !p.input.tussenvoegsel.is_empty());
    assert!(tussenvoegsel > 0.15, "{tussenvoegsel}");
    let non_ascii = share(&data, |p| {
        !(p.input.first_name.is_ascii() && p.input.last_name.is_ascii())
    });
    assert!(non_ascii > 0.02, "{non_ascii}");
}

#[test]
fn company_persons_mail_from_the_company_domain() {
    let data = generate(5, 30, 500);
    for p in data.persons.iter().filter(|p| p.company.is_some()) {
        let company = &data.companies[p.company.unwrap_or_default()].input;
        let primary = &p.input.emails[0];
        assert!(primary.primary);
        let address = EmailAddress::parse(&primary.address).expect("valid address");
        assert_eq!(address.domain(), company.email_domains[0]);
        assert_eq!(
            company.website,
            format!("https://www.{}", company.email_domains[0])
        );
        let first = fold(&p.input.first_name);
        assert!(
            address.local_part().starts_with(&format!("{first}.")),
            "{address}"
        );
        assert!(p.input.address.is_empty());
    }
    for p in data.persons.iter().filter(|p| p.company.is_none()) {
        assert!(!p.input.address.street.is_empty());
        assert_eq!(p.input.address.country, "Nederland");
    }
}

#[test]
fn same_seed_same_data() {
    assert_eq!(generate(7, 20, 300), generate(7, 20, 300));
    assert_ne!(generate(7, 20, 300), generate(8, 20, 300));
}

#[test]
fn without_companies_everyone_is_private() {
    let data = generate(3, 0, 200);
    check(&data);
    assert!(data.persons.iter().all(|p| p.company.is_none()));
}

#[test]
fn many_persons_at_few_companies_keep_unique_addresses() {
    let data = generate(11, 3, 100_000);
    let seen = check(&data);
    assert!(seen.len() > 100_000);
}

#[test]
fn names_fold_to_ascii() {
    assert_eq!(fold("Bakker-Çelik"), "bakker-celik");
    assert_eq!(fold("van 't Hof"), "vanthof");
    assert_eq!(fold("Zoë"), "zoe");
    assert_eq!(fold("Yılmaz"), "yilmaz");
    assert_eq!(fold("D'Souza"), "dsouza");
    assert_eq!(
        slug("Smit & Zonen Transport B.V.", false),
        "smitenzonentransport"
    );
    assert_eq!(
        slug("Hoveniersbedrijf Van 't Hof V.O.F.", true),
        "hoveniersbedrijf-van-t-hof"
    );
    assert_eq!(surname_for_company("van der", "Berg"), "Van der Berg");
}

#[test]
fn phone_numbers_look_dutch() {
    let mut rng = Rng::new(9);
    for _ in 0..200 {
        let digits = |s: &str| s.chars().filter(char::is_ascii_digit).count();
        let m = text::mobile(&mut rng);
        assert!(m.starts_with("06") || m.starts_with("+31 6"), "{m}");
        assert!((10..=11).contains(&digits(&m)), "{m}");
        let l = text::landline(&mut rng, "020");
        assert_eq!(digits(&l), 10, "{l}");
        let l = text::landline(&mut rng, "0546");
        assert_eq!(digits(&l), 10, "{l}");
    }
}
