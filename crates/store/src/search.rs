//! Search tokens. Every relation is indexed as a set of tokens: the words of its name, its
//! e-mail addresses (whole and in pieces), the digits of its phone numbers, all folded to
//! lower-case ASCII. A query is split the same way, and every query term must match some token
//! by prefix — a range scan on an index in both engines, so a search page stays fast at 100,000
//! relations without engine-specific full-text machinery.

use std::collections::BTreeSet;

/// Tokens longer than this are cut; nobody types more to find a relation.
const MAX_TOKEN: usize = 64;

pub(crate) use postkamer_domain::text::fold;

fn truncate(mut token: String) -> String {
    if token.len() > MAX_TOKEN {
        let mut end = MAX_TOKEN;
        while !token.is_char_boundary(end) {
            end -= 1;
        }
        token.truncate(end);
    }
    token
}

/// Collects the tokens of one relation.
#[derive(Debug, Default)]
pub(crate) struct Tokens(BTreeSet<String>);

impl Tokens {
    /// The words of a name, title or place.
    pub fn words(&mut self, text: &str) -> &mut Self {
        for word in fold(text).split(|c: char| !c.is_ascii_alphanumeric()) {
            if !word.is_empty() {
                self.0.insert(truncate(word.to_owned()));
            }
        }
        self
    }

    /// An e-mail address or domain: whole, and its words.
    pub fn address(&mut self, address: &str) -> &mut Self {
        let folded = fold(address.trim());
        if !folded.is_empty() {
            self.0.insert(truncate(folded));
        }
        self.words(address)
    }

    /// A phone number: its digits, and the national form of an international +31 number.
    pub fn phone(&mut self, number: &str) -> &mut Self {
        if let Some(digits) = phone_digits(number) {
            self.0.insert(digits);
        }
        self
    }

    pub fn into_vec(self) -> Vec<String> {
        self.0.into_iter().collect()
    }
}

/// "+31 (0)20 123 4567" → "0201234567"; "020-1234567" → "0201234567".
fn phone_digits(number: &str) -> Option<String> {
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    let international = number.trim_start().starts_with('+') || digits.starts_with("00");
    let national = if international {
        let rest = digits.strip_prefix("00").unwrap_or(&digits);
        match rest.strip_prefix("31") {
            Some(n) => format!("0{}", n.strip_prefix('0').unwrap_or(n)),
            None => digits.clone(),
        }
    } else {
        digits
    };
    (national.len() >= 3).then(|| truncate(national))
}

/// Splits a query into terms, each to be matched as a token prefix. A phone number typed with
/// spaces ("06 1234 5678") is one term, as its token is one: adjacent number chunks are joined.
pub(crate) fn query_terms(query: &str) -> Vec<String> {
    let is_number = |chunk: &str| {
        chunk.chars().any(|c| c.is_ascii_digit())
            && chunk
                .chars()
                .all(|c| c.is_ascii_digit() || "+-()./".contains(c))
    };
    let mut chunks: Vec<String> = Vec::new();
    let mut joinable = false;
    for chunk in query.split_whitespace() {
        let number = is_number(chunk);
        match chunks.last_mut() {
            Some(last) if number && joinable => last.push_str(chunk),
            _ => chunks.push(chunk.to_owned()),
        }
        joinable = number;
    }
    let mut terms = Vec::new();
    for chunk in chunks.iter().map(String::as_str) {
        let looks_like_phone = chunk.chars().filter(char::is_ascii_digit).count() >= 3
            && chunk
                .chars()
                .all(|c| c.is_ascii_digit() || "+-()./".contains(c));
        if chunk.contains('@') {
            terms.push(truncate(fold(chunk)));
        } else if looks_like_phone {
            terms.extend(phone_digits(chunk));
        } else {
            terms.extend(
                fold(chunk)
                    .split(|c: char| !c.is_ascii_alphanumeric())
                    .filter(|w| !w.is_empty())
                    .map(|w| truncate(w.to_owned())),
            );
        }
    }
    terms.sort();
    terms.dedup();
    // Tussenvoegsels and articles match a large share of all relations; next to a real term
    // they add nothing but cost ("jan de boer" searches for "jan" and "boer").
    if terms.iter().any(|t| !is_filler(t)) {
        terms.retain(|t| !is_filler(t));
    }
    // Ten terms are plenty; more would only make the query slower.
    terms.truncate(10);
    terms
}

/// Dutch name particles and articles.
fn is_filler(term: &str) -> bool {
    matches!(
        term,
        "van"
            | "de"
            | "der"
            | "den"
            | "het"
            | "t"
            | "te"
            | "ter"
            | "ten"
            | "in"
            | "op"
            | "s"
            | "la"
            | "le"
            | "du"
            | "d"
    )
}

/// The exclusive upper bound of the prefix range of `term`.
pub(crate) fn prefix_end(term: &str) -> String {
    format!("{term}\u{10FFFF}")
}

/// `INSERT INTO table (columns) VALUES ($1, $2), ($3, $4) …` for `rows` rows.
pub(crate) fn multi_insert(table_and_columns: &str, columns: usize, rows: usize) -> String {
    let mut sql = format!("INSERT INTO {table_and_columns} VALUES ");
    for row in 0..rows {
        if row > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for col in 0..columns {
            if col > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!("${}", row * columns + col + 1));
        }
        sql.push(')');
    }
    sql
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_of_a_person() {
        let mut t = Tokens::default();
        t.words("Anouk")
            .words("van 't")
            .words("Hof-Çelik")
            .address("Anouk.vant.Hof@Bakkerij.nl");
        t.phone("+31 (0)6 1234 5678");
        let v = t.into_vec();
        for expected in [
            "anouk",
            "van",
            "t",
            "hof",
            "celik",
            "anouk.vant.hof@bakkerij.nl",
            "bakkerij",
            "nl",
            "0612345678",
        ] {
            assert!(v.contains(&expected.to_owned()), "{expected} in {v:?}");
        }
    }

    #[test]
    fn query_terms_follow_the_same_rules() {
        assert_eq!(
            query_terms("  Eva.Linden@PriveMail.nl "),
            ["eva.linden@privemail.nl"]
        );
        assert_eq!(query_terms("020-123 4567"), ["0201234567"]);
        assert_eq!(query_terms("Jan 06 1234 5678"), ["0612345678", "jan"]);
        assert_eq!(query_terms("+31 6 1234 5678"), ["0612345678"]);
        assert_eq!(query_terms("06 jan 12"), ["06", "12", "jan"]);
        assert_eq!(query_terms("020-1234567"), ["0201234567"]);
        assert_eq!(query_terms("Bakkerij  Çelik"), ["bakkerij", "celik"]);
        assert_eq!(
            query_terms("'; DROP TABLE persons; --"),
            ["drop", "persons", "table"]
        );
        assert!(query_terms("  ").is_empty());
        assert_eq!(query_terms("Jan de Boer"), ["boer", "jan"]);
        assert_eq!(query_terms("van der"), ["der", "van"]);
    }

    #[test]
    fn multi_insert_numbers_parameters() {
        assert_eq!(
            multi_insert("t (a, b)", 2, 2),
            "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4)"
        );
    }
}
