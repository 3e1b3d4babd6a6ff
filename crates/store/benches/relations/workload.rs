//! The workload: the lookups and searches, drawn once from the data so that both engines get the
//! same ones.

use crate::{Config, Kind, MIX, SEED};
use postkamer_demo::DemoData;
use postkamer_domain::EmailAddress;
use std::collections::HashSet;

/// The questions, drawn once from the data so that both engines get the same ones.
pub(crate) struct Workload {
    /// The address and whether it belongs to somebody.
    pub(crate) lookups: Vec<(EmailAddress, bool)>,
    pub(crate) lookup_warmup: Vec<(EmailAddress, bool)>,
    pub(crate) searches: Vec<(Kind, String)>,
    pub(crate) search_warmup: Vec<(Kind, String)>,
    pub(crate) deep_pages: usize,
}

impl Workload {
    pub(crate) fn new(data: &DemoData, config: &Config) -> Workload {
        let mut rng = Rng(SEED ^ 0x9e37_79b9_7f4a_7c15);
        let addresses: Vec<&str> = data
            .persons
            .iter()
            .flat_map(|p| p.input.emails.iter().map(|e| e.address.as_str()))
            .collect();
        let known: HashSet<String> = addresses.iter().map(|a| a.to_lowercase()).collect();
        let lookup = |rng: &mut Rng| -> (EmailAddress, bool) {
            let address = addresses[rng.below(addresses.len())];
            if rng.below(10) == 0 {
                // An unknown address next to known ones: "jan.bakker.x7@bakkerij-jansen.nl".
                let (local, domain) = address.split_once('@').unwrap_or((address, "example.nl"));
                let mut n = rng.below(1000);
                loop {
                    let candidate = format!("{local}.x{n}@{domain}");
                    if !known.contains(&candidate.to_lowercase())
                        && let Ok(parsed) = EmailAddress::parse(&candidate)
                    {
                        return (parsed, false);
                    }
                    n += 1;
                }
            }
            match EmailAddress::parse(address) {
                Ok(parsed) => (parsed, true),
                Err(_) => panic!("demo address {address:?} does not parse"),
            }
        };
        let lookup_warmup = (0..config.lookup_warmup)
            .map(|_| lookup(&mut rng))
            .collect();
        let lookups = (0..config.lookups).map(|_| lookup(&mut rng)).collect();
        let searches = (0..config.searches)
            .map(|_| search_query(data, &mut rng))
            .collect();
        let search_warmup = (0..config.search_warmup)
            .map(|_| search_query(data, &mut rng))
            .collect();
        Workload {
            lookups,
            lookup_warmup,
            searches,
            search_warmup,
            deep_pages: config.deep_pages,
        }
    }
}

/// One query of the mix, made from a random person or company.
fn search_query(data: &DemoData, rng: &mut Rng) -> (Kind, String) {
    let total: u32 = MIX.iter().map(|(_, w)| w).sum();
    let mut roll = u32::try_from(rng.below(total as usize)).unwrap_or(0);
    let mut kind = Kind::Empty;
    for (k, weight) in MIX {
        if roll < weight {
            kind = k;
            break;
        }
        roll -= weight;
    }
    let person = &data.persons[rng.below(data.persons.len())].input;
    let query = match kind {
        Kind::Empty => String::new(),
        Kind::FirstNamePrefix => person
            .first_name
            .chars()
            .take(3)
            .collect::<String>()
            .to_lowercase(),
        Kind::LastName => person.last_name.clone(),
        Kind::Email => person
            .emails
            .first()
            .map(|e| e.address.clone())
            .unwrap_or_default(),
        Kind::CompanyWord => {
            if data.companies.is_empty() {
                return (Kind::LastName, person.last_name.clone());
            }
            let name = &data.companies[rng.below(data.companies.len())].input.name;
            let words: Vec<&str> = name
                .split_whitespace()
                .filter(|w| w.chars().count() >= 4 && w.chars().all(char::is_alphabetic))
                .collect();
            match words.as_slice() {
                [] => name
                    .split_whitespace()
                    .next()
                    .unwrap_or_default()
                    .to_owned(),
                words => words[rng.below(words.len())].to_owned(),
            }
        }
        Kind::PhonePrefix => match person.phones.first() {
            Some(phone) => national_digits(&phone.number).chars().take(4).collect(),
            None => return (Kind::LastName, person.last_name.clone()),
        },
        Kind::TwoWords => {
            format!(
                "{} {}",
                person.first_name.to_lowercase(),
                person.last_name.to_lowercase()
            )
        }
    };
    (kind, query)
}

/// "+31 6 12345678" → "0612345678", "020-1234567" → "0201234567".
fn national_digits(number: &str) -> String {
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    match digits.strip_prefix("31") {
        Some(rest) if number.trim_start().starts_with('+') => format!("0{rest}"),
        _ => digits,
    }
}

/// splitmix64: small, fast and good enough to pick test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0); the modulo bias is irrelevant here.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}
