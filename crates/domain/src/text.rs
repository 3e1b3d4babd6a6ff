//! Text folded for matching: the full-text index and the searches over it fold the same way.

/// Lower-case ASCII: accents and ligatures transliterated ("Zoë Müller" → "zoe muller").
pub fn fold(text: &str) -> String {
    deunicode::deunicode(text).to_lowercase()
}

/// The folded words of `text`, split on everything that is not an ASCII letter or digit and
/// joined by single spaces, so `jan@voorbeeld.nl` is found by "voorbeeld".
pub fn index_words(text: &str) -> String {
    let folded = fold(text);
    let mut out = String::with_capacity(folded.len());
    for word in folded.split(|c: char| !c.is_ascii_alphanumeric()) {
        if !word.is_empty() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_folded_and_split_on_everything_else() {
        assert_eq!(fold("Zoë Müller"), "zoe muller");
        assert_eq!(
            index_words("  Jan@Voorbeeld.nl, Ærø!"),
            "jan voorbeeld nl aero"
        );
        assert_eq!(index_words("—"), "");
    }
}
