//! Realistic, deterministic Dutch demo data for Postkamer: companies ("Bakkerij Jansen",
//! "De Vries Installatietechniek B.V.") and their contact persons, as the inputs the forms and
//! the API accept. Every generated input passes its `validate`, and every e-mail address is
//! unique across the whole data set.
//!
//! ```
//! let data = postkamer_demo::generate(42, 10, 40);
//! assert_eq!(data.companies.len(), 10);
//! assert!(data.persons.iter().all(|p| p.input.validate().is_ok()));
//! ```

#[rustfmt::skip]
mod names;
mod rng;
#[cfg(test)]
mod tests;
mod text;

use names::{
    CITIES, FEMALE_FIRST, JOB_TITLES, MALE_FIRST, NOTES, PRIVATE_DOMAINS, SECTOR_PREFIX,
    SECTOR_SUFFIX, SURNAMES,
};
use postkamer_domain::relation::{
    CompanyInput, EmailInput, PersonInput, PhoneInput, PhoneKind, Salutation,
};
use rng::Rng;
use text::{Unique, fold, slug, surname_for_company};

/// A demo company; `input` is ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoCompany {
    pub input: CompanyInput,
}

/// A demo contact person. `input.company_id` is `None`: set it from `company` once the companies
/// are stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoPerson {
    pub input: PersonInput,
    /// index into the companies Vec, None for a private person
    pub company: Option<usize>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DemoData {
    pub companies: Vec<DemoCompany>,
    pub persons: Vec<DemoPerson>,
}

/// What persons need to know of their company.
struct CompanyFacts {
    domain: String,
    area_code: &'static str,
}

/// Deterministic for a given seed.
pub fn generate(seed: u64, companies: usize, persons: usize) -> DemoData {
    let mut rng = Rng::new(seed);
    let mut domains = Unique::default();
    let mut kvk_numbers = Unique::default();
    let mut facts = Vec::with_capacity(companies);
    let companies: Vec<DemoCompany> = (0..companies)
        .map(|_| {
            let (company, f) = company(&mut rng, &mut domains, &mut kvk_numbers);
            facts.push(f);
            company
        })
        .collect();
    let mut emails = Unique::default();
    let persons = (0..persons)
        .map(|_| person(&mut rng, &facts, &mut emails))
        .collect();
    DemoData { companies, persons }
}

fn company_name(rng: &mut Rng) -> String {
    let (tv, last) = *rng.pick(SURNAMES);
    let family = surname_for_company(tv, last);
    let legal = |rng: &mut Rng, bv: u32, vof: u32| {
        let roll = rng.below(100) as u32;
        if roll < bv {
            " B.V."
        } else if roll < bv + vof {
            " V.O.F."
        } else {
            ""
        }
    };
    match rng.below(10) {
        0..=3 => {
            let sector = rng.pick(SECTOR_PREFIX);
            format!("{sector} {family}{}", legal(rng, 25, 25))
        }
        4..=6 => {
            let sector = rng.pick(SECTOR_SUFFIX);
            format!("{family} {sector}{}", legal(rng, 70, 5))
        }
        7 => {
            let sector = rng.pick(SECTOR_SUFFIX);
            format!("{family} & Zonen {sector}{}", legal(rng, 40, 20))
        }
        8 => {
            let (tv2, last2) = *rng.pick(SURNAMES);
            let partner = surname_for_company(tv2, last2);
            let sector = rng.pick(&["Advocaten", "Accountants", "Notarissen", "Makelaars"]);
            format!("{family} & {partner} {sector}{}", legal(rng, 30, 30))
        }
        _ => {
            let kind = if rng.chance(60) { "Holding" } else { "Beheer" };
            format!("{family} {kind} B.V.")
        }
    }
}

fn company(rng: &mut Rng, domains: &mut Unique, kvk: &mut Unique) -> (DemoCompany, CompanyFacts) {
    let name = company_name(rng);
    let city_index = text::city(rng);
    let (city, area_code, _, _) = CITIES[city_index];
    let hyphens = rng.chance(40);
    let base = slug(&name, hyphens);
    let domain = if domains.try_claim(&format!("{base}.nl")) {
        format!("{base}.nl")
    } else {
        let with_city = format!("{base}-{}", slug(city, true));
        domains.claim(&with_city, ".nl")
    };
    let kvk_number = loop {
        let candidate = rng.digits(8, 1);
        if kvk.try_claim(&candidate) {
            break candidate;
        }
    };
    let input = CompanyInput {
        name,
        kvk_number,
        address: text::address(rng, city_index, true),
        phone: text::landline(rng, area_code),
        website: format!("https://www.{domain}"),
        email_domains: vec![domain.clone()],
    };
    (DemoCompany { input }, CompanyFacts { domain, area_code })
}

/// A private mailbox name: "jan.jansen", "janjansen", "j.jansen", "jansen.jan", "jan.jansen84".
fn private_local(rng: &mut Rng, first: &str, last: &str) -> String {
    let initial = first.chars().next().unwrap_or('x');
    match rng.below(7) {
        0 | 1 => format!("{first}.{last}"),
        2 => format!("{first}{last}"),
        3 => format!("{initial}.{last}"),
        4 => format!("{last}.{first}"),
        5 => format!("{first}_{last}"),
        _ => format!("{first}.{last}{:02}", rng.range(60, 105) % 100),
    }
}

fn person(rng: &mut Rng, companies: &[CompanyFacts], emails: &mut Unique) -> DemoPerson {
    let female = rng.chance(50);
    let names = if female { FEMALE_FIRST } else { MALE_FIRST };
    let first = *rng.pick(names);
    let (tussenvoegsel, last) = *rng.pick(SURNAMES);
    let company = (!companies.is_empty() && rng.chance(85)).then(|| {
        // Some companies employ many more people than others.
        let a = rng.below(companies.len());
        if rng.chance(50) {
            a
        } else {
            a.min(rng.below(companies.len()))
        }
    });
    let folded_first = match fold(first) {
        f if f.is_empty() => "info".to_owned(),
        f => f,
    };
    let folded_last = match fold(&format!("{tussenvoegsel}{last}")) {
        l if l.is_empty() => "contact".to_owned(),
        l => l,
    };

    let mut input = PersonInput {
        first_name: first.to_owned(),
        tussenvoegsel: tussenvoegsel.to_owned(),
        last_name: last.to_owned(),
        // Business contacts are addressed formally ("Geachte mevrouw De Vries"), private
        // persons automatically ("Beste Anna").
        salutation: match (company, female) {
            (None, _) => Salutation::Automatisch,
            (Some(_), true) => Salutation::Mevrouw,
            (Some(_), false) => Salutation::Heer,
        },
        synchroniseren: rng.chance(25),
        ..Default::default()
    };
    let private_email = |rng: &mut Rng, emails: &mut Unique| {
        let local = private_local(rng, &folded_first, &folded_last);
        let domain = *rng.pick(PRIVATE_DOMAINS);
        emails.email(&local, domain)
    };
    match company {
        Some(index) => {
            let facts = &companies[index];
            let work = emails.email(&format!("{folded_first}.{folded_last}"), &facts.domain);
            input.emails.push(EmailInput {
                address: work,
                primary: true,
            });
            if rng.chance(30) {
                let address = private_email(rng, emails);
                input.emails.push(EmailInput {
                    address,
                    primary: false,
                });
            }
            if rng.chance(90) {
                input.job_title = rng.pick(JOB_TITLES).to_string();
            }
            if rng.chance(85) {
                let number = text::landline(rng, facts.area_code);
                input.phones.push(PhoneInput {
                    number,
                    kind: PhoneKind::Werk,
                });
            }
            if rng.chance(65) {
                input.phones.push(PhoneInput {
                    number: text::mobile(rng),
                    kind: PhoneKind::Mobiel,
                });
            }
        }
        None => {
            let address = private_email(rng, emails);
            input.emails.push(EmailInput {
                address,
                primary: true,
            });
            let city_index = text::city(rng);
            if rng.chance(85) {
                input.phones.push(PhoneInput {
                    number: text::mobile(rng),
                    kind: PhoneKind::Mobiel,
                });
            }
            if rng.chance(30) {
                let number = text::landline(rng, CITIES[city_index].1);
                input.phones.push(PhoneInput {
                    number,
                    kind: PhoneKind::Prive,
                });
            }
            input.address = text::address(rng, city_index, false);
        }
    }
    if rng.chance(10) {
        input.notes = rng.pick(NOTES).to_string();
    }
    DemoPerson { input, company }
}
