//! Turning names into e-mail local parts and domains, and making up phone numbers, addresses and
//! unique e-mail addresses.

use crate::names::{BUSINESS_STREETS, CITIES, STREETS};
use crate::rng::Rng;
use postkamer_domain::relation::Address;
use std::collections::{HashMap, HashSet};

/// Lower-cases and folds to ASCII: "Bakker-Çelik" → "bakker-celik", "van 't Hof" → "vanthof".
/// Keeps letters, digits and hyphens; spaces, apostrophes and anything unknown are dropped.
pub fn fold(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        let mapped = match c {
            'a'..='z' | '0'..='9' | '-' => {
                out.push(c);
                continue;
            }
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ạ' => "a",
            'ç' | 'ć' | 'č' => "c",
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' | 'ễ' => "e",
            'ì' | 'í' | 'î' | 'ï' | 'ı' => "i",
            'ñ' | 'ń' => "n",
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' => "o",
            'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' => "u",
            'ý' | 'ÿ' => "y",
            'š' | 'ş' | 'ś' => "s",
            'ğ' => "g",
            'ž' | 'ź' | 'ż' => "z",
            'ß' => "ss",
            'æ' => "ae",
            'œ' => "oe",
            'ł' => "l",
            'đ' => "d",
            _ => "",
        };
        out.push_str(mapped);
    }
    // A hyphen must not start or end a label or collapse with a neighbour.
    let mut cleaned = String::with_capacity(out.len());
    for part in out.split('-').filter(|p| !p.is_empty()) {
        if !cleaned.is_empty() {
            cleaned.push('-');
        }
        cleaned.push_str(part);
    }
    cleaned
}

/// The company part of a name as a domain label: "Smit & Zonen Transport B.V." →
/// "smitenzonentransport" (or "smit-en-zonen-transport" with `hyphens`).
pub fn slug(name: &str, hyphens: bool) -> String {
    let words: Vec<String> = name
        .split_whitespace()
        .filter(|w| !matches!(*w, "B.V." | "V.O.F."))
        .map(|w| if w == "&" { "en".to_owned() } else { fold(w) })
        .filter(|w| !w.is_empty())
        .collect();
    let mut s = words.join(if hyphens { "-" } else { "" });
    if s.len() > 50 {
        s.truncate(50);
        s.truncate(s.trim_end_matches('-').len());
    }
    if s.is_empty() {
        "bedrijf".to_owned()
    } else {
        s
    }
}

/// "van der" + "Berg" → "Van der Berg", as the name reads at the start of a company name.
pub fn surname_for_company(tussenvoegsel: &str, last: &str) -> String {
    if tussenvoegsel.is_empty() {
        return last.to_owned();
    }
    let mut chars = tussenvoegsel.chars();
    let first = chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>())
        .unwrap_or_default();
    format!("{first}{} {last}", chars.as_str())
}

/// A landline number in the area `area` ("020", "0546"), in one of the usual spellings.
pub fn landline(rng: &mut Rng, area: &str) -> String {
    let rest = rng.digits(10 - area.len(), 2);
    let (a, b) = rest.split_at(3);
    match (area.len(), rng.below(3)) {
        (_, 0) => format!("{area}-{rest}"),
        (3, 1) => format!("{area} {a} {b}"),
        (3, _) => format!("{area} {a} {} {}", &b[..2], &b[2..]),
        (_, 1) => format!("{area} {a} {b}"),
        _ => format!("{area} {} {} {}", &rest[..2], &rest[2..4], &rest[4..]),
    }
}

/// A mobile number: "06 12345678", "06-12345678", "+31 6 12345678".
pub fn mobile(rng: &mut Rng) -> String {
    let rest = rng.digits(8, 1);
    match rng.below(5) {
        0 | 1 => format!("06 {rest}"),
        2 => format!("06-{rest}"),
        3 => format!("+31 6 {rest}"),
        _ => format!("06 {} {}", &rest[..4], &rest[4..]),
    }
}

/// An index into [`CITIES`], big cities more often.
pub fn city(rng: &mut Rng) -> usize {
    if rng.chance(60) {
        rng.below(12)
    } else {
        rng.below(CITIES.len())
    }
}

/// A Dutch address in the city `city_index`: "Kerkstraat 12", "1234 AB".
pub fn address(rng: &mut Rng, city_index: usize, business: bool) -> Address {
    let (city, _, lo, hi) = CITIES[city_index];
    let street = if business && rng.chance(50) {
        rng.pick(BUSINESS_STREETS)
    } else {
        rng.pick(STREETS)
    };
    // Mostly low house numbers, as in real streets.
    let max = if rng.chance(70) { 40 } else { 250 };
    let number = rng.range(1, max);
    let addition = match rng.below(12) {
        0 => "a",
        1 => "b",
        2 => "c",
        3 => "-2",
        _ => "",
    };
    let pc = rng.range(u32::from(lo), u32::from(hi));
    let letters = loop {
        const L: &[u8] = b"ABCDEGHJKLMNPRSTVWXZ";
        let pair = [*rng.pick(L), *rng.pick(L)];
        if !matches!(&pair, b"SS" | b"SD" | b"SA") {
            break String::from_utf8_lossy(&pair).into_owned();
        }
    };
    Address {
        street: format!("{street} {number}{addition}"),
        postal_code: format!("{pc} {letters}"),
        city: city.to_owned(),
        country: "Nederland".to_owned(),
    }
}

/// Hands out e-mail addresses (and other names) that were not handed out before, adding a
/// number when needed: "jan.jansen@x.nl", then "jan.jansen2@x.nl".
#[derive(Default)]
pub struct Unique {
    used: HashSet<String>,
    /// The next number to try per base, so many equal names stay linear.
    next: HashMap<String, u32>,
}

impl Unique {
    /// Claims `value` if it is still free.
    pub fn try_claim(&mut self, value: &str) -> bool {
        if self.used.contains(value) {
            return false;
        }
        self.used.insert(value.to_owned());
        true
    }

    /// `local@domain`, or `local{n}@domain` for the smallest free `n` from 2 (from where the
    /// last search for this base stopped).
    pub fn email(&mut self, local: &str, domain: &str) -> String {
        self.claim(local, &format!("@{domain}"))
    }

    /// `stem + tail`, or `stem{n} + tail`.
    pub fn claim(&mut self, stem: &str, tail: &str) -> String {
        let plain = format!("{stem}{tail}");
        if !self.used.contains(&plain) {
            self.used.insert(plain.clone());
            return plain;
        }
        let n = self.next.entry(plain).or_insert(2);
        loop {
            let candidate = format!("{stem}{n}{tail}");
            *n += 1;
            if !self.used.contains(&candidate) {
                self.used.insert(candidate.clone());
                return candidate;
            }
        }
    }
}
