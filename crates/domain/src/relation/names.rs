//! Names the Dutch way: a display name from a mail header split into the person form's name
//! fields ("Sanne de Wit" → "Sanne" / "de" / "Wit", "Jan van der Berg" → "Jan" / "van der" /
//! "Berg"), and a vCard family name split into tussenvoegsel and last name.

/// Dutch (and a few neighbouring) name particles, lower case.
const PARTICLES: &[&str] = &[
    "van", "de", "der", "den", "het", "'t", "te", "ter", "ten", "in", "op", "aan", "bij", "uit",
    "voor", "onder", "over", "tot", "la", "le", "du", "da", "di", "del", "des", "von", "vom", "zu",
    "zum", "zur", "d'", "l'",
];

fn is_particle(word: &str) -> bool {
    let lower = word.to_lowercase();
    PARTICLES.contains(&lower.as_str())
}

/// First name(s), tussenvoegsel and last name. The first particle after the first word starts
/// the tussenvoegsel (a particle as the very first word too: "de Wit"); without one the last
/// word is the last name. "Wit, Sanne de" (last name first) is read as "Sanne de Wit". A single
/// word is taken as a first name.
pub fn split_display_name(display: &str) -> (String, String, String) {
    let cleaned = display
        .trim()
        .trim_matches(|c| c == '"' || c == '\'')
        .trim();
    let reordered;
    let name = match cleaned.split_once(',') {
        Some((last, first)) if !last.trim().is_empty() && !first.trim().is_empty() => {
            reordered = format!("{} {}", first.trim(), last.trim());
            reordered.as_str()
        }
        _ => cleaned,
    };
    let words: Vec<&str> = name.split_whitespace().collect();
    match words.as_slice() {
        [] => (String::new(), String::new(), String::new()),
        [one] => ((*one).to_owned(), String::new(), String::new()),
        _ => {
            let start = words.iter().position(|w| is_particle(w));
            let run_end =
                start.map(|s| s + words[s..].iter().take_while(|w| is_particle(w)).count());
            match (start, run_end) {
                // Particles followed by a last name.
                (Some(s), Some(e)) if e < words.len() => (
                    words[..s].join(" "),
                    words[s..e].join(" ").to_lowercase(),
                    words[e..].join(" "),
                ),
                _ => {
                    let (last, first) = words.split_last().unwrap_or((&"", &[]));
                    (first.join(" "), String::new(), (*last).to_owned())
                }
            }
        }
    }
}

/// A family name as phones keep it ("van der Berg") split into tussenvoegsel and last name
/// ("van der" / "Berg"). Leading particles are the tussenvoegsel as long as a last name follows.
pub fn split_family_name(family: &str) -> (String, String) {
    let words: Vec<&str> = family.split_whitespace().collect();
    let particles = words.iter().take_while(|w| is_particle(w)).count();
    if particles == 0 || particles == words.len() {
        return (String::new(), words.join(" "));
    }
    (
        words[..particles].join(" ").to_lowercase(),
        words[particles..].join(" "),
    )
}

/// A name from the address when the header had none: "jan.de.vries@…" → "Jan de Vries". Only
/// for local parts made of several words; "info@…" gives nothing.
pub fn name_from_address(email: &str) -> Option<String> {
    let local = email.split('@').next()?;
    let words: Vec<&str> = local.split(['.', '_']).filter(|w| !w.is_empty()).collect();
    if words.len() < 2 || words.iter().any(|w| w.chars().any(|c| c.is_ascii_digit())) {
        return None;
    }
    let name = words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            if i > 0 && is_particle(w) {
                w.to_lowercase()
            } else {
                let mut chars = w.chars();
                chars
                    .next()
                    .map(|c| c.to_uppercase().chain(chars).collect())
                    .unwrap_or_default()
            }
        })
        .collect::<Vec<String>>()
        .join(" ");
    Some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(s: &str) -> (String, String, String) {
        split_display_name(s)
    }

    fn parts(a: &str, b: &str, c: &str) -> (String, String, String) {
        (a.into(), b.into(), c.into())
    }

    #[test]
    fn dutch_names() {
        assert_eq!(split("Sanne de Wit"), parts("Sanne", "de", "Wit"));
        assert_eq!(split("Jan van der Berg"), parts("Jan", "van der", "Berg"));
        assert_eq!(
            split("Jan Peter van den Heuvel"),
            parts("Jan Peter", "van den", "Heuvel")
        );
        assert_eq!(
            split("Eva Van Der Linden"),
            parts("Eva", "van der", "Linden")
        );
        assert_eq!(split("Kees ter Horst"), parts("Kees", "ter", "Horst"));
        assert_eq!(split("Piet in 't Veld"), parts("Piet", "in 't", "Veld"));
        assert_eq!(split("Jan Jansen"), parts("Jan", "", "Jansen"));
        assert_eq!(
            split("Anna Maria Jansen"),
            parts("Anna Maria", "", "Jansen")
        );
        assert_eq!(split("de Vries"), parts("", "de", "Vries"));
        assert_eq!(split("Wit, Sanne de"), parts("Sanne", "de", "Wit"));
        assert_eq!(split("\"Sanne de Wit\""), parts("Sanne", "de", "Wit"));
        assert_eq!(split("Sanne"), parts("Sanne", "", ""));
        assert_eq!(split("Sanne de"), parts("Sanne", "", "de"));
        assert_eq!(split("  "), parts("", "", ""));
    }

    #[test]
    fn family_names() {
        let fam = |s: &str| split_family_name(s);
        assert_eq!(fam("van der Berg"), ("van der".into(), "Berg".into()));
        assert_eq!(
            fam("Van Den Heuvel-Smit"),
            ("van den".into(), "Heuvel-Smit".into())
        );
        assert_eq!(fam("Jansen"), (String::new(), "Jansen".into()));
        assert_eq!(fam("de"), (String::new(), "de".into()));
        assert_eq!(fam(""), (String::new(), String::new()));
    }

    #[test]
    fn names_from_addresses() {
        assert_eq!(
            name_from_address("jan.de.vries@x.nl").as_deref(),
            Some("Jan de Vries")
        );
        assert_eq!(
            name_from_address("sanne_wit@x.nl").as_deref(),
            Some("Sanne Wit")
        );
        assert_eq!(name_from_address("info@x.nl"), None);
        assert_eq!(name_from_address("klant.2024@x.nl"), None);
    }
}
